// The StatefulSet controller (upstream pkg/controller/statefulset): stable pods `<set>-<ordinal>`
// with hostname/subdomain for the headless service and a PersistentVolumeClaim per
// volumeClaimTemplate (`<claim>-<set>-<ordinal>`, kept when pods go, as the default Retain
// retention policy does); OrderedReady creates one pod at a time once its predecessors are Running
// and Ready and removes the highest ordinal first, Parallel does both at once; RollingUpdate
// replaces pods from the highest ordinal down to the partition, one at a time, OnDelete only on
// deletion. Each template version is kept as a ControllerRevision (`<set>-<hash>`).
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import { builtin } from '../api/registry.js';
import type { ComponentEnv } from '../components.js';
import type { EventRecorder } from '../events/recorder.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { keyOf, splitKey, type Controller } from './controller.js';
import { computeHash } from './deployment-util.js';
import { bestEffort, claim, controllerRef, isPodAvailable, isPodReady, newControllerRef, ownerKeys, Requeue, msUntilAvailable } from './workload-util.js';
import { claimCandidates, ownedBy, podIndex } from './store-index.js';
import { cloneJson } from '../store/json.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STS = builtin('apps', 'statefulsets');
const PODS = builtin('', 'pods');
const PVCS = builtin('', 'persistentvolumeclaims');
const REVISIONS = builtin('apps', 'controllerrevisions');
const COMPONENT = { component: 'statefulset-controller' };
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

/** the ordinal of a pod named `<set>-<n>`, or undefined for a foreign name */
export function ordinalOf(setName: string, podName: string): number | undefined {
  if (!podName.startsWith(`${setName}-`)) return undefined;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : undefined;
}

export const claimName = (template: string, set: string, ordinal: number): string => `${template}-${set}-${ordinal}`;

/** The pod for one ordinal: template, identity labels, hostname/subdomain, claims as volumes. */
export function statefulPod(sts: KObj, ordinal: number, revision: string): KObj {
  const spec = sts.spec as Json;
  const tpl = spec.template ?? {};
  const name = `${sts.metadata.name}-${ordinal}`;
  const podSpec: Json = cloneJson(tpl.spec ?? {});
  const volumes: Json[] = (podSpec.volumes ??= []);
  for (const ct of (spec.volumeClaimTemplates as Json[] | undefined) ?? []) {
    const vol = { name: ct.metadata?.name, persistentVolumeClaim: { claimName: claimName(ct.metadata?.name, sts.metadata.name!, ordinal) } };
    const i = volumes.findIndex((v) => v.name === vol.name);
    if (i >= 0) volumes[i] = vol;
    else volumes.push(vol);
  }
  if (!volumes.length) delete podSpec.volumes;
  podSpec.hostname = name;
  if (spec.serviceName) podSpec.subdomain = spec.serviceName;
  const pod: KObj = {
    metadata: {
      name,
      namespace: sts.metadata.namespace,
      labels: { ...(tpl.metadata?.labels ?? {}), [REVISION_LABEL]: revision, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) },
      ownerReferences: [newControllerRef(sts)],
    },
    spec: podSpec,
  };
  if (tpl.metadata?.annotations) pod.metadata.annotations = { ...tpl.metadata.annotations };
  return pod;
}

