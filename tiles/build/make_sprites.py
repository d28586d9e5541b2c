#!/usr/bin/env python3
"""Write the basemap's sprite sheet: tiles/sprites/basemap{,@2x}.{png,json}.

Small, calm POI icons for the light style (make_style.py): a rounded-square badge
in a muted colour with a thin white rim, and a white pictogram on it. Everything
is drawn here with Pillow primitives (no fonts, no external artwork).

Each icon is drawn once on an 18-unit design grid at 8 px per unit (144 px) and
downscaled with Lanczos to 36 px (pixelRatio 2) and 18 px (pixelRatio 1), so the
two sheets show the same drawing. Sheet format (MapLibre/Mapbox sprite):
JSON {name: {x, y, width, height, pixelRatio}} beside a PNG.

usage: make_sprites.py OUT_DIR [BASENAME]      (default BASENAME: basemap)
The icon names are ICONS below; make_style.py (POI_GROUPS) refers to them by name and
fails when the JSON written here lacks one, and verify.py checks both sheets against
every icon-image value of the style.
"""
import json
import os
import sys

from PIL import Image, ImageDraw

UNIT = 18            # design grid = icon size in px at pixelRatio 1
SS = 8               # supersampling: px per design unit while drawing
PAD = 1              # px between icons on the 1x sheet (2 on the 2x sheet)
PER_ROW = 7

WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)

# icon name -> badge colour (muted, each with >= 3:1 contrast against the white pictogram)
ICONS = {
    "park":       "#6f9a62",
    "bus":        "#5d86ad",
    "rail":       "#5a77a3",
    "parking":    "#6a80b0",
    "hospital":   "#bf6464",
    "pharmacy":   "#4f9a82",
    "school":     "#a88a4e",
    "worship":    "#85799c",
    "museum":     "#8f739e",
    "shop":       "#a8738f",
    "restaurant": "#c07f4e",
    "cafe":       "#a47a5a",
    "toilets":    "#5f8f99",
}


def hex_rgba(h, a=255):
    h = h.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4)) + (a,)


def contrast_with_white(h):
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b, _ = hex_rgba(h)
    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return 1.05 / (lum + 0.05)


class Pen:
    """ImageDraw in design units (0..18); fill=WHITE draws, fill=CLEAR cuts out."""

    def __init__(self, im):
        self.im = im
        self.d = ImageDraw.Draw(im)

    @staticmethod
    def _p(v):
        return round(v * SS)

    def box(self, x0, y0, x1, y1):
        return [self._p(x0), self._p(y0), self._p(x1) - 1, self._p(y1) - 1]

    def rect(self, x0, y0, x1, y1, r=0.0, fill=WHITE):
        if r > 0:
            self.d.rounded_rectangle(self.box(x0, y0, x1, y1), radius=self._p(r), fill=fill)
        else:
            self.d.rectangle(self.box(x0, y0, x1, y1), fill=fill)

    def ellipse(self, x0, y0, x1, y1, fill=WHITE, width=0):
        if width:
            self.d.ellipse(self.box(x0, y0, x1, y1), outline=fill, width=self._p(width))
        else:
            self.d.ellipse(self.box(x0, y0, x1, y1), fill=fill)

    def circle(self, cx, cy, r, fill=WHITE):
        self.ellipse(cx - r, cy - r, cx + r, cy + r, fill=fill)

    def poly(self, pts, fill=WHITE):
        self.d.polygon([(self._p(x), self._p(y)) for x, y in pts], fill=fill)

    def line(self, pts, w, fill=WHITE, round_caps=True):
        xy = [(self._p(x), self._p(y)) for x, y in pts]
        self.d.line(xy, fill=fill, width=self._p(w), joint="curve")
        if round_caps:
            for x, y in (pts[0], pts[-1]):
                self.circle(x, y, w / 2, fill=fill)

    def arc(self, x0, y0, x1, y1, start, end, w, fill=WHITE):
        self.d.arc(self.box(x0, y0, x1, y1), start, end, fill=fill, width=self._p(w))


# --- pictograms (white on a transparent layer, design units; the badge spans 1..17) ----

def g_park(p):
    p.rect(8.2, 9.5, 9.8, 14.2, r=0.5)                 # trunk
    p.circle(9, 7.4, 3.9)                              # crown
    p.circle(6.6, 9.0, 2.2)
    p.circle(11.4, 9.0, 2.2)


