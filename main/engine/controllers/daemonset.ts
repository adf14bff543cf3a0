// The DaemonSet controller (upstream pkg/controller/daemon): one pod per eligible node, pinned to
// it with required node affinity on metadata.name so the scheduler places it; rolling updates by
// controller-revision-hash within maxUnavailable; status counts per node. ControllerRevision
// objects are not kept (the API does not serve them), only the hash label.
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import { builtin } from '../api/registry.js';
import type { ComponentEnv } from '../components.js';
import type { EventRecorder } from '../events/recorder.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { keyOf, splitKey, type Controller } from './controller.js';
import { computeHash, scaled } from './deployment-util.js';
import { createPod, podFromTemplate, slowStartBatch } from './replicaset.js';
import { byCreation, claim, isPodAvailable, isPodReady, msUntilAvailable, podEventKeys, Requeue, bestEffort } from './workload-util.js';
import { claimCandidates, podIndex } from './store-index.js';
import { cloneJson } from '../store/json.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DS = builtin('apps', 'daemonsets');
const PODS = builtin('', 'pods');
const NODES = builtin('', 'nodes');
const COMPONENT = { component: 'daemonset-controller' };
export const REVISION_HASH = 'controller-revision-hash';
export const TEMPLATE_GENERATION = 'pod-template-generation';

/** The tolerations every daemon pod gets (AddOrUpdateDaemonPodTolerations). */
export function daemonTolerations(hostNetwork: boolean): Json[] {
  const t = (key: string, effect: string) => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });
  const out = [t('not-ready', 'NoExecute'), t('unreachable', 'NoExecute'), t('disk-pressure', 'NoSchedule'), t('memory-pressure', 'NoSchedule'), t('pid-pressure', 'NoSchedule'), t('unschedulable', 'NoSchedule')];
  if (hostNetwork) out.push(t('network-unavailable', 'NoSchedule'));
  return out;
}

function sameToleration(a: Json, b: Json): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.effect ?? '') === (b.effect ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '');
}

/** The daemon pod's spec for a node: template + daemon tolerations + affinity pinned to the node. */
export function daemonPodSpec(templateSpec: Json, nodeName: string): Json {
  const spec = cloneJson(templateSpec ?? {});
  const tolerations: Json[] = spec.tolerations ?? [];
  for (const t of daemonTolerations(spec.hostNetwork === true)) if (!tolerations.some((x) => sameToleration(x, t))) tolerations.push(t);
  spec.tolerations = tolerations;
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  spec.affinity ??= {};
  spec.affinity.nodeAffinity ??= {};
  spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
  return spec;
}

function tolerates(tolerations: Json[], taint: Json): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

function requirementMatches(r: Json, value: string | undefined): boolean {
  const vals: string[] = r.values ?? [];
  switch (r.operator) {
    case 'In': return value !== undefined && vals.includes(value); // prettier-ignore
    case 'NotIn': return value === undefined || !vals.includes(value); // prettier-ignore
    case 'Exists': return value !== undefined; // prettier-ignore
    case 'DoesNotExist': return value === undefined; // prettier-ignore
    case 'Gt': return value !== undefined && Number(value) > Number(vals[0]); // prettier-ignore
    case 'Lt': return value !== undefined && Number(value) < Number(vals[0]); // prettier-ignore
    default: return false; // prettier-ignore
  }
}

/** nodeShouldRunDaemonPod: node name, nodeSelector/required affinity, taints vs tolerations. */
export function shouldRunOn(ds: KObj, node: KObj): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const tplSpec: Json = (ds.spec as Json)?.template?.spec ?? {};
  const name = node.metadata.name!;
  const labels = node.metadata.labels ?? {};
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (tplSpec.nodeName && tplSpec.nodeName !== name) return no;
  if (!Object.entries((tplSpec.nodeSelector ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v)) return no;
  const terms: Json[] | undefined = tplSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms?.length) {
    const ok = terms.some(
      (t) =>
        (t.matchExpressions?.length || t.matchFields?.length) &&
        (t.matchExpressions ?? []).every((r: Json) => requirementMatches(r, labels[r.key])) &&
        (t.matchFields ?? []).every((r: Json) => requirementMatches(r, r.key === 'metadata.name' ? name : undefined)),
    );
    if (!ok) return no;
  }
  const tolerations = daemonPodSpec(tplSpec, name).tolerations as Json[];
  const untolerated = ((node.spec as Json)?.taints ?? []).filter((t: Json) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
  if (untolerated.length) return { shouldRun: false, shouldContinueRunning: !untolerated.some((t: Json) => t.effect === 'NoExecute') };
  return { shouldRun: true, shouldContinueRunning: true };
}

