// The desktop carrier with fake ipcMain/webContents (Electron cannot run here): one handler per
// declared call, untrusted frames refused, errors as data, events to the calling page only,
// cleanups when the page is destroyed or reloaded.
import { describe, expect, it } from 'vitest';
import { CALL_NAMES, type ClientContext, type Handlers } from './contract.js';
import { HostError } from './errors.js';
import { registerIpcBridge, type IpcInvokeEventLike, type IpcMainLike, type WebContentsLike } from './ipc-main.js';
import { ipcBridge } from './ipc-client.js';
import { callChannel, eventChannel, type KubeLabApi } from './types.js';

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

function fakeIpc() {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = { handle: (ch, l) => void handlers.set(ch, l), removeHandler: (ch) => void handlers.delete(ch) };
  return { ipc, handlers };
}

function fakeContents(id: number) {
  const sent: Array<[string, unknown]> = [];
  const hooks: Record<string, Array<() => void>> = { destroyed: [], 'did-navigate': [] };
  let destroyed = false;
  const wc: WebContentsLike = {
    id,
    send: (ch, p) => void sent.push([ch, p]),
    isDestroyed: () => destroyed,
    once: (ev, l) => hooks[ev]!.push(l),
    on: (ev, l) => hooks[ev]!.push(l),
  };
  return { wc, sent, fire: (ev: 'destroyed' | 'did-navigate') => (ev === 'destroyed' && (destroyed = true), hooks[ev]!.splice(0).forEach((f) => f())) };
}

function handlersWith(partial: Partial<Handlers>): Handlers {
  const all: Record<string, unknown> = {};
  for (const n of CALL_NAMES) all[n] = () => undefined;
  return { ...all, ...partial } as Handlers;
}

const APP = 'file:///app/out/renderer/index.html';
const trusted = { isTrustedSender: (u: string) => u === APP };

describe('ipc carrier', () => {
  it('registers exactly one handler per declared call and removes them', () => {
    const { ipc, handlers } = fakeIpc();
    const off = registerIpcBridge(ipc, handlersWith({}), trusted);
    expect([...handlers.keys()].sort()).toEqual(CALL_NAMES.map(callChannel).sort());
    off();
    expect(handlers.size).toBe(0);
  });

  it.each([
    ['a value', () => ({ version: '1', mode: 'desktop', platform: 'x' }), { ok: true, value: { version: '1', mode: 'desktop', platform: 'x' } }],
    ['a HostError', () => { throw new HostError('NotFound', 'nope', 404); }, { ok: false, error: { code: 'NotFound', message: 'nope', status: 404 } }],
    ['a rejection', async () => { throw new Error('bad'); }, { ok: false, error: { code: 'Internal', message: 'bad' } }],
  ])('returns %s as a Result', async (_n, impl, expected) => {
    const { ipc, handlers } = fakeIpc();
    registerIpcBridge(ipc, handlersWith({ 'app.info': impl as Handlers['app.info'] }), trusted);
    const { wc } = fakeContents(1);
    expect(await handlers.get(callChannel('app.info'))!({ sender: wc, senderFrame: { url: APP } }, undefined)).toEqual(expected);
  });

  it('refuses calls from frames that are not the app page', async () => {
    const { ipc, handlers } = fakeIpc();
    let ran = false;
    registerIpcBridge(ipc, handlersWith({ 'sim.reset': () => void (ran = true) }), trusted);
    const { wc } = fakeContents(1);
    const r = await handlers.get(callChannel('sim.reset'))!({ sender: wc, senderFrame: { url: 'https://evil.example/' } }, undefined);
    expect(r).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    expect(ran).toBe(false);
  });

  it('emits events to the calling page and closes its client on reload and destroy', async () => {
    const { ipc, handlers } = fakeIpc();
    const seen: ClientContext[] = [];
    const closedIds: string[] = [];
    registerIpcBridge(
      ipc,
      handlersWith({
        'terminal.open': (_r, c) => {
          seen.push(c);
          c.onClose(() => closedIds.push(c.id));
          c.emit('terminal.data', { id: 't1', data: 'x' });
          return { id: 't1' };
        },
      }),
      trusted,
    );
    const page = fakeContents(7);
    const open = () => handlers.get(callChannel('terminal.open'))!({ sender: page.wc, senderFrame: { url: APP } }, { cols: 1, rows: 1 });
    await open();
    await open();
    expect(seen[0]!.id).toBe(seen[1]!.id);
    expect(page.sent).toEqual([
      [eventChannel('terminal.data'), { id: 't1', data: 'x' }],
      [eventChannel('terminal.data'), { id: 't1', data: 'x' }],
    ]);
    page.fire('did-navigate');
    expect(closedIds).toEqual([seen[0]!.id, seen[0]!.id]);
    await open();
    expect(seen[2]!.id).not.toBe(seen[0]!.id);
    page.fire('destroyed');
    expect(closedIds).toHaveLength(3);
  });
});

describe('ipc-client', () => {
  it('adapts window.kubelab to Bridge and turns IPC failures into Unavailable', async () => {
    const api = {
      call: { 'app.info': async () => ({ ok: true, value: { version: '1', mode: 'desktop', platform: 'x' } }), 'sim.reset': async () => Promise.reject(new Error('window closing')) },
      on: (_n: string, _cb: unknown) => () => undefined,
      version: () => '1',
    } as unknown as KubeLabApi;
    const b = ipcBridge(api);
    expect(await b.call('app.info', undefined)).toMatchObject({ ok: true });
    expect(await b.call('sim.reset', undefined)).toEqual({ ok: false, error: { code: 'Unavailable', message: 'window closing' } });
    expect(await b.call('sim.nodes', undefined)).toMatchObject({ ok: false, error: { code: 'BadRequest' } });
  });
});
