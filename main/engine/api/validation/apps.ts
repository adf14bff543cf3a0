// apps/v1 Deployment and ReplicaSet: defaults (apps/v1 defaults.go), strategy preparation, and
// apps/validation's spec rules, including the selector/template-labels match kubectl users meet.

import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import {
  FIELD_IMMUTABLE, child, forbidden, goLabelSelector, goStringMap, intOrStringValue, invalid, isObj, nonNegative, notSupported, obj, raw, required, str, type Obj,
} from './format.js';
import { selectorMatcher, validateLabelSelector } from './meta.js';
import { isValidPercent } from './names.js';
import { defaultPodSpec } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-spec.js';
import { deepEqual } from './format.js';
import type { KindRules } from './types.js';

/** Template defaults shared by every workload: pod spec defaults and Go's `creationTimestamp: null`. */
export function defaultPodTemplate(tplIn: unknown): void {
  if (!isObj(tplIn)) return;
  const meta = isObj(tplIn.metadata) ? tplIn.metadata : (tplIn.metadata = {});
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
  if (!isObj(tplIn.spec)) tplIn.spec = {};
  defaultPodSpec(tplIn.spec as Obj);
}

function selectorErrors(spec: Obj, kind = 'deployment'): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec.selector;
  if (!isObj(sel)) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(sel, 'spec.selector'));
    if (Object.keys(obj(sel.matchLabels)).length + (Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0) === 0)
      errs.push(invalid('spec.selector', raw(goLabelSelector(sel)), `empty selector is invalid for ${kind}`));
  }
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet (also used by Deployments; DaemonSets word the deadline error for themselves). */
export function validateTemplateForReplicaSet(spec: Obj, p = 'spec.template', kind = 'ReplicaSet'): FieldError[] {
  const errs: FieldError[] = [];
  const tpl = spec.template;
  if (!isObj(tpl)) return [required(p)];
  const labels = obj(obj(tpl.metadata).labels) as Record<string, string>;
  const match = selectorMatcher(spec.selector);
  if (match !== 'everything' && (match === 'nothing' || !match(labels)))
    errs.push(invalid(child(p, 'metadata', 'labels'), raw(goStringMap(obj(tpl.metadata).labels)), '`selector` does not match template `labels`'));
  errs.push(...validatePodTemplateSpec(tpl, p));
  const podSpec = obj(tpl.spec);
  const rp = str(podSpec.restartPolicy);
  if (rp !== 'Always') errs.push(notSupported(child(p, 'spec', 'restartPolicy'), rp, ['Always']));
  if (podSpec.activeDeadlineSeconds != null)
    errs.push(forbidden(child(p, 'spec', 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kind} is not Supported`));
  return errs;
}

const intOrPercent = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
  return undefined;
};

function positiveIntOrPercent(v: unknown, p: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalid(p, intOrStringValue(v), m));
  if (typeof v === 'number') return nonNegative(v, p);
  return [];
}

function validateStrategy(strategyIn: unknown, p = 'spec.strategy'): FieldError[] {
  const s = obj(strategyIn);
  const type = str(s.type);
  if (type === 'Recreate') {
    return s.rollingUpdate != null ? [forbidden(child(p, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (type === 'RollingUpdate') {
    if (!isObj(s.rollingUpdate)) return [required(child(p, 'rollingUpdate'), 'this should be defaulted and never be nil')];
    const ru = s.rollingUpdate;
    const rp = child(p, 'rollingUpdate');
    const errs = [...positiveIntOrPercent(ru.maxUnavailable, child(rp, 'maxUnavailable')), ...positiveIntOrPercent(ru.maxSurge, child(rp, 'maxSurge'))];
    if ((intOrPercent(ru.maxUnavailable) ?? 0) === 0 && (intOrPercent(ru.maxSurge) ?? 0) === 0)
      errs.push(invalid(child(rp, 'maxUnavailable'), intOrStringValue(ru.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'));
    if (typeof ru.maxUnavailable === 'string' && (intOrPercent(ru.maxUnavailable) ?? 0) > 100)
      errs.push(invalid(child(rp, 'maxUnavailable'), intOrStringValue(ru.maxUnavailable), 'must not be greater than 100%'));
    return errs;
  }
  const ruText = s.rollingUpdate == null ? '(*apps.RollingUpdateDeployment)(nil)' : '(*apps.RollingUpdateDeployment)(0xc000a1c0a0)';
  return [notSupported(p, raw(`apps.DeploymentStrategy{Type:${JSON.stringify(type)}, RollingUpdate:${ruText}}`), ['Recreate', 'RollingUpdate'])];
}

function validateDeploymentSpec(o: KObj): FieldError[] {
  const spec = obj(o.spec);
  const errs: FieldError[] = [...nonNegative(spec.replicas, 'spec.replicas'), ...selectorErrors(spec)];
  errs.push(...validateTemplateForReplicaSet(spec));
  errs.push(...validateStrategy(spec.strategy));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const pds = spec.progressDeadlineSeconds;
  if (typeof pds === 'number') {
    errs.push(...nonNegative(pds, 'spec.progressDeadlineSeconds'));
    const mrs = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    if (pds <= mrs) errs.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

function validateReplicaSetSpec(o: KObj): FieldError[] {
  const spec = obj(o.spec);
  const errs: FieldError[] = [...nonNegative(spec.replicas, 'spec.replicas'), ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'), ...selectorErrors(spec)];
  errs.push(...validateTemplateForReplicaSet(spec));
  return errs;
}

/** apps/v1 forbids selector changes (the group-version check lives in the strategy upstream). */
function selectorImmutable(n: KObj, old: KObj): FieldError[] {
  const ns = obj(n.spec).selector;
  const os = obj(old.spec).selector;
  return deepEqual(ns, os) ? [] : [invalid('spec.selector', raw(goLabelSelector(ns)), FIELD_IMMUTABLE)];
}

const validateStatusCommon = (o: KObj): FieldError[] => {
  const st = obj(o.status);
  const errs: FieldError[] = [];
  for (const f of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'fullyLabeledReplicas', 'unavailableReplicas', 'observedGeneration'])
    errs.push(...nonNegative(st[f], `status.${f}`));
  return errs;
};

export const deploymentRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: true,
  generation: 'spec+annotations',
  statusWritableMeta: ['annotations'],
  defaults(o) {
    const spec = isObj(o.spec) ? o.spec : (o.spec = {});
    if (spec.replicas == null) spec.replicas = 1;
    const strategy = isObj(spec.strategy) ? spec.strategy : (spec.strategy = {});
    if (!strategy.type) strategy.type = 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = isObj(strategy.rollingUpdate) ? strategy.rollingUpdate : (strategy.rollingUpdate = {});
      if (ru.maxUnavailable == null) ru.maxUnavailable = '25%';
      if (ru.maxSurge == null) ru.maxSurge = '25%';
    }
    if (spec.revisionHistoryLimit == null) spec.revisionHistoryLimit = 10;
    if (spec.progressDeadlineSeconds == null) spec.progressDeadlineSeconds = 600;
    defaultPodTemplate(spec.template);
  },
  prepareForCreate(o) {
    o.status = {};
  },
  validate: validateDeploymentSpec,
  validateUpdate: (n, old) => [...validateDeploymentSpec(n), ...selectorImmutable(n, old)],
  validateStatusUpdate: (n) => validateStatusCommon(n),
};

export const replicaSetRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: true,
  generation: 'spec',
  defaults(o) {
    const spec = isObj(o.spec) ? o.spec : (o.spec = {});
    if (spec.replicas == null) spec.replicas = 1;
    defaultPodTemplate(spec.template);
  },
  prepareForCreate(o) {
    // ReplicaSetStatus.replicas has no omitempty, so a fresh object shows `replicas: 0`
    o.status = { replicas: 0 };
  },
  validate: validateReplicaSetSpec,
  validateUpdate: (n, old) => [...validateReplicaSetSpec(n), ...selectorImmutable(n, old)],
  validateStatusUpdate: (n) => validateStatusCommon(n),
};

export const DS_TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

/** ValidateDaemonSetUpdateStrategy / ValidateRollingUpdateDaemonSet */
function validateDaemonSetStrategy(strategyIn: unknown, p = 'spec.updateStrategy'): FieldError[] {
  const s = obj(strategyIn);
  const type = str(s.type);
  if (type === 'OnDelete') return [];
  if (type !== 'RollingUpdate') return [notSupported(child(p, 'type'), type, ['OnDelete', 'RollingUpdate'])];
  if (!isObj(s.rollingUpdate)) return [required(child(p, 'rollingUpdate'))];
  const ru = s.rollingUpdate;
  const rp = child(p, 'rollingUpdate');
  const errs = [...positiveIntOrPercent(ru.maxUnavailable, child(rp, 'maxUnavailable')), ...positiveIntOrPercent(ru.maxSurge, child(rp, 'maxSurge'))];
  const u = intOrPercent(ru.maxUnavailable) ?? 0;
  const sg = intOrPercent(ru.maxSurge) ?? 0;
  if (u === 0 && sg === 0) errs.push(invalid(child(rp, 'maxUnavailable'), intOrStringValue(ru.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'));
  else if (u !== 0 && sg !== 0) errs.push(invalid(child(rp, 'maxSurge'), intOrStringValue(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
  if (typeof ru.maxUnavailable === 'string' && u > 100) errs.push(invalid(child(rp, 'maxUnavailable'), intOrStringValue(ru.maxUnavailable), 'must not be greater than 100%'));
  return errs;
}

function validateDaemonSetSpec(o: KObj): FieldError[] {
  const spec = obj(o.spec);
  const errs: FieldError[] = [...selectorErrors(spec, 'daemonset'), ...validateTemplateForReplicaSet(spec, 'spec.template', 'DaemonSet')];
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  errs.push(...validateDaemonSetStrategy(spec.updateStrategy));
  return errs;
}

export const daemonSetRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: true,
  generation: 'spec',
  defaults(o) {
    const spec = isObj(o.spec) ? o.spec : (o.spec = {});
    const strategy = isObj(spec.updateStrategy) ? spec.updateStrategy : (spec.updateStrategy = {});
    if (!strategy.type) strategy.type = 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = isObj(strategy.rollingUpdate) ? strategy.rollingUpdate : (strategy.rollingUpdate = {});
      if (ru.maxUnavailable == null) ru.maxUnavailable = 1;
      if (ru.maxSurge == null) ru.maxSurge = 0;
    }
    if (spec.revisionHistoryLimit == null) spec.revisionHistoryLimit = 10;
    defaultPodTemplate(spec.template);
  },
  prepareForCreate(o) {
    // the four counters have no omitempty upstream
    o.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [DS_TEMPLATE_GENERATION]: '1' };
  },
  prepareForUpdate(n, old) {
    // spec.templateGeneration lives on in apps/v1 as this annotation: +1 whenever the template changes
    const prev = Number(old.metadata.annotations?.[DS_TEMPLATE_GENERATION] ?? 0) || 0;
    const next = deepEqual(obj(n.spec).template, obj(old.spec).template) ? prev : prev + 1;
    n.metadata.annotations = { ...(n.metadata.annotations ?? {}), [DS_TEMPLATE_GENERATION]: String(next) };
  },
  validate: validateDaemonSetSpec,
  validateUpdate: (n, old) => [...validateDaemonSetSpec(n), ...selectorImmutable(n, old)],
  validateStatusUpdate(n) {
    const st = obj(n.status);
    const errs: FieldError[] = [];
    for (const f of ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'])
      errs.push(...nonNegative(st[f], `status.${f}`));
    return errs;
  },
};
