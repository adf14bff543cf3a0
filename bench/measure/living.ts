// Measurements 5–7, the living cluster (issue 3): a big Deployment going from POST to every pod
// Running and Ready, the scheduler's binding rate inside that run, and a cluster holding 10,000
// pods (`kubectl get pods -A` wall time and the engine's resident memory).
//
// Everything is observed through the API the way a client would see it: one pod watch and one
// Deployment watch per run (no polling loops that would themselves load the two cores).
import { apiClient, type ApiClient } from '../lib/api.js';
import { cpuMs, enginePid, freshDir, loadAvg, rssBytes, startCluster, type BenchCluster } from '../lib/cluster.js';
import { msSince } from '../lib/stats.js';
import { watch, type WatchEvent } from '../lib/watch.js';
import { kubectl } from './kubectl.js';

export interface LivingPlan {
  /** the engine to run: a bundle's path (appEngine) or 'tsx' */
  engine: string;
  speed: number;
  /** how many times measurement 5 runs (the median is reported) */
  bigRuns: number;
  /** warmup: a Deployment of this many replicas is run to Ready and deleted first, untimed (0 = none) */
  big: { nodes: number; replicas: number; timeoutMs: number; warmup?: number };
  held: { nodes: number; deployments: number; replicas: number; getRuns: number; timeoutMs: number };
}

export interface BigDeploymentResult {
  loadAvg: string;
  nodes: number;
  replicas: number;
  /** wall ms from sending the POST; undefined = not reached before the timeout */
  posted?: number;
  allCreated?: number;
  firstBound?: number;
  lastBound?: number;
  allRunningReady?: number;
  deploymentReady?: number;
  created: number;
  bound: number;
  runningReady: number;
  /** bindings seen per second between the first and the last binding */
  bindingsPerSecond?: number;
  /** pod creations seen per second over the same kind of span (is creation what limits binding?) */
  createsPerSecond?: number;
  rssBytes?: number;
  /** CPU the engine process used from the POST until every pod was Running and Ready (less noisy than wall time) */
  engineCpuMs?: number;
  settleMs: number;
}

export interface HeldResult {
  loadAvg: string;
  nodes: number;
  target: number;
  /** wall ms from the first POST until the Deployments reported every replica ready */
  readyMs?: number;
  ready: number;
  loadAvgAtGet: string;
  /** timed runs after the clock was set to 1× (a learner's default speed): the headline */
  getPodsAll: number[];
  /** one timed run still at the cluster's --speed, before switching (heartbeats saturate the CPU) */
  getPodsAllFast?: number;
  /** the same pages as kubectl asks for (Table, limit 500) fetched by this process at 1×: ms per page */
  serverPageMs: number[];
  /** rows printed by the last `kubectl get pods -A` (header excluded) */
  rows: number;
  getFailures: string[];
  rssBytes?: number;
  settleMs: number;
}

type Obj = Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** a bounded wait that does not keep the process alive once the awaited thing happened */
function within(p: Promise<void>, ms: number): Promise<void> {
  let t: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<void>((r) => (t = setTimeout(r, ms)))]).finally(() => clearTimeout(t));
}

/** Nodes registered and Ready, and kube-system's pods running: the cluster is idle before we load it. */
async function settle(api: ApiClient, workers: number, timeoutMs: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (;;) {
    const nodes = JSON.parse((await api.request('GET', '/api/v1/nodes')).body) as { items?: Obj[] };
    const ready = (nodes.items ?? []).filter((n) => ((n.status as Obj)?.conditions as Obj[] | undefined)?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (ready.length >= workers + 1) {
      const pods = JSON.parse((await api.request('GET', '/api/v1/namespaces/kube-system/pods')).body) as { items?: Obj[] };
      const running = (pods.items ?? []).filter((p) => (p.status as Obj)?.phase === 'Running');
      if (running.length === (pods.items ?? []).length && running.length >= workers + 1) return msSince(t0);
    }
    if (msSince(t0) > timeoutMs) throw new Error(`cluster with ${workers} workers did not settle within ${timeoutMs} ms`);
    await sleep(250);
  }
}

function deployment(name: string, replicas: number): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
    },
  };
}

