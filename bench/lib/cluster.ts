// Runs the cluster exactly as `npm run cluster` does (tsx + main/engine/cli.ts) as a child process
// and times how long it takes from spawn() to the ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
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

export async function startCluster(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<BenchCluster> {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const t0 = process.hrtime.bigint();
  const proc = spawn(tsx, [path.join(ROOT, 'main/engine/cli.ts'), '--port', '0', '--data-dir', dataDir], {
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
  return { url, kubeconfig, dataDir, readyMs, proc, stop };
}
