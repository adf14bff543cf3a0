// The STATUS / READY / RESTARTS columns of `kubectl get pods`, computed the way kubectl's printer
// does it (init containers first, then the last container with a waiting or terminated reason wins,
// deletion shows Terminating), so the map says exactly what the learner reads in the terminal.
// Also maps that status to a colour tone for the map.
import type { KObject } from '../../../../main/bridge/contract.js';

export type PodTone = 'ok' | 'warn' | 'pending' | 'error' | 'done' | 'terminating' | 'unknown';

export interface PodStatusInfo {
  /** kubectl's STATUS column */
  reason: string;
  ready: number;
  total: number;
  restarts: number;
  tone: PodTone;
}

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number };
}
interface ContainerStatus {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
}
interface PodShape {
  spec?: { containers?: Array<{ name?: string }>; initContainers?: Array<{ name?: string; restartPolicy?: string }> };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: Array<{ type?: string; status?: string; reason?: string }>;
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

function conditionTrue(pod: PodShape, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function terminatedText(t: NonNullable<ContainerState['terminated']>): string {
  if (t.reason) return t.reason;
  if (t.signal) return `Signal:${t.signal}`;
  return `ExitCode:${t.exitCode ?? 0}`;
}

export function podStatus(obj: KObject): PodStatusInfo {
  const pod = obj as unknown as PodShape;
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs = spec.initContainers ?? [];
  const sidecars = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));

  let total = (spec.containers ?? []).length + sidecars.size;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let reason = status.reason || status.phase || 'Unknown';

  const scheduled = (status.conditions ?? []).find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'SchedulingGated') reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    const count = c.restartCount ?? 0;
    restarts += count;
    const sidecar = sidecars.has(c.name);
    if (sidecar) {
      sidecarRestarts += count;
      if (c.started) {
        if (c.ready) ready++;
        continue;
      }
    }
    const term = c.state?.terminated;
    if (term && (term.exitCode ?? 0) === 0 && !term.signal) continue;
    initializing = true;
    if (term) reason = `Init:${terminatedText(term)}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      const st = c.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated) reason = terminatedText(st.terminated);
      else if (c.ready && st.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (obj.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  total = Math.max(total, 0);
  return { reason, ready, total, restarts, tone: toneFor(reason, ready, total, !!obj.metadata.deletionTimestamp) };
}

const PENDING = new Set(['Pending', 'ContainerCreating', 'PodInitializing', 'SchedulingGated']);
const FAILED = new Set([
  'CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName', 'Error', 'OOMKilled',
  'Failed', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'ContainerCannotRun',
  'Evicted', 'DeadlineExceeded', 'StartError',
]);

export function toneFor(reason: string, ready: number, total: number, deleting: boolean): PodTone {
  if (deleting) return 'terminating';
  if (reason === 'Running') return ready >= total && total > 0 ? 'ok' : 'warn';
  if (reason === 'Completed' || reason === 'Succeeded') return 'done';
  if (reason === 'NotReady') return 'warn';
  if (reason === 'Unknown') return 'unknown';
  if (PENDING.has(reason) || /^Init:\d+\/\d+$/.test(reason)) return 'pending';
  if (FAILED.has(reason) || /^(ExitCode|Signal):/.test(reason) || reason.startsWith('Init:')) return 'error';
  return 'warn';
}
