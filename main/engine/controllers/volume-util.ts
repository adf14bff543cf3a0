// Shared storage rules (upstream pkg/controller/volume/persistentvolume/util and the scheduler's
// volume binder): which PersistentVolume can satisfy a claim, classes and binding modes, and the
// annotations the PV controller, the provisioner and the scheduler talk through.
import { parseQuantity } from '../api/validation/index.js';
import { matchNodeSelectorTerm } from '../scheduler/plugins.js';
import type { KObj } from '../store/types.js';
import { labelsMatch } from './workload-util.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

export const claimClass = (pvc: KObj): string => pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? (pvc.spec as Json)?.storageClassName ?? '';
export const volumeClass = (pv: KObj): string => pv.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? (pv.spec as Json)?.storageClassName ?? '';
export const requestedBytes = (pvc: KObj): number => parseQuantity((pvc.spec as Json)?.resources?.requests?.storage) ?? 0;
export const capacityBytes = (pv: KObj): number => parseQuantity((pv.spec as Json)?.capacity?.storage) ?? 0;
export const isDelayBinding = (sc: KObj | undefined): boolean => (sc as Json | undefined)?.volumeBindingMode === 'WaitForFirstConsumer';

/** the claims a pod mounts (names, in volume order) */
export function podClaimNames(pod: KObj): string[] {
  return (((pod.spec as Json)?.volumes as Json[] | undefined) ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => typeof n === 'string');
}

/** the volume's claimRef names this claim (by namespace/name, and uid when it has one) */
export function claimRefMatches(pv: KObj, pvc: KObj): boolean {
  const ref = (pv.spec as Json)?.claimRef;
  if (!ref) return false;
  return ref.name === pvc.metadata.name && (ref.namespace ?? '') === (pvc.metadata.namespace ?? '') && (!ref.uid || ref.uid === pvc.metadata.uid);
}

/** the volume's node affinity admits the node (no affinity admits every node) */
export function volumeFitsNode(pv: KObj, node: KObj): boolean {
  const terms: unknown[] | undefined = (pv.spec as Json)?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms?.length) return true;
  return terms.some((t) => matchNodeSelectorTerm(t, node));
}

/**
 * findBestMatchForClaim: an unclaimed (or pre-bound to this claim) volume of the claim's class,
 * volume mode and access modes, big enough and selected by the claim's selector; pre-bound first,
 * then the smallest. With `node`, only volumes whose node affinity admits it; with `prebound`,
 * only volumes already pointing at the claim (delayed binding waits for the scheduler).
 */
export function findMatchingVolume(pvc: KObj, volumes: KObj[], opts: { node?: KObj; prebound?: boolean } = {}): KObj | undefined {
  const spec = (pvc.spec ?? {}) as Json;
  const cls = claimClass(pvc);
  const mode = spec.volumeMode ?? 'Filesystem';
  const want: string[] = spec.accessModes ?? [];
  const size = requestedBytes(pvc);
  let best: KObj | undefined;
  for (const pv of volumes) {
    const ps = (pv.spec ?? {}) as Json;
    if (pv.metadata.deletionTimestamp) continue;
    const prebound = claimRefMatches(pv, pvc);
    if (ps.claimRef && !prebound) continue;
    if (opts.prebound && !prebound) continue;
    if (!prebound && (pv.status as Json | undefined)?.phase === 'Released') continue;
    if (volumeClass(pv) !== cls) continue;
    if ((ps.volumeMode ?? 'Filesystem') !== mode) continue;
    if (!want.every((m) => (ps.accessModes ?? []).includes(m))) continue;
    if (capacityBytes(pv) < size) continue;
    if (spec.selector && !labelsMatch(spec.selector, pv.metadata.labels)) continue;
    if (opts.node && !volumeFitsNode(pv, opts.node)) continue;
    if (prebound) return pv;
    if (!best || capacityBytes(pv) < capacityBytes(best)) best = pv;
  }
  return best;
}
