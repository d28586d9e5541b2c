import { describe, expect, it } from 'vitest';
import { contrast, STATUS_COLORS, STATUSES, statusColorExpression } from '../src/status';

describe('status colours', () => {
  it('has a colour for every status', () => {
    expect(Object.keys(STATUS_COLORS).sort()).toEqual([...STATUSES].sort());
  });

  it('carries white text at WCAG AA contrast', () => {
    for (const [status, color] of Object.entries(STATUS_COLORS)) {
      expect(contrast(color, '#ffffff'), status).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('builds a match expression with a fallback', () => {
    const expr = statusColorExpression('status');
    expect(expr.slice(0, 2)).toEqual(['match', ['get', 'status']]);
    expect(expr.length).toBe(2 + STATUSES.length * 2 + 1);
  });
});

describe('interface colours (styles.css)', () => {
  const pairs: [string, string, string, number][] = [
    ['body text', '#16181d', '#f4f5f7', 4.5],
    ['muted text on white', '#4b5563', '#ffffff', 4.5],
    ['muted text on the page', '#4b5563', '#f4f5f7', 4.5],
    ['primary button', '#ffffff', '#0b5cad', 4.5],
    ['report button', '#ffffff', '#c2410c', 4.5],
    ['header', '#ffffff', '#0b3d91', 4.5],
    ['error text', '#b91c1c', '#fdecec', 4.5],
    ['success text', '#15803d', '#ffffff', 4.5],
    ['input borders', '#767f8c', '#ffffff', 3],
    ['focus ring (yellow on the header)', '#ffd500', '#0b3d91', 3],
    ['focus ring (black on white)', '#111111', '#ffffff', 3],
  ];
  for (const [what, fg, bg, min] of pairs) {
    it(`${what}: ${fg} on ${bg} ≥ ${min}:1`, () => {
      expect(contrast(fg, bg)).toBeGreaterThanOrEqual(min);
    });
  }
});
