// Desktop carrier, Node side: one ipcMain.handle per declared call and one send channel per event.
// Written against the few members of ipcMain/webContents it uses (structural types), so it stays
// free of a runtime `electron` import and can be tested with fakes.
import type { CallName, ClientContext, EventName, Events, Handlers, Result } from './contract.js';
import { CALL_NAMES } from './contract.js';
import { toBridgeError } from './errors.js';
import { callChannel, eventChannel } from './types.js';

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
  on(event: 'did-navigate', listener: () => void): unknown;
}

export interface IpcInvokeEventLike {
  sender: WebContentsLike;
  senderFrame?: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcBridgeOptions {
  /** only frames showing our own page may call (see main/electron/nav.ts isAppUrl) */
  isTrustedSender(frameUrl: string): boolean;
}

interface Entry {
  ctx: ClientContext;
  closeCbs: Array<() => void>;
}

/** Registers every call; returns a function that unregisters them (and closes all clients). */
export function registerIpcBridge(ipcMain: IpcMainLike, handlers: Handlers, opts: IpcBridgeOptions): () => void {
  const clients = new Map<number, Entry>();
  let generation = 0;

  const closeClient = (wcId: number) => {
    const entry = clients.get(wcId);
    if (!entry) return;
    clients.delete(wcId);
    for (const cb of entry.closeCbs.splice(0)) {
      try {
        cb();
      } catch {
        /* keep closing the rest */
      }
    }
  };

  const clientFor = (wc: WebContentsLike): ClientContext => {
    const existing = clients.get(wc.id);
    if (existing) return existing.ctx;
    const closeCbs: Array<() => void> = [];
    const ctx: ClientContext = {
      // a reload is a new page with new terminals and watches, hence the generation
      id: `ipc-${wc.id}-${++generation}`,
      emit<K extends EventName>(name: K, payload: Events[K]) {
        if (!wc.isDestroyed()) wc.send(eventChannel(name), payload);
      },
      onClose(cb) {
        closeCbs.push(cb);
      },
    };
    clients.set(wc.id, { ctx, closeCbs });
    wc.once('destroyed', () => closeClient(wc.id));
    return ctx;
  };

  const navigationHooked = new WeakSet<WebContentsLike>();
  for (const name of CALL_NAMES) {
    ipcMain.handle(callChannel(name), async (event, req): Promise<Result<unknown>> => {
      const url = event.senderFrame?.url ?? '';
      if (!opts.isTrustedSender(url)) return { ok: false, error: { code: 'Forbidden', message: 'calls are only accepted from the KubeLab page' } };
      if (!navigationHooked.has(event.sender)) {
        navigationHooked.add(event.sender);
        event.sender.on('did-navigate', () => closeClient(event.sender.id));
      }
      const handler = handlers[name as CallName] as (req: unknown, c: ClientContext) => unknown;
      try {
        return { ok: true, value: await handler(req, clientFor(event.sender)) };
      } catch (e) {
        return { ok: false, error: toBridgeError(e) };
      }
    });
  }
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(callChannel(name));
    for (const id of [...clients.keys()]) closeClient(id);
  };
}
