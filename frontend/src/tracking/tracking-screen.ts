//! The tracking page (`/t/{tracking_number}`): where a report is, what that means, its history, photos and place.
import { Marker, type Map as MapLibreMap } from 'maplibre-gl';
import { ApiError, incident, type Incident, type TimelineEntry } from '../api';
import { h, replaceChildren, svgIcon } from '../dom';
import { formatDate, t } from '../i18n';
import { UI } from '../icons';
import { canDrawMaps, createMap, loadBasemap } from '../map/basemap';
import type { Problem } from '../problem';
import { navigate } from '../router';
import { FINAL_STATUSES, isStatus, statusColor, type Status } from '../status';
import { normalizeTrackingNumber, trackingPath } from '../tracking-number';

export class TrackingScreen {
  readonly el: HTMLElement;
  private trackingNumber: string | null = null;
  private data: Incident | null = null;
  private problem: Problem | null = null;
  private loading = false;
  private abort: AbortController | null = null;
  private map: MapLibreMap | null = null;
  private lookupValue = '';
  private lookupError = false;

  constructor() {
    this.el = h('section', { class: 'screen screen-page screen-track', 'aria-labelledby': 'track-heading' });
  }

  get heading(): HTMLElement {
    return this.el.querySelector('h1') as HTMLElement;
  }

  /** Shows the report `trackingNumber` (or only the look-up box when null). */
  show(trackingNumber: string | null): void {
    this.el.hidden = false;
    const normalized = trackingNumber ? (normalizeTrackingNumber(trackingNumber) ?? trackingNumber) : null;
    if (normalized !== this.trackingNumber || !this.data) {
      this.trackingNumber = normalized;
      this.data = null;
      this.problem = null;
      this.lookupValue = '';
      this.lookupError = false;
      if (normalized) void this.load();
    }
    this.render();
  }

  hide(): void {
    this.el.hidden = true;
    this.destroyMap();
  }

  /** Texts in the chosen language; the report itself is fetched again (its names are localised). */
  relabel(): void {
    if (this.el.hidden) return;
    if (this.trackingNumber) void this.load();
    this.render();
  }

  private async load(): Promise<void> {
    const tn = this.trackingNumber;
    if (!tn) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.render();
    try {
      this.data = await incident(tn, abort.signal);
      this.problem = null;
    } catch (e) {
      if (abort.signal.aborted) return;
      this.data = null;
      this.problem =
        e instanceof ApiError ? e.problem : { type: 'network', title: '', status: 0, detail: t('common.networkError') };
    }
    if (abort.signal.aborted) return;
    this.loading = false;
    if (document.title && tn === this.trackingNumber) document.title = `${t('track.title', { tn })} · ${t('app.name')}`;
    if (!this.el.hidden) this.render();
  }

  private render(): void {
    this.destroyMap();
    const tn = this.trackingNumber;
    const data = this.data;
    replaceChildren(
      this.el,
      h(
        'div',
        { class: 'page' },
        h('a', { class: 'back-link', href: '/', 'data-nav': true }, svgIcon(UI.back), t('report.back')),
        tn
          ? h('h1', { id: 'track-heading', tabindex: '-1' }, t('track.title', { tn }))
          : h('h1', { id: 'track-heading', tabindex: '-1' }, t('track.heading')),
        tn && this.loading && !data ? h('p', { class: 'hint', role: 'status' }, t('common.loading')) : null,
        this.problem
          ? h(
              'div',
              { class: 'error-summary', role: 'alert' },
              h('h2', null, svgIcon(UI.alert), this.problem.title || t('report.error.title')),
              h('p', { class: 'error-detail' }, this.problem.detail),
            )
          : null,
        data ? this.details(data) : null,
        this.lookupForm(),
      ),
    );
    const mapBox = this.el.querySelector<HTMLElement>('.track-map');
    if (mapBox && data) this.createMap(mapBox, data);
  }

