// The ReplicaSet controller (upstream pkg/controller/replicaset): keeps spec.replicas active pods
// that match the selector, adopting orphans and releasing pods it no longer selects, creating in
// slow-start batches and deleting the least valuable pods first; status counts what it sees.
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import { builtin } from '../api/registry.js';
import type { ComponentEnv } from '../components.js';
import type { EventRecorder } from '../events/recorder.js';
import type { IdSource } from '../ids.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { keyOf, splitKey, type Controller } from './controller.js';
import {
  bestEffort, claim, createdAt, isPodActive, isPodAvailable, isPodReady, labelsMatch, msUntilAvailable, newControllerRef, podEventKeys, podReadyCondition, podUpdateMatters, Requeue,
} from './workload-util.js';
import { claimCandidates, ownedBy, podIndex, type StoreIndex } from './store-index.js';
import { cloneJson } from '../store/json.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RS = builtin('apps', 'replicasets');
const PODS = builtin('', 'pods');
const COMPONENT = { component: 'replicaset-controller' };
/** upstream's burstReplicas: at most this many creations or deletions per sync */
export const BURST_REPLICAS = 500;

/** The pod a controller creates from its template (controller.GetPodFromTemplate). */
export function podFromTemplate(owner: KObj, template: Json, suffix: string, extraLabels: Record<string, string> = {}): KObj {
  const md = template.metadata ?? {};
  const pod: KObj = {
    metadata: {
      // the API names generateName objects after validation here, so the name is chosen up front
      name: `${owner.metadata.name}-${suffix}`,
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(md.labels ?? {}), ...extraLabels },
      ownerReferences: [newControllerRef(owner)],
    },
    spec: cloneJson(template.spec ?? {}),
  };
  if (md.annotations) pod.metadata.annotations = { ...md.annotations };
  if (md.finalizers) pod.metadata.finalizers = [...md.finalizers];
  return pod;
}

/** Create a generated-name pod; a name collision (409) retries with a new suffix, as the apiserver would. */
export function createPod(client: LocalClient, build: (suffix: string) => KObj, ids: IdSource): KObj {
  for (let attempt = 0; ; attempt++) {
    try {
      return client.create(PODS, build(ids.suffix(5)));
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409) || attempt >= 3) throw e;
    }
  }
}

/** slowStartBatch: 1, 2, 4… creations; stops after the first batch with a failure. */
export function slowStartBatch(count: number, fn: () => void): { created: number; error?: unknown } {
  let done = 0;
  for (let batch = Math.min(count, 1); done < count; batch = Math.min(2 * batch, count - done)) {
    let error: unknown;
    for (let i = 0; i < batch; i++) {
      try {
        fn();
        done++;
      } catch (e) {
        error ??= e;
      }
    }
    if (error !== undefined) return { created: done, error };
  }
  return { created: done };
}

const phaseRank = (p: KObj) => ({ Pending: 0, Unknown: 1, Running: 2 } as Record<string, number>)[(p.status as Json | undefined)?.phase ?? 'Pending'] ?? 0;
const restarts = (p: KObj) => (((p.status as Json | undefined)?.containerStatuses as Json[] | undefined) ?? []).reduce((n, c) => Math.max(n, c.restartCount ?? 0), 0);
const deletionCost = (p: KObj) => Number(p.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? 0) || 0;
const readySince = (p: KObj) => Date.parse(String(podReadyCondition(p)?.lastTransitionTime ?? '')) || 0;

/**
 * ActivePodsWithRanks ordering: the pods to delete first come first. Unscheduled < scheduled;
 * Pending < Unknown < Running; not ready < ready; lower deletion cost; more siblings on the same
 * node; ready for less time; more restarts; newer.
 */
export function rankForDeletion(pods: KObj[], related: KObj[]): KObj[] {
  const perNode = new Map<string, number>();
  for (const p of related) {
    const n = (p.spec as Json)?.nodeName;
    if (n && isPodActive(p)) perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  const rank = (p: KObj) => perNode.get((p.spec as Json)?.nodeName ?? '') ?? 0;
  const cmp = (a: KObj, b: KObj): number => {
    const sa = !!(a.spec as Json)?.nodeName, sb = !!(b.spec as Json)?.nodeName; // prettier-ignore
    if (sa !== sb) return sa ? 1 : -1;
    if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b);
    if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
    if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) - deletionCost(b);
    if (rank(a) !== rank(b)) return rank(b) - rank(a);
    if (isPodReady(a) && isPodReady(b) && readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
    return createdAt(b) - createdAt(a) || b.metadata.name!.localeCompare(a.metadata.name!);
  };
  return [...pods].sort(cmp);
}

