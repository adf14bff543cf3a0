// User settings (language, theme) persisted with lowdb as <dataDir>/settings.json.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Language, Settings, Theme } from '../bridge/contract.js';
import { HostError } from '../bridge/errors.js';

const LANGUAGES: readonly Language[] = ['en', 'ko'];
const THEMES: readonly Theme[] = ['light', 'dark', 'system'];

/** First-run language: Korean when the user's locale is, else English. */
export function defaultLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  const locale = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  return locale.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export interface SettingsStore {
  get(): Settings;
  /** validates, merges and writes; throws HostError BadRequest on an unknown value */
  set(patch: Partial<Settings>): Promise<Settings>;
}

export async function openSettings(file: string, defaults: Settings = { language: defaultLanguage(), theme: 'system' }): Promise<SettingsStore> {
  // not JSONFilePreset: it silently swaps in an in-memory adapter when NODE_ENV is "test"
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Low<Partial<Settings>>(new JSONFile(file), { ...defaults });
  await db.read();
  // a hand-edited or older file may hold junk; fall back per field rather than failing to start
  const current = (): Settings => ({
    language: LANGUAGES.includes(db.data.language as Language) ? (db.data.language as Language) : defaults.language,
    theme: THEMES.includes(db.data.theme as Theme) ? (db.data.theme as Theme) : defaults.theme,
  });
  return {
    get: current,
    async set(patch) {
      if (patch === null || typeof patch !== 'object') throw new HostError('BadRequest', 'settings.set expects an object');
      if (patch.language !== undefined && !LANGUAGES.includes(patch.language)) throw new HostError('BadRequest', `unsupported language "${String(patch.language)}" (supported: ${LANGUAGES.join(', ')})`);
      if (patch.theme !== undefined && !THEMES.includes(patch.theme)) throw new HostError('BadRequest', `unsupported theme "${String(patch.theme)}" (supported: ${THEMES.join(', ')})`);
      const next: Settings = { ...current() };
      if (patch.language !== undefined) next.language = patch.language;
      if (patch.theme !== undefined) next.theme = patch.theme;
      db.data = next;
      await db.write();
      return next;
    },
  };
}
