// The engine process manager with a fake child: ready/kubeconfig parsing, crash restarts with a
// message, giving up, and SIGTERM-then-wait on stop.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../bridge/contract.js';
import { EngineManager, type EngineChild } from './engine.js';

function fakeChild() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const ee = new EventEmitter();
  const kills: boolean[] = [];
  const child: EngineChild = { stdout, stderr, kill: (force) => void kills.push(!!force), once: (ev, cb) => ee.once(ev, cb) };
  return {
    child,
    stdout,
    stderr,
    kills,
    ready: (port: number) => stdout.write(`KubeLab cluster ready at https://127.0.0.1:${port}\nkubeconfig: /d/kubeconfig\n`),
    exit: (code: number | null) => ee.emit('exit', code),
  };
}

function manager(children: ReturnType<typeof fakeChild>[], extra: Partial<ConstructorParameters<typeof EngineManager>[0]> = {}) {
  const argsSeen: string[][] = [];
  let i = 0;
  const m = new EngineManager({
    dataDir: '/d',
    kubeconfigPath: '/d/kubeconfig',
    launch: (args) => (argsSeen.push(args), children[i++]!.child),
    restartDelayMs: 1,
    ...extra,
  });
  const seen: ClusterStatus[] = [];
  m.onStatus((s) => seen.push(s));
  return { m, argsSeen, seen };
}

describe('EngineManager', () => {
  it('reports ready with the URL and kubeconfig from the engine output', async () => {
    const c = fakeChild();
    const { m, argsSeen } = manager([c]);
    const started = m.start();
    expect(m.status().state).toBe('starting');
    c.stdout.write('KubeLab cluster ready at https://127.0.0.1:4');
    c.stdout.write('443\nkubeconfig: /d/kubeconfig\n');
    expect(await started).toEqual({ state: 'ready', real: false, url: 'https://127.0.0.1:4443', kubeconfigPath: '/d/kubeconfig' });
    expect(argsSeen[0]).toEqual(['--port', '0', '--data-dir', '/d', '--kubeconfig', '/d/kubeconfig']);
  });

  it('restarts after a crash with a message, then is ready again', async () => {
    const [a, b] = [fakeChild(), fakeChild()];
    const { m, seen } = manager([a, b]);
    const started = m.start();
    a.ready(1);
    await started;
    a.stderr.write('out of memory\n');
    await new Promise((r) => setImmediate(r));
    a.exit(1);
    expect(m.status()).toMatchObject({ state: 'starting', message: expect.stringContaining('stopped unexpectedly (exit code 1): out of memory') });
    await expect.poll(() => b.child.stdout!.listenerCount('data')).toBeGreaterThan(0);
    b.ready(2);
    expect(await m.whenSettled()).toMatchObject({ state: 'ready', url: 'https://127.0.0.1:2' });
    expect(seen.map((s) => s.state)).toEqual(['starting', 'ready', 'starting', 'starting', 'ready']);
  });

  it('gives up after maxRestarts crashes', async () => {
    const cs = [fakeChild(), fakeChild()];
    const { m } = manager(cs, { maxRestarts: 1 });
    const started = m.start();
    cs[0]!.exit(2);
    await expect.poll(() => cs[1]!.child.stdout!.listenerCount('data')).toBeGreaterThan(0);
    cs[1]!.exit(2);
    expect(await started).toMatchObject({ state: 'failed', message: expect.stringContaining('keeps failing') });
  });

  it('stops with a polite kill and waits for the exit code', async () => {
    const c = fakeChild();
    const { m } = manager([c]);
    const started = m.start();
    c.ready(1);
    await started;
    const stopped = m.stop();
    expect(c.kills).toEqual([false]);
    c.exit(0);
    expect(await stopped).toBe(0);
    expect(m.status()).toEqual({ state: 'stopped', real: false });
  });

  it('force-kills when the engine does not stop in time', async () => {
    const c = fakeChild();
    const { m } = manager([c], { stopTimeoutMs: 5 });
    const started = m.start();
    c.ready(1);
    await started;
    const stopped = m.stop();
    await expect.poll(() => c.kills).toEqual([false, true]);
    c.exit(null);
    expect(await stopped).toBe(null);
  });
});
