// The scheduling plugins of kube-scheduler's default profile that matter offline, as one registry.
// Each plugin is small: a filter answers "can the pod go there" in upstream's words (v1.32
// pkg/scheduler/framework/plugins), a score says how good a feasible node is (0..100 after
// normalization). Registry order is the default profile's filter order, so the first failing
// filter names the reason just as upstream does.
import type { KObj } from '../store/types.js';
import { podHostPorts, podRequests, type HostPort, type NodeInfo, type Res } from './resources.js';

export type FilterResult = { ok: true } | { ok: false; reasons: string[]; /** UnschedulableAndUnresolvable: preemption cannot help */ unresolvable: boolean };

/**
 * What one scheduling attempt works out about the pod once, for every node (upstream's CycleState:
 * PreFilter/PreScore results). Plugins fill it on first use; callers pass a fresh one per attempt.
 */
export interface CycleState {
  requests?: Res;
  nonZeroRequests?: Res;
  hostPorts?: HostPort[];
}

export interface SchedulerPlugin {
  readonly name: string;
  filter?(pod: KObj, node: NodeInfo, state?: CycleState): FilterResult;
  /** raw score of a feasible node; without `normalize` it must already be 0..100 */
  score?(pod: KObj, node: NodeInfo, state?: CycleState): number;
  /** map the raw scores of all feasible nodes to 0..100 (same order) */
  normalize?(raw: number[]): number[];
  /** the default profile's score weight */
  weight?: number;
}

export const MAX_NODE_SCORE = 100;

// upstream reason strings
export const ERR_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_NODE_NAME = "node(s) didn't match the requested node name";
export const ERR_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const ERR_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const untoleratedTaint = (t: Taint) => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = <T = unknown>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const OK: FilterResult = { ok: true };
const fail = (reasons: string[], unresolvable: boolean): FilterResult => ({ ok: false, reasons, unresolvable });

export const taintsOf = (node: KObj): Taint[] => arr<Taint>(obj(node.spec).taints);
export const tolerationsOf = (pod: KObj): Toleration[] => arr<Toleration>(obj(pod.spec).tolerations);

