// The browser-mode carrier end to end in Node: a real ws-server on loopback and the page-side
// ws-client driven through the `ws` package standing in for the browser's WebSocket.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ClientContext, Handlers } from './contract.js';
import { HostError } from './errors.js';
import { connectWsBridge, type WebSocketLike } from './ws-client.js';
import { attachWsBridge, newToken, tokensEqual, type WsBridge } from './ws-server.js';

const token = newToken();
let server: Server;
let bridge: WsBridge;
let origin: string;
const closed: string[] = [];

const notImplemented = () => {
  throw new Error('not used in this test');
};
const handlers = {
  'app.info': () => ({ version: '9.9.9', mode: 'web', platform: 'test' }),
  'settings.get': async () => ({ language: 'en', theme: 'dark' }),
  'settings.set': (patch: { language?: string }) => {
    if (patch.language === 'xx') throw new HostError('BadRequest', 'unsupported language "xx"');
    return { language: patch.language ?? 'en', theme: 'dark' };
  },
  'cluster.status': () => {
    throw new Error('boom');
  },
  'terminal.open': (_req: unknown, c: ClientContext) => {
    c.onClose(() => closed.push(c.id));
    setImmediate(() => c.emit('terminal.data', { id: 't1', data: 'hello' }));
    return { id: 't1' };
  },
  'sim.reset': () => undefined,
} as Partial<Handlers> as Handlers;
for (const k of ['k8s.list', 'k8s.get', 'k8s.events', 'k8s.watch', 'k8s.unwatch', 'terminal.input', 'terminal.resize', 'terminal.ack', 'terminal.close', 'sim.clock', 'sim.setSpeed', 'sim.nodes', 'sim.stopNode', 'sim.startNode', 'sim.killContainer'] as const) {
  (handlers as Record<string, unknown>)[k] = notImplemented;
}

const socket = (o: string | undefined) => (url: string) => new WebSocket(url, o ? { origin: o } : {}) as unknown as WebSocketLike;
const url = (t: string) => `ws://127.0.0.1:${(server.address() as AddressInfo).port}/bridge?token=${t}`;

beforeAll(async () => {
  server = createServer((_req, res) => res.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  bridge = attachWsBridge({ server, handlers, token, allowedOrigins: () => [origin] });
});
afterAll(async () => {
  await bridge.close();
  await new Promise((r) => server.close(r));
});

describe('ws carrier', () => {
  it('round-trips calls with typed results and void results', async () => {
    const c = connectWsBridge(url(token), { createSocket: socket(origin) });
    await c.opened;
    const info = await c.call('app.info', undefined);
    expect(info).toEqual({ ok: true, value: { version: '9.9.9', mode: 'web', platform: 'test' } });
    if (info.ok) expect(info.value.version).toBe('9.9.9');
    expect(await c.call('settings.get', undefined)).toEqual({ ok: true, value: { language: 'en', theme: 'dark' } });
    expect(await c.call('sim.reset', undefined)).toEqual({ ok: true });
    c.close();
  });

  it('queues calls made before the socket opens', async () => {
    const c = connectWsBridge(url(token), { createSocket: socket(origin) });
    const r = await c.call('settings.set', { language: 'ko' });
    expect(r).toEqual({ ok: true, value: { language: 'ko', theme: 'dark' } });
    c.close();
  });

  it.each([
    ['a HostError keeps its code', 'settings.set', { language: 'xx' }, { code: 'BadRequest', message: 'unsupported language "xx"' }],
    ['a plain Error becomes Internal', 'cluster.status', undefined, { code: 'Internal', message: 'boom' }],
  ] as const)('transports errors as data: %s', async (_n, name, req, error) => {
    const c = connectWsBridge(url(token), { createSocket: socket(origin) });
    expect(await c.call(name, req as never)).toEqual({ ok: false, error });
    c.close();
  });

  it('answers an unknown call name with BadRequest instead of dropping it', async () => {
    const c = connectWsBridge(url(token), { createSocket: socket(origin) });
    expect(await c.call('no.such' as never, undefined as never)).toEqual({ ok: false, error: { code: 'BadRequest', message: 'unknown call "no.such"' } });
    c.close();
  });

  it('delivers events and runs onClose cleanups when the client goes away', async () => {
    const c = connectWsBridge(url(token), { createSocket: socket(origin) });
    const got = new Promise<unknown>((resolve) => c.on('terminal.data', resolve));
    expect(await c.call('terminal.open', { cols: 80, rows: 24 })).toEqual({ ok: true, value: { id: 't1' } });
    expect(await got).toEqual({ id: 't1', data: 'hello' });
    const before = closed.length;
    c.close();
    await expect.poll(() => closed.length).toBe(before + 1);
  });

  it.each([
    ['a wrong token', () => url(newToken()), () => origin, 401],
    ['no token', () => url('').replace('?token=', ''), () => origin, 401],
    ['a token of another length', () => url('abc'), () => origin, 401],
    ['another origin', () => url(token), () => 'http://evil.example', 403],
    ['another path', () => url(token).replace('/bridge', '/other'), () => origin, 404],
  ])('rejects the handshake with %s', async (_n, u, o, status) => {
    const ws = new WebSocket(u(), { origin: o() });
    const code = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(code).toBe(status);
    ws.terminate();
    // the page side sees a rejected `opened` and failing calls
    const c = connectWsBridge(u(), { createSocket: socket(o()) });
    await expect(c.opened).rejects.toThrow(/closed/);
    expect(await c.call('app.info', undefined)).toMatchObject({ ok: false, error: { code: 'Unavailable' } });
  });

  it('accepts a client without Origin (non-browser) that has the token', async () => {
    const c = connectWsBridge(url(token), { createSocket: socket(undefined) });
    await c.opened;
    expect((await c.call('app.info', undefined)).ok).toBe(true);
    c.close();
  });

  it('compares tokens exactly', () => {
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(token.toUpperCase(), token)).toBe(token === token.toUpperCase());
    expect(tokensEqual(token.slice(1), token)).toBe(false);
    expect(newToken()).toMatch(/^[0-9a-f]{64}$/);
  });
});
