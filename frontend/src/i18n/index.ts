//! The interface language: which one is chosen, and the texts in it.
import { en, type MessageKey, type Messages } from './en';
import { hu } from './hu';
import { ro } from './ro';

export type Lang = 'ro' | 'hu' | 'en';
export type { MessageKey, Messages };

/** Every language, in the order the switcher shows them. */
export const LANGS: readonly Lang[] = ['ro', 'hu', 'en'];
/** Each language's name in itself, for the switcher. */
export const LANG_NAMES: Record<Lang, string> = { ro: 'Română', hu: 'Magyar', en: 'English' };
/** BCP 47 locales for dates and numbers. */
const LOCALES: Record<Lang, string> = { ro: 'ro-RO', hu: 'hu-HU', en: 'en-GB' };

export const MESSAGES: Record<Lang, Messages> = { ro, hu, en };

const STORAGE_KEY = 'semnal.lang';

/** The language for a list of browser language tags: the first we speak, else Romanian. */
export function langFromTags(tags: readonly string[]): Lang {
  for (const tag of tags) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if ((LANGS as readonly string[]).includes(primary)) return primary as Lang;
  }
  return 'ro';
}

/** Parses a stored or given language code; null when it is not one of ours. */
export function parseLang(value: string | null | undefined): Lang | null {
  return value && (LANGS as readonly string[]).includes(value) ? (value as Lang) : null;
}

function initialLang(): Lang {
  let stored: string | null = null;
  try {
    stored = globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    // Storage may be disabled (private mode); the browser's language still works.
  }
  const nav = globalThis.navigator;
  return parseLang(stored) ?? langFromTags(nav?.languages?.length ? nav.languages : [nav?.language ?? '']);
}

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

/** The chosen language. */
export function lang(): Lang {
  return current;
}

/** The chosen language's locale, for Intl formatting. */
export function locale(): string {
  return LOCALES[current];
}

/** Chooses a language, remembers it in localStorage and tells the listeners. */
export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but still applied.
  }
  for (const listener of listeners) listener(next);
}

/** Calls `listener` after every language change; returns a function that stops it. */
export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Replaces each `{name}` in `text` with `params[name]`. */
export function interpolate(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The text for `key` in the chosen language, with its placeholders filled in. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return interpolate(MESSAGES[current][key], params);
}

/** The `{placeholders}` a text uses, sorted. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

/** A date (and time) in the chosen language. */
export function formatDate(iso: string, withTime = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(date);
}

/** "today", "yesterday" or "N days ago" for an age in whole days. */
export function formatAge(days: number): string {
  if (!Number.isFinite(days) || days < 1) return t('age.today');
  if (days < 2) return t('age.yesterday');
  return t('age.days', { n: Math.floor(days) });
}

/** Whole days between an ISO date and now. */
export function ageDays(iso: string, now: Date = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / 86_400_000));
}
