/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrast, STATUS_COLORS, STATUSES, statusColorExpression } from '../src/status';

/**
 * The app's stylesheet as `selector → property → value`, later declarations winning. Enough of CSS
 * for this file: flat rules, and rules inside `@media` blocks (read as if they always applied).
 */
function readStyles(): Map<string, Map<string, string>> {
  const css = readFileSync(new URL('../src/styles.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const rules = new Map<string, Map<string, string>>();
  for (const [, selectors, body] of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    for (const selector of selectors.split(',').map((s) => s.trim().replace(/\s+/g, ' '))) {
      const declarations = rules.get(selector) ?? new Map<string, string>();
      for (const declaration of body.split(';')) {
        const colon = declaration.indexOf(':');
        if (colon > 0) declarations.set(declaration.slice(0, colon).trim(), declaration.slice(colon + 1).trim());
      }
      rules.set(selector, declarations);
    }
  }
  return rules;
}

const styles = readStyles();

/** The `#rrggbb` colour in `property` of `selector` (or the custom property `--name` of `:root`). */
function color(selector: string, property?: string): string {
  const value = property ? styles.get(selector)?.get(property) : styles.get(':root')?.get(selector);
  if (value === undefined) throw new Error(`styles.css has no ${property ?? ''} for ${selector}`);
  const resolved = value.replace(/var\((--[\w-]+)\)/g, (_, name: string) => color(name));
  const hex = resolved.match(/#([0-9a-f]{6}|[0-9a-f]{3})\b/i)?.[1];
  if (!hex) throw new Error(`no colour in ${selector} { ${property ?? ''}: ${value} }`);
  return `#${hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex}`.toLowerCase();
}

describe('status colours', () => {
  it('has a colour for every status', () => {
    expect(Object.keys(STATUS_COLORS).sort()).toEqual([...STATUSES].sort());
  });

  // A status colour is the background of a badge and of a cluster on the map, under the text
  // colour styles.css gives them.
  const texts = [
    ['badge', color('.badge', 'color')],
    ['cluster count', color('.cluster-count', 'color')],
  ];
  for (const [where, text] of texts) {
    it(`carries the ${where}'s text (${text}) at WCAG AA contrast`, () => {
      for (const [status, background] of Object.entries(STATUS_COLORS)) {
        expect(contrast(text, background), `${status} ${background}`).toBeGreaterThanOrEqual(4.5);
      }
    });
  }

  it('builds a match expression with a fallback', () => {
    const expr = statusColorExpression('status');
    expect(expr.slice(0, 2)).toEqual(['match', ['get', 'status']]);
    expect(expr.length).toBe(2 + STATUSES.length * 2 + 1);
  });
});

describe('interface colours (styles.css)', () => {
  const white = '#ffffff';
  // [what, text or line colour, colour behind it, least contrast], each read from styles.css.
  const pairs: [string, () => string, () => string, number][] = [
    ['body text', () => color(':root', 'color'), () => color(':root', 'background'), 4.5],
    ['muted text on white', () => color('.muted', 'color'), () => color('--surface'), 4.5],
    ['muted text on the page', () => color('.muted', 'color'), () => color(':root', 'background'), 4.5],
    ['primary button', () => color('.button-primary', 'color'), () => color('.button-primary', 'background'), 4.5],
    ['primary button, hovered', () => color('.button-primary', 'color'), () => color('.button-primary:hover', 'background'), 4.5],
    ['primary button, sending', () => color('.button-primary', 'color'), () => color('.button-primary:disabled', 'background'), 4.5],
    ['secondary button', () => color('.button-secondary', 'color'), () => color('.button-secondary:hover', 'background'), 4.5],
    ['report button', () => color('.report-fab', 'color'), () => color('.report-fab', 'background'), 4.5],
    ['report button, hovered', () => color('.report-fab', 'color'), () => color('.report-fab:hover', 'background'), 4.5],
    ['header', () => color('.topbar', 'color'), () => color('.topbar', 'background'), 4.5],
    ['error text', () => color('.tag-warn', 'color'), () => color('.tag-warn', 'background'), 4.5],
    ['error text in a field', () => color('.field-error', 'color'), () => color('--surface'), 4.5],
    ['success text', () => color('.location-status.is-set', 'color'), () => color('--surface'), 4.5],
    ['input borders', () => color('textarea', 'border'), () => color('textarea', 'background'), 3],
    ['focus ring (yellow on the header)', () => color(':focus-visible', 'outline'), () => color('.topbar', 'background'), 3],
    ['focus ring (black on white)', () => color(':focus-visible', 'box-shadow'), () => white, 3],
  ];
  for (const [what, fg, bg, min] of pairs) {
    it(`${what} ≥ ${min}:1`, () => {
      const [text, behind] = [fg(), bg()];
      expect(contrast(text, behind), `${text} on ${behind}`).toBeGreaterThanOrEqual(min);
    });
  }

  it('reads the colours the stylesheet declares', () => {
    // The reader itself: a variable resolves, and a short hex widens.
    expect(color('.topbar', 'background')).toBe(color('--blue-900'));
    expect(color('.badge', 'color')).toBe(white);
    expect(() => color('.no-such-rule', 'color')).toThrow();
  });
});
