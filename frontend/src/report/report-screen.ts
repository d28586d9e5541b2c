//! "Report a problem" (`/report`): photo, place, category, optional details, nearby look-alikes, send.
//! With a photo that carries GPS it takes four taps from the map: Report, the photo, the category, Send.
import { ApiError, categories, fileReport, nearby, type Category, type Incident, type NearbyIncident } from '../api';
import { h, replaceChildren, svgIcon } from '../dom';
import { gpsFromFile } from '../exif';
import { lang, t } from '../i18n';
import { UI } from '../icons';
import { formTarget, type Problem } from '../problem';
import { attributeField } from './attribute-fields';
import { categoryPicker } from './category-picker';
import { disposeDraft, locationFromPhotos, MAX_PHOTOS, newDraft, reportForm, type Draft } from './draft';
import { showProblemInForm, targetKey } from './form-errors';
import { nearbyList } from './nearby-list';
import { photoThumbs } from './photo-thumbs';
import { PinMap } from './pin-map';
import { successView } from './success-view';

/** True on phones and tablets, where "Report" opens the camera at once. */
function isTouchDevice(): boolean {
  return matchMedia('(pointer: coarse)').matches || navigator.maxTouchPoints > 0;
}

export class ReportScreen {
  readonly el: HTMLElement;
  private draft: Draft = newDraft();
  private result: Incident | null = null;
  private problem: Problem | null = null;
  private sending = false;
  private categoryList: Category[] | null = null;
  private categoryError = false;
  private nearbyList: NearbyIncident[] = [];
  private nearbyAbort: AbortController | null = null;
  private nearbyKey = '';
  private pinMap: PinMap | null = null;
  private locating = false;
  private locationMessage: 'denied' | null = null;
  private visible = false;

  // Parts updated in place, so typing never loses focus.
  private readonly cameraInput: HTMLInputElement;
  private readonly fileInput: HTMLInputElement;
  private photosEl!: HTMLElement;
  private locationStatusEl!: HTMLElement;
  private categoriesEl!: HTMLElement;
  private detailsEl!: HTMLElement;
  private nearbyEl!: HTMLElement;
  private summaryEl!: HTMLElement;
  private sendButton!: HTMLButtonElement;

  constructor() {
    this.el = h('section', { class: 'screen screen-page screen-report', 'aria-labelledby': 'report-heading' });
    const onFiles = (e: Event) => {
      const input = e.target as HTMLInputElement;
      const files = [...(input.files ?? [])];
      input.value = '';
      void this.addPhotos(files);
    };
    this.cameraInput = h('input', {
      type: 'file',
      accept: 'image/*',
      capture: 'environment',
      hidden: true,
      'data-testid': 'camera-input',
      onchange: onFiles,
    });
    this.fileInput = h('input', {
      type: 'file',
      accept: 'image/*',
      multiple: true,
      hidden: true,
      'data-testid': 'photo-input',
      onchange: onFiles,
    });
  }

  /** The heading screen readers land on after a navigation. */
  get heading(): HTMLElement {
    return this.el.querySelector('h1') as HTMLElement;
  }

  show(): void {
    this.visible = true;
    this.el.hidden = false;
    this.render();
    void this.loadCategories();
  }

  hide(): void {
    this.visible = false;
    this.el.hidden = true;
    this.destroyPinMap();
    if (this.result) {
      // A filed report is done: the next visit starts a new one.
      this.result = null;
    }
  }

  /**
   * On phones and tablets, opens the camera at once: the photo is the first thing asked for. Call it from
   * the tap on "Report", so the browser allows it. On desktops the form opens and the picker waits.
   */
  openCameraOnTouch(): void {
    if (isTouchDevice()) this.cameraInput.click();
  }

  /** Puts every text in the chosen language (category names come again from the API). */
  relabel(): void {
    this.categoryList = null;
    this.nearbyKey = '';
    if (this.visible) {
      this.render();
      void this.loadCategories();
    }
  }

  // ---------------------------------------------------------------- rendering

