// The Job controller (upstream pkg/controller/job): runs pods until `completions` succeed, at most
// `parallelism` at a time; counts failures against backoffLimit (pod failures with restartPolicy
// Never, container restarts with OnFailure) with the exponential re-creation delay; enforces
// activeDeadlineSeconds; adds the interim SuccessCriteriaMet / FailureTarget conditions, then
// Complete / Failed once no pod is still terminating (1.32 behaviour); deletes finished jobs after
// ttlSecondsAfterFinished (the TTL-after-finished controller's job, folded in here).
//
// Upstream tracks finished pods with a `batch.kubernetes.io/job-tracking` finalizer so counts
// survive pod deletion. Here the controller remembers which pods it has counted (by uid, per job);
// after an engine restart it trusts the stored counts and treats pods already finished as counted.
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import { builtin } from '../api/registry.js';
import { isoTime } from '../clock.js';
import type { ComponentEnv } from '../components.js';
import type { EventRecorder } from '../events/recorder.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { keyOf, splitKey, type Controller } from './controller.js';
import { createPod, podFromTemplate } from './replicaset.js';
import { bestEffort, byCreation, claim, isPodReady, ownerKeys, Requeue } from './workload-util.js';
import { claimCandidates, ownedBy, podIndex } from './store-index.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const JOBS = builtin('batch', 'jobs');
const PODS = builtin('', 'pods');
const COMPONENT = { component: 'job-controller' };

export const MSG_BACKOFF = 'Job has reached the specified backoff limit';
export const MSG_DEADLINE = 'Job was active longer than specified deadline';
export const MSG_COMPLETIONS = 'Reached expected number of succeeded pods';
/** pod re-creation delay after failures: 10 s doubling, at most 6 min (DefaultJobPodFailureBackOff/MaxJobPodFailureBackOff) */
export const FAILURE_BACKOFF_MS = 10_000;
export const MAX_FAILURE_BACKOFF_MS = 360_000;

const phase = (p: KObj): string | undefined => (p.status as Json | undefined)?.phase;
const finishedPhase = (p: KObj) => phase(p) === 'Succeeded' || phase(p) === 'Failed';

export function jobCondition(job: KObj, type: string): Json | undefined {
  return ((job.status as Json | undefined)?.conditions as Json[] | undefined)?.find((c) => c.type === type && c.status === 'True');
}

/** 'Complete' | 'Failed' once the job has its terminal condition */
export function jobFinished(job: KObj): 'Complete' | 'Failed' | undefined {
  if (jobCondition(job, 'Complete')) return 'Complete';
  if (jobCondition(job, 'Failed')) return 'Failed';
  return undefined;
}

