// Turns the object index into what the cluster map draws: nodes (control plane first) holding their
// pods grouped by owning Deployment/ReplicaSet, an area for unscheduled pods, and services with the
// pods behind them. Pure, so it is unit tested; PodViews are memoised by resourceVersion so an
// unchanged pod keeps its object identity and its keyed block does not re-render.
import type { KObject } from '../../../../main/bridge/contract.js';
import { nsName, objectKey, type ObjectIndex } from './objectIndex.js';
import { podStatus, type PodStatusInfo } from './podStatus.js';

export interface PodView {
  key: string;
  name: string;
  namespace: string;
  nodeName: string;
  status: PodStatusInfo;
  groupKey: string;
  containers: string[];
}

export interface GroupView {
  /** '' for pods with no controller */
  key: string;
  kind: string;
  name: string;
  pods: PodView[];
}

export interface NodeView {
  key: string;
  name: string;
  controlPlane: boolean;
  ready: boolean;
  unschedulable: boolean;
  /** like kubectl's STATUS column: Ready, NotReady, Unknown, ...,SchedulingDisabled */
  statusText: string;
  groups: GroupView[];
  podCount: number;
}

export interface ServiceView {
  key: string;
  name: string;
  namespace: string;
  type: string;
  podKeys: string[];
}

export interface MapView {
  nodes: NodeView[];
  pending: GroupView[];
  services: ServiceView[];
  namespaces: string[];
  podCount: number;
}

export const EMPTY_VIEW: MapView = { nodes: [], pending: [], services: [], namespaces: [], podCount: 0 };

type Meta = KObject['metadata'];
function controllerOf(meta: Meta): { kind: string; name: string } | undefined {
  const refs = meta.ownerReferences ?? [];
  return refs.find((r) => r.controller) ?? refs[0];
}

function nodeStatus(node: KObject): { ready: boolean; text: string; unschedulable: boolean } {
  const conds = ((node['status'] as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions) ?? [];
  const readyCond = conds.find((c) => c.type === 'Ready');
  const ready = readyCond?.status === 'True';
  let text = readyCond ? (ready ? 'Ready' : readyCond.status === 'Unknown' ? 'Unknown' : 'NotReady') : 'Unknown';
  const unschedulable = !!(node['spec'] as { unschedulable?: boolean } | undefined)?.unschedulable;
  if (unschedulable) text += ',SchedulingDisabled';
  return { ready, text, unschedulable };
}

function isControlPlane(node: KObject): boolean {
  const labels = node.metadata.labels ?? {};
  return 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels;
}

function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector);
  if (entries.length === 0) return false;
  return entries.every(([k, v]) => labels?.[k] === v);
}

// natural order, so web-2 comes before web-10
const collator = new Intl.Collator('en', { numeric: true });
const byName = (a: string, b: string) => collator.compare(a, b);

/** Keeps PodViews stable across rebuilds while their pod and group are unchanged. */
export class PodViewCache {
  private cache = new Map<string, { obj: KObject; groupKey: string; view: PodView }>();

  get(obj: KObject, groupKey: string): PodView {
    const key = objectKey(obj);
    const hit = this.cache.get(key);
    if (hit && hit.obj === obj && hit.groupKey === groupKey) return hit.view;
    const spec = obj['spec'] as { nodeName?: string; containers?: Array<{ name: string }> } | undefined;
    const view: PodView = {
      key,
      name: obj.metadata.name ?? '',
      namespace: obj.metadata.namespace ?? '',
      nodeName: spec?.nodeName ?? '',
      status: podStatus(obj),
      groupKey,
      containers: (spec?.containers ?? []).map((c) => c.name),
    };
    this.cache.set(key, { obj, groupKey, view });
    return view;
  }

  prune(live: ReadonlySet<string>): void {
    for (const k of this.cache.keys()) if (!live.has(k)) this.cache.delete(k);
  }
}

function groupFor(pod: KObject, rsByName: Map<string, KObject>): { key: string; kind: string; name: string } {
  const owner = controllerOf(pod.metadata);
  if (!owner) return { key: '', kind: '', name: '' };
  const ns = pod.metadata.namespace;
  if (owner.kind === 'ReplicaSet') {
    const rs = rsByName.get(nsName(ns, owner.name));
    const deploy = rs && controllerOf(rs.metadata);
    if (deploy?.kind === 'Deployment') return { key: `Deployment/${nsName(ns, deploy.name)}`, kind: 'Deployment', name: deploy.name };
  }
  return { key: `${owner.kind}/${nsName(ns, owner.name)}`, kind: owner.kind, name: owner.name };
}

