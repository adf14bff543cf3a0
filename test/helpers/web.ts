// Shared by the browser E2E tests: `npm run web` in its own process group, Debian chromium through
// playwright-core (never a downloaded browser), and reading the xterm screen.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(ROOT, 'test-results', 'ui');

/** Browser tests never skip silently: a missing chromium is an error that says how to get it. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does)`);
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts `npm run web` in its own process group and resolves with the printed URL. */
export function startWeb(dataDir: string): Promise<{ proc: ChildProcess; url: string; output: () => string }> {
  const proc = spawn('npm', ['run', 'web', '--', '--port', '0', '--data-dir', dataDir], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((res, rej) => {
    // generous: the first run after a source change rebuilds the renderer before the URL is printed
    const timer = setTimeout(() => rej(new Error(`npm run web printed no URL within 150 s:\n${out}`)), 150_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ proc, url: m[1]!, output: () => out });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`npm run web exited (${code}):\n${out}`));
    });
  });
}

export async function stopWeb(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || !proc.pid) return;
  const exited = new Promise((r) => proc.once('exit', r));
  process.kill(-proc.pid, 'SIGINT');
  const timer = setTimeout(() => proc.pid && process.kill(-proc.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** The visible text of the active terminal tab, one line per row. */
export function screenText(page: Page): Promise<string> {
  // page code is passed as source text: this file compiles without the DOM typings
  return page.evaluate<string>(`(() => {
    const rows = document.querySelector('.view.active .xterm-rows');
    return rows ? Array.from(rows.children, (r) => (r.textContent ?? '').replace(/\\u00a0/g, ' ').trimEnd()).join('\\n') : '';
  })()`);
}

/** Polls the terminal every `pollMs` until it shows `re` (the benchmarks poll finer than the tests). */
export async function waitForScreen(page: Page, re: RegExp, timeoutMs = 20_000, pollMs = 100): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await screenText(page);
    if (re.test(text)) return text;
    await page.waitForTimeout(pollMs);
  }
  throw new Error(`terminal never showed ${re}; it shows:\n${text}`);
}
