// Measurements 3 and 4: acknowledged ConfigMap creates per second with many requests in flight, and
// the latency of one write at a time once the store holds 1k and 10k ConfigMaps. Every 201 is sent
// only after the group commit that contains the write has been fsync'd, so these are durable writes.
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { apiClient, createConfigMaps, type ApiClient, type WriteResult } from '../lib/api.js';
import { freshDir, startCluster, type BenchCluster } from '../lib/cluster.js';

export interface ThroughputRun {
  objects: number;
  /** the untimed warm-up creates before it: how many, and their rate (a cold process) */
  warmup: { objects: number; perSecond: number };
  wallMs: number;
  perSecond: number;
  latencies: number[];
  failures: Record<string, number>;
}

export interface LatencyPoint {
  /** bench ConfigMaps in the store when the sequential writes began */
  preloaded: number;
  stateFileBytes: number;
  latencies: number[];
  failures: Record<string, number>;
  /** how the preload to this size went (omitted when it was the throughput run) */
  preload?: { objects: number; wallMs: number; inFlight: number; failures: Record<string, number> };
}

export interface WritesResult {
  inFlight: number;
  throughput: ThroughputRun[];
  latency: LatencyPoint[];
}

export interface WritesPlan {
  /** the engine to run: a bundle's path (appEngine) or 'tsx' */
  engine: string;
  throughputRuns: number;
  throughputObjects: number;
  inFlight: number;
  sequentialWrites: number;
  /** untimed creates on each fresh cluster before the timed ones, so V8 has compiled the write path */
  warmupWrites: number;
  /** store sizes for the sequential-latency measurement, ascending; the first must equal throughputObjects */
  latencyAt: number[];
  preloadInFlight: number;
}

/** Durable state on disk: the snapshot (cluster.json, absent until the first compaction) plus the write-ahead log. */
function stateBytes(c: BenchCluster): number {
  const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
  return size(path.join(c.dataDir, 'cluster.json')) + size(path.join(c.dataDir, 'cluster.wal'));
}

/** Opens the connection (HTTP/2) or the keep-alive sockets (HTTP/1.1) first, so TLS handshakes are not counted as write time. */
async function warmSockets(api: ApiClient, n: number): Promise<void> {
  await Promise.all(Array.from({ length: n }, () => api.request('GET', '/version')));
}

const WARMUP_NS = 'bench-warmup';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The untimed warm-up: creates into a scratch namespace, which is then deleted and waited for, so
 * the timed creates run in a warm process against a store holding only what they create.
 */
async function warmUp(api: ApiClient, plan: WritesPlan): Promise<WriteResult> {
  const ns = await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: WARMUP_NS } });
  if (ns.status !== 201) throw new Error(`create namespace ${WARMUP_NS}: HTTP ${ns.status} ${ns.body.slice(0, 200)}`);
  const warm = await createConfigMaps(api, 'warm', plan.warmupWrites, plan.inFlight, WARMUP_NS);
  await api.request('DELETE', `/api/v1/namespaces/${WARMUP_NS}`);
  const t0 = process.hrtime.bigint();
  while ((await api.request('GET', `/api/v1/namespaces/${WARMUP_NS}`)).status !== 404) {
    if (Number(process.hrtime.bigint() - t0) / 1e6 > 60_000) throw new Error(`namespace ${WARMUP_NS} not deleted within 60 s`);
    await sleep(50);
  }
  return warm;
}

export async function measureWrites(plan: WritesPlan, log: (s: string) => void): Promise<WritesResult> {
  const throughput: ThroughputRun[] = [];
  let last: { cluster: BenchCluster; api: ApiClient } | undefined;
  for (let r = 0; r < plan.throughputRuns; r++) {
    if (last) {
      last.api.close();
      await last.cluster.stop();
    }
    const cluster = await startCluster(freshDir('kubelab-bench-writes-'), { engine: plan.engine });
    const api = apiClient(cluster.kubeconfig, Math.max(plan.inFlight, plan.preloadInFlight));
    await warmSockets(api, plan.inFlight);
    const warm = await warmUp(api, plan);
    const warmup = { objects: plan.warmupWrites, perSecond: (plan.warmupWrites / warm.wallMs) * 1000 };
    const w: WriteResult = await createConfigMaps(api, 'load', plan.throughputObjects, plan.inFlight);
    const perSecond = (plan.throughputObjects / w.wallMs) * 1000;
    throughput.push({ objects: plan.throughputObjects, warmup, wallMs: w.wallMs, perSecond, latencies: w.latencies, failures: { ...warm.failures, ...w.failures } });
    log(`  run ${r + 1}/${plan.throughputRuns}: ${plan.warmupWrites} warm-up creates at ${warmup.perSecond.toFixed(0)}/s, then ${plan.throughputObjects} creates in ${w.wallMs.toFixed(0)} ms = ${perSecond.toFixed(0)}/s`);
    last = { cluster, api };
  }

  // the last throughput cluster already holds throughputObjects ConfigMaps: that is the first preload
  const { cluster, api } = last!;
  const latency: LatencyPoint[] = [];
  // (the warm-up's ConfigMaps went with their namespace)
  let held = plan.throughputObjects;
  try {
    for (const target of plan.latencyAt) {
      let preload: LatencyPoint['preload'];
      if (target > held) {
        const n = target - held;
        const p = await createConfigMaps(api, `pre${target}`, n, plan.preloadInFlight);
        preload = { objects: n, wallMs: p.wallMs, inFlight: plan.preloadInFlight, failures: p.failures };
        log(`  preloaded ${n} more ConfigMaps (to ${target}) in ${p.wallMs.toFixed(0)} ms`);
        held = target;
      }
      const bytes = stateBytes(cluster);
      const s = await createConfigMaps(api, `seq${target}`, plan.sequentialWrites, 1);
      latency.push({ preloaded: held, stateFileBytes: bytes, latencies: s.latencies, failures: s.failures, preload });
      held += plan.sequentialWrites;
      const sorted = [...s.latencies].sort((a, b) => a - b);
      log(`  ${plan.sequentialWrites} sequential writes at ${target}: median ${sorted[sorted.length >> 1]!.toFixed(1)} ms`);
    }
  } finally {
    api.close();
    await cluster.stop();
  }
  return { inFlight: plan.inFlight, throughput, latency };
}
