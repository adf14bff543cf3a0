// The HorizontalPodAutoscaler's arithmetic (upstream pkg/controller/podautoscaler), as pure
// functions: the replica proposal from resource utilization, the downscale stabilization window,
// and the rate limits (legacy 2x/4-pods, or the v2 behavior policies).

export const TOLERANCE = 0.1;
export const DOWNSCALE_STABILIZATION_MS = 300_000;
export const SYNC_PERIOD_MS = 15_000;
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

export interface PodSample {
  name: string;
  /** pod is being deleted or Failed: left out entirely */
  ignored?: boolean;
  /** Pending, or not Ready: its CPU does not count when scaling up */
  unready?: boolean;
  /** millicores in use; undefined = no metric for it */
  usage?: number;
  /** sum of container CPU requests in millicores; undefined = some container has none */
  request?: number;
  /** first container without a CPU request (for the error message) */
  missingRequestContainer?: string;
}

export type ReplicaProposal =
  | { ok: true; replicas: number; utilization: number; averageMilli: number }
  | { ok: false; error: string };

/** GetResourceReplicas for one resource-utilization target (replica_calculator.go). */
export function resourceReplicas(currentReplicas: number, targetUtilization: number, pods: PodSample[]): ReplicaProposal {
  // the order of upstream's checks decides which error a learner sees
  if (!pods.some((p) => p.usage !== undefined)) return { ok: false, error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API' };
  if (!pods.length) return { ok: false, error: 'no pods returned by selector while calculating replica count' };
  const counted = pods.filter((p) => !p.ignored);
  for (const p of pods) {
    if (p.request === undefined) return { ok: false, error: `missing request for cpu in container ${p.missingRequestContainer ?? ''} of Pod ${p.name}` };
  }
  const ready = counted.filter((p) => !p.unready && p.usage !== undefined);
  const unready = counted.filter((p) => p.unready);
  const missing = counted.filter((p) => !p.unready && p.usage === undefined);
  if (!ready.length) return { ok: false, error: 'did not receive metrics for targeted pods (pods might be unready)' };
  const usageOf = (ps: PodSample[]) => ps.reduce((s, p) => s + (p.usage ?? 0), 0);
  const requestOf = (ps: PodSample[]) => ps.reduce((s, p) => s + (p.request ?? 0), 0);
  const ratio = (use: number, req: number) => {
    const utilization = Math.trunc((use * 100) / req);
    return { utilization, usageRatio: utilization / targetUtilization };
  };
  const { utilization, usageRatio } = ratio(usageOf(ready), requestOf(ready));
  const averageMilli = Math.trunc(usageOf(ready) / ready.length);
  const scaleUpWithUnready = unready.length > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && !missing.length) {
    if (Math.abs(1 - usageRatio) <= TOLERANCE) return { ok: true, replicas: currentReplicas, utilization, averageMilli };
    return { ok: true, replicas: Math.ceil(usageRatio * ready.length), utilization, averageMilli };
  }
  // missing pods count as using their whole request when scaling down, nothing when scaling up;
  // unready pods count as idle when scaling up
  let use = usageOf(ready);
  let req = requestOf(ready);
  let n = ready.length;
  for (const p of missing) {
    use += usageRatio < 1 ? p.request! : 0;
    req += p.request!;
    n++;
  }
  if (scaleUpWithUnready) {
    for (const p of unready) {
      req += p.request!;
      n++;
    }
  }
  const next = ratio(use, req).usageRatio;
  if (Math.abs(1 - next) <= TOLERANCE || (usageRatio < 1 && next > 1) || (usageRatio > 1 && next < 1)) {
    return { ok: true, replicas: currentReplicas, utilization, averageMilli };
  }
  const replicas = Math.ceil(next * n);
  if ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas)) return { ok: true, replicas: currentReplicas, utilization, averageMilli };
  return { ok: true, replicas, utilization, averageMilli };
}

export interface Recommendation {
  at: number;
  replicas: number;
}

export interface Limited {
  replicas: number;
  /** ScalingLimited condition reason/message */
  reason: string;
  message: string;
}

