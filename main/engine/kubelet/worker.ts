// The pods one kubelet runs: creates the kubelet's state for a pod it sees, drives it through the
// stage table, reacts to exits and probes, terminates gracefully on deletion, and posts status.

import type { KObj } from '../store/types.js';
import { fieldPath, msg } from './format.js';
import type { Kubelet } from './kubelet.js';
import { startProbes } from './probes.js';
import { nextStage, onContainerExit, type StageEnv } from './stages.js';
import { newContainerState, podStatus, type ContainerState, type PodState } from './state.js';

type Obj = Record<string, unknown>;

export class PodWorkers {
  private pods = new Map<string, PodState>();
  /** exits that happened while the kubelet was stopped, handled when it starts again */
  private deferred: Array<() => void> = [];

  constructor(
    private k: Kubelet,
    readonly env: StageEnv,
  ) {}

  has(key: string): boolean {
    return this.pods.has(key);
  }
  get(key: string): PodState | undefined {
    return this.pods.get(key);
  }
  all(): PodState[] {
    return [...this.pods.values()];
  }

  /** kubelet stopped: nothing moves; containers keep running */
  freeze(): void {
    for (const ps of this.pods.values()) {
      ps.step?.timer.cancel();
      ps.step = undefined;
      ps.terminating?.timer?.cancel();
    }
  }

  resume(): void {
    const d = this.deferred;
    this.deferred = [];
    for (const fn of d) fn();
    for (const ps of this.pods.values()) if (ps.terminating) ps.terminating = undefined; // re-armed by the next sync
  }

  sync(key: string, pod: KObj | undefined): void {
    let ps = this.pods.get(key);
    if (!pod) {
      if (ps && !ps.mirror) this.teardown(ps);
      return;
    }
    if (ps && ps.uid !== pod.metadata.uid) {
      if (ps.mirror && this.k.isMirror(pod)) ps.uid = pod.metadata.uid!;
      else {
        this.teardown(ps);
        ps = undefined;
      }
    }
    if (!ps) ps = this.adopt(key, pod);
    ps.pod = pod;
    if (!pod.metadata.deletionTimestamp) this.applySpecChanges(ps);
    if (pod.metadata.deletionTimestamp) {
      if (ps.mirror) {
        // a static pod outlives its mirror: drop the object, the next sync creates it again
        this.k.deletePodNow(pod);
        return;
      }
      this.terminate(ps);
      return;
    }
    if (ps.done) return;
    this.post(ps);
    this.schedule(ps);
  }

