// metrics.k8s.io/v1beta1 from the simulated runtime, as metrics-server would serve it: per-container
// CPU and memory of running pods, and per-node totals. CPU rises with simulated load:
//  - a program that spins (stress, `while true; do :; done`) burns a core;
//  - the `kubelab.dev/cpu-load` annotation adds load a lab controls: on a Pod it is that pod's extra
//    CPU ("450m"); on a Deployment it is the total spread evenly over the Deployment's running pods,
//    so more replicas mean less CPU each (what the HPA reacts to).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isoTime } from '../clock.js';
import type { ApiContext, RequestInfo } from '../api/context.js';
import { methodNotAllowed, StatusError } from '../api/errors.js';
import { sendJson } from '../api/http.js';
import { builtin } from '../api/registry.js';
import { parseQuantity } from '../api/validation/pod-defaults.js';
import { selectorFilter } from '../api/rest.js';
import type { KObj } from '../store/types.js';

export const LOAD_ANNOTATION = 'kubelab.dev/cpu-load';
/** metrics-server's scrape resolution; reported as the window */
export const METRIC_RESOLUTION_MS = 15_000;
/** what the node itself uses besides its pods (kubelet, containerd, the OS) */
const NODE_OVERHEAD = { cpuMillicores: 35, memoryBytes: 520 * 2 ** 20 };

export interface ContainerUsage {
  name: string;
  cpuMillicores: number;
  memoryBytes: number;
}

/** What the kubelets report (KubeletPool implements it); absent in tests without kubelets. */
export interface UsageSource {
  containerUsage(pod: KObj): ContainerUsage[] | undefined;
  nodeRunning?(node: string): boolean;
}

const PODS = builtin('', 'pods');
const NODES = builtin('', 'nodes');
const RS = builtin('apps', 'replicasets');
const DEPLOYMENTS = builtin('apps', 'deployments');

export function usageSource(ctx: ApiContext): UsageSource | undefined {
  const a = ctx.nodeAgent as Partial<UsageSource> | undefined;
  return a && typeof a.containerUsage === 'function' ? (a as UsageSource) : undefined;
}

/** "450m" → 450, "1" → 1000; undefined for anything else. */
export function cpuMillicores(q: unknown): number | undefined {
  const n = parseQuantity(q);
  return n === undefined || n < 0 ? undefined : Math.round(n * 1000);
}

const controllerOf = (o: KObj, kind: string) => o.metadata.ownerReferences?.find((r) => r.controller && r.kind === kind);

/** The Deployment a pod belongs to (pod → ReplicaSet → Deployment), if any. */
function deploymentOf(ctx: ApiContext, pod: KObj): KObj | undefined {
  const rsRef = controllerOf(pod, 'ReplicaSet');
  const rs = rsRef ? ctx.store.get(RS, pod.metadata.namespace, rsRef.name) : undefined;
  const dRef = rs ? controllerOf(rs, 'Deployment') : undefined;
  return dRef ? ctx.store.get(DEPLOYMENTS, pod.metadata.namespace, dRef.name) : undefined;
}

/** Extra CPU the lab put on this pod through the load annotation (pod's own, or its Deployment's share). */
export function extraLoad(ctx: ApiContext, pod: KObj, src: UsageSource): number {
  let extra = cpuMillicores(pod.metadata.annotations?.[LOAD_ANNOTATION]) ?? 0;
  const d = deploymentOf(ctx, pod);
  const total = d ? cpuMillicores(d.metadata.annotations?.[LOAD_ANNOTATION]) : undefined;
  if (d && total) {
    const peers = ctx.store.list(PODS, pod.metadata.namespace).filter((p) => !p.metadata.deletionTimestamp && deploymentOf(ctx, p)?.metadata.uid === d.metadata.uid && src.containerUsage(p));
    if (peers.length) extra += total / peers.length;
  }
  return extra;
}

