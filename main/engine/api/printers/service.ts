// Networking printers: Service, Endpoints, EndpointSlice, Ingress, IngressClass, NetworkPolicy.
import type { KObj } from '../../store/types.js';
import { translateTimestampSince } from './duration.js';
import type { Cell, Json, Printer } from './types.js';
import { ageCol, col, formatLabels, formatLabelSelector, joinHostPort, listWithMore, nameCol, sortedUnique, str } from './util.js';

const list = (v: unknown): Json[] => (Array.isArray(v) ? v : []);
const age = (obj: KObj, now: number): string => translateTimestampSince(obj.metadata.creationTimestamp, now);

/**
 * Load-balancer ingress points: unique, sorted, IP preferred over hostname. Upstream clips to 16
 * characters only for non-wide output, and the API server always prints wide, so no clipping.
 */
function loadBalancerIngress(lb: Json): string {
  const points = list(lb?.ingress)
    .map((i) => str(i?.ip) || str(i?.hostname))
    .filter((s) => s !== '');
  return sortedUnique(points).join(',');
}

function serviceExternalIP(spec: Json, status: Json): string {
  const externalIPs = list(spec.externalIPs).map(str);
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(status.loadBalancer);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

function servicePorts(ports: Json[]): string {
  // Protocol defaults to TCP upstream before printing ever sees the object.
  const s = ports
    .map((p) => {
      const proto = str(p?.protocol) || 'TCP';
      return p?.nodePort > 0 ? `${p.port}:${p.nodePort}/${proto}` : `${p?.port}/${proto}`;
    })
    .join(',');
  return s || '<none>';
}

export const servicePrinter: Printer = {
  columns: [
    nameCol(),
    col('Type', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
    col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'The list of ports that are exposed by this service.'),
    ageCol(),
    col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', { priority: 1 }),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec: Json = obj.spec ?? {};
    const status: Json = obj.status ?? {};
    // v1→internal conversion fills clusterIPs from clusterIP, so a bare clusterIP still prints.
    const clusterIP = str(list(spec.clusterIPs)[0]) || str(spec.clusterIP) || '<none>';
    return [
      str(obj.metadata.name),
      str(spec.type ?? 'ClusterIP'),
      clusterIP,
      serviceExternalIP(spec, status),
      servicePorts(list(spec.ports)),
      age(obj, now),
      formatLabels(spec.selector),
    ];
  },
};

/**
 * formatEndpoints: up to 3 `ip:port` pairs over all subsets (one per address per port), then
 * ` + N more...` where N counts every remaining pair. Not-ready addresses are not shown.
 */
export function formatEndpoints(subsets: Json[]): string {
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const shown: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addrs = list(ss?.addresses);
    const ports = list(ss?.ports);
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) if (shown.length < max) shown.push(str(a?.ip));
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) if (shown.length < max) shown.push(joinHostPort(str(a?.ip), p?.port ?? 0));
    }
  }
  const joined = shown.join(',');
  return count > max ? `${joined} + ${count - max} more...` : joined;
}

export const endpointsPrinter: Printer = {
  columns: [nameCol(), col('Endpoints', 'The set of all endpoints is the union of all subsets.'), ageCol()],
  cells: (obj, now) => [str(obj.metadata.name), formatEndpoints(list(obj.subsets)), age(obj, now)],
};

export const endpointSlicePrinter: Printer = {
  columns: [
    nameCol(),
    col('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
    ageCol(),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const o: Json = obj;
    const ports = list(o.ports).map((p) => (typeof p?.port === 'number' ? String(p.port) : p?.name != null ? str(p.name) : '*'));
    const addresses = list(o.endpoints).flatMap((e) => list(e?.addresses).map(str));
    return [str(obj.metadata.name), str(o.addressType), listWithMore(ports), listWithMore(addresses), age(obj, now)];
  },
};

/** formatHosts: up to 3 non-empty hosts; the "more" count is over all rules; `*` when none. */
function formatHosts(rules: Json[]): string {
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const r of rules) {
    if (hosts.length === max) more = true;
    if (!more && str(r?.host) !== '') hosts.push(str(r.host));
  }
  if (hosts.length === 0) return '*';
  const joined = hosts.join(',');
  return more ? `${joined} + ${rules.length - max} more...` : joined;
}

export const ingressPrinter: Printer = {
  columns: [
    nameCol(),
    col('Class', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'Ports of TLS configurations that open'),
    ageCol(),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec: Json = obj.spec ?? {};
    const status: Json = obj.status ?? {};
    return [
      str(obj.metadata.name),
      spec.ingressClassName != null ? str(spec.ingressClassName) : '<none>',
      formatHosts(list(spec.rules)),
      loadBalancerIngress(status.loadBalancer),
      list(spec.tls).length > 0 ? '80, 443' : '80',
      age(obj, now),
    ];
  },
};

export const ingressClassPrinter: Printer = {
  columns: [
    nameCol(),
    col('Controller', 'Controller that is responsible for handling this class'),
    col('Parameters', 'A reference to a resource with additional parameters'),
    ageCol(),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec: Json = obj.spec ?? {};
    const p = spec.parameters;
    let params = '<none>';
    if (p) params = `${str(p.kind)}${p.apiGroup != null ? `.${str(p.apiGroup)}` : ''}/${str(p.name)}`;
    return [str(obj.metadata.name), str(spec.controller), params, age(obj, now)];
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [
    nameCol(),
    col('Pod-Selector', 'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.'),
    ageCol(),
  ],
  cells: (obj: KObj, now: number): Cell[] => [str(obj.metadata.name), formatLabelSelector((obj.spec as Json | undefined)?.podSelector ?? {}), age(obj, now)],
};
