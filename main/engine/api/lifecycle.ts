// Graceful deletion policy per kind. Namespaces are held by spec.finalizers (see the store). A pod
// bound to a node is only marked (deletionTimestamp + grace period): its kubelet stops the
// containers and then removes it, so a pod on a dead node stays Terminating, as upstream.
import type { KObj } from '../store/types.js';
import type { ResourceDef } from './registry.js';

export function gracefulDeletion(def: ResourceDef, existing: KObj, opts: { gracePeriodSeconds?: number }): { keepWithGrace?: boolean; gracePeriodSeconds?: number } {
  if (def.group !== '' || def.resource !== 'pods') return {};
  const spec = (existing.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const grace = opts.gracePeriodSeconds ?? existing.metadata.deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  // never scheduled, or a forced delete: nothing has to stop first
  if (!spec.nodeName || grace === 0) return { gracePeriodSeconds: 0 };
  const phase = (existing.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return { gracePeriodSeconds: 0 };
  // an already-terminating pod only moves when the new grace period is shorter
  if (existing.metadata.deletionTimestamp && existing.metadata.deletionGracePeriodSeconds !== undefined && grace >= existing.metadata.deletionGracePeriodSeconds) {
    return { keepWithGrace: true };
  }
  return { keepWithGrace: true, gracePeriodSeconds: grace };
}
