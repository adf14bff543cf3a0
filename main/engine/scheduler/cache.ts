// The scheduler's cache of which pods hold resources on which node, kept current from store events.
// Rebuilding every node's view from all pods for every attempt made scheduling N pods cost N² (10,000
// pods: 10⁸ pod visits); like kube-scheduler's own cache, this keeps the per-node sums and only
// updates a node's view when one of its pods comes, goes or changes. It yields exactly what
// buildNodeInfos would (requests are whole milli-CPU and bytes, so sums do not depend on order).
import type { KObj, StoreEvent } from '../store/types.js';
import { addPod, emptyRes, isTerminal, type NodeInfo, podHostPorts, podRequests, type Res, toRes } from './resources.js';
import { parseQuantity } from '../api/validation/index.js';
import { jsonEqual } from '../store/store.js';
import { deriveOwnerCounts } from './plugins.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** What a node's pods add up to; built when first asked for, then kept up to date pod by pod. */
type Held = Pick<NodeInfo, 'pods' | 'requested' | 'nonZeroRequested' | 'usedPorts'>;

interface Slot {
  pods: Map<string, KObj>;
  held?: Held;
  /** held.pods has been handed out in a NodeInfo since it was made: change a copy, not it */
  shared?: boolean;
}

const podKey = (p: KObj) => `${p.metadata.namespace ?? ''}/${p.metadata.name}`;
const boundNode = (p: KObj): string | undefined => {
  const n = obj(p.spec).nodeName;
  return typeof n === 'string' && n && !isTerminal(p) ? n : undefined;
};
// the store lists pods by namespace, then name; buildNodeInfos' pod order follows it
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const storeOrder = (a: KObj, b: KObj) => cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name!, b.metadata.name!);

