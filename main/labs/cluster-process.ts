// A throwaway simulated cluster for `lab solve` (and tests): the engine's CLI as a child process
// on a free port with a fresh data dir, exactly what `npm run cluster` runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { engineCommand } from '../engine/launch.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface ClusterProcess {
  url: string;
  kubeconfig: string;
  dataDir: string;
  proc: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export async function spawnCluster(o: { speed?: number; dataDir?: string; timeoutMs?: number } = {}): Promise<ClusterProcess> {
  const dataDir = o.dataDir ?? mkdtempSync(path.join(tmpdir(), 'kubelab-lab-'));
  const cmd = engineCommand(['--port', '0', '--data-dir', dataDir, '--speed', String(o.speed ?? 60)]);
  const proc = spawn(cmd.command, cmd.args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the cluster did not become ready:\n${out}`)), o.timeoutMs ?? 90_000);
    const onData = () => {
      const m = out.match(/KubeLab cluster ready at (https:\/\/127\.0\.0\.1:\d+)/);
      if (m && /kubeconfig: .*\n/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the cluster exited with ${code}:\n${out}`));
    });
  });
  const kubeconfig = out.match(/kubeconfig: (.*)/)![1]!.trim();
  // a cluster on a data dir of its own is thrown away with it
  const forget = () => {
    if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve(forget());
      proc.once('exit', () => resolve(forget()));
      proc.kill('SIGTERM');
    });
  return { url, kubeconfig, dataDir, proc, output: () => out, stop };
}
