// `npm run web` as a user starts it: a child process on a free port with a fresh data dir. A
// WebSocket client with the printed token drives the bridge: cluster status, a real terminal
// running the real kubectl against the engine, a watch, and a simulator call; a bad token is refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectWsBridge, type WebSocketLike, type WsClientBridge } from '../main/bridge/ws-client.js';
import { ROOT, tempDir } from './helpers/cluster.js';

let proc: ChildProcess;
let out = '';
let logFile: string;
let pageUrl: URL;
let bridge: WsClientBridge;

function connect(token: string, origin: string): WsClientBridge {
  const url = `ws://${pageUrl.host}/bridge?token=${token}`;
  return connectWsBridge(url, { createSocket: (u) => new WebSocket(u, { origin }) as unknown as WebSocketLike });
}

beforeAll(async () => {
  const dataDir = tempDir('kubelab-web-');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // --skip-build: this test needs the bridge, not the page (renderer builds are tested elsewhere)
  // output goes to a file, not pipes: npm exits as soon as it is signalled, and the app must still
  // be able to report its shutdown afterwards; detached makes a process group to signal, like ^C
  logFile = path.join(dataDir, 'web.log');
  const fd = openSync(logFile, 'w');
  proc = spawn(npm, ['run', '--silent', 'web', '--', '--port', '0', '--data-dir', dataDir, '--skip-build'], { cwd: ROOT, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const read = () => (out = readFileSync(logFile, 'utf8'));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run web did not print its URL:\n${out}`)), 60_000);
    const poll = setInterval(() => {
      const m = /KubeLab web UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})/.exec(read());
      if (m) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(m[1]!);
      }
    }, 50);
    proc.on('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`npm run web exited with ${code}:\n${read()}`));
    });
  });
  pageUrl = new URL(url);
  bridge = connect(pageUrl.searchParams.get('token')!, pageUrl.origin);
  await bridge.opened;
});

afterAll(() => {
  bridge?.close();
  try {
    if (proc?.pid) process.kill(-proc.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
});

describe('npm run web', () => {
  it('serves the bridge: app info and a ready cluster', async () => {
    expect(await bridge.call('app.info', undefined)).toMatchObject({ ok: true, value: { mode: 'web' } });
    const status = await bridge.call('cluster.status', undefined);
    expect(status).toMatchObject({ ok: true, value: { state: 'ready', real: false, url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/) } });
  });

  it('runs kubectl in a terminal against the lab cluster', async () => {
    let text = '';
    const off = bridge.on('terminal.data', (d) => {
      text += d.data;
      void bridge.call('terminal.ack', { id: d.id, bytes: d.data.length });
    });
    const opened = await bridge.call('terminal.open', { cols: 120, rows: 30 });
    if (!opened.ok) throw new Error(opened.error.message);
    const id = opened.value.id;
    await bridge.call('terminal.input', { id, data: 'kubectl get ns\r' });
    await expect.poll(() => text, { timeout: 30_000 }).toContain('kube-system');
    expect(text).toContain('controlplane:');
    // the alias and completion from the generated rc
    await bridge.call('terminal.input', { id, data: 'k get ns default -o name; complete -p k\r' });
    await expect.poll(() => text, { timeout: 30_000 }).toContain('namespace/default');
    await expect.poll(() => text, { timeout: 10_000 }).toContain('complete -o default -F __start_kubectl k');
    await bridge.call('terminal.close', { id });
    off();
  });

  it('lists and watches through the Kubernetes gateway', async () => {
    const list = await bridge.call('k8s.list', { version: 'v1', resource: 'namespaces' });
    expect(list.ok && list.value.items.map((n) => n.metadata.name)).toContain('kube-system');
    expect(list.ok && list.value.items[0]?.kind).toBe('Namespace');
    const events: string[] = [];
    bridge.on('k8s.event', (e) => events.push(`${e.type} ${e.object?.metadata.name}`));
    const w = await bridge.call('k8s.watch', { version: 'v1', resource: 'configmaps', namespace: 'default' });
    expect(w.ok).toBe(true);
    await expect.poll(() => events, { timeout: 20_000 }).toContain('ADDED kube-root-ca.crt');
    if (w.ok) await bridge.call('k8s.unwatch', w.value);
    const missing = await bridge.call('k8s.get', { version: 'v1', resource: 'pods', namespace: 'default', name: 'nope' });
    expect(missing).toEqual({ ok: false, error: { code: 'NotFound', status: 404, message: 'pods "nope" not found' } });
  });

  it('reaches the simulator controls with the admin credentials', async () => {
    const clock = await bridge.call('sim.clock', undefined);
    expect(clock).toMatchObject({ ok: true, value: { speed: expect.any(Number) } });
  });

  it('refuses a wrong token and a foreign origin', async () => {
    for (const [token, origin] of [
      ['0'.repeat(64), pageUrl.origin],
      [pageUrl.searchParams.get('token')!, 'http://evil.example'],
    ] as const) {
      const c = connect(token, origin);
      await expect(c.opened).rejects.toThrow(/closed/);
    }
  });

  it('stops cleanly on SIGTERM, letting the engine save', async () => {
    // the whole process group, as ^C in a shell would (npm itself does not wait for its child)
    process.kill(-proc.pid!, 'SIGTERM');
    await expect.poll(() => readFileSync(logFile, 'utf8'), { timeout: 20_000 }).toContain('KubeLab stopped (cluster engine exit code 0).');
  });
});
