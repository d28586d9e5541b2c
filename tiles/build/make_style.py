#!/usr/bin/env python3
"""Write tiles/style.json: a light, calm MapLibre style (spec v8) for the
OpenMapTiles-style schema that tilemaker produces (see tilemaker/*.lua).

Designed as the backdrop of a civic issue-reporting map: low-contrast greys,
muted water and greens, white streets, so that coloured incident markers
drawn on top stand out. POIs are small muted badge icons (sprite made by
make_sprites.py) with names, from z15, below street and place labels in priority.

usage: make_style.py BASEMAP.pmtiles OUT_style.json [SPRITE.json]
The archive is read only for its centre (initial view) and vector layer list
(every source-layer used here must exist in it; the script fails otherwise).
SPRITE.json (default: sprites/basemap.json beside OUT_style.json) is the 1x sprite
index; the script fails if an icon the style can ask for is not in it.
"""
import json
import os
import sys

from pmtiles.reader import MmapSource, Reader

FONT_REGULAR = ["Noto Sans Regular"]
FONT_BOLD = ["Noto Sans Bold"]
NAME = ["coalesce", ["get", "name:latin"], ["get", "name"]]
SPRITE = "/tiles/sprites/basemap"

# POI icons (sprite names, see make_sprites.py) by the poi layer's `subclass` (the OSM
# value; tilemaker's `class` is often just the OSM key, e.g. "amenity"), in priority
# order: earlier icons win when symbols collide (symbol-sort-key). Each group has the
# zoom it appears from, so that a city centre stays calm: landmarks from z15, everyday
# stops and services from z16, food and shops from z17.
POI_GROUPS = [
    # (icon, min zoom, subclasses)
    ("hospital",   15, ["hospital", "clinic"]),
    ("rail",       15, ["station", "halt", "subway_entrance", "train_station_entrance"]),
    ("pharmacy",   15, ["pharmacy"]),
    ("school",     15, ["school", "college", "university"]),
    ("worship",    15, ["place_of_worship"]),
    ("museum",     15, ["museum", "gallery", "arts_centre", "attraction", "castle", "monument", "ruins"]),
    ("park",       15, ["park", "garden"]),
    ("rail",       16, ["tram_stop"]),
    ("bus",        16, ["bus_stop", "bus_station"]),
    ("hospital",   16, ["doctors", "dentist", "nursing_home"]),
    ("school",     16, ["kindergarten"]),
    ("parking",    16, ["parking"]),
    ("toilets",    16, ["toilets"]),
    ("restaurant", 17, ["restaurant", "fast_food", "food_court"]),
    ("cafe",       17, ["cafe", "ice_cream"]),
]
# any other shop (tilemaker's class "shop" or one of the OpenMapTiles shop classes)
POI_SHOP_CLASSES = ["shop", "grocery", "clothing_store", "alcohol_shop"]
POI_SHOP_MINZOOM = 17
POI_MINZOOM = min(g[1] for g in POI_GROUPS)

C = {
    "background": "#f3f2ee",
    "water": "#cddbe6",
    "water_line": "#b9cddd",
    "water_text": "#5f7f99",
    "grass": "#e1ead6",
    "wood": "#d6e3cb",
    "park_outline": "#c9d9b9",
    "farmland": "#efefe4",
    "sand": "#efeadb",
    "wetland": "#dfe8e0",
    "residential": "#efeee9",
    "commercial": "#efebe6",
    "industrial": "#eae8e4",
    "institution": "#efe9e6",
    "cemetery": "#dfe6d8",
    "sport": "#e1ead6",
    "building": "#e2dfd9",
    "building_outline": "#d3cfc8",
    "casing": "#d7d3cb",
    "major_casing": "#d9ccb3",
    "major": "#fbf3e3",
    "road": "#ffffff",
    "path": "#cbc6bd",
    "rail": "#c3bfb8",
    "tunnel": "#e6e3dd",
    "boundary": "#b8b1c3",
    "text": "#5b5752",
    "text_minor": "#7a756e",
    "halo": "#f8f7f4",
    "pier": "#f3f2ee",
    "aeroway": "#e7e5ea",
}

