// Informer-style indexes over one resource of the store, so a controller can ask "the pods this
// ReplicaSet controls" or "the pods on node X" without walking every pod of the cluster (a
// ReplicaSet sync that listed the whole namespace made 10 × 1,000 replicas cost O(pods²)).
//
// The index is pulled up to date on every read from the store's event history rather than pushed by
// a store listener: listeners run in subscription order, so a listener that reads the index (a
// controller's keysFor) could otherwise run before the index has seen the event being delivered.
// Every store change except load() appends to that history synchronously, before the writer
// returns, so a read always answers exactly what a full scan would. When the history no longer
// reaches back far enough (or the store went back, as load() does), the index is rebuilt by a scan.
//
// Buckets answer in the store's list order (namespace, then name), so switching a controller from a
// filtered list to an index changes nothing it does, including the order of its writes.
import { qualify, type ResourceRef, type Store } from '../store/store.js';
import type { KObj, StoreEvent } from '../store/types.js';

/** The value an object is filed under for one index; undefined leaves it out of that index. */
export type IndexFn = (o: KObj) => string | undefined;

interface Bucket {
  objs: Map<string, KObj>;
  /** keys in store order; dropped when a key comes or goes (not when an object is replaced) */
  order?: string[];
}

/** Work counters, for profiling and tests. */
export interface IndexStats {
  reads: number;
  /** objects handed out by reads */
  returned: number;
  eventsApplied: number;
  rebuilds: number;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** the store's list order */
export const storeOrder = (a: KObj, b: KObj): number => cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name!, b.metadata.name!);
const keyOf = (o: KObj) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class StoreIndex {
  readonly stats: IndexStats = { reads: 0, returned: 0, eventsApplied: 0, rebuilds: 0 };
  private readonly resource: string;
  private readonly names: string[];
  /** revision the index reflects; -1 = never built */
  private rev = -1;
  private current = new Map<string, KObj>();
  private buckets = new Map<string, Map<string, Bucket>>();

  constructor(
    private readonly store: Store,
    private readonly ref: ResourceRef,
    private readonly indexers: Readonly<Record<string, IndexFn>>,
  ) {
    this.resource = qualify(ref);
    this.names = Object.keys(indexers);
    for (const n of this.names) this.buckets.set(n, new Map());
  }

  /** Objects filed under `value` in index `name`, in store list order. */
  list(name: string, value: string): KObj[] {
    this.sync();
    const b = this.index(name).get(value);
    const out = b ? this.ordered(b) : [];
    this.stats.reads++;
    this.stats.returned += out.length;
    return out;
  }

  /** The union of several buckets of one index, in store list order. */
  listAny(name: string, values: string[]): KObj[] {
    this.sync();
    const idx = this.index(name);
    const parts = [...new Set(values)].map((v) => idx.get(v)).filter((b): b is Bucket => !!b && b.objs.size > 0);
    let out: KObj[];
    if (parts.length === 0) out = [];
    else if (parts.length === 1) out = this.ordered(parts[0]!);
    else out = parts.flatMap((b) => this.ordered(b)).sort(storeOrder);
    this.stats.reads++;
    this.stats.returned += out.length;
    return out;
  }

  /** How many objects are filed under `value`. */
  count(name: string, value: string): number {
    this.sync();
    return this.index(name).get(value)?.objs.size ?? 0;
  }

  /** The values of index `name` that have objects, sorted. */
  values(name: string): string[] {
    this.sync();
    return [...this.index(name)].filter(([, b]) => b.objs.size > 0).map(([v]) => v).sort(cmp);
  }

  private index(name: string): Map<string, Bucket> {
    const idx = this.buckets.get(name);
    if (!idx) throw new Error(`no index ${name} on ${this.resource}`);
    return idx;
  }

  private ordered(b: Bucket): KObj[] {
    if (!b.order) b.order = [...b.objs.keys()].sort((x, y) => storeOrder(b.objs.get(x)!, b.objs.get(y)!));
    return b.order.map((k) => b.objs.get(k)!);
  }

  /** Bring the index to the store's current revision. */
  private sync(): void {
    const rev = this.store.rev;
    if (rev === this.rev) return;
    const events = this.rev >= 0 && rev > this.rev ? this.store.eventsSince(this.rev) : 'expired';
    if (events === 'expired') return this.rebuild();
    for (const ev of events) if (ev.resource === this.resource) this.apply(ev);
    this.rev = rev;
  }

  private rebuild(): void {
    this.stats.rebuilds++;
    this.current.clear();
    for (const n of this.names) this.buckets.set(n, new Map());
    for (const o of this.store.list(this.ref)) this.put(keyOf(o), o, undefined);
    this.rev = this.store.rev;
  }

  private apply(ev: StoreEvent): void {
    this.stats.eventsApplied++;
    const key = keyOf(ev.object);
    const prev = this.current.get(key);
    if (ev.type === 'DELETED') {
      if (prev) this.drop(key, prev);
      return;
    }
    this.put(key, ev.object, prev);
  }

  private put(key: string, o: KObj, prev: KObj | undefined): void {
    this.current.set(key, o);
    for (const n of this.names) {
      const fn = this.indexers[n]!;
      const idx = this.buckets.get(n)!;
      const before = prev ? fn(prev) : undefined;
      const after = fn(o);
      if (before !== undefined && before !== after) this.leave(idx, before, key);
      if (after === undefined) continue;
      let b = idx.get(after);
      if (!b) idx.set(after, (b = { objs: new Map() }));
      if (!b.objs.has(key)) b.order = undefined;
      b.objs.set(key, o);
    }
  }

  private drop(key: string, prev: KObj): void {
    this.current.delete(key);
    for (const n of this.names) {
      const v = this.indexers[n]!(prev);
      if (v !== undefined) this.leave(this.buckets.get(n)!, v, key);
    }
  }

  private leave(idx: Map<string, Bucket>, value: string, key: string): void {
    const b = idx.get(value);
    if (!b || !b.objs.delete(key)) return;
    if (b.objs.size === 0) idx.delete(value);
    else b.order = undefined;
  }
}