const isRunningReady = (o: WatchEvent['object']) =>
  o.status?.phase === 'Running' && ((o.status?.conditions as Obj[] | undefined) ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

async function boot(engine: string, speed: number, nodes: number, prefix: string): Promise<{ cluster: BenchCluster; api: ApiClient; settleMs: number }> {
  // BENCH_CPU_PROF_DIR=<dir> profiles the engine (and tsx's wrapper) with V8's --cpu-prof, written at
  // exit; BENCH_HEAP_PROF_DIR=<dir> samples its allocations with --heap-prof
  const prof = process.env.BENCH_CPU_PROF_DIR;
  const heap = process.env.BENCH_HEAP_PROF_DIR;
  const flags = [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []), ...(heap ? ['--heap-prof', `--heap-prof-dir=${heap}`, '--heap-prof-interval=65536'] : []), ...(process.env.BENCH_ENGINE_FLAGS ? process.env.BENCH_ENGINE_FLAGS.split(' ') : [])];
  const cluster = await startCluster(freshDir(prefix), { engine, args: ['--speed', String(speed), '--nodes', String(nodes)], nodeFlags: flags.length ? flags : undefined });
  const api = apiClient(cluster.kubeconfig, 16);
  try {
    return { cluster, api, settleMs: await settle(api, nodes, 60_000) };
  } catch (e) {
    api.close();
    await cluster.stop();
    throw e;
  }
}

/**
 * Runs a small Deployment to Ready and deletes it (and waits for its pods to go), so that the timed
 * run starts in a process whose write path, controllers and kubelets V8 has already compiled.
 */
