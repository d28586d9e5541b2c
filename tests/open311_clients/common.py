"""What the Open311 client checks share (georeport_check.py, civicbot_check.py, three_check.py).

The request each check files and reads back (service, attribute, position, photo), the checks of
what comes back, the plain GETs made outside the client under test, and `main`: the settings
from the environment, the run in each format and the report of the first failure. Standard
library only: civicbot, unlike georeport and three, does not depend on `requests`.

The checks are run as files (by scripts/open311-clients), so their directory, this one, is the
first entry of sys.path and `from common import ...` finds this module.
"""

import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PHOTO = Path(__file__).resolve().parents[2] / "fixtures" / "photos" / "pothole-gps.jpg"
SERVICE = "pothole"
ATTRIBUTE = "depth_cm"
DEPTH = 12
# The photo's own GPS point, in the `centru` zone of Alba Iulia: where every check files.
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


def one(found, where):
    check(isinstance(found, list) and len(found) == 1,
          f"{where}: expected a JSON array of one request, got {str(found)[:300]}")
    return found[0]


def plain_get(url, params=None, accept=None):
    """A GET outside the client under test: (content type, body). Not 200 is a Mismatch."""
    full = f"{url}?{urllib.parse.urlencode(params)}" if params else url
    headers = {"Accept": accept} if accept else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(full, headers=headers),
                                    timeout=TIMEOUT) as response:
            return response.headers.get("content-type", ""), response.read()
    except urllib.error.HTTPError as e:
        raise Mismatch(f"GET {full} answered {e.code}: {e.read()[:500]!r}") from None


def check_request(request, request_id, where, media_url=None):
    """A request read back: its id, service, position and media_url, which is the one sent, or
    without one sent, the address of the photo uploaded. Returns the media_url."""
    check(isinstance(request, dict), f"{where}: expected a request object, got {str(request)[:300]}")
    check(request.get("service_request_id") == request_id,
          f"{where}: service_request_id {request.get('service_request_id')!r}, expected {request_id!r}")
    check(request.get("service_code") == SERVICE,
          f"{where}: service_code {request.get('service_code')!r}, expected {SERVICE!r}")
    lat = as_float(request.get("lat"), f"{where}: lat")
    long = as_float(request.get("long"), f"{where}: long")
    check(abs(lat - LAT) < 1e-6 and abs(long - LONG) < 1e-6,
          f"{where}: lat/long {lat}, {long}, expected {LAT}, {LONG}")
    got = request.get("media_url")
    if media_url is None:
        check(isinstance(got, str) and got.startswith("http"),
              f"{where}: media_url is {got!r}, expected the uploaded photo's URL")
    else:
        check(got == media_url, f"{where}: media_url {got!r}, expected the one sent, {media_url!r}")
    return got


def check_photo(media_url):
    """The photo at a media_url must download as a JPEG. Returns its size."""
    content_type, body = plain_get(media_url)
    check(content_type.split(";")[0].strip() == "image/jpeg",
          f"GET {media_url}: content-type {content_type!r}, expected image/jpeg")
    check(body[:3] == b"\xff\xd8\xff",
          f"GET {media_url}: the body is not a JPEG (starts {body[:8]!r})")
    return len(body)


def get_extended(base, jurisdiction, request_id, fmt):
    """requests/{id}.{fmt} with extensions=true (which the clients do not send), by a plain GET:
    where (for the messages) and the body."""
    url = f"{base}/requests/{request_id}.{fmt}"
    where = f"GET {url}?extensions=true"
    _, body = plain_get(url, {"extensions": "true", "jurisdiction_id": jurisdiction},
                        accept=f"application/{fmt}")
    return where, body


def check_attributes(request, where, sent):
    """The answers in the request's extended_attributes: those of `sent` (code: value; a
    number compares as a number)."""
    extended = request.get("extended_attributes")
    check(isinstance(extended, dict), f"{where}: no extended_attributes in {str(request)[:300]}")
    attributes = extended.get("attributes")
    if isinstance(attributes, dict):  # XML through xmltodict: <attributes><attribute>...
        attributes = as_list(attributes.get("attribute"))
    answers = {a.get("code"): a.get("value") for a in attributes or []}
    for code, value in sent.items():
        check(code in answers, f"{where}: no attribute {code} among {sorted(answers)}")
        if isinstance(value, (int, float)):
            got = as_float(answers[code], f"{where}: attribute {code}")
        else:
            got = answers[code]
        check(got == value, f"{where}: {code} is {answers[code]!r}, expected {value!r}")


def passed(fmt):
    """The report of a step that passed, in the format fmt."""
    def ok(message):
        print(f"  ok {fmt}: {message}", flush=True)
    return ok


def main(name, client, run, done, formats=("json",), path="/open311/v2", explain=None):
    """Runs run(fmt, base, api_key, jurisdiction) for each format against SEMNAL_URL + path,
    then prints `{name}: {done}`. Exits 1 at the first failure, with `{name} FAILED ({fmt}): `
    and the mismatch, else what explain(exception) says of it, else the exception's type and
    text (a client crash is a failure to report, with its cause).

    Environment: SEMNAL_URL (the server, e.g. http://127.0.0.1:8080), SEMNAL_API_KEY (a key from
    `semnal api-keys create`), SEMNAL_JURISDICTION (default alba-iulia; sent as jurisdiction_id).
    """
    server = os.environ.get("SEMNAL_URL", "").rstrip("/")
    api_key = os.environ.get("SEMNAL_API_KEY", "")
    jurisdiction = os.environ.get("SEMNAL_JURISDICTION", "alba-iulia")
    if not server or not api_key:
        sys.exit(f"{name}: set SEMNAL_URL and SEMNAL_API_KEY")
    base = f"{server}{path}"
    print(f"{client} against {base}", flush=True)
    for fmt in formats:
        try:
            run(fmt, base, api_key, jurisdiction)
        except Mismatch as e:
            sys.exit(f"{name} FAILED ({fmt}): {e}")
        except Exception as e:  # noqa: BLE001 (a client crash is a failure to report, with its cause)
            said = explain(e) if explain else None
            sys.exit(f"{name} FAILED ({fmt}): {said or f'{type(e).__name__}: {e}'}")
    print(f"{name}: {done}")
