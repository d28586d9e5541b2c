//! The map screen (`/`): reports on the map, a bottom sheet for the one tapped, and the big "Report" button.
import { GeolocateControl, NavigationControl, type Map as MapLibreMap, type MapGeoJSONFeature } from 'maplibre-gl';
import { categories, type Category } from '../api';
import { h, replaceChildren, svgIcon } from '../dom';
import { formatAge, t } from '../i18n';
import { UI } from '../icons';
import type { NavState } from '../router';
import { MAP_STATUSES, statusColor, isStatus } from '../status';
import { trackingPath } from '../tracking-number';
import { canDrawMaps, createMap, loadBasemap } from './basemap';
import { addIncidentsLayer, featureAt, isCluster, refreshIncidents, INCIDENT_LAYERS } from './incidents-layer';
import { addZonesLayer } from './zones-layer';

declare global {
  interface Window {
    /** The map, for end-to-end tests (`queryRenderedFeatures` on the incident layers). */
    __semnalMap?: MapLibreMap;
    /** The ids of the incident layers, for end-to-end tests. */
    __semnalIncidentLayers?: string[];
    /** True once the incidents layer was added (false when `/tiles/incidents.json` is missing). */
    __semnalIncidentsLayer?: boolean;
  }
}

export class MapScreen {
  readonly el: HTMLElement;
  private readonly mapEl: HTMLElement;
  private readonly sheet: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly legendButton: HTMLButtonElement;
  private readonly reportButton: HTMLButtonElement;
  private readonly notice: HTMLElement;
  private map: MapLibreMap | null = null;
  private started = false;
  private categoryNames = new Map<string, string>();
  private sheetProps: Record<string, unknown> | null = null;
  private sheetOpener: Element | null = null;
  private pendingFocus: NavState['focus'] | null = null;

  constructor(onReport: () => void) {
    this.mapEl = h('div', { class: 'map-canvas', id: 'map' });
    this.notice = h('p', { class: 'map-notice', role: 'status', hidden: true });
    this.legendButton = h('button', {
      type: 'button',
      class: 'legend-toggle',
      'aria-expanded': 'false',
      'aria-controls': 'map-legend',
      onclick: () => this.toggleLegend(),
    });
    this.legend = h('div', { class: 'legend', id: 'map-legend', hidden: true });
    this.reportButton = h('button', { type: 'button', class: 'report-fab', onclick: () => onReport() });
    this.sheet = h('section', {
      class: 'sheet',
      role: 'dialog',
      'aria-modal': 'false',
      'aria-labelledby': 'sheet-title',
      hidden: true,
      tabindex: '-1',
      onkeydown: (e: Event) => {
        if ((e as KeyboardEvent).key === 'Escape') this.closeSheet();
      },
    });
    this.el = h(
      'section',
      { class: 'screen screen-map', 'aria-labelledby': 'map-heading' },
      h('h1', { class: 'visually-hidden', id: 'map-heading', tabindex: '-1' }),
      this.mapEl,
      h('div', { class: 'map-overlay-top' }, this.legendButton, this.legend),
      this.notice,
      this.sheet,
      this.reportButton,
    );
    this.relabel();
  }

  /** Shows the screen; the map is created on the first visit. */
  show(state: NavState): void {
    this.el.hidden = false;
    if (state.focus) this.pendingFocus = state.focus;
    if (!this.started) {
      this.started = true;
      void this.start();
    } else if (this.map) {
      this.map.resize();
      refreshIncidents(this.map);
      this.applyPendingFocus();
    }
  }

  hide(): void {
    this.el.hidden = true;
    this.closeSheet(false);
  }

  /** The heading screen readers land on after a navigation. */
  get heading(): HTMLElement {
    return this.el.querySelector('h1') as HTMLElement;
  }

  /** Puts every text in the chosen language. */
  relabel(): void {
    this.heading.textContent = t('map.label');
    replaceChildren(this.reportButton, svgIcon(UI.camera), h('span', null, t('map.report')));
    this.legendButton.textContent = t('map.legend');
    replaceChildren(
      this.legend,
      h(
        'ul',
        null,
        MAP_STATUSES.map((s) =>
          h('li', null, h('span', { class: 'dot', style: { background: statusColor(s) } }), t(`status.${s}`)),
        ),
      ),
      h('p', { class: 'legend-note' }, t('map.legendNote')),
    );
    if (this.notice.dataset.key === 'unavailable') this.notice.textContent = t('map.unavailable');
    if (this.map) {
      this.map.getCanvas().setAttribute('aria-label', t('map.label'));
      this.relabelControls();
    }
    void this.loadCategoryNames().then(() => {
      if (this.sheetProps) this.renderSheet(this.sheetProps);
    });
  }

  private relabelControls(): void {
    const labels: [string, string][] = [
      ['.maplibregl-ctrl-zoom-in', t('ml.zoomIn')],
      ['.maplibregl-ctrl-zoom-out', t('ml.zoomOut')],
      ['.maplibregl-ctrl-geolocate', t('ml.findMyLocation')],
      ['.maplibregl-ctrl-attrib-button', t('ml.toggleAttribution')],
    ];
    for (const [selector, label] of labels) {
      const button = this.el.querySelector(selector);
      if (button) {
        button.setAttribute('aria-label', label);
        button.setAttribute('title', label);
      }
    }
  }

