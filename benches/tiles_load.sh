#!/usr/bin/env bash
# Incident tiles per second over HTTP, against a release server holding 1M incidents.
#
# Usage: DATABASE_URL=postgres://… benches/tiles_load.sh
#
# DATABASE_URL names a PostgreSQL server with PostGIS available and a role allowed to
# create databases; the database `bench_tiles_load` is created on that same server (dropped
# first if it exists, and dropped again at the end). Nothing here touches the server itself.
#
# Builds the release binary, migrates, loads the demo municipality with generated incidents
# (`semnal seed-demo --incidents $INCIDENTS`, 1,000,000 unless set), starts `semnal serve`
# on 127.0.0.1:18081 and records how long it takes to answer /readyz (the incident index and
# the map's cluster hierarchy are built from the database at start-up). Then it lists tile
# URLs at zooms 10–18 (a 5 × 5 block of tiles per zoom around the centre that
# /tiles/incidents.json advertises: 225 URLs), fetches each once with curl to size them,
# and runs wrk (2 threads, 8 connections, 20 s each, --latency; a Lua script that cycles
# through the list) in this order:
#   1. GET /healthz                                    the HTTP floor of this server
#   2. GET /tiles/incidents/{z}/{x}/{y}.mvt            every incident, all 225 URLs
#   3. the same with ?status=new,acknowledged,assigned,in_progress,reopened
#      (after one request that builds the filtered hierarchy, timed on its own)
# Override the run length with WRK_DURATION (e.g. 5s) and the data size with INCIDENTS.
# shellcheck disable=SC2317 # (the trap handler is invoked indirectly)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL server to use}"
ADMIN_URL=$DATABASE_URL
DB_NAME=bench_tiles_load
LISTEN=127.0.0.1:18081
BASE=http://$LISTEN
THREADS=2
CONNECTIONS=8
DURATION=${WRK_DURATION:-20s}
INCIDENTS=${INCIDENTS:-1000000}
ZOOMS="10 11 12 13 14 15 16 17 18"
BLOCK=5 # tiles per side of the block at each zoom
FILTER="?status=new,acknowledged,assigned,in_progress,reopened"
MAX_TILE_BYTES=100000

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
for tool in psql curl awk; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done
if curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then
    echo "something already answers on $LISTEN; stop it first" >&2
    exit 2
fi

WORK=$(mktemp -d /tmp/semnal-tiles-bench.XXXXXX)
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
SQLX_OFFLINE=true cargo build --release
BIN=$ROOT/target/release/semnal

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
(cd "$WORK" && DATABASE_URL=$BENCH_URL RUST_LOG=warn "$BIN" migrate)
step "seed-demo --incidents $INCIDENTS"
started=$(now)
(cd "$WORK" && DATABASE_URL=$BENCH_URL RUST_LOG=warn "$BIN" seed-demo --incidents "$INCIDENTS")
SEED_S=$(since "$started")
STORED=$(psql "$BENCH_URL" -AtX -c "SELECT count(*) FROM incidents")
echo "seeded $STORED incidents in $SEED_S s" >&2

