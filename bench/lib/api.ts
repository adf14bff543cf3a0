// A minimal HTTPS client for write benchmarks: the admin client certificate from the kubeconfig,
// Node's https with a keep-alive agent (so TLS handshakes are not what we measure), JSON bodies.
import * as http2 from 'node:http2';
import * as https from 'node:https';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { msSince } from './stats.js';

interface KubeconfigDoc {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ user: { 'client-certificate-data': string; 'client-key-data': string } }>;
}

export interface ApiClient {
  url: URL;
  /** 'h2' (one multiplexed connection, as client-go uses) or 'http/1.1' (a keep-alive socket pool) */
  protocol: 'h2' | 'http/1.1';
  /** the kubeconfig's CA and client certificate, for callers opening their own connections */
  creds: Creds;
  request: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: string }>;
  close: () => void;
}

/** A client of the cluster in `kubeconfigPath`: HTTP/2 unless `protocol` (or BENCH_HTTP=1.1) says otherwise. */
export function apiClient(kubeconfigPath: string, maxSockets: number, protocol = process.env.BENCH_HTTP === '1.1' ? 'http/1.1' : 'h2'): ApiClient {
  const doc = parse(readFileSync(kubeconfigPath, 'utf8')) as KubeconfigDoc;
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const cluster = doc.clusters[0]!.cluster;
  const user = doc.users[0]!.user;
  const url = new URL(cluster.server);
  const creds = { ca: b64(cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']) };
  return protocol === 'h2' ? h2Client(url, creds) : http1Client(url, creds, maxSockets);
}

export interface Creds {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

function h2Client(url: URL, creds: Creds): ApiClient {
  let session: http2.ClientHttp2Session | undefined;
  const connect = () => {
    if (!session || session.closed || session.destroyed) {
      // receive windows as Go's HTTP/2 client opens them (4 MiB a stream, 1 GiB the connection), so a
      // megabyte list page is not paced by Node's 64 KiB default
      session = http2.connect(url.origin, { ...creds, settings: { initialWindowSize: 4 << 20 } });
      session.on('connect', (s: http2.ClientHttp2Session) => s.setLocalWindowSize(1 << 30));
      session.on('error', () => (session = undefined));
    }
    return session;
  };
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = connect().request({
        ':method': method,
        ':path': path,
        accept: 'application/json',
        ...headers,
        ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
      }, { endStream: payload === undefined }); // Node ends a DELETE's stream at once unless told it has a body
      let status = 0;
      const chunks: Buffer[] = [];
      req.on('response', (h) => (status = Number(h[':status'])));
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
      req.on('error', reject);
      req.end(payload);
    });
  return { url, protocol: 'h2', creds, request, close: () => session?.close() };
}

function http1Client(url: URL, creds: Creds, maxSockets: number): ApiClient {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets,
    ...creds,
  });
  const request = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          headers: {
            Accept: 'application/json',
            ...extra,
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { url, protocol: 'http/1.1', creds, request, close: () => agent.destroy() };
}

export function configMap(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { app: 'bench' } },
    data: { 'app.properties': 'color=blue\nmode=fast\nretries=3\n', greeting: 'hello' },
  };
}


export interface WriteResult {
  /** per-request latency, ms, in completion order */
  latencies: number[];
  wallMs: number;
  /** status code -> count, for anything that was not 201 */
  failures: Record<string, number>;
}

/** POST `count` ConfigMaps named `${prefix}-<i>` into `namespace` with at most `inFlight` requests outstanding. */
export async function createConfigMaps(api: ApiClient, prefix: string, count: number, inFlight: number, namespace = 'default'): Promise<WriteResult> {
  const cmPath = `/api/v1/namespaces/${namespace}/configmaps`;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const s = process.hrtime.bigint();
      let status: string;
      try {
        status = String((await api.request('POST', cmPath, configMap(`${prefix}-${i}`))).status);
      } catch (e) {
        status = (e as NodeJS.ErrnoException).code ?? 'error';
      }
      latencies.push(msSince(s));
      if (status !== '201') failures[status] = (failures[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  return { latencies, wallMs: msSince(t0), failures };
}
