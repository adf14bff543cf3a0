// NetworkPolicy as a CNI enforces it: a pod selected by a policy of a direction (Ingress/Egress)
// is isolated in that direction, and a connection passes only if some selecting policy has a rule
// whose peers and ports admit it. Both the source's egress and the destination's ingress must pass.
import { fromLabelSelectorObject, matchesLabels } from '../store/selectors.js';
import type { KObj } from '../store/types.js';
import { cidrContains, spec, type ClusterView } from './view.js';

type Obj = Record<string, unknown>;
type Selector = Parameters<typeof fromLabelSelectorObject>[0];

/** one end of a connection: an IP, and the pod behind it when it is on the pod network */
export interface Peer {
  ip: string;
  pod?: { namespace: string; labels: Record<string, string>; spec?: unknown };
  /** labels of the pod's namespace when it has no Namespace object (the simulated ingress controller) */
  namespaceLabels?: Record<string, string>;
}

interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface PolicyPeer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  ports?: PolicyPort[];
  from?: PolicyPeer[];
  to?: PolicyPeer[];
}

const selects = (sel: Selector, labels: Record<string, string> | undefined) => matchesLabels(fromLabelSelectorObject(sel ?? {}), labels);

function policyTypes(p: KObj): string[] {
  const s = spec(p);
  const t = s.policyTypes as string[] | undefined;
  if (t?.length) return t;
  return (s.egress as unknown[] | undefined)?.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** the policies of the pod's namespace that select it for a direction */
export function selectingPolicies(view: ClusterView, pod: NonNullable<Peer['pod']>, dir: 'Ingress' | 'Egress'): KObj[] {
  return view.policies(pod.namespace).filter((p) => policyTypes(p).includes(dir) && selects(spec(p).podSelector as Selector, pod.labels));
}

function peerMatches(view: ClusterView, policyNs: string, peer: PolicyPeer, other: Peer): boolean {
  if (peer.ipBlock) {
    return cidrContains(peer.ipBlock.cidr, other.ip) && !(peer.ipBlock.except ?? []).some((e) => cidrContains(e, other.ip));
  }
  if (!other.pod) return false;
  if (peer.namespaceSelector) {
    const nsLabels = other.namespaceLabels ?? view.namespaceLabels(other.pod.namespace);
    if (!selects(peer.namespaceSelector, nsLabels)) return false;
  } else if (other.pod.namespace !== policyNs) return false;
  return peer.podSelector ? selects(peer.podSelector, other.pod.labels) : true;
}

/** a named port is looked up among the destination pod's container ports */
function namedPort(dst: Peer, name: string, protocol: string): number | undefined {
  const containers = ((dst.pod?.spec as Obj | undefined)?.containers as Array<{ ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }> | undefined) ?? [];
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === name && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return undefined;
}

function portMatches(ports: PolicyPort[] | undefined, dst: Peer, port: number, protocol: string): boolean {
  if (!ports?.length) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number' || /^\d+$/.test(p.port)) {
      const lo = Number(p.port);
      return port >= lo && port <= (p.endPort ?? lo);
    }
    return namedPort(dst, p.port, protocol) === port;
  });
}

function admits(view: ClusterView, policies: KObj[], dir: 'Ingress' | 'Egress', other: Peer, dst: Peer, port: number, protocol: string): boolean {
  for (const pol of policies) {
    const rules = (spec(pol)[dir === 'Ingress' ? 'ingress' : 'egress'] as Rule[] | undefined) ?? [];
    for (const r of rules) {
      const peers = dir === 'Ingress' ? r.from : r.to;
      if (!portMatches(r.ports, dst, port, protocol)) continue;
      if (!peers?.length || peers.some((pp) => peerMatches(view, pol.metadata.namespace!, pp, other))) return true;
    }
  }
  return false;
}

export type Verdict = { allowed: true } | { allowed: false; by: 'egress' | 'ingress'; policies: string[] };

/**
 * whether a connection src → dst:port/protocol passes the policies of both ends. `seenFrom` is
 * the source as the destination sees it when a hop rewrote it (SNAT of NodePort/LB traffic).
 */
export function check(view: ClusterView, src: Peer, dst: Peer, port: number, protocol = 'TCP', seenFrom: Peer = src): Verdict {
  if (src.pod && !(src.pod.namespace === dst.pod?.namespace && src.ip === dst.ip)) {
    const eg = selectingPolicies(view, src.pod, 'Egress');
    if (eg.length && !admits(view, eg, 'Egress', dst, dst, port, protocol)) return { allowed: false, by: 'egress', policies: eg.map((p) => p.metadata.name!) };
  }
  if (dst.pod) {
    const ing = selectingPolicies(view, dst.pod, 'Ingress');
    if (ing.length && !admits(view, ing, 'Ingress', seenFrom, dst, port, protocol)) return { allowed: false, by: 'ingress', policies: ing.map((p) => p.metadata.name!) };
  }
  return { allowed: true };
}
