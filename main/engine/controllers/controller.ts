// The shape every control loop has, like kube-controller-manager's: event handlers only turn store
// events into keys; one reconcile(key) compares desired and actual state and writes the difference.
// NotFound means done; a thrown error requeues the key with backoff (see WorkQueue).
import type { StoreEvent } from '../store/types.js';
import type { Reconciler } from './queue.js';

export interface Controller extends Reconciler {
  /** keys (usually "namespace/name") that a store change concerns; [] when none */
  keysFor(ev: StoreEvent): string[];
  /** keys to reconcile once at start-up (a restarted engine resyncs everything it owns) */
  initialKeys?(): string[];
}

/** A component with its own timers (kubelets, node monitor): started after the API is up. */
export interface Agent {
  readonly name: string;
  start(): void;
  stop(): void;
}

/** "namespace/name" (or "name" for cluster-scoped objects), as client-go's MetaNamespaceKeyFunc. */
export function keyOf(o: { metadata: { namespace?: string; name?: string } }): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
