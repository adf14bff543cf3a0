// Browser E2E of the app in browser mode: `npm run web` serves the renderer and the bridge, Debian
// chromium (via playwright-core, never a downloaded browser) drives it like a learner would.
// Screenshots land in test-results/ui/ for people to look at.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium, SHOTS, startWeb, stopWeb, waitForScreen } from './helpers/web.js';


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

describe('browser mode UI (npm run web + chromium)', () => {
  let dataDir: string;
  let web: Awaited<ReturnType<typeof startWeb>>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    requireChromium();
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
    // a selector, not waitForFunction: polling a string predicate evals it in the page, which the CSP rightly blocks
    await page.waitForSelector('[data-testid="cluster-status"]:text-is("Cluster ready")', { timeout: 60_000 });
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
