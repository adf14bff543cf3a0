// The kubelet side of `kubectl port-forward` over a SPDY session (raw, or tunnelled in WebSocket
// messages): per local connection the client opens an `error` and a `data` stream carrying the
// same requestID. The bytes on `data` go to the pod's port; simulated apps speak HTTP, so
// requests are parsed here and answered from the container (ContainerProcess.httpGet).
import { createHash } from 'node:crypto';
import type { ContainerProcess } from '../../runtime/types.js';
import { statusText } from '../../runtime/net.js';
import type { SpdyStream } from './conn.js';

export interface PortForwardTarget {
  /** the pod's running container listening on `port`, if any */
  process(port: number): ContainerProcess | undefined;
  /** pod uid: the sandbox and network namespace names in error messages derive from it */
  uid: string;
  now(): number;
}

function hex(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** containerd's wording when nothing listens on the port inside the pod's network namespace */
export function refusedMessage(uid: string, port: number): string {
  const sandbox = hex(`sandbox/${uid}`);
  const h = hex(`netns/${uid}`);
  const netns = `/var/run/netns/cni-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return (
    `error forwarding port ${port} to pod ${sandbox}, uid : failed to execute portforward in network namespace "${netns}": ` +
    `failed to connect to localhost:${port} inside namespace "${sandbox}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused ` +
    `IPv6 dial tcp6 [::1]:${port}: connect: connection refused `
  );
}

function contentType(body: string): string {
  const t = body.trimStart();
  if (t.startsWith('<')) return 'text/html';
  if (t.startsWith('{') || t.startsWith('[')) return 'application/json';
  return 'text/plain; charset=utf-8';
}

/** An HTTP/1.1 server on one forwarded connection (keep-alive, several requests in a row). */
export class HttpOverStream {
  private buf = Buffer.alloc(0);
  private closed = false;

  constructor(
    private proc: ContainerProcess,
    private port: number,
    private now: () => number,
    private write: (b: Buffer) => void,
    private close: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.closed) return;
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) {
        // not HTTP at all (redis, a raw TCP client): a real socket would just stay open
        return;
      }
      const head = this.buf.subarray(0, end).toString('latin1');
      const [requestLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const bodyLen = Number(headers['content-length'] ?? 0) || 0;
      if (this.buf.length < end + 4 + bodyLen) return;
      this.buf = this.buf.subarray(end + 4 + bodyLen);
      const [method = 'GET', target = '/', version = 'HTTP/1.1'] = requestLine.split(' ');
      this.answer(method, target, version, headers);
    }
  }

  private answer(method: string, target: string, version: string, headers: Record<string, string>): void {
    const path = target.replace(/^[a-z]+:\/\/[^/]*/i, '') || '/';
    const r = this.proc.httpGet(this.port, path, { from: '127.0.0.1', method, headers });
    const res = r ?? { status: 502, body: '' };
    const keepAlive = version === 'HTTP/1.1' ? headers.connection?.toLowerCase() !== 'close' : headers.connection?.toLowerCase() === 'keep-alive';
    const body = method === 'HEAD' ? '' : res.body;
    const head =
      `HTTP/1.1 ${res.status} ${statusText(res.status)}\r\n` +
      `Date: ${new Date(this.now()).toUTCString()}\r\n` +
      `Content-Type: ${contentType(res.body)}\r\n` +
      `Content-Length: ${Buffer.byteLength(res.body)}\r\n` +
      `Connection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;
    this.write(Buffer.from(head + body));
    if (!keepAlive) {
      this.closed = true;
      this.close();
    }
  }
}

/** The SPDY stream handler of one port-forward session. */
export function portForwardHandler(target: PortForwardTarget): (s: SpdyStream) => void {
  const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream; started?: boolean }>();
  const start = (id: string) => {
    const p = pairs.get(id)!;
    if (p.started || !p.error || !p.data) return;
    p.started = true;
    const { error, data } = p;
    const port = Number(data.headers.port ?? error.headers.port);
    const finish = () => {
      data.end();
      error.end();
      pairs.delete(id);
    };
    const proc = Number.isInteger(port) ? target.process(port) : undefined;
    if (!proc) {
      error.write(refusedMessage(target.uid, port));
      finish();
      return;
    }
    const http = new HttpOverStream(proc, port, target.now, (b) => data.write(b), finish);
    data.onData((b) => http.push(b));
    data.onEnd(finish);
  };
  return (s) => {
    const type = s.headers.streamtype;
    const id = s.headers.requestid ?? '0';
    if (type !== 'error' && type !== 'data') {
      s.end();
      return;
    }
    const p = pairs.get(id) ?? {};
    p[type] = s;
    pairs.set(id, p);
    start(id);
  };
}
