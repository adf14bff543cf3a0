// Runs the cluster as a child process, either as `npm run cluster` does (tsx + main/engine/cli.ts)
// or as the app does (its bundled engine, appEngine), and times spawn() to the ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ENGINE_NODE_FLAGS } from '../../main/engine/node-flags.js';
import { ensureBundles } from '../../scripts/web-bundle.mjs';
import { msSince } from './stats.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface BenchCluster {
  url: string;
  kubeconfig: string;
  dataDir: string;
  /** spawn() to the ready line on stdout */
  readyMs: number;
  proc: ChildProcess;
  stop: () => Promise<void>;
  /** started through tsx's CLI, whose child is the engine (see enginePid) */
  wrapped: boolean;
}

const made: string[] = [];

export function freshDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const live = new Set<ChildProcess>();

/** On exit, even after a failure: stop clusters still running, remove every dir freshDir made. */
export function cleanup(): void {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * The engine the app runs: `npm run web` starts this esbuild bundle of main/engine/cli.ts (and the
 * desktop app a Vite bundle of the same sources), never the TypeScript through tsx. Built (or found
 * current) before anything is timed; `startCluster(…, { engine: 'tsx' })` runs `npm run cluster`'s way.
 */
export async function appEngine(log: (s: string) => void = () => undefined): Promise<string> {
  const bundles = await ensureBundles(ROOT, (s) => log(`  [bundle] ${s}`));
  if (!bundles) throw new Error('could not bundle the engine (scripts/web-bundle.mjs)');
  return bundles.engine;
}

export interface StartOptions {
  /** 'tsx': main/engine/cli.ts through tsx, as `npm run cluster`; otherwise the path of a bundled engine (appEngine) */
  engine: 'tsx' | string;
  /** engine CLI arguments beyond --port and --data-dir */
  args?: string[];
  /** extra Node flags (e.g. --cpu-prof, which NODE_OPTIONS refuses) */
  nodeFlags?: string[];
  env?: NodeJS.ProcessEnv;
}

export async function startCluster(dataDir: string, opts: StartOptions): Promise<BenchCluster> {
  const { env = process.env, args: extraArgs = [], nodeFlags } = opts;
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const t0 = process.hrtime.bigint();
  const engineArgs = ['--port', '0', '--data-dir', dataDir, ...extraArgs];
  const cli = [path.join(ROOT, 'main/engine/cli.ts'), ...engineArgs];
  // the engine's V8 flags, as every launcher passes them; with extra Node flags, Node is spawned
  // directly (tsx as an --import loader) instead of through tsx's CLI wrapper
  const [cmd, args] =
    opts.engine !== 'tsx' ? [process.execPath, [...(nodeFlags ?? []), ...ENGINE_NODE_FLAGS, opts.engine, ...engineArgs]]
    : nodeFlags ? [process.execPath, [...nodeFlags, ...ENGINE_NODE_FLAGS, '--import', 'tsx', ...cli]]
    : [tsx, [...ENGINE_NODE_FLAGS, ...cli]];
  const proc = spawn(cmd, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  let out = '';
  let readyMs = -1;
  const ready = new Promise<{ url: string; kubeconfig: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cluster did not become ready within 60 s:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d;
      if (readyMs < 0 && /KubeLab cluster ready at /.test(out)) readyMs = msSince(t0);
      const url = out.match(/KubeLab cluster ready at (https:\/\/127\.0\.0\.1:\d+)/);
      const kc = out.match(/kubeconfig: (.*)\n/);
      if (url && kc) {
        clearTimeout(timer);
        resolve({ url: url[1]!, kubeconfig: kc[1]!.trim() });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d));
    // BENCH_ENGINE_LOG=<file>: everything the engine prints (V8's --trace-gc, for one) for profiling work
    if (process.env.BENCH_ENGINE_LOG) {
      const log = createWriteStream(process.env.BENCH_ENGINE_LOG);
      proc.stdout!.pipe(log);
    }
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cluster exited with ${code} before it was ready:\n${out}`));
    });
  });
  const { url, kubeconfig } = await ready;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  return { url, kubeconfig, dataDir, readyMs, proc, stop, wrapped: cmd === tsx };
}

/**
 * The engine's own process: tsx's CLI re-executes Node with its loader as a child, so the pid
 * spawn() returns is only the wrapper. Found by scanning /proc for the wrapper's child (Linux).
 */
export function enginePid(c: BenchCluster): number | undefined {
  const parent = c.proc.pid;
  if (parent === undefined || !c.wrapped) return parent;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // the command name may contain spaces or parentheses: fields resume after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) return Number(entry);
    } catch {
      // the process went away while we looked
    }
  }
  return parent;
}

/** VmRSS of a process in bytes, from /proc/<pid>/status. */
/** User and system CPU a process has used, in ms (Linux clock ticks of 10 ms); undefined once it is gone. */
export function cpuTimes(pid: number): { user: number; system: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[11]) * 10, system: Number(f[12]) * 10 };
  } catch {
    return undefined;
  }
}

/** User + system CPU, in ms. */
export function cpuMs(pid: number): number | undefined {
  const t = cpuTimes(pid);
  return t && t.user + t.system;
}

export function rssBytes(pid: number): number | undefined {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The 1-minute load average, as written to /proc/loadavg (all three figures). */
export function loadAvg(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}
