// batch/v1 Job and CronJob, apps/v1 StatefulSet and ControllerRevision, and storage (PV, PVC,
// StorageClass): v1 defaults, the strategies' create preparation (a Job's generated selector and
// labels, the protection finalizers) and the rules of upstream's validation in its words.
import { randomUUID } from 'node:crypto';
import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import { isValidTimeZone, parseSchedule } from '../../controllers/cron-schedule.js';
import { defaultPodTemplate, validateTemplateForReplicaSet } from './apps.js';
import {
  FIELD_IMMUTABLE, child, deepEqual, forbidden, goLabelSelector, goStringMap, invalid, isObj, nonNegative, notSupported, obj, raw, required, str, type Obj,
} from './format.js';
import { selectorMatcher, validateLabelSelector } from './meta.js';
import { validatePodTemplateSpec } from './pod-spec.js';
import type { KindRules } from './types.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const JOB_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

const sub = (o: Obj, k: string): Obj => (isObj(o[k]) ? (o[k] as Obj) : (o[k] = {}));

function selectorAndLabels(spec: Obj, p: string, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec.selector;
  if (!isObj(sel)) return [required(child(p, 'selector'))];
  errs.push(...validateLabelSelector(sel, child(p, 'selector')));
  if (Object.keys(obj(sel.matchLabels)).length + (Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0) === 0)
    errs.push(invalid(child(p, 'selector'), raw(goLabelSelector(sel)), `empty selector is invalid for ${kind}`));
  const tpl = obj(spec.template);
  const labels = obj(obj(tpl.metadata).labels) as Record<string, string>;
  const m = selectorMatcher(sel);
  if (m !== 'everything' && (m === 'nothing' || !m(labels)))
    errs.push(invalid(child(p, 'template', 'metadata', 'labels'), raw(goStringMap(obj(tpl.metadata).labels)), '`selector` does not match template `labels`'));
  return errs;
}

// ---- Job ----
function defaultJobSpec(spec: Obj): void {
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (spec.parallelism == null) spec.parallelism = 1;
  if (spec.backoffLimit == null) spec.backoffLimit = 6;
  if (spec.completionMode == null) spec.completionMode = 'NonIndexed';
  if (spec.suspend == null) spec.suspend = false;
  if (spec.podReplacementPolicy == null && spec.podFailurePolicy == null) spec.podReplacementPolicy = 'TerminatingOrFailed';
  if (spec.manualSelector == null) spec.manualSelector = false;
  defaultPodTemplate(spec.template);
}

function validateJobSpec(spec: Obj, p: string, generated: boolean): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'backoffLimit']) errs.push(...nonNegative(spec[f], child(p, f)));
  if (typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds <= 0)
    errs.push(invalid(child(p, 'activeDeadlineSeconds'), spec.activeDeadlineSeconds, 'must be greater than 0'));
  errs.push(...nonNegative(spec.ttlSecondsAfterFinished, child(p, 'ttlSecondsAfterFinished')));
  if (generated) errs.push(...selectorAndLabels(spec, p, 'job'));
  const tpl = spec.template;
  if (!isObj(tpl)) return [...errs, required(child(p, 'template'))];
  errs.push(...validatePodTemplateSpec(tpl, child(p, 'template')));
  const rp = str(obj(tpl.spec).restartPolicy);
  if (rp !== 'OnFailure' && rp !== 'Never') errs.push(notSupported(child(p, 'template', 'spec', 'restartPolicy'), rp, ['OnFailure', 'Never']));
  if (spec.completionMode != null && !['NonIndexed', 'Indexed'].includes(str(spec.completionMode)))
    errs.push(notSupported(child(p, 'completionMode'), str(spec.completionMode), ['NonIndexed', 'Indexed']));
  return errs;
}

