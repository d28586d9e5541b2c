#!/usr/bin/env python3
"""Check tiles/: the PMTiles archive, style.json and the glyph PBFs.

usage: verify.py TILES_DIR
Prints the archive's header/metadata, decodes the z14 tile at the centre
(layers and feature counts), checks that style.json is valid JSON, version 8,
that every source-layer it uses exists in the archive, that the sprite's four files
exist, agree with each other (names, 2x = twice 1x, every entry inside its PNG) and hold
every icon-image value the style can produce, and that every font it uses has all 256
glyph ranges, including the glyphs Romanian and Hungarian need.
Exits non-zero on any failure.
"""
import gzip
import json
import math
import os
import sys
from collections import Counter

import mapbox_vector_tile
from pmtiles.reader import MmapSource, Reader, all_tiles
from pmtiles.tile import Compression, TileType

tiles = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
errors = []


def fail(msg):
    errors.append(msg)
    print("FAIL:", msg)


def tile_xy(lon, lat, z):
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def decode_glyph_ids(data):
    """Return the set of glyph ids in a glyph PBF (minimal protobuf reader)."""
    def rv(b, i):
        n = s = 0
        while True:
            c = b[i]; i += 1; n |= (c & 0x7F) << s; s += 7
            if c < 0x80:
                return n, i

    def fields(b):
        i, out = 0, []
        while i < len(b):
            k, i = rv(b, i)
            f, w = k >> 3, k & 7
            if w == 0:
                v, i = rv(b, i)
            elif w == 2:
                ln, i = rv(b, i); v = b[i:i + ln]; i += ln
            else:
                raise ValueError(f"wire type {w}")
            out.append((f, v))
        return out

    ids, names = set(), set()
    for f, stack in fields(data):
        if f != 1:
            continue
        for g, v in fields(stack):
            if g == 1:
                names.add(v.decode())
            elif g == 3:
                ids.add(dict(fields(v))[1])
    return ids, names


# --- archive -------------------------------------------------------------------
path = os.path.join(tiles, "basemap.pmtiles")
with open(path, "rb") as fh:
    r = Reader(MmapSource(fh))
    h = r.header()
    meta = r.metadata()
    bounds = [h["min_lon_e7"] / 1e7, h["min_lat_e7"] / 1e7, h["max_lon_e7"] / 1e7, h["max_lat_e7"] / 1e7]
    center = [h["center_lon_e7"] / 1e7, h["center_lat_e7"] / 1e7, h["center_zoom"]]
    layers = [l["id"] for l in meta.get("vector_layers", [])]
    print(f"archive: {path} ({os.path.getsize(path)} bytes)")
    print(f"  tile type {TileType(h['tile_type']).name}, compression {Compression(h['tile_compression']).name}")
    print(f"  bounds {bounds}\n  center {center}\n  zoom {h['min_zoom']}-{h['max_zoom']}")
    print(f"  name {meta.get('name')!r}\n  attribution {meta.get('attribution')!r}")
    print(f"  vector layers ({len(layers)}): {', '.join(layers)}")
    per_zoom = Counter(z for (z, x, y), _ in all_tiles(r.get_bytes))
    print("  tiles per zoom:", dict(sorted(per_zoom.items())))
    if h["tile_type"] != TileType.MVT:
        fail("tile type is not MVT")
    if "OpenStreetMap" not in (meta.get("attribution") or ""):
        fail("archive attribution does not credit OpenStreetMap")
    if h["min_zoom"] != 0 or h["max_zoom"] != 14:
        fail("zoom range is not 0-14")

    x, y = tile_xy(center[0], center[1], 14)
    data = r.get(14, x, y)
    if data is None:
        fail(f"no tile at 14/{x}/{y}")
    else:
        raw = gzip.decompress(data) if h["tile_compression"] == Compression.GZIP else data
        decoded = mapbox_vector_tile.decode(raw)
        print(f"  z14 centre tile 14/{x}/{y}: {len(data)} bytes compressed, {len(raw)} raw")
        for name, lyr in decoded.items():
            feats = lyr["features"]
            classes = Counter(f["properties"].get("class") for f in feats if f["properties"].get("class"))
            top = ", ".join(f"{c}:{n}" for c, n in classes.most_common(6))
            print(f"    {name:22s} {len(feats):5d} features  {top}")
        names = sorted({f["properties"].get("name:latin") for f in decoded.get("transportation_name", {"features": []})["features"]} - {None})
        print(f"    sample street names: {names[:8]}")
        for need in ("transportation", "building", "water"):
            if need not in decoded:
                fail(f"centre tile has no {need} layer")

# --- style ---------------------------------------------------------------------
style_path = os.path.join(tiles, "style.json")
style = json.load(open(style_path, encoding="utf-8"))
if style.get("version") != 8:
    fail("style version is not 8")
src = style["sources"]["basemap"]
if src.get("url") != "/tiles/basemap.json" or "OpenStreetMap" not in src.get("attribution", ""):
    fail("style source url/attribution wrong")
ids = [l["id"] for l in style["layers"]]
if len(ids) != len(set(ids)):
    fail("duplicate layer ids in style")
used = sorted({l["source-layer"] for l in style["layers"] if "source-layer" in l})
missing = [s for s in used if s not in layers]
print(f"style: {len(ids)} layers; source-layers used: {', '.join(used)}")
if missing:
    fail(f"style uses source-layers missing from the archive: {missing}")