/** Legacy rate limit (HPA without spec.behavior): at most double, or 4, per sync; within min/max. */
export function limitLegacy(current: number, desired: number, min: number, max: number): Limited {
  const scaleUpLimit = Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
  let maxAllowed = max;
  let cond = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
  if (max > scaleUpLimit) {
    maxAllowed = scaleUpLimit;
    cond = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
  }
  if (desired < min) return { replicas: min, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  if (desired > maxAllowed) return { replicas: maxAllowed, ...cond };
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** Downscale stabilization without behavior: the highest recommendation of the last 5 minutes. */
export function stabilizeLegacy(history: Recommendation[], now: number, desired: number, windowMs = DOWNSCALE_STABILIZATION_MS): { replicas: number; history: Recommendation[] } {
  const kept = history.filter((r) => r.at > now - windowMs);
  const replicas = Math.max(desired, ...kept.map((r) => r.replicas));
  return { replicas, history: [...kept, { at: now, replicas: desired }] };
}

export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: ScalingPolicy[];
}

export interface Behavior {
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
}

export const DEFAULT_SCALE_UP: Required<ScalingRules> = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
export const DEFAULT_SCALE_DOWN: Required<ScalingRules> = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

export interface ScaleEvent {
  at: number;
  /** replicas added (scale up) or removed (scale down) */
  change: number;
}

/** Stabilization with behavior: the lowest recent up-recommendation and highest recent down-one bound the move. */
export function stabilizeWithBehavior(history: Recommendation[], now: number, current: number, desired: number, b: Behavior): { replicas: number; reason: string; message: string; history: Recommendation[] } {
  const upWin = (b.scaleUp?.stabilizationWindowSeconds ?? DEFAULT_SCALE_UP.stabilizationWindowSeconds) * 1000;
  const downWin = (b.scaleDown?.stabilizationWindowSeconds ?? DEFAULT_SCALE_DOWN.stabilizationWindowSeconds) * 1000;
  let up = desired;
  let down = desired;
  for (const r of history) {
    if (r.at > now - upWin) up = Math.min(up, r.replicas);
    if (r.at > now - downWin) down = Math.max(down, r.replicas);
  }
  let replicas = current;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  const keep = Math.max(upWin, downWin);
  const next = [...history.filter((r) => r.at > now - keep), { at: now, replicas: desired }];
  if (replicas === desired) return { replicas, reason: 'ReadyForNewScale', message: 'recommended size matches current size', history: next };
  return replicas > desired
    ? { replicas, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation', history: next }
    : { replicas, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation', history: next };
}

function periodChange(events: ScaleEvent[], now: number, periodSeconds: number): number {
  return events.filter((e) => e.at > now - periodSeconds * 1000).reduce((s, e) => s + e.change, 0);
}

export function scaleUpLimit(current: number, events: ScaleEvent[], rules: ScalingRules, now: number): number {
  const r = { ...DEFAULT_SCALE_UP, ...rules };
  if (r.selectPolicy === 'Disabled') return current;
  let result = r.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const p of r.policies) {
    const start = current - periodChange(events, now, p.periodSeconds);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = r.selectPolicy === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return Number.isFinite(result) ? result : current;
}

export function scaleDownLimit(current: number, events: ScaleEvent[], rules: ScalingRules, now: number): number {
  const r = { ...DEFAULT_SCALE_DOWN, ...rules };
  if (r.selectPolicy === 'Disabled') return current;
  let result = r.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const p of r.policies) {
    const start = current + periodChange(events, now, p.periodSeconds);
    const proposed = p.type === 'Pods' ? start - p.value : Math.floor(start * (1 - p.value / 100));
    result = r.selectPolicy === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return Number.isFinite(result) ? result : current;
}

/** convertDesiredReplicasWithBehaviorRate: the policies' rate limits, then min/max. */
export function limitWithBehavior(current: number, desired: number, min: number, max: number, b: Behavior, upEvents: ScaleEvent[], downEvents: ScaleEvent[], now: number): Limited {
  if (desired > current) {
    const upLimit = scaleUpLimit(current, upEvents, b.scaleUp ?? {}, now);
    let maxAllowed = Math.min(max, upLimit);
    if (maxAllowed < current) maxAllowed = current;
    const cond = upLimit < max
      ? { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
      : { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    if (desired > maxAllowed) return { replicas: maxAllowed, ...cond };
  } else if (desired < current) {
    const downLimit = scaleDownLimit(current, downEvents, b.scaleDown ?? {}, now);
    let minAllowed = Math.max(min, downLimit);
    if (minAllowed > current) minAllowed = current;
    const cond = downLimit > min
      ? { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
      : { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    if (desired < minAllowed) return { replicas: minAllowed, ...cond };
  }
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}
