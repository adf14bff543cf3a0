// The ingress controller's control loop (ingress-nginx on bare metal, on the host network of one
// node): each Ingress it serves gets that node's IP in status.loadBalancer.ingress (`kubectl get
// ingress` ADDRESS) and a Sync event; an Ingress it stops serving loses the address.
import type { LocalClient } from '../api/client.js';
import type { EventRecorder } from '../events/recorder.js';
import type { StoreEvent } from '../store/types.js';
import { keyOf, splitKey, type Controller } from '../controllers/controller.js';
import { handles, ownedClasses } from './ingress.js';
import { ClusterView, INGRESSES } from './view.js';

type Obj = Record<string, unknown>;

export class IngressController implements Controller {
  readonly name = 'ingress-nginx';
  private synced = new Map<string, number>();

  constructor(private client: LocalClient, private recorder: EventRecorder, private view: ClusterView, private address: string) {}

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === 'ingresses.networking.k8s.io') {
      if (ev.type === 'DELETED') this.synced.delete(keyOf(ev.object));
      return ev.type === 'DELETED' ? [] : [keyOf(ev.object)];
    }
    if (ev.resource === 'ingressclasses.networking.k8s.io') return this.initialKeys();
    return [];
  }

  initialKeys(): string[] {
    return this.client.list(INGRESSES).map(keyOf);
  }

  reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const ing = this.client.get(INGRESSES, namespace, name);
    if (!ing) return;
    const mine = handles(ing, ownedClasses(this.view));
    const want = mine ? [{ ip: this.address }] : [];
    const cur = (((ing.status as Obj | undefined)?.loadBalancer as Obj | undefined)?.ingress as unknown[] | undefined) ?? [];
    if (mine && this.synced.get(key) !== ing.metadata.generation) {
      this.synced.set(key, ing.metadata.generation ?? 0);
      this.recorder.event(ing, 'Normal', 'Sync', 'Scheduled for sync', { component: 'nginx-ingress-controller' });
    }
    if (JSON.stringify(cur) === JSON.stringify(want)) return;
    this.client.modifyStatus(INGRESSES, namespace, name, (o) => {
      o.status = { ...(o.status as Obj | undefined), loadBalancer: want.length ? { ingress: want } : {} };
    });
  }
}
