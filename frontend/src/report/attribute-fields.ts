//! The extra questions of a category (its `attributes`: Open311 service definition), as form controls.
import type { AttributeDefinition } from '../api';
import { h } from '../dom';
import { t } from '../i18n';

/** The id of an attribute's control (or fieldset), also used to find it when the API names it. */
export function attributeId(code: string): string {
  return `attr-${code.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * A control for one attribute, showing `value` and reporting changes through `onChange`.
 * Required single choices are tappable chips (one tap); optional ones are a select, so they can be cleared.
 */
export function attributeField(
  def: AttributeDefinition,
  value: string | string[] | undefined,
  onChange: (value: string | string[]) => void,
): HTMLElement {
  const id = attributeId(def.code);
  const tag = h('span', { class: 'field-tag' }, def.required ? t('report.required') : t('report.optional'));
  const wrap = (control: HTMLElement, label: HTMLElement) =>
    h('div', { class: 'field', 'data-target': `attr:${def.code}` }, label, control);

  switch (def.datatype) {
    case 'singlevaluelist':
      if (def.required) {
        return h(
          'fieldset',
          { class: 'field chips', id, 'data-target': `attr:${def.code}`, 'aria-required': 'true' },
          h('legend', null, def.description, ' ', tag),
          h(
            'div',
            { class: 'chip-row' },
            def.values.map((v) =>
              h(
                'label',
                { class: 'chip' },
                h('input', {
                  type: 'radio',
                  name: id,
                  value: v.key,
                  checked: value === v.key,
                  onchange: () => onChange(v.key),
                }),
                h('span', null, v.name),
              ),
            ),
          ),
        );
      }
      return wrap(
        h(
          'select',
          { id, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
          h('option', { value: '' }, t('report.details.choose')),
          def.values.map((v) => h('option', { value: v.key, selected: value === v.key }, v.name)),
        ),
        h('label', { for: id }, def.description, ' ', tag),
      );
    case 'multivaluelist': {
      const chosen = new Set(Array.isArray(value) ? value : value ? [value] : []);
      return h(
        'fieldset',
        { class: 'field chips', id, 'data-target': `attr:${def.code}` },
        h('legend', null, def.description, ' ', tag),
        h(
          'div',
          { class: 'chip-row' },
          def.values.map((v) =>
            h(
              'label',
              { class: 'chip' },
              h('input', {
                type: 'checkbox',
                value: v.key,
                checked: chosen.has(v.key),
                onchange: (e: Event) => {
                  if ((e.target as HTMLInputElement).checked) chosen.add(v.key);
                  else chosen.delete(v.key);
                  onChange([...chosen]);
                },
              }),
              h('span', null, v.name),
            ),
          ),
        ),
      );
    }
    case 'text':
      return wrap(
        h('textarea', {
          id,
          rows: '3',
          maxlength: '2000',
          'aria-required': def.required ? 'true' : false,
          oninput: (e: Event) => onChange((e.target as HTMLTextAreaElement).value),
        }, typeof value === 'string' ? value : ''),
        h('label', { for: id }, def.description, ' ', tag),
      );
    case 'datetime':
      return wrap(
        h('input', {
          id,
          type: 'datetime-local',
          value: typeof value === 'string' ? value : '',
          'aria-required': def.required ? 'true' : false,
          oninput: (e: Event) => onChange((e.target as HTMLInputElement).value),
        }),
        h('label', { for: id }, def.description, ' ', tag),
      );
    case 'number':
      return wrap(
        h('input', {
          id,
          type: 'text',
          inputmode: 'decimal',
          autocomplete: 'off',
          value: typeof value === 'string' ? value : '',
          'aria-required': def.required ? 'true' : false,
          oninput: (e: Event) => onChange((e.target as HTMLInputElement).value),
        }),
        h('label', { for: id }, def.description, ' ', tag),
      );
    default:
      return wrap(
        h('input', {
          id,
          type: 'text',
          maxlength: '2000',
          autocomplete: 'off',
          value: typeof value === 'string' ? value : '',
          'aria-required': def.required ? 'true' : false,
          oninput: (e: Event) => onChange((e.target as HTMLInputElement).value),
        }),
        h('label', { for: id }, def.description, ' ', tag),
      );
  }
}
