// CoreDNS's kubernetes plugin (zone cluster.local, `pods insecure`) over the cluster's Services,
// EndpointSlices and pods, and the resolver side of a pod (resolv.conf search path, ndots:5).
import { CLUSTER_DNS_IP } from '../cluster/shape.js';
import type { KObj } from '../store/types.js';
import { isIPv4, spec, type ClusterView } from './view.js';

export const ZONE = 'cluster.local';
export const DNS_SERVER = CLUSTER_DNS_IP;

/** what kubelet writes into a ClusterFirst pod's resolv.conf */
export const searchPath = (namespace: string): string[] => [`${namespace}.svc.${ZONE}`, `svc.${ZONE}`, ZONE];

/** the names a resolver tries, in order (glibc/musl with ndots:5) */
export function candidates(name: string, search: string[]): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = search.map((s) => `${name}.${s}`);
  return dots >= 5 ? [name, ...searched] : [...searched, name];
}

const dashed = (ip: string) => ip.replace(/\./g, '-');
const undash = (label: string): string | undefined => {
  const ip = label.replace(/-/g, '.');
  return isIPv4(ip) ? ip : undefined;
};

/**
 * A records for an absolute name, or undefined for NXDOMAIN. Only the cluster zone is answered:
 * the simulated cluster has no upstream resolver (it is offline).
 */
export function lookup(view: ClusterView, fqdn: string): string[] | undefined {
  const name = fqdn.toLowerCase().replace(/\.$/, '');
  if (!name.endsWith(`.${ZONE}`)) return undefined;
  const labels = name.slice(0, -(ZONE.length + 1)).split('.');
  const kind = labels.at(-1);
  if (kind === 'pod' && labels.length === 3) {
    // `pods insecure`: the address is read from the name, without asking the API
    const ip = undash(labels[0]!);
    return ip && view.namespaceLabels(labels[1]!) ? [ip] : undefined;
  }
  if (kind !== 'svc' || labels.length < 3 || labels.length > 4) return undefined;
  const ns = labels.at(-2)!;
  const svc = view.service(ns, labels.at(-3)!);
  if (!svc) return undefined;
  const s = spec(svc);
  if (labels.length === 4) {
    // <hostname|dashed-ip>.<service>.<ns>.svc: one endpoint of a headless Service
    if (s.clusterIP !== 'None') return undefined;
    const label = labels[0]!;
    const ep = view.endpoints(svc).find((e) => (e.ready || !!s.publishNotReadyAddresses) && (e.hostname === label || (!e.hostname && dashed(e.ip) === label)));
    return ep ? [ep.ip] : undefined;
  }
  if (s.type === 'ExternalName') return undefined; // a CNAME to a name outside the cluster: unresolvable offline
  if (s.clusterIP && s.clusterIP !== 'None') return [s.clusterIP as string];
  const ips = [...new Set(view.endpoints(svc).filter((e) => e.ready || !!s.publishNotReadyAddresses).map((e) => e.ip))];
  return ips.length ? ips : undefined;
}

/** PTR answers: Service cluster IPs and endpoint addresses of Services (as the plugin serves them) */
export function reverse(view: ClusterView, ip: string): string | undefined {
  if (!isIPv4(ip)) return undefined;
  const svcs = view.services();
  const byVIP = svcs.find((s) => spec(s).clusterIP === ip);
  if (byVIP) return `${byVIP.metadata.name}.${byVIP.metadata.namespace}.svc.${ZONE}`;
  for (const s of svcs) {
    const ep = view.endpoints(s).find((e) => e.ip === ip);
    if (ep) return `${ep.hostname ?? dashed(ip)}.${s.metadata.name}.${s.metadata.namespace}.svc.${ZONE}`;
  }
  return undefined;
}

/** /etc/hosts of a pod (kubelet-managed): localhost and the pod's own names */
export function hostsFile(pod: { ip: string; name: string; namespace: string; hostname?: string; subdomain?: string }): Map<string, string> {
  const m = new Map<string, string>([['localhost', '127.0.0.1']]);
  const host = pod.hostname ?? pod.name;
  m.set(host, pod.ip);
  if (pod.subdomain) m.set(`${host}.${pod.subdomain}.${pod.namespace}.svc.${ZONE}`, pod.ip);
  return m;
}

/** whether the pod's resolver points at CoreDNS (dnsPolicy) */
export function usesClusterDNS(pod: KObj): boolean {
  const ps = (pod.spec ?? {}) as { dnsPolicy?: string; hostNetwork?: boolean; dnsConfig?: { nameservers?: string[] } };
  const policy = ps.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'Default') return false;
  if (policy === 'None') return !!ps.dnsConfig?.nameservers?.includes(DNS_SERVER);
  if (ps.hostNetwork) return policy === 'ClusterFirstWithHostNet';
  return true;
}

/** the DNS pods that can answer (ready endpoints of kube-dns) */
export function dnsEndpoints(view: ClusterView): Array<{ ip: string; pod?: { namespace: string; name: string } }> {
  const svc = view.services('kube-system').find((s) => spec(s).clusterIP === DNS_SERVER);
  return svc ? view.endpoints(svc).filter((e) => e.ready) : [];
}

