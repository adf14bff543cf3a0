import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { ko } from './ko.js';
import { DICTS, format, placeholders } from './format.js';

describe('i18n dictionaries', () => {
  it('ko has exactly the keys of en', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en) as Array<keyof typeof en>)('%s: same placeholders and non-empty in every language', (key) => {
    for (const dict of Object.values(DICTS)) {
      expect(dict[key].trim()).not.toBe('');
      expect(placeholders(dict[key])).toEqual(placeholders(en[key]));
    }
  });

  it.each([
    ['en', 'term.exited', { code: 3 }, 'The shell exited (code 3).'],
    ['ko', 'map.pods', { count: 5 }, '파드 5개'],
    ['en', 'clock.value', { speed: 60 }, '60×'],
    ['en', 'app.name', undefined, 'KubeLab'],
  ] as const)('format(%s, %s)', (lang, key, params, want) => {
    expect(format(lang, key, params)).toBe(want);
  });

  it('leaves unknown placeholders visible', () => {
    expect(format('en', 'term.tab', {})).toBe('Shell {n}');
  });
});
