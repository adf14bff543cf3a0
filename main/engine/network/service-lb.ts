// A MetalLB-like load-balancer controller (layer 2): every Service of type LoadBalancer gets an
// external IP from a simulated address pool, published in status.loadBalancer.ingress (which
// `kubectl get svc` shows as EXTERNAL-IP); a Service that stops being a LoadBalancer gives it back.
import type { LocalClient } from '../api/client.js';
import { builtin } from '../api/registry.js';
import type { EventRecorder } from '../events/recorder.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { keyOf, splitKey, type Controller } from '../controllers/controller.js';
import { lbIPs, spec } from './view.js';

const SERVICES = builtin('', 'services');
export const LB_POOL_PREFIX = '172.30.255.';
const POOL_SIZE = 254;
const REQUEST_ANNOTATION = 'metallb.universe.tf/loadBalancerIPs';

type Obj = Record<string, unknown>;

const inPool = (ip: string) => ip.startsWith(LB_POOL_PREFIX) && Number(ip.slice(LB_POOL_PREFIX.length)) >= 1 && Number(ip.slice(LB_POOL_PREFIX.length)) <= POOL_SIZE;

export class ServiceLBController implements Controller {
  readonly name = 'service-lb';

  constructor(private client: LocalClient, private recorder: EventRecorder, private announceNode: string) {}

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource !== 'services' || ev.type === 'DELETED') return [];
    return [keyOf(ev.object)];
  }

  initialKeys(): string[] {
    return this.client.list(SERVICES).map(keyOf);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = this.client.get(SERVICES, namespace, name);
    if (!svc) return;
    const have = lbIPs(svc);
    if (spec(svc).type !== 'LoadBalancer') {
      if (have.some(inPool)) this.client.modifyStatus(SERVICES, namespace, name, (o) => void ((o.status as Obj).loadBalancer = {}));
      return;
    }
    if (have.length) return;
    const ip = this.allocate(svc);
    if (!ip) {
      this.recorder.event(svc, 'Warning', 'AllocationFailed', `Failed to allocate IP for "${key}": no available IPs`, { component: 'metallb-controller' });
      return;
    }
    this.client.modifyStatus(SERVICES, namespace, name, (o) => {
      o.status = { ...(o.status as Obj | undefined), loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
    });
    this.recorder.event(svc, 'Normal', 'IPAllocated', `Assigned IP ["${ip}"]`, { component: 'metallb-controller' });
    this.recorder.event(svc, 'Normal', 'nodeAssigned', `announcing from node "${this.announceNode}" with protocol "layer2"`, { component: 'metallb-speaker' });
  }

  /** the requested address when it is in the pool and free, else the lowest free one */
  private allocate(svc: KObj): string | undefined {
    const used = new Set(this.client.list(SERVICES).filter((s) => s.metadata.uid !== svc.metadata.uid).flatMap(lbIPs));
    const wanted = svc.metadata.annotations?.[REQUEST_ANNOTATION] ?? (spec(svc).loadBalancerIP as string | undefined);
    if (wanted) return inPool(wanted) && !used.has(wanted) ? wanted : undefined;
    for (let i = 1; i <= POOL_SIZE; i++) if (!used.has(LB_POOL_PREFIX + i)) return LB_POOL_PREFIX + i;
    return undefined;
  }
}
