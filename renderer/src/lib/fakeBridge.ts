// An in-memory Bridge for developing the UI without the Node side (`?fake` in dev) and for tests:
// a tiny cluster whose pods turn Running, and a terminal that echoes input.
import type { Bridge, CallName, CallRequest, CallResponse, EventName, Events, KObject, Result, WatchRequest } from '../../../main/bridge/contract.js';

type Handler<K extends CallName> = (req: CallRequest<K>) => CallResponse<K>;

export interface FakeBridge extends Bridge {
  emit<K extends EventName>(name: K, payload: Events[K]): void;
  calls: Array<{ name: CallName; req: unknown }>;
  objects: Map<string, KObject[]>;
  /** adds or replaces an object and tells every watch of its resource */
  put(resource: string, obj: KObject): void;
}

const noLabs = (): never => {
  throw new Error('labs need the Node side (npm run web)');
};

export function createFakeBridge(seed: Partial<Record<string, KObject[]>> = {}): FakeBridge {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: FakeBridge['calls'] = [];
  const objects = new Map<string, KObject[]>(Object.entries(seed).map(([k, v]) => [k, v ?? []]));
  const watches = new Map<string, WatchRequest>();
  let speed = 1;
  let nextId = 1;
  const nodes = new Map<string, boolean>();

  const emit = <K extends EventName>(name: K, payload: Events[K]) => {
    for (const cb of listeners.get(name) ?? []) cb(payload);
  };
  const put = (resource: string, obj: KObject) => {
    const list = objects.get(resource) ?? [];
    const i = list.findIndex((o) => o.metadata.uid === obj.metadata.uid);
    const type = i >= 0 ? 'MODIFIED' : 'ADDED';
    if (i >= 0) list[i] = obj;
    else list.push(obj);
    objects.set(resource, list);
    for (const [watchId, w] of watches) if (w.resource === resource) emit('k8s.event', { watchId, type, object: obj });
  };

  const handlers: { [K in CallName]: Handler<K> } = {
    'app.info': () => ({ version: 'dev', mode: 'web', platform: 'fake' }),
    'settings.get': () => ({ language: 'en', theme: 'system' }),
    'settings.set': (s) => ({ language: s.language ?? 'en', theme: s.theme ?? 'system' }),
    'cluster.status': () => ({ state: 'ready', real: false, url: 'https://127.0.0.1:6443' }),
    'k8s.list': (r) => ({ items: objects.get(r.resource) ?? [], resourceVersion: '1' }),
    'k8s.get': (r) => (objects.get(r.resource) ?? []).find((o) => o.metadata.name === r.name) ?? { metadata: {} },
    'k8s.events': () => [],
    'k8s.watch': (r) => {
      const watchId = `w${nextId++}`;
      watches.set(watchId, r);
      return { watchId };
    },
    'k8s.unwatch': (r) => void watches.delete(r.watchId),
    'terminal.open': () => {
      const id = `t${nextId++}`;
      setTimeout(() => emit('terminal.data', { id, data: 'fake shell (type to echo)\r\n$ ' }), 0);
      return { id };
    },
    'terminal.input': (r) => emit('terminal.data', { id: r.id, data: r.data === '\r' ? '\r\n$ ' : r.data }),
    'terminal.resize': () => undefined,
    'terminal.ack': () => undefined,
    'terminal.close': () => undefined,
    'sim.clock': () => ({ now: new Date(0).toISOString(), speed }),
    'sim.setSpeed': (r) => ((speed = r.speed), { now: new Date(0).toISOString(), speed }),
    'sim.nodes': () => (objects.get('nodes') ?? []).map((n) => ({ name: n.metadata.name ?? '', kubeletRunning: nodes.get(n.metadata.name ?? '') ?? true })),
    'sim.stopNode': (r) => void nodes.set(r.name, false),
    'sim.startNode': (r) => void nodes.set(r.name, true),
    'sim.killContainer': () => undefined,
    'sim.reset': () => undefined,
    // no labs without the Node side: an empty catalog, and every other lab call refused
    'labs.list': () => ({ labs: [], errors: [] }),
    'labs.view': noLabs,
    'labs.start': noLabs,
    'labs.check': noLabs,
    'labs.hint': noLabs,
    'labs.solution': noLabs,
    'labs.skip': noLabs,
    'labs.reset': noLabs,
    'labs.finishExam': noLabs,
  };

  return {
    calls,
    objects,
    emit,
    put,
    async call<K extends CallName>(name: K, req: CallRequest<K>): Promise<Result<CallResponse<K>>> {
      calls.push({ name, req });
      try {
        return { ok: true, value: (handlers[name] as Handler<K>)(req) };
      } catch (e) {
        return { ok: false, error: { code: 'Internal', message: String(e) } };
      }
    },
    on(name, cb) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const fn = cb as (p: unknown) => void;
      set.add(fn);
      return () => void set.delete(fn);
    },
  };
}

/** A small demo cluster: a control plane, two workers and a three-replica deployment, plus
 *  `extraPods` more pods in varied states (for looking at a crowded map). */
export function demoCluster(extraPods = 0): Record<string, KObject[]> {
  const node = (name: string, cp = false): KObject => ({
    metadata: { name, uid: `n-${name}`, labels: cp ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const pod = (name: string, nodeName: string, phase: string, owner?: string, restarts = 0): KObject => ({
    metadata: { name, namespace: 'default', uid: `p-${name}`, labels: { app: 'web' }, ...(owner ? { ownerReferences: [{ kind: 'ReplicaSet', name: owner, uid: 'rs', controller: true }] } : {}) },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'nginx', image: 'nginx' }] },
    status: {
      phase,
      containerStatuses: [{
        name: 'nginx', ready: phase === 'Running' && !restarts, restartCount: restarts,
        state: restarts ? { waiting: { reason: 'CrashLoopBackOff' } } : phase === 'Running' ? { running: {} } : { waiting: { reason: 'ContainerCreating' } },
      }],
    },
  });
  const phases = ['Running', 'Running', 'Running', 'Pending'];
  const extra = Array.from({ length: extraPods }, (_, i) => pod(`load-${i}`, i % 7 === 0 ? '' : i % 2 ? 'worker' : 'worker2', phases[i % phases.length]!, 'web-7d9c', i % 11 === 5 ? 3 : 0));
  return {
    nodes: [node('control-plane', true), node('worker'), node('worker2')],
    namespaces: ['default', 'kube-system'].map((name) => ({ metadata: { name, uid: `ns-${name}` } })),
    replicasets: [{ metadata: { name: 'web-7d9c', namespace: 'default', uid: 'rs', ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'd', controller: true }] } }],
    pods: [pod('web-7d9c-a', 'worker', 'Running', 'web-7d9c'), pod('web-7d9c-b', 'worker2', 'Running', 'web-7d9c'), pod('web-7d9c-c', 'worker', 'Pending', 'web-7d9c'), ...extra],
    services: [{ metadata: { name: 'web', namespace: 'default', uid: 's-web' }, spec: { selector: { app: 'web' }, type: 'ClusterIP' } }],
  };
}
