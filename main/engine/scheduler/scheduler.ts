// kube-scheduler: takes pending pods one at a time, runs the plugins (framework.ts) against a fresh
// view of the nodes, and binds the pod or reports why it cannot run (FailedScheduling event and a
// PodScheduled=False condition, in upstream's words).
//
// Like upstream's scheduling queue, a pod that fits nowhere is parked ("unschedulable") and only
// retried when something happens that could make it fit (a node added or changed in a way that
// matters, a bound pod deleted or finished), after a per-pod backoff of 1 s doubling to 10 s; pods
// parked for 5 minutes are retried anyway (checked every 30 s), so a FailedScheduling event's count
// grows as on a real cluster.
//
// It owns its work queue (an Agent rather than a plain Controller) because those delayed retries
// must add keys from timers, which the shared controller runner offers no hook for.
//
// The per-pod trace of filter/score results is kept in memory (`trace(ns, name)`) rather than in
// an annotation: an annotation write per attempt would bump the pod's resourceVersion, wake every
// watcher, and show learners a field no real cluster has. Only the most recent TRACE_LIMIT pods'
// traces are kept: one trace lists every node, and 10,000 pods on 100 nodes held ~230 MiB of them.
import { bindPod } from '../api/binding.js';
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import type { ResourceDef } from '../api/registry.js';
import { type Clock, isoTime, type TimerHandle } from '../clock.js';
import type { ComponentEnv } from '../components.js';
import { type Agent, keyOf, splitKey } from '../controllers/controller.js';
import { WorkQueue } from '../controllers/queue.js';
import type { EventRecorder } from '../events/recorder.js';
import type { Store } from '../store/store.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { type NodeTrace, schedulePod } from './framework.js';
import { NodePodsCache } from './cache.js';
import { isTerminal } from './resources.js';
import { PLUGINS } from './plugins.js';
import { Lru } from '../lru.js';
import { clientVolumeView, volumeBindingPlugin, volumePreBind, volumePreFilter } from './volumebinding.js';

const PODS = { group: '', resource: 'pods', namespaced: true };
const NODES = { group: '', resource: 'nodes', namespaced: false };
export const SCHEDULER_NAME = 'default-scheduler';

export interface SchedulerOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** how often parked pods are checked for the time-based retry */
  flushIntervalMs?: number;
  /** how long a pod stays parked before it is retried without any cluster event */
  maxUnschedulableMs?: number;
  /** how many pods' traces are kept (default TRACE_LIMIT) */
  traceLimit?: number;
}

export interface SchedulingTrace {
  namespace: string;
  name: string;
  uid: string;
  /** attempts so far (1 = first) */
  attempt: number;
  time: string;
  outcome: 'Scheduled' | 'Unschedulable' | 'Preempting';
  node?: string;
  message?: string;
  /** per node, in name order: the filter that rejected it, or its weighted scores */
  nodes: NodeTrace[];
  victims?: string[];
}

