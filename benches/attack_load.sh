#!/usr/bin/env bash
# The server under attack: memory and read latency while pixel bombs and a report flood
# arrive, against the same measurements with no attack, in one run.
#
# Usage: DATABASE_URL=postgres://… benches/attack_load.sh
#
# DATABASE_URL names a PostgreSQL server with PostGIS available and a role allowed to
# create databases; the database `bench_attack` is created on that same server (dropped
# first if it exists, and dropped again at the end). Nothing here touches the server itself.
#
# Builds the release binary (in $CARGO_TARGET_DIR if set; SEMNAL_BIN=path runs that binary
# instead, without building), migrates, loads the demo
# municipality with generated incidents (`semnal seed-demo --incidents $INCIDENTS`, 100,000
# unless set), starts `semnal serve` on 127.0.0.1:18090 (SEMNAL_DATA_DIR in a temporary
# folder, SEMNAL_JURISDICTION=alba-iulia unless set) and writes a pixel bomb: a one-colour
# 11999 × 11999 PNG (about 0.4 MB on the wire, 432 MB of RGB pixels decoded; under the
# default 12000-pixel side limit). Then two phases of PHASE_SECONDS (20) each:
#   1. quiet   two paced probes with wrk (1 thread, PROBE_CONNECTIONS (2) connections each,
#              a pause of PROBE_DELAY_MS (5) ms after every answer, --latency, 30 s timeout):
#              GET /healthz, and GET /tiles/incidents/{z}/{x}/{y}.mvt cycling through a
#              3 × 3 block of tiles at zooms 10, 12, 14, 16, 17 and 18 around Alba Iulia's
#              centre (23.583 E, 46.07 N; 54 URLs)
#   2. attack  the same probes, started RAMP_SECONDS (2) after two attack streams
#              (benches/attack/attack.py, asyncio, keep-alive, each request a valid report
#              with a fresh Idempotency-Key, none waiting for Retry-After) that run until
#              the probes end:
#              - pixel bombs: BOMB_CLIENTS (16) connections, each from its own loopback
#                address (127.0.2.x), POST multipart reports carrying 5 copies of the PNG,
#                one after another (BOMB_TIMEOUT (60) s per request)
#              - report flood: FLOOD_CLIENTS (32) connections from FLOOD_SOURCES (1)
#                loopback addresses (127.0.3.x) POST JSON reports as fast as answers come
# Throughout each phase the server's VmRSS is sampled every 100 ms (after resetting its
# VmHWM through /proc/PID/clear_refs; VmHWM is read at the end too). If the RSS goes over
# RSS_LIMIT_MB (half of MemAvailable at start unless set) the server is killed, so that it
# cannot take the machine down; the summary says so. Other SEMNAL_* variables in the
# environment reach the server (e.g. SEMNAL_MAX_PHOTO_PIXELS to try other limits).
# Prints a markdown summary: per phase the probes' p50/p99 and peak RSS, the attack/quiet
# ratios; per attack stream the answers by status (2xx, 408, 413, 422, 429, 503, other),
# connection errors, requests cut off by the end of the phase, accepted and refused per
# second, and the first body of each refusal status. The probes are paced closed loops (a slow answer delays that connection's next
# request), so under heavy overload the percentiles understate what an open stream of
# users would see.
# shellcheck disable=SC2317 # (the trap handler is invoked indirectly)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL server to use}"
ADMIN_URL=$DATABASE_URL
DB_NAME=bench_attack
PORT=18090
LISTEN=127.0.0.1:$PORT
BASE=http://$LISTEN
INCIDENTS=${INCIDENTS:-100000}
JURISDICTION=${SEMNAL_JURISDICTION:-alba-iulia}
PHASE_SECONDS=${PHASE_SECONDS:-20}
RAMP_SECONDS=${RAMP_SECONDS:-2}
PROBE_CONNECTIONS=${PROBE_CONNECTIONS:-2}
PROBE_DELAY_MS=${PROBE_DELAY_MS:-5}
BOMB_CLIENTS=${BOMB_CLIENTS:-16}
BOMB_PHOTOS=${BOMB_PHOTOS:-5}
BOMB_SIDE=${BOMB_SIDE:-11999}
BOMB_TIMEOUT=${BOMB_TIMEOUT:-60}
FLOOD_CLIENTS=${FLOOD_CLIENTS:-32}
FLOOD_SOURCES=${FLOOD_SOURCES:-1}
LON=23.583
LAT=46.07
ZOOMS="10 12 14 16 17 18"
BLOCK=3 # tiles per side of the block at each zoom
ATTACK=$ROOT/benches/attack/attack.py
if [[ -z ${RSS_LIMIT_MB:-} ]]; then
    RSS_LIMIT_MB=$(awk '/^MemAvailable:/ { printf "%d", $2 / 1024 / 2 }' /proc/meminfo)
