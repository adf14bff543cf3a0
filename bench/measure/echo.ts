// Measurement 9 (issue 4): terminal echo latency in Chromium. Keys are pressed one at a time into the
// xterm of the running app; bash echoes each through the whole path (keydown → xterm onData →
// WebSocket bridge → pty → bash/readline → pty → bridge event → xterm write → DOM row). An in-page
// keydown listener (capture phase, so it runs before xterm's) stamps the key; a MutationObserver on
// the xterm rows stamps the moment the cursor row shows it; one more requestAnimationFrame stamps
// the next frame, by which the row has been painted.
import type { Page } from 'playwright-core';
import { msSince } from '../lib/stats.js';
import { SCREEN_PROMPT, waitForScreen } from '../lib/browser.js';

export interface EchoResult {
  /** keydown in the page → the cursor row in the DOM shows the character, ms */
  dom: number[];
  /** keydown → the next animation frame after that (painted), ms */
  frame: number[];
  /** page.keyboard.press() called in Node → the page reported the echo (adds two CDP round trips), ms */
  node: number[];
  misses: number;
}

const OBSERVER = `(() => {
  const rows = document.querySelector('.view.active .xterm-rows');
  if (!rows) throw new Error('no terminal rows');
  const cursorRow = () => {
    const lines = Array.from(rows.children, (r) => (r.textContent || '').replace(/\\u00a0/g, ' ').trimEnd()).filter((l) => l);
    return lines[lines.length - 1] || '';
  };
  const s = { t0: 0, want: '', resolve: null, promise: null };
  document.addEventListener('keydown', () => { if (s.resolve && !s.t0) s.t0 = performance.now(); }, true);
  const check = () => {
    if (!s.resolve || !s.t0) return;
    const row = cursorRow();
    const hit = s.want === '' ? /[$#]$/.test(row) : row.endsWith(s.want);
    if (!hit) return;
    const t1 = performance.now();
    const done = s.resolve;
    s.resolve = null;
    requestAnimationFrame(() => done({ dom: t1 - s.t0, frame: performance.now() - s.t0 }));
  };
  new MutationObserver(check).observe(rows, { childList: true, subtree: true, characterData: true });
  window.__echo = {
    arm(want) { s.want = want; s.t0 = 0; s.promise = new Promise((r) => (s.resolve = r)); return true; },
    wait(ms) { return Promise.race([s.promise, new Promise((r) => setTimeout(() => r(null), ms))]); },
  };
})()`;

// letters only: nothing readline binds, nothing the shell could expand; the line is never run
const LETTERS = 'kubelabechobenchmarkterminalxtermrows';

export async function measureEcho(page: Page, keys: number, perLine: number, log: (s: string) => void): Promise<EchoResult> {
  await page.locator('.view.active .xterm-screen').click();
  await page.evaluate(OBSERVER);
  const r: EchoResult = { dom: [], frame: [], node: [], misses: 0 };
  let typed = '';
  for (let i = 0; i < keys; i++) {
    if (typed.length === perLine) {
      // readline's unix-line-discard: back to a bare prompt on the same row (not timed)
      await page.evaluate(`window.__echo.arm('')`);
      await page.keyboard.press('Control+U');
      await page.evaluate(`window.__echo.wait(5000)`);
      typed = '';
    }
    const ch = LETTERS[i % LETTERS.length]!;
    typed += ch;
    await page.evaluate(`window.__echo.arm(${JSON.stringify(typed)})`);
    const t0 = process.hrtime.bigint();
    await page.keyboard.press(ch);
    const got = await page.evaluate<{ dom: number; frame: number } | null>(`window.__echo.wait(5000)`);
    if (!got) {
      r.misses++;
      continue;
    }
    r.node.push(msSince(t0));
    r.dom.push(got.dom);
    r.frame.push(got.frame);
  }
  await page.keyboard.press('Control+U');
  await waitForScreen(page, SCREEN_PROMPT, 5000);
  log(`  ${r.dom.length} echoes timed, ${r.misses} missed`);
  return r;
}
