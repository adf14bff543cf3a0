// One scheduling attempt as a pure function: filter every node, score the feasible ones, pick the
// best; when none fits, explain why in kube-scheduler's words (FitError.Error() plus the
// DefaultPreemption post-filter) and say whether evicting lower-priority pods would make room.
import type { KObj } from '../store/types.js';
import { PLUGINS, type CycleState, type SchedulerPlugin } from './plugins.js';
import { podPriority, withoutPods, type NodeInfo } from './resources.js';

export const NO_NODES = 'no nodes available to schedule pods';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface NodeTrace {
  node: string;
  /** the filter that rejected the node, with its reasons; absent when the node passed every filter */
  rejectedBy?: { plugin: string; reasons: string[] };
  /** weighted score per plugin (feasible nodes only) */
  scores?: Record<string, number>;
  total?: number;
}

export interface ScheduleOutcome {
  /** the chosen node */
  node?: string;
  /** FailedScheduling message when no node was chosen */
  message?: string;
  nodes: NodeTrace[];
  /** a node where evicting `victims` (lower priority) makes the pod fit */
  preemption?: { node: string; victims: KObj[] };
}

type Filtered = { ok: true } | { ok: false; plugin: string; reasons: string[]; unresolvable: boolean };

export function runFilters(pod: KObj, ni: NodeInfo, plugins: ReadonlyMap<string, SchedulerPlugin> = PLUGINS, state: CycleState = {}): Filtered {
  for (const p of plugins.values()) {
    if (!p.filter) continue;
    const r = p.filter(pod, ni, state);
    if (!r.ok) return { ok: false, plugin: p.name, reasons: r.reasons, unresolvable: r.unresolvable };
  }
  return { ok: true };
}

/** "1 node(s) had …, 2 Insufficient cpu": "<count> <reason>" strings in byte order, as sort.Strings. */
export function reasonHistogram(reasonLists: string[][]): string {
  const counts = new Map<string, number>();
  for (const list of reasonLists) for (const r of list) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`);
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.join(', ');
}

export function fitErrorMessage(numNodes: number, reasonLists: string[][], postFilterMsg?: string): string {
  let msg = `0/${numNodes} nodes are available:`;
  const hist = reasonHistogram(reasonLists);
  if (hist) msg += ` ${hist}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}`;
  return msg;
}

/**
 * Schedule `pod` onto one of `infos`. Ties between equal totals go to the first node in name order
 * (upstream picks one of them at random; a fixed choice keeps lessons and tests reproducible).
 */
export function schedulePod(pod: KObj, infos: NodeInfo[], plugins: ReadonlyMap<string, SchedulerPlugin> = PLUGINS): ScheduleOutcome {
  // the store lists nodes in name order already; sorting a sorted list was a cost per attempt
  const nodes = inNameOrder(infos) ? infos : [...infos].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (nodes.length === 0) return { message: NO_NODES, nodes: [] };
  const state: CycleState = {};
  const traces: NodeTrace[] = [];
  const feasible: Array<{ ni: NodeInfo; trace: NodeTrace }> = [];
  const failures = new Map<NodeInfo, Extract<Filtered, { ok: false }>>();
  for (const ni of nodes) {
    const r = runFilters(pod, ni, plugins, state);
    const trace: NodeTrace = { node: ni.name };
    traces.push(trace);
    if (r.ok) feasible.push({ ni, trace });
    else {
      trace.rejectedBy = { plugin: r.plugin, reasons: r.reasons };
      failures.set(ni, r);
    }
  }
  if (feasible.length === 0) {
    const reasons = [...failures.values()].map((f) => f.reasons);
    const pre = preempt(pod, nodes, failures, plugins, state);
    if ('candidate' in pre) return { message: fitErrorMessage(nodes.length, reasons), nodes: traces, preemption: pre.candidate };
    return { message: fitErrorMessage(nodes.length, reasons, pre.message), nodes: traces };
  }
  for (const f of feasible) {
    f.trace.scores = {};
    f.trace.total = 0;
  }
  for (const p of plugins.values()) {
    if (!p.score) continue;
    const raw = feasible.map((f) => p.score!(pod, f.ni, state));
    const norm = p.normalize ? p.normalize(raw) : raw;
    const w = p.weight ?? 1;
    feasible.forEach((f, i) => {
      const s = norm[i]! * w;
      f.trace.scores![p.name] = s;
      f.trace.total! += s;
    });
  }
  let best = feasible[0]!;
  for (const f of feasible) if (f.trace.total! > best.trace.total!) best = f;
  return { node: best.ni.name, nodes: traces };
}

function inNameOrder(infos: NodeInfo[]): boolean {
  for (let i = 1; i < infos.length; i++) if (!(infos[i - 1]!.name < infos[i]!.name)) return false;
  return true;
}

/**
 * DefaultPreemption's dry run: on each node where a resolvable filter failed, would removing every
 * lower-priority pod make room? Returns the best such node and the minimal victims, or the
 * post-filter message ("preemption: 0/N nodes are available: …").
 */
function preempt(
  pod: KObj,
  nodes: NodeInfo[],
  failures: Map<NodeInfo, Extract<Filtered, { ok: false }>>,
  plugins: ReadonlyMap<string, SchedulerPlugin>,
  state: CycleState,
): { candidate: { node: string; victims: KObj[] } } | { message: string } {
  if ((pod.spec as { preemptionPolicy?: string } | undefined)?.preemptionPolicy === 'Never') {
    return { message: 'preemption: not eligible due to preemptionPolicy=Never.' };
  }
  const prio = podPriority(pod);
  // an earlier preemption is still making room: wait for it rather than evict more
  const nominated = (pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
  const nomInfo = nominated ? nodes.find((n) => n.name === nominated) : undefined;
  if (nomInfo && !failures.get(nomInfo)?.unresolvable && nomInfo.pods.some((p) => podPriority(p) < prio && p.metadata.deletionTimestamp)) {
    return { message: 'preemption: not eligible due to a terminating pod on the nominated node.' };
  }
  const statuses: string[][] = [];
  const candidates: Array<{ node: string; victims: KObj[] }> = [];
  for (const ni of nodes) {
    const f = failures.get(ni);
    if (!f || f.unresolvable) {
      statuses.push([PREEMPTION_NOT_HELPFUL]);
      continue;
    }
    const lower = ni.pods.filter((p) => podPriority(p) < prio);
    if (lower.length === 0) {
      statuses.push([NO_VICTIMS]);
      continue;
    }
    const removed = new Set(lower);
    const after = runFilters(pod, withoutPods(ni, removed), plugins, state);
    if (!after.ok) {
      statuses.push(after.reasons);
      continue;
    }
    // give back as many victims as possible, most important first
    for (const v of [...lower].sort((a, b) => podPriority(b) - podPriority(a))) {
      removed.delete(v);
      if (!runFilters(pod, withoutPods(ni, removed), plugins, state).ok) removed.add(v);
    }
    candidates.push({ node: ni.name, victims: lower.filter((p) => removed.has(p)) });
  }
  if (candidates.length) {
    // fewest important victims first, then fewest victims; nodes are already in name order
    const key = (c: { victims: KObj[] }) => [Math.max(...c.victims.map(podPriority)), c.victims.reduce((s, v) => s + podPriority(v), 0), c.victims.length];
    candidates.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
      return 0;
    });
    return { candidate: candidates[0]! };
  }
  return { message: `preemption: ${fitErrorMessage(nodes.length, statuses)}` };
}
