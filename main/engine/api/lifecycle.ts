// Graceful deletion policy per kind. Today only namespaces are held (by spec.finalizers, see the
// store); pods join when kubelets exist to confirm a container has stopped.
import type { KObj } from '../store/types.js';
import type { ResourceDef } from './registry.js';

export function isTerminating(_def: ResourceDef, _existing: KObj, _opts: { gracePeriodSeconds?: number }): { keepWithGrace?: boolean } {
  return {};
}
