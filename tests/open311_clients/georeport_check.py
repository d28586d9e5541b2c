"""semnal's Open311 GeoReport v2 server, as a client we did not write sees it.

The client is `georeport` from PyPI (scripts/open311-clients installs the pinned version in a
virtualenv and runs this file with it). In XML and in JSON, it lists the services and finds
`pothole`, reads its definition and finds the attribute `depth_cm`, then reads back a request
filed with a photo and that attribute: its service, position and photo (which must download
as a JPEG). `georeport` cannot file requests, so the POST is a plain multipart form sent with
`requests` (a dependency of `georeport`), the way the specification describes it (clients
we did not write file requests in civicbot_check.py and three_check.py); the attribute is
read back with `extensions=true`, which `georeport` does not send.

Environment: SEMNAL_URL (the server, e.g. http://127.0.0.1:8080), SEMNAL_API_KEY (a key from
`semnal api-keys create`), SEMNAL_JURISDICTION (default alba-iulia; sent as jurisdiction_id).
Exits 1 with a message naming the format and the step at the first mismatch.
"""

import os
import sys
from pathlib import Path

import requests
import xmltodict
from georeport import GeoReport, __version__ as GEOREPORT_VERSION

PHOTO = Path(__file__).resolve().parents[2] / "fixtures" / "photos" / "pothole-gps.jpg"
SERVICE = "pothole"
ATTRIBUTE = "depth_cm"
DEPTH = 12
# The photo's own GPS point, in the `centru` zone of Alba Iulia.
LAT, LONG = 46.07, 23.583
TIMEOUT = 30


