#!/usr/bin/env bash
# Intake throughput without photos, against a running release server.
#
# Usage: DATABASE_URL=postgres://… benches/intake_load.sh
#
# DATABASE_URL names a PostgreSQL server with PostGIS available and a role allowed to
# create databases; the database `bench_intake` is created on that same server (dropped
# first if it exists, and dropped again at the end). This script does nothing about the
# server itself: its durability settings (fsync, synchronous_commit) are printed, since
# they decide what a POST costs.
#
# Builds the release binary, migrates and seeds the demo municipality into bench_intake,
# starts `semnal serve` on 127.0.0.1:18080 and runs wrk (2 threads, 4 connections, 20 s
# each, --latency) against, in this order:
#   1. GET  /healthz                          the HTTP floor of this server
#   2. GET  /api/v1/incidents/nearby?…        in-memory index read, index still empty
#   3. POST /api/v1/incidents (JSON)          intake: validation, zone routing, one
#                                             PostgreSQL transaction, index insert
#   4. GET  /api/v1/incidents/nearby?…        the same read, now with every incident of
#                                             run 3 inside the 200 m radius
# Then it checks that every POST got a 2xx and that the database holds as many incidents as
# run 3 completed requests (plus, at most, those still in flight when wrk stopped: wrk
# abandons them unread, but the server may have committed them). Override the run length with WRK_DURATION (e.g. 5s).
# shellcheck disable=SC2317 # (the trap handler is invoked indirectly)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL server to use}"
ADMIN_URL=$DATABASE_URL
DB_NAME=bench_intake
LISTEN=127.0.0.1:18080
BASE=http://$LISTEN
THREADS=2
CONNECTIONS=4
DURATION=${WRK_DURATION:-20s}
LAT=46.07
LON=23.583
NEARBY_PATH="/api/v1/incidents/nearby?lat=$LAT&lon=$LON&radius_m=200"

# The same URL with the database name replaced (keeps host, user and query parameters).
url_re='^(postgres(ql)?://[^/?]*)(/[^?]*)?(\?.*)?$'
if [[ ! $ADMIN_URL =~ $url_re ]]; then
    echo "DATABASE_URL is not a postgres:// URL" >&2
    exit 2
fi
BENCH_URL="${BASH_REMATCH[1]}/$DB_NAME${BASH_REMATCH[4]}"

