// HorizontalPodAutoscaler on the API: autoscaling/v1 bodies (what `kubectl autoscale` sends) are
// converted to the stored v2 shape, v2 defaults (minReplicas 1, cpu 80%), upstream validation
// wording, and the server-side table (NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE).
import type { FieldError } from '../api/errors.js';
import { translateTimestampSince } from '../api/printers/duration.js';
import type { Cell, Printer } from '../api/printers/types.js';
import { ageCol, col, nameCol } from '../api/printers/util.js';
import { invalid, required } from '../api/validation/format.js';
import type { KindRules } from '../api/validation/types.js';
import type { KObj } from '../store/types.js';
import { DEFAULT_SCALE_DOWN, DEFAULT_SCALE_UP, type Behavior } from './algorithm.js';
import { cloneJson } from '../store/json.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cpuUtilization = (pct: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: pct } } });

/** autoscaling/v1 → v2 (the apiserver stores v2; v1's single CPU target becomes a metric). */
export function fromV1(o: KObj): void {
  if (o.apiVersion !== 'autoscaling/v1') return;
  const spec = (o.spec ?? {}) as Json;
  const target = spec.targetCPUUtilizationPercentage;
  delete spec.targetCPUUtilizationPercentage;
  if (typeof target === 'number') spec.metrics = [cpuUtilization(target)];
  const status = o.status as Json | undefined;
  if (status) {
    const cur = status.currentCPUUtilizationPercentage;
    delete status.currentCPUUtilizationPercentage;
    if (typeof cur === 'number') status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cur } } }];
  }
  o.apiVersion = 'autoscaling/v2';
}

/** v2 → v1 for clients that read autoscaling/v1. */
export function toV1(o: KObj): KObj {
  const out = cloneJson(o);
  out.apiVersion = 'autoscaling/v1';
  const spec = (out.spec ?? {}) as Json;
  const cpu = (spec.metrics as Json[] | undefined)?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  if (cpu?.resource?.target?.averageUtilization !== undefined) spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  delete spec.metrics;
  delete spec.behavior;
  const status = out.status as Json | undefined;
  if (status) {
    const cur = (status.currentMetrics as Json[] | undefined)?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
    if (cur?.resource?.current?.averageUtilization !== undefined) status.currentCPUUtilizationPercentage = cur.resource.current.averageUtilization;
    delete status.currentMetrics;
    delete status.conditions;
  }
  return out;
}

function defaults(o: KObj): void {
  fromV1(o);
  const spec = (o.spec ??= {}) as Json;
  spec.minReplicas ??= 1;
  if (!Array.isArray(spec.metrics) || !spec.metrics.length) spec.metrics = [cpuUtilization(80)];
  if (spec.behavior) {
    const b = spec.behavior as Behavior;
    b.scaleUp = { ...cloneJson(DEFAULT_SCALE_UP), ...(b.scaleUp ?? {}) };
    b.scaleDown = { ...cloneJson(DEFAULT_SCALE_DOWN), ...(b.scaleDown ?? {}) };
  }
}

function validate(o: KObj): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (o.spec ?? {}) as Json;
  const ref = (spec.scaleTargetRef ?? {}) as Json;
  if (!ref.kind) errs.push(required('spec.scaleTargetRef.kind', ''));
  if (!ref.name) errs.push(required('spec.scaleTargetRef.name', ''));
  const min = spec.minReplicas as number | undefined;
  const max = Number(spec.maxReplicas ?? 0);
  if (min !== undefined && min < 1) errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  (spec.metrics as Json[] | undefined)?.forEach((m, i) => {
    const t = m.resource?.target;
    if (m.type === 'Resource' && t?.type === 'Utilization' && !(t.averageUtilization > 0)) {
      errs.push(invalid(`spec.metrics[${i}].resource.target.averageUtilization`, t.averageUtilization ?? 0, 'must be greater than 0'));
    }
  });
  return errs;
}

export const hpaRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: true,
  generation: 'spec',
  defaults,
  validate,
};

/** `cpu: 45%/50%`, `cpu: <unknown>/50%`, at most two shown (formatHPAMetrics). */
export function formatTargets(spec: Json, status: Json): string {
  const specs = (spec.metrics ?? []) as Json[];
  if (!specs.length) return '<none>';
  const statuses = (status.currentMetrics ?? []) as Json[];
  const list = specs.map((m, i) => {
    const st = statuses[i];
    if (m.type === 'Resource' || m.type === 'ContainerResource') {
      const src = m.type === 'Resource' ? m.resource : m.containerResource;
      const cur = m.type === 'Resource' ? st?.resource : st?.containerResource;
      if (src?.target?.averageValue !== undefined) return `${src.name}: ${cur?.current?.averageValue ?? '<unknown>'}/${src.target.averageValue}`;
      const c = cur?.current?.averageUtilization;
      const t = src?.target?.averageUtilization;
      return `${src?.name}: ${c !== undefined ? `${c}%` : '<unknown>'}/${t !== undefined ? `${t}%` : '<auto>'}`;
    }
    if (m.type === 'Pods') return `${st?.pods?.current?.averageValue ?? '<unknown>'}/${m.pods?.target?.averageValue}`;
    return '<unknown type>';
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

export const hpaPrinter: Printer = {
  columns: [
    nameCol(),
    col('Reference', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    col('Targets', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond. If not set, the default metric will be set to 80% average CPU utilization.'),
    col('MinPods', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.'),
    col('MaxPods', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.', { type: 'integer' }),
    col('Replicas', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.', { type: 'integer' }),
    ageCol(),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec = (obj.spec ?? {}) as Json;
    const status = (obj.status ?? {}) as Json;
    const ref = spec.scaleTargetRef ?? {};
    return [
      obj.metadata.name ?? '',
      `${ref.kind ?? ''}/${ref.name ?? ''}`,
      formatTargets(spec, status),
      spec.minReplicas !== undefined ? String(spec.minReplicas) : '<unset>',
      Number(spec.maxReplicas ?? 0),
      Number(status.currentReplicas ?? 0),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