def g_bus(p):
    p.rect(5.0, 3.8, 13.0, 13.0, r=1.6)                # body
    p.rect(6.2, 5.6, 11.8, 9.0, r=0.5, fill=CLEAR)     # windscreen
    p.rect(6.2, 4.5, 11.8, 4.9, fill=CLEAR)            # route-sign line
    p.circle(6.9, 11.1, 0.75, fill=CLEAR)              # headlights
    p.circle(11.1, 11.1, 0.75, fill=CLEAR)
    p.rect(5.6, 12.5, 7.4, 14.4, r=0.5)                # wheels
    p.rect(10.6, 12.5, 12.4, 14.4, r=0.5)


def g_rail(p):
    p.rect(5.4, 3.6, 12.6, 11.8, r=2.0)                # front
    p.rect(6.6, 5.2, 11.4, 8.0, r=0.5, fill=CLEAR)     # window
    p.circle(7.3, 10.0, 0.7, fill=CLEAR)               # lights
    p.circle(10.7, 10.0, 0.7, fill=CLEAR)
    p.line([(7.2, 12.3), (5.8, 14.4)], 1.1)            # rails, in perspective
    p.line([(10.8, 12.3), (12.2, 14.4)], 1.1)


def g_parking(p):
    p.rect(5.8, 4.0, 13.0, 11.0, r=3.4)                # bowl of the P
    p.rect(8.0, 6.0, 10.9, 9.0, r=1.0, fill=CLEAR)
    p.rect(5.8, 4.0, 8.0, 14.0)                        # stem
    p.rect(5.8, 4.0, 9.0, 6.0)                         # square corners where bowl meets stem
    p.rect(5.8, 9.0, 9.0, 11.0)


def g_hospital(p):
    p.rect(7.6, 4.2, 10.4, 13.8, r=0.4)
    p.rect(4.2, 7.6, 13.8, 10.4, r=0.4)


def g_pharmacy(p):
    # a capsule at 45 degrees, one half solid and one half outlined
    n = UNIT * SS
    cap = Image.new("RGBA", (n, n), CLEAR)
    q = Pen(cap)
    q.rect(3.6, 6.6, 14.4, 11.4, r=2.4)
    q.rect(9.2, 7.7, 13.3, 10.3, r=1.3, fill=CLEAR)
    q.rect(8.75, 6.6, 9.25, 11.4)                      # seam
    cap = cap.rotate(45, resample=Image.BICUBIC, center=(n / 2, n / 2))
    p.im.alpha_composite(cap)


def g_school(p):
    p.poly([(9, 4.2), (15.2, 7.2), (9, 10.2), (2.8, 7.2)])   # mortarboard
    p.poly([(5.6, 8.6), (9, 10.3), (12.4, 8.6), (12.4, 11.6), (9, 13.2), (5.6, 11.6)])
    p.line([(14.2, 7.4), (14.2, 11.6)], 0.8)            # tassel
    p.circle(14.2, 12.0, 0.8)


def g_worship(p):
    p.line([(9, 2.8), (9, 5.0)], 0.7)                   # finial
    p.d.pieslice(p.box(5.9, 4.4, 12.1, 10.6), 180, 360, fill=WHITE)   # dome
    p.rect(4.4, 8.4, 13.6, 14.2)                        # hall
    p.rect(4.4, 9.4, 13.6, 10.0, fill=CLEAR)            # cornice line
    p.d.pieslice(p.box(7.9, 10.9, 10.1, 13.1), 180, 360, fill=CLEAR)  # arched door
    p.rect(7.9, 12.0, 10.1, 14.2, fill=CLEAR)
    for x in (5.6, 11.6):                               # windows
        p.rect(x, 11.2, x + 0.8, 12.8, fill=CLEAR)


def g_museum(p):
    p.poly([(9, 3.4), (14.6, 6.6), (3.4, 6.6)])         # pediment
    p.rect(4.2, 7.2, 13.8, 8.2)                         # entablature
    for x in (4.8, 7.2, 9.6, 12.0):                     # columns
        p.rect(x, 8.8, x + 1.2, 12.4)
    p.rect(3.6, 13.0, 14.4, 14.4)                       # base


def g_shop(p):
    p.arc(6.4, 3.6, 11.6, 9.8, 180, 360, 1.2)           # handle
    p.rect(6.4, 6.7, 7.6, 7.4)                    # handle ends reach the bag
    p.rect(10.4, 6.7, 11.6, 7.4)
    p.poly([(4.8, 7.2), (13.2, 7.2), (13.8, 14.2), (4.2, 14.2)])   # bag


