// Browser-mode carrier, page side: the Bridge over one WebSocket to main/bridge/ws-server.ts.
// Written against a minimal WebSocket shape so it runs in the browser and, in tests, on the `ws`
// package. No reconnect: the Node side's terminals and watches belong to the connection, so after
// a drop the page should reload (onClose tells it when).
import type { Bridge, CallName, CallRequest, CallResponse, EventName, Events, Result, WireMessage } from './contract.js';
import { isEventName } from './errors.js';

/** The part of the WHATWG WebSocket this carrier uses (the `ws` package implements it too). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface WsClientOptions {
  /** opens the socket; defaults to the global WebSocket (the browser's) */
  createSocket?: (url: string) => WebSocketLike;
}

export interface WsClientBridge extends Bridge {
  /** resolves once the socket is open, rejects if it closes first (bad token, server gone) */
  readonly opened: Promise<void>;
  /** subscribe to the connection ending; the callback gets the close code and reason */
  onClose(cb: (code: number, reason: string) => void): () => void;
  close(): void;
}

const OPEN = 1;

/** `ws://host/bridge?token=…` for the page at `pageUrl` (its own ?token=…). */
export function bridgeUrlFromPage(pageUrl: string): string {
  const page = new URL(pageUrl);
  const token = page.searchParams.get('token') ?? '';
  const proto = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${page.host}/bridge?token=${encodeURIComponent(token)}`;
}

export function connectWsBridge(url: string, opts: WsClientOptions = {}): WsClientBridge {
  const create =
    opts.createSocket ??
    ((u: string) => {
      const Ctor = (globalThis as unknown as { WebSocket?: new (u: string) => WebSocketLike }).WebSocket;
      if (!Ctor) throw new Error('no WebSocket implementation available');
      return new Ctor(u);
    });
  const ws = create(url);
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const queued: string[] = [];
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const closeListeners = new Set<(code: number, reason: string) => void>();
  let closed = false;

  let openResolve!: () => void;
  let openReject!: (e: Error) => void;
  const opened = new Promise<void>((res, rej) => {
    openResolve = res;
    openReject = rej;
  });
  // nobody may be awaiting `opened`; its rejection is reported through onClose too
  opened.catch(() => undefined);

  ws.onopen = () => {
    for (const m of queued.splice(0)) ws.send(m);
    openResolve();
  };
  ws.onmessage = (ev) => {
    let msg: WireMessage;
    try {
      msg = JSON.parse(typeof ev.data === 'string' ? ev.data : String(ev.data));
    } catch {
      return;
    }
    if (msg.t === 'result') {
      const done = pending.get(msg.id);
      pending.delete(msg.id);
      done?.(msg.result);
    } else if (msg.t === 'event' && isEventName(msg.name)) {
      for (const cb of listeners.get(msg.name) ?? []) cb(msg.payload);
    }
  };
  ws.onerror = () => undefined; // a close always follows; handled there
  ws.onclose = (ev) => {
    closed = true;
    openReject(new Error(`bridge connection closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`));
    for (const done of pending.values()) done({ ok: false, error: { code: 'Unavailable', message: 'the connection to KubeLab was lost' } });
    pending.clear();
    for (const cb of closeListeners) cb(ev.code, ev.reason);
  };

  return {
    opened,
    call<K extends CallName>(name: K, req: CallRequest<K>): Promise<Result<CallResponse<K>>> {
      if (closed) return Promise.resolve({ ok: false, error: { code: 'Unavailable', message: 'the connection to KubeLab was lost' } });
      const id = nextId++;
      const text = JSON.stringify({ t: 'call', id, name, req } satisfies WireMessage);
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        if (ws.readyState === OPEN) ws.send(text);
        else queued.push(text);
      });
    },
    on<K extends EventName>(name: K, cb: (payload: Events[K]) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const fn = cb as (p: unknown) => void;
      set.add(fn);
      return () => void set.delete(fn);
    },
    onClose(cb) {
      closeListeners.add(cb);
      return () => void closeListeners.delete(cb);
    },
    close() {
      ws.close(1000, 'client closed');
    },
  };
}
