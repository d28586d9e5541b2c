//! The report form's small map: a tap (or dragging the pin) chooses the place of the problem.
import { Marker, type Map as MapLibreMap } from 'maplibre-gl';
import type { LatLon } from '../exif';
import { h } from '../dom';
import { t } from '../i18n';
import { canDrawMaps, createMap, loadBasemap } from '../map/basemap';
import { addZonesLayer } from '../map/zones-layer';

export class PinMap {
  private map: MapLibreMap | null = null;
  private pin: Marker | null = null;
  private location: LatLon | null;
  private destroyed = false;

  /**
   * Draws the map in `box` (or a note when the device cannot draw maps), centred on `location` if there
   * is one. `onPick` gets the places chosen on it; `onReady` runs once the map is there.
   */
  constructor(
    box: HTMLElement,
    location: LatLon | null,
    private readonly onPick: (location: LatLon) => void,
    onReady: () => void,
  ) {
    this.location = location;
    if (!canDrawMaps()) {
      box.replaceWith(h('p', { class: 'hint' }, t('map.unavailable')));
      return;
    }
    void loadBasemap().then((base) => {
      if (this.destroyed || !box.isConnected) return;
      const loc = this.location;
      let map: MapLibreMap;
      try {
        map = createMap(box, loc ? { ...base, center: [loc.lon, loc.lat], zoom: 17 } : base, {
          label: t('report.location.mapLabel'),
          cooperativeGestures: true,
        });
      } catch (e) {
        console.warn('map unavailable', e);
        box.replaceWith(h('p', { class: 'hint' }, t('map.unavailable')));
        return;
      }
      this.map = map;
      map.on('load', () => void addZonesLayer(map));
      map.on('click', (e) => this.onPick({ lat: e.lngLat.lat, lon: e.lngLat.lng }));
      this.show(this.location, false);
      onReady();
    });
  }

  /** True once the map is drawn (so tapping it is possible). */
  get ready(): boolean {
    return this.map !== null;
  }

  /** Moves the pin to `location` (removes it for null), and the map with it when `recenter`. */
  show(location: LatLon | null, recenter: boolean): void {
    this.location = location;
    const map = this.map;
    if (!map) return;
    if (!location) {
      this.pin?.remove();
      this.pin = null;
      return;
    }
    if (!this.pin) {
      this.pin = new Marker({ color: '#c2410c', draggable: true }).setLngLat([location.lon, location.lat]).addTo(map);
      this.pin.getElement().setAttribute('aria-label', t('ml.marker'));
      this.pin.on('dragend', () => {
        const p = this.pin?.getLngLat();
        if (p) this.onPick({ lat: p.lat, lon: p.lng });
      });
    } else {
      this.pin.setLngLat([location.lon, location.lat]);
    }
    if (recenter) map.easeTo({ center: [location.lon, location.lat], zoom: Math.max(map.getZoom(), 16) });
  }

  destroy(): void {
    this.destroyed = true;
    this.pin?.remove();
    this.pin = null;
    this.map?.remove();
    this.map = null;
  }
}
