// Streaming subresources over WebSocket (the v5.channel.k8s.io protocol kubectl speaks first):
// attach today; exec and port-forward arrive with the in-cluster networking work.
// Frames are binary, byte 0 the channel: 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, 255 close.
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiContext } from './context.js';
import { StatusError, notFoundPath, unauthorized } from './errors.js';
import { pickContainer } from './logs.js';
import { authenticate } from './server.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

function refuse(socket: Duplex, e: StatusError): void {
  const body = JSON.stringify(e.toStatus());
  socket.end(`HTTP/1.1 ${e.code} ${e.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function frame(channel: number, data: string | Buffer): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([channel]), payload]);
}

export function installStreams(server: Server, ctx: ApiContext): void {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      if (!authenticate(req)) throw unauthorized();
      const url = new URL(req.url ?? '/', 'https://localhost');
      const m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(attach|exec|portforward)$/);
      if (!m || (req.headers.upgrade ?? '').toLowerCase() !== 'websocket') throw notFoundPath();
      const [, namespace, name, verb] = m as unknown as [string, string, string, string];
      const podDef = ctx.registry.lookup('', 'v1', 'pods')!;
      const pod = ctx.store.get(podDef, namespace, name);
      if (!pod) throw new StatusError(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
      if (verb !== 'attach') throw new StatusError(400, 'BadRequest', `${verb} is not available in this version of KubeLab`);
      const container = pickContainer(pod, url.searchParams.get('container'));
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') throw new StatusError(400, 'BadRequest', `cannot attach a container in a completed pod; current phase is ${phase}`);
      if (!ctx.nodeAgent) throw new StatusError(400, 'BadRequest', `pod ${name} does not have a host assigned`);
      const agent = ctx.nodeAgent;
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => attach(ws, () => agent, pod, container));
    } catch (e) {
      refuse(socket, e instanceof StatusError ? e : new StatusError(500, 'InternalError', String(e)));
    }
  });
}

function attach(ws: WebSocket, agent: () => NonNullable<ApiContext['nodeAgent']>, pod: Parameters<NonNullable<ApiContext['nodeAgent']>['streamLogs']>[0], container: string): void {
  const abort = new AbortController();
  let finished = false;
  const finish = (status: object) => {
    if (finished) return;
    finished = true;
    abort.abort();
    if (ws.readyState === ws.OPEN) {
      ws.send(frame(3, JSON.stringify(status)));
      ws.close(1000);
    }
  };
  ws.on('close', () => abort.abort());
  ws.on('message', () => undefined); // stdin and resize: simulated containers read no input
  try {
    agent().streamLogs(
      pod,
      { container, follow: true, tailLines: 0 },
      { write: (chunk) => ws.readyState === ws.OPEN && ws.send(frame(1, chunk)), end: () => finish({ metadata: {}, status: 'Success' }) },
      abort.signal,
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    finish({ metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
  }
}