  /** a pod's container images may be changed in place (`kubectl set image pod/…`): restart with the new one */
  private applySpecChanges(ps: PodState): void {
    const spec = ps.pod.spec as Obj;
    const all = [...((spec.initContainers as Obj[]) ?? []), ...((spec.containers as Obj[]) ?? [])];
    for (const c of ps.containers) {
      const next = all.find((x) => x.name === c.name);
      if (!next || next.image === c.spec.image) continue;
      c.spec = next;
      const cur = c.instances.at(-1);
      if (c.phase === 'Running' && cur && !cur.exit) {
        this.event(ps, c, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`);
        this.stopInstance(ps, cur.process, undefined);
      } else if (c.phase === 'Waiting' || c.phase === 'Pulled' || c.phase === 'Created' || c.phase === 'Pulling') {
        c.phase = 'Waiting';
        c.image = undefined;
        c.waiting = undefined;
        c.pullBackoff = 0;
        c.pullRetryAt = undefined;
        c.configRetryAt = undefined;
        ps.step?.timer.cancel();
        ps.step = undefined;
      }
    }
  }

  private adopt(key: string, pod: KObj): PodState {
    const spec = pod.spec as Obj;
    const status = (pod.status as Obj) ?? {};
    const phase = status.phase as string | undefined;
    const ps: PodState = {
      key,
      uid: pod.metadata.uid!,
      pod,
      mirror: this.k.isMirror(pod),
      sandboxReady: false,
      startTime: status.startTime ? Date.parse(status.startTime as string) : this.k.clock.now(),
      containers: [...((spec.initContainers as Obj[]) ?? []).map((c) => newContainerState(c, true)), ...((spec.containers as Obj[]) ?? []).map((c) => newContainerState(c, false))],
      // a pod that finished before this kubelet started is left as it is
      done: phase === 'Succeeded' || phase === 'Failed',
    };
    this.k.claimIP(status.podIP as string | undefined);
    this.pods.set(key, ps);
    return ps;
  }

  private teardown(ps: PodState): void {
    ps.step?.timer.cancel();
    ps.terminating?.timer?.cancel();
    for (const c of ps.containers) {
      c.probeTimers.forEach((t) => t.cancel());
      const cur = c.instances.at(-1);
      if (cur && !cur.exit) cur.process.kill();
    }
    if (!(ps.pod.spec as Obj).hostNetwork) this.k.claimIP(ps.sandboxIP, true);
    this.pods.delete(ps.key);
  }

  post(ps: PodState): void {
    if (!this.k.running) return;
    const status = podStatus(ps, this.k.plan.internalIP, this.k.clock.now());
    if (ps.terminating && ps.containers.every((c) => c.phase !== 'Running')) {
      const ok = ps.containers.filter((c) => !c.init).every((c) => !c.instances.length || c.instances.at(-1)!.exit?.exitCode === 0);
      status.phase = ok ? 'Succeeded' : 'Failed';
    }
    const written = this.k.writePodStatus(ps.pod, status);
    if (written) ps.pod = written;
  }

  private schedule(ps: PodState): void {
    if (!this.k.running || ps.done || ps.terminating) return;
    const now = this.k.clock.now();
    const next = nextStage(ps, now);
    if (!next) {
      ps.step?.timer.cancel();
      ps.step = undefined;
      return;
    }
    const id = `${next.stage.name}/${next.c?.name ?? ''}`;
    if (ps.step?.name === id) return;
    ps.step?.timer.cancel();
    const stage = next.stage;
    const c = next.c;
    ps.step = {
      name: id,
      timer: this.k.clock.after(next.due - now, () => {
        ps.step = undefined;
        if (!this.k.running || ps.terminating || this.pods.get(ps.key) !== ps) return;
        let carriesOn = false;
        const now = this.k.clock.now();
        if (stage.applies(ps, c, now)) {
          stage.run(this.env, ps, c);
          if (stage.name === 'start' && c) this.watch(ps, c);
          carriesOn = !!stage.continues?.(ps, c) && nextStage(ps, now) !== undefined;
        }
        if (!carriesOn) this.post(ps);
        this.schedule(ps);
      }),
    };
  }

  /** follow a freshly started instance: its exit and its probes */
  private watch(ps: PodState, c: ContainerState): void {
    const inst = c.instances.at(-1)!;
    const onExit = () => {
      c.probeTimers.forEach((t) => t.cancel());
      c.probeTimers = [];
      if (this.pods.get(ps.key) !== ps || c.instances.at(-1) !== inst) return;
      if (ps.terminating) {
        c.phase = 'Exited';
        c.ready = false;
        this.finishIfStopped(ps);
        return;
      }
      onContainerExit(this.env, ps, c);
      this.post(ps);
      this.schedule(ps);
    };
    c.probeTimers = startProbes(
      this.k.clock,
      { container: c.spec, process: inst.process, ip: ps.sandboxIP ?? this.k.plan.internalIP, setStarted: (v) => (c.started = v), setReady: (v) => (c.ready = v) },
      {
        changed: () => this.k.running && this.post(ps),
        unhealthy: (kind, detail) => this.k.running && this.event(ps, c, 'Warning', 'Unhealthy', msg.unhealthy(kind, detail)),
        failed: (kind, grace) => {
          if (!this.k.running) return;
          this.event(ps, c, 'Normal', 'Killing', msg.probeKill(c.name, kind === 'Liveness' ? 'liveness' : 'startup'));
          this.stopInstance(ps, inst.process, grace);
        },
      },
    );
    // the runtime may call back at once for a process that already finished
    queueMicrotask(() =>
      inst.process.onExit((exit) => {
        inst.exit = exit;
        if (this.k.running) onExit();
        else this.deferred.push(onExit);
      }),
    );
  }

  private event(ps: PodState, c: ContainerState, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.k.recorder.event(ps.pod, type, reason, message, { component: 'kubelet', host: this.k.plan.name }, fieldPath(c.name, c.init));
  }

  private stopInstance(ps: PodState, process: { terminate(): void; kill(): void; exited(): unknown }, grace: number | undefined): void {
    const seconds = grace ?? ps.pod.metadata.deletionGracePeriodSeconds ?? ((ps.pod.spec as Obj).terminationGracePeriodSeconds as number | undefined) ?? 30;
    process.terminate();
    if (!process.exited()) {
      this.k.clock.after(seconds * 1000, () => {
        if (!process.exited()) process.kill();
      });
    }
  }

  /** deletionTimestamp set: SIGTERM every container, SIGKILL at the end of the grace period, then remove the pod */
  private terminate(ps: PodState): void {
    if (ps.terminating || !this.k.running) return;
    ps.step?.timer.cancel();
    ps.step = undefined;
    const now = this.k.clock.now();
    const grace = ps.pod.metadata.deletionGracePeriodSeconds ?? ((ps.pod.spec as Obj).terminationGracePeriodSeconds as number | undefined) ?? 30;
    ps.terminating = { deadline: now + grace * 1000 };
    const running = ps.containers.filter((c) => c.phase === 'Running' && !c.instances.at(-1)?.exit);
    for (const c of running) {
      c.probeTimers.forEach((t) => t.cancel());
      this.event(ps, c, 'Normal', 'Killing', msg.stopping(c.name));
    }
    for (const c of running) c.instances.at(-1)!.process.terminate();
    ps.terminating.timer = this.k.clock.after(grace * 1000, () => {
      for (const c of ps.containers) {
        const cur = c.instances.at(-1);
        if (c.phase === 'Running' && cur && !cur.exit) cur.process.kill();
      }
    });
    // containers that were never started are simply dropped
    for (const c of ps.containers) if (c.phase !== 'Running') c.waiting = c.instances.length ? undefined : c.waiting;
    this.finishIfStopped(ps);
  }

  private finishIfStopped(ps: PodState): void {
    if (!ps.terminating || ps.containers.some((c) => c.phase === 'Running' && !c.instances.at(-1)?.exit)) return;
    ps.terminating.timer?.cancel();
    for (const c of ps.containers) if (c.phase === 'Running') c.phase = 'Exited';
    if (ps.containers.some((c) => c.instances.length)) this.post(ps);
    ps.done = true;
    const pod = ps.pod;
    this.teardown(ps);
    this.k.deletePodNow(pod);
  }
}

