// Starts `npm run cluster`'s entry point as a real child process on a free port with a fresh data
// dir, and runs the real kubectl against it, as a learner would.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { engineCommand } from '../../main/engine/launch.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface RunningCluster {
  url: string;
  kubeconfig: string;
  dataDir: string;
  proc: ChildProcess;
  output: () => string;
  kubectl: (args: string[], opts?: KubectlOptions) => Promise<KubectlResult>;
  /** kubectl that must succeed: its stdout (the error names the command and shows its output) */
  ok: (args: string[], input?: string) => Promise<string>;
  /** poll `kubectl args` until `want` accepts its stdout: bounded, never a fixed sleep */
  waitFor: (args: string[], want: (out: string) => boolean, timeoutMs?: number) => Promise<string>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export interface KubectlOptions {
  input?: string;
  env?: Record<string, string>;
  binary?: string;
  timeoutMs?: number;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fresh directory under the OS temp dir, removed after the test run (see test/global-temp.ts). */
export function tempDir(prefix = 'kubelab-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const list = process.env.KUBELAB_TEMP_LIST;
  if (list) appendFileSync(list, `${dir}\n`);
  return dir;
}

export async function startCluster(opts: { dataDir?: string; extraArgs?: string[] } = {}): Promise<RunningCluster> {
  const dataDir = opts.dataDir ?? tempDir();
  const cmd = engineCommand(['--port', '0', '--data-dir', dataDir, ...(opts.extraArgs ?? [])]);
  const proc = spawn(cmd.command, cmd.args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cluster did not become ready:\n${out}`)), 60_000);
    const check = () => {
      const m = out.match(/KubeLab cluster ready at (https:\/\/127\.0\.0\.1:\d+)/);
      if (m && /kubeconfig: .*\n/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cluster exited with ${code}:\n${out}`));
    });
  });
  const kubeconfig = out.match(/kubeconfig: (.*)/)![1]!.trim();
  const cacheDir = tempDir('kubelab-kubecache-');
  const kubectl = (args: string[], o: KubectlOptions = {}) => runKubectl(args, { ...o, env: { KUBECONFIG: kubeconfig, KUBECACHEDIR: cacheDir, ...o.env } });
  const ok = async (args: string[], input?: string) => {
    const r = await kubectl(args, input === undefined ? {} : { input });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const waitFor = async (args: string[], want: (out: string) => boolean, timeoutMs = 30_000) => {
    const end = performance.now() + timeoutMs;
    let last = '';
    for (;;) {
      const r = await kubectl(args);
      last = r.stdout + r.stderr;
      if (r.code === 0 && want(r.stdout)) return r.stdout;
      if (performance.now() > end) throw new Error(`timed out waiting on kubectl ${args.join(' ')}; last output:\n${last}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  };
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<number | null>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
      proc.once('exit', (code) => resolve(code));
      proc.kill(signal);
    });
  return { url, kubeconfig, dataDir, proc, output: () => out, kubectl, ok, waitFor, stop };
}

/** `kubectl.<version>` on PATH or beside the real file behind the `kubectl` on PATH (the dispatcher's siblings). */
export function kubectlBinary(version?: string): string | undefined {
  if (!version) return 'kubectl';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const direct = path.join(dir, `kubectl.${version}`);
    if (existsSync(direct)) return direct;
    const dispatcher = path.join(dir, 'kubectl');
    if (existsSync(dispatcher)) {
      const beside = path.join(path.dirname(realpathSync(dispatcher)), `kubectl.${version}`);
      if (existsSync(beside)) return beside;
    }
  }
  return undefined;
}

export function runKubectl(args: string[], o: KubectlOptions = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      o.binary ?? 'kubectl',
      args,
      { env: { ...process.env, HOME: process.env.HOME, ...o.env }, timeout: o.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (o.input !== undefined) child.stdin!.end(o.input);
    else child.stdin?.end();
  });
}
