#!/usr/bin/env python3
"""Generate MapLibre/Mapbox SDF glyph PBFs ("fontstacks") from TTF/OTF fonts.

Output layout (what a MapLibre style's "glyphs" URL template expects):
    OUT_DIR/<Family Style>/<start>-<end>.pbf   for all 256 ranges 0-255 ... 65280-65535

Same conventions as node-fontnik / build_pbf_glyphs, so MapLibre lays the text out
identically: glyphs rendered by FreeType at 24 px without hinting, a 3 px border,
an SDF radius of 8 px and a cutoff of 0.25 (the outline sits at byte value ~191),
metrics width/height without the border, left = bitmap_left,
top = bitmap_top - ascender, advance in whole pixels. The distance transform is the
Felzenszwalb/Huttenlocher squared EDT seeded from antialiased coverage (the
tiny-sdf approach), computed here with a brute-force numpy min-plus per axis,
which is cheap at glyph sizes. Ranges the font has no glyph in are still written
(as an empty fontstack) so the map never gets a 404 for them.

usage: make_glyphs.py OUT_DIR FONT.ttf [FONT.ttf ...]
Dependencies: freetype-py (bundles libfreetype), numpy.
"""
import os
import sys
import time

import freetype
import numpy as np

SIZE, BUFFER, RADIUS, CUTOFF = 24, 3, 8, 0.25
INF = 1e20


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wire):
    return varint((field << 3) | wire)


def f_uint(field, n):
    return key(field, 0) + varint(n)


def f_sint(field, n):
    return key(field, 0) + varint((n << 1) ^ (n >> 63) if n < 0 else n << 1)


def f_bytes(field, b):
    return key(field, 2) + varint(len(b)) + b


def edt_axis0(f):
    """Squared 1D distance transform along axis 0 (min-plus with parabolas)."""
    n = f.shape[0]
    idx = np.arange(n, dtype=np.float64)
    d2 = (idx[:, None] - idx[None, :]) ** 2  # p, q
    return np.min(d2[:, :, None] + f[None, :, :], axis=1)


def sdf(alpha):
    a = alpha.astype(np.float64) / 255.0
    outer = np.where(alpha == 0, INF, np.maximum(0.0, 0.5 - a) ** 2)
    inner = np.where(alpha == 255, INF, np.maximum(0.0, a - 0.5) ** 2)
    outer = edt_axis0(edt_axis0(outer).T).T
    inner = edt_axis0(edt_axis0(inner).T).T
    d = np.clip((np.sqrt(outer) - np.sqrt(inner)) / RADIUS, -1.0, 1.0)
    v = 255.0 - 255.0 * (d + CUTOFF)
    return np.clip(v, 0, 255).astype(np.uint8)  # float->u8 truncation like Rust's `as u8`


def render(face, cp, ascender):
    face.load_char(cp, freetype.FT_LOAD_NO_HINTING | freetype.FT_LOAD_RENDER)
    g = face.glyph
    bm = g.bitmap
    w, h = bm.width, bm.rows
    advance = g.metrics.horiAdvance >> 6
    if w == 0 or h == 0:
        bitmap = b""
        w = h = 0
    else:
        buf = np.array(bm.buffer, dtype=np.uint8).reshape(h, bm.pitch)[:, :w]
        padded = np.zeros((h + 2 * BUFFER, w + 2 * BUFFER), dtype=np.uint8)
        padded[BUFFER:BUFFER + h, BUFFER:BUFFER + w] = buf
        bitmap = sdf(padded).tobytes()
    msg = f_uint(1, cp)
    if bitmap:
        msg += f_bytes(2, bitmap)
    msg += f_uint(3, w) + f_uint(4, h) + f_sint(5, g.bitmap_left)
    msg += f_sint(6, g.bitmap_top - ascender) + f_uint(7, advance)
    return msg


def main():
    out_dir, fonts = sys.argv[1], sys.argv[2:]
    for path in fonts:
        t0 = time.time()
        face = freetype.Face(path)
        name = f"{face.family_name.decode()} {face.style_name.decode()}"
        face.set_char_size(0, SIZE << 6, 72, 72)
        ascender = face.size.ascender >> 6
        by_range = {}
        for cp, gi in face.get_chars():
            if gi and cp <= 0xFFFF:
                by_range.setdefault(cp // 256, []).append(cp)
        d = os.path.join(out_dir, name)
        os.makedirs(d, exist_ok=True)
        total = 0
        n_glyphs = 0
        for r in range(256):
            start, end = r * 256, r * 256 + 255
            rng = f"{start}-{end}"
            stack = f_bytes(1, name.encode()) + f_bytes(2, rng.encode())
            for cp in sorted(by_range.get(r, [])):
                stack += f_bytes(3, render(face, cp, ascender))
                n_glyphs += 1
            data = f_bytes(1, stack)
            with open(os.path.join(d, f"{rng}.pbf"), "wb") as fh:
                fh.write(data)
            total += len(data)
        print(f"make_glyphs: {name!r}: {n_glyphs} glyphs in {len(by_range)} non-empty ranges, "
              f"256 files, {total/1e6:.2f} MB, {time.time()-t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