  private details(data: Incident): HTMLElement {
    const status = data.status;
    const known = isStatus(status);
    const overdue = known && !FINAL_STATUSES.includes(status as Status) && status !== 'resolved' && new Date(data.due_at) < new Date();
    return h(
      'div',
      { class: 'track-details' },
      h(
        'section',
        { class: 'status-card', style: { borderColor: statusColor(status) }, 'aria-labelledby': 'status-heading' },
        h('h2', { id: 'status-heading', class: 'visually-hidden' }, t('track.status')),
        h(
          'p',
          { class: 'badge badge-large', style: { background: statusColor(status) }, 'data-testid': 'status' },
          known ? t(`status.${status as Status}`) : status,
        ),
        known ? h('p', { class: 'status-help' }, t(`statusHelp.${status as Status}`)) : null,
      ),
      h(
        'dl',
        { class: 'facts' },
        fact(t('track.category'), h('span', { 'data-testid': 'category' }, data.category.name)),
        data.address ? fact(t('track.address'), h('span', { 'data-testid': 'address' }, data.address)) : null,
        fact(t('track.zone'), data.zone.name),
        fact(t('track.department'), data.department.name),
        fact(t('track.reported'), formatDate(data.created_at, true)),
        fact(
          t('track.due'),
          h('span', null, formatDate(data.due_at), overdue ? h('span', { class: 'tag tag-warn' }, t('track.overdue')) : null),
        ),
      ),
      data.description
        ? h('section', null, h('h2', null, t('track.description')), h('p', { class: 'description' }, data.description))
        : null,
      data.photos.length
        ? h(
            'section',
            null,
            h('h2', null, t('track.photos')),
            h(
              'ul',
              { class: 'thumbs' },
              data.photos.map((p, i) =>
                h(
                  'li',
                  { class: 'thumb' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'thumb-button',
                      'aria-label': t('track.photo.open', { n: i + 1 }),
                      onclick: (e: Event) => openPhoto(p.display_url, t('track.photo.alt', { n: i + 1, tn: data.tracking_number }), e.currentTarget as HTMLElement),
                    },
                    h('img', { src: p.thumb_url, alt: t('track.photo.alt', { n: i + 1, tn: data.tracking_number }), loading: 'lazy' }),
                  ),
                ),
              ),
            ),
          )
        : null,
      h(
        'section',
        null,
        h('h2', null, t('track.location')),
        h('div', { class: 'track-map mini-map' }),
        h('p', { class: 'hint coords' }, `${data.location.lat.toFixed(5)}, ${data.location.lon.toFixed(5)}`),
      ),
      h(
        'section',
        null,
        h('h2', null, t('track.timeline')),
        h('ol', { class: 'timeline' }, data.timeline.map(timelineItem)),
      ),
    );
  }

  private lookupForm(): HTMLElement {
    const input = h('input', {
      id: 'lookup-input',
      type: 'text',
      inputmode: 'text',
      autocapitalize: 'characters',
      autocomplete: 'off',
      spellcheck: 'false',
      maxlength: '12',
      value: this.lookupValue,
      'aria-invalid': this.lookupError ? 'true' : false,
      'aria-describedby': this.lookupError ? 'lookup-hint lookup-error' : 'lookup-hint',
      oninput: (e: Event) => {
        this.lookupValue = (e.target as HTMLInputElement).value;
      },
    });
    return h(
      'form',
      {
        class: 'lookup',
        role: 'search',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const tn = normalizeTrackingNumber(input.value);
          if (!tn) {
            this.lookupError = true;
            this.lookupValue = input.value;
            this.render();
            this.el.querySelector<HTMLInputElement>('#lookup-input')?.focus();
            return;
          }
          navigate(trackingPath(tn));
        },
      },
      h('label', { for: 'lookup-input' }, t('track.lookup.label')),
      h('p', { class: 'hint', id: 'lookup-hint' }, t('track.lookup.hint')),
      this.lookupError ? h('p', { class: 'field-error', id: 'lookup-error' }, t('track.lookup.invalid')) : null,
      h(
        'div',
        { class: 'lookup-row' },
        input,
        h('button', { type: 'submit', class: 'button button-primary' }, svgIcon(UI.search), h('span', null, t('track.lookup.go'))),
      ),
    );
  }

  private createMap(box: HTMLElement, data: Incident): void {
    if (!canDrawMaps()) {
      box.remove();
      return;
    }
    void loadBasemap().then((base) => {
      if (!box.isConnected || this.map) return;
      const center: [number, number] = [data.location.lon, data.location.lat];
      try {
        this.map = createMap(box, { ...base, center, zoom: 16 }, { label: t('track.mapLabel'), cooperativeGestures: true });
      } catch {
        box.remove();
        return;
      }
      new Marker({ color: statusColor(data.status) }).setLngLat(center).addTo(this.map);
    });
  }

  private destroyMap(): void {
    this.map?.remove();
    this.map = null;
  }
}

function fact(label: string, value: Node | string): HTMLElement[] {
  return [h('dt', null, label), h('dd', null, value)];
}

function timelineItem(entry: TimelineEntry): HTMLElement {
  let what: string;
  if (entry.kind === 'reported') what = t('timeline.reported');
  else if (entry.status && isStatus(entry.status)) what = t('timeline.statusChanged', { status: t(`status.${entry.status}`) });
  else what = t('timeline.other');
  return h(
    'li',
    null,
    h('span', { class: 'timeline-dot', style: { background: statusColor(entry.status ?? '') }, 'aria-hidden': 'true' }),
    h('time', { datetime: entry.at }, formatDate(entry.at, true)),
    h('p', { class: 'timeline-what' }, what),
    entry.text ? h('blockquote', null, entry.text) : null,
  );
}

/** Shows a photo at display size in a modal dialog; Escape or the close button returns to the page. */
function openPhoto(url: string, alt: string, opener: HTMLElement): void {
  const dialog = h(
    'dialog',
    { class: 'lightbox', 'aria-label': alt },
    h(
      'button',
      { type: 'button', class: 'icon-button lightbox-close', 'aria-label': t('common.close'), onclick: () => dialog.close() },
      svgIcon(UI.close),
    ),
    h('img', { src: url, alt }),
  );
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener.focus();
  });
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
  document.body.append(dialog);
  dialog.showModal();
}
