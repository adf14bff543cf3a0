// Taint-based eviction (kube-controller-manager's taint-eviction-controller): a pod on a node with
// a NoExecute taint it does not tolerate is deleted at once; one that tolerates it for
// tolerationSeconds (admission gives every pod 300 s for not-ready/unreachable) is deleted when that
// time runs out, unless the taint goes away first. The node's kubelet finishes the deletion, so on
// a dead node the pod stays Terminating while its controller starts a replacement elsewhere.
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import { builtin } from '../api/registry.js';
import { isoTime, type Clock, type TimerHandle } from '../clock.js';
import type { EventRecorder } from '../events/recorder.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { podIndex } from './store-index.js';
import type { Controller } from './controller.js';
import { taintsOf, type Taint } from './nodelifecycle.js';

const NODES = builtin('', 'nodes');
const PODS = builtin('', 'pods');
const SOURCE = { component: 'taint-eviction-controller' };

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/**
 * How long a pod may stay on a node with these NoExecute taints: 0 = evict now, undefined =
 * forever (no NoExecute taint, or tolerations without tolerationSeconds).
 */
export function evictionDelaySeconds(taints: Taint[], tolerations: Toleration[]): number | undefined {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  let min: number | undefined;
  for (const taint of noExecute) {
    const used = tolerations.filter((t) => tolerates(t, taint));
    if (!used.length) return 0;
    for (const t of used) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      const s = Math.max(0, t.tolerationSeconds);
      if (min === undefined || s < min) min = s;
    }
  }
  return min;
}

interface Scheduled {
  uid: string;
  at: number;
  timer: TimerHandle;
}

const podKey = (p: KObj) => `${p.metadata.namespace}/${p.metadata.name}`;

export class TaintManager implements Controller {
  readonly name = 'taint-eviction-controller';
  private scheduled = new Map<string, Scheduled>();

  constructor(
    private client: LocalClient,
    private recorder: EventRecorder,
    private clock: Clock,
  ) {}

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === 'nodes') {
      const changed = ev.type !== 'MODIFIED' || JSON.stringify(taintsOf(ev.object)) !== JSON.stringify(taintsOf(ev.old!));
      return changed ? [`node:${ev.object.metadata.name}`] : [];
    }
    if (ev.resource !== 'pods') return [];
    const node = (ev.object.spec as { nodeName?: string }).nodeName;
    if (ev.type === 'DELETED') return [`pod:${podKey(ev.object)}`];
    const oldNode = ev.old && (ev.old.spec as { nodeName?: string }).nodeName;
    if (!node || (ev.type === 'MODIFIED' && node === oldNode && !!ev.old!.metadata.deletionTimestamp === !!ev.object.metadata.deletionTimestamp)) return [];
    return [`pod:${podKey(ev.object)}`];
  }

  initialKeys(): string[] {
    return this.client.list(NODES).map((n) => `node:${n.metadata.name}`);
  }

  reconcile(key: string): void {
    if (key.startsWith('node:')) {
      const name = key.slice(5);
      const node = this.client.get(NODES, undefined, name);
      for (const pod of podIndex(this.client.ctx.store).list('node', name)) this.processPod(pod, node);
      return;
    }
    const [ns, name] = key.slice(4).split('/') as [string, string];
    const pod = this.client.get(PODS, ns, name);
    if (!pod) return this.cancel(`${ns}/${name}`, undefined);
    const nodeName = (pod.spec as { nodeName?: string }).nodeName;
    this.processPod(pod, nodeName ? this.client.get(NODES, undefined, nodeName) : undefined);
  }

  private processPod(pod: KObj, node: KObj | undefined): void {
    const key = podKey(pod);
    if (pod.metadata.deletionTimestamp) return this.cancel(key, undefined);
    const delay = node ? evictionDelaySeconds(taintsOf(node), ((pod.spec as { tolerations?: Toleration[] }).tolerations ?? [])) : undefined;
    if (delay === undefined) return this.cancel(key, pod);
    if (delay === 0) {
      this.cancel(key, undefined);
      return this.evict(pod.metadata.namespace!, pod.metadata.name!, pod.metadata.uid!);
    }
    // an eviction already counting down keeps its start (upstream keeps the earlier schedule)
    const existing = this.scheduled.get(key);
    if (existing && existing.uid === pod.metadata.uid) return;
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    const uid = pod.metadata.uid!;
    const timer = this.clock.after(delay * 1000, () => {
      this.scheduled.delete(key);
      try {
        this.evict(ns, name, uid);
      } catch (e) {
        console.error('kubelab: taint-eviction-controller:', e);
      }
    });
    this.scheduled.set(key, { uid, at: this.clock.now() + delay * 1000, timer });
  }

  private cancel(key: string, pod: KObj | undefined): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    s.timer.cancel();
    this.scheduled.delete(key);
    if (pod) this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`, SOURCE);
  }

  private evict(ns: string, name: string, uid: string): void {
    const pod = this.client.get(PODS, ns, name);
    if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp) return;
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`, SOURCE);
    try {
      const now = isoTime(this.clock.now());
      this.client.modifyStatus(PODS, ns, name, (p) => {
        const st = (p.status ??= {}) as { conditions?: Array<Record<string, unknown>> };
        const conds = (st.conditions ??= []);
        if (conds.some((c) => c.type === 'DisruptionTarget' && c.status === 'True')) return false;
        const cond = { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: now, reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' };
        const i = conds.findIndex((c) => c.type === 'DisruptionTarget');
        if (i >= 0) conds[i] = cond;
        else conds.push(cond);
      });
      this.client.delete(PODS, ns, name, { preconditions: { uid } });
    } catch (e) {
      if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
    }
  }
}