def image_outputs(expr):
    """Every image name an icon-image value can evaluate to (literal strings, or the outputs
    of match/case/step/coalesce expressions built from them)."""
    if isinstance(expr, str):
        return {expr}
    if not isinstance(expr, list) or not expr:
        raise ValueError(f"icon-image value not understood: {expr!r}")
    op, args = expr[0], expr[1:]
    if op == "literal":
        return image_outputs(args[0])
    if op == "image":
        return image_outputs(args[0])
    if op == "match":          # input, (labels, output)*, fallback
        outs = args[2:-1:2] + [args[-1]]
    elif op == "case":         # (cond, output)*, fallback
        outs = args[1:-1:2] + [args[-1]]
    elif op == "step":         # input, out0, (stop, out)*
        outs = [args[1]] + args[3::2]
    elif op == "coalesce":
        outs = args
    else:
        raise ValueError(f"icon-image operator {op!r} not handled by verify.py")
    return set().union(*(image_outputs(o) for o in outs))


icon_layers = {l["id"]: l["layout"]["icon-image"] for l in style["layers"]
               if "icon-image" in l.get("layout", {})}
if "sprite" in style:
    if style["sprite"] != "/tiles/sprites/basemap":
        fail(f"sprite URL {style['sprite']!r} is not /tiles/sprites/basemap")
    sp = os.path.join(tiles, "sprites")
    try:
        from PIL import Image
    except ImportError:
        Image = None
        fail("Pillow is not installed: cannot check the sprite PNGs")
    sheets = {}
    for suffix, ratio in (("", 1), ("@2x", 2)):
        jp, pp = (os.path.join(sp, f"basemap{suffix}.{e}") for e in ("json", "png"))
        if not (os.path.exists(jp) and os.path.exists(pp)):
            fail(f"sprite files missing: basemap{suffix}.json/.png")
            continue
        index = json.load(open(jp, encoding="utf-8"))
        sheets[ratio] = index
        if Image is None:
            continue
        with Image.open(pp) as im:
            w, h, mode = im.width, im.height, im.mode
        bad = [n for n, e in index.items()
               if e.get("pixelRatio") != ratio or min(e["x"], e["y"]) < 0
               or e["x"] + e["width"] > w or e["y"] + e["height"] > h]
        if bad:
            fail(f"basemap{suffix}.json: entries outside the {w}x{h} PNG or with pixelRatio != {ratio}: {bad}")
        print(f"sprite basemap{suffix}: PNG {w}x{h} {mode}, {len(index)} icons "
              f"({', '.join(sorted(index))}); all inside the PNG: {'yes' if not bad else 'NO'}")
    if 1 in sheets and 2 in sheets:
        if set(sheets[1]) != set(sheets[2]):
            fail(f"1x and 2x sprites differ in names: {sorted(set(sheets[1]) ^ set(sheets[2]))}")
        off = [n for n in sheets[1] if n in sheets[2] and any(
            sheets[2][n][k] != 2 * sheets[1][n][k] for k in ("width", "height"))]
        if off:
            fail(f"2x icons are not twice the 1x size: {off}")
    for lid, expr in icon_layers.items():
        try:
            names = image_outputs(expr)
        except ValueError as e:
            fail(f"layer {lid}: {e}")
            continue
        for ratio, index in sheets.items():
            lacking = sorted(names - set(index))
            if lacking:
                fail(f"layer {lid}: icons not in the {ratio}x sprite: {lacking}")
        print(f"layer {lid}: icon-image can be {', '.join(sorted(names))} — all in both sprites: "
              f"{'yes' if all(names <= set(i) for i in sheets.values()) else 'NO'}")
elif icon_layers:
    fail("style uses icons but has no sprite")

fonts = set()
for l in style["layers"]:
    tf = l.get("layout", {}).get("text-font")
    if tf:
        fonts.add(",".join(tf))
sample = "Strada Ștefan cel Mare șțăâîȘȚĂÂÎ şţŞŢ Gyulafehérvár Kőrösi Szűcs ŐŰőű áéíóöúü – „”"
for fs in sorted(fonts):
    d = os.path.join(tiles, "fonts", fs)
    have_ids = set()
    n_files = 0
    for r_ in range(256):
        f = os.path.join(d, f"{r_ * 256}-{r_ * 256 + 255}.pbf")
        if not os.path.exists(f):
            fail(f"glyph range missing: {f}")
            continue
        n_files += 1
        if r_ in (0, 1, 2, 3, 32):
            gids, names = decode_glyph_ids(open(f, "rb").read())
            if names != {fs}:
                fail(f"{f}: fontstack name {names} != {fs!r}")
            have_ids |= gids
    lacking = sorted({c for c in sample if ord(c) not in have_ids and c != " "})
    size = sum(os.path.getsize(os.path.join(d, x)) for x in os.listdir(d))
    print(f"font {fs!r}: {n_files}/256 range files, {size/1e6:.2f} MB; "
          f"glyphs in 0-1023+8192-8447: {len(have_ids)}; lacking from sample: {lacking or 'none'}")
    if lacking:
        fail(f"font {fs} lacks {lacking}")

print("verify:", "OK" if not errors else f"{len(errors)} problem(s)")
sys.exit(1 if errors else 0)
