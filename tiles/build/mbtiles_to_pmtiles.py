#!/usr/bin/env python3
"""Convert tilemaker's MBTiles to PMTiles v3 with clean metadata.

tilemaker 2.2 leaves bounds/center at 0,0 and keeps the layer list inside the
MBTiles "json" string; PyPI pmtiles-convert copies that string as it is. The
PMTiles/TileJSON consumers (MapLibre's pmtiles protocol, a server's TileJSON
endpoint) want a top-level "vector_layers" array, so this script writes the
archive itself with the pmtiles library: header bounds/center from the bbox,
metadata {name, description, attribution, type, version, format, vector_layers}.

usage: mbtiles_to_pmtiles.py IN.mbtiles OUT.pmtiles minlon,minlat,maxlon,maxlat "Area" "source note"
"""
import gzip
import json
import sqlite3
import sys

from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import write

src, dst, bbox, area, source = sys.argv[1:6]
minx, miny, maxx, maxy = map(float, bbox.split(","))
db = sqlite3.connect(src)
mb = dict(db.execute("select name, value from metadata"))
minzoom, maxzoom = int(mb["minzoom"]), int(mb["maxzoom"])
vector_layers = json.loads(mb.get("json", "{}")).get("vector_layers", [])

rows = []
for z, x, y_tms in db.execute("select zoom_level, tile_column, tile_row from tiles"):
    y = (1 << z) - 1 - y_tms
    rows.append((zxy_to_tileid(z, x, y), z, x, y_tms))
rows.sort()

with write(dst) as w:
    for tid, z, x, y_tms in rows:
        (data,) = db.execute("select tile_data from tiles where zoom_level=? and tile_column=? "
                             "and tile_row=?", (z, x, y_tms)).fetchone()
        if data[:2] != b"\x1f\x8b":
            data = gzip.compress(data, mtime=0)
        w.write_tile(tid, data)
    header = {
        "tile_type": TileType.MVT,
        "tile_compression": Compression.GZIP,
        "min_zoom": minzoom,
        "max_zoom": maxzoom,
        "min_lon_e7": int(round(minx * 1e7)), "min_lat_e7": int(round(miny * 1e7)),
        "max_lon_e7": int(round(maxx * 1e7)), "max_lat_e7": int(round(maxy * 1e7)),
        "center_zoom": maxzoom,
        "center_lon_e7": int(round((minx + maxx) / 2 * 1e7)),
        "center_lat_e7": int(round((miny + maxy) / 2 * 1e7)),
    }
    metadata = {
        "name": f"semnal basemap — {area}",
        "description": f"OpenStreetMap vector tiles (OpenMapTiles-style schema, built with "
                       f"tilemaker) of {area}. Data: {source}.",
        "attribution": '<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap contributors</a>',
        "type": "baselayer",
        "version": mb.get("version", "3.0"),
        "format": "pbf",
        "vector_layers": vector_layers,
    }
    w.finalize(header, metadata)
print(f"mbtiles_to_pmtiles: {len(rows)} tiles z{minzoom}-{maxzoom}, "
      f"{len(vector_layers)} vector layers", file=sys.stderr)
