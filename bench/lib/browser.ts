// Debian's chromium driven by playwright-core, launched as test/ui.test.ts does (never a downloaded
// browser). Page code is passed as source text: bench/ compiles without the DOM typings.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { msSince } from './stats.js';

/** the prompt as screenText shows it: rows are trimmed, so without its trailing space */
export const SCREEN_PROMPT = /^controlplane:\S*[$#]$/m;

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  // playwright gives every launch a fresh temporary profile; precise memory info makes
  // performance.memory report exact sizes instead of bucketed ones
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, '--enable-precise-memory-info'] });
}

/** The visible text of the active terminal tab, one line per row. */
export function screenText(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const rows = document.querySelector('.view.active .xterm-rows');
    return rows ? Array.from(rows.children, (r) => (r.textContent ?? '').replace(/\\u00a0/g, ' ').trimEnd()).join('\\n') : '';
  })()`);
}

export async function waitForScreen(page: Page, re: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await screenText(page);
    if (re.test(text)) return text;
    await page.waitForTimeout(25);
  }
  throw new Error(`terminal never showed ${re}; it shows:\n${text}`);
}

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
