// The EndpointSlice controller: every Service with a selector gets `<service>-<5 chars>` slices
// (one per distinct port set, up to 100 endpoints each) owned by the Service, listing matching pods
// with an IP and their ready/serving/terminating conditions. A service with no endpoints keeps one
// empty placeholder slice. Deleting the Service removes the slices through the garbage collector.
import type { LocalClient } from '../api/client.js';
import { builtin } from '../api/registry.js';
import { isoTime, type Clock } from '../clock.js';
import { jsonEqual } from '../store/store.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { podIndex } from './store-index.js';
import { keyOf, splitKey, type Controller } from './controller.js';
import { podCounts, podIP, podPorts, podReady, selects, serviceLabels, serviceSpec, servicesFor, targetRef, TRIGGER_TIME, triggerTime, type EndpointPort } from './endpoints.js';

const SERVICES = builtin('', 'services');
const SLICES = builtin('discovery.k8s.io', 'endpointslices');
const NODES = builtin('', 'nodes');

export const SERVICE_NAME = 'kubernetes.io/service-name';
export const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const MAX_PER_SLICE = 100;

export interface SliceContent {
  ports?: Array<EndpointPort & { name: string }>;
  endpoints: Array<Record<string, unknown>>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** the slices a service should have (content only); [] means "just a placeholder" */
export function computeSlices(svc: KObj, pods: KObj[], zoneOf: (node: string) => string | undefined = () => undefined): SliceContent[] {
  const spec = serviceSpec(svc);
  const groups = new Map<string, SliceContent>();
  for (const pod of pods) {
    if (!selects(svc, pod) || !podCounts(pod, true)) continue;
    // slices always name their ports ("" for an unnamed one)
    const ports = podPorts(svc, pod).map((p) => ({ ...p, name: p.name ?? '' }));
    const key = JSON.stringify(ports);
    const serving = !!spec.publishNotReadyAddresses || podReady(pod);
    const terminating = !!pod.metadata.deletionTimestamp;
    const ep: Record<string, unknown> = { addresses: [podIP(pod)], conditions: { ready: !!spec.publishNotReadyAddresses || (serving && !terminating), serving, terminating } };
    const ps = pod.spec as { hostname?: string; subdomain?: string; nodeName?: string };
    if (ps.hostname && ps.subdomain === svc.metadata.name) ep.hostname = ps.hostname;
    if (ps.nodeName) ep.nodeName = ps.nodeName;
    ep.targetRef = targetRef(pod);
    const zone = ps.nodeName ? zoneOf(ps.nodeName) : undefined;
    if (zone) ep.zone = zone;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(ep);
  }
  const out: SliceContent[] = [];
  for (const g of [...groups.values()].sort((a, b) => cmp(JSON.stringify(a.ports), JSON.stringify(b.ports)))) {
    g.endpoints.sort((a, b) => cmp(String((a.addresses as string[])[0]), String((b.addresses as string[])[0])));
    for (let i = 0; i < g.endpoints.length; i += MAX_PER_SLICE) {
      const s: SliceContent = { endpoints: g.endpoints.slice(i, i + MAX_PER_SLICE) };
      if (g.ports!.length) s.ports = g.ports;
      out.push(s);
    }
  }
  return out;
}

const same = jsonEqual;
const contentOf = (o: object) => {
  const s = o as { ports?: unknown; endpoints?: unknown };
  return { ports: s.ports ?? [], endpoints: s.endpoints ?? [] };
};

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice-controller';

  constructor(
    private client: LocalClient,
    private clock: Clock,
  ) {}

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === 'services') return [keyOf(ev.object)];
    if (ev.resource === 'endpointslices.discovery.k8s.io') {
      const svc = ev.object.metadata.labels?.[SERVICE_NAME];
      return svc && ev.object.metadata.labels?.[MANAGED_BY] === CONTROLLER_NAME ? [`${ev.object.metadata.namespace}/${svc}`] : [];
    }
    if (ev.resource === 'pods') return servicesFor(this.client, ev);
    return [];
  }

  initialKeys(): string[] {
    return this.client.list(SERVICES).map(keyOf);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = this.client.get(SERVICES, namespace, name);
    // a gone Service's slices go with it (ownerReferences); a selector-less one is its user's business
    if (!svc || !Object.keys(serviceSpec(svc).selector ?? {}).length) return;
    // the namespace's pods from the shared index (a namespaced list walks every pod of the cluster)
    const pods = podIndex(this.client.ctx.store).list('namespace', namespace ?? '');
    const zoneOf = (n: string) => this.client.get(NODES, undefined, n)?.metadata.labels?.['topology.kubernetes.io/zone'];
    let desired = computeSlices(svc, pods, zoneOf);
    if (!desired.length) desired = [{ endpoints: [] }];
    const existing = this.client
      .list(SLICES, namespace)
      .filter((s) => s.metadata.labels?.[SERVICE_NAME] === name && s.metadata.labels?.[MANAGED_BY] === CONTROLLER_NAME)
      .sort((a, b) => cmp(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? '') || cmp(a.metadata.name!, b.metadata.name!));
    const labels = { ...serviceLabels(svc), [SERVICE_NAME]: name, [MANAGED_BY]: CONTROLLER_NAME };
    const stamp = triggerTime(svc, pods) || isoTime(this.clock.now());
    const owner = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
    const unused = [...existing];
    const todo: SliceContent[] = [];
    // keep slices whose content is already right; reuse the others for what is left
    for (const d of desired) {
      const i = unused.findIndex((s) => same(contentOf(s), contentOf(d)));
      if (i >= 0) {
        const s = unused.splice(i, 1)[0]!;
        if (!same(s.metadata.labels ?? {}, labels)) this.client.modify(SLICES, namespace, s.metadata.name!, (o) => void (o.metadata.labels = labels));
      } else todo.push(d);
    }
    for (const d of todo) {
      const reuse = unused.shift();
      if (reuse) {
        this.client.modify(SLICES, namespace, reuse.metadata.name!, (o) => {
          o.metadata.labels = labels;
          o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [TRIGGER_TIME]: stamp };
          o.endpoints = d.endpoints;
          if (d.ports) o.ports = d.ports;
          else delete o.ports;
        });
        continue;
      }
      const slice: KObj = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { generateName: `${name}-`.slice(0, 58), namespace, labels, annotations: { [TRIGGER_TIME]: stamp }, ownerReferences: [owner] as KObj['metadata']['ownerReferences'] },
        addressType: 'IPv4',
        endpoints: d.endpoints,
      };
      if (d.ports) slice.ports = d.ports;
      this.client.create(SLICES, slice);
    }
    for (const s of unused) this.client.deleteIfExists(SLICES, namespace, s.metadata.name!, { preconditions: { uid: s.metadata.uid } });
  }
}
