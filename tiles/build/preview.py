#!/usr/bin/env python3
"""Preview tiles/ in a browser without the semnal server (stdlib + pmtiles only).

Serves on 127.0.0.1 exactly the URLs style.json expects, i.e. the contract the
real server has to meet:
  /tiles/style.json                      the style
  /tiles/basemap.json                    TileJSON 3.0 built from the PMTiles header/metadata
  /tiles/basemap/{z}/{x}/{y}.pbf         tiles from basemap.pmtiles (gzip, Content-Encoding: gzip;
                                         204 where the archive has no tile)
  /tiles/fonts/{fontstack}/{range}.pbf   glyphs (fontstack is URL-encoded: "Noto%20Sans%20Regular")
  /tiles/sprites/basemap{,@2x}.{json,png} the POI icon sprite
and "/" = a MapLibre page with a few coloured sample incident markers on top
(maplibre-gl's dist/ taken from frontend/node_modules or $MAPLIBRE_DIST).

usage: preview.py [PORT]   then open http://127.0.0.1:PORT/#16/60.1699/24.9410
Headless look:  chromium --headless --no-sandbox --use-angle=swiftshader --enable-unsafe-swiftshader \
  --window-size=1200,800 --virtual-time-budget=15000 --screenshot=/tmp/map.png "http://127.0.0.1:PORT/#15/60.1716/24.9443"
"""
import json
import os
import re
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pmtiles.reader import MmapSource, Reader

HERE = os.path.dirname(os.path.abspath(__file__))
TILES = os.path.dirname(HERE)
DIST = os.environ.get("MAPLIBRE_DIST",
                      os.path.join(TILES, "..", "frontend", "node_modules", "maplibre-gl", "dist"))
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8765

_fh = open(os.path.join(TILES, "basemap.pmtiles"), "rb")
READER = Reader(MmapSource(_fh))
HEADER = READER.header()
META = READER.metadata()

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>semnal basemap preview</title>
<link rel="stylesheet" href="/maplibre/maplibre-gl.css">
<style>html,body,#map{margin:0;height:100%}</style></head><body><div id="map"></div>
<script type="module">
import * as maplibregl from '/maplibre/maplibre-gl.mjs';
// MapLibre only accepts an absolute sprite URL (it throws on "/tiles/sprites/basemap" before any
// transformRequest); the app has to do the same when it loads the style.
const style = await (await fetch('/tiles/style.json')).json();
if (typeof style.sprite === 'string' && style.sprite.startsWith('/')) style.sprite = location.origin + style.sprite;
const map = new maplibregl.Map({container: 'map', style, hash: true,
  attributionControl: {compact: false}});
map.addControl(new maplibregl.ScaleControl());
map.on('load', () => {
  const c = map.getCenter(), d = 0.0025, kinds = ['#d7263d', '#f46036', '#2e86ab', '#1b998b', '#c5d86d'];
  const feats = [];
  for (let i = 0; i < 25; i++) {
    const a = i * 2.4, r = d * Math.sqrt(i / 25) * 1.6;
    feats.push({type: 'Feature', properties: {k: kinds[i % 5]},
      geometry: {type: 'Point', coordinates: [c.lng + r * Math.cos(a) * 2, c.lat + r * Math.sin(a)]}});
  }
  map.addSource('incidents', {type: 'geojson', data: {type: 'FeatureCollection', features: feats}});
  map.addLayer({id: 'incidents', type: 'circle', source: 'incidents', paint: {
    'circle-radius': 7, 'circle-color': ['get', 'k'], 'circle-stroke-color': '#fff', 'circle-stroke-width': 2}});
  map.addSource('label-test', {type: 'geojson', data: {type: 'Feature', properties: {},
    geometry: {type: 'Point', coordinates: [c.lng, c.lat - d * 1.5]}}});
  map.addLayer({id: 'label-test', type: 'symbol', source: 'label-test', layout: {
    'text-field': 'Strada Ștefan cel Mare · Țară · Gyulafehérvár · Kőrösi Szűcs · ăâî',
    'text-font': ['Noto Sans Bold'], 'text-size': 15},
    paint: {'text-color': '#333', 'text-halo-color': '#fff', 'text-halo-width': 2}});
});
map.on('idle', () => { document.title = 'idle'; });
</script></body></html>"""


class H(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        if os.environ.get("PREVIEW_LOG"):
            super().log_message(fmt, *args)

    def send(self, code, body=b"", ctype="application/octet-stream", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def static(self, root, rel, ctype):
        p = os.path.realpath(os.path.join(root, rel))
        if not p.startswith(os.path.realpath(root)) or not os.path.isfile(p):
            return self.send(404, b"not found", "text/plain")
        self.send(200, open(p, "rb").read(), ctype)

    def do_GET(self):
        path = urllib.parse.unquote(urllib.parse.urlparse(self.path).path)
        host = self.headers.get("Host", f"127.0.0.1:{PORT}")
        if path == "/":
            return self.send(200, PAGE.encode(), "text/html; charset=utf-8")
        if path == "/tiles/basemap.json":
            h = HEADER
            tj = {
                "tilejson": "3.0.0",
                "name": META.get("name"), "description": META.get("description"),
                "attribution": META.get("attribution"),
                "scheme": "xyz", "minzoom": h["min_zoom"], "maxzoom": h["max_zoom"],
                "bounds": [h["min_lon_e7"] / 1e7, h["min_lat_e7"] / 1e7,
                           h["max_lon_e7"] / 1e7, h["max_lat_e7"] / 1e7],
                "center": [h["center_lon_e7"] / 1e7, h["center_lat_e7"] / 1e7, h["center_zoom"]],
                "vector_layers": META.get("vector_layers", []),
                "tiles": [f"http://{host}/tiles/basemap/{{z}}/{{x}}/{{y}}.pbf"],
            }
            return self.send(200, json.dumps(tj).encode(), "application/json")
        m = re.fullmatch(r"/tiles/basemap/(\d+)/(\d+)/(\d+)\.pbf", path)
        if m:
            data = READER.get(*map(int, m.groups()))
            if data is None:
                return self.send(204)
            return self.send(200, data, "application/x-protobuf", {"Content-Encoding": "gzip"})
        if path == "/tiles/style.json":
            return self.static(TILES, "style.json", "application/json")
        if path.startswith("/tiles/fonts/") or path.startswith("/tiles/sprites/"):
            ctype = "image/png" if path.endswith(".png") else (
                "application/json" if path.endswith(".json") else "application/x-protobuf")
            return self.static(TILES, path[len("/tiles/"):], ctype)
        if path.startswith("/maplibre/"):
            ctype = {"css": "text/css", "mjs": "text/javascript", "js": "text/javascript",
                     "map": "application/json"}.get(path.rsplit(".", 1)[-1], "application/octet-stream")
            return self.static(DIST, path[len("/maplibre/"):], ctype)
        self.send(404, b"not found", "text/plain")


if __name__ == "__main__":
    print(f"preview: http://127.0.0.1:{PORT}/  (tiles from {TILES})", file=sys.stderr)
    ThreadingHTTPServer(("127.0.0.1", PORT), H).serve_forever()
