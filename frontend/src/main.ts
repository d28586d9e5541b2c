//! The resident app: a header with the language switcher, and one screen per route.
import './styles.css';
import { h, replaceChildren, svgIcon } from './dom';
import { UI } from './icons';
import { lang, LANGS, LANG_NAMES, onLangChange, setLang, t } from './i18n';
import { MapScreen } from './map/map-screen';
import { ReportScreen } from './report/report-screen';
import { navigate, startRouter, type Route } from './router';
import { TrackingScreen } from './tracking/tracking-screen';

const report = new ReportScreen();
const map = new MapScreen(() => {
  navigate('/report');
  // In the same tap, so the browser lets the camera (or picker) open.
  report.openCameraOnTouch();
});
const tracking = new TrackingScreen();

const brand = h('a', { class: 'brand', href: '/', 'data-nav': true });
const followLink = h('a', { class: 'header-link', href: '/t', 'data-nav': true });
const langSwitch = h('div', { class: 'lang-switch', role: 'group' });
const skipLink = h('a', { class: 'skip-link', href: '#main' });
const main = h('main', { id: 'main', tabindex: '-1' }, map.el, report.el, tracking.el);

document.body.append(
  skipLink,
  h('header', { class: 'topbar' }, brand, h('nav', { class: 'topbar-nav' }, followLink, langSwitch)),
  main,
);

let route: Route = { screen: 'map' };
let firstRoute = true;

function renderChrome(): void {
  document.documentElement.lang = lang();
  skipLink.textContent = t('app.skip');
  replaceChildren(brand, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), h('span', null, t('app.name')));
  brand.setAttribute('aria-label', `${t('app.name')} — ${t('nav.map')}`);
  replaceChildren(followLink, svgIcon(UI.search), h('span', { class: 'label' }, t('nav.follow')));
  langSwitch.setAttribute('aria-label', t('lang.label'));
  replaceChildren(
    langSwitch,
    LANGS.map((l) =>
      h(
        'button',
        {
          type: 'button',
          lang: l,
          'aria-pressed': String(l === lang()),
          'aria-label': LANG_NAMES[l],
          title: LANG_NAMES[l],
          'data-lang': l,
          onclick: () => setLang(l),
        },
        l.toUpperCase(),
      ),
    ),
  );
  document.title = titleFor(route);
}

function titleFor(r: Route): string {
  const name = t('app.name');
  switch (r.screen) {
    case 'report':
      return `${t('report.title')} · ${name}`;
    case 'track':
      return r.trackingNumber ? `${t('track.title', { tn: r.trackingNumber })} · ${name}` : `${t('track.heading')} · ${name}`;
    default:
      return `${name} · ${t('app.tagline')}`;
  }
}

startRouter((next, state) => {
  route = next;
  document.body.dataset.screen = next.screen;
  if (next.screen !== 'map') map.hide();
  if (next.screen !== 'report') report.hide();
  if (next.screen !== 'track') tracking.hide();
  switch (next.screen) {
    case 'map':
      map.show(state);
      break;
    case 'report':
      report.show();
      break;
    case 'track':
      tracking.show(next.trackingNumber);
      break;
  }
  document.title = titleFor(next);
  if (!firstRoute) {
    // Tell screen readers the page changed, and start reading from its heading.
    const heading = next.screen === 'map' ? map.heading : next.screen === 'report' ? report.heading : tracking.heading;
    heading?.focus({ preventScroll: true });
    if (next.screen !== 'map') window.scrollTo(0, 0);
  }
  firstRoute = false;
});

renderChrome();
onLangChange(() => {
  renderChrome();
  map.relabel();
  report.relabel();
  tracking.relabel();
  const pressed = langSwitch.querySelector<HTMLElement>(`[data-lang="${lang()}"]`);
  pressed?.focus();
});
