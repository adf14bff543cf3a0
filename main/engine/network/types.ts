// The seam between the simulated cluster network (main/engine/network: kube-proxy routing, CoreDNS,
// Ingress, NetworkPolicy) and its users: the shell inside containers (curl, wget, nslookup, ping in
// `kubectl exec`), kubelet probes, and `kubectl port-forward`. Everything is synchronous: simulated
// applications answer at once (ContainerProcess.httpGet), and "timeouts" are reported, not waited.

/** Where a connection comes from. */
export interface NetSource {
  /** the pod making the request (its namespace gives the DNS search path; NetworkPolicy applies) */
  pod?: { namespace: string; name: string; ip: string; node: string; labels: Record<string, string> };
  /** a node (hostNetwork pods, NodePort tests from a node) */
  node?: string;
  /** outside the cluster (port-forward delivers straight to the pod and bypasses this) */
  external?: boolean;
}

export interface DnsAnswer {
  /** the fully qualified name answered for (after the search path), e.g. web.default.svc.cluster.local */
  fqdn: string;
  /** A records */
  ips: string[];
  /** the DNS server that answered (CoreDNS's ClusterIP) */
  server: string;
  /**
   * no DNS server could be reached (no ready CoreDNS pod, or a NetworkPolicy drops the pod's DNS
   * traffic): nslookup prints ";; connection timed out; no servers could be reached"; ips is empty
   */
  timedOut?: boolean;
}

export interface HttpRequest {
  method?: string;
  url: string; // http://web, http://10.96.12.7:80/path, http://web.default.svc.cluster.local:8080/x
  headers?: Record<string, string>;
  body?: string;
  /** connect to this IP instead of resolving the URL's host (curl --resolve host:port:ip) */
  resolveTo?: string;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
  /** which pod answered (for lessons: watch load balancing) */
  servedBy?: { namespace: string; pod: string; ip: string };
}

export type NetError =
  /** name did not resolve (curl: "Could not resolve host: x", wget: "bad address 'x'") */
  | { kind: 'unresolved'; host: string }
  /** nothing listening / no endpoints (curl: "Failed to connect to x port 80 after 0 ms: Connection refused") */
  | { kind: 'refused'; host: string; port: number }
  /** dropped by a NetworkPolicy or unroutable (curl waits then "Connection timed out") */
  | { kind: 'timeout'; host: string; port: number };

export type HttpResult = { ok: true; response: HttpResponse } | { ok: false; error: NetError };

export interface ClusterNetwork {
  /** DNS lookup as seen from `from` (ndots:5 search path `<ns>.svc.cluster.local svc.cluster.local cluster.local`) */
  resolve(name: string, from: NetSource): DnsAnswer | undefined;
  /** reverse lookup for nslookup of an IP */
  reverse(ip: string): string | undefined;
  /** an HTTP request routed like the cluster would: Service VIP → kube-proxy → a ready endpoint, NodePort, Ingress, pod IP */
  http(from: NetSource, req: HttpRequest): HttpResult;
  /** a TCP connection attempt (nc -z, telnet, probes) */
  tcp(from: NetSource, host: string, port: number): { ok: true } | { ok: false; error: NetError };
  /**
   * `kubectl port-forward`: straight into the pod's network namespace (the kubelet's tunnel), so no
   * Service, DNS or NetworkPolicy is involved; refused when nothing listens on the port.
   */
  portForward?(namespace: string, pod: string, port: number, req: Omit<HttpRequest, 'resolveTo'>): HttpResult;
}