export const jobRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: true,
  generation: 'spec',
  defaults(o) {
    defaultJobSpec(sub(o as Obj, 'spec'));
  },
  prepareForCreate(o) {
    o.status = {};
    const spec = sub(o as Obj, 'spec');
    // the generated selector embeds the uid, so the job gets it now rather than at storage time
    if (spec.manualSelector !== true) {
      o.metadata.uid = randomUUID();
      const ids = { [JOB_UID_LABEL]: o.metadata.uid, [JOB_NAME_LABEL]: o.metadata.name!, 'controller-uid': o.metadata.uid, 'job-name': o.metadata.name! };
      spec.selector = { matchLabels: { [JOB_UID_LABEL]: o.metadata.uid } };
      const md = sub(sub(spec, 'template'), 'metadata');
      md.labels = { ...obj(md.labels), ...ids };
    }
    const tplLabels = obj(obj(obj(spec.template).metadata).labels);
    if (!o.metadata.labels || Object.keys(o.metadata.labels).length === 0) o.metadata.labels = { ...(tplLabels as Record<string, string>) };
  },
  validate: (o) => validateJobSpec(obj(o.spec), 'spec', true),
  validateUpdate(n, old) {
    const ns = obj(n.spec);
    const os = obj(old.spec);
    const errs = validateJobSpec(ns, 'spec', true);
    if (!deepEqual(ns.selector, os.selector)) errs.push(invalid('spec.selector', raw(goLabelSelector(ns.selector)), FIELD_IMMUTABLE));
    if (!deepEqual(ns.completions, os.completions)) errs.push(invalid('spec.completions', typeof ns.completions === 'number' ? ns.completions : raw('null'), FIELD_IMMUTABLE));
    return errs;
  },
};

// ---- CronJob ----
export const cronJobRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: true,
  generation: 'spec',
  defaults(o) {
    const spec = sub(o as Obj, 'spec');
    if (spec.concurrencyPolicy == null) spec.concurrencyPolicy = 'Allow';
    if (spec.suspend == null) spec.suspend = false;
    if (spec.successfulJobsHistoryLimit == null) spec.successfulJobsHistoryLimit = 3;
    if (spec.failedJobsHistoryLimit == null) spec.failedJobsHistoryLimit = 1;
    defaultPodTemplate(obj(sub(sub(spec, 'jobTemplate'), 'spec')).template);
  },
  prepareForCreate(o) {
    o.status = {};
  },
  validate(o) {
    const errs: FieldError[] = [];
    const name = o.metadata.name ?? '';
    if (name.length > 52) errs.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
    const spec = obj(o.spec);
    const schedule = str(spec.schedule);
    if (!schedule) errs.push(required('spec.schedule'));
    else if (/\b(CRON_)?TZ=/.test(schedule)) errs.push(invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    else {
      try {
        parseSchedule(schedule);
      } catch (e) {
        errs.push(invalid('spec.schedule', schedule, (e as Error).message));
      }
    }
    if (typeof spec.timeZone === 'string' && !isValidTimeZone(spec.timeZone)) errs.push(invalid('spec.timeZone', spec.timeZone, `unknown time zone ${spec.timeZone}`));
    const cp = str(spec.concurrencyPolicy);
    if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
    for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) errs.push(...nonNegative(spec[f], `spec.${f}`));
    const jt = obj(obj(spec.jobTemplate).spec);
    errs.push(...validateJobSpec(jt, 'spec.jobTemplate.spec', false));
    return errs;
  },
};

// ---- StatefulSet / ControllerRevision ----
function validateStatefulSetSpec(o: KObj): FieldError[] {
  const spec = obj(o.spec);
  const errs: FieldError[] = [...nonNegative(spec.replicas, 'spec.replicas'), ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds')];
  const pmp = str(spec.podManagementPolicy);
  if (!['OrderedReady', 'Parallel'].includes(pmp)) errs.push(notSupported('spec.podManagementPolicy', pmp, ['OrderedReady', 'Parallel']));
  const us = obj(spec.updateStrategy);
  const t = str(us.type);
  if (t === 'OnDelete' && us.rollingUpdate != null) errs.push(invalid('spec.updateStrategy.rollingUpdate', raw('{}'), 'only allowed for updateStrategy \'RollingUpdate\''));
  else if (!['OnDelete', 'RollingUpdate'].includes(t)) errs.push(notSupported('spec.updateStrategy.type', t, ['OnDelete', 'RollingUpdate']));
  errs.push(...nonNegative(obj(us.rollingUpdate).partition, 'spec.updateStrategy.rollingUpdate.partition'));
  const sel = spec.selector;
  if (!isObj(sel)) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(sel, 'spec.selector'));
    if (Object.keys(obj(sel.matchLabels)).length + (Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0) === 0)
      errs.push(invalid('spec.selector', raw(goLabelSelector(sel)), 'empty selector is invalid for statefulset'));
  }
  // claim templates become volumes of each pod, so mounts may name them
  const withClaims = { ...spec, template: JSON.parse(JSON.stringify(spec.template ?? null)) as unknown };
  const tplSpec = obj(obj(withClaims.template).spec);
  const claims = (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []).map((ct) => str(obj(obj(ct).metadata).name)).filter(Boolean);
  if (isObj(withClaims.template) && claims.length) {
    const vols = Array.isArray(tplSpec.volumes) ? (tplSpec.volumes as Obj[]) : [];
    tplSpec.volumes = [...vols.filter((v) => !claims.includes(str(v.name))), ...claims.map((name) => ({ name, persistentVolumeClaim: { claimName: name } }))];
    (withClaims.template as Obj).spec = tplSpec;
  }
  errs.push(...validateTemplateForReplicaSet(withClaims, 'spec.template', 'StatefulSet'));
  return errs;
}