# road width (px) at z10 .. z18, by class; interpolated exponentially
ROAD_WIDTH = {
    #             z10   z13   z15  z18
    "motorway":  (1.2, 3.0, 9.0, 30.0),
    "trunk":     (1.2, 3.0, 9.0, 30.0),
    "primary":   (1.0, 2.6, 8.0, 28.0),
    "secondary": (0.8, 2.2, 7.0, 24.0),
    "tertiary":  (0.6, 1.8, 6.0, 22.0),
    "minor":     (0.0, 1.0, 4.5, 18.0),
    "service":   (0.0, 0.5, 2.2, 10.0),
    "raceway":   (0.0, 0.5, 2.2, 10.0),
    "busway":    (0.0, 1.0, 4.5, 18.0),
}
ROAD_CLASSES = list(ROAD_WIDTH)
MAJOR = ["motorway", "trunk"]
STOPS = (10, 13, 15, 18)


def by_class(idx, scale=1.0, add=0.0):
    m = ["match", ["get", "class"]]
    for cls, ws in ROAD_WIDTH.items():
        m += [cls, round(ws[idx] * scale + (add if ws[idx] > 0 else 0), 2)]
    m.append(0)
    return m


def road_width(scale=1.0, add=0.0):
    expr = ["interpolate", ["exponential", 1.4], ["zoom"]]
    for i, z in enumerate(STOPS):
        expr += [z, by_class(i, scale, add)]
    return expr


def ramp(*pairs, base=1.4):
    expr = ["interpolate", ["exponential", base], ["zoom"]]
    for z, v in zip(pairs[::2], pairs[1::2]):
        expr += [z, v]
    return expr


def poi_match(value, shop):
    """["match", subclass, [subclasses], value(group index, icon, minzoom), ..., shop]."""
    expr = ["match", ["get", "subclass"]]
    for i, (icon, minzoom, subclasses) in enumerate(POI_GROUPS):
        expr += [subclasses, value(i, icon, minzoom)]
    expr.append(shop)
    return expr


def poi_icon_names():
    return {g[0] for g in POI_GROUPS} | {"shop"}


def poi_layer():
    def shown_from(z):
        return True if z <= POI_MINZOOM else [">=", ["zoom"], z]

    is_shop = ["match", ["get", "class"], POI_SHOP_CLASSES, True, False]
    return {
        "id": "poi", "type": "symbol", "source": "basemap", "source-layer": "poi",
        "minzoom": POI_MINZOOM,
        "filter": ["all", ["==", ["geometry-type"], "Point"],
                   poi_match(lambda i, icon, z: shown_from(z),
                             ["all", is_shop, shown_from(POI_SHOP_MINZOOM)])],
        "layout": {
            "icon-image": poi_match(lambda i, icon, z: icon, "shop"),
            "icon-size": ramp(15, 0.85, 17, 1.0, base=1),
            "icon-padding": 2,
            "symbol-sort-key": poi_match(lambda i, icon, z: i, len(POI_GROUPS)),
            "text-field": NAME,
            "text-font": FONT_REGULAR,
            "text-size": ramp(15, 10, 18, 12, base=1),
            "text-anchor": "top",
            "text-offset": [0, 0.9],
            "text-max-width": 8,
            "text-padding": 2,
            "text-optional": True,
        },
        "paint": {"text-color": C["text_minor"], "text-halo-color": C["halo"],
                  "text-halo-width": 1.4},
    }


