//! The report being written: what the resident chose and typed, kept across errors and navigation
//! until it is filed, and turned into the multipart form the API takes.
import { uuid4, type AttributeDefinition, type Category } from '../api';
import type { LatLon } from '../exif';

/** One photo added to the report. */
export interface DraftPhoto {
  file: File;
  /** An object URL for its thumbnail. */
  url: string;
  /** Its EXIF GPS position, if it has one. */
  gps: LatLon | null;
}

/** Where the pin came from. */
export type LocationSource = 'photo' | 'device' | 'map';

export interface Draft {
  /** Made when the form opens; the same key on a retry files one report only. */
  idempotencyKey: string;
  photos: DraftPhoto[];
  location: LatLon | null;
  locationSource: LocationSource | null;
  category: string | null;
  /** Extra attributes by code: a single value, or the keys of a multi-value list. */
  attributes: Record<string, string | string[]>;
  description: string;
  email: string;
}

/** Most photos the API takes by default. */
export const MAX_PHOTOS = 5;

export function newDraft(): Draft {
  return {
    idempotencyKey: uuid4(),
    photos: [],
    location: null,
    locationSource: null,
    category: null,
    attributes: {},
    description: '',
    email: '',
  };
}

/** Lets go of a draft's thumbnails. */
export function disposeDraft(draft: Draft): void {
  for (const p of draft.photos) URL.revokeObjectURL(p.url);
}

/**
 * Places the pin from the photos when the resident has not placed it themselves: the first photo with a
 * GPS position wins. Returns true when the location changed.
 */
export function locationFromPhotos(draft: Draft): boolean {
  if (draft.locationSource === 'map' || draft.locationSource === 'device') return false;
  const gps = draft.photos.find((p) => p.gps)?.gps ?? null;
  if (!gps) {
    if (draft.locationSource === 'photo') {
      draft.location = null;
      draft.locationSource = null;
      return true;
    }
    return false;
  }
  if (draft.location?.lat === gps.lat && draft.location?.lon === gps.lon) return false;
  draft.location = gps;
  draft.locationSource = 'photo';
  return true;
}

/** `2026-11-24T08:30` (a datetime-local value, in the device's time zone) as RFC 3339 with its offset. */
export function localDateTimeToRfc3339(value: string, offsetMinutes?: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return value;
  const [, y, mo, d, hh, mm, ss = '00'] = m;
  const offset =
    offsetMinutes ?? -new Date(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mm)).getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const oh = String(Math.floor(abs / 60)).padStart(2, '0');
  const om = String(abs % 60).padStart(2, '0');
  return `${y}-${mo}-${d}T${hh}:${mm}:${ss}${sign}${oh}:${om}`;
}

/** The attributes of `category` the draft has values for, as form fields (`attribute[code]`). */
function attributeFields(draft: Draft, definitions: AttributeDefinition[]): [string, string][] {
  const out: [string, string][] = [];
  for (const def of definitions) {
    const value = draft.attributes[def.code];
    const values = (Array.isArray(value) ? value : [value ?? '']).map((v) => v.trim()).filter((v) => v !== '');
    for (const v of values) {
      out.push([`attribute[${def.code}]`, def.datatype === 'datetime' ? localDateTimeToRfc3339(v) : v]);
    }
  }
  return out;
}

/** The multipart form for `POST /api/v1/incidents`. */
export function reportForm(draft: Draft, category: Category | undefined, locale: string): FormData {
  const form = new FormData();
  if (draft.category) form.append('category', draft.category);
  if (draft.location) {
    form.append('lat', draft.location.lat.toFixed(7));
    form.append('lon', draft.location.lon.toFixed(7));
  }
  if (draft.description.trim()) form.append('description', draft.description.trim());
  if (draft.email.trim()) form.append('reporter_email', draft.email.trim());
  form.append('locale', locale);
  for (const [name, value] of attributeFields(draft, category?.attributes ?? [])) form.append(name, value);
  for (const photo of draft.photos) form.append('photos', photo.file, photo.file.name || 'photo.jpg');
  return form;
}
