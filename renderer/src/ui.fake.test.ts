// The renderer alone in chromium, on the Vite dev server with the in-memory fake bridge (`?fake=500`):
// no engine, no host. Checks the map under load (500 pods, a burst of changes), service hover, the
// namespace filter, and reports how long a 500-pod change takes to reach the screen.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(!existsSync(CHROMIUM))('renderer with the fake bridge (vite dev + chromium)', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await createServer({ configFile: resolve(import.meta.dirname, '../vite.config.ts'), server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
    await server.listen();
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite dev server has no URL');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}?fake=500`);
    await page.waitForSelector('[data-pod]', { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws 503 pods in their node boxes, unscheduled ones apart', async () => {
    expect(await page.locator('[data-pod]').count()).toBe(503);
    expect(await page.locator('[data-node="worker"] [data-pod]').count()).toBeGreaterThan(100);
    expect(await page.locator('[data-testid="pending-pods"] [data-pod]').count()).toBe(72);
    expect(await page.locator('[data-status="CrashLoopBackOff"] .restarts').count()).toBeGreaterThan(0);
  });

  it('applies a burst of 500 pod changes in one frame and reports the time to screen', async () => {
    const ms = await page.evaluate<number>(`(async () => {
      const fake = window.__kubelabFake;
      const pods = fake.objects.get('pods');
      const t0 = performance.now();
      for (const p of pods) {
        fake.put('pods', { ...p, metadata: { ...p.metadata, resourceVersion: String(Number(p.metadata.resourceVersion ?? 0) + 1) },
          status: { phase: 'Running', containerStatuses: [{ name: 'nginx', ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } });
      }
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - t0;
    })()`);
    expect(await page.locator('[data-pod][data-status="CrashLoopBackOff"]').count()).toBe(503);
    console.log(`500-pod burst to screen: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2000);
  }, 30_000);

  it('highlights the endpoint pods of a hovered service, and filters by namespace', async () => {
    await page.locator('.svc').first().hover();
    expect(await page.locator('[data-pod].hl').count()).toBe(503);
    await page.mouse.move(5, 800);
    expect(await page.locator('[data-pod].hl').count()).toBe(0);
    await page.getByTestId('namespace').selectOption('kube-system');
    expect(await page.locator('[data-pod]').count()).toBe(0);
    await page.getByTestId('namespace').selectOption('');
  });

  it('logged no errors', () => {
    expect(errors).toEqual([]);
  });
});