def layers():
    L = []
    add = L.append
    add({"id": "background", "type": "background", "paint": {"background-color": C["background"]}})

    # --- land cover / land use -------------------------------------------------
    add({"id": "landcover-wood", "type": "fill", "source": "basemap", "source-layer": "landcover",
         "filter": ["==", ["get", "class"], "wood"],
         "paint": {"fill-color": C["wood"], "fill-antialias": False}})
    add({"id": "landcover-grass", "type": "fill", "source": "basemap", "source-layer": "landcover",
         "filter": ["==", ["get", "class"], "grass"],
         "paint": {"fill-color": C["grass"], "fill-antialias": False}})
    add({"id": "landcover-other", "type": "fill", "source": "basemap", "source-layer": "landcover",
         "filter": ["match", ["get", "class"], ["farmland", "sand", "wetland", "ice"], True, False],
         "paint": {"fill-color": ["match", ["get", "class"],
                                  "farmland", C["farmland"], "sand", C["sand"],
                                  "wetland", C["wetland"], "#f7f7f5"],
                   "fill-antialias": False}})
    add({"id": "landuse", "type": "fill", "source": "basemap", "source-layer": "landuse",
         "paint": {"fill-antialias": False,
                   "fill-color": ["match", ["get", "class"],
                                  "residential", C["residential"],
                                  ["commercial", "retail"], C["commercial"],
                                  ["industrial", "railway", "bus_station"], C["industrial"],
                                  ["school", "university", "kindergarten", "college", "library",
                                   "hospital", "military"], C["institution"],
                                  "cemetery", C["cemetery"],
                                  ["stadium", "pitch", "playground", "theme_park", "zoo"], C["sport"],
                                  C["background"]],
                   "fill-opacity": ramp(10, 0.6, 14, 1.0, base=1)}})
    add({"id": "park", "type": "fill", "source": "basemap", "source-layer": "park",
         "paint": {"fill-color": C["grass"], "fill-opacity": 0.7}})
    add({"id": "park-outline", "type": "line", "source": "basemap", "source-layer": "park",
         "minzoom": 12, "paint": {"line-color": C["park_outline"], "line-width": 1,
                                   "line-dasharray": [3, 2]}})

    # --- water -------------------------------------------------------------------
    add({"id": "water", "type": "fill", "source": "basemap", "source-layer": "water",
         "filter": ["!=", ["get", "brunnel"], "tunnel"],
         "paint": {"fill-color": C["water"]}})
    add({"id": "waterway", "type": "line", "source": "basemap", "source-layer": "waterway",
         "filter": ["!=", ["get", "brunnel"], "tunnel"],
         "layout": {"line-cap": "round", "line-join": "round"},
         "paint": {"line-color": C["water_line"],
                   "line-width": ["interpolate", ["exponential", 1.4], ["zoom"],
                                  10, ["match", ["get", "class"], ["river", "canal"], 1.0, 0.4],
                                  18, ["match", ["get", "class"], ["river", "canal"], 12.0, 3.0]]}})

    # --- aeroway, piers ------------------------------------------------------------
    add({"id": "aeroway-area", "type": "fill", "source": "basemap", "source-layer": "aeroway",
         "minzoom": 11, "filter": ["==", ["geometry-type"], "Polygon"],
         "paint": {"fill-color": C["aeroway"]}})
    add({"id": "aeroway-runway", "type": "line", "source": "basemap", "source-layer": "aeroway",
         "minzoom": 11, "filter": ["all", ["==", ["geometry-type"], "LineString"],
                                   ["match", ["get", "class"], ["runway", "taxiway"], True, False]],
         "paint": {"line-color": C["aeroway"],
                   "line-width": ramp(11, ["match", ["get", "class"], "runway", 3, 1],
                                      17, ["match", ["get", "class"], "runway", 50, 15], base=1.5)}})
    add({"id": "pier-area", "type": "fill", "source": "basemap", "source-layer": "transportation",
         "filter": ["all", ["==", ["geometry-type"], "Polygon"], ["==", ["get", "class"], "pier"]],
         "paint": {"fill-color": C["pier"]}})
    add({"id": "pier", "type": "line", "source": "basemap", "source-layer": "transportation",
         "filter": ["all", ["==", ["geometry-type"], "LineString"], ["==", ["get", "class"], "pier"]],
         "paint": {"line-color": C["pier"], "line-width": ramp(14, 1.5, 18, 8)}})

    # --- buildings -----------------------------------------------------------------
    add({"id": "building", "type": "fill", "source": "basemap", "source-layer": "building",
         "minzoom": 13,
         "paint": {"fill-color": C["building"],
                   "fill-outline-color": C["building_outline"],
                   "fill-opacity": ramp(13, 0.0, 14.5, 1.0, base=1)}})

    # --- roads ---------------------------------------------------------------------
    roads = ["match", ["get", "class"], ROAD_CLASSES, True, False]
    not_tunnel = ["!=", ["coalesce", ["get", "brunnel"], ""], "tunnel"]
    not_bridge = ["!=", ["coalesce", ["get", "brunnel"], ""], "bridge"]
    is_tunnel = ["==", ["get", "brunnel"], "tunnel"]
    is_bridge = ["==", ["get", "brunnel"], "bridge"]
    is_line = ["==", ["geometry-type"], "LineString"]
    rail = ["match", ["get", "class"], ["rail", "light_rail", "subway", "tram", "narrow_gauge",
                                         "monorail", "funicular", "preserved"], True, False]

    add({"id": "tunnel-road", "type": "line", "source": "basemap", "source-layer": "transportation",
         "minzoom": 12, "filter": ["all", is_line, is_tunnel, roads],
         "layout": {"line-join": "round"},
         "paint": {"line-color": C["tunnel"], "line-width": road_width(0.8),
                   "line-dasharray": [2, 1]}})
    add({"id": "path", "type": "line", "source": "basemap", "source-layer": "transportation",
         "minzoom": 14,
         "filter": ["all", is_line, not_tunnel,
                    ["match", ["get", "class"], ["path", "track"], True, False]],
         "paint": {"line-color": C["path"], "line-width": ramp(14, 0.6, 18, 2.0),
                   "line-dasharray": [2, 1.5]}})

    for prefix, brunnel_filter in (("road", not_bridge), ("bridge", is_bridge)):
        base_filter = ["all", is_line, not_tunnel, brunnel_filter, roads]
        add({"id": f"{prefix}-casing", "type": "line", "source": "basemap",
             "source-layer": "transportation", "minzoom": 12 if prefix == "road" else 13,
             "filter": base_filter,
             "layout": {"line-cap": "butt" if prefix == "bridge" else "round",
                        "line-join": "round"},
             "paint": {"line-color": ["match", ["get", "class"], MAJOR, C["major_casing"], C["casing"]],
                       "line-width": road_width(1.0, 1.6)}})
        add({"id": f"{prefix}-fill", "type": "line", "source": "basemap",
             "source-layer": "transportation",
             "filter": base_filter,
             "layout": {"line-cap": "round", "line-join": "round"},
             "paint": {"line-color": ["match", ["get", "class"], MAJOR, C["major"], C["road"]],
                       "line-width": road_width()}})

    add({"id": "rail", "type": "line", "source": "basemap", "source-layer": "transportation",
         "minzoom": 11, "filter": ["all", is_line, not_tunnel, rail],
         "paint": {"line-color": C["rail"],
                   "line-width": ramp(11, 0.6, 18, ["match", ["get", "class"], "tram", 1.5, 2.5])}})
    add({"id": "rail-hatching", "type": "line", "source": "basemap", "source-layer": "transportation",
         "minzoom": 14,
         "filter": ["all", is_line, not_tunnel,
                    ["match", ["get", "class"], ["rail", "narrow_gauge", "preserved"], True, False]],
         "paint": {"line-color": C["rail"], "line-width": ramp(14, 3, 18, 7),
                   "line-dasharray": [0.2, 6]}})

    # --- boundaries ----------------------------------------------------------------
    add({"id": "boundary", "type": "line", "source": "basemap", "source-layer": "boundary",
         "filter": ["all", ["<=", ["get", "admin_level"], 8], ["!=", ["get", "maritime"], 1]],
         "layout": {"line-join": "round"},
         "paint": {"line-color": C["boundary"],
                   "line-opacity": ["case", ["<=", ["get", "admin_level"], 4], 0.9, 0.6],
                   "line-width": ramp(4, ["case", ["<=", ["get", "admin_level"], 4], 0.8, 0.5],
                                      14, ["case", ["<=", ["get", "admin_level"], 4], 2.5, 1.2], base=1.2),
                   "line-dasharray": [4, 2]}})

    # --- labels --------------------------------------------------------------------
    add({"id": "water-name-line", "type": "symbol", "source": "basemap", "source-layer": "water_name",
         "filter": is_line,
         "layout": {"text-field": NAME, "text-font": FONT_REGULAR, "symbol-placement": "line",
                    "text-size": 11, "text-letter-spacing": 0.1},
         "paint": {"text-color": C["water_text"], "text-halo-color": C["halo"],
                   "text-halo-width": 1}})
    add({"id": "water-name", "type": "symbol", "source": "basemap", "source-layer": "water_name",
         "filter": ["==", ["geometry-type"], "Point"],
         "layout": {"text-field": NAME, "text-font": FONT_REGULAR, "text-size": 12,
                    "text-max-width": 6, "text-letter-spacing": 0.1},
         "paint": {"text-color": C["water_text"], "text-halo-color": C["halo"],
                   "text-halo-width": 1}})
    add({"id": "housenumber", "type": "symbol", "source": "basemap", "source-layer": "housenumber",
         "minzoom": 17,
         "layout": {"text-field": ["get", "housenumber"], "text-font": FONT_REGULAR,
                    "text-size": 10, "text-padding": 3},
         "paint": {"text-color": "#a29d95", "text-halo-color": C["halo"], "text-halo-width": 1}})
    # POIs: after house numbers, before street and place names, so that those are placed
    # first (symbols of upper layers win collisions); the app's incident layers go on top.
    add(poi_layer())
    add({"id": "street-name", "type": "symbol", "source": "basemap",
         "source-layer": "transportation_name", "minzoom": 13,
         "filter": ["match", ["get", "class"],
                    ROAD_CLASSES + ["path", "track"], True, False],
         "layout": {"text-field": NAME, "text-font": FONT_REGULAR, "symbol-placement": "line",
                    "text-size": ramp(13, 10, 18, 14, base=1.2),
                    "text-max-angle": 30, "text-padding": 2, "symbol-spacing": 300},
         "paint": {"text-color": C["text_minor"], "text-halo-color": C["halo"],
                   "text-halo-width": 1.5}})
    add({"id": "place-minor", "type": "symbol", "source": "basemap", "source-layer": "place",
         "minzoom": 12,
         "filter": ["match", ["get", "class"],
                    ["suburb", "quarter", "neighbourhood", "hamlet", "locality", "isolated_dwelling"],
                    True, False],
         "layout": {"text-field": NAME, "text-font": FONT_BOLD, "text-transform": "uppercase",
                    "text-letter-spacing": 0.12, "text-max-width": 8,
                    "text-size": ramp(12, 10, 16, 13, base=1.2)},
         "paint": {"text-color": "#8f8982", "text-halo-color": C["halo"], "text-halo-width": 1.5}})
    add({"id": "place-settlement", "type": "symbol", "source": "basemap", "source-layer": "place",
         "filter": ["match", ["get", "class"], ["city", "town", "village"], True, False],
         "layout": {"text-field": NAME, "text-font": FONT_BOLD, "text-max-width": 8,
                    "text-size": ["interpolate", ["linear"], ["zoom"],
                                  6, ["match", ["get", "class"], "city", 13, "town", 11, 10],
                                  14, ["match", ["get", "class"], "city", 22, "town", 18, 15]]},
         "paint": {"text-color": C["text"], "text-halo-color": C["halo"], "text-halo-width": 2}})
    add({"id": "place-region", "type": "symbol", "source": "basemap", "source-layer": "place",
         "maxzoom": 9,
         "filter": ["match", ["get", "class"], ["country", "state"], True, False],
         "layout": {"text-field": NAME, "text-font": FONT_BOLD, "text-transform": "uppercase",
                    "text-letter-spacing": 0.15, "text-size": 12, "text-max-width": 8},
         "paint": {"text-color": "#8f8982", "text-halo-color": C["halo"], "text-halo-width": 1.5}})
    return L