class Mismatch(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Mismatch(message)


def as_list(value):
    """xmltodict gives one child element as a dict and several as a list (and none as None)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def as_float(value, what):
    try:
        return float(value)
    except (TypeError, ValueError):
        raise Mismatch(f"{what} is {value!r}, not a number") from None


def parse(response, fmt):
    """A service_requests answer, as a list of requests."""
    if fmt == "json":
        body = response.json()
        check(isinstance(body, list), f"expected a JSON array, got {str(body)[:300]}")
        return body
    root = xmltodict.parse(response.content)
    check("service_requests" in root, f"expected <service_requests>, got {response.text[:300]}")
    return as_list((root["service_requests"] or {}).get("request"))


def file_request(base, api_key, jurisdiction, fmt):
    """POST requests.{fmt} as a multipart form with the photo as `media`; returns the id."""
    url = f"{base}/requests.{fmt}"
    form = {
        "api_key": api_key,
        "jurisdiction_id": jurisdiction,
        "service_code": SERVICE,
        "lat": str(LAT),
        "long": str(LONG),
        f"attribute[{ATTRIBUTE}]": str(DEPTH),
        "description": f"Open311 client check ({fmt}): deep pothole",
    }
    with PHOTO.open("rb") as photo:
        files = {"media": (PHOTO.name, photo, "image/jpeg")}
        response = requests.post(url, data=form, files=files, timeout=TIMEOUT)
    check(
        response.status_code == 200,
        f"POST {url} answered {response.status_code}: {response.text[:500]}",
    )
    created = parse(response, fmt)
    check(len(created) == 1, f"POST {url}: expected one request, got {created!r}")
    request_id = created[0].get("service_request_id")
    check(
        isinstance(request_id, str) and request_id,
        f"POST {url}: no service_request_id in {created[0]!r}",
    )
    return request_id


def check_request(request, request_id, fmt, where):
    check(request.get("service_request_id") == request_id,
          f"{where}: service_request_id {request.get('service_request_id')!r}, expected {request_id!r}")
    check(request.get("service_code") == SERVICE,
          f"{where}: service_code {request.get('service_code')!r}, expected {SERVICE!r}")
    lat = as_float(request.get("lat"), f"{where}: lat")
    long = as_float(request.get("long"), f"{where}: long")
    check(abs(lat - LAT) < 1e-6 and abs(long - LONG) < 1e-6,
          f"{where}: lat/long {lat}, {long}, expected {LAT}, {LONG}")
    media_url = request.get("media_url")
    check(isinstance(media_url, str) and media_url.startswith("http"),
          f"{where}: media_url is {media_url!r}, expected the photo's URL")
    return media_url


def check_photo(media_url):
    response = requests.get(media_url, timeout=TIMEOUT)
    check(response.status_code == 200, f"GET {media_url} answered {response.status_code}")
    content_type = response.headers.get("content-type", "")
    check(content_type.split(";")[0].strip() == "image/jpeg",
          f"GET {media_url}: content-type {content_type!r}, expected image/jpeg")
    check(response.content[:3] == b"\xff\xd8\xff",
          f"GET {media_url}: the body is not a JPEG (starts {response.content[:8]!r})")
    return len(response.content)


def check_attribute(base, jurisdiction, request_id, fmt):
    """The answer to `depth_cm`, through a plain GET with extensions=true."""
    url = f"{base}/requests/{request_id}.{fmt}"
    response = requests.get(
        url, params={"extensions": "true", "jurisdiction_id": jurisdiction}, timeout=TIMEOUT
    )
    check(response.status_code == 200, f"GET {url}?extensions=true answered {response.status_code}")
    found = parse(response, fmt)
    check(len(found) == 1, f"GET {url}?extensions=true: expected one request, got {len(found)}")
    extended = found[0].get("extended_attributes")
    check(isinstance(extended, dict), f"GET {url}?extensions=true: no extended_attributes")
    attributes = extended.get("attributes")
    if fmt == "xml":
        attributes = as_list((attributes or {}).get("attribute"))
    answers = {a.get("code"): a.get("value") for a in attributes or []}
    check(ATTRIBUTE in answers,
          f"GET {url}?extensions=true: no attribute {ATTRIBUTE} among {sorted(answers)}")
    value = as_float(answers[ATTRIBUTE], f"attribute {ATTRIBUTE}")
    check(value == DEPTH, f"GET {url}?extensions=true: {ATTRIBUTE} is {value}, expected {DEPTH}")


def run(fmt, base, api_key, jurisdiction):
    def ok(message):
        print(f"  ok {fmt}: {message}", flush=True)

    client = GeoReport(base, jurisdiction=jurisdiction, api_key=api_key, output_format=fmt)

    services = as_list(client.get_service_list())
    codes = [s.get("service_code") for s in services]
    check(SERVICE in codes, f"get_service_list: no {SERVICE!r} among {codes}")
    pothole = services[codes.index(SERVICE)]
    check(str(pothole.get("metadata")).lower() == "true",
          f"get_service_list: {SERVICE} has metadata={pothole.get('metadata')!r}, expected true")
    ok(f"get_service_list: {len(services)} services, {SERVICE} has metadata")

    definition = client.get_service_definition(SERVICE)
    check(isinstance(definition, dict) and definition.get("service_code") == SERVICE,
          f"get_service_definition({SERVICE!r}): got {str(definition)[:300]}")
    attributes = definition.get("attributes")
    if fmt == "xml":
        attributes = as_list((attributes or {}).get("attribute"))
    by_code = {a.get("code"): a for a in attributes or []}
    check(ATTRIBUTE in by_code,
          f"get_service_definition({SERVICE!r}): no attribute {ATTRIBUTE} among {sorted(by_code)}")
    check(by_code[ATTRIBUTE].get("datatype") == "number",
          f"get_service_definition: {ATTRIBUTE} has datatype {by_code[ATTRIBUTE].get('datatype')!r}")
    ok(f"get_service_definition: attribute {ATTRIBUTE} ({by_code[ATTRIBUTE].get('datatype')})")

    request_id = file_request(base, api_key, jurisdiction, fmt)
    ok(f"POST requests.{fmt} (multipart, attribute[{ATTRIBUTE}], media) filed {request_id}")

    request = client.get_service_request(request_id)
    check(isinstance(request, dict), f"get_service_request({request_id!r}): got {request!r}")
    media_url = check_request(request, request_id, fmt, f"get_service_request({request_id!r})")
    size = check_photo(media_url)
    ok(f"get_service_request: {SERVICE} at {request.get('lat')}, {request.get('long')}; "
       f"media_url is a JPEG of {size} bytes")

    listed = as_list(client.get_service_requests(service_request_id=request_id))
    check(len(listed) == 1, f"get_service_requests(service_request_id={request_id!r}): got {len(listed)}")
    check_request(listed[0], request_id, fmt, f"get_service_requests(service_request_id={request_id!r})")
    recent = as_list(client.get_service_requests(service_code=SERVICE, status="open"))
    check(request_id in [r.get("service_request_id") for r in recent],
          f"get_service_requests(service_code={SERVICE!r}, status='open'): {request_id} is missing")
    ok(f"get_service_requests: by id, and among {len(recent)} open {SERVICE} requests")

    check_attribute(base, jurisdiction, request_id, fmt)
    ok(f"extensions=true: {ATTRIBUTE} = {DEPTH}")


def main():
    server = os.environ.get("SEMNAL_URL", "").rstrip("/")
    api_key = os.environ.get("SEMNAL_API_KEY", "")
    jurisdiction = os.environ.get("SEMNAL_JURISDICTION", "alba-iulia")
    if not server or not api_key:
        sys.exit("georeport_check: set SEMNAL_URL and SEMNAL_API_KEY")
    base = f"{server}/open311/v2"
    print(f"georeport {GEOREPORT_VERSION} against {base}", flush=True)
    for fmt in ("xml", "json"):
        try:
            run(fmt, base, api_key, jurisdiction)
        except Mismatch as e:
            sys.exit(f"georeport_check FAILED ({fmt}): {e}")
        except requests.HTTPError as e:
            body = e.response.text[:500] if e.response is not None else ""
            sys.exit(f"georeport_check FAILED ({fmt}): {e}\n{body}")
        except Exception as e:  # noqa: BLE001 (a client crash is a failure to report, with its cause)
            sys.exit(f"georeport_check FAILED ({fmt}): {type(e).__name__}: {e}")
    print("georeport_check: georeport read services, definitions and requests in XML and JSON")


if __name__ == "__main__":
    main()
