//! "Is it one of these?": open reports of the same category near the pin, each a link to follow it.
import type { NearbyIncident } from '../api';
import { h } from '../dom';
import { formatDate, t } from '../i18n';
import { isStatus, statusColor } from '../status';
import { trackingPath } from '../tracking-number';

/** The heading, the explanation and the list. */
export function nearbyList(list: NearbyIncident[]): HTMLElement[] {
  return [
    h('h2', { id: 'nearby-heading' }, t('report.nearby.title')),
    h('p', { class: 'hint' }, t('report.nearby.intro')),
    h(
      'ul',
      { class: 'nearby-list' },
      list.map((n) =>
        h(
          'li',
          null,
          h(
            'a',
            { href: trackingPath(n.tracking_number), 'data-nav': true, class: 'nearby-item' },
            h(
              'span',
              { class: 'nearby-main' },
              h('span', { class: 'nearby-name' }, n.category.name),
              h(
                'span',
                { class: 'muted' },
                t('report.nearby.distance', { m: Math.round(n.distance_m) }),
                ' · ',
                formatDate(n.created_at),
                ' · ',
                h('span', { class: 'tn' }, n.tracking_number),
              ),
            ),
            h(
              'span',
              { class: 'badge', style: { background: statusColor(n.status) } },
              isStatus(n.status) ? t(`status.${n.status}`) : n.status,
            ),
            h('span', { class: 'nearby-follow' }, t('report.nearby.follow')),
          ),
        ),
      ),
    ),
  ];
}
