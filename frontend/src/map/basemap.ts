//! The offline basemap (`/tiles/style.json`, `/tiles/basemap.json`) and creating MapLibre maps on it.
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { AttributionControl, Map as MapLibreMap, setWorkerUrl, type MapOptions, type StyleSpecification } from 'maplibre-gl';
import { t } from '../i18n';

setWorkerUrl(workerUrl);

/** Alba Iulia, when the basemap does not say where it is. */
export const DEFAULT_CENTER: [number, number] = [23.58, 46.07];
export const DEFAULT_ZOOM = 13;
/** Shown on every map: the basemap is OpenStreetMap data. */
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors';
const BACKGROUND = '#eef1ec';

/** The basemap as loaded: its style, where to look first, and the font its labels can use (if any). */
export interface Basemap {
  style: StyleSpecification;
  center: [number, number];
  zoom: number;
  /** West, south, east, north of the served city, to open the map on all of it. */
  bounds: [number, number, number, number] | null;
  /** A `text-font` the style's glyphs provide, or null when the style has no glyphs (no map labels). */
  textFont: string[] | null;
  /** True when /tiles/style.json was missing and a plain background is used instead. */
  fallback: boolean;
}

let basemap: Promise<Basemap> | null = null;

/** The basemap, loaded once. */
export function loadBasemap(): Promise<Basemap> {
  basemap ??= fetchBasemap();
  return basemap;
}

async function fetchJson(path: string): Promise<unknown> {
  try {
    const r = await fetch(path, { headers: { Accept: 'application/json' } });
    return r.ok ? await r.json() : null;
  } catch {
    return null;
  }
}

async function fetchBasemap(): Promise<Basemap> {
  // The city this instance serves (its incidents' TileJSON) decides where the map opens;
  // the basemap's own centre is the fallback.
  const [styleJson, cityJson, tileJson] = await Promise.all([
    fetchJson('/tiles/style.json'),
    fetchJson('/tiles/incidents.json'),
    fetchJson('/tiles/basemap.json'),
  ]);
  const style = isStyle(styleJson) ? styleJson : blankStyle();
  // MapLibre accepts only an absolute sprite URL.
  if (typeof style.sprite === 'string') style.sprite = absolute(style.sprite);
  const { center, zoom } = centerOf(cityJson ?? tileJson);
  return {
    style,
    center,
    zoom,
    bounds: boundsOf(cityJson),
    textFont: style.glyphs ? firstTextFont(style) : null,
    fallback: !isStyle(styleJson),
  };
}

function isStyle(value: unknown): value is StyleSpecification {
  const v = value as Partial<StyleSpecification> | null;
  return !!v && v.version === 8 && typeof v.sources === 'object' && Array.isArray(v.layers);
}

/** A style with only a background colour, so the app works before the basemap exists. */
export function blankStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }],
  };
}