def main():
    archive, out = sys.argv[1], sys.argv[2]
    sprite_json = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
        os.path.dirname(os.path.abspath(out)), "sprites", "basemap.json")
    try:
        with open(sprite_json, encoding="utf-8") as fh:
            sprite_names = set(json.load(fh))
    except OSError as e:
        sys.exit(f"make_style: cannot read the sprite index ({e}); run make_sprites.py first")
    lacking = sorted(poi_icon_names() - sprite_names)
    if lacking:
        sys.exit(f"make_style: icons not in {sprite_json}: {lacking}")
    with open(archive, "rb") as fh:
        reader = Reader(MmapSource(fh))
        header = reader.header()
        meta = reader.metadata()
    have = {l["id"] for l in meta.get("vector_layers", [])}
    lon = header["center_lon_e7"] / 1e7
    lat = header["center_lat_e7"] / 1e7
    style = {
        "version": 8,
        "name": "semnal basemap (light)",
        "metadata": {
            "semnal:description": "Light, low-contrast basemap for incident reporting; "
                                  "OpenMapTiles-style schema built by tilemaker",
            "semnal:archive": "basemap.pmtiles",
        },
        "center": [round(lon, 6), round(lat, 6)],
        "zoom": 15,
        "glyphs": "/tiles/fonts/{fontstack}/{range}.pbf",
        "sprite": SPRITE,
        "sources": {
            "basemap": {
                "type": "vector",
                "url": "/tiles/basemap.json",
                "attribution": "© OpenStreetMap contributors",
            }
        },
        "layers": layers(),
    }
    used = {l["source-layer"] for l in style["layers"] if "source-layer" in l}
    missing = sorted(used - have)
    if missing:
        sys.exit(f"make_style: source-layers not in the archive: {missing} (archive has {sorted(have)})")
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(style, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    print(f"make_style: {len(style['layers'])} layers, source-layers {sorted(used)}", file=sys.stderr)


if __name__ == "__main__":
    main()
