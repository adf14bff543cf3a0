// The persistentvolume-controller's binder (upstream pkg/controller/volume/persistentvolume) plus
// the pvc/pv-protection controllers: binds claims to matching volumes (static), asks the class's
// provisioner for a new one (dynamic; the claim gets the storage-provisioner annotation), waits for
// the first consumer under WaitForFirstConsumer, marks volumes Available / Bound / Released and
// reclaims them (Retain keeps, Delete removes), and lifts the protection finalizers once a claim is
// no longer used by a pod or a volume no longer bound. Keys: `claim/<ns>/<name>`, `volume/<name>`.
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import { builtin } from '../api/registry.js';
import type { ComponentEnv } from '../components.js';
import type { EventRecorder } from '../events/recorder.js';
import type { KObj, StoreEvent } from '../store/types.js';
import type { Controller } from './controller.js';
import {
  ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, claimClass, claimRefMatches, findMatchingVolume,
  isDelayBinding, podClaimNames, PV_PROTECTION, PVC_PROTECTION,
} from './volume-util.js';
import { bestEffort, Requeue } from './workload-util.js';
import { isDefaultClass } from '../api/printers/batch-storage.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PVS = builtin('', 'persistentvolumes');
const PVCS = builtin('', 'persistentvolumeclaims');
const CLASSES = builtin('storage.k8s.io', 'storageclasses');
const PODS = builtin('', 'pods');
const NODES = builtin('', 'nodes');
const COMPONENT = { component: 'persistentvolume-controller' };
/** upstream re-syncs claims and volumes every 15 s; pending claims are looked at again that often */
export const RESYNC_MS = 15_000;