interface Parked {
  attempts: number;
  /** backoff ends */
  readyAt: number;
  /** last failed attempt */
  since: number;
  timer?: TimerHandle;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Event notes are limited to 1 kB upstream; the condition keeps the whole message. */
export function truncateNote(message: string, max = 1024): string {
  return message.length > max ? `${message.slice(0, max - 4)} ...` : message;
}

/** A pod this scheduler must place. */
export function needsScheduling(pod: KObj): boolean {
  const spec = obj(pod.spec);
  if (spec.nodeName || pod.metadata.deletionTimestamp || isTerminal(pod)) return false;
  if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length > 0) return false;
  return (spec.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const conditionStates = (n: KObj) => ((obj(n.status).conditions as Obj[] | undefined) ?? []).map((c) => `${String(c.type)}=${String(c.status)}`);

/** Node changes that can turn "fits nowhere" into "fits" (heartbeat-only updates are not among them). */
export function nodeChangeMatters(old: KObj, cur: KObj): boolean {
  return (
    !same(obj(old.spec).unschedulable, obj(cur.spec).unschedulable) ||
    !same(obj(old.spec).taints, obj(cur.spec).taints) ||
    !same(old.metadata.labels, cur.metadata.labels) ||
    !same(obj(old.status).allocatable, obj(cur.status).allocatable) ||
    !same(conditionStates(old), conditionStates(cur))
  );
}

/** how many pods' scheduling traces are kept (the most recently scheduled or attempted) */
export const TRACE_LIMIT = 1000;

export class Scheduler implements Agent {
  readonly name = SCHEDULER_NAME;
  readonly errors: Array<{ key: string; error: unknown }> = [];
  private readonly client: LocalClient;
  private readonly podsDef: ResourceDef;
  private readonly recorder: EventRecorder;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly opts: Required<SchedulerOptions>;
  private queue?: WorkQueue;
  private unsubscribe?: () => void;
  private flushTimer?: TimerHandle;
  private parked = new Map<string, Parked>();
  /** pod key → its latest trace, the most recently written `traceLimit` */
  private readonly traces: Lru<string, SchedulingTrace>;
  private cache = new NodePodsCache();

  constructor(env: Pick<ComponentEnv, 'store' | 'clock' | 'client' | 'recorder'>, opts: SchedulerOptions = {}) {
    this.store = env.store;
    this.clock = env.clock;
    this.client = env.client('kube-scheduler');
    this.recorder = env.recorder(this.client);
    this.podsDef = this.client.def('', 'pods');
    this.opts = { initialBackoffMs: 1000, maxBackoffMs: 10_000, flushIntervalMs: 30_000, maxUnschedulableMs: 300_000, traceLimit: TRACE_LIMIT, ...opts };
    this.traces = new Lru(this.opts.traceLimit);
  }

  start(): void {
    this.queue = new WorkQueue(this, this.clock, (key, error) => {
      this.errors.splice(0, Math.max(0, this.errors.length - 99));
      this.errors.push({ key, error });
    });
    this.unsubscribe = this.store.subscribe((ev) => {
      this.cache.apply(ev);
      this.keysFor(ev).forEach((k) => this.enqueue(k));
    });
    const pods = this.store.list(PODS);
    this.cache = new NodePodsCache(pods);
    for (const p of pods) if (needsScheduling(p)) this.enqueue(keyOf(p));
    this.armFlush();
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue?.stop();
    this.flushTimer?.cancel();
    for (const p of this.parked.values()) p.timer?.cancel();
    this.parked.clear();
  }

  /** The latest attempt's filter/score results for a pod (for lessons and the UI). */
  trace(namespace: string, name: string): SchedulingTrace | undefined {
    return this.traces.peek(`${namespace}/${name}`);
  }

  keysFor(ev: StoreEvent): string[] {
    // a claim or volume changing may let a pod waiting on storage go on (upstream's PVC/PV queueing hints)
    if (ev.resource === 'persistentvolumeclaims' || ev.resource === 'persistentvolumes' || ev.resource === 'storageclasses.storage.k8s.io') {
      this.activateParked();
      return [];
    }
    if (ev.resource === 'nodes') {
      if (ev.type === 'ADDED' || (ev.type === 'MODIFIED' && ev.old && nodeChangeMatters(ev.old, ev.object))) this.activateParked();
      return [];
    }
    if (ev.resource !== 'pods') return [];
    const pod = ev.object;
    const key = keyOf(pod);
    const bound = !!obj(pod.spec).nodeName;
    if (ev.type === 'DELETED') {
      this.forget(key);
      this.traces.delete(key);
      if (bound && !isTerminal(ev.old ?? pod)) this.activateParked();
      return [];
    }
    if (bound && ev.old && !isTerminal(ev.old) && isTerminal(pod)) this.activateParked();
    if (!needsScheduling(pod)) {
      this.forget(key);
      return [];
    }
    if (ev.type === 'ADDED' || !ev.old || !needsScheduling(ev.old)) return [key];
    // our own status writes must not retrigger; a user's change to what the pod asks for does
    const old = ev.old;
    const changed = !same(old.spec, pod.spec) || !same(old.metadata.labels, pod.metadata.labels) || !same(old.metadata.annotations, pod.metadata.annotations);
    return changed ? [key] : [];
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = this.client.get(this.podsDef, namespace, name);
    if (!pod || !needsScheduling(pod)) {
      this.forget(key);
      return;
    }
    const now = this.clock.now();
    const prior = this.parked.get(key);
    if (prior && now < prior.readyAt) {
      this.retryAt(key, prior);
      return;
    }
    const nodes = this.store.list(NODES);
    const volumes = clientVolumeView(this.client);
    const preFilterMsg = volumePreFilter(pod, volumes);
    const outcome = preFilterMsg
      ? {
          nodes: [],
          message: nodes.length
            ? `0/${nodes.length} nodes are available: ${preFilterMsg}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`
            : 'no nodes available to schedule pods',
        }
      : schedulePod(pod, this.cache.nodeInfos(nodes), new Map([...PLUGINS, ['VolumeBinding', volumeBindingPlugin(volumes)]]));
    const attempt = (prior?.attempts ?? 0) + 1;
    const base = { namespace: namespace!, name, uid: pod.metadata.uid!, attempt, time: isoTime(now), nodes: outcome.nodes };
    if (outcome.node) {
      this.traces.set(key, { ...base, outcome: 'Scheduled', node: outcome.node });
      // PreBind: claims are bound (or provisioned) for the chosen node first; the pod waits, parked without backoff
      const nodeObj = nodes.find((n) => n.metadata.name === outcome.node);
      if (nodeObj && !volumePreBind(pod, nodeObj, volumes, this.client)) {
        this.parked.set(key, { attempts: prior?.attempts ?? 0, readyAt: now, since: now });
        return;
      }
      this.forget(key);
      try {
        bindPod(this.client, namespace!, name, outcome.node, { uid: pod.metadata.uid });
      } catch (e) {
        // bound or deleted meanwhile: the pod's own event settles it
        if (e instanceof StatusError && (e.code === 409 || e.code === 404)) return;
        throw e;
      }
      this.emit(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${outcome.node}`);
      return;
    }
    const message = outcome.message!;
    let nominated: string | undefined;
    if (outcome.preemption) {
      nominated = outcome.preemption.node;
      for (const v of outcome.preemption.victims) this.evict(v, pod, nominated);
    }
    this.traces.set(key, {
      ...base,
      outcome: nominated ? 'Preempting' : 'Unschedulable',
      message,
      ...(outcome.preemption ? { node: nominated, victims: outcome.preemption.victims.map((v) => keyOf(v)) } : {}),
    });
    this.parked.set(key, { attempts: attempt, readyAt: now + this.backoff(attempt), since: now });
    const updated = this.markUnschedulable(pod, message, nominated);
    this.emit(updated, 'Warning', 'FailedScheduling', truncateNote(message));
  }

  private backoff(attempts: number): number {
    return Math.min(this.opts.initialBackoffMs * 2 ** (attempts - 1), this.opts.maxBackoffMs);
  }

  private enqueue(key: string): void {
    this.queue?.add(key);
  }

  private forget(key: string): void {
    this.parked.get(key)?.timer?.cancel();
    this.parked.delete(key);
  }

  /** something changed that may help: retry parked pods once their backoff is over */
  private activateParked(): void {
    for (const [key, p] of this.parked) this.retryAt(key, p);
  }

  private retryAt(key: string, p: Parked): void {
    const wait = p.readyAt - this.clock.now();
    if (wait <= 0) return this.enqueue(key);
    if (p.timer) return;
    p.timer = this.clock.after(wait, () => {
      p.timer = undefined;
      this.enqueue(key);
    });
  }

  private armFlush(): void {
    this.flushTimer = this.clock.after(this.opts.flushIntervalMs, () => {
      const now = this.clock.now();
      for (const [key, p] of this.parked) if (now - p.since >= this.opts.maxUnschedulableMs) this.retryAt(key, p);
      this.armFlush();
    });
  }

  /** PodScheduled=False/Unschedulable (+ nominatedNodeName); written only when something differs. */
  private markUnschedulable(pod: KObj, message: string, nominated: string | undefined): KObj {
    try {
      return this.client.modifyStatus(this.podsDef, pod.metadata.namespace, pod.metadata.name!, (p) => {
        if (p.metadata.uid !== pod.metadata.uid) return false;
        const status = (p.status ??= {}) as { conditions?: Obj[]; nominatedNodeName?: string };
        const conditions = (status.conditions ??= []);
        const i = conditions.findIndex((c) => c.type === 'PodScheduled');
        const prev = i >= 0 ? conditions[i] : undefined;
        const nnnChanged = nominated !== undefined && status.nominatedNodeName !== nominated;
        if (prev && prev.status === 'False' && prev.reason === 'Unschedulable' && prev.message === message && !nnnChanged) return false;
        const cond = {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: prev?.status === 'False' ? prev.lastTransitionTime : isoTime(this.clock.now()),
          reason: 'Unschedulable',
          message,
        };
        if (i >= 0) conditions[i] = cond;
        else conditions.push(cond);
        if (nominated !== undefined) status.nominatedNodeName = nominated;
      });
    } catch (e) {
      if (e instanceof StatusError && (e.code === 404 || e.code === 409)) return pod;
      throw e;
    }
  }

  /** DefaultPreemption's eviction: mark why (DisruptionTarget), tell the victim, delete it gracefully. */
  private evict(victim: KObj, preemptor: KObj, node: string): void {
    const ns = victim.metadata.namespace;
    const name = victim.metadata.name!;
    if (victim.metadata.deletionTimestamp) return;
    try {
      this.client.modifyStatus(this.podsDef, ns, name, (p) => {
        const status = (p.status ??= {}) as { conditions?: Obj[] };
        const conditions = (status.conditions ??= []).filter((c) => c.type !== 'DisruptionTarget');
        conditions.push({ type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: isoTime(this.clock.now()), reason: 'PreemptionByScheduler', message: `${SCHEDULER_NAME}: preempting to accommodate a higher priority pod` });
        status.conditions = conditions;
      });
      this.emit(victim, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata.uid} on node ${node}`);
      this.client.delete(this.podsDef, ns, name);
    } catch (e) {
      if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
    }
  }

  private emit(pod: KObj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    try {
      this.recorder.event(pod, type, reason, message, { component: SCHEDULER_NAME });
    } catch {
      // events are best effort (a terminating namespace refuses them), as with client-go's recorder
    }
  }
}
