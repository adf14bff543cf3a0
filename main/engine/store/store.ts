// The versioned object store: one global revision (resourceVersion), metadata semantics that every
// kind shares, and a bounded event history that watches resume from (410 Expired beyond it).
// Objects handed out are never mutated afterwards (every write stores a fresh object), so readers
// may keep references; callers must clone before changing one.
import { alreadyExists, conflict, notFound, StatusError } from '../api/errors.js';
import { type Clock, isoTime } from '../clock.js';
import type { IdSource } from '../ids.js';
import type { KObj, StoreEvent } from './types.js';
import { cloneJson } from './json.js';

export interface ResourceRef {
  group: string;
  resource: string;
  namespaced: boolean;
}

export const qualify = (r: { group: string; resource: string }) => (r.group ? `${r.resource}.${r.group}` : r.resource);

// Kinds whose strategy maintains metadata.generation upstream (others never show the field).
const GENERATION_TRACKED = new Set([
  'deployments.apps',
  'replicasets.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'controllerrevisions.apps',
  'jobs.batch',
  'cronjobs.batch',
  'ingresses.networking.k8s.io',
  'networkpolicies.networking.k8s.io',
  'horizontalpodautoscalers.autoscaling',
  'poddisruptionbudgets.policy',
  'customresourcedefinitions.apiextensions.k8s.io',
]);

/** Custom resources keep a generation too; the CRD controller (main/engine/crd) turns it on per resource. */
export function trackGeneration(resource: string, on: boolean): void {
  if (on) GENERATION_TRACKED.add(resource);
  else GENERATION_TRACKED.delete(resource);
}

export interface WriteOptions {
  dryRun?: boolean;
  /** the caller hands `input` over and never touches it again, so the store keeps it without a copy */
  owned?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type Listener = (ev: StoreEvent) => void;

export class Store {
  rev = 0;
  private tables = new Map<string, Map<string, KObj>>();
  private history: StoreEvent[] = [];
  /** leading history entries already outside the window, removed in bulk now and then */
  private dropped = 0;
  /** watches may resume from any revision >= this */
  private oldestResumable = 0;
  private listeners = new Set<Listener>();
  /** per resource, its table's keys in list order; dropped when a key comes or goes (not on updates) */
  private sortedKeys = new Map<string, string[]>();

  constructor(
    private clock: Clock,
    private ids: IdSource,
    private historyLimit = 10_000,
  ) {}

  /** Restore a persisted state (no events are emitted: nothing changed). */
  load(rev: number, objects: Record<string, KObj[]>): void {
    this.rev = rev;
    this.oldestResumable = rev;
    this.tables.clear();
    this.sortedKeys.clear();
    this.history = [];
    this.dropped = 0;
    for (const [res, objs] of Object.entries(objects)) {
      const t = this.table(res);
      for (const o of objs) t.set(keyOf(o.metadata.namespace, o.metadata.name!), o);
    }
  }

