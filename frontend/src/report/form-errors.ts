//! Showing an API problem in the report form: a summary by the Send button, and the field it names
//! (`photos[0]`, `location`, `category`, `reporter_email`, `attributes.<code>`, …) marked with the message.
import { h, replaceChildren, svgIcon } from '../dom';
import { t } from '../i18n';
import { UI } from '../icons';
import { formTarget, type FormTarget, type Problem } from '../problem';
import { attributeId } from './attribute-fields';

/** A stable key for a form target, to tell whether an edit touches the field a problem is about. */
export function targetKey(target: FormTarget): string {
  return target.section === 'attribute' ? `attr:${target.code}` : target.section;
}

/** The element of the form a target is about: its `[data-target]` section or field. */
function targetElement(form: HTMLElement, target: FormTarget): HTMLElement | null {
  if (target.section === 'general') return null;
  if (target.section === 'attribute') {
    const el = form.querySelector<HTMLElement>(`#${attributeId(target.code)}`);
    const details = el?.closest('details');
    if (details) details.open = true;
    return (el?.closest('[data-target]') as HTMLElement | null) ?? el;
  }
  return form.querySelector<HTMLElement>(`[data-target="${target.section}"]`);
}

/** Clears the previous marks, then shows `problem` (if any) in `summary` and at its field. */
export function showProblemInForm(form: HTMLElement, summary: HTMLElement, problem: Problem | null): void {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    const describedBy = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.endsWith('-error'));
    if (describedBy.length) el.setAttribute('aria-describedby', describedBy.join(' '));
    else el.removeAttribute('aria-describedby');
  }
  summary.hidden = !problem;
  if (!problem) {
    replaceChildren(summary);
    return;
  }
  const text = problem.detail || problem.title;
  replaceChildren(
    summary,
    h('h2', null, svgIcon(UI.alert), t('report.error.title')),
    h('p', { class: 'error-detail' }, text),
    h('p', { class: 'hint' }, t('report.error.kept')),
  );
  const target = formTarget(problem.field);
  const container = targetElement(form, target);
  if (!container) return;
  container.classList.add('invalid');
  const errorId = `${targetKey(target).replace(/[^A-Za-z0-9_-]/g, '_')}-error`;
  const message = h('p', { class: 'field-error', id: errorId }, svgIcon(UI.alert), h('span', null, text));
  const control = container.matches('input, select, textarea')
    ? container
    : container.querySelector<HTMLElement>('input:not([type=file]), select, textarea');
  if (target.section === 'photos' && target.index !== undefined) {
    container.querySelector(`[data-photo-index="${target.index}"]`)?.classList.add('invalid');
  }
  if (control && target.section !== 'category' && target.section !== 'photos') {
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') ?? ''} ${errorId}`.trim());
  }
  // The message goes after the heading of a section, or after the label of a field.
  const heading = container.querySelector(':scope > h2, :scope > legend, :scope > label');
  if (heading) heading.after(message);
  else container.append(message);
}