step "starting semnal serve on $LISTEN"
started=$(now)
(
    cd "$WORK"
    DATABASE_URL=$BENCH_URL SEMNAL_DATA_DIR=$WORK/data RUST_LOG=warn,semnal::app=info \
        SEMNAL_LOG=json exec "$BIN" serve --listen "$LISTEN"
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
STARTUP_S=$(since "$started")
# The server logs how long loading the indexes took (JSON: "indexes loaded", elapsed_ms).
LOADED_LINE=$(grep 'indexes loaded' "$WORK/server.log" | head -1 || true)
LOAD_MS=$(grep -o '"elapsed_ms":[0-9]*' <<<"$LOADED_LINE" | cut -d: -f2 || true)
LOADED=$(grep -o '"map_incidents":[0-9]*' <<<"$LOADED_LINE" | cut -d: -f2 || true)
rss_mb() { awk '{ printf "%.0f", $1 / 1024 }' <<<"$(ps -o rss= -p "$SERVER_PID")"; }
RSS_READY=$(rss_mb)
PEAK_READY=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")
echo "ready after $STARTUP_S s (indexes loaded in ${LOAD_MS:-?} ms, ${LOADED:-?} incidents on the map), RSS $RSS_READY MB (peak $PEAK_READY MB)" >&2

# The tile URLs: a BLOCK × BLOCK block per zoom around the advertised centre.
CENTRE=$(curl -fsS "$BASE/tiles/incidents.json" | grep -o '"center":\[[^]]*\]' | grep -o '[-0-9.]*,[-0-9.]*' | head -1)
LON=${CENTRE%,*}
LAT=${CENTRE#*,}
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
echo "centre $LON, $LAT: $URLS tile URLs" >&2

# size_tiles SUFFIX: fetches every URL once; prints "bytes status url" lines, largest first.
size_tiles() {
    while read -r path; do
        curl -s -o /dev/null -w "%{size_download} %{http_code} $path\n" "$BASE$path$1"
    done <"$WORK/tiles.txt" | sort -rn
}

step "timing the first filtered request (builds the filtered hierarchy)"
FIRST_FILTERED=$(curl -s -o /dev/null -w '%{time_total}' "$BASE$(head -1 "$WORK/tiles.txt")$FILTER")
SECOND_FILTERED=$(curl -s -o /dev/null -w '%{time_total}' "$BASE$(head -1 "$WORK/tiles.txt")$FILTER")

step "sizing every tile"
size_tiles "" >"$WORK/sizes.txt"
size_tiles "$FILTER" >"$WORK/sizes-filtered.txt"
# size_summary FILE: "p50 / max bytes (url), n over the limit, statuses"
size_summary() {
    awk -v limit="$MAX_TILE_BYTES" '{ b[NR] = $1; if ($2 != 200) bad++; if ($1 >= limit) over++ }
        NR == 1 { top = $3 }
        END { printf "p50 %d B, max %d B (%s), %d of %d at or over %d B, %d not 200",
              b[int(NR / 2) + 1], b[1], top, over, NR, limit, bad }' "$1"
}
SIZES=$(size_summary "$WORK/sizes.txt")
SIZES_FILTERED=$(size_summary "$WORK/sizes-filtered.txt")
echo "all: $SIZES" >&2
echo "filtered: $SIZES_FILTERED" >&2
echo "largest tiles:" >&2
head -5 "$WORK/sizes.txt" >&2

cat >"$WORK/cycle.lua" <<'LUA'
-- Cycles through the paths of the file given after "--", with an optional query suffix;
-- the two threads start half the list apart. done() prints one machine-readable line.
local threads, counter = {}, 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
local requests, i = {}, 0
function init(args)
  local suffix = args[2] or ""
  for line in io.lines(args[1]) do
    if #line > 0 then requests[#requests + 1] = wrk.format("GET", line .. suffix) end
  end
  i = ((id or 1) - 1) * math.floor(#requests / 2)
end
function request()
  i = i % #requests + 1
  return requests[i]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bytes=%d status_ge_400=%d socket_errors=%d p50_us=%.0f p99_us=%.0f max_us=%.0f\n",
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
LUA

declare -a SUMMARY=()
field() { grep -o "$1=[0-9]*" <<<"$2" | cut -d= -f2; }
# run NAME PATHS_FILE [SUFFIX]: one wrk run; appends a summary row.
run() {
    local name=$1 paths=$2 suffix=${3:-} out result
    step "wrk: $name ($DURATION, $THREADS threads, $CONNECTIONS connections)"
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/cycle.lua" \
        "$BASE" -- "$paths" "$suffix")
    printf '%s\n' "$out" | grep -v '^RESULT' >&2
    result=$(printf '%s\n' "$out" | grep '^RESULT')
    SUMMARY+=("$(awk -v n="$name" -v r="$(field requests "$result")" \
        -v d="$(field duration_us "$result")" -v bytes="$(field bytes "$result")" \
        -v a="$(field p50_us "$result")" -v b="$(field p99_us "$result")" \
        -v m="$(field max_us "$result")" -v x="$(field status_ge_400 "$result")" \
        -v s="$(field socket_errors "$result")" 'BEGIN {
            printf "| %s | %d | %.0f | %.2f | %.2f | %.1f | %.1f | %d | %d |",
                n, r, r / (d / 1e6), a / 1e3, b / 1e3, m / 1e3, bytes / (d / 1e6) / 1e6, x, s }')")
}

run "GET /healthz (HTTP floor)" "$WORK/healthz.txt"
run "GET incident tiles, z10–z18, $URLS URLs" "$WORK/tiles.txt"
run "GET incident tiles, same URLs, open statuses" "$WORK/tiles.txt" "$FILTER"
RSS_AFTER=$(rss_mb)

step "summary"
echo
echo "semnal $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock migrations || echo ' + uncommitted changes'), $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p')"
echo "database: $SERVER_INFO; $STORED incidents, seeded in $SEED_S s"
echo "start-up: /readyz answered $STARTUP_S s after the server was started (indexes loaded in ${LOAD_MS:-?} ms, ${LOADED:-?} incidents on the map); server RSS $RSS_READY MB when ready (peak $PEAK_READY MB during start-up), $RSS_AFTER MB after the runs"
echo "filtered hierarchy: first filtered tile request $(awk -v t="$FIRST_FILTERED" 'BEGIN { printf "%.1f", t * 1e3 }') ms, the same request again $(awk -v t="$SECOND_FILTERED" 'BEGIN { printf "%.2f", t * 1e3 }') ms (curl time_total)"
echo "tile sizes, every tile: $SIZES"
echo "tile sizes, open statuses: $SIZES_FILTERED"
echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per run, same machine as the server; tiles centred on $LON, $LAT"
echo
echo "| run | requests | req/s | p50 ms | p99 ms | max ms | MB/s | status ≥ 400 | socket errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${SUMMARY[@]}"
