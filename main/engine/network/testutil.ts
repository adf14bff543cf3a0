// Shared fixtures for the network tests: a Harness with the EndpointSlice controller and the
// network's own controllers, pods whose status is written directly (no kubelet), and stand-in
// processes that answer like traefik/whoami so tests can see who served a request.
import { builtin } from '../api/registry.js';
import { EndpointSliceController } from '../controllers/endpointslice.js';
import type { ContainerProcess } from '../runtime/types.js';
import type { KObj } from '../store/types.js';
import { Harness } from '../testing/harness.js';
import { networkComponents } from './index.js';
import type { SimNetwork } from './network.js';
import type { NetSource } from './types.js';

export const PODS = builtin('', 'pods');
export const SVC = builtin('', 'services');
export const NETPOL = builtin('networking.k8s.io', 'networkpolicies');
export const ING = builtin('networking.k8s.io', 'ingresses');
export const NS = builtin('', 'namespaces');

export interface Served {
  port: number;
  path: string;
  from: string;
  headers: Record<string, string>;
}

export class FakeProcesses {
  /** "ns/name" → listening ports; every request is recorded */
  readonly listening = new Map<string, number[]>();
  readonly served: Served[] = [];
  listeningProcess(namespace: string, pod: string, port: number): ContainerProcess | undefined {
    if (!this.listening.get(`${namespace}/${pod}`)?.includes(port)) return undefined;
    return {
      httpGet: (p: number, path: string, req?: { from?: string; headers?: Record<string, string> }) => {
        this.served.push({ port: p, path, from: req?.from ?? '', headers: req?.headers ?? {} });
        return { status: 200, body: `Hostname: ${pod}\n` };
      },
      tcpListening: () => true,
    } as unknown as ContainerProcess;
  }
}

export interface PodOpts {
  ns?: string;
  labels?: Record<string, string>;
  node?: string;
  ready?: boolean;
  ports?: Array<{ name?: string; containerPort: number; hostPort?: number; protocol?: string }>;
  listen?: number[];
  hostNetwork?: boolean;
  hostname?: string;
  subdomain?: string;
  dnsPolicy?: string;
}

export class NetFixture {
  readonly h = new Harness();
  readonly procs = new FakeProcesses();
  readonly net: SimNetwork;

  constructor() {
    this.h.add(new EndpointSliceController(this.h.client, this.h.clock), ...networkComponents(this.h.env, this.procs).controllers);
    this.net = this.h.ctx.network as SimNetwork;
    // CoreDNS answering on the control plane
    this.pod('coredns-1', '10.244.0.2', { ns: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, node: 'controlplane', listen: [53], ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] });
  }

  pod(name: string, ip: string, o: PodOpts = {}): KObj {
    const ns = o.ns ?? 'default';
    const c = this.h.client;
    c.create(PODS, {
      metadata: { name, namespace: ns, labels: o.labels ?? {} },
      spec: {
        nodeName: o.node ?? 'node01',
        hostNetwork: o.hostNetwork,
        hostname: o.hostname,
        subdomain: o.subdomain,
        dnsPolicy: o.dnsPolicy,
        containers: [{ name: 'c', image: 'nginx', ports: o.ports ?? [] }],
      },
    });
    this.procs.listening.set(`${ns}/${name}`, o.listen ?? [80]);
    return c.modifyStatus(PODS, ns, name, (p) => {
      p.status = { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: '2026-01-01T12:00:05Z' }] };
    });
  }

  service(name: string, spec: Record<string, unknown>, ns = 'default'): KObj {
    return this.h.client.create(SVC, { metadata: { name, namespace: ns }, spec });
  }

  create(def: typeof PODS, o: Record<string, unknown>): KObj {
    return this.h.client.create(def, o as KObj);
  }

  from(name: string, ns = 'default'): NetSource {
    const p = this.h.client.get(PODS, ns, name)!;
    return { pod: { namespace: ns, name, ip: (p.status as { podIP: string }).podIP, node: (p.spec as { nodeName: string }).nodeName, labels: p.metadata.labels ?? {} } };
  }

  /** GET and return who answered, or the error kind */
  get(from: NetSource, url: string, headers?: Record<string, string>): string {
    const r = this.net.http(from, { url, headers });
    if (!r.ok) return r.error.kind;
    return r.response.servedBy ? r.response.servedBy.pod : `${r.response.status}`;
  }
}
