// The garbage collector: objects whose owners (ownerReferences, matched by uid) are gone are
// deleted; an owner deleted with propagationPolicy=Foreground keeps the `foregroundDeletion`
// finalizer until its blocking dependents are gone; one deleted with Orphan keeps the `orphan`
// finalizer until its dependents no longer point at it. The API server puts those finalizers on
// (see api/rest.ts deleteNow); this controller takes them off.
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import type { ResourceDef } from '../api/registry.js';
import { jsonEqual, qualify } from '../store/store.js';
import type { KObj, StoreEvent } from '../store/types.js';
import type { Controller } from './controller.js';

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

type Policy = 'Background' | 'Foreground' | 'Orphan';

const refsOf = (o: KObj | undefined): OwnerRef[] => ((o?.metadata.ownerReferences ?? []) as OwnerRef[]);
const hasFinalizer = (o: KObj, f: string) => (o.metadata.finalizers ?? []).includes(f);
const waitsOnDependents = (o: KObj) => !!o.metadata.deletionTimestamp && (hasFinalizer(o, FOREGROUND) || hasFinalizer(o, ORPHAN));

/** the store key the collector works on: "<resource.group>|<namespace>|<name>" */
export function gcKey(resource: string, o: KObj): string {
  return `${resource}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
}

export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector-controller';
  /** owner uid → keys of the objects that name it (the upstream "graph", reduced to what we need) */
  private dependents = new Map<string, Set<string>>();
  /** uid → key of every object seen */
  private byUid = new Map<string, string>();

  constructor(
    private client: LocalClient,
    /** every stored kind (CRDs included), read at each use */
    private defs: () => ResourceDef[],
  ) {}

  keysFor(ev: StoreEvent): string[] {
    // most writes (a status write above all) keep the object's references as they were: the index
    // stands, and only a deletion waiting on dependents concerns the collector
    const same = ev.type === 'MODIFIED' && ev.old && ev.old.metadata.ownerReferences === ev.object.metadata.ownerReferences && ev.old.metadata.uid === ev.object.metadata.uid;
    if (same) return waitsOnDependents(ev.object) ? [gcKey(ev.resource, ev.object)] : [];
    const key = gcKey(ev.resource, ev.object);
    this.index(key, ev.type === 'DELETED' ? undefined : ev.object, ev.old);
    const keys = new Set<string>();
    const o = ev.object;
    const refsChanged = !jsonEqual(refsOf(ev.old), refsOf(o));
    if (ev.type === 'DELETED') {
      // its dependents may now be dangling; owners waiting for it may now finish
      for (const k of this.dependents.get(o.metadata.uid!) ?? []) keys.add(k);
      for (const r of refsOf(o)) this.ownerKey(r.uid, keys);
      return [...keys];
    }
    if (refsOf(o).length && (ev.type === 'ADDED' || refsChanged)) keys.add(key);
    if (refsChanged) for (const r of refsOf(ev.old)) this.ownerKey(r.uid, keys);
    if (waitsOnDependents(o)) keys.add(key);
    return [...keys];
  }

  initialKeys(): string[] {
    const keys: string[] = [];
    for (const def of this.defs()) {
      const res = qualify(def);
      for (const o of this.client.ctx.store.list(def)) {
        const key = gcKey(res, o);
        this.index(key, o, undefined);
        if (refsOf(o).length || o.metadata.deletionTimestamp) keys.push(key);
      }
    }
    return keys;
  }

  reconcile(key: string): void {
    const found = this.lookup(key);
    if (!found) return;
    const { def, obj } = found;
    if (obj.metadata.deletionTimestamp && hasFinalizer(obj, ORPHAN)) return this.orphanDependents(def, obj);
    if (obj.metadata.deletionTimestamp && hasFinalizer(obj, FOREGROUND)) return this.deleteDependentsFirst(def, obj);
    if (refsOf(obj).length) this.attemptToDelete(def, obj);
  }

  /** Orphan: drop the ownerReferences to this owner from every dependent, then let the owner go. */
  private orphanDependents(def: ResourceDef, owner: KObj): void {
    const uid = owner.metadata.uid!;
    for (const k of [...(this.dependents.get(uid) ?? [])]) {
      const dep = this.lookup(k);
      if (!dep) continue;
      this.tolerateGone(() =>
        this.client.modify(dep.def, dep.obj.metadata.namespace, dep.obj.metadata.name!, (o) => {
          const refs = refsOf(o).filter((r) => r.uid !== uid);
          if (refs.length === refsOf(o).length) return false;
          if (refs.length) o.metadata.ownerReferences = refs as KObj['metadata']['ownerReferences'];
          else delete o.metadata.ownerReferences;
        }),
      );
    }
    this.removeFinalizer(def, owner, ORPHAN);
  }

  /** Foreground: delete the dependents; the owner goes once none blocks it any more. */
  private deleteDependentsFirst(def: ResourceDef, owner: KObj): void {
    const uid = owner.metadata.uid!;
    let blocking = 0;
    for (const k of [...(this.dependents.get(uid) ?? [])]) {
      const dep = this.lookup(k);
      if (!dep) continue;
      if (!dep.obj.metadata.deletionTimestamp) this.attemptToDelete(dep.def, dep.obj);
      const still = this.lookup(k);
      if (still && refsOf(still.obj).some((r) => r.uid === uid && r.blockOwnerDeletion)) blocking++;
    }
    if (!blocking) this.removeFinalizer(def, owner, FOREGROUND);
  }

  /** A dependent: delete it when no owner is left that still stands (upstream attemptToDeleteItem). */
  private attemptToDelete(def: ResourceDef, dep: KObj): void {
    if (dep.metadata.deletionTimestamp && !hasFinalizer(dep, FOREGROUND) && !hasFinalizer(dep, ORPHAN)) return;
    const solid: OwnerRef[] = [];
    const gone: OwnerRef[] = [];
    const waiting: OwnerRef[] = [];
    for (const r of refsOf(dep)) {
      const state = this.ownerState(r, dep.metadata.namespace);
      (state === 'solid' ? solid : state === 'waiting' ? waiting : gone).push(r);
    }
    if (solid.length) {
      if (!gone.length && !waiting.length) return;
      // keep the object, forget the owners that are going away
      const drop = new Set([...gone, ...waiting].map((r) => r.uid));
      this.tolerateGone(() =>
        this.client.modify(def, dep.metadata.namespace, dep.metadata.name!, (o) => {
          o.metadata.ownerReferences = refsOf(o).filter((r) => !drop.has(r.uid)) as KObj['metadata']['ownerReferences'];
        }),
      );
      return;
    }
    if (dep.metadata.deletionTimestamp) return;
    let policy: Policy = 'Background';
    if (waiting.length && this.dependents.get(dep.metadata.uid!)?.size) policy = 'Foreground';
    else if (hasFinalizer(dep, ORPHAN)) policy = 'Orphan';
    else if (hasFinalizer(dep, FOREGROUND)) policy = 'Foreground';
    this.tolerateGone(() =>
      this.client.delete(def, dep.metadata.namespace, dep.metadata.name!, { propagationPolicy: policy, preconditions: { uid: dep.metadata.uid } }),
    );
  }

  private ownerState(r: OwnerRef, namespace: string | undefined): 'solid' | 'waiting' | 'gone' {
    const group = r.apiVersion.includes('/') ? r.apiVersion.split('/')[0]! : '';
    const def = this.defs().find((d) => d.group === group && d.kind === r.kind && !d.virtual);
    // an owner kind we cannot resolve is left alone (upstream retries until the mapping exists)
    if (!def) return 'solid';
    const owner = this.client.ctx.store.get(def, def.namespaced ? namespace : undefined, r.name);
    if (!owner || owner.metadata.uid !== r.uid) return 'gone';
    if (owner.metadata.deletionTimestamp && hasFinalizer(owner, FOREGROUND)) return 'waiting';
    return 'solid';
  }

  private removeFinalizer(def: ResourceDef, o: KObj, finalizer: string): void {
    this.tolerateGone(() =>
      this.client.modify(def, o.metadata.namespace, o.metadata.name!, (x) => {
        if (x.metadata.uid !== o.metadata.uid || !hasFinalizer(x, finalizer)) return false;
        // a pod in graceful termination is its kubelet's until it deletes with grace 0; dropping the
        // last finalizer earlier would remove it from the store at once
        if (def.group === '' && def.resource === 'pods' && (x.metadata.deletionGracePeriodSeconds ?? 0) > 0) return false;
        const rest = (x.metadata.finalizers ?? []).filter((f) => f !== finalizer);
        if (rest.length) x.metadata.finalizers = rest;
        else delete x.metadata.finalizers;
      }),
    );
  }

  private index(key: string, now: KObj | undefined, old: KObj | undefined): void {
    for (const r of refsOf(old)) this.dependents.get(r.uid)?.delete(key);
    if (old?.metadata.uid && !now) this.byUid.delete(old.metadata.uid);
    if (!now) return;
    this.byUid.set(now.metadata.uid!, key);
    for (const r of refsOf(now)) {
      let set = this.dependents.get(r.uid);
      if (!set) this.dependents.set(r.uid, (set = new Set()));
      set.add(key);
    }
  }

  private ownerKey(uid: string, into: Set<string>): void {
    const k = this.byUid.get(uid);
    if (k) into.add(k);
  }

  private lookup(key: string): { def: ResourceDef; obj: KObj } | undefined {
    const [res, ns, name] = key.split('|') as [string, string, string];
    const def = this.defs().find((d) => qualify(d) === res && !d.virtual);
    if (!def) return undefined;
    const obj = this.client.ctx.store.get(def, def.namespaced ? ns : undefined, name);
    return obj ? { def, obj } : undefined;
  }

  private tolerateGone(fn: () => unknown): void {
    try {
      fn();
    } catch (e) {
      // gone already, or replaced by a new object of the same name (uid precondition): nothing to do
      if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
    }
  }
}
