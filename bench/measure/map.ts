// Measurement 10 (issue 4): the renderer with hundreds of pods on the cluster map. A Deployment is
// created through the admin kubeconfig of the running app (the map learns of its pods the way it
// always does: watches through the bridge). The page's JS heap is read with and without the pods
// (after a forced GC, over CDP), then a requestAnimationFrame loop records every frame interval
// while the Deployment is scaled to 0 and back, so every chip is removed and re-created.
import type { CDPSession, Page } from 'playwright-core';
import { apiClient, type ApiClient } from '../lib/api.js';
import { pollPage } from '../lib/browser.js';
import { msSince } from '../lib/stats.js';

export interface MapPlan {
  replicas: number;
  speed: number;
  idleFrameMs: number;
  showTimeoutMs: number;
}

export interface HeapReading {
  /** CDP Performance.getMetrics JSHeapUsedSize after HeapProfiler.collectGarbage, bytes */
  jsHeapUsed: number;
  /** performance.memory.usedJSHeapSize (precise with --enable-precise-memory-info), bytes */
  perfMemory: number;
  /** DOM nodes alive in the page (CDP Nodes) */
  domNodes: number;
}

export interface MapResult {
  nodes: number;
  before: HeapReading;
  withPods?: HeapReading;
  /** POST → all replicas drawn as chips on the map, ms */
  shownMs?: number;
  /** POST → every chip on a node box shows Running */
  runningMs?: number;
  /** chips at that point: on node boxes / in the pending area / Running */
  onNodes: number;
  pending: number;
  running: number;
  /** frame intervals with the pods on the map and nothing changing */
  idleFrames: number[];
  /** frame intervals from scale-to-0 until every chip is back and the scheduled ones are Running */
  changeFrames: number[];
  /** scale to 0 → no chip left; scale back → all chips drawn again */
  goneMs?: number;
  backMs?: number;
  /** scale back → every chip on a node box shows Running again (the end of the frame window) */
  backRunningMs?: number;
  problems: string[];
}

const CHIPS = `document.querySelectorAll('[data-pod^="bench-"]').length`;
const ON_NODES = `document.querySelectorAll('[data-node] [data-pod^="bench-"]').length`;
const RUNNING = `document.querySelectorAll('[data-pod^="bench-"][data-status="Running"]').length`;

async function heap(page: Page, cdp: CDPSession): Promise<HeapReading> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? NaN;
  const perfMemory = await page.evaluate<number>(`performance.memory ? performance.memory.usedJSHeapSize : NaN`);
  return { jsHeapUsed: m('JSHeapUsedSize'), perfMemory, domNodes: m('Nodes') };
}

async function frames(page: Page, during: () => Promise<void>): Promise<number[]> {
  await page.evaluate(`(() => {
    const f = (window.__frames = { d: [], last: 0, on: true });
    const loop = (t) => { if (f.last) f.d.push(t - f.last); f.last = t; if (f.on) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
  })()`);
  await during();
  return page.evaluate<number[]>(`(() => { window.__frames.on = false; return window.__frames.d; })()`);
}

