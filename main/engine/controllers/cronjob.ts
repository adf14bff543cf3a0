// The CronJob controller (upstream pkg/controller/cronjob, the v2 controller): on the simulated
// clock, creates a Job named `<cronjob>-<scheduled time in minutes since the epoch>` for the most
// recent unmet schedule time, honouring suspend, startingDeadlineSeconds and concurrencyPolicy
// (Allow / Forbid / Replace); keeps status.active, lastScheduleTime and lastSuccessfulTime; prunes
// finished jobs beyond the history limits; and sleeps until the next activation.
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import { builtin } from '../api/registry.js';
import { isoTime } from '../clock.js';
import type { ComponentEnv } from '../components.js';
import type { EventRecorder } from '../events/recorder.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { keyOf, splitKey, type Controller } from './controller.js';
import { mostRecent, nextAfter, parseSchedule, type Schedule } from './cron-schedule.js';
import { jobFinished } from './job.js';
import { bestEffort, controllerRef, newControllerRef, ownerKeys, Requeue } from './workload-util.js';
import { cloneJson } from '../store/json.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CRONJOBS = builtin('batch', 'cronjobs');
const JOBS = builtin('batch', 'jobs');
const COMPONENT = { component: 'cronjob-controller' };
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** upstream's getJobName: the scheduled time in minutes keeps names stable across controller restarts */
export const jobNameFor = (cronJob: string, scheduled: number): string => `${cronJob}-${Math.floor(scheduled / 60_000)}`;

/** The Job a CronJob creates for one scheduled time. */
export function jobFromTemplate(cj: KObj, scheduled: number): KObj {
  const tpl = ((cj.spec as Json)?.jobTemplate ?? {}) as Json;
  const md = tpl.metadata ?? {};
  return {
    metadata: {
      name: jobNameFor(cj.metadata.name!, scheduled),
      namespace: cj.metadata.namespace,
      labels: { ...(md.labels ?? {}) },
      annotations: { ...(md.annotations ?? {}), [SCHEDULED_TIMESTAMP]: isoTime(scheduled).replace(/\.\d+Z$/, 'Z') },
      ownerReferences: [newControllerRef(cj)],
    },
    spec: cloneJson(tpl.spec ?? {}),
  };
}

