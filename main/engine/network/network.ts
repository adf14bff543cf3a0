// The simulated data plane behind ClusterNetwork: DNS through CoreDNS, Service VIPs / NodePorts /
// LB IPs through kube-proxy to a ready endpoint, pod IPs, hostNetwork pods and hostPorts on node
// IPs, the ingress controller on its node, and NetworkPolicy on every hop into or out of a pod.
// Requests end at the serving container's simulated process (ContainerProcess.httpGet).
import type { Clock } from '../clock.js';
import type { NodePlan } from '../cluster/shape.js';
import type { ContainerProcess } from '../runtime/types.js';
import type { Store } from '../store/store.js';
import type { KObj } from '../store/types.js';
import { candidates, DNS_SERVER, dnsEndpoints, hostsFile, lookup, reverse, searchPath, usesClusterDNS } from './dns.js';
import { nginxPage, route as ingressRoute } from './ingress.js';
import { check, type Peer } from './netpol.js';
import { KubeProxy, type Frontend } from './proxy.js';
import type { ClusterNetwork, DnsAnswer, HttpRequest, HttpResponse, HttpResult, NetError, NetSource } from './types.js';
import { ClusterView, hostNetwork, isIPv4, podIPOf, servicePorts, spec } from './view.js';

/** how the network reaches a pod's running container that listens on a port (KubeletPool) */
export interface ProcessLocator {
  listeningProcess(namespace: string, pod: string, port: number, uid?: string): ContainerProcess | undefined;
}

/** where clients outside the cluster appear to come from (the host's bridge) */
export const EXTERNAL_CLIENT_IP = '172.30.0.1';

/** the ingress controller's address: the first worker, as a bare-metal ingress-nginx on the host network */
export function ingressNode(nodes: readonly NodePlan[]): NodePlan {
  return nodes.find((n) => n.role === 'worker') ?? nodes[0]!;
}

/** the ingress controller as a NetworkPolicy peer (policies often admit its namespace) */
const controllerPeer = (ip: string): Peer => ({
  ip,
  pod: { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/instance': 'ingress-nginx' } },
  namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' },
});

interface Src {
  ip: string;
  node?: string;
  peer: Peer;
  pod?: KObj;
}

type Hop =
  | { kind: 'pod'; pod: KObj; port: number; clientIP: string }
  | { kind: 'ingress'; nodeIP: string }
  | { kind: 'error'; error: NetError };

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};
const NGINX_TEXT: Record<number, string> = { 404: 'Not Found', 308: 'Permanent Redirect', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

function response(status: number, body: string, extra: Record<string, string> = {}): HttpResponse {
  const type = body.trimStart().startsWith('<') ? 'text/html' : 'text/plain; charset=utf-8';
  return { status, statusText: STATUS_TEXT[status] ?? '', headers: { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...extra }, body };
}

const podPeer = (p: KObj): Peer => ({ ip: podIPOf(p) ?? '', pod: hostNetwork(p) ? undefined : { namespace: p.metadata.namespace!, labels: p.metadata.labels ?? {}, spec: p.spec } });

export function parseUrl(url: string): { scheme: 'http' | 'https'; host: string; port: number; path: string } | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)/i.exec(url.trim());
  if (!m) return undefined;
  const scheme = (m[1]?.toLowerCase() ?? 'http') as 'http' | 'https';
  const path = m[4] ? (m[4].startsWith('/') ? m[4] : '/' + m[4]) : '/';
  return { scheme, host: m[2]!.toLowerCase(), port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80, path };
}

export class SimNetwork implements ClusterNetwork {
  readonly view: ClusterView;
  readonly proxy: KubeProxy;
  private rotation = 0;

  constructor(store: Store, clock: Clock, private procs: ProcessLocator, private nodes: readonly NodePlan[]) {
    this.view = new ClusterView(store);
    this.proxy = new KubeProxy(this.view, clock);
  }

  get ingressIP(): string {
    return ingressNode(this.nodes).internalIP;
  }

  private source(from: NetSource): Src {
    if (from.pod) {
      const pod = this.view.pod(from.pod.namespace, from.pod.name);
      const peer: Peer = pod ? podPeer(pod) : { ip: from.pod.ip, pod: { namespace: from.pod.namespace, labels: from.pod.labels } };
      return { ip: from.pod.ip, node: from.pod.node, peer: { ...peer, ip: from.pod.ip }, pod };
    }
    if (from.node) {
      const ip = this.nodes.find((n) => n.name === from.node)?.internalIP ?? EXTERNAL_CLIENT_IP;
      return { ip, node: from.node, peer: { ip } };
    }
    return { ip: EXTERNAL_CLIENT_IP, peer: { ip: EXTERNAL_CLIENT_IP } };
  }