async function warmUp(api: ApiClient, replicas: number, timeoutMs: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  const path = '/apis/apps/v1/namespaces/default/deployments';
  const res = await api.request('POST', path, deployment('warmup', replicas));
  if (res.status !== 201) throw new Error(`create warm-up deployment: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  const until = async (what: string, done: () => Promise<boolean>) => {
    while (!(await done())) {
      if (msSince(t0) > timeoutMs) throw new Error(`warm-up: ${what} not within ${timeoutMs} ms`);
      await sleep(100);
    }
  };
  await until('ready', async () => (JSON.parse((await api.request('GET', `${path}/warmup`)).body) as { status?: { readyReplicas?: number } }).status?.readyReplicas === replicas);
  await api.request('DELETE', `${path}/warmup`, { propagationPolicy: 'Foreground' });
  await until('deleted', async () => {
    const pods = JSON.parse((await api.request('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dwarmup')).body) as { items?: unknown[] };
    return (await api.request('GET', `${path}/warmup`)).status === 404 && (pods.items ?? []).length === 0;
  });
  return msSince(t0);
}

export async function measureBigDeployment(plan: LivingPlan, log: (s: string) => void): Promise<BigDeploymentResult> {
  const { nodes, replicas, timeoutMs } = plan.big;
  const { cluster, api, settleMs } = await boot(plan.engine, plan.speed, nodes, 'kubelab-bench-big-');
  if (plan.big.warmup) {
    try {
      const ms = await warmUp(api, plan.big.warmup, timeoutMs);
      log(`  warm-up: ${plan.big.warmup} replicas to Ready and deleted in ${ms.toFixed(0)} ms (untimed)`);
    } catch (e) {
      api.close();
      await cluster.stop();
      throw e;
    }
  }
  const ms = (at: bigint) => Number(at - t0) / 1e6;
  let t0 = process.hrtime.bigint();
  const created = new Map<string, number>();
  const bound = new Map<string, number>();
  const ready = new Set<string>();
  const r: BigDeploymentResult = { loadAvg: loadAvg(), nodes, replicas, created: 0, bound: 0, runningReady: 0, settleMs };
  let done: () => void = () => undefined;
  const finished = new Promise<void>((res) => (done = res));
  const check = (at: bigint) => {
    if (r.allRunningReady === undefined && ready.size === replicas) r.allRunningReady = ms(at);
    if (r.allRunningReady !== undefined && r.deploymentReady !== undefined) done();
  };
  const pods = watch(api, '/api/v1/namespaces/default/pods?watch=true', (ev, at) => {
    const name = ev.object.metadata.name;
    if (ev.type === 'DELETED') return;
    if (!created.has(name)) created.set(name, ms(at));
    if (ev.object.spec?.nodeName && !bound.has(name)) bound.set(name, ms(at));
    if (isRunningReady(ev.object)) ready.add(name);
    check(at);
  });
  const deploys = watch(api, '/apis/apps/v1/namespaces/default/deployments?watch=true', (ev, at) => {
    if (ev.object.metadata.name === 'big' && r.deploymentReady === undefined && ev.object.status?.readyReplicas === replicas) r.deploymentReady = ms(at);
    check(at);
  });
  try {
    await Promise.all([pods.started, deploys.started]);
    log(`  load average before: ${r.loadAvg}; cluster settled in ${settleMs.toFixed(0)} ms`);
    const pid = enginePid(cluster);
    const cpu0 = pid === undefined ? undefined : cpuMs(pid);
    t0 = process.hrtime.bigint();
    const res = await api.request('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('big', replicas));
    if (res.status !== 201) throw new Error(`create deployment: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    r.posted = msSince(t0);
    await within(finished, timeoutMs);
    const cpu1 = pid === undefined ? undefined : cpuMs(pid);
    if (cpu0 !== undefined && cpu1 !== undefined) r.engineCpuMs = cpu1 - cpu0;
    r.rssBytes = rssOf(cluster);
  } finally {
    pods.close();
    deploys.close();
    api.close();
    await cluster.stop();
  }
  const c = [...created.values()].sort((a, b) => a - b);
  const b = [...bound.values()].sort((a, b) => a - b);
  Object.assign(r, { created: c.length, bound: b.length, runningReady: ready.size });
  if (c.length === replicas) r.allCreated = c[c.length - 1];
  if (b.length) {
    r.firstBound = b[0];
    r.lastBound = b[b.length - 1];
    if (b.length > 1 && r.lastBound! > r.firstBound!) r.bindingsPerSecond = ((b.length - 1) / (r.lastBound! - r.firstBound!)) * 1000;
  }
  if (c.length > 1 && c[c.length - 1]! > c[0]!) r.createsPerSecond = ((c.length - 1) / (c[c.length - 1]! - c[0]!)) * 1000;
  log(
    `  ${replicas} replicas on ${nodes} nodes: all created ${fmt(r.allCreated)}, bound ${fmt(r.firstBound)}..${fmt(r.lastBound)}, ` +
      `all Running+Ready ${fmt(r.allRunningReady)}, Deployment readyReplicas=${replicas} ${fmt(r.deploymentReady)}; engine CPU ${fmt(r.engineCpuMs)}`,
  );
  return r;
}

const fmt = (n: number | undefined) => (n === undefined ? 'never' : `${n.toFixed(0)} ms`);

function rssOf(cluster: BenchCluster): number | undefined {
  const pid = enginePid(cluster);
  return pid === undefined ? undefined : rssBytes(pid);
}

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/** Walks a list the way kubectl get does (Table rows, limit 500, continue): wall ms per page, body read to the end. */
async function tablePages(api: ApiClient, path: string): Promise<number[]> {
  const page = async (query: string) => {
    const t0 = process.hrtime.bigint();
    const r = await api.request('GET', `${path}?${query}`, undefined, { Accept: TABLE_ACCEPT });
    if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status}`);
    return { ms: msSince(t0), body: r.body };
  };
  const out: number[] = [];
  let cont: string | undefined;
  do {
    const { ms, body } = await page(`limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
    out.push(ms);
    cont = (JSON.parse(body) as { metadata?: { continue?: string } }).metadata?.continue;
  } while (cont);
  return out;
}

