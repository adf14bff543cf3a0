// The kubelet's own memory of a pod (sandbox, container instances, backoffs) and the pure function
// that turns it into the PodStatus upstream's status manager would post.
import { isoTime } from '../clock.js';
import type { TimerHandle } from '../clock.js';
import type { ContainerProcess, ExitInfo, ImageRef } from '../runtime/types.js';
import type { KObj } from '../store/types.js';

type Obj = Record<string, unknown>;

export type ContainerPhase = 'Waiting' | 'Pulling' | 'Pulled' | 'Created' | 'Running' | 'Exited';

export interface Instance {
  id: string; // 64 hex
  process: ContainerProcess;
  startedAt: number;
  exit?: ExitInfo;
}

export interface ContainerState {
  name: string;
  init: boolean;
  spec: Obj;
  phase: ContainerPhase;
  waiting?: { reason: string; message?: string };
  image?: ImageRef;
  pullDoneAt?: number;
  pullStartedAt?: number;
  /** next pull allowed at (image pull backoff) */
  pullRetryAt?: number;
  pullBackoff: number;
  /** next restart allowed at (crash loop backoff) */
  restartAt?: number;
  restartBackoff: number;
  /** retry of a CreateContainerConfigError / FailedMount */
  configRetryAt?: number;
  instances: Instance[];
  started: boolean;
  ready: boolean;
  probeTimers: TimerHandle[];
}

export interface PodState {
  key: string;
  uid: string;
  pod: KObj;
  mirror: boolean;
  sandboxIP?: string;
  sandboxReady: boolean;
  startTime: number;
  containers: ContainerState[];
  terminating?: { deadline: number; timer?: TimerHandle };
  step?: { name: string; timer: TimerHandle };
  /** status is no longer computed once the pod is finished */
  done: boolean;
}

export function newContainerState(spec: Obj, init: boolean): ContainerState {
  return { name: spec.name as string, init, spec, phase: 'Waiting', pullBackoff: 0, restartBackoff: 0, instances: [], started: false, ready: false, probeTimers: [] };
}

export const restartPolicy = (pod: KObj) => ((pod.spec as Obj).restartPolicy as string) ?? 'Always';

/** Whether an exited container will be started again under the pod's restartPolicy. */
export function wantsRestart(pod: KObj, c: ContainerState): boolean {
  const exit = c.instances.at(-1)?.exit;
  if (!exit) return false;
  const policy = restartPolicy(pod);
  if (c.init) return exit.exitCode !== 0 && policy !== 'Never';
  return policy === 'Always' || (policy === 'OnFailure' && exit.exitCode !== 0);
}

function terminated(i: Instance): Obj {
  const e = i.exit!;
  if (e.startError) return { containerID: `containerd://${i.id}`, exitCode: 128, finishedAt: isoTime(e.at), message: e.startError, reason: 'StartError', startedAt: '1970-01-01T00:00:00Z' };
  return { containerID: `containerd://${i.id}`, exitCode: e.exitCode, finishedAt: isoTime(e.at), reason: e.reason, startedAt: isoTime(i.startedAt) };
}

function defaultWaiting(ps: PodState, c: ContainerState): string {
  if (!c.init && ps.containers.some((x) => x.init) && !initialized(ps)) return 'PodInitializing';
  return c.init && ps.containers.find((x) => x.init) !== c && !c.instances.length ? 'PodInitializing' : 'ContainerCreating';
}

function containerStatus(ps: PodState, c: ContainerState, now: number): Obj {
  const cur = c.instances.at(-1);
  const prev = c.instances.at(-2);
  const spec = c.spec;
  const base: Obj = { name: c.name };
  let state: Obj;
  let lastState: Obj = {};
  if (c.phase === 'Running' && cur && !cur.exit) {
    state = { running: { startedAt: isoTime(cur.startedAt) } };
    if (prev?.exit) lastState = { terminated: terminated(prev) };
  } else if (c.phase === 'Exited' && cur?.exit && !(c.restartAt !== undefined && c.restartAt > now && c.waiting)) {
    state = { terminated: terminated(cur) };
    if (prev?.exit) lastState = { terminated: terminated(prev) };
  } else {
    const w = c.waiting ?? { reason: defaultWaiting(ps, c) };
    state = { waiting: w.message ? { message: w.message, reason: w.reason } : { reason: w.reason } };
    if (cur?.exit) lastState = { terminated: terminated(cur) };
  }
  const img = c.image;
  const idInst = c.phase === 'Running' || c.phase === 'Exited' ? cur : undefined;
  if (idInst) base.containerID = `containerd://${idInst.id}`;
  base.image = img && c.instances.length ? img.fullName : (spec.image as string);
  base.imageID = img && c.instances.length ? img.imageID : '';
  base.lastState = lastState;
  base.ready = c.phase === 'Running' && c.ready;
  base.restartCount = Math.max(0, c.instances.length - 1);
  base.started = c.phase === 'Running' && c.started;
  base.state = state;
  return base;
}

