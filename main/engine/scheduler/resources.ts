// What the scheduler knows about a node and a pod: requests summed the way kube-scheduler's cache
// does (resource helper PodRequests), in integer milli-CPU and bytes so comparisons are exact.
import { parseQuantity } from '../api/validation/index.js';
import type { KObj } from '../store/types.js';

/** Requests or capacity: cpu in millicores, memory/ephemeral-storage in bytes, other (extended) resources as integers. */
export interface Res {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  scalar: Record<string, number>;
}

export interface HostPort {
  protocol: string;
  hostIP: string;
  port: number;
}

export interface NodeInfo {
  node: KObj;
  name: string;
  allocatable: Res;
  allowedPods: number;
  /** sum of the (effective) requests of every pod counted on the node */
  requested: Res;
  /** the same with upstream's non-zero defaults (100m / 200Mi) for containers that request nothing: scoring only */
  nonZeroRequested: Res;
  pods: KObj[];
  usedPorts: HostPort[];
}

// schedutil.DefaultMilliCPURequest / DefaultMemoryRequest
export const DEFAULT_MILLI_CPU = 100;
export const DEFAULT_MEMORY = 200 * 1024 * 1024;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const emptyRes = (): Res => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {} });

/** A ResourceList as Res; cpu rounds up to whole millicores like Quantity.MilliValue. */
export function toRes(list: unknown): Res {
  const r = emptyRes();
  for (const [k, v] of Object.entries(obj(list))) {
    const n = parseQuantity(v);
    if (n === undefined) continue;
    if (k === 'cpu') r.milliCPU += Math.ceil(n * 1000 - 1e-9);
    else if (k === 'memory') r.memory += Math.ceil(n - 1e-9);
    else if (k === 'ephemeral-storage') r.ephemeralStorage += Math.ceil(n - 1e-9);
    else if (k !== 'pods' && isScalarResource(k)) r.scalar[k] = (r.scalar[k] ?? 0) + Math.ceil(n - 1e-9);
  }
  return r;
}

// extended resources (example.com/foo), hugepages and attachable volumes are "scalar" upstream
function isScalarResource(name: string): boolean {
  return name.startsWith('hugepages-') || name.startsWith('attachable-volumes-') || (name.includes('/') && !name.startsWith('kubernetes.io/'));
}

export function addRes(a: Res, b: Res): Res {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = (scalar[k] ?? 0) + v;
  return { milliCPU: a.milliCPU + b.milliCPU, memory: a.memory + b.memory, ephemeralStorage: a.ephemeralStorage + b.ephemeralStorage, scalar };
}

function maxRes(a: Res, b: Res): Res {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = Math.max(scalar[k] ?? 0, v);
  return { milliCPU: Math.max(a.milliCPU, b.milliCPU), memory: Math.max(a.memory, b.memory), ephemeralStorage: Math.max(a.ephemeralStorage, b.ephemeralStorage), scalar };
}

function containerRequests(c: Obj, nonZero: boolean): Res {
  const requests = obj(obj(c.resources).requests);
  const r = toRes(requests);
  if (nonZero) {
    // only a request that is absent gets the default; an explicit 0 stays 0
    if (!('cpu' in requests)) r.milliCPU = DEFAULT_MILLI_CPU;
    if (!('memory' in requests)) r.memory = DEFAULT_MEMORY;
  }
  return r;
}

/**
 * The pod's effective request: max(sum of app containers + sidecars, each init container plus the
 * sidecars started before it) + pod overhead. `nonZero` applies the scoring defaults.
 */
export function podRequests(pod: KObj, nonZero = false): Res {
  const spec = obj(pod.spec);
  let apps = emptyRes();
  for (const c of arr(spec.containers)) apps = addRes(apps, containerRequests(obj(c), nonZero));
  let sidecars = emptyRes();
  let initMax = emptyRes();
  for (const raw of arr(spec.initContainers)) {
    const c = obj(raw);
    const req = containerRequests(obj(c), nonZero);
    if (c.restartPolicy === 'Always') {
      // a sidecar keeps running beside everything started after it
      sidecars = addRes(sidecars, req);
      initMax = maxRes(initMax, sidecars);
    } else initMax = maxRes(initMax, addRes(req, sidecars));
  }
  let total = maxRes(addRes(apps, sidecars), initMax);
  if (spec.overhead) total = addRes(total, toRes(spec.overhead));
  return total;
}

/** Host ports a pod asks for (hostPort > 0), defaulting protocol TCP and hostIP 0.0.0.0. */
export function podHostPorts(pod: KObj): HostPort[] {
  const out: HostPort[] = [];
  const spec = obj(pod.spec);
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers)]) {
    for (const p of arr(obj(c).ports)) {
      const port = Number(obj(p).hostPort ?? 0);
      if (port > 0) out.push({ protocol: String(obj(p).protocol ?? 'TCP'), hostIP: String(obj(p).hostIP || '0.0.0.0'), port });
    }
  }
  return out;
}

/** Succeeded/Failed pods no longer hold resources (the scheduler's informer filters them out). */
export function isTerminal(pod: KObj): boolean {
  const phase = obj(pod.status).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Build the per-node view from nodes and all pods (pods not bound or terminal are ignored). */
export function buildNodeInfos(nodes: KObj[], pods: KObj[]): NodeInfo[] {
  const byName = new Map<string, NodeInfo>();
  for (const node of nodes) {
    const alloc = obj(obj(node.status).allocatable);
    byName.set(node.metadata.name!, {
      node,
      name: node.metadata.name!,
      allocatable: toRes(alloc),
      allowedPods: Math.floor(parseQuantity(alloc.pods) ?? 0),
      requested: emptyRes(),
      nonZeroRequested: emptyRes(),
      pods: [],
      usedPorts: [],
    });
  }
  for (const pod of pods) {
    const nodeName = obj(pod.spec).nodeName;
    if (typeof nodeName !== 'string' || !nodeName || isTerminal(pod)) continue;
    const ni = byName.get(nodeName);
    if (ni) addPod(ni, pod);
  }
  return [...byName.values()];
}

export function addPod(ni: NodeInfo, pod: KObj): void {
  ni.pods.push(pod);
  ni.requested = addRes(ni.requested, podRequests(pod));
  ni.nonZeroRequested = addRes(ni.nonZeroRequested, podRequests(pod, true));
  ni.usedPorts.push(...podHostPorts(pod));
}

/** A copy of the node view without some pods (preemption's "what if they were gone"). */
export function withoutPods(ni: NodeInfo, remove: Set<KObj>): NodeInfo {
  const copy: NodeInfo = { ...ni, requested: emptyRes(), nonZeroRequested: emptyRes(), pods: [], usedPorts: [] };
  for (const p of ni.pods) if (!remove.has(p)) addPod(copy, p);
  return copy;
}

export function podPriority(pod: KObj): number {
  const p = obj(pod.spec).priority;
  return typeof p === 'number' ? p : 0;
}