/** calculateStatus (without observedGeneration/conditions). */
export function replicaSetCounts(rs: KObj, pods: KObj[], now: number): { replicas: number; fullyLabeledReplicas: number; readyReplicas: number; availableReplicas: number } {
  const tplLabels: Record<string, string> = (rs.spec as Json)?.template?.metadata?.labels ?? {};
  const minReady: number = (rs.spec as Json)?.minReadySeconds ?? 0;
  const want = Object.entries(tplLabels);
  let full = 0, ready = 0, available = 0; // prettier-ignore
  for (const p of pods) {
    if (want.every(([k, v]) => p.metadata.labels?.[k] === v)) full++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  return { replicas: pods.length, fullyLabeledReplicas: full, readyReplicas: ready, availableReplicas: available };
}

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset-controller';
  private client: LocalClient;
  private recorder: Pick<EventRecorder, 'event'>;
  private requeue: Requeue;
  private pods: StoreIndex;

  constructor(private env: ComponentEnv) {
    this.client = env.client('kube-controller-manager');
    this.recorder = bestEffort(env.recorder(this.client));
    this.requeue = new Requeue(env.clock, (k) => this.reconcile(k));
    this.pods = podIndex(env.store);
  }

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === 'replicasets.apps') return [keyOf(ev.object)];
    if (ev.resource !== 'pods') return [];
    // an orphan may be adopted by any ReplicaSet that selects it
    return podEventKeys(this.client, RS, 'ReplicaSet', ev, podUpdateMatters);
  }

  initialKeys(): string[] {
    return this.client.list(RS).map(keyOf);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const rs = this.client.get(RS, namespace, name);
    if (!rs) return;
    const spec = (rs.spec ?? {}) as Json;
    // pods another controller owns are never claimed, so only this ReplicaSet's pods and the
    // namespace's orphans are candidates: the index hands out just those (10 × 1,000 replicas in one
    // namespace made a namespace list per sync cost O(pods²))
    let pods = claim(this.client, PODS, rs, claimCandidates(this.pods, rs).filter(isPodActive), spec.selector);
    let manageError: unknown;
    let diff = 0;
    if (!rs.metadata.deletionTimestamp) {
      diff = pods.length - (spec.replicas ?? 1);
      manageError = this.manage(rs, pods, diff);
      // the pods it just created or deleted count in the status it writes now
      if (diff !== 0) pods = this.pods.list('owner', ownedBy(namespace, rs.metadata.uid)).filter(isPodActive);
    }
    this.writeStatus(rs, pods, manageError, diff);
    if (manageError !== undefined) throw manageError;
  }

  private manage(rs: KObj, pods: KObj[], diff: number): unknown {
    const spec = rs.spec as Json;
    if (diff < 0) {
      const r = slowStartBatch(Math.min(-diff, BURST_REPLICAS), () => {
        try {
          const pod = createPod(this.client, (suffix) => podFromTemplate(rs, spec.template ?? {}, suffix), this.env.ids);
          this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
        } catch (e) {
          this.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, COMPONENT);
          throw e;
        }
      });
      return r.error;
    }
    if (diff > 0) {
      const related = this.client.list(PODS, rs.metadata.namespace).filter((p) => labelsMatch(spec.selector, p.metadata.labels));
      let error: unknown;
      for (const pod of rankForDeletion(pods, related).slice(0, Math.min(diff, BURST_REPLICAS))) {
        try {
          this.client.delete(PODS, pod.metadata.namespace, pod.metadata.name!);
          this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
        } catch (e) {
          if (e instanceof StatusError && e.code === 404) continue;
          this.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`, COMPONENT);
          error ??= e;
        }
      }
      return error;
    }
    return undefined;
  }

  private writeStatus(rs: KObj, pods: KObj[], manageError: unknown, diff: number): void {
    const now = this.env.clock.now();
    const spec = rs.spec as Json;
    const old = (rs.status ?? {}) as Json;
    const counts = replicaSetCounts(rs, pods, now);
    const status: Json = { replicas: counts.replicas };
    for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) if (counts[k]) status[k] = counts[k];
    status.observedGeneration = rs.metadata.generation ?? 1;
    let conditions: Json[] = ((old.conditions as Json[] | undefined) ?? []).slice();
    const failure = conditions.find((c) => c.type === 'ReplicaFailure');
    if (manageError !== undefined && !failure) {
      const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
      conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: this.client.now(), reason, message: (manageError as Error).message });
    } else if (manageError === undefined && failure) conditions = conditions.filter((c) => c !== failure);
    if (conditions.length) status.conditions = conditions;
    if (JSON.stringify(status) !== JSON.stringify(old)) {
      this.client.modifyStatus(RS, rs.metadata.namespace, rs.metadata.name!, (o) => {
        o.status = status;
      });
    }
    // availability after minReadySeconds is a matter of time, not of an event
    const minReady: number = spec.minReadySeconds ?? 0;
    if (manageError !== undefined || !minReady) return;
    let wait = Infinity;
    for (const p of pods) wait = Math.min(wait, msUntilAvailable(p, minReady, now) ?? Infinity);
    if (wait !== Infinity) this.requeue.after(keyOf(rs), wait);
  }
}
