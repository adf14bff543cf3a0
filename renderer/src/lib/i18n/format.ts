// Message lookup and {placeholder} substitution, kept free of Svelte so it can be unit tested.
import { en, type Dict, type MessageKey } from './en.js';
import { ko } from './ko.js';
import type { Language } from '../../../../main/bridge/contract.js';

export const DICTS: Readonly<Record<Language, Dict>> = { en, ko };
export const LANGUAGES: readonly Language[] = ['en', 'ko'];

export type Params = Readonly<Record<string, string | number>>;

export function format(lang: Language, key: MessageKey, params?: Params): string {
  const text = DICTS[lang][key] ?? en[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The {placeholders} a message uses, for the parity test. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

export type { MessageKey, Dict };
