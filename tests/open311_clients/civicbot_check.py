"""semnal's Open311 GeoReport v2 server, as a client we did not write files a request with it.

The client is `civicbot` from PyPI (scripts/open311-clients installs the pinned version in a
virtualenv and runs this file with it), unmodified, in JSON (its only format). Its
`Open311Client` lists the services and finds `pothole`, reads its definition and finds the
attribute `depth_cm` (and `position`, with the value `traffic_lane`, when the definition
offers it), then files a request itself: civicbot validates the attributes against the live
definition and POSTs a form-urlencoded body with `attribute[depth_cm]`,
`attribute[position]` and a `media_url` (a photo hosted elsewhere, whose address the server
keeps and answers with). The request is read back with civicbot (`get_request`,
`list_requests` by id and by service and status, and `get_token` when the POST answered with
a token): its service, position and media_url. The attributes are read back with a plain GET
with `extensions=true`, which civicbot does not send.

Environment: SEMNAL_URL (the server, e.g. http://127.0.0.1:8080), SEMNAL_API_KEY (a key from
`semnal api-keys create`), SEMNAL_JURISDICTION (default alba-iulia; sent as jurisdiction_id).
Exits 1 with a message naming the step at the first mismatch.
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

from civicbot import __version__ as CIVICBOT_VERSION
from civicbot import Endpoint, HttpError, Open311Client, ValidationError

SERVICE = "pothole"
DEPTH_ATTRIBUTE, DEPTH = "depth_cm", 12
# Sent when the definition offers it (a singlevaluelist), so civicbot validates a list value.
POSITION_ATTRIBUTE, POSITION = "position", "traffic_lane"
# A photo hosted by the client: the server must keep the address and answer with it.
MEDIA_URL = "https://photos.example.org/open311-client-check/civicbot-pothole.jpg"
# In the `centru` zone of Alba Iulia.
LAT, LONG = 46.07, 23.583
TIMEOUT = 30


class Mismatch(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Mismatch(message)


def as_float(value, what):
    try:
        return float(value)
    except (TypeError, ValueError):
        raise Mismatch(f"{what} is {value!r}, not a number") from None


def check_request(request, request_id, where):
    check(isinstance(request, dict), f"{where}: expected a request object, got {request!r}")
    check(request.get("service_request_id") == request_id,
          f"{where}: service_request_id {request.get('service_request_id')!r}, expected {request_id!r}")
    check(request.get("service_code") == SERVICE,
          f"{where}: service_code {request.get('service_code')!r}, expected {SERVICE!r}")
    lat = as_float(request.get("lat"), f"{where}: lat")
    long = as_float(request.get("long"), f"{where}: long")
    check(abs(lat - LAT) < 1e-6 and abs(long - LONG) < 1e-6,
          f"{where}: lat/long {lat}, {long}, expected {LAT}, {LONG}")
    check(request.get("media_url") == MEDIA_URL,
          f"{where}: media_url {request.get('media_url')!r}, expected the one sent, {MEDIA_URL!r}")


def plain_get_json(url, params):
    """A GET outside civicbot (stdlib only), for what civicbot cannot ask."""
    full = f"{url}?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(
            urllib.request.Request(full, headers={"Accept": "application/json"}), timeout=TIMEOUT
        ) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        raise Mismatch(f"GET {full} answered {e.code}: {e.read()[:500]!r}") from None


def check_attributes(base, jurisdiction, request_id, sent):
    """The answers to the attributes, through a plain GET with extensions=true."""
    url = f"{base}/requests/{request_id}.json"
    where = f"GET {url}?extensions=true"
    found = plain_get_json(url, {"extensions": "true", "jurisdiction_id": jurisdiction})
    check(isinstance(found, list) and len(found) == 1,
          f"{where}: expected a JSON array of one request, got {str(found)[:300]}")
    extended = found[0].get("extended_attributes")
    check(isinstance(extended, dict), f"{where}: no extended_attributes in {str(found[0])[:300]}")
    answers = {a.get("code"): a.get("value") for a in extended.get("attributes") or []}
    for code, value in sent.items():
        check(code in answers, f"{where}: no attribute {code} among {sorted(answers)}")
        if isinstance(value, (int, float)):
            got = as_float(answers[code], f"{where}: attribute {code}")
        else:
            got = answers[code]
        check(got == value, f"{where}: {code} is {answers[code]!r}, expected {value!r}")


def run(base, api_key, jurisdiction):
    def ok(message):
        print(f"  ok json: {message}", flush=True)

    endpoint = Endpoint(id="semnal", name="semnal (Open311 client check)", base_url=base, write=True)
    client = Open311Client(endpoint, jurisdiction_id=jurisdiction)

    services = client.list_services()
    codes = [s.get("service_code") for s in services]
    check(SERVICE in codes, f"list_services: no {SERVICE!r} among {codes}")
    pothole = services[codes.index(SERVICE)]
    check(pothole.get("metadata") is True,
          f"list_services: {SERVICE} has metadata={pothole.get('metadata')!r}, expected true")
    ok(f"list_services: {len(services)} services, {SERVICE} has metadata")

    definition = client.get_service_definition(SERVICE)
    check(isinstance(definition, dict) and definition.get("service_code") == SERVICE,
          f"get_service_definition({SERVICE!r}): got {str(definition)[:300]}")
    by_code = {a.get("code"): a for a in definition.get("attributes") or []}
    check(DEPTH_ATTRIBUTE in by_code,
          f"get_service_definition({SERVICE!r}): no attribute {DEPTH_ATTRIBUTE} among {sorted(by_code)}")
    datatype = by_code[DEPTH_ATTRIBUTE].get("datatype")
    check(datatype == "number",
          f"get_service_definition: {DEPTH_ATTRIBUTE} has datatype {datatype!r}, expected 'number'")
    attributes = {DEPTH_ATTRIBUTE: DEPTH}
    position = by_code.get(POSITION_ATTRIBUTE) or {}
    if POSITION in [str(v.get("key")) for v in position.get("values") or []]:
        attributes[POSITION_ATTRIBUTE] = POSITION
    ok(f"get_service_definition: attributes {sorted(by_code)}; sending {attributes}")

    # civicbot files only with all three of dry_run=False, confirm="SEND" and an api_key;
    # validate_remote=True checks the attributes against the definition it reads again.
    prepared = client.create_request(
        SERVICE, dry_run=False, confirm="SEND", api_key=api_key, validate_remote=True,
        lat=LAT, lng=LONG, attributes=attributes, media_url=MEDIA_URL,
        description="Open311 client check (civicbot): deep pothole",
    )
    for code in attributes:
        check(f"attribute[{code}]" in prepared.form,
              f"create_request: civicbot did not send attribute[{code}] ({sorted(prepared.form)})")
    created = prepared.response
    check(isinstance(created, list) and len(created) == 1,
          f"POST {prepared.url}: expected a JSON array of one request, got {str(created)[:300]}")
    request_id = created[0].get("service_request_id")
    check(isinstance(request_id, str) and request_id,
          f"POST {prepared.url}: no service_request_id in {created[0]!r}")
    sent = ", ".join(k for k in prepared.form if k.startswith("attribute["))
    ok(f"create_request: POST (urlencoded, {sent}, media_url) filed {request_id}")

    check_request(client.get_request(request_id), request_id, f"get_request({request_id!r})")
    ok(f"get_request: {SERVICE} at {LAT}, {LONG}, media_url as sent")

    listed = client.list_requests(service_request_ids=[request_id])
    check(isinstance(listed, list) and len(listed) == 1,
          f"list_requests(service_request_ids=[{request_id!r}]): got {str(listed)[:300]}")
    check_request(listed[0], request_id, f"list_requests(service_request_ids=[{request_id!r}])")
    recent = client.list_requests(service_code=SERVICE, status="open")
    check(request_id in [r.get("service_request_id") for r in recent],
          f"list_requests(service_code={SERVICE!r}, status='open'): {request_id} is missing")
    ok(f"list_requests: by id, and among {len(recent)} open {SERVICE} requests")

    # The specification lets a server answer a POST with a token instead of (or beside) the
    # id; civicbot's get_token turns it into the id. semnal answers with the id at once.
    token = created[0].get("token")
    if token:
        found = client.get_token(token)
        check(isinstance(found, list) and len(found) == 1
              and found[0].get("service_request_id") == request_id,
              f"get_token({token!r}): expected [{{service_request_id: {request_id!r}}}], got {found!r}")
        ok(f"get_token: {token} -> {request_id}")
    else:
        ok("no token in the POST answer (the id is given at once), so get_token is not needed")

    check_attributes(base, jurisdiction, request_id, attributes)
    ok(f"extensions=true: {', '.join(f'{k} = {v}' for k, v in attributes.items())}")


def main():
    server = os.environ.get("SEMNAL_URL", "").rstrip("/")
    api_key = os.environ.get("SEMNAL_API_KEY", "")
    jurisdiction = os.environ.get("SEMNAL_JURISDICTION", "alba-iulia")
    if not server or not api_key:
        sys.exit("civicbot_check: set SEMNAL_URL and SEMNAL_API_KEY")
    base = f"{server}/open311/v2"
    print(f"civicbot {CIVICBOT_VERSION} against {base}", flush=True)
    try:
        run(base, api_key, jurisdiction)
    except Mismatch as e:
        sys.exit(f"civicbot_check FAILED (json): {e}")
    except ValidationError as e:
        sys.exit(f"civicbot_check FAILED (json): civicbot refused to file against the "
                 f"server's own definition: {e}")
    except HttpError as e:
        sys.exit(f"civicbot_check FAILED (json): HTTP {e.status} for {e.url}\n{e.body[:500]}")
    except Exception as e:  # noqa: BLE001 (a client crash is a failure to report, with its cause)
        sys.exit(f"civicbot_check FAILED (json): {type(e).__name__}: {e}")
    print("civicbot_check: civicbot filed a request with attributes and a media_url, and read it back")


if __name__ == "__main__":
    main()
