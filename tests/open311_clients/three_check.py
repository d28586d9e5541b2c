"""semnal's Open311 GeoReport v2 server, as a client we did not write uploads a photo with it.

The client is `three` from PyPI (codeforamerica's Open311 wrapper; scripts/open311-clients
installs the pinned version in a virtualenv and runs this file with it), unmodified, in JSON:
its XML reading does not work on Python 3 (`relaxml`), whatever the server answers. With it,
this lists the services and finds `pothole`, reads its definition and finds the attribute
`depth_cm`, then files a request with `Three.post`, which sends a multipart form with
`attribute[depth_cm]` and the photo fixtures/photos/pothole-gps.jpg as the part `media`
(named by the file, with no content type of its own). The request is read back with three
(`request`, `requests` by id and by service and status, `token` when the POST answered with
a token): its service and position, its media_url (which must download as a JPEG) and, with
`extensions=true` passed through three, the attribute.

`three` 0.8.0 is Python 2 code: its core module imports `itertools.ifilter`, which Python 3
renamed `filter`. That one name is set on `itertools` below, before the import; the
package's files are not changed.

Environment: SEMNAL_URL (the server, e.g. http://127.0.0.1:8080), SEMNAL_API_KEY (a key from
`semnal api-keys create`), SEMNAL_JURISDICTION (default alba-iulia; sent as jurisdiction_id).
Exits 1 with a message naming the step at the first mismatch.
"""

import itertools
from importlib.metadata import version

# Runtime shim, ours and not three's: three/core.py does `from itertools import ifilter`
# (Python 2); on Python 3 the same function is the builtin `filter`. Must precede the import.
itertools.ifilter = filter

from three import Three  # noqa: E402 (after the shim above)

from common import (  # noqa: E402
    ATTRIBUTE, DEPTH, LAT, LONG, PHOTO, SERVICE, check, check_attributes, check_photo,
    check_request, main, one, passed,
)


def answered(client, where):
    """three parses whatever came back; the status of its last GET, for the messages."""
    response = getattr(client, "_request", None)
    check(response is not None, f"{where}: three made no request")
    check(response.status_code == 200,
          f"{where} answered {response.status_code}: {response.text[:500]}")


def run(fmt, base, api_key, jurisdiction):
    ok = passed(fmt)
    client = Three(base, api_key=api_key, jurisdiction=jurisdiction, format="json")

    services = client.services()
    answered(client, "services()")
    check(isinstance(services, list), f"services(): expected a JSON array, got {str(services)[:300]}")
    codes = [s.get("service_code") for s in services]
    check(SERVICE in codes, f"services(): no {SERVICE!r} among {codes}")
    pothole = services[codes.index(SERVICE)]
    check(pothole.get("metadata") is True,
          f"services(): {SERVICE} has metadata={pothole.get('metadata')!r}, expected true")
    ok(f"services(): {len(services)} services, {SERVICE} has metadata")

    definition = client.services(SERVICE)
    answered(client, f"services({SERVICE!r})")
    check(isinstance(definition, dict) and definition.get("service_code") == SERVICE,
          f"services({SERVICE!r}): got {str(definition)[:300]}")
    by_code = {a.get("code"): a for a in definition.get("attributes") or []}
    check(ATTRIBUTE in by_code,
          f"services({SERVICE!r}): no attribute {ATTRIBUTE} among {sorted(by_code)}")
    check(by_code[ATTRIBUTE].get("datatype") == "number",
          f"services({SERVICE!r}): {ATTRIBUTE} has datatype {by_code[ATTRIBUTE].get('datatype')!r}")
    ok(f"services({SERVICE!r}): attribute {ATTRIBUTE} (number)")

    # three sends every keyword as a form field (the attribute's name is not a Python
    # identifier, hence the dict) and `media` as a file part: a multipart POST.
    with PHOTO.open("rb") as photo:
        created = client.post(
            SERVICE, lat=LAT, long=LONG, description="Open311 client check (three): deep pothole",
            media=photo, **{f"attribute[{ATTRIBUTE}]": str(DEPTH)},
        )
    posted = client.post_response
    where = f"post({SERVICE!r}) to {posted.url}"
    content_type = posted.request.headers.get("content-type", "")
    check(content_type.startswith("multipart/form-data"),
          f"{where}: three sent {content_type!r}, expected multipart/form-data")
    check(posted.status_code == 200, f"{where} answered {posted.status_code}: {posted.text[:500]}")
    request_id = one(created, where).get("service_request_id")
    check(isinstance(request_id, str) and request_id,
          f"{where}: no service_request_id in {created[0]!r}")
    ok(f"post({SERVICE!r}): multipart, attribute[{ATTRIBUTE}], media {PHOTO.name}; filed {request_id}")

    request = client.request(request_id)
    answered(client, f"request({request_id!r})")
    request = one(request, f"request({request_id!r})")
    media_url = check_request(request, request_id, f"request({request_id!r})")
    size = check_photo(media_url)
    ok(f"request({request_id!r}): {SERVICE} at {request.get('lat')}, {request.get('long')}; "
       f"media_url is a JPEG of {size} bytes")

    listed = client.requests(service_request_id=request_id)
    answered(client, f"requests(service_request_id={request_id!r})")
    check_request(one(listed, f"requests(service_request_id={request_id!r})"), request_id,
                  f"requests(service_request_id={request_id!r})")
    recent = client.requests(SERVICE, status="open")
    answered(client, f"requests({SERVICE!r}, status='open')")
    check(isinstance(recent, list) and request_id in [r.get("service_request_id") for r in recent],
          f"requests({SERVICE!r}, status='open'): {request_id} is missing")
    ok(f"requests(): by id, and among {len(recent)} open {SERVICE} requests")

    # A server may answer a POST with a token instead of the id; semnal gives the id at once.
    token = created[0].get("token")
    if token:
        found = client.token(token)
        answered(client, f"token({token!r})")
        found = one(found, f"token({token!r})")
        got = found.get("service_request_id")
        check(got == request_id,
              f"token({token!r}): service_request_id {got!r}, expected {request_id!r}")
        ok(f"token({token!r}) -> {request_id}")
    else:
        ok("no token in the POST answer (the id is given at once), so token() is not needed")

    # three passes unknown keywords on as query parameters.
    where = f"request({request_id!r}, extensions='true')"
    found = client.request(request_id, extensions="true")
    answered(client, where)
    check_attributes(one(found, where), where, {ATTRIBUTE: DEPTH})
    ok(f"extensions=true: {ATTRIBUTE} = {DEPTH}")


if __name__ == "__main__":
    # three joins the paths of its calls to the base: the base ends with a slash.
    main("three_check", f"three {version('three')}", run,
         "three filed a request with an attribute and a photo, and read it back",
         path="/open311/v2/")
