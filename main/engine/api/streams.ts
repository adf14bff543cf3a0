// Streaming subresources (exec, attach, portforward) with the protocols real kubectl speaks:
// WebSocket `v5.channel.k8s.io` for exec/attach (binary frames, byte 0 = channel: 0 stdin,
// 1 stdout, 2 stderr, 3 status, 4 resize, 255 close), SPDY/3.1 (`POST` + `Upgrade: SPDY/3.1`) as
// the fallback, and port-forward as SPDY tunnelled in WebSocket (`SPDY/3.1+portforward.k8s.io`)
// or raw SPDY. Errors before the upgrade are answered like the API server relaying the kubelet.
import type { IncomingMessage } from 'node:http';
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ContainerProcess } from '../runtime/types.js';
import type { KObj } from '../store/types.js';
import type { ApiContext, NodeAgent } from './context.js';
import { StatusError, badRequest, notFoundPath, unauthorized } from './errors.js';
import { pickContainer } from './logs.js';
import { runAttach, runExec, type Channels } from './remotecommand.js';
import { authenticate } from './server.js';
import { SpdyConnection, type SpdyStream } from './spdy/conn.js';
import { portForwardHandler } from './spdy/portforward.js';

const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
/** SPDY remotecommand versions we speak; v5 differs from v4 only over WebSocket */
const SPDY_EXEC_PROTOCOLS = ['v4.channel.k8s.io', 'v5.channel.k8s.io'];

/** what the kubelet pool offers beyond logs (KubeletPool implements it) */
interface ProcessAgent extends NodeAgent {
  runningProcess?(pod: KObj, container: string): ContainerProcess;
  listeningProcess?(namespace: string, pod: string, port: number, uid?: string): ContainerProcess | undefined;
}

/** the kubelet's plain-text refusal, relayed by the API server (kubectl: "unable to upgrade connection: …") */
class KubeletRefusal extends Error {}

