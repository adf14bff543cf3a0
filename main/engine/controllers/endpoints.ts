// The endpoints controller: every Service with a selector gets an Endpoints object of the same
// name listing the matching pods that have an IP (ready ones in `addresses`, the others in
// `notReadyAddresses`) with the service ports resolved against each pod's containers. Services
// without a selector are left to their users; the Endpoints go with the Service.
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import { builtin } from '../api/registry.js';
import { isoTime, type Clock } from '../clock.js';
import { fromLabelSelectorObject, matchesLabels } from '../store/selectors.js';
import { jsonEqual } from '../store/store.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { podIndex } from './store-index.js';
import { keyOf, splitKey, type Controller } from './controller.js';

const SERVICES = builtin('', 'services');
const ENDPOINTS = builtin('', 'endpoints');

export const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS = 'service.kubernetes.io/headless';

export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  appProtocol?: string;
}
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}
interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: ServicePort[];
  clusterIP?: string;
  publishNotReadyAddresses?: boolean;
}
interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

export const serviceSpec = (s: KObj) => (s.spec ?? {}) as ServiceSpec;
export const podIP = (p: KObj) => (p.status as { podIP?: string } | undefined)?.podIP;
export const podReady = (p: KObj) => ((p.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export function selects(svc: KObj, pod: KObj): boolean {
  const sel = serviceSpec(svc).selector;
  if (!sel || !Object.keys(sel).length || pod.metadata.namespace !== svc.metadata.namespace) return false;
  return matchesLabels(fromLabelSelectorObject({ matchLabels: sel }), pod.metadata.labels);
}

/** upstream ShouldPodBeInEndpoints: an IP, not finished for good, and (unless included) not terminating */
export function podCounts(pod: KObj, includeTerminating: boolean): boolean {
  if (!podIP(pod)) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  const restart = (pod.spec as { restartPolicy?: string }).restartPolicy;
  if (restart === 'Never') return phase !== 'Failed' && phase !== 'Succeeded';
  if (restart === 'OnFailure') return phase !== 'Succeeded';
  return true;
}

/** upstream FindPort: a number is the port; a name is looked up among the containers' ports */
export function findPort(pod: KObj, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  const containers = ((pod.spec as { containers?: Array<{ ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }> }).containers ?? []);
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return undefined;
}

/** the endpoint ports of a pod for the service (ports that do not resolve are left out) */
export function podPorts(svc: KObj, pod: KObj): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of serviceSpec(svc).ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
    if (sp.name) ep.name = sp.name;
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

/** when the pod last changed in a way endpoints care about (upstream trigger time tracker) */
export function podTriggerTime(pod: KObj): string {
  const ready = ((pod.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
  return ready?.lastTransitionTime ?? pod.metadata.creationTimestamp ?? '';
}

export function targetRef(pod: KObj) {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}

const portKey = (p: EndpointPort) => `${p.name ?? ''}/${p.port}/${p.protocol}`;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Endpoints subsets for a service and its candidate pods: one subset per distinct port set, sorted. */
export function computeSubsets(svc: KObj, pods: KObj[]): Array<Record<string, unknown>> {
  const spec = serviceSpec(svc);
  const headlessNoPorts = !(spec.ports ?? []).length && spec.clusterIP === 'None';
  const groups = new Map<string, { ports: EndpointPort[]; ready: Array<Record<string, unknown>>; notReady: Array<Record<string, unknown>> }>();
  for (const pod of pods) {
    if (!selects(svc, pod) || !podCounts(pod, !!spec.publishNotReadyAddresses)) continue;
    const ports = podPorts(svc, pod).sort((a, b) => cmp(portKey(a), portKey(b)));
    if (!ports.length && !headlessNoPorts) continue;
    const addr: Record<string, unknown> = { ip: podIP(pod) };
    const ps = pod.spec as { hostname?: string; subdomain?: string; nodeName?: string };
    if (ps.hostname && ps.subdomain === svc.metadata.name) addr.hostname = ps.hostname;
    if (ps.nodeName) addr.nodeName = ps.nodeName;
    addr.targetRef = targetRef(pod);
    const key = ports.map(portKey).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    (podReady(pod) || spec.publishNotReadyAddresses ? g.ready : g.notReady).push(addr);
  }
  const byIP = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    cmp(String(a.ip), String(b.ip)) || cmp(String((a.targetRef as { uid?: string }).uid), String((b.targetRef as { uid?: string }).uid));
  return [...groups.values()]
    .map((g) => {
      const s: Record<string, unknown> = {};
      if (g.ready.length) s.addresses = g.ready.sort(byIP);
      if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(byIP);
      if (g.ports.length) s.ports = g.ports;
      return s;
    })
    .sort((a, b) => cmp(JSON.stringify(a.ports ?? []), JSON.stringify(b.ports ?? [])));
}

/** the labels an Endpoints/EndpointSlice carries for its service */
export function serviceLabels(svc: KObj): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (serviceSpec(svc).clusterIP === 'None') labels[HEADLESS] = '';
  else delete labels[HEADLESS];
  return labels;
}

/** the latest change among the service and the pods it selects */
export function triggerTime(svc: KObj, pods: KObj[]): string {
  let t = svc.metadata.creationTimestamp ?? '';
  for (const p of pods) if (selects(svc, p) && podTriggerTime(p) > t) t = podTriggerTime(p);
  return t;
}

export class EndpointsController implements Controller {
  readonly name = 'endpoint-controller';

  constructor(
    private client: LocalClient,
    private clock: Clock,
  ) {}

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === 'services' || ev.resource === 'endpoints') return [keyOf(ev.object)];
    if (ev.resource !== 'pods') return [];
    return servicesFor(this.client, ev);
  }

  initialKeys(): string[] {
    return this.client.list(SERVICES).map(keyOf);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = this.client.get(SERVICES, namespace, name);
    if (!svc) {
      const ep = this.client.get(ENDPOINTS, namespace, name);
      if (ep) this.client.deleteIfExists(ENDPOINTS, namespace, name, { preconditions: { uid: ep.metadata.uid } });
      return;
    }
    if (!serviceSpec(svc).selector || !Object.keys(serviceSpec(svc).selector!).length) return;
    // the namespace's pods from the shared index (a namespaced list walks every pod of the cluster)
    const pods = podIndex(this.client.ctx.store).list('namespace', namespace ?? '');
    const subsets = computeSubsets(svc, pods);
    const labels = serviceLabels(svc);
    const current = this.client.get(ENDPOINTS, namespace, name);
    const stamp = triggerTime(svc, pods) || isoTime(this.clock.now());
    if (!current) {
      const ep: KObj = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, ...(Object.keys(labels).length ? { labels } : {}), annotations: { [TRIGGER_TIME]: stamp } } };
      if (subsets.length) ep.subsets = subsets;
      try {
        this.client.create(ENDPOINTS, ep);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 409)) throw e;
      }
      return;
    }
    const same = jsonEqual;
    const sameSubsets = same(current.subsets ?? [], subsets);
    const sameLabels = same(current.metadata.labels ?? {}, labels);
    if (sameSubsets && sameLabels) return;
    this.client.modify(ENDPOINTS, namespace, name, (ep) => {
      if (subsets.length) ep.subsets = subsets;
      else delete ep.subsets;
      if (Object.keys(labels).length) ep.metadata.labels = labels;
      else delete ep.metadata.labels;
      if (!sameSubsets) ep.metadata.annotations = { ...(ep.metadata.annotations ?? {}), [TRIGGER_TIME]: stamp };
    });
  }
}

/** services (keys) in the pod's namespace that select the pod before or after the change */
export function servicesFor(client: LocalClient, ev: StoreEvent): string[] {
  const keys: string[] = [];
  for (const svc of client.list(SERVICES, ev.object.metadata.namespace)) {
    if (selects(svc, ev.object) || (ev.old && selects(svc, ev.old))) keys.push(keyOf(svc));
  }
  return keys;
}
