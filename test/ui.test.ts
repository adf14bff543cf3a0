// Browser E2E of the app in browser mode: `npm run web` serves the renderer and the bridge, Debian
// chromium (via playwright-core, never a downloaded browser) drives it like a learner would.
// Screenshots land in test-results/ui/ for people to look at.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-results', 'ui');
const READY = existsSync(join(ROOT, 'main/web/cli.ts')) && existsSync(CHROMIUM);

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts `npm run web` in its own process group and resolves with the printed URL. */
function startWeb(dataDir: string): Promise<{ proc: ChildProcess; url: string; output: () => string }> {
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

async function stopWeb(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || !proc.pid) return;
  const exited = new Promise((r) => proc.once('exit', r));
  process.kill(-proc.pid, 'SIGINT');
  const timer = setTimeout(() => proc.pid && process.kill(-proc.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** The visible text of the active terminal tab, one line per row. */
function screenText(page: Page): Promise<string> {
  // page code is passed as source text: this file compiles without the DOM typings
  return page.evaluate<string>(`(() => {
    const rows = document.querySelector('.view.active .xterm-rows');
    return rows ? Array.from(rows.children, (r) => (r.textContent ?? '').replace(/\\u00a0/g, ' ').trimEnd()).join('\\n') : '';
  })()`);
}

async function waitForScreen(page: Page, re: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await screenText(page);
    if (re.test(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`terminal never showed ${re}; it shows:\n${text}`);
}

async function run(page: Page, command: string): Promise<void> {
  await page.locator('.view.active .xterm-screen').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

async function sttySize(page: Page): Promise<[number, number]> {
  await run(page, 'clear');
  await page.waitForTimeout(300);
  await run(page, 'stty size');
  const text = await waitForScreen(page, /^\d+ \d+$/m);
  const m = /^(\d+) (\d+)$/m.exec(text)!;
  return [Number(m[1]), Number(m[2])];
}

describe.skipIf(!READY)('browser mode UI (npm run web + chromium)', () => {
  let dataDir: string;
  let web: Awaited<ReturnType<typeof startWeb>>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'kubelab-ui-'));
    web = await startWeb(dataDir);
    // playwright gives every launch a fresh temporary profile (it refuses --user-data-dir here)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // CSP violations are reported as DOM events as well as console lines; count both
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
      (window.__csp ??= []).push(e.violatedDirective + ' ' + e.blockedURI);
    });`);
    await page.goto(web.url);
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    if (web) await stopWeb(web.proc);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('loads with a strict CSP and no Node globals reachable from the page', async () => {
    await page.waitForSelector('.view.active .xterm-rows');
    const csp = await page.evaluate<string>(`document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? ''`);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.evaluate<string[]>('[typeof require, typeof process]')).toEqual(['undefined', 'undefined']);
    await page.waitForFunction(`document.querySelector('[data-testid="cluster-status"]')?.textContent === 'Cluster ready'`, undefined, { timeout: 60_000 });
    await waitForScreen(page, /\S/, 30_000);
  }, 90_000);

  it('runs kubectl in the terminal and shows the pod on the map until it is Running', async () => {
    // the simulated clock runs faster so the pod starts quickly
    const fast = page.getByRole('button', { name: '600×' });
    if (await fast.isVisible()) await fast.click();
    await run(page, 'kubectl run web --image=nginx');
    await waitForScreen(page, /pod\/web created/);
    await page.waitForSelector('[data-pod="web"]', { timeout: 20_000 });
    await page.waitForSelector('[data-pod="web"][data-status="Running"]', { timeout: 60_000 });
    await run(page, 'kubectl get pods');
    await waitForScreen(page, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE[\s\S]*web\s+1\/1\s+Running/);
    await page.screenshot({ path: join(SHOTS, 'main.png') });
  }, 120_000);

  it('opens a pod drawer with its YAML and events', async () => {
    await page.click('[data-pod="web"]');
    const drawer = page.getByTestId('pod-drawer');
    await expect.poll(() => drawer.textContent(), { timeout: 10_000 }).toContain('kind: Pod');
    await page.getByRole('tab', { name: /Events/ }).click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SHOTS, 'drawer.png') });
    // the simulator's fault: the container dies and the kubelet restarts it
    await page.getByRole('button', { name: 'Kill container' }).click();
    await page.waitForSelector('[data-pod="web"] .restarts', { timeout: 30_000 });
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
  }, 60_000);

  it('stops and starts a node from its menu', async () => {
    const node = page.locator('[data-node="node02"]');
    await node.getByRole('button', { name: /Actions for node/ }).click();
    await node.getByRole('menuitem', { name: 'Stop node' }).click();
    await node.getByText('kubelet stopped').waitFor({ timeout: 10_000 });
    await node.getByRole('button', { name: /Actions for node/ }).click();
    await node.getByRole('menuitem', { name: 'Start node' }).click();
    await node.getByText('kubelet stopped').waitFor({ state: 'detached', timeout: 10_000 });
  }, 60_000);

  it('resizing the window resizes the pty', async () => {
    const before = await sttySize(page);
    await page.setViewportSize({ width: 1100, height: 640 });
    await page.waitForTimeout(500);
    const after = await sttySize(page);
    expect(after).not.toEqual(before);
    expect(after[0]).toBeLessThan(before[0]);
    await page.setViewportSize({ width: 1400, height: 860 });
  }, 60_000);

  it('opens a second terminal tab, and restarts its shell after it exits', async () => {
    await page.getByTestId('new-terminal').click();
    await expect.poll(() => page.locator('[role="tab"]').count()).toBe(2);
    await waitForScreen(page, /\S/, 20_000);
    await run(page, 'exit');
    const restart = page.getByRole('button', { name: 'Restart shell' });
    await restart.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(SHOTS, 'exited.png') });
    await restart.click();
    await run(page, 'echo again-$((6*7))');
    await waitForScreen(page, /again-42/);
    await page.getByRole('button', { name: 'Close Shell 2' }).click();
    await expect.poll(() => page.locator('[role="tab"]').count()).toBe(1);
  }, 60_000);

  it('switches the UI to Korean, and to the dark theme', async () => {
    await page.getByTestId('language').selectOption('ko');
    await expect.poll(() => page.getByTestId('cluster-status').textContent()).toBe('클러스터 준비됨');
    expect(await page.locator('.lesson h2').textContent()).toBe('KubeLab에 오신 것을 환영합니다');
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('ko');
    await page.screenshot({ path: join(SHOTS, 'korean.png') });
    // system → light → dark
    await page.locator('header button.theme').click();
    await page.locator('header button.theme').click();
    expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('dark');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'dark.png') });
    await page.getByTestId('language').selectOption('en');
  }, 60_000);

  it('produced no console errors and no CSP violations', async () => {
    const csp = await page.evaluate<string[]>('window.__csp ?? []');
    expect([...problems, ...csp.map((v) => `csp: ${v}`)]).toEqual([]);
  });
});
