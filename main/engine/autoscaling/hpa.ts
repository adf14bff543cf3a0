// The horizontal-pod-autoscaler controller: every 15 simulated seconds each HPA reads its target's
// scale and its pods' CPU (metrics.k8s.io's numbers), proposes a replica count with the upstream
// algorithm, stabilizes and rate-limits it, rescales the target and reports status, conditions and
// events worded as upstream (SuccessfulRescale, FailedGetResourceMetric, FailedGetScale…).
import type { LocalClient } from '../api/client.js';
import { builtin, type Registry, type ResourceDef } from '../api/registry.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { ComponentEnv } from '../components.js';
import { keyOf, splitKey, type Agent, type Controller } from '../controllers/controller.js';
import { podIndex } from '../controllers/store-index.js';
import { readPath, scalePaths, writePath } from '../crd/scale.js';
import type { EventRecorder } from '../events/recorder.js';
import { podUsage, cpuMillicores } from '../metrics/metrics.js';
import type { ApiContext } from '../api/context.js';
import { formatLabelSelector, fromLabelSelectorObject, matchesLabels, parseLabelSelector } from '../store/selectors.js';
import type { KObj, StoreEvent } from '../store/types.js';
import {
  limitLegacy, limitWithBehavior, resourceReplicas, stabilizeLegacy, stabilizeWithBehavior, SYNC_PERIOD_MS,
  type Behavior, type PodSample, type Recommendation, type ScaleEvent,
} from './algorithm.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HPA = builtin('autoscaling', 'horizontalpodautoscalers');
const SOURCE = { component: 'horizontal-pod-autoscaler' };
const CPU_METRIC = 'cpu resource utilization (percentage of request)';

interface Memory {
  recommendations: Recommendation[];
  up: ScaleEvent[];
  down: ScaleEvent[];
  generation?: number;
}

type Cond = { type: string; status: 'True' | 'False'; reason: string; message: string };

/** A pod as the replica calculator sees it. */
export function podSample(ctx: ApiContext, pod: KObj, now: number): PodSample {
  const status = (pod.status ?? {}) as Json;
  const containers = ((pod.spec as Json | undefined)?.containers ?? []) as Json[];
  let request: number | undefined = 0;
  let missingRequestContainer: string | undefined;
  for (const c of containers) {
    const r = cpuMillicores(c.resources?.requests?.cpu);
    if (r === undefined) {
      request = undefined;
      missingRequestContainer ??= c.name;
    } else if (request !== undefined) request += r;
  }
  const usage = podUsage(ctx, pod)?.reduce((s, c) => s + c.cpuMillicores, 0);
  const ready = ((status.conditions ?? []) as Json[]).find((c) => c.type === 'Ready');
  void now;
  return {
    name: pod.metadata.name!,
    ignored: !!pod.metadata.deletionTimestamp || status.phase === 'Failed',
    unready: status.phase === 'Pending' || (usage !== undefined && ready?.status !== 'True'),
    usage,
    request,
    missingRequestContainer,
  };
}

export class HpaController implements Controller, Agent {
  readonly name = 'horizontal-pod-autoscaler';
  private readonly ctx: ApiContext;
  private readonly client: LocalClient;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly registry: Registry;
  private readonly memory = new Map<string, Memory>();
  private timer?: TimerHandle;

  constructor(env: ComponentEnv, private readonly periodMs = SYNC_PERIOD_MS) {
    this.ctx = env.ctx;
    this.client = env.client('horizontal-pod-autoscaler');
    this.recorder = env.recorder(this.client);
    this.clock = env.clock;
    this.registry = env.ctx.registry;
  }

  /** a new or changed HPA is synced at once; the 15 s loop does the rest */
  keysFor(ev: StoreEvent): string[] {
    if (ev.resource !== 'horizontalpodautoscalers.autoscaling') return [];
    if (ev.type === 'DELETED') {
      this.memory.delete(keyOf(ev.object));
      return [];
    }
    return ev.type === 'ADDED' || ev.object.metadata.generation !== ev.old?.metadata.generation ? [keyOf(ev.object)] : [];
  }

  initialKeys(): string[] {
    return this.client.list(HPA).map(keyOf);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const hpa = this.client.get(HPA, namespace, name);
    if (!hpa) return;
    const mem = this.memory.get(key);
    if (mem && mem.generation === hpa.metadata.generation) return;
    this.sync(hpa);
  }

