// The node lifecycle controller (kube-controller-manager's node-controller): every 5 s it checks
// each node's heartbeats (its Lease in kube-node-lease and its Ready condition); after 40 s of
// silence the kubelet's conditions become Unknown. Node changes drive the taints: NoSchedule taints
// mirror conditions and spec.unschedulable, NoExecute taints mark not-ready/unreachable nodes (the
// taint manager evicts from those).
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import { builtin } from '../api/registry.js';
import { isoTime, type Clock, type TimerHandle } from '../clock.js';
import type { EventRecorder } from '../events/recorder.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { podIndex } from './store-index.js';
import type { Agent, Controller } from './controller.js';

const NODES = builtin('', 'nodes');
const PODS = builtin('', 'pods');
const LEASES = builtin('coordination.k8s.io', 'leases');
const SOURCE = { component: 'node-controller' };

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}
export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

/** which condition status means which taint (upstream nodeConditionToTaintKeyStatusMap) */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const CONDITION_TAINT_KEYS = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINT_UNSCHEDULABLE]);
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export const conditionsOf = (node: KObj): Condition[] => ((node.status as { conditions?: Condition[] } | undefined)?.conditions ?? []);
export const taintsOf = (node: KObj): Taint[] => ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []);
export const readyStatus = (node: KObj): string | undefined => conditionsOf(node).find((c) => c.type === 'Ready')?.status;

/**
 * The taints this controller owns that a node should carry: NoSchedule ones from its conditions
 * and cordon, NoExecute for a Ready condition that is False or Unknown. A node that has never
 * reported Ready counts as not ready (the kubelet registers it so).
 */
export function desiredTaints(node: KObj): Taint[] {
  const out: Taint[] = [];
  const conds = conditionsOf(node);
  for (const c of conds) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) out.push({ key, effect: 'NoSchedule' });
  }
  if (!conds.some((c) => c.type === 'Ready')) out.push({ key: TAINT_NOT_READY, effect: 'NoSchedule' });
  if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const ready = readyStatus(node);
  if (ready === 'False') out.push({ key: TAINT_NOT_READY, effect: 'NoExecute' });
  if (ready === 'Unknown') out.push({ key: TAINT_UNREACHABLE, effect: 'NoExecute' });
  return out;
}

/** The node's taints after reconciling ours with `desired`; others' taints are kept. */
export function reconcileTaints(current: Taint[], desired: Taint[], now: string): Taint[] {
  const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
  const ours = (t: Taint) => CONDITION_TAINT_KEYS.has(t.key) && (t.effect === 'NoSchedule' || ((t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE) && t.effect === 'NoExecute'));
  const kept = current.filter((t) => !ours(t) || desired.some((d) => same(d, t)));
  const added = desired.filter((d) => !current.some((t) => same(d, t))).map((d) => ({ ...d, timeAdded: now }));
  return [...kept, ...added];
}

/**
 * Conditions after a heartbeat timeout: the kubelet-owned ones become Unknown (missing ones are
 * added as never updated). Returns undefined when nothing changes.
 */
export function unknownConditions(conds: Condition[], now: string, created: string): Condition[] | undefined {
  let changed = false;
  const out = conds.map((c) => ({ ...c }));
  for (const type of KUBELET_CONDITIONS) {
    const c = out.find((x) => x.type === type);
    if (!c) {
      out.push({ type, status: 'Unknown', lastHeartbeatTime: created, lastTransitionTime: now, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
      changed = true;
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now });
      changed = true;
    }
  }
  return changed ? out : undefined;
}

export interface NodeLifecycleOptions {
  monitorPeriodMs?: number;
  gracePeriodMs?: number;
  startupGracePeriodMs?: number;
}

interface Health {
  probe: number;
  ready?: string;
  renew?: string;
}

export class NodeLifecycleController implements Controller, Agent {
  readonly name = 'node-lifecycle-controller';
  private health = new Map<string, Health>();
  private known = new Map<string, KObj>();
  private timer?: TimerHandle;
  private period: number;
  private grace: number;
  private startupGrace: number;

  constructor(
    private client: LocalClient,
    private recorder: EventRecorder,
    private clock: Clock,
    opts: NodeLifecycleOptions = {},
  ) {
    this.period = opts.monitorPeriodMs ?? 5_000;
    this.grace = opts.gracePeriodMs ?? 40_000;
    this.startupGrace = opts.startupGracePeriodMs ?? 60_000;
  }