/** v1.Toleration.ToleratesTaint */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (!t.operator || t.operator === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

const untolerated = (taints: Taint[], tols: Toleration[], keep: (t: Taint) => boolean): Taint[] =>
  taints.filter((taint) => keep(taint) && !tols.some((t) => tolerates(t, taint)));

// --- node affinity -------------------------------------------------------------------------------

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

function matchRequirement(r: Requirement, value: string | undefined): boolean {
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && vals.includes(value);
    case 'NotIn':
      return value === undefined || !vals.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || vals.length !== 1) return false;
      const a = Number(value);
      const b = Number(vals[0]);
      if (!Number.isInteger(a) || !Number.isInteger(b)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** One NodeSelectorTerm: its expressions and fields are ANDed; an empty term matches nothing. */
export function matchNodeSelectorTerm(term: unknown, node: KObj): boolean {
  const exprs = arr<Requirement>(obj(term).matchExpressions);
  const fields = arr<Requirement>(obj(term).matchFields);
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata.labels ?? {};
  if (!exprs.every((r) => matchRequirement(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined))) return false;
  return fields.every((r) => r.key === 'metadata.name' && matchRequirement(r, node.metadata.name));
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution (terms ORed) both hold. */
export function matchesRequiredAffinity(pod: KObj, node: KObj): boolean {
  const spec = obj(pod.spec);
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(obj(spec.nodeSelector))) if (labels[k] !== v) return false;
  const required = obj(obj(obj(spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution);
  if (Object.keys(required).length === 0) return true;
  return arr(required.nodeSelectorTerms).some((t) => matchNodeSelectorTerm(t, node));
}

// --- resource scoring helpers ----------------------------------------------------------------------

/** DefaultNormalizeScore: scale to 0..100 by the maximum; `reverse` turns "fewer is better" around. */
export function defaultNormalize(raw: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...raw);
  if (max === 0) return raw.map(() => (reverse ? MAX_NODE_SCORE : 0));
  return raw.map((s) => {
    const v = Math.trunc((MAX_NODE_SCORE * s) / max);
    return reverse ? MAX_NODE_SCORE - v : v;
  });
}

function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

function cpuMem(r: Res): [number, number] {
  return [r.milliCPU, r.memory];
}

function requestsOf(pod: KObj, state: CycleState | undefined, nonZero: boolean): Res {
  if (!state) return podRequests(pod, nonZero);
  return nonZero ? (state.nonZeroRequests ??= podRequests(pod, true)) : (state.requests ??= podRequests(pod));
}

const free = (allocatable: number, requested: number) => allocatable - requested;

function fraction(into: number[], requested: number, alloc: number): void {
  if (alloc > 0) into.push(Math.min(1, requested / alloc));
}

// --- the registry ----------------------------------------------------------------------------------

const nodeUnschedulable: SchedulerPlugin = {
  name: 'NodeUnschedulable',
  filter(pod, ni) {
    if (!obj(ni.node.spec).unschedulable) return OK;
    const taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
    return tolerationsOf(pod).some((t) => tolerates(t, taint)) ? OK : fail([ERR_UNSCHEDULABLE], true);
  },
};

const nodeName: SchedulerPlugin = {
  name: 'NodeName',
  filter(pod, ni) {
    const want = obj(pod.spec).nodeName;
    return !want || want === ni.name ? OK : fail([ERR_NODE_NAME], true);
  },
};

const taintToleration: SchedulerPlugin = {
  name: 'TaintToleration',
  weight: 3,
  filter(pod, ni) {
    const bad = untolerated(taintsOf(ni.node), tolerationsOf(pod), (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    return bad.length ? fail([untoleratedTaint(bad[0]!)], true) : OK;
  },
  score(pod, ni) {
    // only tolerations that could apply to PreferNoSchedule count here
    const tols = tolerationsOf(pod).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return untolerated(taintsOf(ni.node), tols, (t) => t.effect === 'PreferNoSchedule').length;
  },
  normalize: (raw) => defaultNormalize(raw, true),
};

const nodeAffinity: SchedulerPlugin = {
  name: 'NodeAffinity',
  weight: 2,
  filter: (pod, ni) => (matchesRequiredAffinity(pod, ni.node) ? OK : fail([ERR_AFFINITY], true)),
  score(pod, ni) {
    const preferred = arr(obj(obj(obj(pod.spec).affinity).nodeAffinity).preferredDuringSchedulingIgnoredDuringExecution);
    let sum = 0;
    for (const p of preferred) {
      const w = Number(obj(p).weight ?? 0);
      if (w !== 0 && matchNodeSelectorTerm(obj(p).preference, ni.node)) sum += w;
    }
    return sum;
  },
  normalize: (raw) => defaultNormalize(raw, false),
};

const nodePorts: SchedulerPlugin = {
  name: 'NodePorts',
  filter(pod, ni, state) {
    const wanted = state ? (state.hostPorts ??= podHostPorts(pod)) : podHostPorts(pod);
    const conflict = wanted.some((want) =>
      ni.usedPorts.some((u) => u.port === want.port && u.protocol === want.protocol && (u.hostIP === want.hostIP || u.hostIP === '0.0.0.0' || want.hostIP === '0.0.0.0')),
    );
    return conflict ? fail([ERR_PORTS], false) : OK;
  },
};

const nodeResourcesFit: SchedulerPlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  filter(pod, ni, state) {
    const reasons: string[] = [];
    if (ni.pods.length + 1 > ni.allowedPods) reasons.push('Too many pods');
    const req = requestsOf(pod, state, false);
    if (req.milliCPU > 0 && req.milliCPU > free(ni.allocatable.milliCPU, ni.requested.milliCPU)) reasons.push('Insufficient cpu');
    if (req.memory > 0 && req.memory > free(ni.allocatable.memory, ni.requested.memory)) reasons.push('Insufficient memory');
    if (req.ephemeralStorage > 0 && req.ephemeralStorage > free(ni.allocatable.ephemeralStorage, ni.requested.ephemeralStorage)) reasons.push('Insufficient ephemeral-storage');
    for (const [k, v] of Object.entries(req.scalar)) {
      if (v > 0 && v > free(ni.allocatable.scalar[k] ?? 0, ni.requested.scalar[k] ?? 0)) reasons.push(`Insufficient ${k}`);
    }
    return reasons.length ? fail(reasons, false) : OK;
  },
  // LeastAllocated over cpu and memory (weight 1 each), counting the pod with non-zero defaults
  score(pod, ni, state) {
    const [pc, pm] = cpuMem(requestsOf(pod, state, true));
    const [nc, nm] = cpuMem(ni.nonZeroRequested);
    const cpu = leastRequested(nc + pc, ni.allocatable.milliCPU);
    const mem = leastRequested(nm + pm, ni.allocatable.memory);
    return Math.trunc((cpu + mem) / 2);
  },
};

const balancedAllocation: SchedulerPlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  // 100 × (1 − std-dev of the cpu and memory fractions), on actual requests
  score(pod, ni, state) {
    const [pc, pm] = cpuMem(requestsOf(pod, state, false));
    const fractions: number[] = [];
    fraction(fractions, ni.requested.milliCPU + pc, ni.allocatable.milliCPU);
    fraction(fractions, ni.requested.memory + pm, ni.allocatable.memory);
    const std = fractions.length === 2 ? Math.abs((fractions[0]! - fractions[1]!) / 2) : 0;
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  },
};

// PodTopologySpread with the scheduler's system default constraints (kubernetes.io/hostname,
// maxSkew 3, ScheduleAnyway): pods of the same controller are spread over nodes. The default
// selector comes from the pod's owner; pods owned by the same controller count.
function controllerUid(p: KObj): string | undefined {
  return (p.metadata.ownerReferences ?? []).find((r) => r.controller)?.uid;
}

// Scoring walks every feasible node for every pod: counting a node's pods per controller each time
// made 10,000 pods on 100 nodes cost 10⁴ pod visits per attempt. The counts are kept per pods array
// (the scheduler cache hands out the same array until one of the node's pods changes); the length
// guards against an array that grew after it was counted.
const ownerCounts = new WeakMap<KObj[], { n: number; counts: Map<string, number> }>();

/** How many of `pods` are in `namespace` and controlled by `owner` (uid). */
export function countOwned(pods: KObj[], namespace: string | undefined, owner: string): number {
  let memo = ownerCounts.get(pods);
  if (!memo || memo.n !== pods.length) {
    const counts = new Map<string, number>();
    for (const p of pods) {
      const uid = controllerUid(p);
      if (!uid) continue;
      const k = `${p.metadata.namespace ?? ''}/${uid}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    ownerCounts.set(pods, (memo = { n: pods.length, counts }));
  }
  return memo.counts.get(`${namespace ?? ''}/${owner}`) ?? 0;
}

/**
 * `to` is `from` without `removed` and with `added`: carry the counts over instead of counting the
 * node again (the scheduler cache updates a node's list pod by pod).
 */
export function deriveOwnerCounts(from: KObj[], to: KObj[], removed: KObj[], added: KObj[]): void {
  const memo = ownerCounts.get(from);
  if (!memo || memo.n !== from.length) return;
  const keyOf = (p: KObj) => {
    const uid = controllerUid(p);
    return uid ? `${p.metadata.namespace ?? ''}/${uid}` : undefined;
  };
  const out = removed.map(keyOf);
  const ins = added.map(keyOf);
  let counts = memo.counts;
  if (out.length !== ins.length || out.some((k, i) => k !== ins[i])) {
    counts = new Map(counts);
    for (const k of out) {
      if (k === undefined) continue;
      const n = (counts.get(k) ?? 0) - 1;
      if (n > 0) counts.set(k, n);
      else counts.delete(k);
    }
    for (const k of ins) if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  ownerCounts.set(to, { n: to.length, counts });
}

const podTopologySpread: SchedulerPlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  score(pod, ni) {
    const owner = controllerUid(pod);
    if (!owner) return 0;
    return countOwned(ni.pods, pod.metadata.namespace, owner);
  },
  // fewer matching pods → higher score, as upstream's (max + min − count) / max
  normalize(raw) {
    const max = Math.max(0, ...raw);
    const min = Math.min(...raw);
    if (max === 0) return raw.map(() => MAX_NODE_SCORE);
    return raw.map((c) => Math.trunc((MAX_NODE_SCORE * (max + min - c)) / max));
  },
};

/** The registry, in the default profile's order. */
export const PLUGINS: ReadonlyMap<string, SchedulerPlugin> = new Map(
  [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit, podTopologySpread, balancedAllocation].map((p) => [p.name, p]),
);