/** GetTargetNodeName: spec.nodeName, or the node the affinity pins it to. */
export function targetNode(pod: KObj): string | undefined {
  const spec = pod.spec as Json;
  if (spec?.nodeName) return spec.nodeName;
  const terms: Json[] = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  return undefined;
}

/** the template generation the API keeps in an annotation (apps/v1 dropped spec.templateGeneration) */
const templateGeneration = (ds: KObj): string | undefined => ds.metadata.annotations?.['deprecated.daemonset.template.generation'];

/** IsPodUpdated: the current hash, or the current template generation */
const isUpdated = (pod: KObj, hash: string, generation: string | undefined) =>
  pod.metadata.labels?.[REVISION_HASH] === hash || (generation !== undefined && pod.metadata.labels?.[TEMPLATE_GENERATION] === generation);

export class DaemonSetController implements Controller {
  readonly name = 'daemonset-controller';
  private client: LocalClient;
  private recorder: Pick<EventRecorder, 'event'>;
  private requeue: Requeue;

  constructor(private env: ComponentEnv) {
    this.client = env.client('kube-controller-manager');
    this.recorder = bestEffort(env.recorder(this.client));
    this.requeue = new Requeue(env.clock, (k) => this.reconcile(k));
  }

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === 'daemonsets.apps') return [keyOf(ev.object)];
    if (ev.resource === 'nodes') {
      const a = ev.object, b = ev.old; // prettier-ignore
      const relevant = (n: KObj | undefined) => JSON.stringify([n?.metadata.labels, (n?.spec as Json)?.taints, (n?.spec as Json)?.unschedulable]);
      if (ev.type === 'MODIFIED' && relevant(a) === relevant(b)) return [];
      return this.client.list(DS).map(keyOf);
    }
    if (ev.resource !== 'pods') return [];
    // an orphan may be adopted by any DaemonSet that selects it
    return podEventKeys(this.client, DS, 'DaemonSet', ev);
  }

  initialKeys(): string[] {
    return this.client.list(DS).map(keyOf);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const ds = this.client.get(DS, namespace, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const spec = ds.spec as Json;
    const hash = computeHash(spec.template, (ds.status as Json | undefined)?.collisionCount);
    const nodes = this.client.list(NODES);
    const byNode = () => {
      const pods = claim(this.client, PODS, ds, claimCandidates(podIndex(this.env.store), ds), spec.selector);
      const m = new Map<string, KObj[]>();
      for (const p of pods) {
        const n = targetNode(p);
        if (n) m.set(n, [...(m.get(n) ?? []), p].sort(byCreation));
      }
      return m;
    };
    let nodeToPods = byNode();
    const error = this.manage(ds, nodes, nodeToPods, hash);
    nodeToPods = byNode();
    if (!error && spec.updateStrategy?.type !== 'OnDelete') this.rollingUpdate(ds, nodes, nodeToPods, hash);
    this.writeStatus(ds, nodes, byNode(), hash);
    if (error) throw error;
  }

  private manage(ds: KObj, nodes: KObj[], nodeToPods: Map<string, KObj[]>, hash: string): unknown {
    const needing: string[] = [];
    const toDelete: KObj[] = [];
    const known = new Set(nodes.map((n) => n.metadata.name!));
    for (const node of nodes) {
      const { shouldRun, shouldContinueRunning } = shouldRunOn(ds, node);
      const pods = nodeToPods.get(node.metadata.name!) ?? [];
      if (shouldRun && !pods.length) needing.push(node.metadata.name!);
      else if (shouldContinueRunning) {
        const running: KObj[] = [];
        for (const p of pods) {
          if (p.metadata.deletionTimestamp) continue;
          if ((p.status as Json)?.phase === 'Failed') {
            this.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${node.metadata.name}, will try to kill it`, COMPONENT);
            toDelete.push(p);
          } else if ((p.status as Json)?.phase === 'Succeeded') toDelete.push(p);
          else running.push(p);
        }
        if (running.length > 1) toDelete.push(...running.slice(1)); // keep the oldest
      } else toDelete.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
    }
    // pods pinned to nodes that no longer exist
    for (const [n, pods] of nodeToPods) if (!known.has(n)) toDelete.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
    return this.syncNodes(ds, toDelete, needing, hash);
  }

  private syncNodes(ds: KObj, toDelete: KObj[], needing: string[], hash: string): unknown {
    const tpl = (ds.spec as Json).template ?? {};
    let i = 0;
    const r = slowStartBatch(needing.length, () => {
      const node = needing[i++]!;
      try {
        const pod = createPod(this.client, (suffix) => {
          const gen = templateGeneration(ds);
          const p = podFromTemplate(ds, tpl, suffix, { [REVISION_HASH]: hash, ...(gen ? { [TEMPLATE_GENERATION]: gen } : {}) });
          p.spec = daemonPodSpec(tpl.spec, node);
          return p;
        }, this.env.ids);
        this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
      } catch (e) {
        this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, COMPONENT);
        throw e;
      }
    });
    let error = r.error;
    for (const p of toDelete) {
      try {
        this.client.delete(PODS, p.metadata.namespace, p.metadata.name!);
        this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, COMPONENT);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) error ??= e;
      }
    }
    return error;
  }

  /** RollingUpdate with maxSurge 0: replace old pods while at most maxUnavailable are unavailable. */
  private rollingUpdate(ds: KObj, nodes: KObj[], nodeToPods: Map<string, KObj[]>, hash: string): void {
    const spec = ds.spec as Json;
    const desired = nodes.filter((n) => shouldRunOn(ds, n).shouldRun).length;
    const ru = spec.updateStrategy?.rollingUpdate ?? {};
    let maxUnavailable = scaled(ru.maxUnavailable ?? 1, desired, true);
    if (desired > 0 && maxUnavailable === 0 && scaled(ru.maxSurge ?? 0, desired, true) === 0) maxUnavailable = 1;
    const now = this.env.clock.now();
    const minReady = spec.minReadySeconds ?? 0;
    const generation = templateGeneration(ds);
    let unavailable = 0;
    const replace: KObj[] = [];
    const candidates: KObj[] = [];
    for (const [, pods] of [...nodeToPods].sort(([a], [b]) => a.localeCompare(b))) {
      const live = pods.filter((p) => !p.metadata.deletionTimestamp);
      const fresh = live.filter((p) => isUpdated(p, hash, generation));
      const old = live.filter((p) => !isUpdated(p, hash, generation));
      if (fresh.length > 1 || old.length > 1 || (fresh.length === 1) === (old.length === 1)) {
        unavailable++;
        continue;
      }
      if (fresh.length) {
        if (!isPodAvailable(fresh[0]!, minReady, now)) unavailable++;
      } else if (!isPodAvailable(old[0]!, minReady, now)) replace.push(old[0]!);
      else if (unavailable < maxUnavailable) candidates.push(old[0]!);
    }
    const budget = Math.max(0, Math.min(maxUnavailable - unavailable, candidates.length));
    const toDelete = [...replace, ...candidates.slice(0, budget)];
    if (toDelete.length) {
      const err = this.syncNodes(ds, toDelete, [], hash);
      if (err) throw err;
    }
  }

  private writeStatus(ds: KObj, nodes: KObj[], nodeToPods: Map<string, KObj[]>, hash: string): void {
    const spec = ds.spec as Json;
    const now = this.env.clock.now();
    const minReady = spec.minReadySeconds ?? 0;
    const generation = templateGeneration(ds);
    let desired = 0, current = 0, mis = 0, ready = 0, available = 0, updated = 0; // prettier-ignore
    const waits: number[] = [];
    for (const node of nodes) {
      const pods = nodeToPods.get(node.metadata.name!) ?? [];
      if (!shouldRunOn(ds, node).shouldRun) {
        if (pods.length) mis++;
        continue;
      }
      desired++;
      const pod = pods[0];
      if (!pod) continue;
      current++;
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReady, now)) available++;
        else waits.push(msUntilAvailable(pod, minReady, now) ?? minReady * 1000);
      }
      if (isUpdated(pod, hash, generation)) updated++;
    }
    const old = (ds.status ?? {}) as Json;
    const status: Json = { currentNumberScheduled: current, numberMisscheduled: mis, desiredNumberScheduled: desired, numberReady: ready, observedGeneration: ds.metadata.generation ?? 1 };
    if (updated) status.updatedNumberScheduled = updated;
    if (available) status.numberAvailable = available;
    if (desired - available) status.numberUnavailable = desired - available;
    if (old.collisionCount != null) status.collisionCount = old.collisionCount;
    if (old.conditions) status.conditions = old.conditions;
    if (JSON.stringify(status) !== JSON.stringify(old)) {
      this.client.modifyStatus(DS, ds.metadata.namespace, ds.metadata.name!, (o) => {
        o.status = status;
      });
    }
    if (waits.length) this.requeue.after(keyOf(ds), Math.min(...waits));
  }
}
