// The local-path provisioner kind clusters ship (`rancher.io/local-path`, the `standard` class):
// for a claim the PV controller handed to it (storage-provisioner annotation) and, under
// WaitForFirstConsumer, placed by the scheduler (selected-node annotation), it creates a hostPath
// volume `pvc-<claim uid>` pinned to that node and pre-bound to the claim; it deletes its volumes
// once Released under the Delete reclaim policy.
import type { LocalClient } from '../api/client.js';
import { StatusError } from '../api/errors.js';
import { builtin } from '../api/registry.js';
import type { ComponentEnv } from '../components.js';
import type { EventRecorder } from '../events/recorder.js';
import type { KObj, StoreEvent } from '../store/types.js';
import type { Controller } from './controller.js';
import { ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, claimClass, isDelayBinding, LOCAL_PATH_PROVISIONER } from './volume-util.js';
import { bestEffort } from './workload-util.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PVS = builtin('', 'persistentvolumes');
const PVCS = builtin('', 'persistentvolumeclaims');
const CLASSES = builtin('storage.k8s.io', 'storageclasses');
export const PROVISIONER_IDENTITY = 'rancher.io/local-path_local-path-provisioner';
const COMPONENT = { component: PROVISIONER_IDENTITY };
export const LOCAL_PATH_ROOT = '/var/local-path-provisioner';

export const provisionedName = (pvc: KObj): string => `pvc-${pvc.metadata.uid}`;

/** The volume provisioned for a claim on a node. */
export function provisionedVolume(pvc: KObj, sc: KObj, node: string): KObj {
  const spec = (pvc.spec ?? {}) as Json;
  const name = provisionedName(pvc);
  return {
    metadata: {
      name,
      annotations: { 'local.path.provisioner/selected-node': node, [ANN_PROVISIONED_BY]: LOCAL_PATH_PROVISIONER },
    },
    spec: {
      accessModes: spec.accessModes,
      capacity: { storage: spec.resources?.requests?.storage },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: pvc.metadata.name, namespace: pvc.metadata.namespace, resourceVersion: pvc.metadata.resourceVersion, uid: pvc.metadata.uid },
      hostPath: { path: `${LOCAL_PATH_ROOT}/${name}_${pvc.metadata.namespace}_${pvc.metadata.name}`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
      persistentVolumeReclaimPolicy: (sc as Json).reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name,
      volumeMode: spec.volumeMode ?? 'Filesystem',
    },
  };
}

export class LocalPathProvisioner implements Controller {
  readonly name = 'local-path-provisioner';
  private client: LocalClient;
  private recorder: Pick<EventRecorder, 'event'>;

  constructor(env: ComponentEnv) {
    this.client = env.client('local-path-provisioner');
    this.recorder = bestEffort(env.recorder(this.client));
  }

  keysFor(ev: StoreEvent): string[] {
    const o = ev.object;
    if (ev.resource === 'persistentvolumeclaims' && ev.type !== 'DELETED' && o.metadata.annotations?.[ANN_STORAGE_PROVISIONER] === LOCAL_PATH_PROVISIONER) {
      return [`claim/${o.metadata.namespace}/${o.metadata.name}`];
    }
    if (ev.resource === 'persistentvolumes' && ev.type !== 'DELETED' && o.metadata.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PATH_PROVISIONER) return [`volume/${o.metadata.name}`];
    return [];
  }

  initialKeys(): string[] {
    return this.client.list(PVCS).map((c) => `claim/${c.metadata.namespace}/${c.metadata.name}`);
  }

  reconcile(key: string): void {
    if (key.startsWith('volume/')) {
      const pv = this.client.get(PVS, undefined, key.slice('volume/'.length));
      const spec = (pv?.spec ?? {}) as Json;
      if (pv && !pv.metadata.deletionTimestamp && (pv.status as Json | undefined)?.phase === 'Released' && spec.persistentVolumeReclaimPolicy === 'Delete') {
        this.client.deleteIfExists(PVS, undefined, pv.metadata.name!);
      }
      return;
    }
    const [, ns, name] = key.split('/') as [string, string, string];
    const pvc = this.client.get(PVCS, ns, name);
    if (!pvc || pvc.metadata.deletionTimestamp || (pvc.spec as Json)?.volumeName) return;
    if (pvc.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== LOCAL_PATH_PROVISIONER) return;
    const sc = this.client.get(CLASSES, undefined, claimClass(pvc));
    if (!sc || (sc as Json).provisioner !== LOCAL_PATH_PROVISIONER) return;
    if (this.client.get(PVS, undefined, provisionedName(pvc))) return;
    const node = pvc.metadata.annotations?.[ANN_SELECTED_NODE];
    if (!node) {
      if (!isDelayBinding(sc)) {
        this.recorder.event(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": configuration error, no node was specified`, COMPONENT);
      }
      return;
    }
    this.recorder.event(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${ns}/${name}"`, COMPONENT);
    try {
      const pv = this.client.create(PVS, provisionedVolume(pvc, sc, node));
      this.recorder.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata.name}`, COMPONENT);
    } catch (e) {
      if (e instanceof StatusError && e.code === 409) return;
      this.recorder.event(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${(e as Error).message}`, COMPONENT);
      throw e;
    }
  }
}
