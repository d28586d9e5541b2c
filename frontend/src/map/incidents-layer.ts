//! The incidents layer: the vector tiles of `/tiles/incidents.json` (source-layer `incidents`), clusters
//! sized by count and coloured by their dominant status, single reports coloured by status.
import { Marker, type Map as MapLibreMap, type MapGeoJSONFeature, type VectorTileSource } from 'maplibre-gl';
import { MAP_STATUSES, statusColorExpression } from '../status';
import { bumpIncidentTilesVersion } from './basemap';

export const INCIDENTS_SOURCE = 'incidents';
export const SOURCE_LAYER = 'incidents';
export const CLUSTER_LAYER = 'incident-clusters';
export const CLUSTER_COUNT_LAYER = 'incident-cluster-count';
export const POINT_LAYER = 'incident-points';
/** The layers a tap can hit. */
export const INCIDENT_LAYERS = [CLUSTER_LAYER, POINT_LAYER];

/** The TileJSON of the incidents the map shows (the server filters the tiles by the same query). */
const TILEJSON = `/tiles/incidents.json?status=${MAP_STATUSES.join(',')}`;

/** Properties of a cluster feature. */
export interface ClusterProps {
  cluster: true;
  count: number;
  expansion_zoom: number;
  dominant_status: string;
}

/** Properties of a single-report feature. */
export interface PointProps {
  cluster: false;
  tracking_number: string;
  category: string;
  status: string;
  priority: string;
  age_days: number;
}

/** True for a cluster feature (the flag may arrive as a boolean, a number or a string). */
export function isCluster(props: Record<string, unknown>): boolean {
  return props.cluster === true || props.cluster === 1 || props.cluster === 'true';
}

const CLUSTER_FILTER = ['any', ['==', ['get', 'cluster'], true], ['==', ['get', 'cluster'], 1], ['==', ['get', 'cluster'], 'true']];

/**
 * Adds the incidents source and layers when the service publishes `/tiles/incidents.json`; returns false
 * (and adds nothing) when it does not, so the map still works without it.
 */
export async function addIncidentsLayer(map: MapLibreMap, textFont: string[] | null): Promise<boolean> {
  let tileJsonOk = false;
  try {
    const r = await fetch(TILEJSON, { headers: { Accept: 'application/json' } });
    tileJsonOk = r.ok;
  } catch {
    tileJsonOk = false;
  }
  if (!tileJsonOk) return false;

  map.addSource(INCIDENTS_SOURCE, { type: 'vector', url: location.origin + TILEJSON });
  map.addLayer({
    id: CLUSTER_LAYER,
    type: 'circle',
    source: INCIDENTS_SOURCE,
    'source-layer': SOURCE_LAYER,
    filter: CLUSTER_FILTER as never,
    paint: {
      'circle-color': statusColorExpression('dominant_status') as never,
      'circle-radius': ['step', ['to-number', ['get', 'count'], 1], 15, 10, 19, 50, 23, 200, 28, 1000, 33],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2.5,
      'circle-opacity': 0.92,
    },
  });
  map.addLayer({
    id: POINT_LAYER,
    type: 'circle',
    source: INCIDENTS_SOURCE,
    'source-layer': SOURCE_LAYER,
    filter: ['!', CLUSTER_FILTER] as never,
    paint: {
      'circle-color': statusColorExpression('status') as never,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 5, 15, 8, 18, 11],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  });
  if (textFont) {
    map.addLayer({
      id: CLUSTER_COUNT_LAYER,
      type: 'symbol',
      source: INCIDENTS_SOURCE,
      'source-layer': SOURCE_LAYER,
      filter: CLUSTER_FILTER as never,
      layout: {
        'text-field': ['to-string', ['get', 'count']],
        'text-font': textFont,
        'text-size': 13,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffffff', 'text-halo-color': 'rgba(0,0,0,0.45)', 'text-halo-width': 1 },
    });
  } else {
    drawCountsWithMarkers(map);
  }
  return true;
}

/** Without glyphs in the style, cluster counts are HTML labels placed over the circles. */
function drawCountsWithMarkers(map: MapLibreMap): void {
  const shown = new Map<string, Marker>();
  const update = () => {
    if (!map.getLayer(CLUSTER_LAYER)) return;
    const next = new Map<string, Marker>();
    for (const f of map.queryRenderedFeatures({ layers: [CLUSTER_LAYER] })) {
      if (f.geometry.type !== 'Point') continue;
      const [lon, lat] = f.geometry.coordinates;
      const count = String(f.properties.count ?? '');
      const key = `${lon.toFixed(6)},${lat.toFixed(6)},${count}`;
      if (next.has(key)) continue;
      let marker = shown.get(key);
      if (!marker) {
        const el = document.createElement('span');
        el.className = 'cluster-count';
        el.textContent = count;
        el.setAttribute('aria-hidden', 'true');
        marker = new Marker({ element: el }).setLngLat([lon, lat]).addTo(map);
      }
      next.set(key, marker);
    }
    for (const [key, marker] of shown) if (!next.has(key)) marker.remove();
    shown.clear();
    for (const [key, marker] of next) shown.set(key, marker);
  };
  map.on('idle', update);
  map.on('zoomstart', () => {
    for (const marker of shown.values()) marker.remove();
    shown.clear();
  });
}

/** The incident feature under a tap: a cluster first, else the nearest report, within a finger's width. */
export function featureAt(map: MapLibreMap, point: { x: number; y: number }, slop = 14): MapGeoJSONFeature | null {
  const layers = INCIDENT_LAYERS.filter((id) => map.getLayer(id));
  if (layers.length === 0) return null;
  const features = map.queryRenderedFeatures(
    [
      [point.x - slop, point.y - slop],
      [point.x + slop, point.y + slop],
    ],
    { layers },
  );
  let best: MapGeoJSONFeature | null = null;
  let bestDistance = Infinity;
  for (const f of features) {
    if (f.geometry.type !== 'Point') continue;
    const p = map.project(f.geometry.coordinates as [number, number]);
    // Clusters win over single reports at the same distance: they hold more.
    const d = Math.hypot(p.x - point.x, p.y - point.y) - (isCluster(f.properties) ? 6 : 0);
    if (d < bestDistance) {
      best = f;
      bestDistance = d;
    }
  }
  return best;
}

/** Reloads the incident tiles, bypassing caches, so a report just filed appears. */
export function refreshIncidents(map: MapLibreMap): void {
  const source = map.getSource(INCIDENTS_SOURCE) as VectorTileSource | undefined;
  if (!source) return;
  bumpIncidentTilesVersion();
  const tiles = source.tiles;
  if (tiles?.length) source.setTiles(tiles);
}