/** A claim from a volumeClaimTemplate; it carries the set's selector labels so it can be found again. */
export function statefulClaim(sts: KObj, template: Json, ordinal: number): KObj {
  const spec = sts.spec as Json;
  const md = template.metadata ?? {};
  const claim: KObj = {
    metadata: {
      name: claimName(md.name, sts.metadata.name!, ordinal),
      namespace: sts.metadata.namespace,
      labels: { ...(md.labels ?? {}), ...(spec.selector?.matchLabels ?? {}) },
    },
    spec: cloneJson(template.spec ?? {}),
  };
  if (md.annotations) claim.metadata.annotations = { ...md.annotations };
  // the Delete retention policies make the claim go with the set (owner reference to the set)
  if (spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') claim.metadata.ownerReferences = [{ ...newControllerRef(sts), controller: true }];
  return claim;
}

const phase = (p: KObj): string | undefined => (p.status as Json | undefined)?.phase;
const runningAndReady = (p: KObj) => phase(p) === 'Running' && isPodReady(p) && !p.metadata.deletionTimestamp;

export class StatefulSetController implements Controller {
  readonly name = 'statefulset-controller';
  private client: LocalClient;
  private recorder: Pick<EventRecorder, 'event'>;
  private requeue: Requeue;

  constructor(private env: ComponentEnv) {
    this.client = env.client('kube-controller-manager');
    this.recorder = bestEffort(env.recorder(this.client));
    this.requeue = new Requeue(env.clock, (k) => this.reconcile(k));
  }

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === 'statefulsets.apps') return [keyOf(ev.object)];
    if (ev.resource !== 'pods') return [];
    return [...new Set([...ownerKeys(ev.object, 'StatefulSet'), ...ownerKeys(ev.old, 'StatefulSet')])];
  }

  initialKeys(): string[] {
    return this.client.list(STS).map(keyOf);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const sts = this.client.get(STS, namespace, name);
    if (!sts) return;
    const spec = (sts.spec ?? {}) as Json;
    const old = (sts.status ?? {}) as Json;
    const updateRevision = `${name}-${computeHash(spec.template)}`;
    const currentRevision: string = old.currentRevision ?? updateRevision;
    if (!sts.metadata.deletionTimestamp) this.ensureRevision(sts, updateRevision);
    const index = podIndex(this.env.store);
    let pods = claim(this.client, PODS, sts, claimCandidates(index, sts), spec.selector, (p) => ordinalOf(name, p.metadata.name!) !== undefined);
    if (!sts.metadata.deletionTimestamp) {
      this.manage(sts, pods, updateRevision);
      pods = index.list('owner', ownedBy(namespace, sts.metadata.uid));
    }
    this.writeStatus(sts, pods, currentRevision, updateRevision);
  }

  private manage(sts: KObj, pods: KObj[], revision: string): void {
    const spec = sts.spec as Json;
    const name = sts.metadata.name!;
    const replicas: number = spec.replicas ?? 1;
    const start: number = spec.ordinals?.start ?? 0;
    const parallel = spec.podManagementPolicy === 'Parallel';
    const byOrdinal = new Map<number, KObj>();
    for (const p of pods) byOrdinal.set(ordinalOf(name, p.metadata.name!)!, p);
    const wanted = (o: number) => o >= start && o < start + replicas;

    // failed or finished pods are deleted and then recreated with the same identity
    for (const p of pods) {
      if ((phase(p) === 'Failed' || phase(p) === 'Succeeded') && !p.metadata.deletionTimestamp) this.deletePod(sts, p);
    }
    for (let o = start; o < start + replicas; o++) {
      const p = byOrdinal.get(o);
      if (p) {
        if (p.metadata.deletionTimestamp || phase(p) === 'Failed' || phase(p) === 'Succeeded') {
          if (!parallel) return; // wait for it to be gone before going on
          continue;
        }
        if (!parallel && !runningAndReady(p)) return;
        continue;
      }
      this.createPod(sts, o, revision);
      if (!parallel) return;
    }
    // scale down: highest ordinal first; OrderedReady waits for each to be gone
    const condemned = [...byOrdinal.entries()].filter(([o]) => !wanted(o)).sort((a, b) => b[0] - a[0]);
    for (const [, p] of condemned) {
      if (p.metadata.deletionTimestamp) {
        if (!parallel) return;
        continue;
      }
      this.deletePod(sts, p);
      if (!parallel) return;
    }
    if (condemned.length) return;
    const strategy = spec.updateStrategy ?? {};
    if (strategy.type === 'OnDelete') return;
    // RollingUpdate: one pod at a time from the highest ordinal down to the partition, all others Ready
    const partition: number = strategy.rollingUpdate?.partition ?? 0;
    const live = [...byOrdinal.entries()].filter(([o]) => wanted(o)).sort((a, b) => b[0] - a[0]);
    if (live.some(([, p]) => !runningAndReady(p))) return;
    for (const [o, p] of live) {
      if (o < start + partition) break;
      if (p.metadata.labels?.[REVISION_LABEL] !== revision) {
        this.deletePod(sts, p);
        return;
      }
    }
  }

  private createPod(sts: KObj, ordinal: number, revision: string): void {
    const name = sts.metadata.name!;
    for (const ct of ((sts.spec as Json).volumeClaimTemplates as Json[] | undefined) ?? []) {
      const claimObj = statefulClaim(sts, ct, ordinal);
      if (this.client.get(PVCS, sts.metadata.namespace, claimObj.metadata.name!)) continue;
      const podName = `${name}-${ordinal}`;
      try {
        this.client.create(PVCS, claimObj);
        this.recorder.event(sts, 'Normal', 'SuccessfulCreate', `create Claim ${claimObj.metadata.name} Pod ${podName} in StatefulSet ${name} success`, COMPONENT);
      } catch (e) {
        if (e instanceof StatusError && e.code === 409) continue;
        this.recorder.event(sts, 'Warning', 'FailedCreate', `create Claim ${claimObj.metadata.name} for Pod ${podName} in StatefulSet ${name} failed error: ${(e as Error).message}`, COMPONENT);
        throw e;
      }
    }
    const pod = statefulPod(sts, ordinal, revision);
    try {
      this.client.create(PODS, pod);
      this.recorder.event(sts, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${name} successful`, COMPONENT);
    } catch (e) {
      if (e instanceof StatusError && e.code === 409) return;
      this.recorder.event(sts, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${name} failed error: ${(e as Error).message}`, COMPONENT);
      throw e;
    }
  }

  private deletePod(sts: KObj, p: KObj): void {
    try {
      this.client.delete(PODS, p.metadata.namespace, p.metadata.name!);
      this.recorder.event(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${sts.metadata.name} successful`, COMPONENT);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }

  /** one ControllerRevision per template version, numbered like `kubectl rollout history` shows */
  private ensureRevision(sts: KObj, revision: string): void {
    const ns = sts.metadata.namespace;
    const mine = this.client.list(REVISIONS, ns).filter((r) => controllerRef(r)?.uid === sts.metadata.uid);
    const max = Math.max(0, ...mine.map((r) => Number(r.revision) || 0));
    const existing = mine.find((r) => r.metadata.name === revision);
    if (existing) {
      if (Number(existing.revision) < max) this.client.modify(REVISIONS, ns, revision, (r) => void (r.revision = max + 1));
      return;
    }
    const tpl = (sts.spec as Json).template ?? {};
    try {
      this.client.create(REVISIONS, {
        metadata: { name: revision, namespace: ns, labels: { ...(tpl.metadata?.labels ?? {}), 'controller.kubernetes.io/hash': revision.slice(sts.metadata.name!.length + 1) }, ownerReferences: [newControllerRef(sts)] },
        data: { spec: { template: { ...cloneJson(tpl), $patch: 'replace' } } },
        revision: max + 1,
      } as KObj);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
    }
  }

  private writeStatus(sts: KObj, pods: KObj[], currentRevision: string, updateRevision: string): void {
    const spec = sts.spec as Json;
    const old = (sts.status ?? {}) as Json;
    const now = this.env.clock.now();
    const minReady: number = spec.minReadySeconds ?? 0;
    const live = pods.filter((p) => !p.metadata.deletionTimestamp);
    const count = (f: (p: KObj) => boolean) => live.filter(f).length;
    const replicas: number = spec.replicas ?? 1;
    const updated = count((p) => p.metadata.labels?.[REVISION_LABEL] === updateRevision);
    const ready = count(isPodReady);
    // the update is done when every wanted pod runs the new revision and is ready
    let current = currentRevision;
    let currentReplicas = count((p) => p.metadata.labels?.[REVISION_LABEL] === currentRevision);
    if (updated === replicas && ready === replicas && live.length === replicas) {
      current = updateRevision;
      currentReplicas = updated;
    }
    const status: Json = {
      observedGeneration: sts.metadata.generation ?? 1,
      replicas: live.length,
      currentReplicas,
      updatedReplicas: updated,
      currentRevision: current,
      updateRevision,
      collisionCount: 0,
      availableReplicas: count((p) => isPodAvailable(p, minReady, now)),
    };
    if (ready) status.readyReplicas = ready;
    if (!status.currentReplicas) delete status.currentReplicas;
    if (!status.updatedReplicas) delete status.updatedReplicas;
    if (JSON.stringify(status) !== JSON.stringify(old)) {
      this.client.modifyStatus(STS, sts.metadata.namespace, sts.metadata.name!, (o) => {
        o.status = status;
      });
    }
    const wait = live.map((p) => msUntilAvailable(p, minReady, now)).filter((x): x is number => x !== undefined);
    if (wait.length) this.requeue.after(keyOf(sts), Math.min(...wait));
  }
}
