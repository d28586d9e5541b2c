//! After sending: the tracking number, big, and where to go next.
import type { Incident } from '../api';
import { h, svgIcon } from '../dom';
import { t } from '../i18n';
import { UI } from '../icons';
import { navigate } from '../router';
import { trackingPath } from '../tracking-number';

/** The confirmation page of a filed report; `onAnother` starts a new one. */
export function successView(incident: Incident, onAnother: () => void): HTMLElement {
  return h(
    'div',
    { class: 'page success' },
    h('div', { class: 'success-mark', 'aria-hidden': 'true' }, svgIcon(UI.check)),
    h('h1', { id: 'report-heading', tabindex: '-1' }, t('report.success.title')),
    h('p', { class: 'tn-label', id: 'tn-label' }, t('report.success.number')),
    h('p', { class: 'tn-big', 'aria-describedby': 'tn-label', 'data-testid': 'tracking-number' }, incident.tracking_number),
    h('p', null, t('report.success.keep')),
    h(
      'div',
      { class: 'button-stack' },
      h('a', { class: 'button button-primary', href: trackingPath(incident.tracking_number), 'data-nav': true }, t('report.success.follow')),
      h(
        'button',
        { type: 'button', class: 'button button-secondary', onclick: () => navigate('/', { focus: incident.location }) },
        t('report.success.map'),
      ),
      h('button', { type: 'button', class: 'button button-link', onclick: onAnother }, t('report.success.another')),
    ),
  );
}
