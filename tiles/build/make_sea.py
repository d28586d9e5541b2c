#!/usr/bin/env python3
"""Build sea polygons for the extract from its own natural=coastline ways.

tilemaker's OpenMapTiles config draws the sea from a worldwide coastline
shapefile (osmdata water polygons), which cannot be downloaded here. For a
small city extract we rebuild the sea locally: clip the coastline ways to the
extract's bounding box, extend dangling ends to the box edge, polygonize the
lines together with the box outline, and keep the faces on the water side
(OSM convention: land on the left of a coastline way, water on the right).

Writes a shapefile (EPSG:4326) that the tilemaker config reads as the "ocean"
layer (written to the "water" layer, class=ocean). If the extract has no
coastline an empty shapefile is written; the map then simply has no sea.

usage: make_sea.py CLEAN.opl minlon,minlat,maxlon,maxlat OUT_BASENAME
"""
import sys

import shapefile  # pyshp
from shapely.geometry import LineString, Point, box
from shapely.ops import nearest_points, polygonize, unary_union

src, bbox_s, out = sys.argv[1], sys.argv[2], sys.argv[3]
minx, miny, maxx, maxy = map(float, bbox_s.split(","))
bb = box(minx, miny, maxx, maxy)

coords = {}
coast_ways = []
for line in open(src, encoding="utf-8"):
    if line.startswith("n"):
        f = line.split()
        x = next((t[1:] for t in f if t.startswith("x")), "")
        y = next((t[1:] for t in f if t.startswith("y")), "")
        if x and y:
            coords[f[0]] = (float(x), float(y))
    elif line.startswith("w") and "natural=coastline" in line:
        f = line.split()
        refs = next(t[1:] for t in f if t.startswith("N")).split(",")
        coast_ways.append(refs)

lines = []
for refs in coast_ways:
    pts = [coords[r] for r in refs if r in coords]
    if len(pts) < 2:
        continue
    closed = pts[0] == pts[-1]
    if not closed:
        # the extract cut the way: extend both ends straight to the box edge
        for end, idx in ((0, 0), (-1, len(pts))):
            p = Point(pts[end])
            q = nearest_points(bb.exterior, p)[0]
            if p.distance(q) > 0:
                # push slightly outside so the clip produces a clean crossing
                dx, dy = q.x - p.x, q.y - p.y
                n = (dx * dx + dy * dy) ** 0.5
                far = (q.x + dx / n * 1e-6, q.y + dy / n * 1e-6)
                pts.insert(idx, far)
    clipped = LineString(pts).intersection(bb)
    if clipped.is_empty:
        continue
    for g in getattr(clipped, "geoms", [clipped]):
        if g.geom_type == "LineString" and g.length > 0:
            lines.append(g)

polys = []
if lines:
    merged = unary_union(lines + [bb.exterior])
    faces = list(polygonize(merged))
    votes = [0] * len(faces)
    eps = 2e-6
    for ln in lines:
        c = list(ln.coords)
        for (x1, y1), (x2, y2) in zip(c, c[1:]):
            dx, dy = x2 - x1, y2 - y1
            n = (dx * dx + dy * dy) ** 0.5
            if n == 0:
                continue
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
            right = Point(mx + dy / n * eps, my - dx / n * eps)
            left = Point(mx - dy / n * eps, my + dx / n * eps)
            for i, face in enumerate(faces):
                if face.contains(right):
                    votes[i] += 1
                if face.contains(left):
                    votes[i] -= 1
    polys = [f for f, v in zip(faces, votes) if v > 0]

w = shapefile.Writer(out, shapeType=shapefile.POLYGON)
w.field("featurecla", "C", 40)
for p in polys:
    # shapefile rings: outer ring clockwise, holes counter-clockwise
    ext = list(p.exterior.coords)
    rings = [ext[::-1] if p.exterior.is_ccw else ext]
    for hole in p.interiors:
        hc = list(hole.coords)
        rings.append(hc if hole.is_ccw else hc[::-1])
    w.poly(rings)
    w.record("Ocean")
w.close()
open(out + ".prj", "w").write(
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],'
    'PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]')
area = sum(p.area for p in polys) / bb.area * 100
print(f"make_sea: {len(coast_ways)} coastline ways -> {len(polys)} sea polygons "
      f"({area:.1f}% of the box)", file=sys.stderr)
