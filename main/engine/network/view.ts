// Read-only access to what the network data plane needs from the store: Services and their
// endpoints (EndpointSlices, as kube-proxy and CoreDNS watch them), pods by IP, nodes, namespaces.
import { builtin } from '../api/registry.js';
import type { Store } from '../store/store.js';
import type { KObj } from '../store/types.js';

type Obj = Record<string, unknown>;

const SERVICES = builtin('', 'services');
const ENDPOINTS = builtin('', 'endpoints');
const SLICES = builtin('discovery.k8s.io', 'endpointslices');
const PODS = builtin('', 'pods');
const NODES = builtin('', 'nodes');
const NAMESPACES = builtin('', 'namespaces');
export const INGRESSES = builtin('networking.k8s.io', 'ingresses');
export const INGRESS_CLASSES = builtin('networking.k8s.io', 'ingressclasses');
export const NETWORK_POLICIES = builtin('networking.k8s.io', 'networkpolicies');

export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  nodePort?: number;
}

export interface Endpoint {
  ip: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  hostname?: string;
  nodeName?: string;
  /** the pod behind the address (targetRef) */
  pod?: { namespace: string; name: string };
  /** endpoint port name ("" for an unnamed one) → port number */
  ports: Map<string, number>;
}

export const spec = (o: KObj): Obj => (o.spec ?? {}) as Obj;
export const status = (o: KObj): Obj => (o.status ?? {}) as Obj;
export const servicePorts = (svc: KObj): ServicePort[] => (spec(svc).ports as ServicePort[] | undefined) ?? [];
export const podIPOf = (p: KObj): string | undefined => status(p).podIP as string | undefined;
export const hostNetwork = (p: KObj): boolean => !!spec(p).hostNetwork;
const finished = (p: KObj) => ['Succeeded', 'Failed'].includes(status(p).phase as string);

export function lbIPs(svc: KObj): string[] {
  const ing = ((status(svc).loadBalancer as Obj | undefined)?.ingress as Array<{ ip?: string }> | undefined) ?? [];
  return ing.map((i) => i.ip).filter((x): x is string => !!x);
}

export class ClusterView {
  constructor(readonly store: Store) {}

  services(namespace?: string): KObj[] {
    return this.store.list(SERVICES, namespace);
  }
  service(namespace: string, name: string): KObj | undefined {
    return this.store.get(SERVICES, namespace, name);
  }
  serviceByClusterIP(ip: string): KObj | undefined {
    return this.services().find((s) => spec(s).clusterIP === ip);
  }
  pods(namespace?: string): KObj[] {
    return this.store.list(PODS, namespace);
  }
  pod(namespace: string, name: string): KObj | undefined {
    return this.store.get(PODS, namespace, name);
  }
  /** the live pod owning a pod-network IP (hostNetwork pods share their node's IP and are not returned) */
  podByIP(ip: string): KObj | undefined {
    const cands = this.pods().filter((p) => !hostNetwork(p) && podIPOf(p) === ip && !finished(p));
    return cands.find((p) => !p.metadata.deletionTimestamp) ?? cands[0];
  }
  nodes(): KObj[] {
    return this.store.list(NODES);
  }
  nodeIP(n: KObj): string | undefined {
    return ((status(n).addresses as Array<{ type: string; address: string }> | undefined) ?? []).find((a) => a.type === 'InternalIP')?.address;
  }
  nodeByIP(ip: string): KObj | undefined {
    return this.nodes().find((n) => this.nodeIP(n) === ip);
  }
  nodeByName(name: string): KObj | undefined {
    return this.store.get(NODES, undefined, name);
  }
  namespaceLabels(name: string): Record<string, string> | undefined {
    const ns = this.store.get(NAMESPACES, undefined, name);
    if (!ns) return undefined;
    return { 'kubernetes.io/metadata.name': name, ...(ns.metadata.labels ?? {}) };
  }
  policies(namespace: string): KObj[] {
    return this.store.list(NETWORK_POLICIES, namespace);
  }
  ingresses(): KObj[] {
    return this.store.list(INGRESSES);
  }
  ingressClasses(): KObj[] {
    return this.store.list(INGRESS_CLASSES);
  }

  /** a Service's endpoints from its EndpointSlices, else from a hand-written Endpoints object */
  endpoints(svc: KObj): Endpoint[] {
    const ns = svc.metadata.namespace!;
    const name = svc.metadata.name!;
    const slices = this.store.list(SLICES, ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name);
    const out: Endpoint[] = [];
    if (slices.length) {
      for (const sl of slices) {
        const ports = new Map<string, number>();
        for (const p of ((sl as Obj).ports as Array<{ name?: string; port?: number }> | undefined) ?? []) if (p.port) ports.set(p.name ?? '', p.port);
        for (const e of ((sl as Obj).endpoints as Obj[] | undefined) ?? []) {
          const c = (e.conditions ?? {}) as { ready?: boolean; serving?: boolean; terminating?: boolean };
          const ref = e.targetRef as { kind?: string; namespace?: string; name?: string } | undefined;
          for (const ip of (e.addresses as string[] | undefined) ?? []) {
            out.push({
              ip,
              // the API says a missing ready/serving condition means "ready"
              ready: c.ready ?? true,
              serving: c.serving ?? c.ready ?? true,
              terminating: c.terminating ?? false,
              hostname: e.hostname as string | undefined,
              nodeName: e.nodeName as string | undefined,
              pod: ref?.kind === 'Pod' && ref.name ? { namespace: ref.namespace ?? ns, name: ref.name } : undefined,
              ports,
            });
          }
        }
      }
      return out;
    }
    const ep = this.store.get(ENDPOINTS, ns, name);
    for (const ss of ((ep as Obj | undefined)?.subsets as Obj[] | undefined) ?? []) {
      const ports = new Map<string, number>();
      for (const p of (ss.ports as Array<{ name?: string; port?: number }> | undefined) ?? []) if (p.port) ports.set(p.name ?? '', p.port);
      for (const [key, ready] of [['addresses', true], ['notReadyAddresses', false]] as const) {
        for (const a of (ss[key] as Obj[] | undefined) ?? []) {
          const ref = a.targetRef as { kind?: string; namespace?: string; name?: string } | undefined;
          out.push({ ip: a.ip as string, ready, serving: ready, terminating: false, hostname: a.hostname as string | undefined, nodeName: a.nodeName as string | undefined, pod: ref?.kind === 'Pod' && ref.name ? { namespace: ref.namespace ?? ns, name: ref.name } : undefined, ports });
        }
      }
    }
    return out;
  }
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0) >>> 0;
}
export const isIPv4 = (s: string): boolean => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((o) => Number(o) <= 255);

/** whether ip lies in a v4 CIDR ("10.0.0.0/8"); an unparsable CIDR contains nothing */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsS] = cidr.split('/');
  const bits = Number(bitsS ?? 32);
  if (!base || !isIPv4(base) || !isIPv4(ip) || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((ipToInt(ip) & mask) >>> 0) === ((ipToInt(base) & mask) >>> 0);
}