  resolve(name: string, from: NetSource): DnsAnswer | undefined {
    const src = this.source(from);
    const n = name.toLowerCase();
    if (src.pod && from.pod) {
      const ps = spec(src.pod) as { hostname?: string; subdomain?: string };
      const hosts = hostsFile({ ip: from.pod.ip, name: from.pod.name, namespace: from.pod.namespace, hostname: ps.hostname, subdomain: ps.subdomain });
      const h = hosts.get(n.replace(/\.$/, ''));
      if (h) return { fqdn: n.replace(/\.$/, ''), ips: [h], server: DNS_SERVER };
      if (usesClusterDNS(src.pod)) return this.clusterDNS(n, src, from.pod.namespace);
    }
    // nodes (and pods using the node's resolver) know localhost and the nodes' names only
    if (n === 'localhost') return { fqdn: n, ips: ['127.0.0.1'], server: '127.0.0.53' };
    const node = this.nodes.find((x) => x.name === n.replace(/\.$/, ''));
    return node ? { fqdn: node.name, ips: [node.internalIP], server: '127.0.0.53' } : undefined;
  }

  private clusterDNS(name: string, src: Src, namespace: string): DnsAnswer | undefined {
    // the query travels to a CoreDNS pod on UDP 53: it needs one ready and policies that allow it
    const servers = dnsEndpoints(this.view).filter((e) => {
      const pod = e.pod && this.view.pod(e.pod.namespace, e.pod.name);
      return check(this.view, src.peer, pod ? podPeer(pod) : { ip: e.ip }, 53, 'UDP').allowed;
    });
    if (!servers.length) return { fqdn: name, ips: [], server: DNS_SERVER, timedOut: true };
    for (const fqdn of candidates(name, searchPath(namespace))) {
      const ips = lookup(this.view, fqdn);
      if (!ips) continue;
      // CoreDNS's loadbalance plugin rotates multi-address answers
      const r = ips.length > 1 ? this.rotation++ % ips.length : 0;
      return { fqdn, ips: [...ips.slice(r), ...ips.slice(0, r)], server: DNS_SERVER };
    }
    return undefined;
  }

  reverse(ip: string): string | undefined {
    return reverse(this.view, ip);
  }

  /** the next hop for a connection to ip:port: a pod's port, the ingress controller, or a failure */
  private route(src: Src, host: string, ip: string, port: number): Hop {
    const timeout: Hop = { kind: 'error', error: { kind: 'timeout', host, port } };
    const refused: Hop = { kind: 'error', error: { kind: 'refused', host, port } };
    if (ip.startsWith('127.')) {
      if (src.pod && !hostNetwork(src.pod)) return { kind: 'pod', pod: src.pod, port, clientIP: '127.0.0.1' };
      const self = this.nodes.find((n) => n.name === src.node)?.internalIP;
      return self ? this.route(src, host, self, port) : refused;
    }
    const vip = this.proxy.byVIP(ip, port);
    if (vip) {
      if (!vip.port) return timeout; // no rule for that port: the packet goes nowhere
      const f = vip as Frontend;
      const lbNode = f.via === 'LoadBalancer' ? ingressNode(this.nodes) : undefined;
      const pick = this.proxy.pick(f, src.ip, lbNode?.name ?? src.node);
      if (!pick.ok) return pick.reason === 'no-endpoints' ? this.egressOr(src, ip, port, refused) : timeout;
      const snat = lbNode && spec(f.svc).externalTrafficPolicy !== 'Local' ? lbNode.internalIP : src.ip;
      return this.toAddress(src, host, pick.ep.ip, pick.port, snat);
    }
    const node = this.nodes.find((n) => n.internalIP === ip);
    if (node) {
      const np = this.proxy.byNodePort(port);
      if (np) {
        const pick = this.proxy.pick(np, src.ip, node.name);
        if (!pick.ok) return pick.reason === 'no-endpoints' ? this.egressOr(src, ip, port, refused) : timeout;
        const snat = spec(np.svc).externalTrafficPolicy === 'Local' ? src.ip : ip;
        return this.toAddress(src, host, pick.ep.ip, pick.port, snat);
      }
      if (ip === this.ingressIP && (port === 80 || port === 443)) return { kind: 'ingress', nodeIP: ip };
      const local = this.view.pods().filter((p) => spec(p).nodeName === node.name && !p.metadata.deletionTimestamp);
      const hostNet = local.find((p) => hostNetwork(p) && this.procs.listeningProcess(p.metadata.namespace!, p.metadata.name!, port, p.metadata.uid));
      if (hostNet) return { kind: 'pod', pod: hostNet, port, clientIP: src.ip };
      for (const p of local) {
        for (const c of (spec(p).containers as Array<{ ports?: Array<{ hostPort?: number; containerPort: number }> }> | undefined) ?? []) {
          const hp = (c.ports ?? []).find((x) => x.hostPort === port);
          if (hp) return { kind: 'pod', pod: p, port: hp.containerPort, clientIP: src.ip };
        }
      }
      return this.egressOr(src, ip, port, refused);
    }
    const pod = this.view.podByIP(ip);
    if (pod) return { kind: 'pod', pod, port, clientIP: src.ip };
    return timeout;
  }

