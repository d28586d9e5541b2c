//! The city's zones (`/tiles/zones.json`, source-layer `zones`) as thin outlines: where the city is,
//! and its neighbourhoods, whatever the basemap shows.
import type { Map as MapLibreMap } from 'maplibre-gl';

const TILEJSON = '/tiles/zones.json';
export const ZONES_SOURCE = 'zones';
export const ZONE_LINE_LAYER = 'zone-lines';

let available: Promise<boolean> | null = null;

function zonesAvailable(): Promise<boolean> {
  available ??= fetch(TILEJSON, { headers: { Accept: 'application/json' } })
    .then((r) => r.ok)
    .catch(() => false);
  return available;
}

/** Adds the zone outlines under `beforeLayer` (if given) when the service publishes them. */
export async function addZonesLayer(map: MapLibreMap, beforeLayer?: string): Promise<boolean> {
  if (!(await zonesAvailable()) || map.getSource(ZONES_SOURCE)) return false;
  map.addSource(ZONES_SOURCE, { type: 'vector', url: location.origin + TILEJSON });
  map.addLayer(
    {
      id: ZONE_LINE_LAYER,
      type: 'line',
      source: ZONES_SOURCE,
      'source-layer': 'zones',
      paint: {
        'line-color': '#0b3d91',
        'line-opacity': 0.45,
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 16, 2],
        'line-dasharray': [3, 2],
      },
    },
    beforeLayer && map.getLayer(beforeLayer) ? beforeLayer : undefined,
  );
  return true;
}
