// The renderer's view of the cluster: list/get/events and watches relayed as bridge events. A
// watch survives stream ends (resuming from the last resourceVersion) and tells the renderer to
// start over (RESYNC) when history is gone (410) or the engine was restarted.
import { randomUUID } from 'node:crypto';
import type { ClientContext, GetRequest, KObject, ListRequest, ListResult, ResourceRef, WatchRequest } from '../bridge/contract.js';
import { HostError } from '../bridge/errors.js';
import { KubeHttp, loadClientNode } from './kube-http.js';

const seg = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i;

function checkSeg(what: string, v: unknown): string {
  if (typeof v !== 'string' || !seg.test(v)) throw new HostError('BadRequest', `invalid ${what}: ${JSON.stringify(v)}`);
  return v;
}

// object names are looser than path segments (RBAC names contain ':'); they only must not
// change the path's shape
function checkName(v: unknown): string {
  if (typeof v !== 'string' || !v || v === '.' || v === '..' || v.includes('/') || v.length > 253) throw new HostError('BadRequest', `invalid name: ${JSON.stringify(v)}`);
  return v;
}

/** `/api/v1/namespaces/ns/pods` or `/apis/apps/v1/deployments`; names are validated, never spliced raw. */
export function resourcePath(ref: ResourceRef, name?: string): string {
  const base = ref.group ? `/apis/${checkSeg('group', ref.group)}/${checkSeg('version', ref.version)}` : `/api/${checkSeg('version', ref.version)}`;
  const ns = ref.namespace ? `/namespaces/${checkSeg('namespace', ref.namespace)}` : '';
  const res = `/${checkSeg('resource', ref.resource)}`;
  return `${base}${ns}${res}${name === undefined ? '' : `/${encodeURIComponent(checkName(name))}`}`;
}

function query(q: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

interface ListJson {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string };
  items?: KObject[];
}

const eventTime = (e: KObject): string => String(e['lastTimestamp'] ?? e['eventTime'] ?? e['firstTimestamp'] ?? e.metadata.creationTimestamp ?? '');

interface ActiveWatch {
  client: ClientContext;
  req: WatchRequest;
  lastRv?: string;
  abort?: AbortController;
  stopped: boolean;
  resync: boolean;
  generation: string;
  retry?: NodeJS.Timeout;
  failures: number;
}

export class K8sGateway {
  private readonly watches = new Map<string, ActiveWatch>();
  private readonly trackedClients = new Set<string>();

  constructor(private readonly http: KubeHttp) {}

