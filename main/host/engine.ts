// The simulated cluster runs as its own process (main/engine/cli.ts): a crash or a long GC there
// never takes the UI down, and SIGTERM gives it the chance to flush state. This manager starts it,
// reads its ready and kubeconfig lines, restarts it after a crash and stops it on shutdown.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClusterStatus } from '../bridge/contract.js';
import { ENGINE_NODE_FLAGS } from '../engine/node-flags.js';

/** The engine process as this manager sees it; a node ChildProcess or an Electron UtilityProcess. */
export interface EngineChild {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** asks it to stop (SIGTERM where signals exist); `force` kills without waiting for the flush */
  kill(force?: boolean): void;
  once(event: 'exit', cb: (code: number | null) => void): unknown;
}

export type EngineLauncher = (args: string[]) => EngineChild;

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Web mode and tests: node itself, running the engine's TypeScript with tsx as the ESM loader
 * (resolved to a file URL, so it works whatever the cwd), or a prebuilt JavaScript bundle of it
 * directly (`npm run web`, see scripts/web-bundle.mjs).
 */
export function nodeEngineLauncher(cliPath = path.join(ROOT, 'main/engine/cli.ts')): EngineLauncher {
  const script = /\.[mc]?ts$/.test(cliPath) ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, cliPath] : [cliPath];
  const nodeArgs = [...ENGINE_NODE_FLAGS, ...script];
  return (args) => {
    const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    return {
      stdout: child.stdout,
      stderr: child.stderr,
      kill: (force) => void child.kill(force ? 'SIGKILL' : 'SIGTERM'),
      once: (event, cb) =>
        child.once(event, (code, signal) => cb(code ?? (signal ? null : 0))),
    };
  };
}

export interface EngineOptions {
  /** the engine's --data-dir */
  dataDir: string;
  kubeconfigPath: string;
  launch: EngineLauncher;
  /** 0 (default) picks a free port on each start */
  port?: number;
  extraArgs?: string[];
  /** restarts allowed after crashes before giving up (default 3) */
  maxRestarts?: number;
  restartDelayMs?: number;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  log?: (line: string) => void;
}

const READY = /KubeLab cluster ready at (https:\/\/\S+)/;
const KUBECONFIG = /^kubeconfig: (.+)$/;

export class EngineManager {
  private child: EngineChild | undefined;
  private current: ClusterStatus = { state: 'stopped', real: false };
  private readonly listeners = new Set<(s: ClusterStatus) => void>();
  private stopping = false;
  private crashes = 0;
  private tail: string[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(private readonly opts: EngineOptions) {}

  status(): ClusterStatus {
    return { ...this.current };
  }

  onStatus(cb: (s: ClusterStatus) => void): () => void {
    this.listeners.add(cb);
    return () => void this.listeners.delete(cb);
  }

  /** resolves at the next ready (or failed/stopped) status */
  whenSettled(): Promise<ClusterStatus> {
    if (this.current.state !== 'starting') return Promise.resolve(this.status());
    return new Promise((resolve) => {
      const off = this.onStatus((s) => {
        if (s.state === 'starting') return;
        off();
        resolve(s);
      });
    });
  }

  start(): Promise<ClusterStatus> {
    this.stopping = false;
    if (!this.child) this.spawn();
    return this.whenSettled();
  }

  /** SIGTERM, then wait for the flush and exit (SIGKILL after stopTimeoutMs). Resolves to the exit code. */
  async stop(): Promise<number | null> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) {
      this.set({ state: 'stopped', real: false });
      return null;
    }
    const exited = this.exited;
    child.kill();
    const timer = setTimeout(() => child.kill(true), this.opts.stopTimeoutMs ?? 15_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  /**
   * Last resort when the host process is exiting without a chance to wait (process 'exit'):
   * signal the engine so it is not left running as an orphan. It still flushes on SIGTERM.
   */
  killNow(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.child?.kill();
  }

  /** stop, then start again (e.g. after the data dir was replaced) */
  async restart(): Promise<ClusterStatus> {
    await this.stop();
    this.crashes = 0;
    return this.start();
  }

  private set(s: ClusterStatus): void {
    this.current = s;
    for (const cb of [...this.listeners]) cb(this.status());
  }

  private spawn(): void {
    const args = ['--port', String(this.opts.port ?? 0), '--data-dir', this.opts.dataDir, '--kubeconfig', this.opts.kubeconfigPath, ...(this.opts.extraArgs ?? [])];
    const prior = this.current.message;
    this.set({ state: 'starting', real: false, ...(prior && this.crashes ? { message: prior } : {}) });
    const child = this.opts.launch(args);
    this.child = child;
    this.tail = [];
    let url: string | undefined;
    let kubeconfig: string | undefined;
    const readyTimer = setTimeout(() => {
      if (this.child !== child || this.current.state !== 'starting') return;
      this.opts.log?.('engine did not become ready in time; stopping it');
      child.kill(true);
    }, this.opts.readyTimeoutMs ?? 60_000);

    const onLine = (line: string) => {
      this.opts.log?.(line);
      const r = READY.exec(line);
      if (r) url = r[1];
      const k = KUBECONFIG.exec(line);
      if (k) kubeconfig = k[1]!.trim();
      if (url && kubeconfig && this.current.state === 'starting' && this.child === child) {
        clearTimeout(readyTimer);
        this.crashes = 0;
        this.set({ state: 'ready', real: false, url, kubeconfigPath: kubeconfig });
      }
    };
    lines(child.stdout, onLine);
    // only stderr is kept for crash messages: it is where the engine reports what went wrong
    lines(child.stderr, (l) => {
      this.tail.push(l);
      if (this.tail.length > 20) this.tail.shift();
      this.opts.log?.(l);
    });

    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        clearTimeout(readyTimer);
        if (this.child === child) this.child = undefined;
        resolve(code);
        this.onExit(code);
      });
    });
  }

  private onExit(code: number | null): void {
    if (this.stopping) {
      this.set({ state: 'stopped', real: false, ...(code === 0 ? {} : { message: `the cluster engine exited with code ${code} while stopping` }) });
      return;
    }
    this.crashes++;
    // skip stack-trace frames (indented) so the message names the error itself
    const detail = this.tail.filter((l) => l && !/^\s/.test(l) && l !== '}').slice(-2).join(' | ');
    const why = `The cluster engine stopped unexpectedly (exit code ${code})${detail ? `: ${detail}` : ''}.`;
    if (this.crashes > (this.opts.maxRestarts ?? 3)) {
      this.set({ state: 'failed', real: false, message: `${why} It was restarted ${this.crashes - 1} times and keeps failing; see the log.` });
      return;
    }
    this.set({ state: 'starting', real: false, message: `${why} Restarting it…` });
    const delay = (this.opts.restartDelayMs ?? 500) * 2 ** (this.crashes - 1);
    this.restartTimer = setTimeout(() => {
      if (!this.stopping && !this.child) this.spawn();
    }, delay);
  }
}

function lines(stream: NodeJS.ReadableStream | null, cb: (line: string) => void): void {
  if (!stream) return;
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      cb(buf.slice(0, i).replace(/\r$/, ''));
      buf = buf.slice(i + 1);
    }
  });
  stream.on('end', () => {
    if (buf) cb(buf);
    buf = '';
  });
}
