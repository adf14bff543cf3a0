// A small JSON-over-HTTPS client for the cluster, authenticated from a kubeconfig through
// @kubernetes/client-node (so client certs, tokens and exec plugins of a real cluster's kubeconfig
// would work too). The library is imported on first use: it is large and not needed to show a
// prompt. The kubeconfig is re-read when the file changes (the engine rewrites it, with a new
// port, on every start).
import { statSync } from 'node:fs';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { codeForStatus, HostError } from '../bridge/errors.js';

type ClientNode = typeof import('@kubernetes/client-node');
let clientNode: Promise<ClientNode> | undefined;
export function loadClientNode(): Promise<ClientNode> {
  return (clientNode ??= import('@kubernetes/client-node'));
}

export class KubeHttp {
  private cached: { file: string; mtimeMs: number; kc: KubeConfig } | undefined;

  /** `kubeconfig()` returns the file to use now, or undefined while no cluster is available */
  constructor(private readonly kubeconfig: () => string | undefined) {}

  async config(): Promise<KubeConfig> {
    const file = this.kubeconfig();
    if (!file) throw new HostError('Unavailable', 'the cluster is not running yet');
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      throw new HostError('Unavailable', 'the cluster is not running yet (no kubeconfig)');
    }
    if (this.cached?.file === file && this.cached.mtimeMs === mtimeMs) return this.cached.kc;
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(file);
    this.cached = { file, mtimeMs, kc };
    return kc;
  }

  /** the identity of the current connection target; changes when the engine restarts */
  generation(): string {
    return this.cached ? `${this.cached.file}@${this.cached.mtimeMs}` : '';
  }

  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const kc = await this.config();
    const server = kc.getCurrentCluster()?.server;
    if (!server) throw new HostError('Unavailable', 'the kubeconfig names no cluster server');
    const url = new URL(path, server);
    const opts: https.RequestOptions = { method, headers: { Accept: 'application/json' } };
    await kc.applyToHTTPSOptions(opts);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) opts.headers = { ...opts.headers, 'Content-Type': 'application/json', 'Content-Length': String(payload.length) };
    return new Promise<T>((resolve, reject) => {
      const req = https.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(json as T);
          const message = (json as { message?: unknown } | undefined)?.message;
          reject(new HostError(codeForStatus(status), typeof message === 'string' && message ? message : `HTTP ${status} from ${method} ${url.pathname}`, status));
        });
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof HostError) return reject(e);
        reject(new HostError('Unavailable', `cannot reach the cluster: ${e.code ?? e.message}`));
      });
      req.end(payload);
    });
  }
}