def g_restaurant(p):
    for x in (5.4, 6.9, 8.4):                           # fork tines
        p.line([(x, 4.0), (x, 7.2)], 0.8)
    p.rect(5.0, 6.8, 8.8, 8.6, r=0.9)                   # fork neck
    p.rect(6.3, 8.0, 7.5, 14.2, r=0.6)                  # fork handle
    p.poly([(11.0, 4.0), (12.0, 3.8), (13.0, 5.2), (13.0, 9.6), (11.0, 9.6)])  # knife blade
    p.rect(11.0, 9.0, 12.4, 14.2, r=0.6)                # knife handle


def g_cafe(p):
    p.ellipse(10.0, 7.6, 14.2, 11.4, width=1.1)         # handle
    p.d.pieslice(p.box(4.2, 3.4, 12.0, 13.0), 0, 180, fill=WHITE)   # cup (round bottom)
    p.rect(4.2, 7.2, 12.0, 8.3)                         # flat rim
    p.rect(3.8, 13.3, 13.6, 14.4, r=0.55)               # saucer
    p.line([(6.9, 3.8), (6.9, 5.8)], 0.8)               # steam
    p.line([(9.3, 3.8), (9.3, 5.8)], 0.8)


def g_toilets(p):
    # man (left), woman (right), a thin divider
    p.circle(5.9, 4.9, 1.25)
    p.rect(4.6, 6.7, 7.2, 10.8, r=0.6)
    p.rect(4.9, 10.0, 5.75, 14.2)
    p.rect(6.05, 10.0, 6.9, 14.2)
    p.rect(8.7, 4.0, 9.3, 14.2)
    p.circle(12.1, 4.9, 1.25)
    p.poly([(12.1, 6.6), (14.2, 11.2), (10.0, 11.2)])
    p.rect(11.05, 11.0, 11.85, 14.2)
    p.rect(12.35, 11.0, 13.15, 14.2)


GLYPHS = {name[2:]: fn for name, fn in globals().items() if name.startswith("g_")}


def draw_icon(name):
    """The icon at supersampled size (UNIT*SS px square), RGBA."""
    n = UNIT * SS
    im = Image.new("RGBA", (n, n), CLEAR)
    p = Pen(im)
    p.rect(0.25, 0.25, 17.75, 17.75, r=4.6, fill=(255, 255, 255, 235))   # white rim
    p.rect(1.15, 1.15, 16.85, 16.85, r=3.8, fill=hex_rgba(ICONS[name]))  # badge
    glyph = Image.new("RGBA", (n, n), CLEAR)
    GLYPHS[name](Pen(glyph))
    im.alpha_composite(glyph)
    return im


def build_sheet(icons, ratio):
    size = UNIT * ratio
    pad = PAD * ratio
    cols = min(PER_ROW, len(icons))
    rows = (len(icons) + cols - 1) // cols
    sheet = Image.new("RGBA", (cols * (size + pad) + pad, rows * (size + pad) + pad), CLEAR)
    index = {}
    for i, (name, big) in enumerate(icons.items()):
        x = pad + (i % cols) * (size + pad)
        y = pad + (i // cols) * (size + pad)
        sheet.alpha_composite(big.resize((size, size), Image.LANCZOS), (x, y))
        index[name] = {"x": x, "y": y, "width": size, "height": size, "pixelRatio": ratio}
    return sheet, index


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "sprites")
    base = sys.argv[2] if len(sys.argv) > 2 else "basemap"
    missing = sorted(set(ICONS) ^ set(GLYPHS))
    if missing:
        sys.exit(f"make_sprites: colours and drawings do not match: {missing}")
    low = {n: round(contrast_with_white(c), 2) for n, c in ICONS.items() if contrast_with_white(c) < 3}
    if low:
        sys.exit(f"make_sprites: badge colours too light for a white pictogram: {low}")
    os.makedirs(out_dir, exist_ok=True)
    icons = {name: draw_icon(name) for name in ICONS}
    for ratio, suffix in ((1, ""), (2, "@2x")):
        sheet, index = build_sheet(icons, ratio)
        sheet.save(os.path.join(out_dir, f"{base}{suffix}.png"), optimize=True)
        with open(os.path.join(out_dir, f"{base}{suffix}.json"), "w", encoding="utf-8") as fh:
            json.dump(index, fh, indent=1, sort_keys=True)
            fh.write("\n")
        print(f"make_sprites: {base}{suffix}.png {sheet.size[0]}x{sheet.size[1]}, "
              f"{len(index)} icons of {UNIT * ratio} px", file=sys.stderr)


if __name__ == "__main__":
    main()
