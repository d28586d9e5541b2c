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

from civicbot import __version__ as CIVICBOT_VERSION
from civicbot import Endpoint, HttpError, Open311Client, ValidationError

from common import (  # noqa: E402
    ATTRIBUTE as DEPTH_ATTRIBUTE, DEPTH, LAT, LONG, SERVICE, check, check_attributes, check_request,
    get_extended, main, one, passed,
)

# Sent when the definition offers it (a singlevaluelist), so civicbot validates a list value.
POSITION_ATTRIBUTE, POSITION = "position", "traffic_lane"
# A photo hosted by the client: the server must keep the address and answer with it.
MEDIA_URL = "https://photos.example.org/open311-client-check/civicbot-pothole.jpg"


def run(fmt, base, api_key, jurisdiction):
    ok = passed(fmt)
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
    request_id = one(created, f"POST {prepared.url}").get("service_request_id")
    check(isinstance(request_id, str) and request_id,
          f"POST {prepared.url}: no service_request_id in {created[0]!r}")
    sent = ", ".join(k for k in prepared.form if k.startswith("attribute["))
    ok(f"create_request: POST (urlencoded, {sent}, media_url) filed {request_id}")

    check_request(client.get_request(request_id), request_id, f"get_request({request_id!r})", MEDIA_URL)
    ok(f"get_request: {SERVICE} at {LAT}, {LONG}, media_url as sent")

    listed = client.list_requests(service_request_ids=[request_id])
    check(isinstance(listed, list) and len(listed) == 1,
          f"list_requests(service_request_ids=[{request_id!r}]): got {str(listed)[:300]}")
    check_request(listed[0], request_id, f"list_requests(service_request_ids=[{request_id!r}])",
                  MEDIA_URL)
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

    where, body = get_extended(base, jurisdiction, request_id, fmt)
    check_attributes(one(json.loads(body), where), where, attributes)
    ok(f"extensions=true: {', '.join(f'{k} = {v}' for k, v in attributes.items())}")


def explain(e):
    if isinstance(e, ValidationError):
        return f"civicbot refused to file against the server's own definition: {e}"
    if isinstance(e, HttpError):
        return f"HTTP {e.status} for {e.url}\n{e.body[:500]}"
    return None


if __name__ == "__main__":
    main("civicbot_check", f"civicbot {CIVICBOT_VERSION}", run,
         "civicbot filed a request with attributes and a media_url, and read it back",
         explain=explain)