  /** a refusal is only seen if the source's egress policies let the packet out at all */
  private egressOr(src: Src, ip: string, port: number, hop: Hop): Hop {
    if (!check(this.view, src.peer, { ip }, port).allowed && hop.kind === 'error') return { kind: 'error', error: { ...hop.error, kind: 'timeout' } as NetError };
    return hop;
  }

  /** after kube-proxy's DNAT: the endpoint address is a pod IP or a node IP (hostNetwork endpoints) */
  private toAddress(src: Src, host: string, ip: string, port: number, clientIP: string): Hop {
    const pod = this.view.podByIP(ip);
    if (pod) return { kind: 'pod', pod, port, clientIP };
    const node = this.nodes.find((n) => n.internalIP === ip);
    const hostNet = node && this.view.pods().find((p) => hostNetwork(p) && spec(p).nodeName === node.name && this.procs.listeningProcess(p.metadata.namespace!, p.metadata.name!, port, p.metadata.uid));
    return hostNet ? { kind: 'pod', pod: hostNet, port, clientIP } : { kind: 'error', error: { kind: 'timeout', host, port } };
  }

  /** NetworkPolicy for the last hop into a pod, then the listening process */
  private open(src: Src, hop: Extract<Hop, { kind: 'pod' }>, host: string, reqPort: number): { ok: true; proc: ContainerProcess } | { ok: false; error: NetError } {
    const dst = podPeer(hop.pod);
    const seen = hop.clientIP === src.ip ? src.peer : { ip: hop.clientIP };
    if (hop.clientIP !== '127.0.0.1' && !check(this.view, src.peer, dst, hop.port, 'TCP', seen).allowed) return { ok: false, error: { kind: 'timeout', host, port: reqPort } };
    const proc = this.procs.listeningProcess(hop.pod.metadata.namespace!, hop.pod.metadata.name!, hop.port, hop.pod.metadata.uid);
    return proc ? { ok: true, proc } : { ok: false, error: { kind: 'refused', host, port: reqPort } };
  }

  private target(from: NetSource, host: string, resolveTo?: string): { ok: true; ip: string; src: Src } | { ok: false; error: NetError } {
    const src = this.source(from);
    if (resolveTo || isIPv4(host)) return { ok: true, ip: resolveTo ?? host, src };
    const ans = this.resolve(host, from);
    if (!ans || ans.timedOut || !ans.ips.length) return { ok: false, error: { kind: 'unresolved', host } };
    return { ok: true, ip: ans.ips[0]!, src };
  }

  tcp(from: NetSource, host: string, port: number): { ok: true } | { ok: false; error: NetError } {
    const t = this.target(from, host);
    if (!t.ok) return t;
    const hop = this.route(t.src, host, t.ip, port);
    if (hop.kind === 'error') return { ok: false, error: hop.error };
    if (hop.kind === 'ingress') return check(this.view, t.src.peer, { ip: hop.nodeIP }, port).allowed ? { ok: true } : { ok: false, error: { kind: 'timeout', host, port } };
    const o = this.open(t.src, hop, host, port);
    return o.ok ? { ok: true } : o;
  }

