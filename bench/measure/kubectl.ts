// Measurement 2: the wall time of `kubectl get pods` against KubeLab next to `kubectl version
// --client`, both through the dispatcher on PATH with the same kubeconfig and a warm discovery
// cache. The dispatcher probes GET /version before running either, so the baseline is "process
// start + dispatcher probe + exec of the versioned binary" and the ratio isolates what serving
// `get pods` adds on top.
import { execFile } from 'node:child_process';
import type { BenchCluster } from '../lib/cluster.js';
import { freshDir } from '../lib/cluster.js';
import { msSince } from '../lib/stats.js';

export interface KubectlResult {
  getPods: number[];
  versionClient: number[];
  /** `Client Version:` of the binary the dispatcher chose for this server */
  dispatchedClient: string;
  serverVersion: string;
  failures: string[];
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function kubectl(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    // big lists (10,000 pods is about 1 MiB of table) must not hit execFile's 1 MiB default
    execFile('kubectl', args, { env, timeout: 30_000, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      const ms = msSince(t0);
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ms });
    });
  });
}

export async function measureKubectl(cluster: BenchCluster, runs: number, log: (s: string) => void): Promise<KubectlResult> {
  const env = { ...process.env, KUBECONFIG: cluster.kubeconfig, KUBECACHEDIR: freshDir('kubelab-bench-kubecache-') };
  const getPods = ['get', 'pods'];
  const versionClient = ['version', '--client'];
  const failures: string[] = [];

  // fills the discovery cache and pages in both binaries; not measured
  for (const args of [getPods, versionClient]) {
    const r = await kubectl(args, env);
    if (r.code !== 0) failures.push(`warm-up kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  }
  const full = await kubectl(['version'], env);
  const dispatchedClient = full.stdout.match(/Client Version: (\S+)/)?.[1] ?? 'unknown';
  const serverVersion = full.stdout.match(/Server Version: (\S+)/)?.[1] ?? 'unknown';

  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    // alternate which one goes first so neither systematically gets the warmer page cache
    const order: Array<[string[], number[]]> = i % 2 === 0 ? [[getPods, a], [versionClient, b]] : [[versionClient, b], [getPods, a]];
    for (const [args, into] of order) {
      const r = await kubectl(args, env);
      if (r.code !== 0) failures.push(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
      into.push(r.ms);
    }
  }
  log(`  ${runs} interleaved pairs done`);
  return { getPods: a, versionClient: b, dispatchedClient, serverVersion, failures };
}