  private async loadCategoryNames(): Promise<void> {
    try {
      const list: Category[] = await categories();
      this.categoryNames = new Map(list.map((c) => [c.code, c.name]));
    } catch {
      // The sheet falls back to the category code.
    }
  }

  private toggleLegend(): void {
    const open = this.legend.hidden;
    this.legend.hidden = !open;
    this.legendButton.setAttribute('aria-expanded', String(open));
  }

  private async start(): Promise<void> {
    if (!canDrawMaps()) {
      this.showUnavailable();
      return;
    }
    const base = await loadBasemap();
    let map: MapLibreMap;
    try {
      // Open on the whole city when its bounds are known.
      const fit = base.bounds ? { bounds: base.bounds, fitBoundsOptions: { padding: 24 } } : {};
      map = createMap(this.mapEl, base, { label: t('map.label'), ...fit });
    } catch (e) {
      console.warn('map unavailable', e);
      this.showUnavailable();
      return;
    }
    this.map = map;
    window.__semnalMap = map;
    window.__semnalIncidentLayers = INCIDENT_LAYERS;
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(
      new GeolocateControl({ positionOptions: { enableHighAccuracy: true }, trackUserLocation: false }),
      'top-right',
    );
    map.on('error', (e) => {
      // Missing tiles are expected while the incident tiles or the basemap are being set up.
      const status = (e.error as { status?: number } | undefined)?.status;
      if (status !== 404) console.warn('map error', e.error);
    });
    map.on('load', async () => {
      await addZonesLayer(map);
      window.__semnalIncidentsLayer = await addIncidentsLayer(map, base.textFont);
      this.applyPendingFocus();
    });
    map.on('click', (e) => this.onTap(e.point));
    map.on('mousemove', (e) => {
      map.getCanvas().style.cursor = featureAt(map, e.point, 6) ? 'pointer' : '';
    });
  }

  private showUnavailable(): void {
    this.notice.hidden = false;
    this.notice.dataset.key = 'unavailable';
    this.notice.textContent = t('map.unavailable');
    this.el.classList.add('no-map');
  }

  private applyPendingFocus(): void {
    if (!this.map || !this.pendingFocus) return;
    const { lat, lon } = this.pendingFocus;
    this.pendingFocus = null;
    this.map.jumpTo({ center: [lon, lat], zoom: Math.max(this.map.getZoom(), 17) });
  }

  private onTap(point: { x: number; y: number }): void {
    const map = this.map;
    if (!map) return;
    const feature: MapGeoJSONFeature | null = featureAt(map, point);
    if (!feature || feature.geometry.type !== 'Point') {
      this.closeSheet();
      return;
    }
    const props = feature.properties as Record<string, unknown>;
    const [lon, lat] = feature.geometry.coordinates;
    if (isCluster(props)) {
      this.closeSheet();
      const zoom = Number(props.expansion_zoom);
      map.easeTo({ center: [lon, lat], zoom: Number.isFinite(zoom) ? zoom : map.getZoom() + 2 });
      return;
    }
    this.openSheet(props);
  }

  private openSheet(props: Record<string, unknown>): void {
    this.sheetOpener = document.activeElement;
    this.sheetProps = props;
    this.renderSheet(props);
    this.sheet.hidden = false;
    this.reportButton.hidden = true;
    (this.sheet.querySelector('.sheet-close') as HTMLElement | null)?.focus({ preventScroll: true });
  }

  private renderSheet(props: Record<string, unknown>): void {
    const tn = String(props.tracking_number ?? '');
    const status = String(props.status ?? '');
    const category = String(props.category ?? '');
    const age = Number(props.age_days);
    replaceChildren(
      this.sheet,
      h('div', { class: 'sheet-grip', 'aria-hidden': 'true' }),
      h(
        'button',
        { type: 'button', class: 'icon-button sheet-close', 'aria-label': t('common.close'), onclick: () => this.closeSheet() },
        svgIcon(UI.close),
      ),
      h(
        'p',
        { class: 'badge', style: { background: statusColor(status) } },
        isStatus(status) ? t(`status.${status}`) : status,
      ),
      h('h2', { id: 'sheet-title' }, this.categoryNames.get(category) ?? category),
      h(
        'p',
        { class: 'muted' },
        t('sheet.reported', { age: formatAge(age) }),
        ' · ',
        h('span', { class: 'tn' }, tn),
      ),
      h('a', { class: 'button button-primary', href: trackingPath(tn), 'data-nav': true }, t('sheet.follow')),
    );
  }

  private closeSheet(restoreFocus = true): void {
    if (this.sheet.hidden) return;
    this.sheet.hidden = true;
    this.sheetProps = null;
    this.reportButton.hidden = false;
    if (restoreFocus && this.sheetOpener instanceof HTMLElement) this.sheetOpener.focus({ preventScroll: true });
    this.sheetOpener = null;
  }
}
