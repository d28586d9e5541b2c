//! Tracking numbers as people type them: `abcd ef23`, `ABCDEF23` and `ABCD-EF23` are the same.

// Eight letters or digits; the server checks the alphabet and the check character and explains
// what is wrong (no O, 0, I or 1) better than a generic message could.
const SHAPE = /^[0-9A-Z]{8}$/;

/** `ABCD-EF23` from what a person typed, or null when it does not have the shape of one. */
export function normalizeTrackingNumber(input: string): string | null {
  const compact = input.toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (!SHAPE.test(compact)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4)}`;
}

/** The app's page for a tracking number. */
export function trackingPath(trackingNumber: string): string {
  return `/t/${encodeURIComponent(trackingNumber)}`;
}
