// kube-proxy's view of Services: which Service a destination IP:port addresses (ClusterIP,
// NodePort on any node, load-balancer IP) and which endpoint a new connection is sent to. Requests
// are spread round-robin over ready endpoints (deterministic, so lessons and tests can count);
// sessionAffinity ClientIP pins a client to its endpoint for the affinity timeout.
import type { Clock } from '../clock.js';
import type { KObj } from '../store/types.js';
import { lbIPs, servicePorts, spec, type ClusterView, type Endpoint, type ServicePort } from './view.js';

export type Frontend = { svc: KObj; port: ServicePort; via: 'ClusterIP' | 'NodePort' | 'LoadBalancer' };

export type Pick = { ok: true; ep: Endpoint; port: number } | { ok: false; reason: 'no-endpoints' | 'no-local-endpoints' };

const DEFAULT_AFFINITY_SECONDS = 10800;

export class KubeProxy {
  private next = new Map<string, number>();
  private affinity = new Map<string, { ip: string; until: number }>();

  constructor(private view: ClusterView, private clock: Clock) {}

  /** the Service behind a virtual IP (ClusterIP or LB IP) and port */
  byVIP(ip: string, port: number, protocol = 'TCP'): Frontend | { svc: KObj; port?: undefined } | undefined {
    for (const svc of this.view.services()) {
      const s = spec(svc);
      const vips = [...((s.clusterIPs as string[] | undefined) ?? [s.clusterIP as string]), ...((s.externalIPs as string[] | undefined) ?? [])].filter((x) => x && x !== 'None');
      const lb = s.type === 'LoadBalancer' ? lbIPs(svc) : [];
      if (!vips.includes(ip) && !lb.includes(ip)) continue;
      const sp = servicePorts(svc).find((p) => p.port === port && (p.protocol ?? 'TCP') === protocol);
      if (!sp) return { svc };
      return { svc, port: sp, via: vips.includes(ip) ? 'ClusterIP' : 'LoadBalancer' };
    }
    return undefined;
  }

  /** a NodePort on any node */
  byNodePort(port: number, protocol = 'TCP'): Frontend | undefined {
    for (const svc of this.view.services()) {
      const t = spec(svc).type;
      if (t !== 'NodePort' && t !== 'LoadBalancer') continue;
      const sp = servicePorts(svc).find((p) => p.nodePort === port && (p.protocol ?? 'TCP') === protocol);
      if (sp) return { svc, port: sp, via: 'NodePort' };
    }
    return undefined;
  }

  /**
   * Choose the endpoint for a new connection. `node` is where the traffic is handled (the client's
   * node for ClusterIP, the receiving node for NodePort/LB) for the Local traffic policies.
   */
  pick(f: Frontend, clientIP: string, node: string | undefined): Pick {
    const s = spec(f.svc);
    const portName = f.port.name ?? '';
    let eps = this.view.endpoints(f.svc).filter((e) => e.ports.has(portName));
    const ready = eps.filter((e) => e.ready);
    // with no ready endpoint, kube-proxy falls back to serving endpoints that are terminating
    eps = ready.length ? ready : eps.filter((e) => e.serving && e.terminating);
    if (!eps.length) return { ok: false, reason: 'no-endpoints' };
    const local = f.via === 'ClusterIP' ? s.internalTrafficPolicy === 'Local' : s.externalTrafficPolicy === 'Local';
    if (local) {
      eps = eps.filter((e) => e.nodeName === node);
      if (!eps.length) return { ok: false, reason: 'no-local-endpoints' };
    }
    eps.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
    const key = `${f.svc.metadata.namespace}/${f.svc.metadata.name}:${portName}`;
    let ep: Endpoint | undefined;
    if (s.sessionAffinity === 'ClientIP') {
      const pinned = this.affinity.get(`${key}@${clientIP}`);
      if (pinned && pinned.until > this.clock.now()) ep = eps.find((e) => e.ip === pinned.ip);
    }
    if (!ep) {
      const n = this.next.get(key) ?? 0;
      ep = eps[n % eps.length]!;
      this.next.set(key, n + 1);
    }
    if (s.sessionAffinity === 'ClientIP') {
      const secs = ((s.sessionAffinityConfig as { clientIP?: { timeoutSeconds?: number } } | undefined)?.clientIP?.timeoutSeconds) ?? DEFAULT_AFFINITY_SECONDS;
      this.affinity.set(`${key}@${clientIP}`, { ip: ep.ip, until: this.clock.now() + secs * 1000 });
    }
    return { ok: true, ep, port: ep.ports.get(portName)! };
  }
}