  http(from: NetSource, req: HttpRequest): HttpResult {
    const u = parseUrl(req.url);
    if (!u) return { ok: false, error: { kind: 'unresolved', host: req.url } };
    const t = this.target(from, u.host, req.resolveTo);
    if (!t.ok) return t;
    const headers: Record<string, string> = {};
    const given = Object.entries(req.headers ?? {});
    headers.Host = given.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? (u.port === (u.scheme === 'https' ? 443 : 80) ? u.host : `${u.host}:${u.port}`);
    for (const [k, v] of given) if (k.toLowerCase() !== 'host') headers[k] = v;
    const hop = this.route(t.src, u.host, t.ip, u.port);
    if (hop.kind === 'error') return { ok: false, error: hop.error };
    if (hop.kind === 'ingress') {
      if (!check(this.view, t.src.peer, { ip: hop.nodeIP }, u.port).allowed) return { ok: false, error: { kind: 'timeout', host: u.host, port: u.port } };
      return { ok: true, response: this.ingress(t.src, hop.nodeIP, u, headers, req) };
    }
    const o = this.open(t.src, hop, u.host, u.port);
    if (!o.ok) return o;
    return { ok: true, response: this.serve(o.proc, hop.pod, hop.port, u.path, hop.clientIP, req.method ?? 'GET', headers) };
  }

  portForward(namespace: string, podName: string, port: number, req: HttpRequest): HttpResult {
    const u = parseUrl(req.url) ?? { path: '/' };
    const pod = this.view.pod(namespace, podName);
    const proc = pod && this.procs.listeningProcess(namespace, podName, port, pod.metadata.uid);
    if (!pod || !proc) return { ok: false, error: { kind: 'refused', host: 'localhost', port } };
    // the kubelet's port-forward connects from inside the pod: the app sees 127.0.0.1
    return { ok: true, response: this.serve(proc, pod, port, u.path, '127.0.0.1', req.method ?? 'GET', { ...req.headers }) };
  }

  private serve(proc: ContainerProcess, pod: KObj, port: number, path: string, clientIP: string, method: string, headers: Record<string, string>): HttpResponse {
    const r = proc.httpGet(port, path, { from: clientIP, method, headers });
    const res = r ? response(r.status, r.body) : response(502, '');
    res.servedBy = { namespace: pod.metadata.namespace!, pod: pod.metadata.name!, ip: podIPOf(pod) ?? '' };
    return res;
  }

  /** ingress-nginx on its node: route by Host and path, proxy to an endpoint of the backend Service */
  private ingress(src: Src, nodeIP: string, u: NonNullable<ReturnType<typeof parseUrl>>, headers: Record<string, string>, req: HttpRequest): HttpResponse {
    const page = (status: number, extra: Record<string, string> = {}) => response(status, nginxPage(status, NGINX_TEXT[status] ?? STATUS_TEXT[status] ?? ''), extra);
    const host = headers.Host!.replace(/:\d+$/, '');
    const r = ingressRoute(this.view, host, u.path, u.scheme);
    if (r.kind === 'redirect') return page(308, { Location: r.location });
    if (r.kind === 'default-backend') return page(404);
    const svc = this.view.service(r.backend.namespace, r.backend.service);
    const sp = svc && servicePorts(svc).find((p) => (typeof r.backend.port === 'number' ? p.port === r.backend.port : p.name === r.backend.port));
    if (!svc || !sp) return page(503);
    // ingress-nginx sends to the endpoints itself (not through the ClusterIP)
    const pick = this.proxy.pick({ svc, port: sp, via: 'ClusterIP' }, src.ip, ingressNode(this.nodes).name);
    if (!pick.ok) return page(503);
    const ctl = controllerPeer(nodeIP);
    const hop = this.toAddress({ ip: nodeIP, peer: ctl }, host, pick.ep.ip, pick.port, nodeIP);
    if (hop.kind !== 'pod') return page(504);
    const o = this.open({ ip: nodeIP, peer: ctl }, hop, host, pick.port);
    if (!o.ok) return page(o.error.kind === 'timeout' ? 504 : 502);
    const fwd = { ...headers, 'X-Forwarded-For': src.ip, 'X-Forwarded-Host': host, 'X-Forwarded-Port': String(u.port), 'X-Forwarded-Proto': u.scheme, 'X-Forwarded-Scheme': u.scheme, 'X-Real-Ip': src.ip, 'X-Scheme': u.scheme };
    return this.serve(o.proc, hop.pod, hop.port, u.path, nodeIP, req.method ?? 'GET', fwd);
  }
}

