// Printers for the batch kinds (Job, CronJob), StatefulSet/ControllerRevision, and storage
// (PersistentVolume, PersistentVolumeClaim, StorageClass): columns and cell rules of upstream's
// pkg/printers/internalversion (v1.32).
import type { KObj } from '../../store/types.js';
import { humanDuration, parseTime, translateTimestampSince } from './duration.js';
import type { Cell, Json, Printer } from './types.js';
import { ageCol, col, CONTAINERS_DESC, formatLabelSelector, IMAGES_DESC, layoutContainerCells, nameCol, str } from './util.js';

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const hasTrue = (conds: unknown, type: string): boolean => Array.isArray(conds) && conds.some((c: Json) => c?.type === type && c?.status === 'True');

export const jobPrinter: Printer = {
  columns: [
    nameCol(),
    col('Status', 'Status of the job.'),
    col('Completions', 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.'),
    col('Duration', 'Time required to complete the job.'),
    ageCol(),
    col('Containers', CONTAINERS_DESC, { priority: 1 }),
    col('Images', IMAGES_DESC, { priority: 1 }),
    col('Selector', 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', { priority: 1 }),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec: Json = obj.spec ?? {};
    const st: Json = obj.status ?? {};
    const succeeded = num(st.succeeded);
    let completions: string;
    if (typeof spec.completions === 'number') completions = `${succeeded}/${spec.completions}`;
    else completions = num(spec.parallelism) > 1 ? `${succeeded}/1 of ${spec.parallelism}` : `${succeeded}/1`;
    const start = parseTime(st.startTime);
    const end = parseTime(st.completionTime);
    const duration = start === undefined ? '' : humanDuration((end ?? now) - start);
    const [names, images] = layoutContainerCells(spec.template?.spec?.containers);
    return [str(obj.metadata.name), jobStatusWord(obj), completions, duration, translateTimestampSince(obj.metadata.creationTimestamp, now), names, images, formatLabelSelector(spec.selector)];
  },
};

/** The STATUS column: finished conditions first, then Terminating, then the transient ones. */
export function jobStatusWord(job: KObj): string {
  const c = (job.status as Json)?.conditions;
  if (hasTrue(c, 'Complete')) return 'Complete';
  if (hasTrue(c, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasTrue(c, 'Suspended')) return 'Suspended';
  if (hasTrue(c, 'FailureTarget')) return 'FailureTarget';
  if (hasTrue(c, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export const cronJobPrinter: Printer = {
  columns: [
    nameCol(),
    col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones'),
    col('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
    col('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
    col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    ageCol(),
    col('Containers', CONTAINERS_DESC, { priority: 1 }),
    col('Images', IMAGES_DESC, { priority: 1 }),
    col('Selector', 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', { priority: 1 }),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec: Json = obj.spec ?? {};
    const st: Json = obj.status ?? {};
    const jobSpec: Json = spec.jobTemplate?.spec ?? {};
    const [names, images] = layoutContainerCells(jobSpec.template?.spec?.containers);
    const suspend = typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>';
    return [
      str(obj.metadata.name),
      str(spec.schedule),
      typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
      suspend,
      Array.isArray(st.active) ? st.active.length : 0,
      st.lastScheduleTime ? translateTimestampSince(st.lastScheduleTime, now) : '<none>',
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(jobSpec.selector),
    ];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [nameCol(), col('Ready', 'Number of the pod with ready state'), ageCol(), col('Containers', CONTAINERS_DESC, { priority: 1 }), col('Images', IMAGES_DESC, { priority: 1 })],
  cells(obj: KObj, now: number): Cell[] {
    const spec: Json = obj.spec ?? {};
    const [names, images] = layoutContainerCells(spec.template?.spec?.containers);
    const desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
    return [str(obj.metadata.name), `${num((obj.status as Json)?.readyReplicas)}/${desired}`, translateTimestampSince(obj.metadata.creationTimestamp, now), names, images];
  },
};

export const controllerRevisionPrinter: Printer = {
  columns: [nameCol(), col('Controller', 'Controller of the object'), col('Revision', 'Revision indicates the revision of the state represented by Data.', { type: 'integer' }), ageCol()],
  cells(obj: KObj, now: number): Cell[] {
    const ref = obj.metadata.ownerReferences?.find((r) => r.controller);
    let controller = '<none>';
    if (ref) {
      const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
      controller = `${ref.kind.toLowerCase()}${group ? '.' + group : ''}/${ref.name}`;
    }
    return [str(obj.metadata.name), controller, num(obj.revision), translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};

const MODES: Array<[string, string]> = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];

/** helper.GetAccessModesAsString: fixed order, abbreviations joined by commas. */
export function accessModesString(modes: unknown): string {
  const list = Array.isArray(modes) ? modes : [];
  return MODES.filter(([m]) => list.includes(m)).map(([, s]) => s).join(',');
}

const BIN: Array<[string, number]> = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
const DEC: Array<[string, number]> = [['E', 1e18], ['P', 1e15], ['T', 1e12], ['G', 1e9], ['M', 1e6], ['k', 1e3]];

/** resource.Quantity's canonical String() for the common cases: the largest unit of the same kind (binary or decimal) that keeps an integer. */
export function canonicalQuantity(q: unknown): string {
  const s = str(q);
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/.exec(s);
  if (!m) return s || '0';
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  const binary = suffix.endsWith('i');
  const table = binary ? BIN : DEC;
  const factor = suffix === 'm' ? 1e-3 : suffix ? (table.find(([u]) => u === suffix)?.[1] ?? 1) : 1;
  const value = n * factor;
  if (suffix === 'm' || !Number.isInteger(value)) return s;
  if (value === 0) return '0';
  for (const [u, f] of table) if (value % f === 0) return `${value / f}${u}`;
  // below 1Ki a binary quantity prints as a plain number (DecimalSI has no smaller unit either)
  return String(value);
}

const pvClass = (o: KObj): string => o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? str((o.spec as Json)?.storageClassName);

export const persistentVolumePrinter: Printer = {
  columns: [
    nameCol(),
    col('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity'),
    col('Access Modes', 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes'),
    col('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming'),
    col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase'),
    col('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding'),
    col('StorageClass', 'storageClassName is the name of StorageClass to which this persistent volume belongs. Empty value means that this volume does not belong to any StorageClass.'),
    col('VolumeAttributesClass', 'Name of VolumeAttributesClass to which this persistent volume belongs. Empty value is not allowed. When this field is not set, it indicates that this volume does not belong to any VolumeAttributesClass. This field is mutable and can be changed by the CSI driver after a volume has been updated successfully to a new class. For an unbound PersistentVolume, the volumeAttributesClassName will be matched with unbound PersistentVolumeClaims during the binding process. This is a beta field and requires enabling VolumeAttributesClass feature (off by default).'),
    col('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageCol(),
    col('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.', { priority: 1 }),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec: Json = obj.spec ?? {};
    const ref: Json = spec.claimRef;
    const claim = ref ? `${str(ref.namespace)}/${str(ref.name)}` : '';
    const phase = obj.metadata.deletionTimestamp ? 'Terminating' : str((obj.status as Json)?.phase);
    return [
      str(obj.metadata.name),
      canonicalQuantity(spec.capacity?.storage),
      accessModesString(spec.accessModes),
      str(spec.persistentVolumeReclaimPolicy),
      phase,
      claim,
      pvClass(obj),
      typeof spec.volumeAttributesClassName === 'string' ? spec.volumeAttributesClassName : '<unset>',
      str((obj.status as Json)?.reason),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      typeof spec.volumeMode === 'string' ? spec.volumeMode : '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameCol(),
    col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'accessModes contains the desired access modes the volume should have. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1'),
    col('StorageClass', 'storageClassName is the name of the StorageClass required by the claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#class-1'),
    col('VolumeAttributesClass', 'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim. If specified, the CSI driver will create or update the volume with the attributes defined in the corresponding VolumeAttributesClass. This has a different purpose than storageClassName, it can be changed after the claim is created. An empty string value means that no VolumeAttributesClass will be applied to the claim but it\'s not allowed to reset this field to empty string once it is set. If unspecified and the PersistentVolumeClaim is unbound, the default VolumeAttributesClass will be set by the persistentvolume controller if it exists. If the resource referred to by volumeAttributesClass does not exist, this PersistentVolumeClaim will be set to a Pending state, as reflected by the modifyVolumeStatus field, until such as a resource exists. More info: https://kubernetes.io/docs/concepts/storage/volume-attributes-classes/ (Beta) Using this field requires the VolumeAttributesClass feature gate to be enabled (off by default).'),
    ageCol(),
    col('VolumeMode', 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.', { priority: 1 }),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec: Json = obj.spec ?? {};
    const st: Json = obj.status ?? {};
    const bound = !!spec.volumeName;
    const vac = typeof spec.volumeAttributesClassName === 'string' && spec.volumeAttributesClassName ? spec.volumeAttributesClassName : '<unset>';
    return [
      str(obj.metadata.name),
      obj.metadata.deletionTimestamp ? 'Terminating' : str(st.phase),
      str(spec.volumeName),
      bound ? canonicalQuantity(st.capacity?.storage) : '',
      bound ? accessModesString(st.accessModes) : '',
      obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? str(spec.storageClassName),
      vac,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      typeof spec.volumeMode === 'string' ? spec.volumeMode : '<unset>',
    ];
  },
};

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
export const isDefaultClass = (sc: KObj): boolean =>
  sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true' || sc.metadata.annotations?.[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';

export const storageClassPrinter: Printer = {
  columns: [
    nameCol(),
    col('Provisioner', 'provisioner indicates the type of the provisioner.'),
    col('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
    col('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.'),
    col('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageCol(),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const o = obj as Json;
    return [
      str(obj.metadata.name) + (isDefaultClass(obj) ? ' (default)' : ''),
      str(o.provisioner),
      typeof o.reclaimPolicy === 'string' ? o.reclaimPolicy : 'Delete',
      typeof o.volumeBindingMode === 'string' ? o.volumeBindingMode : 'Immediate',
      o.allowVolumeExpansion === true,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