// ---- shared indexes ------------------------------------------------------------------------------

const PODS: ResourceRef = { group: '', resource: 'pods', namespaced: true };

/** Index value of an object's controller: "<namespace>/<controller uid>", or "<namespace>/" for an orphan. */
export function ownerValue(o: KObj): string {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller === true);
  return `${o.metadata.namespace ?? ''}/${ref?.uid ?? ''}`;
}
export const ownedBy = (namespace: string | undefined, uid: string | undefined) => `${namespace ?? ''}/${uid ?? ''}`;
export const orphansIn = (namespace: string | undefined) => `${namespace ?? ''}/`;

/** spec.nodeName; "" for a pod not bound to a node */
const nodeValue = (o: KObj): string => {
  const n = (o.spec as { nodeName?: unknown } | undefined)?.nodeName;
  return typeof n === 'string' ? n : '';
};

/**
 * The pod indexes every component shares: by controller ("owner"), by spec.nodeName ("node", ""
 * for unbound pods), by namespace, and by status.phase ("phase", "" when unset).
 */
export const POD_INDEXERS: Readonly<Record<string, IndexFn>> = {
  owner: ownerValue,
  node: nodeValue,
  namespace: (o) => o.metadata.namespace ?? '',
  phase: (o) => String((o.status as { phase?: unknown } | undefined)?.phase ?? ''),
};

const shared = new WeakMap<Store, Map<string, StoreIndex>>();

/** One index per store and resource, built on first use and kept for the store's life. */
export function sharedIndex(store: Store, ref: ResourceRef, indexers: Readonly<Record<string, IndexFn>>): StoreIndex {
  let m = shared.get(store);
  if (!m) shared.set(store, (m = new Map()));
  const res = qualify(ref);
  let idx = m.get(res);
  if (!idx) m.set(res, (idx = new StoreIndex(store, ref, indexers)));
  return idx;
}

export function podIndex(store: Store): StoreIndex {
  return sharedIndex(store, PODS, POD_INDEXERS);
}

/** Objects of `ref` by controller ("owner") and by namespace: ReplicaSets, Jobs, ControllerRevisions. */
export function ownedIndex(store: Store, ref: ResourceRef): StoreIndex {
  return sharedIndex(store, ref, { owner: ownerValue, namespace: (o) => o.metadata.namespace ?? '' });
}

/** What a controller may claim: the objects it controls and the orphans of its namespace, in store order. */
export function claimCandidates(index: StoreIndex, owner: KObj): KObj[] {
  return index.listAny('owner', [ownedBy(owner.metadata.namespace, owner.metadata.uid), orphansIn(owner.metadata.namespace)]);
}
