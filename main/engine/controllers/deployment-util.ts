// Pure helpers of the Deployment controller (upstream pkg/controller/deployment/util): the
// pod-template-hash, semantic template comparison, revisions, surge/unavailable fenceposts,
// conditions and the status computation `kubectl rollout status` reads.
import { defaultPodTemplate } from '../api/validation/apps.js';
import type { KObj } from '../store/types.js';
import { byCreation } from './workload-util.js';
import { cloneJson } from '../store/json.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const MAX_REV_HISTORY_CHARS = 2000;
// annotations the controller owns or that describe the Deployment object itself: never copied to RSs
const SKIP_COPY = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** apimachinery's SafeEncodeString: each byte picks a letter of the vowel-free alphabet. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE[s.charCodeAt(i) % SAFE.length];
  return out;
}

function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

/**
 * A template as the API would decode it: defaults applied, null / empty objects / empty arrays
 * dropped (Go's omitempty and Semantic.DeepEqual treat them as absent) and without the hash label.
 * This is what makes `kubectl rollout undo`'s `resources: {}` / `creationTimestamp: null` match.
 */
export function normalizeTemplate(template: unknown): Json {
  const t = cloneJson((template ?? {}) as Json);
  if (t.metadata?.labels) delete t.metadata.labels[HASH_LABEL];
  defaultPodTemplate(t);
  return (prune(t) as Json | undefined) ?? {};
}

function prune(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    const a = v.map(prune).filter((x) => x !== undefined);
    return a.length ? a : undefined;
  }
  if (typeof v === 'object') {
    const o: Json = {};
    for (const k of Object.keys(v as Json).sort()) {
      const x = prune((v as Json)[k]);
      if (x !== undefined) o[k] = x;
    }
    return Object.keys(o).length ? o : undefined;
  }
  return v;
}

/** ComputeHash: fnv32a over the template (and collisionCount), its decimal form safe-encoded. */
export function computeHash(template: unknown, collisionCount?: number): string {
  const bytes = new TextEncoder().encode(JSON.stringify(normalizeTemplate(template)));
  let h = fnv32a(bytes);
  if (collisionCount != null) {
    const cc = new Uint8Array(8);
    new DataView(cc.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(cc, h);
  }
  return safeEncode(String(h));
}

/** EqualIgnoreHash, semantically. */
export function templatesEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalizeTemplate(a)) === JSON.stringify(normalizeTemplate(b));
}

export const replicasOf = (o: KObj | undefined): number => {
  const r = (o?.spec as Json | undefined)?.replicas;
  return typeof r === 'number' ? r : 0;
};
const st = (o: KObj | undefined): Json => (o?.status as Json | undefined) ?? {};
const sum = (rss: Array<KObj | undefined>, f: (rs: KObj) => number) => rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);
export const specReplicaSum = (rss: Array<KObj | undefined>) => sum(rss, replicasOf);
export const statusReplicaSum = (rss: Array<KObj | undefined>) => sum(rss, (rs) => st(rs).replicas ?? 0);
export const availableSum = (rss: Array<KObj | undefined>) => sum(rss, (rs) => st(rs).availableReplicas ?? 0);
export const readySum = (rss: Array<KObj | undefined>) => sum(rss, (rs) => st(rs).readyReplicas ?? 0);

export function revisionOf(o: KObj | undefined): number {
  const n = Number(o?.metadata.annotations?.[REVISION] ?? NaN);
  return Number.isInteger(n) ? n : 0;
}

