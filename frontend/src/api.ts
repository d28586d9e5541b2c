//! The semnal JSON API (`/api/v1`, described by `/api/openapi.json`), in the chosen language.
import { lang, t, type Lang } from './i18n';
import { isProblem, type Problem } from './problem';

export interface Named {
  code: string;
  name: string;
}

export interface AttributeDefinition {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  order: number;
  description: string;
  values: { key: string; name: string }[];
}

export interface Category {
  code: string;
  name: string;
  description: string;
  group: Named;
  icon: string;
  default_priority: string;
  attributes: AttributeDefinition[];
}

export interface PhotoRef {
  id: string;
  thumb_url: string;
  display_url: string;
}

export interface TimelineEntry {
  kind: string;
  status: string | null;
  text: string | null;
  at: string;
}

export interface Incident {
  tracking_number: string;
  url: string;
  status: string;
  priority: string;
  category: Named;
  zone: Named;
  department: Named;
  description: string;
  /** The place in words, when the report came with one (e.g. through Open311). */
  address: string | null;
  attributes: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  acknowledge_due_at: string;
  due_at: string;
  photos: PhotoRef[];
  location: { lat: number; lon: number };
  timeline: TimelineEntry[];
}

export interface NearbyIncident {
  tracking_number: string;
  url: string;
  category: Named;
  status: string;
  distance_m: number;
  location: { lat: number; lon: number };
  created_at: string;
}

/** A failed API call: the server's problem document, or one made here when the server could not be reached. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.problem = problem;
  }

  /** True when no answer came back (offline, timeout): nothing is known about the request's effect. */
  get isNetwork(): boolean {
    return this.problem.type === 'network';
  }
}

function networkProblem(): Problem {
  return { type: 'network', title: t('common.networkError'), status: 0, detail: t('common.networkError') };
}

/** Fetches `path` in the chosen language and returns its JSON body; throws ApiError otherwise. */
async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json, application/problem+json');
  headers.set('Accept-Language', lang());
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(networkProblem());
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(
      isProblem(body)
        ? body
        : { type: 'about:blank', title: response.statusText, status: response.status, detail: t('common.networkError') },
    );
  }
  return body as T;
}

const categoryCache = new Map<Lang, Promise<Category[]>>();

/** The categories a resident can report, in `language` (cached per language). */
export function categories(language: Lang = lang()): Promise<Category[]> {
  let cached = categoryCache.get(language);
  if (!cached) {
    cached = request<{ categories: Category[] }>(`/api/v1/categories?lang=${language}`).then((r) => r.categories);
    cached.catch(() => categoryCache.delete(language));
    categoryCache.set(language, cached);
  }
  return cached;
}

/** One report by its tracking number. */
export function incident(trackingNumber: string, signal?: AbortSignal): Promise<Incident> {
  return request<Incident>(`/api/v1/incidents/${encodeURIComponent(trackingNumber)}`, { signal });
}

/** Open reports of `category` within `radiusM` metres of a point, nearest first. */
export async function nearby(
  point: { lat: number; lon: number },
  category: string,
  radiusM = 100,
  signal?: AbortSignal,
): Promise<NearbyIncident[]> {
  const q = new URLSearchParams({
    lat: point.lat.toFixed(6),
    lon: point.lon.toFixed(6),
    radius_m: String(radiusM),
    category,
    limit: '5',
  });
  const r = await request<{ incidents: NearbyIncident[] }>(`/api/v1/incidents/nearby?${q}`, { signal });
  return r.incidents;
}

/** Files a report (multipart, with photos). The same `idempotencyKey` never files it twice. */
export function fileReport(form: FormData, idempotencyKey: string): Promise<Incident> {
  return request<Incident>('/api/v1/incidents', {
    method: 'POST',
    body: form,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

/** A random (version 4) UUID; also where crypto.randomUUID is missing (plain-HTTP pages). */
export function uuid4(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
