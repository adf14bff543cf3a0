// Browser-mode carrier, Node side: a WebSocket endpoint on the web UI's own loopback HTTP server.
// A random token in the page URL is the credential (loopback alone is not: any local user or web
// page could connect); the Origin check stops other sites' pages in the user's browser from
// riding along. Calls are dispatched to Handlers; results and errors go back as data.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientContext, EventName, Events, Handlers, Result, WireMessage } from './contract.js';
import { isCallName, toBridgeError } from './errors.js';

export const BRIDGE_PATH = '/bridge';
// calls carry small JSON; terminal input pasted by a user is the biggest thing expected
const MAX_PAYLOAD = 4 * 1024 * 1024;

/** 32 random bytes, hex: the token put in the web UI URL. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // length is not secret (always 64 hex chars); the comparison of contents must be constant-time
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface WsBridgeOptions {
  server: Server;
  handlers: Handlers;
  token: string;
  /** origins allowed to connect (the served page, e.g. http://127.0.0.1:PORT); read per request since the port is known only after listen */
  allowedOrigins: () => readonly string[];
  path?: string;
}

export interface WsBridge {
  /** number of connected clients */
  clientCount(): number;
  close(): Promise<void>;
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Why an upgrade request is refused, or undefined when it may proceed. */
export function checkUpgrade(req: IncomingMessage, opts: Pick<WsBridgeOptions, 'token' | 'allowedOrigins' | 'path'>): { status: number; text: string } | undefined {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== (opts.path ?? BRIDGE_PATH)) return { status: 404, text: 'Not Found' };
  const origin = req.headers.origin;
  // Browsers always send Origin on WebSocket handshakes, so a foreign page is caught here; a
  // non-browser client could forge it anyway, which is why the token is the real credential.
  if (origin !== undefined && !opts.allowedOrigins().includes(origin)) return { status: 403, text: 'Forbidden' };
  const token = url.searchParams.get('token');
  if (token === null || !tokensEqual(token, opts.token)) return { status: 401, text: 'Unauthorized' };
  return undefined;
}

let nextClient = 1;

export function attachWsBridge(opts: WsBridgeOptions): WsBridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(req, opts);
    if (refusal) return reject(socket, refusal.status, refusal.text);
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, opts.handlers));
  };
  opts.server.on('upgrade', onUpgrade);
  return {
    clientCount: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        opts.server.off('upgrade', onUpgrade);
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

function serve(ws: WebSocket, handlers: Handlers): void {
  const closeCbs: Array<() => void> = [];
  const send = (msg: WireMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const client: ClientContext = {
    id: `ws-${nextClient++}`,
    emit<K extends EventName>(name: K, payload: Events[K]) {
      send({ t: 'event', name, payload });
    },
    onClose(cb) {
      closeCbs.push(cb);
    },
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'text frames only');
    let msg: Partial<Extract<WireMessage, { t: 'call' }>>;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return ws.close(1007, 'invalid JSON');
    }
    if (msg?.t !== 'call' || typeof msg.id !== 'number') return ws.close(1008, 'not a call');
    const id = msg.id;
    const name = msg.name;
    if (!isCallName(name)) {
      send({ t: 'result', id, result: { ok: false, error: { code: 'BadRequest', message: `unknown call "${String(name)}"` } } });
      return;
    }
    const handler = handlers[name] as (req: unknown, c: ClientContext) => unknown;
    void Promise.resolve()
      .then(() => handler(msg.req, client))
      .then(
        (value): Result<unknown> => ({ ok: true, value }),
        (e): Result<unknown> => ({ ok: false, error: toBridgeError(e) }),
      )
      .then((result) => send({ t: 'result', id, result }));
  });
  ws.on('close', () => {
    for (const cb of closeCbs.splice(0)) {
      try {
        cb();
      } catch {
        /* one failing cleanup must not skip the others */
      }
    }
  });
  ws.on('error', () => ws.terminate());
}
