//! Incident statuses: their order, whether they are open, and their colours on the map.

export const STATUSES = [
  'new',
  'acknowledged',
  'assigned',
  'in_progress',
  'resolved',
  'closed',
  'rejected',
  'duplicate',
  'referred',
  'reopened',
] as const;

export type Status = (typeof STATUSES)[number];

/** True for a status the API knows. */
export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** Statuses after which nothing more happens. */
export const FINAL_STATUSES: readonly Status[] = ['closed', 'rejected', 'duplicate', 'referred'];

/**
 * What the residents' map shows: open reports, and resolved ones (so a fix is seen). Reports in a
 * final status would bury the open ones under years of history.
 */
export const MAP_STATUSES: readonly Status[] = STATUSES.filter((s) => !FINAL_STATUSES.includes(s));

/**
 * Each status's colour: warm for waiting, blue/violet for being handled, green for done, greys for final.
 * Every one carries white text at WCAG AA contrast (≥ 4.5:1; checked in test/status.test.ts).
 */
export const STATUS_COLORS: Record<Status, string> = {
  new: '#c62828',
  acknowledged: '#b45309',
  assigned: '#6d28d9',
  in_progress: '#1d4ed8',
  resolved: '#15803d',
  closed: '#4b5563',
  rejected: '#78350f',
  duplicate: '#5b6472',
  referred: '#0e7490',
  reopened: '#be185d',
};

/** The colour of a status; a neutral grey for one we do not know. */
export function statusColor(status: unknown): string {
  return isStatus(status) ? STATUS_COLORS[status] : '#4b5563';
}

/** A MapLibre `match` expression giving the colour for the status in `property`. */
export function statusColorExpression(property: string): unknown[] {
  const expr: unknown[] = ['match', ['get', property]];
  for (const s of STATUSES) expr.push(s, STATUS_COLORS[s]);
  expr.push('#4b5563');
  return expr;
}

/** WCAG relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two `#rrggbb` colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