function addToGroups(groups: Map<string, GroupView>, g: { key: string; kind: string; name: string }, view: PodView): void {
  let group = groups.get(g.key);
  if (!group) groups.set(g.key, (group = { ...g, pods: [] }));
  group.pods.push(view);
}

function sortedGroups(groups: Map<string, GroupView>): GroupView[] {
  const list = [...groups.values()];
  for (const g of list) g.pods.sort((a, b) => a.namespace.localeCompare(b.namespace) || byName(a.name, b.name));
  // controller groups first (by name), loose pods last
  return list.sort((a, b) => (a.key === '' ? 1 : 0) - (b.key === '' ? 1 : 0) || byName(a.name, b.name));
}

/** namespace '' means all namespaces */
export function buildMap(index: ObjectIndex, namespace: string, cache: PodViewCache): MapView {
  const { nodes, pods, services, endpoints, replicasets, namespaces } = index.byKind;
  const inNs = (o: KObject) => namespace === '' || o.metadata.namespace === namespace;

  const rsByName = new Map<string, KObject>();
  for (const rs of replicasets.values()) rsByName.set(nsName(rs.metadata.namespace, rs.metadata.name), rs);

  const perNode = new Map<string, Map<string, GroupView>>();
  const pendingGroups = new Map<string, GroupView>();
  const live = new Set<string>();
  const podsByNsName = new Map<string, PodView>();
  const nsSeen = new Set<string>();
  for (const n of namespaces.values()) if (n.metadata.name) nsSeen.add(n.metadata.name);
  let podCount = 0;

  for (const pod of pods.values()) {
    if (pod.metadata.namespace) nsSeen.add(pod.metadata.namespace);
    if (!inNs(pod)) continue;
    const g = groupFor(pod, rsByName);
    const view = cache.get(pod, g.key);
    live.add(view.key);
    podsByNsName.set(nsName(view.namespace, view.name), view);
    podCount++;
    let target = pendingGroups;
    if (view.nodeName) {
      target = perNode.get(view.nodeName) ?? new Map();
      perNode.set(view.nodeName, target);
    }
    addToGroups(target, g, view);
  }
  cache.prune(live);

  const nodeViews: NodeView[] = [];
  for (const node of nodes.values()) {
    const name = node.metadata.name ?? '';
    const st = nodeStatus(node);
    const groups = sortedGroups(perNode.get(name) ?? new Map());
    perNode.delete(name);
    nodeViews.push({
      key: objectKey(node), name, controlPlane: isControlPlane(node), ready: st.ready, unschedulable: st.unschedulable,
      statusText: st.text, groups, podCount: groups.reduce((s, g) => s + g.pods.length, 0),
    });
  }
  // pods bound to a node the map does not know (yet) still need a home
  for (const groups of perNode.values()) for (const g of groups.values()) for (const p of g.pods) addToGroups(pendingGroups, g, p);
  nodeViews.sort((a, b) => Number(b.controlPlane) - Number(a.controlPlane) || byName(a.name, b.name));

  const epByName = new Map<string, KObject>();
  for (const e of endpoints.values()) epByName.set(nsName(e.metadata.namespace, e.metadata.name), e);
  const serviceViews: ServiceView[] = [];
  for (const svc of services.values()) {
    if (svc.metadata.namespace) nsSeen.add(svc.metadata.namespace);
    if (!inNs(svc)) continue;
    const spec = (svc['spec'] ?? {}) as { type?: string; selector?: Record<string, string> };
    const ns = svc.metadata.namespace;
    const ep = epByName.get(nsName(ns, svc.metadata.name));
    let podKeys: string[];
    if (ep) {
      const subsets = (ep['subsets'] ?? []) as Array<{ addresses?: Array<{ targetRef?: { kind?: string; name?: string } }>; notReadyAddresses?: Array<{ targetRef?: { kind?: string; name?: string } }> }>;
      podKeys = subsets
        .flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])])
        .filter((a) => a.targetRef?.kind === 'Pod')
        .map((a) => podsByNsName.get(nsName(ns, a.targetRef?.name))?.key)
        .filter((k): k is string => !!k);
    } else {
      // no Endpoints object (yet): fall back to the selector, which is what the controller would use
      podKeys = [...podsByNsName.values()].filter((p) => p.namespace === ns && selectorMatches(spec.selector ?? {}, pods.get(p.key)?.metadata.labels)).map((p) => p.key);
    }
    serviceViews.push({ key: objectKey(svc), name: svc.metadata.name ?? '', namespace: ns ?? '', type: spec.type ?? 'ClusterIP', podKeys });
  }
  serviceViews.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));

  return { nodes: nodeViews, pending: sortedGroups(pendingGroups), services: serviceViews, namespaces: [...nsSeen].sort(), podCount };
}
