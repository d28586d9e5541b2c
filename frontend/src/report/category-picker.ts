//! The category picker: one radio tile (icon and name) per category, grouped as the API groups them.
import type { Category } from '../api';
import { h, svgIcon } from '../dom';
import { categoryIcon } from '../icons';

/** The groups of tiles, in the order the API lists them, with `chosen` checked. */
export function categoryPicker(
  categories: Category[],
  chosen: string | null,
  onChoose: (code: string) => void,
): HTMLElement[] {
  const groups = new Map<string, { name: string; items: Category[] }>();
  for (const c of categories) {
    const g = groups.get(c.group.code) ?? { name: c.group.name, items: [] };
    g.items.push(c);
    groups.set(c.group.code, g);
  }
  return [...groups.values()].map((g) =>
    h(
      'fieldset',
      { class: 'category-group' },
      h('legend', null, g.name),
      h(
        'div',
        { class: 'category-grid' },
        g.items.map((c) =>
          h(
            'label',
            { class: 'category-tile', title: c.description },
            h('input', {
              type: 'radio',
              name: 'category',
              value: c.code,
              checked: chosen === c.code,
              onchange: () => onChoose(c.code),
            }),
            svgIcon(categoryIcon(c.icon), 'icon category-icon'),
            h('span', { class: 'category-name' }, c.name),
          ),
        ),
      ),
    ),
  );
}