export async function measureHeld(plan: LivingPlan, log: (s: string) => void): Promise<HeldResult> {
  const { nodes, deployments, replicas, getRuns, timeoutMs } = plan.held;
  const target = deployments * replicas;
  const { cluster, api, settleMs } = await boot(plan.engine, plan.speed, nodes, 'kubelab-bench-held-');
  const readyOf = new Map<string, number>();
  const r: HeldResult = { loadAvg: loadAvg(), nodes, target, ready: 0, loadAvgAtGet: '', getPodsAll: [], serverPageMs: [], rows: 0, getFailures: [], settleMs };
  let done: () => void = () => undefined;
  const finished = new Promise<void>((res) => (done = res));
  let t0 = process.hrtime.bigint();
  // Deployments only: a pod watch over 10,000 pods would cost this process more than it tells us
  const deploys = watch(api, '/apis/apps/v1/namespaces/default/deployments?watch=true', (ev, at) => {
    readyOf.set(ev.object.metadata.name, Number(ev.object.status?.readyReplicas ?? 0));
    r.ready = [...readyOf.values()].reduce((a, b) => a + b, 0);
    if (r.readyMs === undefined && r.ready >= target) {
      r.readyMs = Number(at - t0) / 1e6;
      done();
    }
  });
  try {
    await deploys.started;
    log(`  load average before: ${r.loadAvg}; cluster settled in ${settleMs.toFixed(0)} ms`);
    t0 = process.hrtime.bigint();
    // the bound covers the POSTs too: a saturated engine answers them late
    const posts = (async () => {
      for (let i = 0; i < deployments; i++) {
        const res = await api.request('POST', '/apis/apps/v1/namespaces/default/deployments', deployment(`held${i}`, replicas));
        if (res.status !== 201) throw new Error(`create deployment held${i}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
      }
      await finished;
    })();
    posts.catch(() => undefined); // a POST failing after the bound (cluster stopped) must not crash the run
    await within(posts, timeoutMs);
    deploys.close();
    log(`  ${r.ready}/${target} pods ready ${fmt(r.readyMs)}`);
    const env = { ...process.env, KUBECONFIG: cluster.kubeconfig, KUBECACHEDIR: freshDir('kubelab-bench-kubecache-') };
    await kubectl(['get', 'pods', '-A'], env); // discovery cache and page cache; not measured
    const getPods = async () => {
      const run = await kubectl(['get', 'pods', '-A'], env);
      if (run.code !== 0) r.getFailures.push(`exit ${run.code}: ${run.stderr.trim().slice(0, 200)}`);
      r.rows = Math.max(0, run.stdout.trimEnd().split('\n').length - 1);
      return run.ms;
    };
    r.getPodsAllFast = await getPods();
    // a learner holds pods at the default 1×; at --speed 600 the nodes' heartbeats alone keep both cores busy
    const speed = await api.request('PUT', '/kubelab/v1alpha1/clock', { speed: 1 });
    if (speed.status !== 200) throw new Error(`set clock speed 1: HTTP ${speed.status} ${speed.body.slice(0, 300)}`);
    await sleep(1000); // timers already due at 600× fire now, not during the timed runs
    r.loadAvgAtGet = loadAvg();
    for (let i = 0; i < getRuns; i++) r.getPodsAll.push(await getPods());
    r.serverPageMs = await tablePages(api, '/api/v1/pods');
    r.rssBytes = rssOf(cluster);
    log(
      `  kubectl get pods -A (${r.rows} rows) at 1×: ${r.getPodsAll.map((x) => x.toFixed(0)).join(', ')} ms; at ${plan.speed}×: ${fmt(r.getPodsAllFast)}; ` +
        `server ${r.serverPageMs.length} pages, ${r.serverPageMs.reduce((a, b) => a + b, 0).toFixed(0)} ms; RSS ${((r.rssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`,
    );
  } finally {
    deploys.close();
    api.close();
    await cluster.stop();
  }
  return r;
}