  private render(): void {
    this.destroyPinMap();
    if (this.result) {
      this.renderSuccess(this.result);
      return;
    }
    const touch = isTouchDevice();
    this.photosEl = h('div', { class: 'photo-list' });
    this.locationStatusEl = h('p', { class: 'location-status', 'aria-live': 'polite' });
    this.categoriesEl = h('div', { class: 'category-groups' });
    this.detailsEl = h('div', { class: 'details' });
    this.nearbyEl = h('section', { class: 'nearby', 'aria-live': 'polite', 'aria-labelledby': 'nearby-heading', hidden: true });
    this.summaryEl = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
    this.sendButton = h('button', { type: 'submit', class: 'button button-primary button-send' });

    const mapBox = h('div', { class: 'mini-map', id: 'report-map' });
    const photoButtons = h(
      'div',
      { class: 'button-row photo-buttons' },
      touch
        ? h('button', { type: 'button', class: 'button button-secondary', onclick: () => this.cameraInput.click() }, svgIcon(UI.camera), h('span', { class: 'photo-take-label' }))
        : null,
      h('button', { type: 'button', class: 'button button-secondary', onclick: () => this.fileInput.click() }, svgIcon(UI.image), h('span', { class: 'photo-choose-label' })),
    );

    const form = h(
      'form',
      {
        class: 'report-form',
        novalidate: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          void this.send();
        },
      },
      h(
        'section',
        { class: 'form-section', 'data-target': 'photos', 'aria-labelledby': 'photo-heading' },
        h('h2', { id: 'photo-heading' }, t('report.photo.title')),
        h('p', { class: 'hint', id: 'photo-hint' }, t('report.photo.hint')),
        this.photosEl,
        photoButtons,
        this.cameraInput,
        this.fileInput,
      ),
      h(
        'section',
        { class: 'form-section', 'data-target': 'location', 'aria-labelledby': 'location-heading' },
        h('h2', { id: 'location-heading' }, t('report.location.title')),
        this.locationStatusEl,
        mapBox,
        h(
          'div',
          { class: 'button-row' },
          h(
            'button',
            { type: 'button', class: 'button button-secondary', 'data-action': 'locate', onclick: () => this.locate() },
            svgIcon(UI.crosshair),
            h('span', null, t('report.location.useMine')),
          ),
        ),
      ),
      h(
        'section',
        { class: 'form-section', 'data-target': 'category', 'aria-labelledby': 'category-heading' },
        h('h2', { id: 'category-heading' }, t('report.category.title')),
        this.categoriesEl,
      ),
      this.nearbyEl,
      h(
        'section',
        { class: 'form-section', 'aria-labelledby': 'details-heading' },
        h('h2', { id: 'details-heading' }, t('report.details.title')),
        this.detailsEl,
        h(
          'div',
          { class: 'field', 'data-target': 'description' },
          h('label', { for: 'report-description' }, t('report.description.label')),
          h(
            'textarea',
            {
              id: 'report-description',
              name: 'description',
              rows: '3',
              maxlength: '5000',
              placeholder: t('report.description.placeholder'),
              oninput: (e: Event) => {
                this.draft.description = (e.target as HTMLTextAreaElement).value;
                this.clearProblemIf('description');
              },
            },
            this.draft.description,
          ),
        ),
        h(
          'div',
          { class: 'field', 'data-target': 'email' },
          h('label', { for: 'report-email' }, t('report.email.label')),
          h('p', { class: 'hint', id: 'report-email-hint' }, t('report.email.hint')),
          h('input', {
            id: 'report-email',
            name: 'email',
            type: 'email',
            inputmode: 'email',
            autocomplete: 'email',
            maxlength: '254',
            value: this.draft.email,
            'aria-describedby': 'report-email-hint',
            oninput: (e: Event) => {
              this.draft.email = (e.target as HTMLInputElement).value;
              this.clearProblemIf('email');
            },
          }),
        ),
      ),
      this.summaryEl,
      h('div', { class: 'send-bar' }, this.sendButton),
    );