export function initialized(ps: PodState): boolean {
  return ps.containers.filter((c) => c.init).every((c) => c.instances.at(-1)?.exit?.exitCode === 0 && c.phase === 'Exited');
}

/** PodPhase as the kubelet derives it from container states. */
export function podPhase(ps: PodState): string {
  const policy = restartPolicy(ps.pod);
  const inits = ps.containers.filter((c) => c.init);
  if (inits.some((c) => c.phase === 'Exited' && c.instances.at(-1)!.exit!.exitCode !== 0 && policy === 'Never')) return 'Failed';
  if (!initialized(ps)) return 'Pending';
  const regular = ps.containers.filter((c) => !c.init);
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of regular) {
    if (c.phase === 'Running') running++;
    else if (c.phase === 'Exited' || c.instances.some((i) => i.exit)) {
      stopped++;
      if (c.instances.at(-1)?.exit?.exitCode === 0) succeeded++;
    } else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === regular.length) {
    if (policy === 'Always') return 'Running';
    if (policy === 'OnFailure') return succeeded === stopped ? 'Succeeded' : 'Running';
    return succeeded === stopped ? 'Succeeded' : 'Failed';
  }
  return 'Pending';
}

function condition(prev: Obj[], type: string, status: string, now: number, reason?: string, message?: string): Obj {
  const old = prev.find((c) => c.type === type);
  const lastTransitionTime = old && old.status === status ? old.lastTransitionTime : isoTime(now);
  const c: Obj = { lastProbeTime: null, lastTransitionTime, status, type };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** The status the kubelet posts for a pod it runs. */
export function podStatus(ps: PodState, hostIP: string, now: number): Obj {
  const prevStatus = (ps.pod.status as Obj) ?? {};
  const prevConds = (prevStatus.conditions as Obj[]) ?? [];
  const phase = podPhase(ps);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const regular = ps.containers.filter((c) => !c.init);
  const inits = ps.containers.filter((c) => c.init);
  const unready = regular.filter((c) => !(c.phase === 'Running' && c.ready)).map((c) => c.name);
  const incompleteInit = inits.filter((c) => !(c.phase === 'Exited' && c.instances.at(-1)?.exit?.exitCode === 0)).map((c) => c.name);
  const readyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const readyMsg = terminal ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const conditions: Obj[] = [
    condition(prevConds, 'PodReadyToStartContainers', ps.sandboxReady && !terminal ? 'True' : 'False', now),
    incompleteInit.length ? condition(prevConds, 'Initialized', 'False', now, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`) : condition(prevConds, 'Initialized', 'True', now, terminal && inits.length ? 'PodCompleted' : undefined),
    unready.length || terminal ? condition(prevConds, 'Ready', 'False', now, readyReason, readyMsg) : condition(prevConds, 'Ready', 'True', now),
    unready.length || terminal ? condition(prevConds, 'ContainersReady', 'False', now, readyReason, readyMsg) : condition(prevConds, 'ContainersReady', 'True', now),
    condition(prevConds, 'PodScheduled', 'True', now),
  ];
  const sched = prevConds.find((c) => c.type === 'PodScheduled' && c.status === 'True');
  if (sched) conditions[4] = sched;
  const status: Obj = { conditions, hostIP, hostIPs: [{ ip: hostIP }], phase };
  if (inits.length) status.initContainerStatuses = inits.map((c) => containerStatus(ps, c, now));
  status.containerStatuses = regular.map((c) => containerStatus(ps, c, now));
  if (ps.sandboxIP) {
    status.podIP = ps.sandboxIP;
    status.podIPs = [{ ip: ps.sandboxIP }];
  }
  if (prevStatus.qosClass) status.qosClass = prevStatus.qosClass;
  status.startTime = isoTime(ps.startTime);
  if (prevStatus.nominatedNodeName) status.nominatedNodeName = prevStatus.nominatedNodeName;
  return status;
}