/** GetScaledValueFromIntOrPercent */
export function scaled(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) {
    const x = (Number(v.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return 0;
}

/** ResolveFenceposts: surge rounds up, unavailable down; both zero means one may be unavailable. */
export function fenceposts(maxSurge: unknown, maxUnavailable: unknown, desired: number): { surge: number; unavailable: number } {
  const surge = scaled(maxSurge ?? 0, desired, true);
  let unavailable = scaled(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

const isRolling = (d: KObj) => (d.spec as Json).strategy?.type !== 'Recreate';

export function maxSurge(d: KObj): number {
  if (!isRolling(d)) return 0;
  const ru = (d.spec as Json).strategy?.rollingUpdate ?? {};
  return fenceposts(ru.maxSurge, ru.maxUnavailable, replicasOf(d)).surge;
}

export function maxUnavailable(d: KObj): number {
  const desired = replicasOf(d);
  if (!isRolling(d) || desired === 0) return 0;
  const ru = (d.spec as Json).strategy?.rollingUpdate ?? {};
  return Math.min(desired, fenceposts(ru.maxSurge, ru.maxUnavailable, desired).unavailable);
}

/** NewRSNewReplicas: how big the new RS may be now. */
export function newRSNewReplicas(d: KObj, allRSs: KObj[], newRS: KObj): number {
  if (!isRolling(d)) return replicasOf(d);
  const current = specReplicaSum(allRSs);
  const maxTotal = replicasOf(d) + maxSurge(d);
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRS));
}

/** The proportion of a scale change an RS takes (GetProportion with getReplicaSetFraction). */
export function proportion(rs: KObj, d: KObj, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -replicasOf(rs);
  else {
    const before = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? NaN);
    if (!Number.isInteger(before) || before === 0) fraction = 0;
    else fraction = Math.round((replicasOf(rs) * (replicasOf(d) + maxSurge(d))) / before) - replicasOf(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** SetNewReplicaSetAnnotations; mutates rs, returns whether anything changed. */
export function setNewRSAnnotations(d: KObj, rs: KObj, newRevision: number, exists: boolean): boolean {
  const ann = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_COPY.has(k) || ann[k] === v) continue;
    ann[k] = v;
    changed = true;
  }
  const oldText = ann[REVISION];
  const old = oldText === undefined ? 0 : Number(oldText);
  if (!Number.isInteger(old)) return changed;
  if (old < newRevision) {
    ann[REVISION] = String(newRevision);
    changed = true;
    // a reused RS (rollback) remembers the revisions it had
    if (oldText !== undefined) {
      const hist = ann[REVISION_HISTORY] ?? '';
      if (!hist) ann[REVISION_HISTORY] = oldText;
      else {
        const parts = hist.split(',');
        let total = hist.length + oldText.length + 1;
        while (total > MAX_REV_HISTORY_CHARS && parts.length) total -= parts.shift()!.length + 1;
        if (total <= MAX_REV_HISTORY_CHARS) ann[REVISION_HISTORY] = [...parts, oldText].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

export function setReplicasAnnotations(rs: KObj, desired: number, max: number): boolean {
  const ann = (rs.metadata.annotations ??= {});
  const changed = ann[DESIRED_REPLICAS] !== String(desired) || ann[MAX_REPLICAS] !== String(max);
  ann[DESIRED_REPLICAS] = String(desired);
  ann[MAX_REPLICAS] = String(max);
  return changed;
}

// ---- conditions ----------------------------------------------------------------------------

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export const cond = (type: string, status: Condition['status'], reason: string, message: string, now: string): Condition => ({ type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message });

export const getCondition = (status: Json, type: string): Condition | undefined => (status.conditions as Condition[] | undefined)?.find((c) => c.type === type);

/** SetDeploymentCondition: same status+reason is a no-op; same status keeps lastTransitionTime; changed conditions move to the end. */
export function setCondition(status: Json, c: Condition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c = { ...c, lastTransitionTime: cur.lastTransitionTime };
  status.conditions = [...((status.conditions as Condition[] | undefined) ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(status: Json, type: string): void {
  if (!status.conditions) return;
  status.conditions = (status.conditions as Condition[]).filter((x) => x.type !== type);
  if (!(status.conditions as Condition[]).length) delete status.conditions;
}

/** calculateStatus: counts from the RSs; the Available condition from maxUnavailable. */
export function calculateStatus(d: KObj, allRSs: KObj[], newRS: KObj | undefined, now: string): Json {
  const old = st(d);
  const available = availableSum(allRSs);
  const status: Json = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: statusReplicaSum(allRSs),
    updatedReplicas: statusReplicaSum([newRS]),
    readyReplicas: readySum(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicaSum(allRSs) - available),
    collisionCount: old.collisionCount,
    conditions: cloneJson(old.conditions),
  };
  if (available >= replicasOf(d) - maxUnavailable(d)) setCondition(status, cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now));
  else setCondition(status, cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
  return status;
}

/** The fields are omitempty upstream: zero counts are not written. */
export function compactStatus(s: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined && v !== 0 && !(Array.isArray(v) && !v.length)) out[k] = v;
  return out;
}

export function deploymentComplete(d: KObj, s: Json): boolean {
  const want = replicasOf(d);
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1);
}

export function deploymentProgressing(d: KObj, s: Json): boolean {
  const o = st(d);
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0);
}

export function deploymentTimedOut(d: KObj, s: Json, now: number): boolean {
  const pds = (d.spec as Json).progressDeadlineSeconds;
  if (typeof pds !== 'number') return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  return Date.parse(c.lastUpdateTime) + pds * 1000 < now;
}

// ---- orderings -----------------------------------------------------------------------------

/** FindNewReplicaSet: the oldest RS whose template matches the Deployment's. */
export function findNewRS(d: KObj, rss: KObj[]): KObj | undefined {
  return [...rss].sort(byCreation).find((rs) => templatesEqual((rs.spec as Json)?.template, (d.spec as Json).template));
}

/** larger first; ties newer first (ReplicaSetsBySizeNewer) or older first (BySizeOlder) */
export const bySizeNewer = (a: KObj, b: KObj) => replicasOf(b) - replicasOf(a) || -byCreation(a, b);
export const bySizeOlder = (a: KObj, b: KObj) => replicasOf(b) - replicasOf(a) || byCreation(a, b);
export const byRevision = (a: KObj, b: KObj) => revisionOf(a) - revisionOf(b) || byCreation(a, b);
