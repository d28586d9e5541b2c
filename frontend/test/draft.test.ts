import { describe, expect, it } from 'vitest';
import type { Category } from '../src/api';
import { localDateTimeToRfc3339, locationFromPhotos, newDraft, reportForm } from '../src/report/draft';

const pothole: Category = {
  code: 'pothole',
  name: 'Groapă în carosabil',
  description: '',
  group: { code: 'roads', name: 'Drumuri' },
  icon: 'pothole',
  default_priority: 'normal',
  attributes: [
    { code: 'depth_cm', datatype: 'number', required: false, order: 1, description: '', values: [] },
    { code: 'seen_at', datatype: 'datetime', required: false, order: 2, description: '', values: [] },
    { code: 'kinds', datatype: 'multivaluelist', required: false, order: 3, description: '', values: [] },
  ],
};

describe('the report form', () => {
  it('holds every field the API takes', () => {
    const d = newDraft();
    d.category = 'pothole';
    d.location = { lat: 46.07, lon: 23.583 };
    d.description = '  Groapă adâncă  ';
    d.email = 'ana@example.ro';
    d.attributes = { depth_cm: '12', kinds: ['a', 'b'], other: 'not of this category', seen_at: '' };
    const photo = new File([new Uint8Array([0xff, 0xd8])], 'p.jpg', { type: 'image/jpeg' });
    d.photos = [{ file: photo, url: 'blob:x', gps: null }];
    const form = reportForm(d, pothole, 'hu');
    expect(form.get('category')).toBe('pothole');
    expect(form.get('lat')).toBe('46.0700000');
    expect(form.get('lon')).toBe('23.5830000');
    expect(form.get('description')).toBe('Groapă adâncă');
    expect(form.get('reporter_email')).toBe('ana@example.ro');
    expect(form.get('locale')).toBe('hu');
    expect(form.getAll('attribute[depth_cm]')).toEqual(['12']);
    expect(form.getAll('attribute[kinds]')).toEqual(['a', 'b']);
    expect(form.has('attribute[other]')).toBe(false);
    expect(form.has('attribute[seen_at]')).toBe(false);
    expect((form.getAll('photos')[0] as File).name).toBe('p.jpg');
  });

  it('leaves out what the resident did not give', () => {
    const d = newDraft();
    d.category = 'pothole';
    const form = reportForm(d, pothole, 'ro');
    expect([...form.keys()].sort()).toEqual(['category', 'locale']);
  });

  it('gets a new idempotency key per report', () => {
    expect(newDraft().idempotencyKey).not.toBe(newDraft().idempotencyKey);
    expect(newDraft().idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('the pin from photos', () => {
  const withGps = (lat: number, lon: number) => ({ file: new File([], 'a.jpg'), url: '', gps: { lat, lon } });

  it('comes from the first photo with GPS', () => {
    const d = newDraft();
    d.photos = [{ file: new File([], 'x.jpg'), url: '', gps: null }, withGps(46.07, 23.583), withGps(1, 2)];
    expect(locationFromPhotos(d)).toBe(true);
    expect(d.location).toEqual({ lat: 46.07, lon: 23.583 });
    expect(d.locationSource).toBe('photo');
  });

  it('never overrides a pin the resident placed', () => {
    const d = newDraft();
    d.location = { lat: 46.06, lon: 23.57 };
    d.locationSource = 'map';
    d.photos = [withGps(46.07, 23.583)];
    expect(locationFromPhotos(d)).toBe(false);
    expect(d.location).toEqual({ lat: 46.06, lon: 23.57 });
  });

  it('goes away with the photo it came from', () => {
    const d = newDraft();
    d.photos = [withGps(46.07, 23.583)];
    locationFromPhotos(d);
    d.photos = [];
    expect(locationFromPhotos(d)).toBe(true);
    expect(d.location).toBeNull();
  });
});

describe('date-times', () => {
  it('adds the offset to a datetime-local value', () => {
    expect(localDateTimeToRfc3339('2026-11-24T08:30', 120)).toBe('2026-11-24T08:30:00+02:00');
    expect(localDateTimeToRfc3339('2026-11-24T08:30:15', -330)).toBe('2026-11-24T08:30:15-05:30');
    expect(localDateTimeToRfc3339('2026-11-24T08:30', 0)).toBe('2026-11-24T08:30:00+00:00');
  });

  it('leaves other values for the server to judge', () => {
    expect(localDateTimeToRfc3339('yesterday')).toBe('yesterday');
  });
});
