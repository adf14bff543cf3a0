// Test stand-ins for the scheduler and kubelets, so the workload controllers' tests depend only on
// the controllers under test: nodes are plain objects, pods are bound and marked ready by hand.
import { builtin } from '../api/registry.js';
import type { KObj } from '../store/types.js';
import type { Harness } from '../testing/harness.js';
import { cloneJson } from '../store/json.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const PODS = builtin('', 'pods');
export const NODES = builtin('', 'nodes');
export const DEPLOY = builtin('apps', 'deployments');
export const RS = builtin('apps', 'replicasets');
export const DS = builtin('apps', 'daemonsets');

export function addNode(h: Harness, name: string, opts: { labels?: Record<string, string>; taints?: Json[]; ready?: boolean } = {}): KObj {
  return h.client.create(NODES, {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(opts.labels ?? {}) } },
    spec: opts.taints ? { taints: opts.taints } : {},
    status: { conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  });
}

/**
 * One "kubelet" pass: bind unbound pods (round-robin over nodes, or the DaemonSet's target node),
 * mark them Running and Ready (unless `ready` says no), and finish pods being deleted.
 */
export function kubelet(h: Harness, opts: { ready?: (p: KObj) => boolean; nodes?: string[] } = {}): void {
  const nodes = opts.nodes ?? ['node01', 'node02'];
  let i = 0;
  for (const p of h.store.list(PODS)) {
    const ns = p.metadata.namespace;
    if (p.metadata.deletionTimestamp) {
      h.client.deleteIfExists(PODS, ns, p.metadata.name!, { gracePeriodSeconds: 0 });
      continue;
    }
    let pod = p;
    if (!(pod.spec as Json).nodeName) {
      const target = (pod.spec as Json).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
      const bound = cloneJson(pod);
      (bound.spec as Json).nodeName = target ?? nodes[i++ % nodes.length];
      pod = h.store.update(PODS, bound); // what the binding subresource does
    }
    const ready = opts.ready ? opts.ready(pod) : true;
    const st = (pod.status ?? {}) as Json;
    const isReady = st.conditions?.find((c: Json) => c.type === 'Ready')?.status === 'True';
    if (st.phase === 'Running' && isReady === ready) continue;
    h.client.modifyStatus(PODS, ns, pod.metadata.name!, (o) => {
      const now = h.client.now();
      o.status = {
        ...(o.status as Json),
        phase: 'Running',
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
        startTime: now,
      };
    });
  }
}

/** settle, then run the fake kubelet until nothing changes */
export async function converge(h: Harness, opts: Parameters<typeof kubelet>[1] = {}, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await h.settle();
    const rev = h.store.rev;
    kubelet(h, opts);
    await h.settle();
    if (h.store.rev === rev) return;
  }
}

export function deployment(name: string, spec: Json = {}, meta: Json = {}): KObj {
  const labels = { app: name };
  return {
    metadata: { name, namespace: 'default', labels, ...meta },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      ...spec,
    },
  };
}

export const rsOf = (h: Harness, ns = 'default') => h.store.list(RS, ns).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
export const podsOf = (h: Harness, ns = 'default') => h.store.list(PODS, ns);