function refuse(socket: Duplex, e: unknown): void {
  if (e instanceof KubeletRefusal) {
    const body = e.message;
    socket.end(`HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    return;
  }
  const se = e instanceof StatusError ? e : new StatusError(500, 'InternalError', String(e));
  const body = JSON.stringify(se.toStatus());
  socket.end(`HTTP/1.1 ${se.code} ${se.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function frame(channel: number, data: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), typeof data === 'string' ? Buffer.from(data) : data]);
}

function offered(req: IncomingMessage, header: string): string[] {
  const v = req.headers[header];
  return (Array.isArray(v) ? v.join(',') : (v ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
}

/** `server` emits node:http's 'upgrade' (an HTTP/2 server does too, for its HTTP/1.1 clients) */
export function installStreams(server: EventEmitter, ctx: ApiContext): void {
  const channelWss = new WebSocketServer({ noServer: true, handleProtocols: (p) => CHANNEL_PROTOCOLS.find((x) => p.has(x)) ?? false });
  // `ws` refuses a subprotocol containing '/': it never sees the header, and we add the answer back
  const tunnelWss = new WebSocketServer({ noServer: true });
  tunnelWss.on('headers', (headers) => headers.push(`Sec-WebSocket-Protocol: ${TUNNEL_PROTOCOL}`));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      if (!authenticate(req)) throw unauthorized();
      const url = new URL(req.url ?? '/', 'https://localhost');
      const m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(attach|exec|portforward)$/);
      const upgrade = (req.headers.upgrade ?? '').toLowerCase();
      if (!m || (upgrade !== 'websocket' && upgrade !== 'spdy/3.1')) throw notFoundPath();
      const [, namespace, name, verb] = m as unknown as [string, string, string, 'attach' | 'exec' | 'portforward'];
      const pod = ctx.store.get(ctx.registry.lookup('', 'v1', 'pods')!, namespace, name);
      if (!pod) throw new StatusError(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
      if (!(pod.spec as { nodeName?: string } | undefined)?.nodeName || !ctx.nodeAgent) throw badRequest(`pod ${name} does not have a host assigned`);
      const agent = ctx.nodeAgent as ProcessAgent;

      if (verb === 'portforward') {
        const target = {
          uid: pod.metadata.uid ?? '',
          now: () => ctx.clock.now(),
          process: (port: number) => findListener(agent, pod, port),
        };
        if (upgrade === 'websocket') {
          if (!offered(req, 'sec-websocket-protocol').includes(TUNNEL_PROTOCOL)) throw badRequest('unable to upgrade: missing or unsupported subprotocol');
          delete req.headers['sec-websocket-protocol'];
          tunnelWss.handleUpgrade(req, socket, head, (ws) => tunnel(ws, portForwardHandler(target)));
        } else {
          const conn = rawSpdy(socket, head, 'portforward.k8s.io', portForwardHandler(target));
          void conn;
        }
        return;
      }

      const container = pickContainer(pod, url.searchParams.get('container'));
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (verb === 'attach' && (phase === 'Succeeded' || phase === 'Failed')) throw badRequest(`cannot attach a container in a completed pod; current phase is ${phase}`);
      const q = url.searchParams;
      const params = { command: q.getAll('command'), stdin: q.get('stdin') === 'true', tty: q.get('tty') === 'true' };
      let process: ContainerProcess | undefined;
      if (verb === 'exec') {
        if (!params.command.length) throw badRequest('you must specify at least 1 command');
        process = running(agent, pod, container);
      }
      const seed = `${pod.metadata.uid}/${container}/${ctx.ids.uid()}`;
      const serve = (ch: Channels) => (verb === 'exec' ? runExec(process!, params, ch, seed) : runAttach(agent, pod, container, ch, attachTarget(agent, pod, container)));

      if (upgrade === 'websocket') {
        channelWss.handleUpgrade(req, socket, head, (ws) => serve(wsChannels(ws)));
        return;
      }
      const protocols = offered(req, 'x-stream-protocol-version');
      const proto = SPDY_EXEC_PROTOCOLS.find((p) => protocols.includes(p));
      if (!proto) throw new StatusError(403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports [${protocols.join(' ')}], server supports [${SPDY_EXEC_PROTOCOLS.join(' ')}]`);
      spdyExec(socket, head, proto, { ...params, stdout: q.get('stdout') === 'true', stderr: q.get('stderr') === 'true' && !params.tty }, serve);
    } catch (e) {
      refuse(socket, e);
    }
  });
}

function running(agent: ProcessAgent, pod: KObj, container: string): ContainerProcess {
  if (!agent.runningProcess) throw new KubeletRefusal(`container not found ("${container}")`);
  try {
    return agent.runningProcess(pod, container);
  } catch (e) {
    throw new KubeletRefusal(e instanceof Error ? e.message : String(e));
  }
}

/** the container's process when it runs (attach falls back to its log stream otherwise) */
function attachTarget(agent: ProcessAgent, pod: KObj, container: string): ContainerProcess | undefined {
  try {
    return agent.runningProcess?.(pod, container);
  } catch {
    return undefined;
  }
}

function findListener(agent: ProcessAgent, pod: KObj, port: number): ContainerProcess | undefined {
  if (agent.listeningProcess) return agent.listeningProcess(pod.metadata.namespace!, pod.metadata.name!, port, pod.metadata.uid);
  for (const c of ((pod.spec as { containers?: { name: string }[] }).containers ?? [])) {
    try {
      const p = agent.runningProcess?.(pod, c.name);
      if (p?.tcpListening(port)) return p;
    } catch {
      // not running: try the next container
    }
  }
  return undefined;
}

function wsChannels(ws: WebSocket): Channels {
  const stdin: ((d: Buffer) => void)[] = [];
  const stdinEnd: (() => void)[] = [];
  let finished = false;
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary || !data.length) return;
    const ch = data[0];
    if (ch === 0) for (const cb of stdin) cb(data.subarray(1));
    else if (ch === 255 && data[1] === 0) for (const cb of stdinEnd) cb();
  });
  const send = (channel: number, d: string) => ws.readyState === ws.OPEN && ws.send(frame(channel, d));
  return {
    stdout: (d) => send(1, d),
    stderr: (d) => send(2, d),
    finish(status) {
      if (finished) return;
      finished = true;
      if (ws.readyState !== ws.OPEN) return;
      ws.send(frame(3, JSON.stringify(status)));
      ws.close(1000);
    },
    onStdin: (cb) => void stdin.push(cb),
    onStdinEnd: (cb) => void stdinEnd.push(cb),
    onClose: (cb) => void ws.on('close', cb),
  };
}

/** answer a SPDY upgrade on the raw socket and run a session over it */
function rawSpdy(socket: Duplex, head: Buffer, protocol: string, onStream: (s: SpdyStream) => void): SpdyConnection {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
  const conn = new SpdyConnection({ write: (b) => void socket.write(b), end: () => socket.end() }, onStream);
  socket.on('data', (b: Buffer) => conn.feed(b));
  socket.on('close', () => conn.close());
  socket.on('error', () => conn.close());
  if (head.length) conn.feed(head);
  return conn;
}

/** SPDY frames inside binary WebSocket messages: the messages form one byte stream each way */
function tunnel(ws: WebSocket, onStream: (s: SpdyStream) => void): void {
  const conn = new SpdyConnection({ write: (b) => ws.readyState === ws.OPEN && ws.send(b, { binary: true }), end: () => ws.close(1000) }, onStream);
  ws.on('message', (data: Buffer) => conn.feed(data));
  ws.on('close', () => conn.close());
  ws.on('error', () => conn.close());
}

/** exec/attach over SPDY (v4 protocol): the client opens error/stdin/stdout/stderr/resize streams */
function spdyExec(
  socket: Duplex,
  head: Buffer,
  protocol: string,
  want: { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean },
  serve: (ch: Channels) => void,
): void {
  const streams = new Map<string, SpdyStream>();
  const expected = new Set(['error', ...(want.stdin ? ['stdin'] : []), ...(want.stdout ? ['stdout'] : []), ...(want.stderr ? ['stderr'] : []), ...(want.tty ? ['resize'] : [])]);
  let started = false;
  const conn = rawSpdy(socket, head, protocol, (s) => {
    const type = s.headers.streamtype ?? '';
    streams.set(type, s);
    if (type === 'resize') s.onData(() => undefined);
    if (!started && [...expected].every((t) => streams.has(t))) {
      started = true;
      serve(channels());
    }
  });
  const channels = (): Channels => {
    let finished = false;
    return {
      stdout: (d) => streams.get('stdout')?.write(d),
      // with a TTY there is no stderr stream: everything goes to stdout
      stderr: (d) => (streams.get('stderr') ?? streams.get('stdout'))?.write(d),
      finish(status) {
        if (finished) return;
        finished = true;
        streams.get('stdout')?.end();
        streams.get('stderr')?.end();
        const err = streams.get('error')!;
        err.write(JSON.stringify(status));
        err.end();
        void conn.goAway();
      },
      onStdin: (cb) => streams.get('stdin')?.onData(cb),
      onStdinEnd: (cb) => streams.get('stdin')?.onEnd(cb),
      onClose: (cb) => conn.onClose(cb),
    };
  };
}
