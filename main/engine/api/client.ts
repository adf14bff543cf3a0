// The in-process client controllers, the scheduler and kubelets use. Writes take the same path as
// an HTTP request (defaults, strategy, validation, admission, managed fields), so what a controller
// creates looks exactly like what kubectl would have created. Calls are synchronous: the store is
// in memory, and persistence flushes behind them.
import { isoTime } from '../clock.js';
import { matchesLabels, parseLabelSelector, type LabelSelector } from '../store/selectors.js';
import type { KObj } from '../store/types.js';
import type { ApiContext, RequestInfo } from './context.js';
import { notFound, StatusError } from './errors.js';
import { groupVersion, type ResourceDef } from './registry.js';
import { createObject, updateObject } from './write.js';
import { deleteNow } from './rest.js';
import { cloneJson, cloneSharing } from '../store/json.js';

export interface ClientDeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

export class LocalClient {
  constructor(
    readonly ctx: ApiContext,
    /** the field manager and user recorded for this component, e.g. 'kube-controller-manager' */
    readonly manager: string,
  ) {}

  def(group: string, resource: string): ResourceDef {
    const d = this.ctx.registry.defs.find((x) => x.group === group && x.resource === resource);
    if (!d) throw new Error(`unknown resource ${resource}.${group}`);
    return d;
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KObj | undefined {
    return this.ctx.store.get(def, namespace, name);
  }

  list(def: ResourceDef, namespace?: string, selector?: string | LabelSelector): KObj[] {
    const all = this.ctx.store.list(def, namespace);
    if (!selector) return all;
    const sel = typeof selector === 'string' ? parseLabelSelector(selector) : selector;
    return all.filter((o) => matchesLabels(sel, o.metadata.labels));
  }

  /** `owned`: the caller built `obj` for this call and never touches it again, so it is not copied */
  create(def: ResourceDef, obj: KObj, opts: { owned?: boolean } = {}): KObj {
    const o = opts.owned ? obj : cloneJson(obj);
    o.apiVersion = groupVersion(def);
    o.kind = def.kind;
    return createObject(this.ctx, this.ri(def, o.metadata.namespace, o.metadata.name), o, this.params(), 'Update');
  }

  /** Replace the main resource (status is kept as stored, as for any spec writer). */
  update(def: ResourceDef, obj: KObj): KObj {
    return this.write(def, obj, undefined);
  }

  /** Replace the status (spec and metadata are kept as stored). */
  updateStatus(def: ResourceDef, obj: KObj): KObj {
    return this.write(def, obj, 'status');
  }

  /** Read-modify-write of the current object; `mutate` returns false to skip the write. */
  modify(def: ResourceDef, namespace: string | undefined, name: string, mutate: (o: KObj) => boolean | void, subresource?: 'status'): KObj {
    const cur = this.ctx.store.get(def, namespace, name);
    if (!cur) throw notFound(def, name);
    const next = cloneJson(cur);
    if (mutate(next) === false) return cur;
    return this.writeOwned(def, next, subresource);
  }

  /**
   * Replace an object's whole status (a kubelet's pod status): no copy of the rest of the object,
   * which the status write takes from the stored one anyway. Skipped (undefined) when the object is
   * gone or is another incarnation (uid) by now.
   */
  replaceStatus(def: ResourceDef, namespace: string | undefined, name: string, uid: string | undefined, status: Record<string, unknown>): KObj | undefined {
    const cur = this.ctx.store.get(def, namespace, name);
    if (!cur || (uid !== undefined && cur.metadata.uid !== uid)) return undefined;
    // the status shares what did not change with the stored one (so the write's comparisons stop early)
    const next: KObj = { ...cur, metadata: { ...cur.metadata }, status: cloneSharing(cur.status, status) };
    return this.writeOwned(def, next, 'status');
  }

  modifyStatus(def: ResourceDef, namespace: string | undefined, name: string, mutate: (o: KObj) => boolean | void): KObj {
    return this.modify(def, namespace, name, mutate, 'status');
  }

  delete(def: ResourceDef, namespace: string | undefined, name: string, opts: ClientDeleteOptions = {}): { object: KObj; deleted: boolean } {
    return deleteNow(this.ctx, def, namespace, name, opts);
  }

  /** delete, treating "already gone" as done */
  deleteIfExists(def: ResourceDef, namespace: string | undefined, name: string, opts: ClientDeleteOptions = {}): void {
    try {
      this.delete(def, namespace, name, opts);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }

  now(): string {
    return isoTime(this.ctx.clock.now());
  }

  private write(def: ResourceDef, obj: KObj, subresource: 'status' | undefined): KObj {
    return this.writeOwned(def, cloneJson(obj), subresource);
  }

  /** `o` is this client's own copy: the write path keeps it as the stored object. */
  private writeOwned(def: ResourceDef, o: KObj, subresource: 'status' | undefined): KObj {
    const old = this.ctx.store.get(def, o.metadata.namespace, o.metadata.name!);
    if (!old) throw notFound(def, o.metadata.name!);
    o.apiVersion = groupVersion(def);
    o.kind = def.kind;
    return updateObject(this.ctx, this.ri(def, o.metadata.namespace, o.metadata.name, subresource), o, old, this.params(), 'Update');
  }

  private ri(def: ResourceDef, namespace: string | undefined, name: string | undefined, subresource?: string): RequestInfo {
    return { def, namespace: def.namespaced ? namespace : undefined, name, subresource, query: new URLSearchParams(), user: { username: `system:${this.manager}`, groups: ['system:masters'] } };
  }

  private params() {
    return { dryRun: false, fieldManager: this.manager, validation: 'Ignore' as const };
  }
}