fi

url_re='^(postgres(ql)?://[^/?]*)(/[^?]*)?(\?.*)?$'
if [[ ! $ADMIN_URL =~ $url_re ]]; then
    echo "DATABASE_URL is not a postgres:// URL" >&2
    exit 2
fi
BENCH_URL="${BASH_REMATCH[1]}/$DB_NAME${BASH_REMATCH[4]}"

step() { printf '\n==> %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

if ! command -v wrk >/dev/null; then
    step "installing wrk"
    apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
for tool in psql curl awk python3; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done
if curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then
    echo "something already answers on $LISTEN; stop it first" >&2
    exit 2
fi

WORK=$(mktemp -d /tmp/semnal-attack-bench.XXXXXX)
RESULTS=$WORK/results
mkdir -p "$RESULTS"
SERVER_PID=
DB_CREATED=0
declare -a HELPERS=() # load generators and samplers running in the background

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local pid
    for pid in "${HELPERS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        # Photo decoding cannot be interrupted; do not wait for it for long.
        for _ in $(seq 1 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
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

if [[ -n ${SEMNAL_BIN:-} ]]; then
    BIN=$SEMNAL_BIN
    BUILD="binary $BIN of $(date -r "$BIN" '+%Y-%m-%d %H:%M'), not rebuilt; tree at $(git rev-parse --short HEAD)"
else
    step "cargo build --release"
    # The query macros are checked against the committed .sqlx data, not against DATABASE_URL.
    SQLX_OFFLINE=true cargo build --release
    BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/semnal
    BUILD=$(git rev-parse --short HEAD)
fi
git diff --quiet HEAD -- src Cargo.toml Cargo.lock migrations || BUILD+=" + uncommitted changes"

step "creating database $DB_NAME"
psql "$ADMIN_URL" -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
psql "$ADMIN_URL" -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB_NAME"
DB_CREATED=1
SERVER_INFO=$(psql "$BENCH_URL" -AtX -c \
    "SELECT 'PostgreSQL ' || current_setting('server_version') || ', fsync=' \
            || current_setting('fsync') || ', synchronous_commit=' \
            || current_setting('synchronous_commit')")
echo "server: $SERVER_INFO" >&2

# Run from the scratch folder so that no semnal.toml of the working tree is read.
(cd "$WORK" && DATABASE_URL=$BENCH_URL SEMNAL_JURISDICTION=$JURISDICTION RUST_LOG=warn "$BIN" migrate) >&2
step "seed-demo --incidents $INCIDENTS"
(cd "$WORK" && DATABASE_URL=$BENCH_URL SEMNAL_JURISDICTION=$JURISDICTION RUST_LOG=warn \
    "$BIN" seed-demo --incidents "$INCIDENTS") >&2
SEEDED=$(psql "$BENCH_URL" -AtX -c "SELECT count(*) FROM incidents")

step "writing the pixel bomb (${BOMB_SIDE} × ${BOMB_SIDE} PNG)"
started=$(now)
python3 "$ATTACK" png "$WORK/bomb.png" --side "$BOMB_SIDE"
BOMB_BYTES=$(stat -c %s "$WORK/bomb.png")
echo "$BOMB_BYTES bytes in $(since "$started") s" >&2

step "starting semnal serve on $LISTEN"
started=$(now)
(
    cd "$WORK"
    DATABASE_URL=$BENCH_URL SEMNAL_DATA_DIR=$WORK/data SEMNAL_JURISDICTION=$JURISDICTION \
        RUST_LOG=warn exec "$BIN" serve --listen "$LISTEN"
) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
until curl -fsS -o /dev/null "$BASE/readyz" 2>/dev/null; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        cat "$WORK/server.log" >&2
        echo "the server exited before it was ready" >&2
        exit 1
    fi
    if awk -v s="$(since "$started")" 'BEGIN { exit !(s > 600) }'; then
        echo "not ready after 600 s" >&2
        exit 1
    fi
    sleep 0.1
done
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
RSS_READY=$(rss_mb)
echo "ready after $(since "$started") s, RSS $RSS_READY MB (PID $SERVER_PID)" >&2

# The tile URLs: a BLOCK × BLOCK block per zoom around the city's centre.
awk -v lon="$LON" -v lat="$LAT" -v zooms="$ZOOMS" -v block="$BLOCK" 'BEGIN {
    pi = atan2(0, -1); r = lat * pi / 180
    n = split(zooms, zs, " ")
    for (k = 1; k <= n; k++) {
        z = zs[k]; size = 2 ^ z
        cx = int((lon + 180) / 360 * size)
        cy = int((1 - log(sin(r) / cos(r) + 1 / cos(r)) / pi) / 2 * size)
        h = int(block / 2)
        for (x = cx - h; x < cx - h + block; x++)
            for (y = cy - h; y < cy - h + block; y++)
                printf "/tiles/incidents/%d/%d/%d.mvt\n", z, x, y
    }
}' >"$WORK/tiles.txt"
echo /healthz >"$WORK/healthz.txt"
URLS=$(wc -l <"$WORK/tiles.txt")
TILE_STATUSES=$(while read -r path; do curl -s -o /dev/null -w '%{http_code}\n' "$BASE$path"; done \
    <"$WORK/tiles.txt" | sort | uniq -c | awk '{ printf "%s%d × %s", (NR > 1 ? ", " : ""), $1, $2 }')
echo "$URLS tile URLs, first fetch: $TILE_STATUSES" >&2

cat >"$WORK/probe.lua" <<'LUA'
-- Cycles through the paths of the file given after "--", pausing the given number of
-- milliseconds after each answer; the threads start half the list apart. done() prints one
-- machine-readable line.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
local requests, i, pause = {}, 0, 0
function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then requests[#requests + 1] = wrk.format("GET", line) end
  end
  pause = tonumber(args[2]) or 0
  i = ((id or 1) - 1) * math.floor(#requests / 2)
end
function request()
  i = i % #requests + 1
  return requests[i]
end
function delay() return pause end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d status_ge_400=%d socket_errors=%d p50_us=%.0f p99_us=%.0f max_us=%.0f\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
LUA

# probe NAME PATHS_FILE OUT: one paced wrk run of PHASE_SECONDS, in the background.
probe() {
    wrk -t1 -c"$PROBE_CONNECTIONS" -d"${PHASE_SECONDS}s" --timeout 30s --latency \
        -s "$WORK/probe.lua" "$BASE" -- "$2" "$PROBE_DELAY_MS" >"$3" 2>&1 &
    HELPERS+=($!)
}

# phase NAME ATTACK: samples RSS, starts the attack streams if ATTACK is 1, runs the probes.
phase() {
    local name=$1 attack=$2 rss_pid stream_secs
    local -a waits=()
    step "phase $name: ${PHASE_SECONDS} s of probes$( ((attack)) && echo ", under attack")"
    python3 "$ATTACK" rss --pid "$SERVER_PID" --interval-ms 100 --limit-mb "$RSS_LIMIT_MB" \
        --out "$RESULTS/$name-rss.json" &
    rss_pid=$!
    HELPERS+=("$rss_pid")
    if ((attack)); then
        stream_secs=$((RAMP_SECONDS + PHASE_SECONDS))
        python3 "$ATTACK" bomb --port "$PORT" --clients "$BOMB_CLIENTS" --sources "$BOMB_CLIENTS" \
            --source-base 127.0.2.1 --duration "$stream_secs" --timeout "$BOMB_TIMEOUT" \
            --png "$WORK/bomb.png" --photos "$BOMB_PHOTOS" --out "$RESULTS/$name-bomb.json" &
        HELPERS+=($!)
        waits+=($!)
        python3 "$ATTACK" flood --port "$PORT" --clients "$FLOOD_CLIENTS" --sources "$FLOOD_SOURCES" \
            --source-base 127.0.3.1 --duration "$stream_secs" --timeout 30 \
            --out "$RESULTS/$name-flood.json" &
        HELPERS+=($!)
        waits+=($!)
        sleep "$RAMP_SECONDS"
    fi
    probe healthz "$WORK/healthz.txt" "$RESULTS/$name-healthz.txt"
    waits+=($!)
    probe tiles "$WORK/tiles.txt" "$RESULTS/$name-tiles.txt"
    waits+=($!)
    local pid
    for pid in "${waits[@]}"; do
        wait "$pid" || echo "a load generator of phase $name failed (exit $?)" >&2
    done
    kill -TERM "$rss_pid"
    wait "$rss_pid" || true
    HELPERS=()
    for f in "$RESULTS/$name-healthz.txt" "$RESULTS/$name-tiles.txt"; do
        grep -v '^RESULT' "$f" >&2 || true
    done
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "the server is gone after phase $name" >&2
    fi
}

STORED_BEFORE=$(psql "$BENCH_URL" -AtX -c "SELECT count(*) FROM incidents")
phase quiet 0
phase attack 1
SERVER_STATE="still running"
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    SERVER_STATE="gone ($(tail -n 3 "$WORK/server.log" | tr '\n' ' '))"
fi
# Requests cut off when the streams stopped may still be committed: give them a moment.
sleep 2
STORED_AFTER=$(psql "$BENCH_URL" -AtX -c "SELECT count(*) FROM incidents")
PHOTOS_STORED=$(psql "$BENCH_URL" -AtX -c "SELECT count(*) FROM photos" 2>/dev/null || echo '?')

step "summary"
echo
echo "semnal $BUILD, $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), $(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo) GiB RAM"
echo "database: $SERVER_INFO; $SEEDED incidents seeded ($JURISDICTION)"
echo "server: RSS $RSS_READY MB when ready; after the attack: $SERVER_STATE; RSS limit of this script $RSS_LIMIT_MB MB"
echo "pixel bomb: ${BOMB_SIDE} × ${BOMB_SIDE} one-colour RGB PNG, $BOMB_BYTES bytes ($(awk -v s="$BOMB_SIDE" 'BEGIN { printf "%.0f", s * s * 3 / 1e6 }') MB decoded), $BOMB_PHOTOS per report"
echo "probes: wrk, 1 thread and $PROBE_CONNECTIONS connections each, ${PROBE_DELAY_MS} ms pause after each answer, ${PHASE_SECONDS} s per phase; tiles: $URLS URLs at z${ZOOMS// /, z} around $LON, $LAT (first fetch: $TILE_STATUSES)"
echo "attack streams start ${RAMP_SECONDS} s before the probes and stop with them; incidents stored during the attack: $((STORED_AFTER - STORED_BEFORE)); photos in the database: $PHOTOS_STORED"
echo
python3 "$ATTACK" summary "$RESULTS"