/** Per-container use of a running pod, load included (added to the first container); undefined when not running. */
export function podUsage(ctx: ApiContext, pod: KObj, src = usageSource(ctx)): ContainerUsage[] | undefined {
  const base = src?.containerUsage(pod);
  if (!base || !src) return undefined;
  const extra = extraLoad(ctx, pod, src);
  return base.map((c, i) => ({ ...c, cpuMillicores: Math.round(c.cpuMillicores + (i === 0 ? extra : 0)) }));
}

// metrics-server reports CPU in nanocores and memory in KiB
const cpuQ = (m: number) => `${Math.round(m * 1e6)}n`;
const memQ = (b: number) => `${Math.round(b / 1024)}Ki`;

function stamp(ctx: ApiContext): { timestamp: string; window: string } {
  const now = ctx.clock.now();
  return { timestamp: isoTime(now - (now % METRIC_RESOLUTION_MS)), window: `${METRIC_RESOLUTION_MS / 1000}s` };
}

export function podMetrics(ctx: ApiContext, pod: KObj, src = usageSource(ctx)): KObj | undefined {
  const u = podUsage(ctx, pod, src);
  if (!u) return undefined;
  const md: Record<string, unknown> = { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: isoTime(ctx.clock.now()) };
  if (pod.metadata.labels) md.labels = pod.metadata.labels;
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: md,
    ...stamp(ctx),
    containers: u.map((c) => ({ name: c.name, usage: { cpu: cpuQ(c.cpuMillicores), memory: memQ(c.memoryBytes) } })),
  };
}

export function nodeMetrics(ctx: ApiContext, node: KObj, src = usageSource(ctx)): KObj | undefined {
  const name = node.metadata.name!;
  if (!src || (src.nodeRunning && !src.nodeRunning(name))) return undefined;
  let cpu = NODE_OVERHEAD.cpuMillicores;
  let mem = NODE_OVERHEAD.memoryBytes;
  for (const p of ctx.store.list(PODS)) {
    if ((p.spec as { nodeName?: string } | undefined)?.nodeName !== name) continue;
    for (const c of podUsage(ctx, p, src) ?? []) {
      cpu += c.cpuMillicores;
      mem += c.memoryBytes;
    }
  }
  const md: Record<string, unknown> = { name, creationTimestamp: isoTime(ctx.clock.now()) };
  if (node.metadata.labels) md.labels = node.metadata.labels;
  return { kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: md, ...stamp(ctx), usage: { cpu: cpuQ(cpu), memory: memQ(mem) } };
}

/** GET /apis/metrics.k8s.io/v1beta1/[namespaces/<ns>/]pods[/<name>] and …/nodes[/<name>]. */
export function handleMetrics(ctx: ApiContext, ri: RequestInfo, _req: IncomingMessage, res: ServerResponse, method: string): void {
  if (method !== 'GET' || ri.query.get('watch') === 'true' || ri.subresource) throw methodNotAllowed();
  const src = usageSource(ctx);
  const pods = ri.def.resource === 'pods';
  const kind = pods ? 'PodMetrics' : 'NodeMetrics';
  const build = (o: KObj) => (pods ? podMetrics(ctx, o, src) : nodeMetrics(ctx, o, src));
  if (ri.name) {
    const o = ctx.store.get(pods ? PODS : NODES, ri.namespace, ri.name);
    const m = o ? build(o) : undefined;
    if (!m) {
      const shown = pods ? `${ri.namespace}/${ri.name}` : ri.name;
      throw new StatusError(404, 'NotFound', `${kind.toLowerCase()}.metrics.k8s.io "${shown}" not found`, { name: ri.name, group: 'metrics.k8s.io', kind: ri.def.resource });
    }
    return sendJson(res, 200, m);
  }
  const filter = selectorFilter(ri);
  const items = ctx.store
    .list(pods ? PODS : NODES, pods ? ri.namespace : undefined)
    .filter(filter)
    .map(build)
    .filter((m): m is KObj => !!m);
  sendJson(res, 200, { kind: `${kind}List`, apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items });
}