async function check(api: ApiClient, method: string, path: string, body?: unknown): Promise<string> {
  const r = await api.request(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
  return r.body;
}

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

async function scale(api: ApiClient, replicas: number): Promise<void> {
  // read-modify-write with the resourceVersion, as kubectl scale does without --current-replicas
  for (let attempt = 0; attempt < 5; attempt++) {
    const d = JSON.parse(await check(api, 'GET', `${DEPLOY}/bench`)) as { spec: { replicas: number } };
    d.spec.replicas = replicas;
    const r = await api.request('PUT', `${DEPLOY}/bench`, d);
    if (r.status === 200) return;
    if (r.status !== 409) throw new Error(`scale to ${replicas}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
  }
  throw new Error(`scale to ${replicas}: conflicts`);
}

export async function measureMap(page: Page, kubeconfig: string, plan: MapPlan, log: (s: string) => void): Promise<MapResult> {
  const api = apiClient(kubeconfig, 4);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  try {
    await check(api, 'PUT', '/kubelab/v1alpha1/clock', { speed: plan.speed });
    const nodes = (JSON.parse(await check(api, 'GET', '/api/v1/nodes')) as { items: unknown[] }).items.length;
    const before = await heap(page, cdp);
    const r: MapResult = { nodes, before, onNodes: 0, pending: 0, running: 0, idleFrames: [], changeFrames: [], problems: [] };

    const t0 = process.hrtime.bigint();
    await check(api, 'POST', DEPLOY, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bench' },
      spec: {
        replicas: plan.replicas,
        selector: { matchLabels: { app: 'bench' } },
        template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      },
    });
    const shown = await pollPage(page, `${CHIPS} >= ${plan.replicas}`, plan.showTimeoutMs);
    r.shownMs = shown === undefined ? undefined : msSince(t0);
    if (r.shownMs === undefined) r.problems.push(`only ${await page.evaluate<number>(CHIPS)} of ${plan.replicas} pods on the map after ${plan.showTimeoutMs / 1000} s`);
    // let the pods that fit on the nodes start, so the heap holds their settled objects
    const settled = await pollPage(page, `${ON_NODES} > 0 && ${RUNNING} >= ${ON_NODES}`, plan.showTimeoutMs, 200);
    r.runningMs = settled === undefined ? undefined : msSince(t0);
    if (settled === undefined) r.problems.push(`not every scheduled pod was Running on the map after ${plan.showTimeoutMs / 1000} s`);
    await page.waitForTimeout(500);
    [r.onNodes, r.pending, r.running] = await page.evaluate<[number, number, number]>(`[
      ${ON_NODES},
      document.querySelectorAll('[data-testid="pending-pods"] [data-pod^="bench-"]').length,
      ${RUNNING},
    ]`);
    r.withPods = await heap(page, cdp);
    log(`  ${r.shownMs === undefined ? 'not all' : `all ${plan.replicas}`} on the map${r.shownMs === undefined ? '' : ` after ${r.shownMs.toFixed(0)} ms`}, scheduled ones Running after ${r.runningMs?.toFixed(0) ?? '—'} ms: ${r.onNodes} on nodes, ${r.pending} pending, ${r.running} Running; JS heap ${(before.jsHeapUsed / 2 ** 20).toFixed(1)} → ${(r.withPods.jsHeapUsed / 2 ** 20).toFixed(1)} MiB`);

    r.idleFrames = await frames(page, () => page.waitForTimeout(plan.idleFrameMs));
    r.changeFrames = await frames(page, async () => {
      const tDown = process.hrtime.bigint();
      await scale(api, 0);
      const gone = await pollPage(page, `${CHIPS} === 0`, plan.showTimeoutMs, 200);
      if (gone === undefined) r.problems.push(`chips still on the map ${plan.showTimeoutMs / 1000} s after scaling to 0`);
      else r.goneMs = msSince(tDown);
      const tUp = process.hrtime.bigint();
      await scale(api, plan.replicas);
      const back = await pollPage(page, `${CHIPS} >= ${plan.replicas}`, plan.showTimeoutMs, 200);
      if (back === undefined) r.problems.push(`not all chips back ${plan.showTimeoutMs / 1000} s after scaling up`);
      else r.backMs = msSince(tUp);
      // and on until the new pods that fit have started: their status changes redraw chips too
      const up = await pollPage(page, `${ON_NODES} > 0 && ${RUNNING} >= ${ON_NODES}`, plan.showTimeoutMs, 200);
      if (up !== undefined) r.backRunningMs = msSince(tUp);
    });
    log(`  scale 0 → gone in ${r.goneMs?.toFixed(0) ?? '—'} ms, back to ${plan.replicas} in ${r.backMs?.toFixed(0) ?? '—'} ms, Running in ${r.backRunningMs?.toFixed(0) ?? '—'} ms; ${r.changeFrames.length} frames recorded`);
    return r;
  } finally {
    await cdp.detach().catch(() => undefined);
    api.close();
  }
}
