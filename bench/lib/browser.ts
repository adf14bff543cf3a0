// Debian's chromium driven by playwright-core, launched and read as the browser tests do (their
// helpers in test/helpers/web.ts), never a downloaded browser. Page code is passed as source text.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, waitForScreen as waitForScreenIn } from '../../test/helpers/web.js';
import { msSince } from './stats.js';

/** the prompt as screenText shows it: rows are trimmed, so without its trailing space */
export const SCREEN_PROMPT = /^controlplane:\S*[$#]$/m;

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  // playwright gives every launch a fresh temporary profile; precise memory info makes
  // performance.memory report exact sizes instead of bucketed ones
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
}

/** The terminal's text, as the browser tests read it; polled every 25 ms for finer timings. */
export const waitForScreen = (page: Page, re: RegExp, timeoutMs: number): Promise<string> => waitForScreenIn(page, re, timeoutMs, 25);

/** Navigates to the app and resolves with goto → shell prompt visible in the terminal, ms. */
export async function openApp(page: Page, url: string, problems: string[]): Promise<number> {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  const t0 = process.hrtime.bigint();
  await page.goto(url);
  await waitForScreen(page, SCREEN_PROMPT, 30_000);
  return msSince(t0);
}

/** Polls a page expression until it is truthy; resolves with the wait in ms, or undefined on timeout. */
export async function pollPage(page: Page, expr: string, timeoutMs: number, everyMs = 100): Promise<number | undefined> {
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await page.evaluate<boolean>(expr)) return msSince(t0);
    await page.waitForTimeout(everyMs);
  }
  return undefined;
}