/** first index in the sorted `pods` whose pod does not sort before `p` */
function lowerBound(pods: KObj[], p: KObj): number {
  let lo = 0;
  let hi = pods.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (storeOrder(pods[mid]!, p) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A pod's requests when adding or removing it can be done on the sums alone: no extended resources
 * and no host ports (their per-key maps and port list keep the order a rebuild gives them).
 */
function plainRequests(p: KObj): { req: Res; nonZero: Res } | undefined {
  const req = podRequests(p);
  const nonZero = podRequests(p, true);
  if (Object.keys(req.scalar).length || Object.keys(nonZero.scalar).length || podHostPorts(p).length) return undefined;
  return { req, nonZero };
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The parts of two pod specs that decide what the pod holds on its node (podRequests, podHostPorts) agree. */
function sameHoldings(a: KObj, b: KObj): boolean {
  const sa = obj(a.spec);
  const sb = obj(b.spec);
  if (!jsonEqual(sa.overhead, sb.overhead)) return false;
  for (const field of ['containers', 'initContainers']) {
    const ca = arr(sa[field]);
    const cb = arr(sb[field]);
    if (ca.length !== cb.length) return false;
    for (let i = 0; i < ca.length; i++) {
      const x = obj(ca[i]);
      const y = obj(cb[i]);
      if (x.restartPolicy !== y.restartPolicy || !jsonEqual(obj(x.resources).requests, obj(y.resources).requests) || !jsonEqual(x.ports, y.ports)) return false;
    }
  }
  return true;
}

const shift = (r: Res, by: Res, sign: 1 | -1): Res => ({
  milliCPU: r.milliCPU + sign * by.milliCPU,
  memory: r.memory + sign * by.memory,
  ephemeralStorage: r.ephemeralStorage + sign * by.ephemeralStorage,
  scalar: { ...r.scalar },
});

export class NodePodsCache {
  private slots = new Map<string, Slot>();
  /** pod key -> the node it is counted on */
  private where = new Map<string, string>();
  /** a node object's parsed allocatable, per object (node objects are replaced, never changed in place) */
  private alloc = new WeakMap<KObj, Pick<NodeInfo, 'allocatable' | 'allowedPods'>>();

  constructor(pods: KObj[] = []) {
    for (const p of pods) this.set(podKey(p), p);
  }

  /** Feed every store event; only pod events matter. */
  apply(ev: StoreEvent): void {
    if (ev.resource !== 'pods') return;
    const key = podKey(ev.object);
    this.set(key, ev.type === 'DELETED' ? undefined : ev.object);
  }

  private set(key: string, pod: KObj | undefined): void {
    const was = this.where.get(key);
    const now = pod ? boundNode(pod) : undefined;
    if (was !== undefined && was === now) return this.replace(this.slots.get(now)!, key, pod!);
    if (was !== undefined) {
      const slot = this.slots.get(was)!;
      const prev = slot.pods.get(key)!;
      slot.pods.delete(key);
      this.where.delete(key);
      if (slot.held) slot.held = this.without(slot.held, prev);
      slot.shared = false;
    }
    if (now === undefined) return;
    let slot = this.slots.get(now);
    if (!slot) this.slots.set(now, (slot = { pods: new Map() }));
    slot.pods.set(key, pod!);
    this.where.set(key, now);
    if (slot.held) slot.held = this.with(slot.held, pod!);
    slot.shared = false;
  }

  // An update makes new arrays once the old ones were handed out: NodeInfos keep the lists they
  // were given. undefined = rebuild the node's view when it is next asked for.

  private with(held: Held, pod: KObj): Held | undefined {
    const plain = plainRequests(pod);
    if (!plain) return undefined;
    const i = lowerBound(held.pods, pod);
    const pods = [...held.pods.slice(0, i), pod, ...held.pods.slice(i)];
    deriveOwnerCounts(held.pods, pods, [], [pod]);
    return { pods, requested: shift(held.requested, plain.req, 1), nonZeroRequested: shift(held.nonZeroRequested, plain.nonZero, 1), usedPorts: held.usedPorts };
  }

  private without(held: Held, prev: KObj): Held | undefined {
    const i = lowerBound(held.pods, prev);
    const plain = plainRequests(prev);
    if (held.pods[i] !== prev || !plain) return undefined;
    const pods = [...held.pods.slice(0, i), ...held.pods.slice(i + 1)];
    deriveOwnerCounts(held.pods, pods, [prev], []);
    return { pods, requested: shift(held.requested, plain.req, -1), nonZeroRequested: shift(held.nonZeroRequested, plain.nonZero, -1), usedPorts: held.usedPorts };
  }

  /**
   * A newer object for a pod that stays on its node (kubelet status writes, mostly). What the pod
   * holds (requests, host ports) comes from its spec alone, so while the spec is unchanged the sums
   * stand and only the object in the node's pod list is swapped.
   */
  private replace(slot: Slot, key: string, pod: KObj): void {
    const prev = slot.pods.get(key)!;
    slot.pods.set(key, pod);
    const held = slot.held;
    if (!held) return;
    const i = lowerBound(held.pods, prev);
    if (held.pods[i] !== prev || !sameHoldings(prev, pod)) {
      slot.held = undefined;
      return;
    }
    // a node's pods change status far more often than a scheduling attempt looks at them
    if (!slot.shared) {
      held.pods[i] = pod;
      deriveOwnerCounts(held.pods, held.pods, [prev], [pod]);
      return;
    }
    const pods = held.pods.slice();
    pods[i] = pod;
    deriveOwnerCounts(held.pods, pods, [prev], [pod]);
    slot.held = { ...held, pods };
    slot.shared = false;
  }

  /** The per-node view for these nodes, as buildNodeInfos(nodes, allPods) would build it. */
  nodeInfos(nodes: KObj[]): NodeInfo[] {
    return nodes.map((node) => {
      const name = node.metadata.name!;
      let a = this.alloc.get(node);
      if (!a) {
        const list = obj(obj(node.status).allocatable);
        a = { allocatable: toRes(list), allowedPods: Math.floor(parseQuantity(list.pods) ?? 0) };
        this.alloc.set(node, a);
      }
      return { node, name, ...a, ...this.held(name) };
    });
  }

  private held(name: string): Held {
    const slot = this.slots.get(name);
    if (!slot) return { pods: [], requested: emptyRes(), nonZeroRequested: emptyRes(), usedPorts: [] };
    if (!slot.held) {
      const ni = { pods: [], requested: emptyRes(), nonZeroRequested: emptyRes(), usedPorts: [] } as unknown as NodeInfo;
      for (const p of [...slot.pods.values()].sort(storeOrder)) addPod(ni, p);
      slot.held = { pods: ni.pods, requested: ni.requested, nonZeroRequested: ni.nonZeroRequested, usedPorts: ni.usedPorts };
    }
    // shared, not copied: the framework only reads NodeInfos (addPod runs on fresh ones only)
    slot.shared = true;
    return slot.held;
  }
}