/** The `bounds` of a TileJSON, when they are four numbers in range. */
export function boundsOf(tileJson: unknown): [number, number, number, number] | null {
  const b = (tileJson as { bounds?: unknown } | null)?.bounds;
  if (!Array.isArray(b) || b.length !== 4 || !b.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  const [w, s, e, n] = b as number[];
  return Math.abs(w) <= 180 && Math.abs(e) <= 180 && Math.abs(s) <= 90 && Math.abs(n) <= 90 && w < e && s < n
    ? [w, s, e, n]
    : null;
}

/** Where a TileJSON says to look (`center: [lon, lat, zoom]`), else Alba Iulia. */
export function centerOf(tileJson: unknown): { center: [number, number]; zoom: number } {
  const c = (tileJson as { center?: unknown } | null)?.center;
  if (Array.isArray(c) && c.length >= 2 && c.slice(0, 2).every((n) => typeof n === 'number' && Number.isFinite(n))) {
    const [lon, lat, z] = c as number[];
    if (Math.abs(lon) <= 180 && Math.abs(lat) <= 90) {
      const zoom = typeof z === 'number' && z >= 10 && z <= 18 ? z : DEFAULT_ZOOM;
      return { center: [lon, lat], zoom };
    }
  }
  return { center: DEFAULT_CENTER, zoom: DEFAULT_ZOOM };
}

/**
 * A literal `text-font` a layer of the style uses (a font stack its glyphs are known to have), bold if
 * there is one: it is for the counts on clusters.
 */
export function firstTextFont(style: StyleSpecification): string[] | null {
  const fonts: string[][] = [];
  for (const layer of style.layers) {
    const font = (layer as { layout?: Record<string, unknown> }).layout?.['text-font'];
    if (Array.isArray(font) && font.length > 0 && font.every((f) => typeof f === 'string')) fonts.push(font as string[]);
  }
  return fonts.find((f) => f.some((name) => /bold/i.test(name))) ?? fonts[0] ?? null;
}

/** True when a source of the style already credits OpenStreetMap (MapLibre shows it then). */
export function creditsOsm(style: StyleSpecification): boolean {
  return Object.values(style.sources).some((source) =>
    /openstreetmap/i.test(String((source as { attribution?: unknown }).attribution ?? '')),
  );
}

/** The MapLibre interface texts in the chosen language. */
function mapLocale(): Record<string, string> {
  return {
    'AttributionControl.ToggleAttribution': t('ml.toggleAttribution'),
    'GeolocateControl.FindMyLocation': t('ml.findMyLocation'),
    'GeolocateControl.LocationNotAvailable': t('ml.locationNotAvailable'),
    'Map.Title': t('map.label'),
    'Marker.Title': t('ml.marker'),
    'NavigationControl.ResetBearing': t('ml.resetBearing'),
    'NavigationControl.ZoomIn': t('ml.zoomIn'),
    'NavigationControl.ZoomOut': t('ml.zoomOut'),
    'CooperativeGesturesHandler.WindowsHelpText': t('ml.gestures.windows'),
    'CooperativeGesturesHandler.MacHelpText': t('ml.gestures.mac'),
    'CooperativeGesturesHandler.MobileHelpText': t('ml.gestures.mobile'),
  };
}

/** Relative URLs (in styles and TileJSON) made absolute: map workers cannot resolve them. */
function absolute(url: string): string {
  return url.startsWith('/') && !url.startsWith('//') ? location.origin + url : url;
}

/** Extra query for incident tiles, changed to see a report just filed despite HTTP caches. */
let incidentTilesVersion = 0;
export function bumpIncidentTilesVersion(): void {
  incidentTilesVersion = Date.now();
}

function transformRequest(url: string): { url: string } {
  let out = absolute(url);
  if (incidentTilesVersion && out.includes('/tiles/incidents/')) {
    out += (out.includes('?') ? '&' : '?') + `v=${incidentTilesVersion}`;
  }
  return { url: out };
}

/**
 * A MapLibre map on the basemap in `container`, labelled for screen readers, with the OpenStreetMap
 * attribution always visible. Throws when the device cannot draw maps (no WebGL).
 */
export function createMap(
  container: HTMLElement,
  base: Basemap,
  options: Partial<MapOptions> & { label: string },
): MapLibreMap {
  const { label, ...rest } = options;
  const map = new MapLibreMap({
    container,
    style: base.style,
    center: base.center,
    zoom: base.zoom,
    attributionControl: false,
    locale: mapLocale(),
    transformRequest,
    maxPitch: 0,
    dragRotate: false,
    ...rest,
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(
    new AttributionControl({ compact: false, customAttribution: creditsOsm(base.style) ? undefined : OSM_ATTRIBUTION }),
    'bottom-right',
  );
  map.getCanvas().setAttribute('aria-label', label);
  return map;
}

let webgl: boolean | null = null;

/** True if this browser can draw MapLibre maps (asked once). */
export function canDrawMaps(): boolean {
  if (webgl === null) {
    try {
      const canvas = document.createElement('canvas');
      const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
      webgl = !!gl;
      gl?.getExtension('WEBGL_lose_context')?.loseContext();
    } catch {
      webgl = false;
    }
  }
  return webgl;
}