const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export const statefulSetRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: true,
  generation: 'spec',
  defaults(o) {
    const spec = sub(o as Obj, 'spec');
    if (spec.replicas == null) spec.replicas = 1;
    if (spec.podManagementPolicy == null) spec.podManagementPolicy = 'OrderedReady';
    const us = sub(spec, 'updateStrategy');
    if (us.type == null) us.type = 'RollingUpdate';
    if (us.type === 'RollingUpdate') {
      const ru = sub(us, 'rollingUpdate');
      if (ru.partition == null) ru.partition = 0;
    }
    if (spec.revisionHistoryLimit == null) spec.revisionHistoryLimit = 10;
    const rp = sub(spec, 'persistentVolumeClaimRetentionPolicy');
    if (rp.whenDeleted == null) rp.whenDeleted = 'Retain';
    if (rp.whenScaled == null) rp.whenScaled = 'Retain';
    for (const ct of Array.isArray(spec.volumeClaimTemplates) ? (spec.volumeClaimTemplates as Obj[]) : []) {
      if (!isObj(ct)) continue;
      ct.apiVersion ??= 'v1';
      ct.kind ??= 'PersistentVolumeClaim';
      const cs = sub(ct, 'spec');
      if (cs.volumeMode == null) cs.volumeMode = 'Filesystem';
      if (ct.status == null) ct.status = { phase: 'Pending' };
    }
    defaultPodTemplate(spec.template);
  },
  prepareForCreate(o) {
    o.status = { replicas: 0, availableReplicas: 0 };
  },
  validate: validateStatefulSetSpec,
  validateUpdate(n, old) {
    const errs = validateStatefulSetSpec(n);
    const a = { ...obj(n.spec) };
    const b = { ...obj(old.spec) };
    for (const f of STS_MUTABLE) {
      delete a[f];
      delete b[f];
    }
    if (!deepEqual(a, b))
      errs.push(forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
    return errs;
  },
};

export const controllerRevisionRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: false,
  validate: (o) => (typeof (o as Obj).revision === 'number' ? nonNegative((o as Obj).revision, 'revision') : []),
  validateUpdate: (n, old) => (deepEqual((n as Obj).data, (old as Obj).data) ? [] : [invalid('data', raw('runtime.RawExtension{...}'), FIELD_IMMUTABLE)]),
};