  snapshot(): { rev: number; objects: Record<string, KObj[]> } {
    const objects: Record<string, KObj[]> = {};
    for (const [res, t] of this.tables) if (t.size) objects[res] = [...t.values()];
    return { rev: this.rev, objects };
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get(ref: ResourceRef, namespace: string | undefined, name: string): KObj | undefined {
    return this.tables.get(qualify(ref))?.get(keyOf(ref.namespaced ? namespace : undefined, name));
  }

  mustGet(ref: ResourceRef, namespace: string | undefined, name: string): KObj {
    const o = this.get(ref, namespace, name);
    if (!o) throw notFound(ref, name);
    return o;
  }

  list(ref: ResourceRef, namespace?: string): KObj[] {
    const res = qualify(ref);
    const t = this.tables.get(res);
    if (!t) return [];
    // etcd returns keys in order: namespace, then name. Sorting 10,000 pods on every list was a
    // hot spot, so the order is kept until a key is added or removed.
    let keys = this.sortedKeys.get(res);
    if (!keys) {
      const byKey = (a: [string, KObj], b: [string, KObj]) =>
        cmp(a[1].metadata.namespace ?? '', b[1].metadata.namespace ?? '') || cmp(a[1].metadata.name!, b[1].metadata.name!);
      keys = [...t.entries()].sort(byKey).map((e) => e[0]);
      this.sortedKeys.set(res, keys);
    }
    const all = keys.map((k) => t.get(k)!);
    return namespace && ref.namespaced ? all.filter((o) => o.metadata.namespace === namespace) : all;
  }

  count(ref: ResourceRef): number {
    return this.tables.get(qualify(ref))?.size ?? 0;
  }

  create(ref: ResourceRef, input: KObj, opts: WriteOptions = {}): KObj {
    const obj = opts.owned ? input : cloneJson(input);
    const md = obj.metadata;
    if (!md.name && md.generateName) md.name = md.generateName + this.ids.suffix(5);
    if (!ref.namespaced) delete md.namespace;
    const res = qualify(ref);
    const key = keyOf(md.namespace, md.name!);
    if (this.table(res).has(key)) throw alreadyExists(ref, md.name!);
    // a strategy may name the uid up front (a Job's generated selector embeds it)
    md.uid = md.uid || this.ids.uid();
    md.creationTimestamp = isoTime(this.clock.now());
    if (GENERATION_TRACKED.has(res)) md.generation = 1;
    else delete md.generation;
    delete md.deletionTimestamp;
    delete md.deletionGracePeriodSeconds;
    if (opts.dryRun) return withRv(obj, md.resourceVersion);
    const stored = this.commit(res, key, obj, undefined, 'ADDED');
    return stored;
  }

  /**
   * Replace an existing object. `input.metadata.resourceVersion`, when set, must match (optimistic
   * concurrency). A write that changes nothing is not a write: the revision stays, as in etcd.
   */
  update(ref: ResourceRef, input: KObj, opts: WriteOptions = {}): KObj {
    const res = qualify(ref);
    const md = input.metadata;
    const key = keyOf(ref.namespaced ? md.namespace : undefined, md.name!);
    const old = this.table(res).get(key);
    if (!old) throw notFound(ref, md.name!);
    if (md.resourceVersion && md.resourceVersion !== old.metadata.resourceVersion) throw conflict(ref, md.name!);
    const obj = opts.owned ? input : cloneJson(input);
    const m = obj.metadata;
    m.uid = old.metadata.uid;
    m.creationTimestamp = old.metadata.creationTimestamp;
    if (!ref.namespaced) delete m.namespace;
    // deletion, once started, cannot be undone or moved by a client
    if (old.metadata.deletionTimestamp) {
      m.deletionTimestamp = old.metadata.deletionTimestamp;
      if (old.metadata.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    } else {
      delete m.deletionTimestamp;
      delete m.deletionGracePeriodSeconds;
    }
    if (GENERATION_TRACKED.has(res)) {
      const prev = old.metadata.generation ?? 1;
      // the kind's strategy may bump for more than spec (a Deployment also counts annotations)
      m.generation = specChanged(old, obj) || input.metadata.generation === prev + 1 ? prev + 1 : prev;
    } else delete m.generation;
    m.resourceVersion = old.metadata.resourceVersion;
    if (sameContent(old, obj)) return old;
    // a pod in graceful termination waits for its kubelet's final delete even with no finalizers left
    const terminating = res === 'pods' && (m.deletionGracePeriodSeconds ?? 0) > 0;
    if (m.deletionTimestamp && !isHeld(res, obj) && !terminating) {
      // the last finalizer is gone: the object is finally deleted
      if (opts.dryRun) return obj;
      return this.remove(res, key, obj);
    }
    if (opts.dryRun) return obj;
    return this.commit(res, key, obj, old, 'MODIFIED');
  }

  /**
   * Delete: immediate when nothing holds the object, else marks it (deletionTimestamp) and leaves it
   * to the finalizers' owners. Returns the final or marked object and whether it is gone.
   */
  delete(ref: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions & { gracePeriodSeconds?: number; keepWithGrace?: boolean } = {}): { object: KObj; deleted: boolean } {
    const res = qualify(ref);
    const key = keyOf(ref.namespaced ? namespace : undefined, name);
    const old = this.table(res).get(key);
    if (!old) throw notFound(ref, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${res} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`, {
        name,
        group: ref.group || undefined,
        kind: ref.resource,
      });
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${res} "${name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${old.metadata.resourceVersion}`, {
        name,
        group: ref.group || undefined,
        kind: ref.resource,
      });
    }
    const held = isHeld(res, old) || opts.keepWithGrace;
    if (!held) {
      if (opts.dryRun) return { object: old, deleted: true };
      return { object: this.remove(res, key, old), deleted: true };
    }
    if (old.metadata.deletionTimestamp && opts.gracePeriodSeconds === undefined) return { object: old, deleted: false };
    const obj = cloneJson(old);
    const grace = opts.gracePeriodSeconds ?? 0;
    obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp ?? isoTime(this.clock.now() + grace * 1000);
    obj.metadata.deletionGracePeriodSeconds = grace;
    if (opts.dryRun) return { object: obj, deleted: false };
    return { object: this.commit(res, key, obj, old, 'MODIFIED'), deleted: false };
  }

  /**
   * Make the store hold exactly `objects` (reset, snapshot restore), as ordinary writes: watchers
   * see DELETED/ADDED/MODIFIED events, every change gets a new revision. Objects keep their uid and
   * creationTimestamp. `keep(resource, obj)` spares current objects that are not in `objects`.
   */
  replaceAll(objects: Record<string, KObj[]>, keep: (resource: string, o: KObj) => boolean = () => false): void {
    const wanted = new Map<string, Map<string, KObj>>();
    for (const [res, objs] of Object.entries(objects)) {
      const m = new Map<string, KObj>();
      for (const o of objs) m.set(keyOf(o.metadata.namespace, o.metadata.name!), o);
      wanted.set(res, m);
    }
    for (const [res, t] of this.tables) {
      for (const [key, cur] of [...t]) {
        if (!wanted.get(res)?.has(key) && !keep(res, cur)) this.remove(res, key, cur);
      }
    }
    for (const [res, m] of wanted) {
      const t = this.table(res);
      for (const [key, o] of m) {
        const cur = t.get(key);
        const next = cloneJson(o);
        if (cur) {
          next.metadata.resourceVersion = cur.metadata.resourceVersion;
          if (cur.metadata.uid === next.metadata.uid && sameContent(cur, next)) continue;
          if (cur.metadata.uid !== next.metadata.uid) {
            this.remove(res, key, cur);
            this.commit(res, key, next, undefined, 'ADDED');
          } else this.commit(res, key, next, cur, 'MODIFIED');
        } else this.commit(res, key, next, undefined, 'ADDED');
      }
    }
  }

  /**
   * Events after `rev` in order, or 'expired' when the history no longer reaches back that far
   * (the caller answers 410 Expired with {@link oldestRevision}).
   */
  eventsSince(rev: number): StoreEvent[] | 'expired' {
    if (rev < this.oldestResumable) return 'expired';
    // history is ordered by rev; binary search the first event after rev
    let lo = this.dropped;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.rev <= rev) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  get oldestRevision(): number {
    return this.oldestResumable;
  }

  private table(res: string): Map<string, KObj> {
    let t = this.tables.get(res);
    if (!t) this.tables.set(res, (t = new Map()));
    return t;
  }

  private commit(res: string, key: string, obj: KObj, old: KObj | undefined, type: 'ADDED' | 'MODIFIED'): KObj {
    const rev = ++this.rev;
    obj.metadata.resourceVersion = String(rev);
    if (!old) this.sortedKeys.delete(res);
    this.table(res).set(key, obj);
    this.emit({ type, resource: res, object: obj, old, rev });
    return obj;
  }

  private remove(res: string, key: string, last: KObj): KObj {
    const rev = ++this.rev;
    const obj = cloneJson(last);
    obj.metadata.resourceVersion = String(rev);
    this.table(res).delete(key);
    this.sortedKeys.delete(res);
    this.emit({ type: 'DELETED', resource: res, object: obj, old: last, rev });
    return obj;
  }

  private emit(ev: StoreEvent): void {
    this.history.push(ev);
    const live = this.history.length - this.dropped;
    if (live > this.historyLimit) {
      this.dropped += live - this.historyLimit;
      this.oldestResumable = this.history[this.dropped - 1]!.rev;
      // removing the front on every event cost O(history) per write; once per window is O(1) amortised
      if (this.dropped >= this.historyLimit) {
        this.history.splice(0, this.dropped);
        this.dropped = 0;
      }
    }
    for (const fn of this.listeners) fn(ev);
  }
}

/** Something still has to run before the object may go: finalizers (and a namespace's spec.finalizers). */
function isHeld(res: string, o: KObj): boolean {
  if ((o.metadata.finalizers ?? []).length) return true;
  return res === 'namespaces' && (((o.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0);
}

function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withRv(obj: KObj, rv: string | undefined): KObj {
  if (rv === undefined) delete obj.metadata.resourceVersion;
  return obj;
}

function specChanged(a: KObj, b: KObj): boolean {
  return !sameFields(a, b, TYPE_AND_META);
}

const TYPE_AND_META = new Set(['metadata', 'status', 'apiVersion', 'kind']);
const META = new Set(['metadata']);
const VOLATILE_META = new Set(['managedFields', 'resourceVersion']);

/** Equal apart from managedFields and resourceVersion (a write that changes nothing else is no write). */
function sameContent(a: KObj, b: KObj): boolean {
  return sameFields(a, b, META) && sameFields(a.metadata, b.metadata, VOLATILE_META);
}

/**
 * Deep equality as JSON sees it (key order and undefined-valued keys do not count), skipping the
 * top-level keys in `skip`. It replaced comparing canonical JSON strings: two serialisations per write.
 */
function sameFields(a: object, b: object, skip: Set<string>): boolean {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let n = 0;
  for (const k in ra) {
    const x = ra[k];
    if (x === undefined || skip.has(k)) continue;
    n++;
    if (!jsonEqual(x, rb[k])) return false;
  }
  for (const k in rb) if (rb[k] !== undefined && !skip.has(k)) n--;
  return n === 0;
}

/** Deep equality of JSON values: key order and keys whose value is undefined do not count. */
export function jsonEqual(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!jsonEqual(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(y)) return false;
  const rx = x as Record<string, unknown>;
  const ry = y as Record<string, unknown>;
  let n = 0;
  for (const k in rx) {
    const v = rx[k];
    if (v === undefined) continue;
    n++;
    if (!jsonEqual(v, ry[k])) return false;
  }
  for (const k in ry) if (ry[k] !== undefined) n--;
  return n === 0;
}