  keysFor(ev: StoreEvent): string[] {
    return ev.resource === 'nodes' ? [ev.object.metadata.name!] : [];
  }

  initialKeys(): string[] {
    return this.client.list(NODES).map((n) => n.metadata.name!);
  }

  /** taints follow the node's conditions; a node seen for the first time is announced */
  reconcile(name: string): void {
    const node = this.client.get(NODES, undefined, name);
    if (!node) return;
    if (!this.known.has(name)) {
      this.known.set(name, node);
      this.recorder.event(node, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`, SOURCE);
    }
    const now = isoTime(this.clock.now());
    const next = reconcileTaints(taintsOf(node), desiredTaints(node), now);
    if (JSON.stringify(next) === JSON.stringify(taintsOf(node))) return;
    this.client.modify(NODES, undefined, name, (n) => {
      const spec = (n.spec ??= {}) as { taints?: Taint[] };
      const t = reconcileTaints(spec.taints ?? [], desiredTaints(n), now);
      if (t.length) spec.taints = t;
      else delete spec.taints;
    });
  }

  start(): void {
    const tick = () => {
      try {
        this.monitor();
      } catch (e) {
        console.error('kubelab: node-lifecycle-controller:', e);
      }
      this.timer = this.clock.after(this.period, tick);
    };
    this.timer = this.clock.after(this.period, tick);
  }

  stop(): void {
    this.timer?.cancel();
  }

  /** one monitor pass over all nodes (upstream monitorNodeHealth) */
  monitor(): void {
    const nodes = this.client.list(NODES);
    for (const [name, last] of this.known) {
      if (nodes.some((n) => n.metadata.name === name)) continue;
      this.known.delete(name);
      this.health.delete(name);
      this.recorder.event(last, 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`, SOURCE);
    }
    for (const node of nodes) {
      const before = readyStatus(node);
      const after = this.checkHealth(node);
      if (before === 'True' && after !== 'True') {
        this.recorder.event(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`, SOURCE);
      }
      if (after !== undefined && after !== 'True') this.markPodsNotReady(node.metadata.name!);
    }
  }

  /** returns the Ready status after the check */
  private checkHealth(node: KObj): string | undefined {
    const name = node.metadata.name!;
    const now = this.clock.now();
    const ready = conditionsOf(node).find((c) => c.type === 'Ready');
    const readyKey = ready ? JSON.stringify(ready) : undefined;
    const lease = this.client.get(LEASES, 'kube-node-lease', name);
    const renew = (lease?.spec as { renewTime?: string } | undefined)?.renewTime;
    let h = this.health.get(name);
    if (!h) {
      h = { probe: now, ready: readyKey, renew };
      this.health.set(name, h);
    }
    // any new heartbeat (status or lease) restarts the grace period, measured on our own clock
    if (readyKey !== h.ready || (renew && renew !== h.renew)) {
      h.probe = now;
      h.ready = readyKey;
      h.renew = renew;
    }
    const grace = ready ? this.grace : this.startupGrace;
    if (now <= h.probe + grace) return ready?.status;
    const conds = unknownConditions(conditionsOf(node), isoTime(now), node.metadata.creationTimestamp ?? isoTime(now));
    if (!conds) return ready?.status;
    const updated = this.client.modifyStatus(NODES, undefined, name, (n) => {
      ((n.status ??= {}) as { conditions?: Condition[] }).conditions = conds;
    });
    const r = conditionsOf(updated).find((c) => c.type === 'Ready');
    // our own write is not a heartbeat
    h.ready = r ? JSON.stringify(r) : undefined;
    return r?.status;
  }

  /** upstream MarkPodsNotReady: pods on a node that is not ready are not ready either */
  private markPodsNotReady(nodeName: string): void {
    const now = isoTime(this.clock.now());
    for (const pod of podIndex(this.client.ctx.store).list('node', nodeName)) {
      const cond = ((pod.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
      if (!cond || cond.status === 'False') continue;
      try {
        const updated = this.client.modifyStatus(PODS, pod.metadata.namespace, pod.metadata.name!, (p) => {
          const c = ((p.status as { conditions?: Condition[] }).conditions ?? []).find((x) => x.type === 'Ready');
          if (!c || c.status === 'False') return false;
          c.status = 'False';
          c.lastTransitionTime = now;
        });
        this.recorder.event(updated, 'Warning', 'NodeNotReady', 'Node is not ready', SOURCE);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
  }
}