  async list(req: ListRequest): Promise<ListResult> {
    const list = await this.http.request<ListJson>('GET', resourcePath(req) + query({ labelSelector: req.labelSelector, fieldSelector: req.fieldSelector }));
    // list items come without kind/apiVersion; the renderer is simpler with them filled in
    const kind = list.kind?.endsWith('List') ? list.kind.slice(0, -4) : undefined;
    const items = (list.items ?? []).map((o) => ({ ...o, ...(kind && !o.kind ? { kind } : {}), ...(list.apiVersion && !o.apiVersion ? { apiVersion: list.apiVersion } : {}) }));
    return { items, resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  get(req: GetRequest): Promise<KObject> {
    return this.http.request<KObject>('GET', resourcePath(req, req.name));
  }

  /** Events about one object, oldest first. */
  async events(req: GetRequest): Promise<KObject[]> {
    let uid: string | undefined;
    try {
      uid = (await this.get(req)).metadata.uid;
    } catch (e) {
      // events outlive their object (a deleted pod's events are still worth showing)
      if (!(e instanceof HostError && e.code === 'NotFound')) throw e;
    }
    const evRef: ResourceRef = { version: 'v1', resource: 'events', ...(req.namespace ? { namespace: req.namespace } : {}) };
    let items: KObject[];
    try {
      items = (await this.list({ ...evRef, fieldSelector: `involvedObject.name=${req.name}` })).items;
    } catch (e) {
      if (!(e instanceof HostError && e.code === 'BadRequest')) throw e;
      items = (await this.list(evRef)).items;
    }
    const about = (e: KObject) => {
      const io = (e['involvedObject'] ?? {}) as { name?: string; uid?: string };
      return io.name === req.name && (!uid || !io.uid || io.uid === uid);
    };
    return items.filter(about).sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
  }

  watch(client: ClientContext, req: WatchRequest): { watchId: string } {
    resourcePath(req); // validate now, so a bad request fails the call rather than the stream
    const watchId = randomUUID();
    const w: ActiveWatch = { client, req, stopped: false, resync: false, generation: '', failures: 0 };
    this.watches.set(watchId, w);
    if (!this.trackedClients.has(client.id)) {
      this.trackedClients.add(client.id);
      client.onClose(() => {
        this.trackedClients.delete(client.id);
        for (const [id, x] of this.watches) if (x.client.id === client.id) this.unwatch(client, id);
      });
    }
    // after the call's result, so the renderer knows the watchId before the first event
    setImmediate(() => void this.connect(watchId, w));
    return { watchId };
  }

  unwatch(client: ClientContext, watchId: string): void {
    const w = this.watches.get(watchId);
    if (!w || w.client.id !== client.id) return;
    w.stopped = true;
    clearTimeout(w.retry);
    w.abort?.abort();
    this.watches.delete(watchId);
  }

  stopAll(): void {
    for (const [id, w] of this.watches) this.unwatch(w.client, id);
  }

  count(): number {
    return this.watches.size;
  }

  private async connect(watchId: string, w: ActiveWatch): Promise<void> {
    if (w.stopped) return;
    try {
      const kc = await this.http.config();
      const gen = this.http.generation();
      // a different engine process (restart) means resourceVersions may not line up: start over
      if (w.generation && w.generation !== gen) w.resync = true;
      w.generation = gen;
      if (w.resync) {
        w.resync = false;
        w.lastRv = undefined;
        w.client.emit('k8s.event', { watchId, type: 'RESYNC' });
      }
      const k8s = await loadClientNode();
      const params: Record<string, string | boolean> = {};
      if (w.req.labelSelector) params['labelSelector'] = w.req.labelSelector;
      if (w.req.fieldSelector) params['fieldSelector'] = w.req.fieldSelector;
      if (w.lastRv) params['resourceVersion'] = w.lastRv;
      let ended = false;
      const onEnd = (err: unknown) => {
        if (ended) return;
        ended = true;
        if (w.stopped) return;
        if (err && (err as { name?: string }).name !== 'AbortError') w.failures++;
        else w.failures = 0;
        this.schedule(watchId, w);
      };
      w.abort = await new k8s.Watch(kc).watch(
        resourcePath(w.req),
        params,
        (type, obj: KObject) => {
          if (w.stopped) return;
          if (type === 'ERROR') {
            // 410 Gone: our resourceVersion is too old to resume from
            if ((obj as unknown as { code?: number }).code === 410) w.resync = true;
            return;
          }
          if (type === 'BOOKMARK') {
            if (obj?.metadata?.resourceVersion) w.lastRv = obj.metadata.resourceVersion;
            return;
          }
          if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
          if (obj?.metadata?.resourceVersion) w.lastRv = obj.metadata.resourceVersion;
          w.failures = 0;
          w.client.emit('k8s.event', { watchId, type, object: obj });
        },
        onEnd,
      );
    } catch (e) {
      if (w.stopped) return;
      w.failures++;
      // a 410 on connect (resourceVersion too old) also means starting over
      if ((e as { code?: number; statusCode?: number }).code === 410 || (e as { statusCode?: number }).statusCode === 410) w.resync = true;
      this.schedule(watchId, w);
    }
  }

  private schedule(watchId: string, w: ActiveWatch): void {
    if (w.stopped) return;
    clearTimeout(w.retry);
    // immediate after a normal server-side close; backing off while the cluster is unreachable
    const delay = w.failures === 0 ? 0 : Math.min(5000, 250 * 2 ** Math.min(w.failures, 5));
    w.retry = setTimeout(() => void this.connect(watchId, w), delay);
  }
}