  start(): void {
    const tick = () => {
      for (const hpa of this.client.list(HPA)) {
        try {
          this.sync(hpa);
        } catch (e) {
          console.error('kubelab: horizontal-pod-autoscaler:', e);
        }
      }
      this.timer = this.clock.after(this.periodMs, tick);
    };
    this.timer = this.clock.after(this.periodMs, tick);
  }

  stop(): void {
    this.timer?.cancel();
  }

  /** one reconcileAutoscaler pass */
  sync(hpa: KObj): void {
    const key = keyOf(hpa);
    const mem = this.memory.get(key) ?? { recommendations: [], up: [], down: [] };
    this.memory.set(key, mem);
    mem.generation = hpa.metadata.generation;
    const now = this.clock.now();
    const spec = (hpa.spec ?? {}) as Json;
    const ns = hpa.metadata.namespace;
    const ref = (spec.scaleTargetRef ?? {}) as Json;
    const min = Number(spec.minReplicas ?? 1);
    const max = Number(spec.maxReplicas ?? 1);
    const conds: Cond[] = [];

    const target = this.target(ns, ref);
    if ('error' in target) {
      this.recorder.event(hpa, 'Warning', 'FailedGetScale', target.error, SOURCE);
      conds.push({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${target.error}` });
      return this.writeStatus(hpa, { currentReplicas: 0, desiredReplicas: 0 }, conds);
    }
    const current = target.replicas;
    conds.push({ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" });

    let desired = 0;
    let reason = '';
    let metrics: Json[] | undefined;
    if (current === 0 && min !== 0) {
      conds.push({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
      return this.writeStatus(hpa, { currentReplicas: current, desiredReplicas: 0 }, conds);
    } else if (current > max) {
      reason = 'Current number of replicas above Spec.MaxReplicas';
      desired = max;
    } else if (current < min) {
      reason = 'Current number of replicas below Spec.MinReplicas';
      desired = min;
    } else {
      const proposal = this.proposal(hpa, target.selector, current, now);
      if ('error' in proposal) {
        this.recorder.event(hpa, 'Warning', proposal.reason, proposal.error, SOURCE);
        this.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${proposal.error}`, SOURCE);
        conds.push({ type: 'ScalingActive', status: 'False', reason: proposal.reason, message: `the HPA was unable to compute the replica count: ${proposal.error}` });
        return this.writeStatus(hpa, { currentReplicas: current, desiredReplicas: Number((hpa.status as Json | undefined)?.desiredReplicas ?? current) }, conds);
      }
      metrics = proposal.metrics;
      conds.push({ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${CPU_METRIC}` });
      desired = proposal.replicas;
      reason = desired > current ? `${CPU_METRIC} above target` : 'All metrics below target';
      const behavior = spec.behavior as Behavior | undefined;
      const stab = behavior
        ? stabilizeWithBehavior(mem.recommendations, now, current, desired, behavior)
        : (() => {
            const s = stabilizeLegacy(mem.recommendations, now, desired);
            return s.replicas !== desired
              ? { ...s, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' }
              : { ...s, reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
          })();
      mem.recommendations = stab.history;
      conds[0] = { type: 'AbleToScale', status: 'True', reason: stab.reason, message: stab.message };
      const limited = behavior ? limitWithBehavior(current, stab.replicas, min, max, behavior, mem.up, mem.down, now) : limitLegacy(current, stab.replicas, min, max);
      conds.push({ type: 'ScalingLimited', status: limited.replicas === stab.replicas ? 'False' : 'True', reason: limited.reason, message: limited.message });
      desired = limited.replicas;
    }

    let lastScaleTime: string | undefined;
    if (desired !== current) {
      this.scale(ns, target, desired);
      (desired > current ? mem.up : mem.down).push({ at: now, change: Math.abs(desired - current) });
      mem.up = mem.up.filter((e) => e.at > now - 600_000);
      mem.down = mem.down.filter((e) => e.at > now - 600_000);
      this.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`, SOURCE);
      lastScaleTime = this.client.now();
    }
    this.writeStatus(hpa, { currentReplicas: current, desiredReplicas: desired, ...(metrics ? { currentMetrics: metrics } : {}), ...(lastScaleTime ? { lastScaleTime } : {}) }, conds);
  }

  private target(ns: string | undefined, ref: Json): { def: ResourceDef; obj: KObj; replicas: number; selector: string } | { error: string } {
    const gv = String(ref.apiVersion ?? '');
    const [g, v] = gv.includes('/') ? gv.split('/', 2) : ['', gv];
    const def = this.registry.byApiVersionKind(gv, ref.kind) ?? this.registry.defs.find((d) => d.group === g && d.kind === ref.kind);
    if (!def) return { error: `no matches for kind "${ref.kind}" in group "${g}"${v ? '' : ''}` };
    if (!def.subresources.some((s) => s.name === 'scale')) return { error: `${def.resource}.${def.group} "${ref.name}" has no scale subresource` };
    const obj = this.client.get(def, ns, ref.name);
    if (!obj) return { error: `${def.group ? `${def.resource}.${def.group}` : def.resource} "${ref.name}" not found` };
    if (def.custom) {
      const paths = scalePaths(this.ctx, def.group, def.resource, def.version);
      if (!paths) return { error: `${def.resource}.${def.group} "${ref.name}" has no scale subresource` };
      const sel = paths.labelSelectorPath ? readPath(obj, paths.labelSelectorPath) : undefined;
      return { def, obj, replicas: Number(readPath(obj, paths.specReplicasPath) ?? 0), selector: typeof sel === 'string' ? sel : '' };
    }
    const spec = (obj.spec ?? {}) as Json;
    return { def, obj, replicas: Number(spec.replicas ?? 1), selector: formatLabelSelector(fromLabelSelectorObject(spec.selector)) };
  }

  private proposal(hpa: KObj, selector: string, current: number, now: number): { replicas: number; metrics: Json[] } | { error: string; reason: string } {
    const spec = (hpa.spec ?? {}) as Json;
    const metric = ((spec.metrics ?? []) as Json[]).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
    const target = metric?.resource?.target?.averageUtilization;
    if (typeof target !== 'number') return { error: 'only cpu utilization targets are simulated', reason: 'FailedGetResourceMetric' };
    if (!selector) return { error: 'selector is required', reason: 'SelectorRequired' };
    const sel = parseLabelSelector(selector);
    // the namespace's pods from the shared index: a namespaced list walks every pod of the cluster
    const pods = podIndex(this.ctx.store).list('namespace', hpa.metadata.namespace ?? '').filter((p) => matchesLabels(sel, p.metadata.labels));
    const out = resourceReplicas(current, target, pods.map((p) => podSample(this.ctx, p, now)));
    if (!out.ok) return { error: `failed to get cpu utilization: ${out.error}`, reason: 'FailedGetResourceMetric' };
    return {
      replicas: out.replicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: out.utilization, averageValue: `${out.averageMilli}m` } } }],
    };
  }

  private scale(ns: string | undefined, t: { def: ResourceDef; obj: KObj }, replicas: number): void {
    const paths = t.def.custom ? scalePaths(this.ctx, t.def.group, t.def.resource, t.def.version) : undefined;
    this.client.modify(t.def, ns, t.obj.metadata.name!, (o) => {
      if (paths) writePath(o as Record<string, unknown>, paths.specReplicasPath, replicas);
      else (o.spec as Json).replicas = replicas;
    });
  }

  private writeStatus(hpa: KObj, fields: Json, conds: Cond[]): void {
    const now = this.client.now();
    this.client.modifyStatus(HPA, hpa.metadata.namespace, hpa.metadata.name!, (o) => {
      const old = (o.status ?? {}) as Json;
      const oldConds = (old.conditions ?? []) as Json[];
      const status: Json = { ...(old.lastScaleTime ? { lastScaleTime: old.lastScaleTime } : {}), ...fields, observedGeneration: o.metadata.generation };
      if (!fields.currentMetrics && old.currentMetrics && conds.every((c) => c.status === 'True' || c.type !== 'ScalingActive')) status.currentMetrics = old.currentMetrics;
      status.conditions = conds.map((c) => {
        const prev = oldConds.find((x) => x.type === c.type);
        return { type: c.type, status: c.status, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now, reason: c.reason, message: c.message };
      });
      if (JSON.stringify(status) === JSON.stringify(old)) return false;
      o.status = status;
    });
  }
}

