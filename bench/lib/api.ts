// A minimal HTTPS client for write benchmarks: the admin client certificate from the kubeconfig,
// Node's https with a keep-alive agent (so TLS handshakes are not what we measure), JSON bodies.
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
  agent: https.Agent;
  request: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: string }>;
  close: () => void;
}

export function apiClient(kubeconfigPath: string, maxSockets: number): ApiClient {
  const doc = parse(readFileSync(kubeconfigPath, 'utf8')) as KubeconfigDoc;
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const cluster = doc.clusters[0]!.cluster;
  const user = doc.users[0]!.user;
  const url = new URL(cluster.server);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets,
    ca: b64(cluster['certificate-authority-data']),
    cert: b64(user['client-certificate-data']),
    key: b64(user['client-key-data']),
  });
  const request = (method: string, path: string, body?: unknown) =>
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
  return { url, agent, request, close: () => agent.destroy() };
}

export function configMap(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { app: 'bench' } },
    data: { 'app.properties': 'color=blue\nmode=fast\nretries=3\n', greeting: 'hello' },
  };
}

const CM_PATH = '/api/v1/namespaces/default/configmaps';

export interface WriteResult {
  /** per-request latency, ms, in completion order */
  latencies: number[];
  wallMs: number;
  /** status code -> count, for anything that was not 201 */
  failures: Record<string, number>;
}

/** POST `count` ConfigMaps named `${prefix}-<i>` with at most `inFlight` requests outstanding. */
export async function createConfigMaps(api: ApiClient, prefix: string, count: number, inFlight: number): Promise<WriteResult> {
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
        status = String((await api.request('POST', CM_PATH, configMap(`${prefix}-${i}`))).status);
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