const finishTime = (job: KObj): number => {
  const st = (job.status ?? {}) as Json;
  const c = ((st.conditions as Json[]) ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return Date.parse(String(st.completionTime ?? c?.lastTransitionTime ?? job.metadata.creationTimestamp ?? '')) || 0;
};

export class CronJobController implements Controller {
  readonly name = 'cronjob-controller';
  private client: LocalClient;
  private recorder: Pick<EventRecorder, 'event'>;
  private requeue: Requeue;

  constructor(private env: ComponentEnv) {
    this.client = env.client('kube-controller-manager');
    this.recorder = bestEffort(env.recorder(this.client));
    this.requeue = new Requeue(env.clock, (k) => this.reconcile(k));
  }

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === 'cronjobs.batch') return [keyOf(ev.object)];
    if (ev.resource !== 'jobs.batch') return [];
    return [...new Set([...ownerKeys(ev.object, 'CronJob'), ...ownerKeys(ev.old, 'CronJob')])];
  }

  initialKeys(): string[] {
    return this.client.list(CRONJOBS).map(keyOf);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const cj = this.client.get(CRONJOBS, namespace, name);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const spec = (cj.spec ?? {}) as Json;
    const old = (cj.status ?? {}) as Json;
    const status: Json = cloneJson(old);
    const now = this.env.clock.now();
    const owned = this.client.list(JOBS, namespace).filter((j) => controllerRef(j)?.uid === cj.metadata.uid);

    // status.active: drop jobs that finished or vanished, add running ones we own
    const activeRefs: Json[] = [];
    for (const ref of (old.active as Json[] | undefined) ?? []) {
      const job = owned.find((j) => j.metadata.uid === ref.uid);
      if (!job) continue;
      const done = jobFinished(job);
      if (!done) activeRefs.push(ref);
      else {
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, status: ${done}`, COMPONENT);
        if (done === 'Complete') {
          const t = finishTime(job);
          if (!status.lastSuccessfulTime || Date.parse(status.lastSuccessfulTime) < t) status.lastSuccessfulTime = isoTime(t).replace(/\.\d+Z$/, 'Z');
        }
      }
    }
    for (const job of owned) {
      if (!jobFinished(job) && !job.metadata.deletionTimestamp && !activeRefs.some((r) => r.uid === job.metadata.uid)) activeRefs.push(this.ref(job));
    }
    this.cleanupHistory(cj, owned);

    let next: number | undefined;
    if (spec.suspend !== true) {
      let schedule: Schedule | undefined;
      try {
        schedule = parseSchedule(String(spec.schedule ?? ''));
      } catch (e) {
        this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${(e as Error).message}`, COMPONENT);
      }
      if (schedule) next = this.schedule(cj, schedule, owned, activeRefs, status, now);
    }
    if (activeRefs.length) status.active = activeRefs;
    else delete status.active;
    if (JSON.stringify(status) !== JSON.stringify(old)) {
      this.client.modifyStatus(CRONJOBS, namespace, name, (o) => {
        o.status = status;
      });
    }
    if (next !== undefined) this.requeue.after(key, Math.max(1, next - now + 1));
  }

  /** Start the most recent unmet run if allowed; returns when to look again. */
  private schedule(cj: KObj, schedule: Schedule, owned: KObj[], activeRefs: Json[], status: Json, now: number): number | undefined {
    const spec = cj.spec as Json;
    const tz: string | undefined = spec.timeZone ?? undefined;
    const sds: number | undefined = typeof spec.startingDeadlineSeconds === 'number' ? spec.startingDeadlineSeconds : undefined;
    let earliest = Date.parse(String(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '')) || now;
    if (sds !== undefined) earliest = Math.max(earliest, now - sds * 1000);
    const next = nextAfter(schedule, now, tz);
    const { time, missed } = mostRecent(schedule, earliest, now, tz);
    if (time === undefined) return next;
    if (missed > 100) {
      this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', COMPONENT);
    }
    if (sds !== undefined && time + sds * 1000 < now) {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(time).toUTCString().replace('GMT', '+0000')}`, COMPONENT);
      return next;
    }
    const jobName = jobNameFor(cj.metadata.name!, time);
    if (owned.some((j) => j.metadata.name === jobName)) return next;
    const policy = spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && activeRefs.length) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid', COMPONENT);
      return next;
    }
    if (policy === 'Replace') {
      for (const ref of activeRefs.splice(0)) this.deleteJob(cj, ref.name);
    }
    let job: KObj;
    try {
      job = this.client.create(JOBS, jobFromTemplate(cj, time));
    } catch (e) {
      if (e instanceof StatusError && e.code === 409) return next;
      this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`, COMPONENT);
      throw e;
    }
    this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`, COMPONENT);
    activeRefs.push(this.ref(job));
    status.lastScheduleTime = isoTime(time).replace(/\.\d+Z$/, 'Z');
    return next;
  }

  private ref(job: KObj): Json {
    return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, namespace: job.metadata.namespace, resourceVersion: job.metadata.resourceVersion, uid: job.metadata.uid };
  }

  /** successfulJobsHistoryLimit / failedJobsHistoryLimit: delete the oldest finished jobs beyond them */
  private cleanupHistory(cj: KObj, owned: KObj[]): void {
    const spec = cj.spec as Json;
    const prune = (done: 'Complete' | 'Failed', limit: number | undefined) => {
      if (typeof limit !== 'number') return;
      const finished = owned.filter((j) => jobFinished(j) === done && !j.metadata.deletionTimestamp).sort((a, b) => finishTime(a) - finishTime(b) || a.metadata.name!.localeCompare(b.metadata.name!));
      for (const j of finished.slice(0, Math.max(0, finished.length - limit))) this.deleteJob(cj, j.metadata.name!);
    };
    prune('Complete', spec.successfulJobsHistoryLimit);
    prune('Failed', spec.failedJobsHistoryLimit);
  }

  private deleteJob(cj: KObj, name: string): void {
    try {
      this.client.delete(JOBS, cj.metadata.namespace, name, { propagationPolicy: 'Background' });
      this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`, COMPONENT);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
}
