// Namespace lifecycle: a new namespace gets its `default` ServiceAccount and the `kube-root-ca.crt`
// ConfigMap (the serviceaccount and root-ca-cert-publisher controllers); a deleted one has its
// content removed, then its `kubernetes` finalizer, after which the store lets it go.
import type { Store } from '../store/store.js';
import type { KObj } from '../store/types.js';
import type { ResourceDef } from '../api/registry.js';
import { StatusError } from '../api/errors.js';
import type { Controller } from './controller.js';
import type { StoreEvent } from '../store/types.js';
import { cloneJson } from '../store/json.js';

const NS = { group: '', resource: 'namespaces', namespaced: false };
const SA = { group: '', resource: 'serviceaccounts', namespaced: true };
const CM = { group: '', resource: 'configmaps', namespaced: true };

export class NamespaceController implements Controller {
  readonly name = 'namespace-controller';
  constructor(
    private store: Store,
    private namespacedDefs: () => ResourceDef[],
    private caCert: string,
  ) {}

  /** store events → keys */
  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === 'namespaces') return [ev.object.metadata.name!];
    // a deletion may be what a terminating namespace waits for; a lost default SA must come back
    if (ev.object.metadata.namespace && (ev.type === 'DELETED' || ev.resource === 'serviceaccounts' || ev.resource === 'configmaps')) return [ev.object.metadata.namespace];
    return [];
  }

  initialKeys(): string[] {
    return this.store.list(NS).map((n) => n.metadata.name!);
  }

  reconcile(key: string): void {
    const ns = this.store.get(NS, undefined, key);
    if (!ns) return;
    if (ns.metadata.deletionTimestamp) return this.finalize(ns);
    if (!this.store.get(SA, key, 'default')) {
      this.tryCreate(SA, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: key } });
    }
    if (!this.store.get(CM, key, 'kube-root-ca.crt')) {
      this.tryCreate(CM, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kube-root-ca.crt', namespace: key, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
        data: { 'ca.crt': this.caCert },
      });
    }
  }

  private finalize(ns: KObj): void {
    const name = ns.metadata.name!;
    for (const def of this.namespacedDefs()) {
      for (const o of this.store.list(def, name)) if (!o.metadata.deletionTimestamp) this.store.delete(def, name, o.metadata.name!);
    }
    // objects held by finalizers keep the namespace Terminating; their DELETED events requeue it
    if (this.namespacedDefs().some((d) => this.store.list(d, name).length > 0)) return;
    const done = cloneJson(ns);
    (done.spec as { finalizers?: string[] }).finalizers = [];
    this.store.update(NS, done);
  }

  private tryCreate(ref: typeof SA, obj: KObj): void {
    try {
      this.store.create(ref, obj);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
    }
  }
}
