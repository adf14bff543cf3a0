// The Deployment controller (upstream pkg/controller/deployment): one ReplicaSet per distinct pod
// template, rolled with RollingUpdate (maxSurge/maxUnavailable) or Recreate, proportional scaling
// mid-rollout, pause/resume, rollback by template (the old RS is reused), revision bookkeeping,
// history cleanup and the status/conditions `kubectl rollout status` waits on.
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import { builtin } from '../api/registry.js';
import type { ComponentEnv } from '../components.js';
import type { EventRecorder } from '../events/recorder.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { keyOf, splitKey, type Controller } from './controller.js';
import {
  bySizeNewer, bySizeOlder, byRevision, calculateStatus, compactStatus, computeHash, cond, DESIRED_REPLICAS, deploymentComplete, deploymentProgressing, deploymentTimedOut,
  findNewRS, getCondition, HASH_LABEL, maxSurge, maxUnavailable, newRSNewReplicas, proportion, removeCondition, replicasOf, REVISION, revisionOf, setCondition,
  setNewRSAnnotations, setReplicasAnnotations, specReplicaSum, templatesEqual, availableSum,
} from './deployment-util.js';
import { byCreation, claim, controllerRef, labelsMatch, newControllerRef, ownerKeys, Requeue, bestEffort } from './workload-util.js';
import { ownedBy, podIndex } from './store-index.js';
import { cloneJson } from '../store/json.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DEPLOY = builtin('apps', 'deployments');
const RS = builtin('apps', 'replicasets');
const COMPONENT = { component: 'deployment-controller' };

const isActive = (rs: KObj | undefined): rs is KObj => !!rs && replicasOf(rs) > 0;

export class DeploymentController implements Controller {
  readonly name = 'deployment-controller';
  private client: LocalClient;
  private recorder: Pick<EventRecorder, 'event'>;
  private requeue: Requeue;

