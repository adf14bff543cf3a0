// Runs `npm run web` as a user would (through npm, in its own process group so ^C-like signals
// reach the app behind npm) and reports when it printed its URL. The renderer is built once up
// front, then every start passes --skip-build so no run pays for a build.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import WebSocket from 'ws';
import { connectWsBridge, type WebSocketLike, type WsClientBridge } from '../../main/bridge/ws-client.js';
import { buildRenderer, rendererStaleness } from '../../main/web/build.js';
import { bundleStaleness, ensureBundles } from '../../scripts/web-bundle.mjs';
import { ROOT } from './cluster.js';
import { msSince } from './stats.js';

export interface WebApp {
  /** the printed page URL, with its token */
  url: URL;
  kubeconfig: string;
  /** spawn() → the `KubeLab web UI:` line on stdout (the app prints it once the engine is ready) */
  urlMs: number;
  t0: bigint;
  proc: ChildProcess;
  stop: () => Promise<void>;
}

const running = new Set<ChildProcess>();

function killGroup(p: ChildProcess, sig: NodeJS.Signals): void {
  try {
    if (p.pid) process.kill(-p.pid, sig);
  } catch {
    // the group is gone already
  }
}

// whatever ends the benchmark, no app (or its engine) may outlive it
process.on('exit', () => {
  for (const p of running) killGroup(p, 'SIGKILL');
});

/**
 * Builds out/renderer when it is missing or older than its sources, and the bundles `npm run web`
 * starts from (scripts/web-bundle.mjs), so no timed start pays for a build; returns what was done.
 */
export async function ensureRendererBuilt(log: (s: string) => void): Promise<string> {
  const bundles = bundleStaleness(ROOT);
  if (bundles) {
    log(`  ${bundles}: bundling the web app once (not timed)`);
    if (!(await ensureBundles(ROOT, (s) => log(`  [bundle] ${s}`)))) throw new Error('web app bundling failed');
  }
  const stale = rendererStaleness(ROOT, path.join(ROOT, 'out/renderer'));
  if (!stale) return bundles ? `web app bundled before measuring (${bundles}); out/renderer was current` : 'out/renderer was current';
  log(`  ${stale}: building it once (not timed)`);
  if (!(await buildRenderer(ROOT, (s) => log(`  [build] ${s}`)))) throw new Error('renderer build failed');
  return `built before measuring (${stale})`;
}

export async function startWeb(dataDir: string, timeoutMs = 60_000): Promise<WebApp> {
  const t0 = process.hrtime.bigint();
  const proc = spawn('npm', ['run', '--silent', 'web', '--', '--port', '0', '--data-dir', dataDir, '--skip-build'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  // 'close' fires once every writer of the pipes (npm, tsx, the app, its engine) has gone
  const closed = new Promise<void>((r) => proc.once('close', () => r()));
  void closed.then(() => running.delete(proc));
  let out = '';
  let urlMs = -1;
  const ready = new Promise<{ url: string; kubeconfig: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run web printed no URL within ${timeoutMs / 1000} s:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d;
      const m = /KubeLab web UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m && urlMs < 0) urlMs = msSince(t0);
      const kc = /kubeconfig: (.*)\n/.exec(out);
      if (m && kc) {
        clearTimeout(timer);
        resolve({ url: m[1]!, kubeconfig: kc[1]!.trim() });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d));
    void closed.then(() => {
      clearTimeout(timer);
      reject(new Error(`npm run web exited (${proc.exitCode}) before printing its URL:\n${out}`));
    });
  });
  let r: { url: string; kubeconfig: string };
  try {
    r = await ready;
  } catch (e) {
    killGroup(proc, 'SIGKILL');
    throw e;
  }
  const stop = async () => {
    if (!running.has(proc)) return;
    killGroup(proc, 'SIGTERM');
    const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 20_000);
    await closed;
    clearTimeout(timer);
  };
  return { url: new URL(r.url), kubeconfig: r.kubeconfig, urlMs, t0, proc, stop };
}

/** The bridge as the page would open it: same token, the page's own origin. */
export function connectBridge(app: WebApp): WsClientBridge {
  const token = app.url.searchParams.get('token')!;
  return connectWsBridge(`ws://${app.url.host}/bridge?token=${token}`, {
    createSocket: (u) => new WebSocket(u, { origin: app.url.origin }) as unknown as WebSocketLike,
  });
}

/** bash's prompt from the generated rc (main/host/terminal-env.ts): `controlplane:<dir>$ `, `#` as root */
export const PROMPT = /controlplane:\S*[$#] /;
