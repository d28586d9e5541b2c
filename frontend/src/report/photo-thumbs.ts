//! The photos added to a report, as thumbnails with a remove button each.
import { h, svgIcon } from '../dom';
import { t } from '../i18n';
import { UI } from '../icons';
import { MAX_PHOTOS, type DraftPhoto } from './draft';

/** The thumbnails (marked with a pin when the photo has a GPS position), and a note when no more fit. */
export function photoThumbs(photos: DraftPhoto[], onRemove: (index: number) => void): (HTMLElement | null)[] {
  return [
    photos.length
      ? h(
          'ul',
          { class: 'thumbs' },
          photos.map((p, i) =>
            h(
              'li',
              { class: 'thumb', 'data-photo-index': String(i) },
              thumbImage(p.url, p.file.name, t('report.photo.alt', { n: i + 1 })),
              p.gps ? h('span', { class: 'thumb-gps', title: t('report.location.fromPhoto') }, svgIcon(UI.pin)) : null,
              h(
                'button',
                {
                  type: 'button',
                  class: 'icon-button thumb-remove',
                  'aria-label': t('report.photo.remove', { n: i + 1 }),
                  onclick: () => onRemove(i),
                },
                svgIcon(UI.close),
              ),
            ),
          ),
        )
      : null,
    photos.length >= MAX_PHOTOS ? h('p', { class: 'hint' }, t('report.photo.max', { max: MAX_PHOTOS })) : null,
  ];
}

/** A thumbnail; a file the browser cannot show (HEIC on most browsers) gets a placeholder with its name. */
function thumbImage(url: string, name: string, alt: string): HTMLElement {
  const img = h('img', { src: url, alt, loading: 'lazy' });
  img.addEventListener('error', () => {
    img.replaceWith(h('span', { class: 'thumb-file', role: 'img', 'aria-label': alt }, svgIcon(UI.image), h('span', null, name)));
  });
  return img;
}
