import { describe, expect, it } from 'vitest';
import { formTarget, isProblem } from '../src/problem';

describe('problem field → form part', () => {
  it('maps photos by index', () => {
    expect(formTarget('photos[0]')).toEqual({ section: 'photos', index: 0 });
    expect(formTarget('photos[3]')).toEqual({ section: 'photos', index: 3 });
    expect(formTarget('photo[1]')).toEqual({ section: 'photos', index: 1 });
    expect(formTarget('photos')).toEqual({ section: 'photos' });
  });

  it('maps the location fields', () => {
    for (const f of ['lat', 'lon', 'long', 'location']) expect(formTarget(f)).toEqual({ section: 'location' });
  });

  it('maps category, description and e-mail', () => {
    expect(formTarget('category')).toEqual({ section: 'category' });
    expect(formTarget('description')).toEqual({ section: 'description' });
    expect(formTarget('reporter_email')).toEqual({ section: 'email' });
    expect(formTarget('email')).toEqual({ section: 'email' });
  });

  it('maps attributes in both spellings', () => {
    expect(formTarget('attributes.depth_cm')).toEqual({ section: 'attribute', code: 'depth_cm' });
    expect(formTarget('attribute[sign_state]')).toEqual({ section: 'attribute', code: 'sign_state' });
    expect(formTarget('attributes[waste_types][]')).toEqual({ section: 'attribute', code: 'waste_types' });
  });

  it('leaves the rest to the summary', () => {
    expect(formTarget(undefined)).toEqual({ section: 'general' });
    expect(formTarget(null)).toEqual({ section: 'general' });
    expect(formTarget('Idempotency-Key')).toEqual({ section: 'general' });
    expect(formTarget('reporter_phone')).toEqual({ section: 'general' });
  });

  it('recognises problem documents', () => {
    expect(isProblem({ type: '/problems/photo-heic', title: 'x', status: 415, detail: 'y' })).toBe(true);
    expect(isProblem({ error: 'x' })).toBe(false);
    expect(isProblem(null)).toBe(false);
  });
});
