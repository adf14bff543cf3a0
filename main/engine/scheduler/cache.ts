// The scheduler's cache of which pods hold resources on which node, kept current from store events.
// Rebuilding every node's view from all pods for every attempt made scheduling N pods cost N² (10,000
// pods: 10⁸ pod visits); like kube-scheduler's own cache, this keeps the per-node sums and only
// recomputes a node whose pods changed. It yields exactly what buildNodeInfos would.
import type { KObj, StoreEvent } from '../store/types.js';
import { addPod, emptyRes, isTerminal, type NodeInfo, toRes } from './resources.js';
import { parseQuantity } from '../api/validation/index.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** What a node's pods add up to; rebuilt only when one of them changed. */
type Held = Pick<NodeInfo, 'pods' | 'requested' | 'nonZeroRequested' | 'usedPorts'>;

interface Slot {
  pods: Map<string, KObj>;
  held?: Held;
}

const podKey = (p: KObj) => `${p.metadata.namespace ?? ''}/${p.metadata.name}`;
const boundNode = (p: KObj): string | undefined => {
  const n = obj(p.spec).nodeName;
  return typeof n === 'string' && n && !isTerminal(p) ? n : undefined;
};
// the store lists pods by namespace, then name; buildNodeInfos' pod order follows it
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const storeOrder = (a: KObj, b: KObj) => cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name!, b.metadata.name!);

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
    if (was !== undefined && was !== now) {
      const slot = this.slots.get(was)!;
      slot.pods.delete(key);
      slot.held = undefined;
      this.where.delete(key);
    }
    if (now === undefined) return;
    let slot = this.slots.get(now);
    if (!slot) this.slots.set(now, (slot = { pods: new Map() }));
    // a newer object for the same pod (status, deletionTimestamp) replaces the old one
    slot.pods.set(key, pod!);
    slot.held = undefined;
    this.where.set(key, now);
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
    return slot.held;
  }
}