step() { printf '\n==> %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
    step "installing wrk"
    apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
for tool in psql curl; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done
if curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then
    echo "something already answers on $LISTEN; stop it first" >&2
    exit 2
fi

WORK=$(mktemp -d /tmp/semnal-intake-bench.XXXXXX)
SERVER_PID=
DB_CREATED=0

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if ((DB_CREATED)); then
        psql "$ADMIN_URL" -qX -v ON_ERROR_STOP=1 \
            -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null || true
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "cargo build --release"
# The query macros are checked against the committed .sqlx data, not against DATABASE_URL.
SQLX_OFFLINE=true cargo build --release
BIN=$ROOT/target/release/semnal

step "creating database $DB_NAME"
psql "$ADMIN_URL" -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
psql "$ADMIN_URL" -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB_NAME"
DB_CREATED=1
DURABILITY=$(psql "$BENCH_URL" -AtX -c \
    "SELECT 'fsync=' || current_setting('fsync') || ', synchronous_commit=' \
            || current_setting('synchronous_commit') || ', full_page_writes=' \
            || current_setting('full_page_writes') || ' (PostgreSQL ' \
            || current_setting('server_version') || ')'")
echo "server: $DURABILITY" >&2

# Run from the scratch folder so that no semnal.toml of the working tree is read.
(cd "$WORK" && DATABASE_URL=$BENCH_URL RUST_LOG=warn "$BIN" migrate)
(cd "$WORK" && DATABASE_URL=$BENCH_URL RUST_LOG=warn "$BIN" seed-demo)

step "starting semnal serve on $LISTEN"
(
    cd "$WORK"
    DATABASE_URL=$BENCH_URL SEMNAL_DATA_DIR=$WORK/data RUST_LOG=warn \
        exec "$BIN" serve --listen "$LISTEN"
) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$BASE/readyz" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        cat "$WORK/server.log" >&2
        echo "the server exited before it was ready" >&2
        exit 1
    fi
    sleep 0.5
done
curl -fsS -o /dev/null "$BASE/readyz" || { cat "$WORK/server.log" >&2; exit 1; }

open_incidents() {
    curl -fsS "$BASE/readyz" | grep -o '"open_incidents":[0-9]*' | cut -d: -f2
}

# done() prints one machine-readable line. `request` and `response` (which make wrk call
# Lua for every request and hand it every response) are defined only for the POST run,
# where requests sent are counted and each status is checked.
REPORT_LUA='
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local bad, sent = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non2xx") or 0)
    sent = sent + (t:get("sent") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d sent=%d duration_us=%d non2xx=%d status_ge_400=%d socket_errors=%d p50_us=%.0f p99_us=%.0f\n",
    summary.requests, sent, summary.duration, bad, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
'
printf '%s' "$REPORT_LUA" >"$WORK/get.lua"
cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"category":"pothole","lat":46.07,"lon":23.583,"description":"Groapă"}'
wrk.headers["Content-Type"] = "application/json"
local req
function init(args) non2xx = 0; sent = 0; req = wrk.format() end
function request() sent = sent + 1; return req end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
LUA
printf '%s' "$REPORT_LUA" >>"$WORK/post.lua"

declare -a SUMMARY=()
POST_REQUESTS=
POST_NON2XX=
POST_SOCKET_ERRORS=
POST_SENT=

# run NAME SCRIPT PATH: one wrk run; appends a summary row.
run() {
    local name=$1 script=$2 path=$3 out result
    step "wrk: $name ($DURATION, $THREADS threads, $CONNECTIONS connections)"
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$BASE$path")
    printf '%s\n' "$out" | grep -v '^RESULT' >&2
    result=$(printf '%s\n' "$out" | grep '^RESULT')
    local requests duration non2xx ge400 sockerr p50 p99
    requests=$(field requests "$result")
    duration=$(field duration_us "$result")
    non2xx=$(field non2xx "$result")
    ge400=$(field status_ge_400 "$result")
    sockerr=$(field socket_errors "$result")
    p50=$(field p50_us "$result")
    p99=$(field p99_us "$result")
    if [[ $script == *post.lua ]]; then
        POST_REQUESTS=$requests POST_NON2XX=$non2xx POST_SOCKET_ERRORS=$sockerr
        POST_SENT=$(field sent "$result")
    else
        non2xx="$ge400 (≥400)"
    fi
    SUMMARY+=("$(awk -v n="$name" -v r="$requests" -v d="$duration" -v a="$p50" -v b="$p99" \
        -v x="$non2xx" -v s="$sockerr" 'BEGIN {
            printf "| %s | %d | %.0f | %.2f | %.2f | %s | %d |", n, r, r / (d / 1e6), a / 1e3, b / 1e3, x, s }')")
}
field() { grep -o "$1=[0-9]*" <<<"$2" | cut -d= -f2; }

run "GET /healthz (HTTP floor)" "$WORK/get.lua" /healthz
before=$(open_incidents)
run "GET nearby, $before open incidents in the index" "$WORK/get.lua" "$NEARBY_PATH"
run "POST /api/v1/incidents (JSON, no photos)" "$WORK/post.lua" /api/v1/incidents
# Requests still in flight when wrk stopped are not counted by wrk; give them time to end.
sleep 2
STORED=$(psql "$BENCH_URL" -AtX -c "SELECT count(*) FROM incidents")
after=$(open_incidents)
run "GET nearby, $after open incidents in the radius" "$WORK/get.lua" "$NEARBY_PATH"

step "summary"
echo
echo "semnal $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock migrations || echo ' + uncommitted changes'), $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p')"
echo "PostgreSQL: $DURABILITY"
echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per run, same machine as the server"
echo
echo "| run | requests | req/s | p50 ms | p99 ms | non-2xx | socket errors |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${SUMMARY[@]}"
echo
# wrk stops on a timer and abandons the requests then in flight (at most one per
# connection) without reading their replies; the server may still commit them. So the
# database must hold at least the completed requests and at most the sent ones.
echo "POST: wrk sent $POST_SENT requests and completed $POST_REQUESTS ($POST_NON2XX non-2xx, $POST_SOCKET_ERRORS socket errors); the database holds $STORED incidents."
status=0
if ((POST_NON2XX != 0)); then
    echo "Check: FAILED ($POST_NON2XX POST responses were not 2xx)."
    status=1
elif ((STORED == POST_REQUESTS)); then
    echo "Check: OK (incidents stored = completed POST requests, all 2xx)."
elif ((STORED > POST_REQUESTS && STORED <= POST_SENT)); then
    echo "Check: OK (incidents stored = completed POST requests + $((STORED - POST_REQUESTS)) of the $((POST_SENT - POST_REQUESTS)) in flight when wrk stopped; all completed ones 2xx)."
else
    echo "Check: FAILED (stored $STORED is outside [completed $POST_REQUESTS, sent $POST_SENT])."
    status=1
fi
exit "$status"
