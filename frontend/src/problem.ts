//! API errors (RFC 9457 problem details) and which part of the report form each one is about.

/** An error answer of the API, as `application/problem+json`, in the request's language. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string | null;
  lang?: string;
}

/** The part of the report form a problem is about. */
export type FormTarget =
  | { section: 'photos'; index?: number }
  | { section: 'location' }
  | { section: 'category' }
  | { section: 'description' }
  | { section: 'email' }
  | { section: 'attribute'; code: string }
  | { section: 'general' };

/**
 * Maps a problem's `field` (`photos[0]`, `lat`, `location`, `reporter_email`, `attributes.depth_cm`, …)
 * to the part of the report form to highlight.
 */
export function formTarget(field: string | null | undefined): FormTarget {
  if (!field) return { section: 'general' };
  const photo = /^(?:photos|photo|media)(?:\[\])?\[(\d+)\]$/.exec(field);
  if (photo) return { section: 'photos', index: Number(photo[1]) };
  if (/^(?:photos|photo|media)(?:\[\])?$/.test(field)) return { section: 'photos' };
  const attribute = /^attributes?(?:\.([^.[\]]+)|\[([^[\]]+)\](?:\[\])?)$/.exec(field);
  if (attribute) return { section: 'attribute', code: attribute[1] ?? attribute[2] };
  switch (field) {
    case 'lat':
    case 'lon':
    case 'long':
    case 'location':
      return { section: 'location' };
    case 'category':
      return { section: 'category' };
    case 'description':
      return { section: 'description' };
    case 'reporter_email':
    case 'email':
      return { section: 'email' };
    default:
      return { section: 'general' };
  }
}

/** True if `value` has the shape of a problem document. */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === 'string' && typeof v.title === 'string' && typeof v.status === 'number';
}