    replaceChildren(
      this.el,
      h(
        'div',
        { class: 'page' },
        h('a', { class: 'back-link', href: '/', 'data-nav': true }, svgIcon(UI.back), t('report.back')),
        h('h1', { id: 'report-heading', tabindex: '-1' }, t('report.title')),
        h('p', { class: 'lead' }, t('report.intro')),
        form,
      ),
    );
    const take = this.el.querySelector('.photo-take-label');
    if (take) take.textContent = t('report.photo.take');
    this.renderPhotos();
    this.renderLocationStatus();
    this.renderCategories();
    this.renderDetails();
    this.renderNearby();
    this.renderSendButton();
    this.renderProblem();
    this.pinMap = new PinMap(
      mapBox,
      this.draft.location,
      (location) => this.setLocation(location, 'map', false),
      () => this.renderLocationStatus(),
    );
  }

  private renderPhotos(): void {
    const photos = this.draft.photos;
    replaceChildren(this.photosEl, photoThumbs(photos, (i) => this.removePhoto(i)));
    const full = photos.length >= MAX_PHOTOS;
    for (const b of this.el.querySelectorAll<HTMLButtonElement>('.photo-buttons button')) b.hidden = full;
    const choose = this.el.querySelector('.photo-choose-label');
    if (choose) choose.textContent = photos.length ? t('report.photo.add') : t('report.photo.choose');
  }

  private renderLocationStatus(): void {
    const { location, locationSource } = this.draft;
    let text: string;
    if (this.locating) text = t('report.location.locating');
    else if (location && locationSource) {
      text = t(
        locationSource === 'photo'
          ? 'report.location.fromPhoto'
          : locationSource === 'device'
            ? 'report.location.fromDevice'
            : 'report.location.fromMap',
      );
    } else if (this.locationMessage === 'denied') text = t('report.location.denied');
    else text = `${t('report.location.none')} ${this.pinMap?.ready ? t('report.location.hint') : ''}`.trim();
    replaceChildren(
      this.locationStatusEl,
      svgIcon(location ? UI.check : UI.pin),
      h('span', null, text),
      location
        ? h(
            'span',
            { class: 'coords' },
            t('report.location.coords', { lat: location.lat.toFixed(5), lon: location.lon.toFixed(5) }),
          )
        : null,
    );
    this.locationStatusEl.classList.toggle('is-set', !!location);
  }

  private renderCategories(): void {
    if (this.categoryError) {
      replaceChildren(
        this.categoriesEl,
        h('p', { class: 'error-text' }, t('report.category.error')),
        h('button', { type: 'button', class: 'button button-secondary', onclick: () => void this.loadCategories() }, t('common.retry')),
      );
      return;
    }
    if (!this.categoryList) {
      replaceChildren(this.categoriesEl, h('p', { class: 'hint' }, t('common.loading')));
      return;
    }
    replaceChildren(
      this.categoriesEl,
      categoryPicker(this.categoryList, this.draft.category, (code) => this.chooseCategory(code)),
    );
  }

  private currentCategory(): Category | undefined {
    return this.categoryList?.find((c) => c.code === this.draft.category);
  }

  private renderDetails(): void {
    const category = this.currentCategory();
    if (!category || category.attributes.length === 0) {
      replaceChildren(this.detailsEl);
      return;
    }
    const sorted = [...category.attributes].sort((a, b) => a.order - b.order);
    const field = (def: (typeof sorted)[number]) =>
      attributeField(def, this.draft.attributes[def.code], (value) => {
        this.draft.attributes[def.code] = value;
        this.clearProblemIf(`attr:${def.code}`);
      });
    const required = sorted.filter((a) => a.required);
    const optional = sorted.filter((a) => !a.required);
    const optionalOpen =
      optional.some((a) => {
        const v = this.draft.attributes[a.code];
        return Array.isArray(v) ? v.length > 0 : !!v;
      }) ||
      (this.problem?.field && optional.some((a) => this.problem?.field?.includes(a.code)));
    replaceChildren(
      this.detailsEl,
      required.map(field),
      optional.length
        ? h('details', { class: 'more-details', open: !!optionalOpen }, h('summary', null, t('report.details.more')), optional.map(field))
        : null,
    );
  }

  private renderNearby(): void {
    const list = this.nearbyList;
    this.nearbyEl.hidden = list.length === 0;
    if (list.length === 0) {
      replaceChildren(this.nearbyEl);
      return;
    }
    replaceChildren(this.nearbyEl, nearbyList(list));
  }

  private renderSendButton(): void {
    this.sendButton.disabled = this.sending;
    this.sendButton.setAttribute('aria-busy', String(this.sending));
    replaceChildren(this.sendButton, this.sending ? t('report.sending') : t('report.send'));
  }

  /** Shows the current problem: a summary by the Send button and the offending field marked. */
  private renderProblem(): void {
    showProblemInForm(this.el, this.summaryEl, this.problem);
  }

  private clearProblemIf(key: string): void {
    if (this.problem && targetKey(formTarget(this.problem.field)) === key) {
      this.problem = null;
      this.renderProblem();
    }
  }

  private renderSuccess(incident: Incident): void {
    replaceChildren(
      this.el,
      successView(incident, () => {
        this.result = null;
        this.render();
        this.heading.focus();
      }),
    );
  }

  private destroyPinMap(): void {
    this.pinMap?.destroy();
    this.pinMap = null;
  }

  // ---------------------------------------------------------------- actions

  private async loadCategories(): Promise<void> {
    const language = lang();
    this.categoryError = false;
    try {
      const list = await categories(language);
      if (language !== lang()) return;
      this.categoryList = list;
    } catch {
      this.categoryError = true;
    }
    if (!this.visible || this.result) return;
    this.renderCategories();
    this.renderDetails();
    this.renderProblem();
    void this.updateNearby();
  }

  private async addPhotos(files: File[]): Promise<void> {
    const room = MAX_PHOTOS - this.draft.photos.length;
    const added = files.slice(0, Math.max(0, room));
    for (const file of added) {
      const gps = await gpsFromFile(file).catch(() => null);
      this.draft.photos.push({ file, url: URL.createObjectURL(file), gps });
    }
    if (added.length === 0) return;
    if (this.problem && formTarget(this.problem.field).section === 'photos') this.problem = null;
    if (!this.visible || this.result) return;
    this.renderPhotos();
    if (locationFromPhotos(this.draft)) this.locationChanged(true);
    this.renderProblem();
  }

  private removePhoto(index: number): void {
    const [removed] = this.draft.photos.splice(index, 1);
    if (removed) URL.revokeObjectURL(removed.url);
    if (this.problem && formTarget(this.problem.field).section === 'photos') this.problem = null;
    this.renderPhotos();
    if (locationFromPhotos(this.draft)) this.locationChanged(true);
    this.renderProblem();
    (this.el.querySelector('.photo-buttons button:not([hidden])') as HTMLElement | null)?.focus();
  }

  private setLocation(loc: { lat: number; lon: number }, source: 'map' | 'device', recenter: boolean): void {
    this.draft.location = loc;
    this.draft.locationSource = source;
    this.locationMessage = null;
    this.locationChanged(recenter);
  }

  private locationChanged(recenter: boolean): void {
    this.clearProblemIf('location');
    this.pinMap?.show(this.draft.location, recenter);
    this.renderLocationStatus();
    void this.updateNearby();
  }

  private locate(): void {
    if (!('geolocation' in navigator)) {
      this.locationMessage = 'denied';
      this.renderLocationStatus();
      return;
    }
    this.locating = true;
    this.renderLocationStatus();
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        this.locating = false;
        this.setLocation({ lat: pos.coords.latitude, lon: pos.coords.longitude }, 'device', true);
      },
      () => {
        this.locating = false;
        this.locationMessage = 'denied';
        this.renderLocationStatus();
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }

  private chooseCategory(code: string): void {
    const changed = this.draft.category !== code;
    this.draft.category = code;
    this.clearProblemIf('category');
    if (!changed) return;
    this.renderDetails();
    void this.updateNearby();
  }

  /** Looks up open reports of the chosen category near the pin ("Is it one of these?"). */
  private async updateNearby(): Promise<void> {
    const { location, category } = this.draft;
    const key = location && category ? `${lang()}|${category}|${location.lat.toFixed(6)}|${location.lon.toFixed(6)}` : '';
    if (key === this.nearbyKey) return;
    this.nearbyKey = key;
    this.nearbyAbort?.abort();
    if (!location || !category) {
      this.nearbyList = [];
      this.renderNearby();
      return;
    }
    const abort = new AbortController();
    this.nearbyAbort = abort;
    try {
      this.nearbyList = await nearby(location, category, 100, abort.signal);
    } catch {
      if (abort.signal.aborted) return;
      this.nearbyList = [];
    }
    if (abort.signal.aborted || !this.visible) return;
    const wasHidden = this.nearbyEl.hidden;
    this.renderNearby();
    if (wasHidden && !this.nearbyEl.hidden) {
      this.nearbyEl.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
    }
  }

  private async send(): Promise<void> {
    if (this.sending) return;
    const draft = this.draft;
    if (!draft.category) {
      this.showProblem({ type: 'local', title: '', status: 0, detail: t('report.missing.category'), field: 'category' });
      return;
    }
    if (!draft.location && !draft.photos.length) {
      this.showProblem({ type: 'local', title: '', status: 0, detail: t('report.missing.location'), field: 'location' });
      return;
    }
    this.sending = true;
    this.problem = null;
    this.renderProblem();
    this.renderSendButton();
    try {
      const incident = await fileReport(reportForm(draft, this.currentCategory(), lang()), draft.idempotencyKey);
      disposeDraft(draft);
      this.draft = newDraft();
      this.nearbyList = [];
      this.nearbyKey = '';
      this.result = incident;
      this.sending = false;
      if (this.visible) {
        this.render();
        this.heading.focus();
      }
    } catch (e) {
      this.sending = false;
      this.renderSendButton();
      const problem: Problem =
        e instanceof ApiError
          ? e.problem
          : { type: 'network', title: '', status: 0, detail: t('common.networkError') };
      if (problem.type.endsWith('/idempotency-key-reused')) {
        // The key went with an earlier, different version of this report; this one needs its own.
        draft.idempotencyKey = newDraft().idempotencyKey;
      }
      this.showProblem(problem);
    }
  }

  private showProblem(problem: Problem): void {
    this.problem = problem;
    if (formTarget(problem.field).section === 'attribute') this.renderDetails();
    this.renderProblem();
    const target = this.el.querySelector('.field-error') ?? this.summaryEl;
    target.scrollIntoView({ behavior: 'smooth', block: 'center' });
  }
}
