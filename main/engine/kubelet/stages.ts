// The pod lifecycle as data, in the manner of kwok's stages: each stage says which container state
// it applies to, how long the kubelet takes before acting (jittered, reproducible per pod) and what
// it does (state change + events). The worker picks the first stage that applies and writes the
// resulting status; everything time-driven (exits, probes, deletion) feeds back into this table.
import type { Clock } from '../clock.js';
import type { EventRecorder } from '../events/recorder.js';
import type { ContainerProcess, ContainerRuntime, ContainerRunSpec } from '../runtime/types.js';
import { quantityBytes, resolveEnv, resolveFiles, type Lookup } from './env.js';
import { fieldPath, hex64, msg, seededRandom } from './format.js';
import type { ContainerState, PodState } from './state.js';
import { wantsRestart } from './state.js';

type Obj = Record<string, unknown>;

/** What stages may use of their kubelet. */
export interface StageEnv {
  clock: Clock;
  runtime: ContainerRuntime;
  recorder: EventRecorder;
  nodeName: string;
  nodeIP: string;
  lookup: Lookup;
  /** images on this node, by the name written in specs and their full names */
  present: Set<string>;
  rememberImage(ref: { fullName: string; sizeBytes: number; imageID: string }, asWritten: string): void;
  allocateIP(): string;
  /** start a container process: the real runtime, or a stand-in for images the catalog lacks */
  start(ps: PodState, c: ContainerState, spec: ContainerRunSpec): ContainerProcess;
}

export const IMAGE_BACKOFF_INITIAL = 10_000;
export const IMAGE_BACKOFF_MAX = 300_000;
export const RESTART_BACKOFF_INITIAL = 10_000;
export const RESTART_BACKOFF_MAX = 300_000;
/** a container that ran this long has its crash-loop backoff forgotten */
export const RESTART_BACKOFF_RESET = 600_000;
const CONFIG_RETRY = 10_000;

export interface Stage {
  name: string;
  /** pod-level stages have no container */
  scope: 'pod' | 'container';
  applies(ps: PodState, c: ContainerState | undefined, now: number): boolean;
  /** [min, max] jitter in ms, plus any time the state itself says to wait */
  jitter: [number, number];
  waitUntil?(ps: PodState, c: ContainerState | undefined): number | undefined;
  run(env: StageEnv, ps: PodState, c: ContainerState | undefined): void;
  /**
   * After run: whether the kubelet's SyncPod carries straight on to the next step without a status
   * write. Upstream writes a pod's status once per sync, from what it saw when the sync began, and
   * one SyncPod creates the sandbox and pulls, creates and starts every app container: a fresh pod
   * goes Pending → ContainerCreating → Running (with its IP) in two writes, not one per step.
   */
  continues?(ps: PodState, c: ContainerState | undefined): boolean;
}

const ev = (env: StageEnv, ps: PodState, c: ContainerState, type: 'Normal' | 'Warning', reason: string, message: string) =>
  env.recorder.event(ps.pod, type, reason, message, { component: 'kubelet', host: env.nodeName }, fieldPath(c.name, c.init));

const pullPolicy = (c: ContainerState) => (c.spec.imagePullPolicy as string) ?? 'IfNotPresent';
const image = (c: ContainerState) => c.spec.image as string;

