// Pod printer: the READY / STATUS / RESTARTS rules of upstream printPod (v1.32), including
// init containers, restartable (sidecar) init containers, and the Terminating/Unknown overrides.
import type { KObj } from '../../store/types.js';
import { parseTime, translateTimestampSince } from './duration.js';
import type { Cell, Json, Printer, RowCondition } from './types.js';
import { ageCol, col, nameCol, str } from './util.js';

export const podColumns = [
  nameCol(),
  col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'The aggregate status of the containers in this pod.'),
  col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageCol(),
  col('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', { priority: 1 }),
  col('Node', 'NodeName indicates in which node this pod is scheduled.', { priority: 1 }),
  col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', { priority: 1 }),
  col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', { priority: 1 }),
];

const NODE_UNREACHABLE_REASON = 'NodeLost';

const isRestartable = (c: Json): boolean => c?.restartPolicy === 'Always';
const list = (v: unknown): Json[] => (Array.isArray(v) ? v : []);

function conditionTrue(conds: Json[], type: string): boolean {
  // Upstream stops at the first condition of the type, whatever its status.
  const c = conds.find((x) => x?.type === type);
  return c?.status === 'True';
}

/** Tracks the latest lastState.terminated.finishedAt, Go-style: zero time never wins. */
class Latest {
  ms: number | undefined;
  raw: string | undefined;
  offer(cs: Json): void {
    const raw = cs?.lastState?.terminated?.finishedAt;
    const ms = parseTime(raw);
    if (ms !== undefined && (this.ms === undefined || this.ms < ms)) {
      this.ms = ms;
      this.raw = raw;
    }
  }
}

function terminatedReason(t: Json, prefix: string): string {
  if (str(t.reason) !== '') return prefix + t.reason;
  if (t.signal) return `${prefix}Signal:${t.signal}`;
  return `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** The READY, STATUS and RESTARTS cells. */
export function podSummary(pod: KObj, now: number): PodSummary {
  const spec: Json = pod.spec ?? {};
  const status: Json = pod.status ?? {};
  const conds = list(status.conditions);
  const phase = str(status.phase);
  let reason = status.reason ? str(status.reason) : phase;
  if (conds.some((c) => c?.type === 'PodScheduled' && c?.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initSpecs = list(spec.initContainers);
  const initByName = new Map<string, Json>(initSpecs.map((c) => [str(c?.name), c]));
  const total = list(spec.containers).length + initSpecs.filter(isRestartable).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let last = new Latest();
  const sidecarLast = new Latest();

  let initializing = false;
  const initStatuses = list(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const state: Json = cs?.state ?? {};
    const sidecar = isRestartable(initByName.get(str(cs?.name)));
    restarts += cs?.restartCount ?? 0;
    last.offer(cs);
    if (sidecar) {
      sidecarRestarts += cs?.restartCount ?? 0;
      sidecarLast.offer(cs);
    }
    if (state.terminated && (state.terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && cs?.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    if (state.terminated) reason = terminatedReason(state.terminated, 'Init:');
    else if (state.waiting && str(state.waiting.reason) !== '' && state.waiting.reason !== 'PodInitializing') reason = `Init:${state.waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(conds, 'Initialized')) {
    // Once initialised, only sidecar restarts carry over from the init phase.
    restarts = sidecarRestarts;
    last = sidecarLast;
    let hasRunning = false;
    const statuses = list(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      const state: Json = cs?.state ?? {};
      restarts += cs?.restartCount ?? 0;
      last.offer(cs);
      if (state.waiting && str(state.waiting.reason) !== '') reason = state.waiting.reason;
      else if (state.terminated) reason = terminatedReason(state.terminated, '');
      else if (cs?.ready && state.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(conds, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp) {
    if (status.reason === NODE_UNREACHABLE_REASON) reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  let restartsCell = String(restarts);
  if (restarts !== 0 && last.ms !== undefined) restartsCell = `${restarts} (${translateTimestampSince(last.raw, now)} ago)`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsCell };
}

function readinessGates(spec: Json, conds: Json[]): string {
  const gates = list(spec.readinessGates);
  if (gates.length === 0) return '<none>';
  const trueCount = gates.filter((g) => conditionTrue(conds, str(g?.conditionType))).length;
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: podColumns,
  cells(pod: KObj, now: number): Cell[] {
    const spec: Json = pod.spec ?? {};
    const status: Json = pod.status ?? {};
    const s = podSummary(pod, now);
    // v1→internal conversion seeds podIPs from podIP, so either field yields the IP.
    const ip = str(list(status.podIPs)[0]?.ip) || str(status.podIP) || '<none>';
    return [
      str(pod.metadata.name),
      s.ready,
      s.status,
      s.restarts,
      translateTimestampSince(pod.metadata.creationTimestamp, now),
      ip,
      str(spec.nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      readinessGates(spec, list(status.conditions)),
    ];
  },
  conditions(pod: KObj): RowCondition[] | undefined {
    const phase = (pod.status as Json)?.phase;
    if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
};