function restartsOf(p: KObj): number {
  const st = (p.status ?? {}) as Json;
  return [...((st.initContainerStatuses as Json[]) ?? []), ...((st.containerStatuses as Json[]) ?? [])].reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

/** when a failed pod finished: its last container termination, else the pod's last condition change */
function finishedAt(p: KObj): number {
  const st = (p.status ?? {}) as Json;
  const times: number[] = [];
  for (const c of (st.containerStatuses as Json[]) ?? []) {
    const t = Date.parse(String(c.state?.terminated?.finishedAt ?? ''));
    if (!Number.isNaN(t)) times.push(t);
  }
  for (const c of (st.conditions as Json[]) ?? []) {
    const t = Date.parse(String(c.lastTransitionTime ?? ''));
    if (!Number.isNaN(t)) times.push(t);
  }
  return times.length ? Math.max(...times) : 0;
}

/** The delay before the next pod may be created after `failures` consecutive failures. */
export function failureBackoff(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(FAILURE_BACKOFF_MS * 2 ** (failures - 1), MAX_FAILURE_BACKOFF_MS);
}

function condition(type: string, reason: string, message: string, now: string): Json {
  return { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message };
}

export class JobController implements Controller {
  readonly name = 'job-controller';
  private client: LocalClient;
  private recorder: Pick<EventRecorder, 'event'>;
  private requeue: Requeue;
  /** job uid → uids of finished pods already in status.succeeded/failed */
  private counted = new Map<string, Set<string>>();

  constructor(private env: ComponentEnv) {
    this.client = env.client('kube-controller-manager');
    this.recorder = bestEffort(env.recorder(this.client));
    this.requeue = new Requeue(env.clock, (k) => this.reconcile(k));
  }

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === 'jobs.batch') return [keyOf(ev.object)];
    if (ev.resource !== 'pods') return [];
    return [...new Set([...ownerKeys(ev.object, 'Job'), ...ownerKeys(ev.old, 'Job')])];
  }

  initialKeys(): string[] {
    return this.client.list(JOBS).map(keyOf);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const job = this.client.get(JOBS, namespace, name);
    if (!job) return;
    const uid = job.metadata.uid!;
    if (job.metadata.deletionTimestamp) {
      this.counted.delete(uid);
      return;
    }
    const spec = (job.spec ?? {}) as Json;
    const old = (job.status ?? {}) as Json;
    const now = this.env.clock.now();
    const nowIso = isoTime(now);
    const index = podIndex(this.env.store);
    const pods = claim(this.client, PODS, job, claimCandidates(index, job), spec.selector);

    // count pods that finished since the last sync
    let counted = this.counted.get(uid);
    if (!counted) {
      counted = new Set(pods.filter((p) => finishedPhase(p)).map((p) => p.metadata.uid!));
      this.counted.set(uid, counted);
    }
    let succeeded: number = old.succeeded ?? 0;
    let failed: number = old.failed ?? 0;
    let newFailure = false;
    for (const p of pods) {
      if (counted.has(p.metadata.uid!)) continue;
      if (phase(p) === 'Succeeded') succeeded++;
      else if (phase(p) === 'Failed' || p.metadata.deletionTimestamp) {
        failed++;
        newFailure = true;
      } else continue;
      counted.add(p.metadata.uid!);
    }
    const active = pods.filter((p) => !finishedPhase(p) && !p.metadata.deletionTimestamp);
    let conditions: Json[] = ((old.conditions as Json[] | undefined) ?? []).map((c) => ({ ...c }));
    const has = (t: string) => conditions.some((c) => c.type === t && c.status === 'True');
    const status: Json = { ...old };
    let terminal: Json | undefined;

    if (!jobFinished(job)) {
      const suspended = spec.suspend === true;
      if (!status.startTime && !suspended) status.startTime = nowIso;
      const startMs = Date.parse(String(status.startTime ?? ''));
      const backoffLimit: number = spec.backoffLimit ?? 6;
      const onFailure = spec.template?.spec?.restartPolicy === 'OnFailure';
      const restarts = active.reduce((n, p) => n + restartsOf(p), 0);
      const pastOnFailure = onFailure && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
      const deadline = typeof spec.activeDeadlineSeconds === 'number' && !Number.isNaN(startMs) ? startMs + spec.activeDeadlineSeconds * 1000 : undefined;
      const completions: number | undefined = spec.completions;

      let failure: { reason: string; message: string } | undefined;
      const target = conditions.find((c) => c.type === 'FailureTarget' && c.status === 'True');
      if (target) failure = { reason: target.reason, message: target.message };
      else if (failed > backoffLimit || (newFailure || restarts > 0 ? pastOnFailure : false)) failure = { reason: 'BackoffLimitExceeded', message: MSG_BACKOFF };
      else if (deadline !== undefined && !suspended && now >= deadline) failure = { reason: 'DeadlineExceeded', message: MSG_DEADLINE };
      const complete = completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;

      if (failure) {
        if (!has('FailureTarget')) {
          conditions.push(condition('FailureTarget', failure.reason, failure.message, nowIso));
          this.recorder.event(job, 'Warning', failure.reason, failure.message, COMPONENT);
        }
        // OnFailure pods that ran out of restarts are failed pods too
        for (const p of active) {
          this.deletePod(job, p);
          if (!counted.has(p.metadata.uid!)) {
            counted.add(p.metadata.uid!);
            failed++;
          }
        }
        if (!has('Failed')) terminal = condition('Failed', failure.reason, failure.message, nowIso);
      } else if (complete || has('SuccessCriteriaMet')) {
        if (!has('SuccessCriteriaMet')) conditions.push(condition('SuccessCriteriaMet', 'CompletionsReached', MSG_COMPLETIONS, nowIso));
        for (const p of active) this.deletePod(job, p);
        if (!has('Complete')) terminal = condition('Complete', 'CompletionsReached', MSG_COMPLETIONS, nowIso);
      } else {
        this.manage(job, active, pods, suspended, succeeded, failed, now);
        if (deadline !== undefined && !suspended) this.requeue.after(keyOf(job), Math.max(0, deadline - now) + 1);
      }
      conditions = this.suspendCondition(conditions, suspended, nowIso);
    }

    const current = index.list('owner', ownedBy(namespace, uid));
    const nowActive = current.filter((p) => !finishedPhase(p) && !p.metadata.deletionTimestamp);
    for (const k of ['active', 'succeeded', 'failed']) delete status[k];
    if (nowActive.length) status.active = nowActive.length;
    if (succeeded) status.succeeded = succeeded;
    if (failed) status.failed = failed;
    status.terminating = current.filter((p) => !finishedPhase(p) && p.metadata.deletionTimestamp).length;
    // the terminal condition waits until no pod of the job is still running or terminating
    if (terminal && nowActive.length === 0 && status.terminating === 0) {
      conditions.push(terminal);
      if (terminal.type === 'Complete') {
        status.completionTime = nowIso;
        this.recorder.event(job, 'Normal', 'Completed', 'Job completed', COMPONENT);
      }
    }
    status.ready = nowActive.filter(isPodReady).length;
    status.uncountedTerminatedPods = {};
    if (conditions.length) status.conditions = conditions;
    if (JSON.stringify(status) !== JSON.stringify(old)) {
      this.client.modifyStatus(JOBS, namespace, name, (o) => {
        o.status = status;
      });
    }
    const after = this.client.get(JOBS, namespace, name);
    if (after) this.ttl(after, now);
  }

  /** create or delete pods towards the wanted number of active pods */
  private manage(job: KObj, active: KObj[], pods: KObj[], suspended: boolean, succeeded: number, failed: number, now: number): void {
    const spec = job.spec as Json;
    const parallelism: number = spec.parallelism ?? 1;
    const completions: number | undefined = spec.completions;
    let want: number;
    if (suspended) want = 0;
    else if (completions === undefined) want = succeeded > 0 ? Math.min(active.length, parallelism) : parallelism;
    else want = Math.max(0, Math.min(parallelism, completions - succeeded));
    if (active.length > want) {
      for (const p of [...active].sort(byCreation).reverse().slice(0, active.length - want)) this.deletePod(job, p);
      return;
    }
    if (active.length === want) return;
    if (failed > 0) {
      const lastFailure = Math.max(0, ...pods.filter((p) => phase(p) === 'Failed').map(finishedAt));
      const readyAt = lastFailure + failureBackoff(failed);
      if (lastFailure && now < readyAt) {
        this.requeue.after(keyOf(job), readyAt - now);
        return;
      }
    }
    for (let i = active.length; i < want; i++) {
      try {
        const pod = createPod(this.client, (suffix) => podFromTemplate(job, spec.template ?? {}, suffix), this.env.ids);
        this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
      } catch (e) {
        this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, COMPONENT);
        throw e;
      }
    }
  }

  private suspendCondition(conditions: Json[], suspended: boolean, now: string): Json[] {
    const i = conditions.findIndex((c) => c.type === 'Suspended');
    if (suspended && (i < 0 || conditions[i]!.status !== 'True')) {
      const c = condition('Suspended', 'JobSuspended', 'Job suspended', now);
      if (i < 0) return [...conditions, c];
      conditions[i] = c;
    } else if (!suspended && i >= 0 && conditions[i]!.status === 'True') {
      conditions[i] = { ...conditions[i], status: 'False', reason: 'JobResumed', message: 'Job resumed', lastProbeTime: now, lastTransitionTime: now };
    }
    return conditions;
  }

  private deletePod(job: KObj, p: KObj): void {
    try {
      this.client.delete(PODS, p.metadata.namespace, p.metadata.name!);
      this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, COMPONENT);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }

  /** ttlSecondsAfterFinished: delete (foreground) once the time after the terminal condition has passed */
  private ttl(job: KObj, now: number): void {
    const ttl = (job.spec as Json)?.ttlSecondsAfterFinished;
    const done = jobFinished(job);
    if (typeof ttl !== 'number' || !done || job.metadata.deletionTimestamp) return;
    const at = Date.parse(String(jobCondition(job, done)!.lastTransitionTime ?? '')) + ttl * 1000;
    if (now < at) {
      this.requeue.after(keyOf(job), at - now);
      return;
    }
    try {
      this.client.delete(JOBS, job.metadata.namespace, job.metadata.name!, { propagationPolicy: 'Foreground' });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
}
