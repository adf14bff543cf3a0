// How the lab engine reaches a cluster: the plain Kubernetes REST API through a kubeconfig (so a
// real cluster's context works the same), plus the simulator's own reset when the lab asks for it.
import * as https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { kindInfo, resourcePath } from './kinds.js';

export type KubeObject = { apiVersion?: string; kind?: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

/** What checks need: reads only. */
export interface ClusterReader {
  get(kind: string, name: string, namespace?: string): Promise<KubeObject | null>;
  list(kind: string, namespace?: string, selector?: string): Promise<KubeObject[]>;
}

export class ApiError extends Error {
  constructor(
    public code: number,
    message: string,
  ) {
    super(message);
  }
}

export class KubeClient implements ClusterReader {
  private constructor(
    private kc: KubeConfig,
    private server: string,
  ) {}

  static fromFile(kubeconfigPath: string, context?: string): KubeClient {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    if (context) kc.setCurrentContext(context);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`${kubeconfigPath}: no current cluster in the kubeconfig`);
    return new KubeClient(kc, cluster.server.replace(/\/$/, ''));
  }

  async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ code: number; json: unknown }> {
    const url = new URL(this.server + path);
    const opts: https.RequestOptions = { method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers: { Accept: 'application/json' } };
    await this.kc.applyToHTTPSOptions(opts);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) opts.headers = { ...opts.headers, 'Content-Type': contentType, 'Content-Length': String(payload.length) };
    return new Promise((resolve, reject) => {
      const req = https.request(opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = text;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            /* keep text */
          }
          resolve({ code: res.statusCode ?? 0, json });
        });
      });
      req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      if (payload) req.end(payload);
      else req.end();
    });
  }

  private async ok(method: string, path: string, body?: unknown, contentType?: string): Promise<unknown> {
    const r = await this.request(method, path, body, contentType);
    if (r.code >= 200 && r.code < 300) return r.json;
    const msg = (r.json as { message?: string } | null)?.message ?? String(r.json);
    throw new ApiError(r.code, `${method} ${path}: ${r.code} ${msg}`);
  }

  async get(kind: string, name: string, namespace?: string): Promise<KubeObject | null> {
    const info = kindInfo(kind);
    if (!info) throw new Error(`unknown kind ${kind}`);
    const r = await this.request('GET', resourcePath(info, namespace, name));
    if (r.code === 404) return null;
    if (r.code !== 200) throw new ApiError(r.code, `GET ${kind} ${name}: ${r.code} ${(r.json as { message?: string })?.message ?? ''}`);
    return r.json as KubeObject;
  }

  async list(kind: string, namespace?: string, selector?: string): Promise<KubeObject[]> {
    const info = kindInfo(kind);
    if (!info) throw new Error(`unknown kind ${kind}`);
    const q = selector ? `?labelSelector=${encodeURIComponent(selector)}` : '';
    const r = (await this.ok('GET', resourcePath(info, namespace) + q)) as { items?: KubeObject[] };
    return (r.items ?? []).map((o) => ({ ...o, apiVersion: info.apiVersion, kind: info.kind }));
  }

  /** Server-side apply, as `kubectl apply --server-side --force-conflicts` would. */
  async apply(obj: Record<string, unknown>, defaultNamespace: string): Promise<void> {
    const kind = String(obj.kind ?? '');
    const info = kindInfo(kind);
    if (!info) throw new Error(`cannot apply kind ${kind}: not known to the lab engine`);
    const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
    if (!meta.name) throw new Error(`cannot apply a ${kind} without metadata.name`);
    const ns = info.namespaced ? (meta.namespace ?? defaultNamespace) : undefined;
    const body = info.namespaced ? { ...obj, metadata: { ...meta, namespace: ns } } : obj;
    await this.ok('PATCH', `${resourcePath(info, ns, meta.name)}?fieldManager=kubelab-lab&force=true`, body, 'application/apply-patch+yaml');
  }

  /** Delete the namespace, wait until it is gone, create it again. */
  async freshNamespace(name: string, timeoutMs = 60_000): Promise<void> {
    const info = kindInfo('Namespace')!;
    const r = await this.request('DELETE', resourcePath(info, undefined, name));
    if (r.code !== 404 && (r.code < 200 || r.code >= 300)) throw new ApiError(r.code, `delete namespace ${name}: ${r.code}`);
    const deadline = Date.now() + timeoutMs;
    while ((await this.get('Namespace', name)) !== null) {
      if (Date.now() > deadline) throw new Error(`namespace ${name} is still terminating after ${timeoutMs / 1000}s`);
      await sleep(250);
    }
    await this.ok('POST', resourcePath(info, undefined), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  async ensureNamespace(name: string): Promise<void> {
    if ((await this.get('Namespace', name)) === null) await this.ok('POST', resourcePath(kindInfo('Namespace')!, undefined), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  /** JSON merge patch of one object (a resourceVersion in the patch makes it conditional). */
  async mergePatch(kind: string, name: string, patch: unknown, namespace?: string): Promise<void> {
    const info = kindInfo(kind);
    if (!info) throw new Error(`unknown kind ${kind}`);
    await this.ok('PATCH', resourcePath(info, namespace, name), patch, 'application/merge-patch+json');
  }

  /** A simulator control under /kubelab/v1alpha1 (KubeLab only: a real cluster answers 404). */
  private async sim(method: string, path: string, body?: unknown): Promise<unknown> {
    const r = await this.request(method, `/kubelab/v1alpha1${path}`, body);
    // the collection paths always exist on the simulator, so a 404 there means a real cluster
    if (r.code === 404 && (path === '/clock' || path === '/nodes')) throw new Error('this lab needs the KubeLab simulator, and this cluster is not one');
    if (r.code < 200 || r.code >= 300) throw new ApiError(r.code, `${method} /kubelab/v1alpha1${path}: ${r.code} ${(r.json as { message?: string } | null)?.message ?? JSON.stringify(r.json)}`);
    return r.json;
  }

  async setClockSpeed(speed: number): Promise<void> {
    await this.sim('PUT', '/clock', { speed });
  }

  /** Which nodes' kubelets the simulator is running. */
  async simulatorNodes(): Promise<Array<{ name: string; kubeletRunning: boolean }>> {
    return (await this.sim('GET', '/nodes')) as Array<{ name: string; kubeletRunning: boolean }>;
  }

  async startKubelet(node: string): Promise<void> {
    await this.sim('POST', `/nodes/${encodeURIComponent(node)}/start`, {});
  }

  /** The simulator's reset (KubeLab only; a real cluster answers 404 and we say so). */
  async resetSimulator(): Promise<void> {
    const r = await this.request('POST', '/kubelab/v1alpha1/reset', {});
    if (r.code === 404) throw new Error('this lab resets the cluster, which only the KubeLab simulator can do');
    if (r.code < 200 || r.code >= 300) throw new ApiError(r.code, `reset: ${r.code} ${JSON.stringify(r.json)}`);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
