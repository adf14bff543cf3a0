// Helpers the workload controllers (ReplicaSet, Deployment, DaemonSet) share: pod readiness and
// availability as upstream's podutil defines them, controller references, and claiming (adopt /
// release) objects by selector, like client-go's ControllerRefManager.
import type { LocalClient } from '../api/client.js';
import type { ResourceDef } from '../api/registry.js';
import { selectorMatcher } from '../api/validation/index.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { EventRecorder } from '../events/recorder.js';
import { jsonEqual } from '../store/store.js';
import type { KObj, OwnerReference, StoreEvent } from '../store/types.js';
import { keyOf } from './controller.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function podReadyCondition(pod: KObj): Json | undefined {
  return ((pod.status as Json | undefined)?.conditions as Json[] | undefined)?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: KObj): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Ready for at least minReadySeconds (strictly after, as upstream's Before(now)). */
export function isPodAvailable(pod: KObj, minReadySeconds: number, now: number): boolean {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(String(c.lastTransitionTime ?? ''));
  return !Number.isNaN(since) && since + minReadySeconds * 1000 < now;
}

/** ms until a ready pod becomes available (undefined when not ready or already available) */
export function msUntilAvailable(pod: KObj, minReadySeconds: number, now: number): number | undefined {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True' || !minReadySeconds || isPodAvailable(pod, minReadySeconds, now)) return undefined;
  const since = Date.parse(String(c.lastTransitionTime ?? ''));
  return Number.isNaN(since) ? undefined : Math.max(0, since + minReadySeconds * 1000 - now) + 1000;
}

/** FilterActivePods: not finished and not being deleted. */
export function isPodActive(pod: KObj): boolean {
  const phase = (pod.status as Json | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function controllerRef(o: KObj): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function newControllerRef(owner: KObj): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export function labelsMatch(selector: unknown, labels: Record<string, string> | undefined): boolean {
  return labelMatcher(selector)(labels);
}

/** labelsMatch for one selector and many label sets (the selector is read once). */
export function labelMatcher(selector: unknown): (labels: Record<string, string> | undefined) => boolean {
  const m = selectorMatcher(selector);
  if (m === 'nothing') return () => false;
  if (m === 'everything') return () => true;
  return (labels) => m(labels ?? {});
}

/**
 * ClaimObjects: the owner keeps what it controls and still selects, adopts matching orphans, and
 * releases what it controls but no longer selects. Returns the objects it owns afterwards.
 */
export function claim(client: LocalClient, def: ResourceDef, owner: KObj, candidates: KObj[], selector: unknown, extraMatch: (o: KObj) => boolean = () => true): KObj[] {
  const uid = owner.metadata.uid;
  const ownerGone = !!owner.metadata.deletionTimestamp;
  const selects = labelMatcher(selector);
  const out: KObj[] = [];
  for (const o of candidates) {
    const ref = controllerRef(o);
    const matches = selects(o.metadata.labels) && extraMatch(o);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches || ownerGone) {
        out.push(o);
        continue;
      }
      tryModify(client, def, o, (x) => {
        x.metadata.ownerReferences = (x.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        if (!x.metadata.ownerReferences.length) delete x.metadata.ownerReferences;
      });
      continue;
    }
    if (!matches || ownerGone || o.metadata.deletionTimestamp) continue;
    const adopted = tryModify(client, def, o, (x) => {
      if (controllerRef(x)) return false;
      x.metadata.ownerReferences = [...(x.metadata.ownerReferences ?? []), newControllerRef(owner)];
    });
    if (adopted && controllerRef(adopted)?.uid === uid) out.push(adopted);
  }
  return out;
}

/** Modify, treating a vanished object as done (NotFound means done). */
export function tryModify(client: LocalClient, def: ResourceDef, o: KObj, mutate: (x: KObj) => boolean | void): KObj | undefined {
  if (!client.get(def, o.metadata.namespace, o.metadata.name!)) return undefined;
  return client.modify(def, o.metadata.namespace, o.metadata.name!, mutate);
}

/** Keys of owners of kind `kind` that control `o` (via its controller reference). */
export function ownerKeys(o: KObj | undefined, kind: string): string[] {
  if (!o) return [];
  const ref = controllerRef(o);
  return ref && ref.kind === kind ? [`${o.metadata.namespace}/${ref.name}`] : [];
}

/**
 * Delayed requeue (client-go's AddAfter). The work queue is not reachable from a controller, so the
 * timer runs reconcile itself; reconciles are synchronous, so they never interleave with the queue's.
 */
export class Requeue {
  private timers = new Map<string, { at: number; h: TimerHandle }>();
  constructor(
    private clock: Clock,
    private run: (key: string) => void,
  ) {}

  after(key: string, ms: number): void {
    const at = this.clock.now() + ms;
    const cur = this.timers.get(key);
    if (cur && cur.at <= at) return;
    cur?.h.cancel();
    const h = this.clock.after(ms, () => {
      this.timers.delete(key);
      try {
        this.run(key);
      } catch {
        // the next store event retries; a lost delayed wake-up only delays status
      }
    });
    this.timers.set(key, { at, h });
  }
}

/** creationTimestamp as ms (0 when absent), for upstream's "by creation timestamp" orderings. */
export function createdAt(o: KObj): number {
  const t = Date.parse(String(o.metadata.creationTimestamp ?? ''));
  return Number.isNaN(t) ? 0 : t;
}

/** Older first; ties by name, as upstream's ReplicaSetsByCreationTimestamp. */
export function byCreation(a: KObj, b: KObj): number {
  return createdAt(a) - createdAt(b) || a.metadata.name!.localeCompare(b.metadata.name!);
}

/** Events are best effort (client-go records them asynchronously): a refused event never fails a sync. */
export function bestEffort(rec: EventRecorder): Pick<EventRecorder, 'event'> {
  return {
    event(...args: Parameters<EventRecorder['event']>) {
      try {
        rec.event(...args);
      } catch {
        // e.g. the namespace is terminating
      }
    },
  };
}

/**
 * Keys for a pod event as a ReplicaSet-like controller sees it: the owners it had or has of
 * `kind`, and, for an orphan, every controller of `def` in its namespace whose selector matches
 * (it may be adopted).
 */
export function podEventKeys(client: LocalClient, def: ResourceDef, kind: string, ev: StoreEvent, matters: (old: KObj, cur: KObj) => boolean = () => true): string[] {
  if (ev.type === 'MODIFIED' && ev.old && !matters(ev.old, ev.object)) return [];
  const keys = new Set([...ownerKeys(ev.object, kind), ...ownerKeys(ev.old, kind)]);
  if (!controllerRef(ev.object) && ev.type !== 'DELETED') {
    for (const c of client.list(def, ev.object.metadata.namespace)) if (labelsMatch((c.spec as { selector?: unknown } | undefined)?.selector, ev.object.metadata.labels)) keys.add(keyOf(c));
  }
  return [...keys];
}

/**
 * Whether a pod update can change what a ReplicaSet's sync reads from it: which controller owns or
 * may adopt it (owner references, labels), whether it is active, and whether and since when it is
 * ready. Kubelet status writes that change none of these (container states, IPs, other conditions)
 * would only repeat the previous sync, so they are not worth a key; everything else a sync reads
 * (node, restarts, deletion cost) matters only when it deletes pods, which a change of the
 * ReplicaSet itself starts. Each relevant change still queues the sync, so nothing is missed.
 */
export function podUpdateMatters(old: KObj, cur: KObj): boolean {
  if (old.metadata.deletionTimestamp !== cur.metadata.deletionTimestamp || isPodActive(old) !== isPodActive(cur)) return true;
  if (!jsonEqual(old.metadata.labels, cur.metadata.labels) || !jsonEqual(old.metadata.ownerReferences, cur.metadata.ownerReferences)) return true;
  const a = podReadyCondition(old);
  const b = podReadyCondition(cur);
  if ((a?.status === 'True') !== (b?.status === 'True')) return true;
  return b?.status === 'True' && a?.lastTransitionTime !== b.lastTransitionTime;
}
