import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import { hu } from '../src/i18n/hu';
import { ro } from '../src/i18n/ro';
import { interpolate, langFromTags, parseLang, placeholders } from '../src/i18n';

const languages = { ro, hu, en } as Record<string, Record<string, string>>;
const keys = Object.keys(en).sort();

describe('UI texts', () => {
  for (const [name, messages] of Object.entries(languages)) {
    it(`${name} has every key, and only those`, () => {
      expect(Object.keys(messages).sort()).toEqual(keys);
    });

    it(`${name} has no empty text`, () => {
      for (const key of keys) expect(messages[key].trim(), key).not.toBe('');
    });

    it(`${name} uses the same {placeholders} as English`, () => {
      for (const key of keys) expect(placeholders(messages[key]), key).toEqual(placeholders(en[key as keyof typeof en]));
    });
  }

  it('Romanian is written with comma-below ș and ț, not the cedilla look-alikes', () => {
    const all = Object.values(ro).join(' ');
    expect(all).not.toMatch(/[şţŞŢ]/);
    expect(all).toMatch(/[ăâîșțĂÂÎȘȚ]/);
  });

  it('Hungarian uses ő and ű, not the look-alikes õ, ô, û', () => {
    const all = Object.values(hu).join(' ');
    expect(all).not.toMatch(/[õôûÕÔÛ]/);
    expect(all).toMatch(/[őű]/);
  });

  it('Romanian and Hungarian are translated, not copied from English', () => {
    const same = (other: Record<string, string>) =>
      keys.filter((k) => other[k] === en[k as keyof typeof en] && /[a-z]{4,}/i.test(other[k]) && k !== 'app.name');
    expect(same(ro)).toEqual([]);
    expect(same(hu)).toEqual([]);
  });
});

describe('choosing the language', () => {
  it('takes the first browser language we speak', () => {
    expect(langFromTags(['de-DE', 'hu-HU', 'en'])).toBe('hu');
    expect(langFromTags(['en-GB', 'ro'])).toBe('en');
    expect(langFromTags(['ro_RO'])).toBe('ro');
  });

  it('defaults to Romanian', () => {
    expect(langFromTags(['de', 'fr'])).toBe('ro');
    expect(langFromTags([])).toBe('ro');
  });

  it('accepts only known stored values', () => {
    expect(parseLang('hu')).toBe('hu');
    expect(parseLang('de')).toBeNull();
    expect(parseLang(null)).toBeNull();
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(interpolate('{n} zile, {x}', { n: 3 })).toBe('3 zile, {x}');
  });
});
