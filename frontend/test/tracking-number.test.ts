import { describe, expect, it } from 'vitest';
import { normalizeTrackingNumber, trackingPath } from '../src/tracking-number';

describe('tracking numbers as typed', () => {
  it('accepts any spacing, dashes and case', () => {
    expect(normalizeTrackingNumber('abcd ef23')).toBe('ABCD-EF23');
    expect(normalizeTrackingNumber(' K7QM-4TX2 ')).toBe('K7QM-4TX2');
    expect(normalizeTrackingNumber('k7qm4tx2')).toBe('K7QM-4TX2');
  });

  it('refuses what is too short or too long', () => {
    expect(normalizeTrackingNumber('ABC')).toBeNull();
    expect(normalizeTrackingNumber('ABCD-EF234')).toBeNull();
    expect(normalizeTrackingNumber('')).toBeNull();
  });

  it('links to the tracking page', () => {
    expect(trackingPath('K7QM-4TX2')).toBe('/t/K7QM-4TX2');
  });
});