  constructor(private env: ComponentEnv) {
    this.client = env.client('kube-controller-manager');
    this.recorder = bestEffort(env.recorder(this.client));
    this.requeue = new Requeue(env.clock, (k) => this.reconcile(k));
  }

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === 'deployments.apps') return [keyOf(ev.object)];
    if (ev.resource === 'replicasets.apps') {
      const keys = new Set([...ownerKeys(ev.object, 'Deployment'), ...ownerKeys(ev.old, 'Deployment')]);
      if (!controllerRef(ev.object) && ev.type !== 'DELETED') {
        for (const d of this.client.list(DEPLOY, ev.object.metadata.namespace)) if (labelsMatch((d.spec as Json)?.selector, ev.object.metadata.labels)) keys.add(keyOf(d));
      }
      return [...keys];
    }
    // Recreate waits for the old pods to be gone
    if (ev.resource === 'pods' && ev.type === 'DELETED') {
      const ref = controllerRef(ev.object);
      if (ref?.kind !== 'ReplicaSet') return [];
      return ownerKeys(this.client.get(RS, ev.object.metadata.namespace, ref.name), 'Deployment');
    }
    return [];
  }

  initialKeys(): string[] {
    return this.client.list(DEPLOY).map(keyOf);
  }

  private now(): string {
    return this.client.now();
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    let d = this.client.get(DEPLOY, namespace, name);
    if (!d) return;
    const spec = d.spec as Json;
    const sel = spec.selector as Json | undefined;
    if (!sel || Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions?.length ?? 0) === 0) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.', COMPONENT);
      if (((d.status as Json)?.observedGeneration ?? 0) < (d.metadata.generation ?? 1)) this.writeStatus(d, { ...(d.status as Json), observedGeneration: d.metadata.generation });
      return;
    }
    const rsList = claim(this.client, RS, d, this.client.list(RS, namespace), sel);
    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(d, rsList);
    d = this.checkPausedConditions(d);
    if ((d.spec as Json).paused) return this.sync(d, rsList);
    const scaling = this.isScalingEvent(d, rsList);
    d = scaling.d;
    if (scaling.yes) return this.sync(d, rsList);
    if ((d.spec as Json).strategy?.type === 'Recreate') return this.rolloutRecreate(d, rsList);
    return this.rolloutRolling(d, rsList);
  }

  // ---- new RS / revisions ----------------------------------------------------------------------

  /** getAllReplicaSetsAndSyncRevision: returns the new RS (created when asked) and the old ones. */
  private getAll(d: KObj, rsList: KObj[], create: boolean): { d: KObj; newRS?: KObj; oldRSs: KObj[] } {
    const found = findNewRS(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== found);
    const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
    if (found) {
      const rs = this.client.modify(RS, found.metadata.namespace, found.metadata.name!, (cur) => {
        const changed = setNewRSAnnotations(d, cur, newRevision, true);
        const mrs = (d.spec as Json).minReadySeconds;
        if (!changed && ((cur.spec as Json).minReadySeconds ?? 0) === (mrs ?? 0)) return false;
        if (mrs == null) delete (cur.spec as Json).minReadySeconds;
        else (cur.spec as Json).minReadySeconds = mrs;
      });
      const status = cloneJson((d.status ?? {}) as Json);
      let needs = this.setRevision(d, rs.metadata.annotations?.[REVISION]);
      if (!getCondition(status, 'Progressing')) {
        setCondition(status, cond('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${rs.metadata.name}"`, this.now()));
        needs = true;
      }
      if (needs) d = this.writeStatus(d, status);
      return { d, newRS: rs, oldRSs };
    }
    if (!create) return { d, oldRSs };

    const status = cloneJson((d.status ?? {}) as Json);
    const hash = computeHash((d.spec as Json).template, status.collisionCount);
    const template = cloneJson((d.spec as Json).template ?? {});
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
    const selector = cloneJson((d.spec as Json).selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
    const rsName = `${d.metadata.name}-${hash}`;
    const newRS: KObj = {
      metadata: { name: rsName, namespace: d.metadata.namespace, labels: { ...template.metadata.labels }, ownerReferences: [newControllerRef(d)] },
      spec: { replicas: 0, selector, template },
    };
    if ((d.spec as Json).minReadySeconds != null) (newRS.spec as Json).minReadySeconds = (d.spec as Json).minReadySeconds;
    (newRS.spec as Json).replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    setNewRSAnnotations(d, newRS, newRevision, false);
    let created: KObj;
    let alreadyExists = false;
    try {
      created = this.client.create(RS, newRS);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      if (e.code !== 409) {
        setCondition(status, cond('Progressing', 'False', 'ReplicaSetCreateError', `Failed to create new replica set "${rsName}": ${e.message}`, this.now()));
        this.writeStatus(d, status);
        this.recorder.event(d, 'Warning', 'FailedCreate', `Failed to create new replica set "${rsName}": ${e.message}`, COMPONENT);
        throw e;
      }
      const existing = this.client.get(RS, d.metadata.namespace, rsName);
      if (existing && controllerRef(existing)?.uid === d.metadata.uid && templatesEqual((existing.spec as Json).template, (d.spec as Json).template)) {
        created = existing;
        alreadyExists = true;
      } else {
        // a hash collision: the next name comes from a bumped collisionCount
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        this.writeStatus(d, status);
        throw e;
      }
    }
    if (!alreadyExists && replicasOf(created) > 0) {
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicasOf(created)}`, COMPONENT);
    }
    let needs = this.setRevision(d, String(newRevision));
    if (!alreadyExists && typeof (d.spec as Json).progressDeadlineSeconds === 'number') {
      setCondition(status, cond('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${created.metadata.name}"`, this.now()));
      needs = true;
    }
    if (needs) d = this.writeStatus(d, status);
    return { d, newRS: created, oldRSs };
  }

  /** SetDeploymentRevision: the Deployment's revision follows its new RS (written with the status). */
  private pendingRevision?: string;
  private setRevision(d: KObj, revision: string | undefined): boolean {
    if (revision === undefined || d.metadata.annotations?.[REVISION] === revision) return false;
    this.pendingRevision = revision;
    return true;
  }

  private writeStatus(d: KObj, status: Json): KObj {
    const rev = this.pendingRevision;
    this.pendingRevision = undefined;
    return this.client.modifyStatus(DEPLOY, d.metadata.namespace, d.metadata.name!, (o) => {
      o.status = compactStatus(status);
      if (rev !== undefined) o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [REVISION]: rev };
    });
  }

  // ---- scaling -------------------------------------------------------------------------------

  /** scaleReplicaSet: size and the desired/max annotations, read-modify-write so a stale copy never conflicts. */
  private scaleRS(d: KObj, rs: KObj, to: number, op?: string): KObj {
    let from = replicasOf(rs);
    const out = this.client.modify(RS, rs.metadata.namespace, rs.metadata.name!, (cur) => {
      from = replicasOf(cur);
      const annChange = setReplicasAnnotations(cur, replicasOf(d), replicasOf(d) + maxSurge(d));
      if (from === to && !annChange) return false;
      (cur.spec as Json).replicas = to;
    });
    if (from !== to) this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op ?? (to > from ? 'up' : 'down')} replica set ${rs.metadata.name} from ${from} to ${to}`, COMPONENT);
    return out;
  }

  private isScalingEvent(d: KObj, rsList: KObj[]): { yes: boolean; d: KObj } {
    const r = this.getAll(d, rsList, false);
    const yes = [...r.oldRSs, r.newRS].filter(isActive).some((rs) => {
      const want = rs.metadata.annotations?.[DESIRED_REPLICAS];
      return want !== undefined && Number(want) !== replicasOf(r.d);
    });
    return { yes, d: r.d };
  }

  /** sync: scaling and paused deployments, no rollout. */
  private sync(d0: KObj, rsList: KObj[]): void {
    const { d, newRS, oldRSs } = this.getAll(d0, rsList, false);
    this.scale(d, newRS, oldRSs);
    const fresh = this.fresh(newRS, oldRSs);
    if ((d.spec as Json).paused) this.cleanup(d, fresh.oldRSs);
    this.syncDeploymentStatus(d, [...fresh.oldRSs, ...(fresh.newRS ? [fresh.newRS] : [])], fresh.newRS);
  }

  private scale(d: KObj, newRS: KObj | undefined, oldRSs: KObj[]): void {
    const sorted = [...oldRSs].sort(byCreation).reverse();
    const active = [...sorted, newRS].filter(isActive);
    const activeOrLatest = active.length === 0 ? (newRS ?? sorted[0]) : active.length === 1 ? active[0] : undefined;
    if (activeOrLatest) {
      if (replicasOf(activeOrLatest) !== replicasOf(d)) this.scaleRS(d, activeOrLatest, replicasOf(d));
      return;
    }
    const saturated = newRS && Number(newRS.metadata.annotations?.[DESIRED_REPLICAS]) === replicasOf(d) && replicasOf(newRS) === replicasOf(d) && ((newRS.status as Json)?.availableReplicas ?? 0) === replicasOf(d);
    if (saturated) {
      for (const old of oldRSs.filter(isActive)) this.scaleRS(d, old, 0);
      return;
    }
    if ((d.spec as Json).strategy?.type === 'Recreate') return;
    const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
    const toAdd = allowed - specReplicaSum(active);
    const ordered = toAdd > 0 ? [...active].sort(bySizeNewer) : toAdd < 0 ? [...active].sort(bySizeOlder) : active;
    const op = toAdd > 0 ? 'up' : 'down';
    let added = 0;
    const size = new Map<KObj, number>();
    for (const rs of ordered) {
      const p = proportion(rs, d, toAdd, added);
      size.set(rs, replicasOf(rs) + p);
      added += p;
    }
    ordered.forEach((rs, i) => {
      if (i === 0 && toAdd !== 0) size.set(rs, Math.max(0, size.get(rs)! + toAdd - added));
      this.scaleRS(d, rs, size.get(rs)!, op);
    });
  }

  // ---- strategies ----------------------------------------------------------------------------

  private rolloutRolling(d0: KObj, rsList: KObj[]): void {
    const { d, newRS, oldRSs } = this.getAll(d0, rsList, true);
    const all = () => [...oldRSs, newRS!];
    if (this.reconcileNewRS(d, all(), newRS!)) return this.syncRolloutStatus(d);
    if (this.reconcileOldRSs(d, oldRSs, newRS!)) return this.syncRolloutStatus(d);
    const f = this.fresh(newRS, oldRSs);
    if (deploymentComplete(d, (this.current(d).d.status ?? {}) as Json)) this.cleanup(d, f.oldRSs);
    this.syncRolloutStatus(d);
  }

  private reconcileNewRS(d: KObj, allRSs: KObj[], newRS: KObj): boolean {
    const want = replicasOf(d);
    if (replicasOf(newRS) === want) return false;
    const to = replicasOf(newRS) > want ? want : newRSNewReplicas(d, allRSs, newRS);
    if (to === replicasOf(newRS)) return false;
    this.scaleRS(d, newRS, to);
    return true;
  }

  private reconcileOldRSs(d: KObj, oldRSs: KObj[], newRS: KObj): boolean {
    if (specReplicaSum(oldRSs) === 0) return false;
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const newUnavailable = replicasOf(newRS) - ((newRS.status as Json)?.availableReplicas ?? 0);
    const maxScaledDown = specReplicaSum([...oldRSs, newRS]) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    let total = 0;
    // first the old RSs' unhealthy replicas: they cost no availability
    const olds = oldRSs.filter(isActive).sort(byCreation);
    for (let i = 0; i < olds.length && total < maxScaledDown; i++) {
      const rs = olds[i]!;
      const unhealthy = replicasOf(rs) - ((rs.status as Json)?.availableReplicas ?? 0);
      if (unhealthy <= 0) continue;
      const n = Math.min(maxScaledDown - total, unhealthy);
      olds[i] = this.scaleRS(d, rs, replicasOf(rs) - n);
      total += n;
    }
    // then healthy ones, as far as minAvailable allows
    const available = availableSum([...oldRSs, newRS]);
    let budget = available - minAvailable;
    for (const rs of olds.sort(byCreation)) {
      if (budget <= 0) break;
      if (replicasOf(rs) === 0) continue;
      const n = Math.min(replicasOf(rs), budget);
      this.scaleRS(d, rs, replicasOf(rs) - n);
      budget -= n;
      total += n;
    }
    return total > 0;
  }

  private rolloutRecreate(d0: KObj, rsList: KObj[]): void {
    let { d, newRS, oldRSs } = this.getAll(d0, rsList, false);
    let scaledDown = false;
    for (const rs of oldRSs.filter(isActive)) {
      this.scaleRS(d, rs, 0);
      scaledDown = true;
    }
    if (scaledDown) return this.syncRolloutStatus(d);
    if (this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus(d);
    if (!newRS) ({ d, newRS, oldRSs } = this.getAll(d, this.client.list(RS, d.metadata.namespace).filter((rs) => controllerRef(rs)?.uid === d.metadata.uid), true));
    if (replicasOf(newRS) !== replicasOf(d)) this.scaleRS(d, newRS!, replicasOf(d));
    const f = this.fresh(newRS, oldRSs);
    if (deploymentComplete(d, (this.current(d).d.status ?? {}) as Json)) this.cleanup(d, f.oldRSs);
    this.syncRolloutStatus(d);
  }

  private oldPodsRunning(newRS: KObj | undefined, oldRSs: KObj[]): boolean {
    if (oldRSs.some((rs) => ((rs.status as Json)?.replicas ?? 0) > 0)) return true;
    const uids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    const ns = oldRSs[0]?.metadata.namespace;
    const owned = podIndex(this.env.store).listAny('owner', [...uids].map((uid) => ownedBy(ns, uid)));
    return oldRSs.length > 0 && owned.some((p) => {
      const ref = controllerRef(p);
      if (!ref || !uids.has(ref.uid) || ref.uid === newRS?.metadata.uid) return false;
      const phase = (p.status as Json)?.phase;
      return phase !== 'Failed' && phase !== 'Succeeded';
    });
  }

  /** cleanupDeployment: delete the oldest RSs beyond revisionHistoryLimit that are fully scaled down. */
  private cleanup(d: KObj, oldRSs: KObj[]): void {
    const limit = (d.spec as Json).revisionHistoryLimit;
    if (typeof limit !== 'number') return;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const diff = alive.length - limit;
    for (let i = 0; i < diff; i++) {
      const rs = alive[i]!;
      if (((rs.status as Json)?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 1) > ((rs.status as Json)?.observedGeneration ?? 0)) continue;
      this.client.deleteIfExists(RS, rs.metadata.namespace, rs.metadata.name!);
    }
  }

  // ---- status --------------------------------------------------------------------------------

  /** re-read the RSs after scaling (this store is synchronous, so what we wrote is what we see) */
  private fresh(newRS: KObj | undefined, oldRSs: KObj[]): { newRS?: KObj; oldRSs: KObj[] } {
    const get = (rs: KObj) => this.client.get(RS, rs.metadata.namespace, rs.metadata.name!);
    return { newRS: newRS && get(newRS), oldRSs: oldRSs.map(get).filter((x): x is KObj => !!x) };
  }

  private current(d: KObj): { d: KObj; newRS?: KObj; all: KObj[] } {
    const cur = this.client.get(DEPLOY, d.metadata.namespace, d.metadata.name!) ?? d;
    const rss = this.client.list(RS, d.metadata.namespace).filter((rs) => controllerRef(rs)?.uid === d.metadata.uid);
    return { d: cur, newRS: findNewRS(cur, rss), all: rss };
  }

  private syncStatusOnly(d0: KObj, rsList: KObj[]): void {
    const { d, newRS, oldRSs } = this.getAll(d0, rsList, false);
    this.syncDeploymentStatus(d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }

  private syncDeploymentStatus(d: KObj, all: KObj[], newRS: KObj | undefined): void {
    const status = compactStatus(calculateStatus(d, all, newRS, this.now()));
    if (JSON.stringify(status) !== JSON.stringify(d.status ?? {})) this.writeStatus(d, status);
  }

  private syncRolloutStatus(d0: KObj): void {
    const { d, newRS, all } = this.current(d0);
    const now = this.env.clock.now();
    const status = calculateStatus(d, all, newRS, this.now());
    const pds = (d.spec as Json).progressDeadlineSeconds;
    if (typeof pds !== 'number') removeCondition(status, 'Progressing');
    const current = getCondition((d.status ?? {}) as Json, 'Progressing');
    const complete = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
    const rsName = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (typeof pds === 'number' && !complete) {
      if (deploymentComplete(d, status)) {
        setCondition(status, cond('Progressing', 'True', 'NewReplicaSetAvailable', `${rsName} has successfully progressed.`, this.now()));
      } else if (deploymentProgressing(d, status)) {
        const c = cond('Progressing', 'True', 'ReplicaSetUpdated', `${rsName} is progressing.`, this.now());
        if (current) {
          if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
          removeCondition(status, 'Progressing');
        }
        setCondition(status, c);
      } else if (deploymentTimedOut(d, status, now)) {
        setCondition(status, cond('Progressing', 'False', 'ProgressDeadlineExceeded', `${rsName} has timed out progressing.`, this.now()));
      }
    }
    const failure = all.map((rs) => ((rs.status as Json)?.conditions as Json[] | undefined)?.find((c) => c.type === 'ReplicaFailure')).find(Boolean);
    if (failure) setCondition(status, cond('ReplicaFailure', failure.status, failure.reason, failure.message, this.now()));
    else removeCondition(status, 'ReplicaFailure');
    const out = compactStatus(status);
    if (JSON.stringify(out) !== JSON.stringify(d.status ?? {})) this.writeStatus(d, out);
    else this.requeueStuck(d, out, now);
  }

  /** requeueStuckDeployment: wake up when the progress deadline would pass. */
  private requeueStuck(d: KObj, s: Json, now: number): void {
    const c = getCondition(s, 'Progressing');
    const pds = (d.spec as Json).progressDeadlineSeconds;
    if (typeof pds !== 'number' || !c || c.reason === 'NewReplicaSetAvailable' || c.reason === 'ProgressDeadlineExceeded') return;
    const after = Date.parse(c.lastUpdateTime) + pds * 1000 - now;
    this.requeue.after(keyOf(d), Math.max(1000, after + 1000));
  }

  /** Progressing is Unknown/DeploymentPaused while paused, Unknown/DeploymentResumed after. */
  private checkPausedConditions(d: KObj): KObj {
    if (typeof (d.spec as Json).progressDeadlineSeconds !== 'number') return d;
    const status = cloneJson((d.status ?? {}) as Json);
    const c = getCondition(status, 'Progressing');
    if (c?.reason === 'ProgressDeadlineExceeded') return d;
    const pausedCond = c?.reason === 'DeploymentPaused';
    const paused = !!(d.spec as Json).paused;
    if (paused && !pausedCond) setCondition(status, cond('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', this.now()));
    else if (!paused && pausedCond) setCondition(status, cond('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', this.now()));
    else return d;
    return this.writeStatus(d, status);
  }
}
