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

import json

import requests
import xmltodict
from georeport import GeoReport, __version__ as GEOREPORT_VERSION

from common import (  # noqa: E402
    ATTRIBUTE, DEPTH, LAT, LONG, PHOTO, SERVICE, TIMEOUT, as_list, check, check_attributes,
    check_photo, check_request, get_extended, main, passed,
)


def parse(body, fmt):
    """A service_requests answer, as a list of requests."""
    if fmt == "json":
        found = json.loads(body)
        check(isinstance(found, list), f"expected a JSON array, got {str(found)[:300]}")
        return found
    root = xmltodict.parse(body)
    check("service_requests" in root,
          f"expected <service_requests>, got {body[:300].decode('utf-8', 'replace')}")
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
    created = parse(response.content, fmt)
    check(len(created) == 1, f"POST {url}: expected one request, got {created!r}")
    request_id = created[0].get("service_request_id")
    check(
        isinstance(request_id, str) and request_id,
        f"POST {url}: no service_request_id in {created[0]!r}",
    )
    return request_id


def check_attribute(base, jurisdiction, request_id, fmt):
    """The answer to `depth_cm`, through a plain GET with extensions=true."""
    where, body = get_extended(base, jurisdiction, request_id, fmt)
    found = parse(body, fmt)
    check(len(found) == 1, f"{where}: expected one request, got {len(found)}")
    check_attributes(found[0], where, {ATTRIBUTE: DEPTH})


def run(fmt, base, api_key, jurisdiction):
    ok = passed(fmt)
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
    media_url = check_request(request, request_id, f"get_service_request({request_id!r})")
    size = check_photo(media_url)
    ok(f"get_service_request: {SERVICE} at {request.get('lat')}, {request.get('long')}; "
       f"media_url is a JPEG of {size} bytes")

    listed = as_list(client.get_service_requests(service_request_id=request_id))
    check(len(listed) == 1, f"get_service_requests(service_request_id={request_id!r}): got {len(listed)}")
    check_request(listed[0], request_id, f"get_service_requests(service_request_id={request_id!r})")
    recent = as_list(client.get_service_requests(service_code=SERVICE, status="open"))
    check(request_id in [r.get("service_request_id") for r in recent],
          f"get_service_requests(service_code={SERVICE!r}, status='open'): {request_id} is missing")
    ok(f"get_service_requests: by id, and among {len(recent)} open {SERVICE} requests")

    check_attribute(base, jurisdiction, request_id, fmt)
    ok(f"extensions=true: {ATTRIBUTE} = {DEPTH}")


def explain(e):
    if isinstance(e, requests.HTTPError):
        body = e.response.text[:500] if e.response is not None else ""
        return f"{e}\n{body}"
    return None


if __name__ == "__main__":
    main("georeport_check", f"georeport {GEOREPORT_VERSION}", run,
         "georeport read services, definitions and requests in XML and JSON",
         formats=("xml", "json"), explain=explain)