export const MSG_NO_CLASS = 'no persistent volumes available for this claim and no storage class is set';
export const MSG_WAIT_CONSUMER = 'waiting for first consumer to be created before binding';
export const externalProvisioningMessage = (p: string) =>
  `Waiting for a volume to be created either by the external provisioner '${p}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;

const claimKey = (ns: string | undefined, name: string) => `claim/${ns}/${name}`;
const phaseOf = (o: KObj): string | undefined => (o.status as Json | undefined)?.phase;
const podActive = (p: KObj) => !['Succeeded', 'Failed'].includes(phaseOf(p) ?? '');

export class PersistentVolumeBinder implements Controller {
  readonly name = 'persistentvolume-binder-controller';
  private client: LocalClient;
  private recorder: Pick<EventRecorder, 'event'>;
  private requeue: Requeue;

  constructor(private env: ComponentEnv) {
    this.client = env.client('kube-controller-manager');
    this.recorder = bestEffort(env.recorder(this.client));
    this.requeue = new Requeue(env.clock, (k) => this.reconcile(k));
  }

  keysFor(ev: StoreEvent): string[] {
    const o = ev.object;
    switch (ev.resource) {
      case 'persistentvolumeclaims': {
        const vn = (o.spec as Json)?.volumeName;
        return [claimKey(o.metadata.namespace, o.metadata.name!), ...(vn ? [`volume/${vn}`] : [])];
      }
      case 'persistentvolumes': {
        const ref = (o.spec as Json)?.claimRef;
        const keys = [`volume/${o.metadata.name}`, ...(ref ? [claimKey(ref.namespace, ref.name)] : [])];
        // a volume becoming available may satisfy any waiting claim
        if (ev.type !== 'DELETED' && !ref) keys.push(...this.unboundClaimKeys());
        return keys;
      }
      case 'storageclasses.storage.k8s.io':
        return this.unboundClaimKeys();
      case 'pods': {
        const gone = ev.type === 'DELETED' || !podActive(o);
        return gone ? podClaimNames(o).map((n) => claimKey(o.metadata.namespace, n)) : [];
      }
      default:
        return [];
    }
  }

  initialKeys(): string[] {
    return [...this.client.list(PVCS).map((c) => claimKey(c.metadata.namespace, c.metadata.name!)), ...this.client.list(PVS).map((v) => `volume/${v.metadata.name}`)];
  }

  private unboundClaimKeys(): string[] {
    return this.client.list(PVCS).filter((c) => !(c.spec as Json)?.volumeName).map((c) => claimKey(c.metadata.namespace, c.metadata.name!));
  }

  reconcile(key: string): void {
    if (key.startsWith('volume/')) return this.syncVolume(key.slice('volume/'.length));
    const [, ns, name] = key.split('/') as [string, string, string];
    this.syncClaim(ns, name);
  }

  private syncClaim(ns: string, name: string): void {
    const pvc = this.client.get(PVCS, ns, name);
    if (!pvc) return;
    if (pvc.metadata.deletionTimestamp) return this.releaseClaimProtection(pvc);
    const spec = (pvc.spec ?? {}) as Json;
    // retroactive default StorageClass: a claim without a class gets the default one
    if (spec.storageClassName === undefined && !spec.volumeName && !pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class']) {
      const def = this.client.list(CLASSES).find(isDefaultClass);
      if (def) {
        this.client.modify(PVCS, ns, name, (o) => void ((o.spec as Json).storageClassName = def.metadata.name));
        return;
      }
    }
    if (spec.volumeName) {
      const pv = this.client.get(PVS, undefined, spec.volumeName);
      if (!pv) {
        if (phaseOf(pvc) !== 'Lost') {
          this.setClaimPhase(pvc, 'Lost');
          this.recorder.event(pvc, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!', COMPONENT);
        }
        return;
      }
      const ref = (pv.spec as Json)?.claimRef;
      if (!ref || claimRefMatches(pv, pvc)) this.bind(pv, pvc, false);
      else if (phaseOf(pvc) !== 'Lost') {
        this.setClaimPhase(pvc, 'Lost');
        this.recorder.event(pvc, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly', COMPONENT);
      }
      return;
    }
    const cls = claimClass(pvc);
    const sc = cls ? this.client.get(CLASSES, undefined, cls) : undefined;
    const delay = isDelayBinding(sc);
    const selected = pvc.metadata.annotations?.[ANN_SELECTED_NODE];
    const node = selected ? this.client.get(NODES, undefined, selected) : undefined;
    const pv = findMatchingVolume(pvc, this.client.list(PVS), { prebound: delay && !selected, node });
    if (pv) {
      this.bind(pv, pvc, true);
      return;
    }
    if (phaseOf(pvc) !== 'Pending') this.setClaimPhase(pvc, 'Pending');
    if (delay && !selected) this.recorder.event(pvc, 'Normal', 'WaitForFirstConsumer', MSG_WAIT_CONSUMER, COMPONENT);
    else if (!cls) this.recorder.event(pvc, 'Normal', 'FailedBinding', MSG_NO_CLASS, COMPONENT);
    else if (!sc) this.recorder.event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`, COMPONENT);
    else {
      const provisioner = String((sc as Json).provisioner ?? '');
      if (pvc.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== provisioner) {
        this.client.modify(PVCS, ns, name, (o) => {
          o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [ANN_BETA_STORAGE_PROVISIONER]: provisioner, [ANN_STORAGE_PROVISIONER]: provisioner };
        });
      }
      this.recorder.event(pvc, 'Normal', 'ExternalProvisioning', externalProvisioningMessage(provisioner), COMPONENT);
    }
    this.requeue.after(claimKey(ns, name), RESYNC_MS);
  }

  /** bind both halves; `byController` when the binder chose the volume (not a user's volumeName) */
  private bind(pv: KObj, pvc: KObj, byController: boolean): void {
    const ns = pvc.metadata.namespace;
    const name = pvc.metadata.name!;
    if (!claimRefMatches(pv, pvc) || !(pv.spec as Json).claimRef?.uid) {
      pv = this.client.modify(PVS, undefined, pv.metadata.name!, (o) => {
        (o.spec as Json).claimRef = { kind: 'PersistentVolumeClaim', namespace: ns, name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion };
        if (byController && !o.metadata.annotations?.[ANN_PROVISIONED_BY]) o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      });
    }
    if (phaseOf(pv) !== 'Bound') this.client.modifyStatus(PVS, undefined, pv.metadata.name!, (o) => void (o.status = { ...(o.status as Json), phase: 'Bound' }));
    if ((pvc.spec as Json).volumeName !== pv.metadata.name || pvc.metadata.annotations?.[ANN_BIND_COMPLETED] !== 'yes') {
      pvc = this.client.modify(PVCS, ns, name, (o) => {
        (o.spec as Json).volumeName = pv.metadata.name;
        const ann: Record<string, string> = { ...(o.metadata.annotations ?? {}), [ANN_BIND_COMPLETED]: 'yes' };
        if (byController) ann[ANN_BOUND_BY_CONTROLLER] = 'yes';
        o.metadata.annotations = ann;
      });
    }
    const ps = pv.spec as Json;
    const want = { ...(pvc.status as Json), phase: 'Bound', accessModes: ps.accessModes, capacity: ps.capacity };
    if (JSON.stringify(want) !== JSON.stringify(pvc.status)) this.client.modifyStatus(PVCS, ns, name, (o) => void (o.status = want));
  }

  private setClaimPhase(pvc: KObj, phase: string): void {
    this.client.modifyStatus(PVCS, pvc.metadata.namespace, pvc.metadata.name!, (o) => void (o.status = { ...(o.status as Json), phase }));
  }

  private syncVolume(name: string): void {
    const pv = this.client.get(PVS, undefined, name);
    if (!pv) return;
    if (pv.metadata.deletionTimestamp) {
      if (phaseOf(pv) !== 'Bound' && pv.metadata.finalizers?.includes(PV_PROTECTION)) {
        this.client.modify(PVS, undefined, name, (o) => void (o.metadata.finalizers = o.metadata.finalizers!.filter((f) => f !== PV_PROTECTION)));
      }
      return;
    }
    const spec = (pv.spec ?? {}) as Json;
    const ref = spec.claimRef;
    if (!ref) {
      if (phaseOf(pv) !== 'Available') this.setVolumePhase(pv, 'Available');
      return;
    }
    const pvc = this.client.get(PVCS, ref.namespace, ref.name);
    if (pvc && (!ref.uid || ref.uid === pvc.metadata.uid)) {
      if (!ref.uid || (pvc.spec as Json)?.volumeName !== name) {
        // pre-bound to a claim (by a user or the scheduler): the claim's sync completes it
        if (phaseOf(pv) !== 'Available' && phaseOf(pv) !== 'Bound') this.setVolumePhase(pv, 'Available');
        this.syncClaim(ref.namespace, ref.name);
      } else if (phaseOf(pv) !== 'Bound') this.setVolumePhase(pv, 'Bound');
      return;
    }
    // the claim is gone: Released, then the reclaim policy decides
    if (phaseOf(pv) !== 'Released' && phaseOf(pv) !== 'Failed') this.setVolumePhase(pv, 'Released');
    if (spec.persistentVolumeReclaimPolicy !== 'Delete') return;
    if (pv.metadata.annotations?.[ANN_PROVISIONED_BY]) return; // its provisioner deletes it
    const path: string | undefined = spec.hostPath?.path;
    if (path && /^\/tmp\/.+/.test(path)) {
      this.client.deleteIfExists(PVS, undefined, name);
      return;
    }
    if (phaseOf(pv) !== 'Failed') {
      const message = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
      this.client.modifyStatus(PVS, undefined, name, (o) => void (o.status = { ...(o.status as Json), phase: 'Failed', message }));
      this.recorder.event(pv, 'Warning', 'VolumeFailedDelete', message, COMPONENT);
    }
  }

  private setVolumePhase(pv: KObj, phase: string): void {
    try {
      this.client.modifyStatus(PVS, undefined, pv.metadata.name!, (o) => {
        const st: Json = { ...(o.status as Json), phase, lastPhaseTransitionTime: this.client.now() };
        delete (st as Json).message;
        o.status = st;
      });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }

  /** pvc-protection: the finalizer goes once no running pod mounts the claim */
  private releaseClaimProtection(pvc: KObj): void {
    if (!pvc.metadata.finalizers?.includes(PVC_PROTECTION)) return;
    const inUse = this.client.list(PODS, pvc.metadata.namespace).some((p) => podActive(p) && podClaimNames(p).includes(pvc.metadata.name!));
    if (inUse) return;
    this.client.modify(PVCS, pvc.metadata.namespace, pvc.metadata.name!, (o) => void (o.metadata.finalizers = o.metadata.finalizers!.filter((f) => f !== PVC_PROTECTION)));
  }
}