export const STAGES: Stage[] = [
  {
    name: 'sandbox',
    scope: 'pod',
    applies: (ps) => !ps.sandboxReady,
    jitter: [500, 1500],
    run(env, ps) {
      const hostNetwork = !!(ps.pod.spec as Obj).hostNetwork;
      ps.sandboxIP = hostNetwork ? env.nodeIP : env.allocateIP();
      ps.sandboxReady = true;
    },
    continues: () => true,
  },
  {
    name: 'pull',
    scope: 'container',
    applies: (_ps, c) => c!.phase === 'Waiting' && c!.waiting?.reason !== 'ErrImagePull' && c!.configRetryAt === undefined,
    jitter: [100, 400],
    waitUntil: (_ps, c) => c!.pullRetryAt,
    run(env, ps, c) {
      c = c!;
      pendingFailures.delete(c);
      const policy = pullPolicy(c);
      const present = env.present.has(image(c));
      if (policy === 'Never' && !present) {
        c.waiting = { reason: 'ErrImageNeverPull', message: msg.neverPull(image(c)) };
        ev(env, ps, c, 'Warning', 'ErrImageNeverPull', msg.neverPull(image(c)));
        c.pullRetryAt = env.clock.now() + CONFIG_RETRY;
        return;
      }
      const result = env.runtime.images.pull(image(c), env.present);
      if (present && policy !== 'Always' && result.ok) {
        c.image = result.ref;
        c.phase = 'Pulled';
        ev(env, ps, c, 'Normal', 'Pulled', msg.present(image(c)));
        return;
      }
      ev(env, ps, c, 'Normal', 'Pulling', msg.pulling(image(c)));
      const now = env.clock.now();
      c.pullStartedAt = now;
      if (!result.ok) {
        c.phase = 'Pulling';
        c.pullDoneAt = now + 500 + Math.floor(seededRandom(`${ps.uid}/${c.name}/pullfail/${c.pullBackoff}`) * 1500);
        pendingFailures.set(c, result.message);
        return;
      }
      c.image = result.ref;
      c.phase = 'Pulling';
      const d = result.durationMs || 300 + Math.floor(seededRandom(`${ps.uid}/${c.name}/repull`) * 700);
      c.pullDoneAt = now + d;
    },
    // a pull in progress blocks the sync (a failing one ends it when it fails, in `pulled`)
    continues: (_ps, c) => c!.phase === 'Pulling' || c!.phase === 'Pulled',
  },
  {
    name: 'pulled',
    scope: 'container',
    applies: (_ps, c) => c!.phase === 'Pulling',
    jitter: [0, 0],
    waitUntil: (_ps, c) => c!.pullDoneAt,
    run(env, ps, c) {
      c = c!;
      const failure = pendingFailures.get(c);
      pendingFailures.delete(c);
      if (failure !== undefined) {
        c.phase = 'Waiting';
        c.image = undefined;
        c.waiting = { reason: 'ErrImagePull', message: failure };
        ev(env, ps, c, 'Warning', 'Failed', msg.failedPull(image(c), failure));
        ev(env, ps, c, 'Warning', 'Failed', 'Error: ErrImagePull');
        c.pullBackoff = c.pullBackoff ? Math.min(c.pullBackoff * 2, IMAGE_BACKOFF_MAX) : IMAGE_BACKOFF_INITIAL;
        c.pullRetryAt = env.clock.now() + c.pullBackoff;
        return;
      }
      const took = env.clock.now() - (c.pullStartedAt ?? env.clock.now());
      env.rememberImage(c.image!, image(c));
      ev(env, ps, c, 'Normal', 'Pulled', msg.pulled(image(c), took, c.image!.sizeBytes));
      c.pullBackoff = 0;
      c.pullRetryAt = undefined;
      c.phase = 'Pulled';
    },
    continues: (_ps, c) => c!.phase === 'Pulled',
  },
  {
    // the next sync finds the image in backoff
    name: 'image-pull-backoff',
    scope: 'container',
    applies: (_ps, c) => c!.phase === 'Waiting' && c!.waiting?.reason === 'ErrImagePull',
    jitter: [800, 2000],
    run(env, ps, c) {
      c = c!;
      c.waiting = { reason: 'ImagePullBackOff', message: msg.backOffPull(image(c)) };
      ev(env, ps, c, 'Normal', 'BackOff', msg.backOffPull(image(c)));
      ev(env, ps, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
    },
  },
  {
    name: 'create',
    scope: 'container',
    applies: (_ps, c) => c!.phase === 'Pulled',
    jitter: [100, 400],
    waitUntil: (_ps, c) => c!.configRetryAt,
    run(env, ps, c) {
      c = c!;
      c.configRetryAt = undefined;
      const files = resolveFiles(ps.pod, c.spec, env.lookup);
      if (!files.ok) {
        env.recorder.event(ps.pod, 'Warning', 'FailedMount', files.message, { component: 'kubelet', host: env.nodeName });
        c.configRetryAt = env.clock.now() + CONFIG_RETRY;
        return;
      }
      const vars = resolveEnv(ps.pod, c.spec, env.lookup);
      if (!vars.ok) {
        c.waiting = { reason: 'CreateContainerConfigError', message: vars.message };
        ev(env, ps, c, 'Warning', 'Failed', `Error: ${vars.message}`);
        c.configRetryAt = env.clock.now() + CONFIG_RETRY;
        return;
      }
      c.phase = 'Created';
      c.waiting = undefined;
      runSpecs.set(c, {
        name: c.name,
        image: c.image!,
        command: c.spec.command as string[] | undefined,
        args: c.spec.args as string[] | undefined,
        env: vars.value,
        workingDir: c.spec.workingDir as string | undefined,
        memoryLimit: quantityBytes(((c.spec.resources as Obj | undefined)?.limits as Record<string, string> | undefined)?.memory),
        files: files.value,
        hostname: ((ps.pod.spec as Obj).hostname as string | undefined) ?? ((ps.pod.spec as Obj).hostNetwork ? env.nodeName : ps.pod.metadata.name!),
        podIP: ps.sandboxIP!,
        stdin: !!c.spec.stdin,
        stdinOnce: !!c.spec.stdinOnce,
        tty: !!c.spec.tty,
        pod: { namespace: ps.pod.metadata.namespace!, name: ps.pod.metadata.name!, labels: ps.pod.metadata.labels ?? {}, node: env.nodeName, hostNetwork: !!(ps.pod.spec as Obj).hostNetwork },
      });
      ev(env, ps, c, 'Normal', 'Created', msg.created(c.name));
    },
    continues: (_ps, c) => c!.phase === 'Created',
  },
  {
    name: 'start',
    scope: 'container',
    applies: (_ps, c) => c!.phase === 'Created',
    jitter: [50, 300],
    run(env, ps, c) {
      c = c!;
      const spec = runSpecs.get(c)!;
      runSpecs.delete(c);
      const process = env.start(ps, c, spec);
      const id = `${ps.uid}/${c.name}/${c.instances.length}`;
      c.instances.push({ id: containerId(id), process, startedAt: process.startedAt });
      c.phase = 'Running';
      c.waiting = undefined;
      c.restartAt = undefined;
      // PID 1 missing from the image: containerd refuses to start the task
      const startError = process.exited()?.startError;
      if (startError) ev(env, ps, c, 'Warning', 'Failed', `Error: ${startError}`);
      else ev(env, ps, c, 'Normal', 'Started', msg.started(c.name));
    },
    // an init container ends its sync; app containers are all started by the same one
    continues: (ps, c) => !c!.init && !c!.instances.at(-1)!.process.exited() && activeContainers(ps).some((o) => o !== c && startingUp(o)),
  },
  {
    name: 'restart',
    scope: 'container',
    applies: (ps, c) => c!.phase === 'Exited' && wantsRestart(ps.pod, c!),
    jitter: [300, 1200],
    waitUntil: (_ps, c) => c!.restartAt,
    run(_env, _ps, c) {
      c = c!;
      // back through image resolution, as the kubelet's SyncPod does for every new instance
      c.phase = 'Waiting';
      c.image = undefined;
    },
  },
];

/** A container on its way up in the current sync: pulling, pulled or created, or waiting with no error or backoff. */
const startingUp = (c: ContainerState) =>
  c.phase === 'Pulling' || c.phase === 'Pulled' || c.phase === 'Created' || (c.phase === 'Waiting' && !c.waiting && c.pullRetryAt === undefined && c.configRetryAt === undefined && !c.instances.length);

// per-container scratch between two stages of the same step
const pendingFailures = new WeakMap<ContainerState, string>();
const runSpecs = new WeakMap<ContainerState, ContainerRunSpec>();

const containerId = (seed: string) => hex64(`container/${seed}`);

/** After an exit: crash-loop backoff bookkeeping (10 s doubling to 5 min; first restart is immediate). */
export function onContainerExit(env: StageEnv, ps: PodState, c: ContainerState): void {
  const inst = c.instances.at(-1)!;
  c.phase = 'Exited';
  c.ready = false;
  c.started = false;
  if (inst.exit && inst.exit.at - inst.startedAt >= RESTART_BACKOFF_RESET) c.restartBackoff = 0;
  if (!wantsRestart(ps.pod, c)) return;
  const now = env.clock.now();
  if (c.restartBackoff === 0) {
    c.restartAt = now;
    c.waiting = undefined;
    c.restartBackoff = RESTART_BACKOFF_INITIAL;
    return;
  }
  c.restartAt = now + c.restartBackoff;
  c.waiting = { reason: 'CrashLoopBackOff', message: msg.crashLoop(c.restartBackoff, c.name, ps.pod) };
  ev(env, ps, c, 'Warning', 'BackOff', msg.backOffRestartEvent(c.name, ps.pod));
  c.restartBackoff = Math.min(c.restartBackoff * 2, RESTART_BACKOFF_MAX);
}

/** The containers a stage may act on now: the first unfinished init container, else all app containers. */
export function activeContainers(ps: PodState): ContainerState[] {
  for (const c of ps.containers) {
    if (!c.init) break;
    const done = c.phase === 'Exited' && c.instances.at(-1)?.exit?.exitCode === 0;
    if (!done) return [c];
  }
  return ps.containers.filter((c) => !c.init);
}

/** The stage due soonest among the pod-level stages and the active containers' stages. */
export function nextStage(ps: PodState, now: number): { stage: Stage; c?: ContainerState; due: number } | undefined {
  for (const s of STAGES.filter((x) => x.scope === 'pod')) if (s.applies(ps, undefined, now)) return { stage: s, due: now + stageDelay(s, ps, undefined, now) };
  let best: { stage: Stage; c?: ContainerState; due: number } | undefined;
  for (const c of activeContainers(ps)) {
    const s = STAGES.find((x) => x.scope === 'container' && x.applies(ps, c, now));
    if (!s) continue;
    const due = now + stageDelay(s, ps, c, now);
    if (!best || due < best.due) best = { stage: s, c, due };
  }
  return best;
}

export function stageDelay(s: Stage, ps: PodState, c: ContainerState | undefined, now: number): number {
  const [lo, hi] = s.jitter;
  const attempt = c ? `${c.instances.length}/${c.pullBackoff}` : '';
  const jitter = lo + Math.floor(seededRandom(`${ps.uid}/${c?.name ?? ''}/${s.name}/${attempt}`) * (hi - lo + 1));
  const until = s.waitUntil?.(ps, c);
  return Math.max(jitter, until !== undefined ? until - now : 0);
}

