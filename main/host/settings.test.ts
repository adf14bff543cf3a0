import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLanguage, openSettings } from './settings.js';

const tmp = () => path.join(mkdtempSync(path.join(tmpdir(), 'kubelab-settings-')), 'settings.json');

describe('settings', () => {
  it('persists across reopen', async () => {
    const file = tmp();
    const s = await openSettings(file, { language: 'en', theme: 'system' });
    expect(s.get()).toEqual({ language: 'en', theme: 'system' });
    expect(await s.set({ language: 'ko' })).toEqual({ language: 'ko', theme: 'system' });
    await s.set({ theme: 'dark' });
    const again = await openSettings(file, { language: 'en', theme: 'system' });
    expect(again.get()).toEqual({ language: 'ko', theme: 'dark' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ language: 'ko', theme: 'dark' });
  });

  it.each([[{ language: 'fr' }], [{ theme: 'blue' }]])('rejects %j as BadRequest and keeps the old value', async (patch) => {
    const s = await openSettings(tmp(), { language: 'en', theme: 'light' });
    await expect(s.set(patch as never)).rejects.toMatchObject({ code: 'BadRequest' });
    expect(s.get()).toEqual({ language: 'en', theme: 'light' });
  });

  it('falls back per field on a hand-edited file', async () => {
    const file = tmp();
    writeFileSync(file, JSON.stringify({ language: 'ko', theme: 42 }));
    expect((await openSettings(file, { language: 'en', theme: 'system' })).get()).toEqual({ language: 'ko', theme: 'system' });
  });

  it.each([
    [{ LANG: 'ko_KR.UTF-8' }, 'ko'],
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LC_ALL: 'ko_KR.UTF-8', LANG: 'en_US.UTF-8' }, 'ko'],
    [{}, 'en'],
  ])('default language for %j is %s', (env, lang) => {
    expect(defaultLanguage(env)).toBe(lang);
  });
});
