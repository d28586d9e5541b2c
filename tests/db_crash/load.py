"""A write load for scripts/db-crash-check: CLIENTS threads file JSON reports as fast as the
server answers, for SECONDS, each with a fresh Idempotency-Key, and record every answer.

Writes one line per answer to OUT: `<seconds since start> <status> <tracking number or ->`.
Connection errors are recorded with status 0. Standard library only."""

import json
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

URL, CLIENTS, SECONDS, OUT = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
# Inside Alba Iulia's centre zone.
REPORT = {"category": "pothole", "lat": 46.07, "lon": 23.583, "description": "load"}

lines = []
lock = threading.Lock()
start = time.monotonic()


def client():
    while time.monotonic() - start < SECONDS:
        body = json.dumps(REPORT).encode()
        request = urllib.request.Request(
            URL + "/api/v1/incidents",
            data=body,
            headers={"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())},
        )
        tracking = "-"
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
                tracking = json.load(response)["tracking_number"]
        except urllib.error.HTTPError as e:
            status = e.code
            e.read()
            if status == 503:
                # A client that can act on the answer waits as long as it is told to.
                time.sleep(min(float(e.headers.get("Retry-After", "1")), 1.0))
        except (urllib.error.URLError, OSError):
            status = 0
            time.sleep(0.1)
        with lock:
            lines.append(f"{time.monotonic() - start:.3f} {status} {tracking}")


threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(OUT, "w") as out:
    out.write("\n".join(lines) + "\n")
