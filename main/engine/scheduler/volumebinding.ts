// The VolumeBinding plugin (upstream pkg/scheduler/framework/plugins/volumebinding), reduced to what
// a learner meets: PreFilter rejects pods whose claims are missing or unbound under Immediate
// binding; Filter keeps nodes where bound volumes' node affinity fits and every delayed
// (WaitForFirstConsumer) claim can be met by a static volume or the class's provisioner; PreBind
// pre-binds the chosen static volume or hands the claim to the provisioner (selected-node), and the
// pod is bound only once all its claims are Bound.
import type { LocalClient } from '../api/client.js';
import { builtin } from '../api/registry.js';
import { ANN_SELECTED_NODE, claimClass, findMatchingVolume, isDelayBinding, NO_PROVISIONER, podClaimNames, volumeFitsNode } from '../controllers/volume-util.js';
import type { KObj } from '../store/types.js';
import type { FilterResult, SchedulerPlugin } from './plugins.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_NODE_CONFLICT = 'node(s) had volume node affinity conflict';

const PVS = builtin('', 'persistentvolumes');
const PVCS = builtin('', 'persistentvolumeclaims');
const CLASSES = builtin('storage.k8s.io', 'storageclasses');

/** What the plugin reads of the cluster (a LocalClient in the scheduler, plain maps in tests). */
export interface VolumeView {
  claim(namespace: string, name: string): KObj | undefined;
  volume(name: string): KObj | undefined;
  volumes(): KObj[];
  storageClass(name: string): KObj | undefined;
}

export function clientVolumeView(client: LocalClient): VolumeView {
  return {
    claim: (ns, name) => client.get(PVCS, ns, name),
    volume: (name) => client.get(PVS, undefined, name),
    volumes: () => client.list(PVS),
    storageClass: (name) => (name ? client.get(CLASSES, undefined, name) : undefined),
  };
}

const claimsOf = (pod: KObj, view: VolumeView) => podClaimNames(pod).map((n) => ({ name: n, pvc: view.claim(pod.metadata.namespace!, n) }));

/** PreFilter: the message that makes every node fail, or undefined when the pod may go on. */
export function volumePreFilter(pod: KObj, view: VolumeView): string | undefined {
  for (const { name, pvc } of claimsOf(pod, view)) {
    if (!pvc) return `persistentvolumeclaim "${name}" not found`;
    if (pvc.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (!(pvc.spec as Json)?.volumeName && !isDelayBinding(view.storageClass(claimClass(pvc)))) return ERR_UNBOUND_IMMEDIATE;
  }
  return undefined;
}

function provisionable(pvc: KObj, view: VolumeView): boolean {
  const sc = view.storageClass(claimClass(pvc)) as Json | undefined;
  return !!sc && !!sc.provisioner && sc.provisioner !== NO_PROVISIONER;
}

export function volumeBindingPlugin(view: VolumeView): SchedulerPlugin {
  return {
    name: 'VolumeBinding',
    filter(pod, ni): FilterResult {
      const reasons = new Set<string>();
      for (const { pvc } of claimsOf(pod, view)) {
        if (!pvc) continue;
        const vn = (pvc.spec as Json)?.volumeName;
        if (vn) {
          const pv = view.volume(vn);
          if (pv && !volumeFitsNode(pv, ni.node)) reasons.add(ERR_NODE_CONFLICT);
          continue;
        }
        if (findMatchingVolume(pvc, view.volumes(), { node: ni.node }) || provisionable(pvc, view)) continue;
        reasons.add(ERR_BIND_CONFLICT);
      }
      return reasons.size ? { ok: false, reasons: [...reasons], unresolvable: true } : { ok: true };
    },
  };
}

/**
 * PreBind for the chosen node: pre-bind a static volume (claimRef) or ask for provisioning
 * (selected-node annotation) for each unbound claim. Returns true when every claim is Bound.
 */
export function volumePreBind(pod: KObj, node: KObj, view: VolumeView, client: LocalClient): boolean {
  let allBound = true;
  for (const { pvc } of claimsOf(pod, view)) {
    if (!pvc) return false;
    const spec = (pvc.spec ?? {}) as Json;
    if (spec.volumeName && (pvc.status as Json | undefined)?.phase === 'Bound') continue;
    allBound = false;
    if (spec.volumeName) continue;
    const pv = findMatchingVolume(pvc, view.volumes(), { node });
    if (pv) {
      if (!(pv.spec as Json)?.claimRef) {
        client.modify(PVS, undefined, pv.metadata.name!, (o) => {
          (o.spec as Json).claimRef = { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion };
          o.metadata.annotations = { ...(o.metadata.annotations ?? {}), 'pv.kubernetes.io/bound-by-controller': 'yes' };
        });
      }
    } else if (pvc.metadata.annotations?.[ANN_SELECTED_NODE] !== node.metadata.name) {
      client.modify(PVCS, pvc.metadata.namespace, pvc.metadata.name!, (o) => {
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [ANN_SELECTED_NODE]: node.metadata.name! };
      });
    }
  }
  return allBound;
}