// ---- storage ----
function accessModeErrors(modes: unknown, p: string, emptyMsg: string): FieldError[] {
  const list = Array.isArray(modes) ? modes : [];
  if (!list.length) return [required(p, emptyMsg)];
  const errs: FieldError[] = [];
  for (const m of list) if (!ACCESS_MODES.includes(str(m))) errs.push(notSupported(p, str(m), ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) errs.push(forbidden(p, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

const VOLUME_SOURCES = ['hostPath', 'local', 'nfs', 'csi', 'iscsi', 'fc', 'rbd', 'cephfs', 'awsElasticBlockStore', 'gcePersistentDisk', 'azureDisk', 'azureFile', 'cinder', 'flexVolume', 'glusterfs', 'portworxVolume', 'quobyte', 'scaleIO', 'storageos', 'vsphereVolume', 'photonPersistentDisk', 'flocker'];

export const persistentVolumeRules: KindRules = {
  namespaced: false,
  nameRule: 'subdomain',
  hasStatus: true,
  defaults(o) {
    const spec = sub(o as Obj, 'spec');
    if (spec.persistentVolumeReclaimPolicy == null) spec.persistentVolumeReclaimPolicy = 'Retain';
    if (spec.volumeMode == null) spec.volumeMode = 'Filesystem';
  },
  prepareForCreate(o) {
    o.status = { phase: 'Pending' };
    const f = o.metadata.finalizers ?? [];
    if (!f.includes('kubernetes.io/pv-protection')) o.metadata.finalizers = [...f, 'kubernetes.io/pv-protection'];
  },
  validate(o) {
    const spec = obj(o.spec);
    const errs: FieldError[] = [...accessModeErrors(spec.accessModes, 'spec.accessModes', 'must specify at least 1 access mode')];
    if (!isObj(spec.capacity) || !Object.keys(spec.capacity).length) errs.push(required('spec.capacity'));
    else if (spec.capacity.storage == null) errs.push(required('spec.capacity.storage'));
    const rp = str(spec.persistentVolumeReclaimPolicy);
    if (!['Delete', 'Recycle', 'Retain'].includes(rp)) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', rp, ['Delete', 'Recycle', 'Retain']));
    const sources = VOLUME_SOURCES.filter((s) => spec[s] != null);
    if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
    else if (sources.length > 1) errs.push(forbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'));
    if (isObj(spec.hostPath) && !str(spec.hostPath.path)) errs.push(required('spec.hostPath.path'));
    return errs;
  },
};

const PVC_IMMUTABLE_MSG = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

export const persistentVolumeClaimRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: true,
  defaults(o) {
    const spec = sub(o as Obj, 'spec');
    if (spec.volumeMode == null) spec.volumeMode = 'Filesystem';
  },
  prepareForCreate(o) {
    o.status = { phase: 'Pending' };
    const f = o.metadata.finalizers ?? [];
    if (!f.includes('kubernetes.io/pvc-protection')) o.metadata.finalizers = [...f, 'kubernetes.io/pvc-protection'];
  },
  validate(o) {
    const spec = obj(o.spec);
    const errs = accessModeErrors(spec.accessModes, 'spec.accessModes', 'at least 1 access mode is required');
    if (obj(obj(spec.resources).requests).storage == null) errs.push(required('spec.resources[storage]'));
    if (isObj(spec.selector)) errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    return errs;
  },
  validateUpdate(n, old) {
    const errs = persistentVolumeClaimRules.validate!(n);
    const a = { ...obj(n.spec) };
    const b = { ...obj(old.spec) };
    // binding fills volumeName, and a nil class may take the default one (retroactive assignment)
    const drop = (k: string) => {
      delete a[k];
      delete b[k];
    };
    if (!b.volumeName) drop('volumeName');
    if (b.storageClassName == null) drop('storageClassName');
    if (obj(old.status).phase === 'Bound') {
      drop('resources');
      drop('volumeAttributesClassName');
    }
    if (!deepEqual(a, b)) errs.push(forbidden('spec', PVC_IMMUTABLE_MSG));
    return errs;
  },
};

export const storageClassRules: KindRules = {
  namespaced: false,
  nameRule: 'subdomain',
  hasStatus: false,
  defaults(o) {
    const sc = o as Obj;
    if (sc.reclaimPolicy == null) sc.reclaimPolicy = 'Delete';
    if (sc.volumeBindingMode == null) sc.volumeBindingMode = 'Immediate';
  },
  validate(o) {
    const sc = o as Obj;
    const errs: FieldError[] = [];
    if (!str(sc.provisioner)) errs.push(required('provisioner'));
    const rp = str(sc.reclaimPolicy);
    if (!['Delete', 'Retain'].includes(rp)) errs.push(notSupported('reclaimPolicy', rp, ['Delete', 'Retain']));
    const vbm = str(sc.volumeBindingMode);
    if (!['Immediate', 'WaitForFirstConsumer'].includes(vbm)) errs.push(notSupported('volumeBindingMode', vbm, ['Immediate', 'WaitForFirstConsumer']));
    return errs;
  },
  validateUpdate(n, old) {
    const a = n as Obj;
    const b = old as Obj;
    const errs = storageClassRules.validate!(n);
    if (!deepEqual(a.parameters, b.parameters)) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
    if (a.provisioner !== b.provisioner) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (a.reclaimPolicy !== b.reclaimPolicy) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (a.volumeBindingMode !== b.volumeBindingMode) errs.push(invalid('volumeBindingMode', str(a.volumeBindingMode), FIELD_IMMUTABLE));
    return errs;
  },
};
