// Namespace, Node, Event and Lease: cluster plumbing kinds with small rule sets.

import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import { arr, child, duplicate, forbidden, index, invalid, isObj, nonNegative, notSupported, obj, required, str } from './format.js';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './names.js';
import type { KindRules } from './types.js';

const NS_LABEL = 'kubernetes.io/metadata.name';

function validateFinalizerList(list: unknown, p: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(list).forEach((f, i) => {
    const s = str(f);
    for (const m of isQualifiedName(s)) errs.push(invalid(p, s, m));
    if (!s.includes('/') && !['kubernetes', 'orphan', 'foregroundDeletion'].includes(s)) errs.push(invalid(index(p, i), s, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  return errs;
}

export const namespaceRules: KindRules = {
  namespaced: false,
  nameRule: 'label',
  hasStatus: true,
  defaultsStatus: true,
  defaults(o) {
    const name = str(o.metadata?.name);
    if (name) o.metadata.labels = { ...(o.metadata.labels ?? {}), [NS_LABEL]: name };
    if (isObj(o.status) && !o.status.phase) o.status.phase = 'Active';
  },
  prepareForCreate(o) {
    o.status = { phase: 'Active' };
    const spec = isObj(o.spec) ? o.spec : (o.spec = {});
    const fins = arr(spec.finalizers).map(str);
    if (!fins.includes('kubernetes')) spec.finalizers = [...fins, 'kubernetes'];
  },
  prepareForUpdate(n, old) {
    // spec.finalizers change only through the finalize subresource
    const spec = isObj(n.spec) ? n.spec : (n.spec = {});
    const oldFins = obj(old.spec).finalizers;
    if (oldFins === undefined) delete spec.finalizers;
    else spec.finalizers = oldFins;
  },
  validate: (o) => validateFinalizerList(obj(o.spec).finalizers, 'spec.finalizers'),
  validateStatusUpdate(n, old) {
    const errs: FieldError[] = [];
    const phase = str(obj(n.status).phase);
    const deleting = n.metadata.deletionTimestamp != null || old.metadata.deletionTimestamp != null;
    if (!deleting && phase !== 'Active') errs.push(invalid('status.Phase', phase, 'may only be \'Active\' if `deletionTimestamp` is empty'));
    if (deleting && phase !== 'Terminating') errs.push(invalid('status.Phase', phase, 'may only be in terminating phase if `deletionTimestamp` is set'));
    return errs;
  },
};

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateTaints(taints: unknown, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  arr(taints).map(obj).forEach((t, i) => {
    const ip = index(p, i);
    const k = str(t.key);
    errs.push(...isQualifiedName(k).map((m) => invalid(child(ip, 'key'), k, m)));
    const v = str(t.value);
    if (v) errs.push(...isValidLabelValue(v).map((m) => invalid(child(ip, 'value'), v, m)));
    const e = str(t.effect);
    if (!e) errs.push(required(child(ip, 'effect')));
    else if (!TAINT_EFFECTS.includes(e)) errs.push(notSupported(child(ip, 'effect'), e, TAINT_EFFECTS));
    const id = `${k}:${e}`;
    if (seen.has(id)) errs.push(duplicate(ip, { go: `core.Taint{Key:${JSON.stringify(k)}, Value:${JSON.stringify(v)}, Effect:${JSON.stringify(e)}, TimeAdded:<nil>}` }));
    seen.add(id);
  });
  return errs;
}

export const nodeRules: KindRules = {
  namespaced: false,
  nameRule: 'subdomain',
  hasStatus: true,
  defaultsStatus: true,
  defaults(o) {
    const st = obj(o.status);
    if (isObj(o.status) && st.allocatable == null && isObj(st.capacity)) st.allocatable = { ...st.capacity };
  },
  // node create keeps status: the kubelet registers with it
  validate: (o) => validateTaints(obj(o.spec).taints, 'spec.taints'),
  validateUpdate(n, old) {
    const errs = validateTaints(obj(n.spec).taints, 'spec.taints');
    const ns = obj(n.spec);
    const os = obj(old.spec);
    if (str(os.podCIDR) && str(ns.podCIDR) !== str(os.podCIDR))
      errs.push(forbidden('spec.podCIDR', 'node updates may not change podCIDR except from "" to valid'));
    if (str(os.providerID) && str(ns.providerID) !== str(os.providerID))
      errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    return errs;
  },
};

/** core/v1 Events only get legacyValidateEvent (not even a name check). */
function validateEvent(o: KObj): FieldError[] {
  const errs: FieldError[] = [];
  const ns = str(o.metadata.namespace);
  const involvedNs = str(obj(o.involvedObject).namespace);
  const eventTime = o.eventTime;
  if (eventTime == null) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    } else if (ns !== involvedNs) errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    const rc = str(o.reportingComponent);
    if (!rc) errs.push(required('reportingComponent'));
    errs.push(...isQualifiedName(rc).map((m) => invalid('reportingComponent', rc, m)));
    const ri = str(o.reportingInstance);
    if (!ri) errs.push(required('reportingInstance'));
    if (ri.length > 128) errs.push(invalid('reportingInstance', '', 'can have at most 128 characters'));
    const action = str(o.action);
    if (!action) errs.push(required('action'));
    if (action.length > 128) errs.push(invalid('action', '', 'can have at most 128 characters'));
    const reason = str(o.reason);
    if (!reason) errs.push(required('reason'));
    if (reason.length > 128) errs.push(invalid('reason', '', 'can have at most 128 characters'));
    if (str(o.message).length > 1024) errs.push(invalid('message', '', 'can have at most 1024 characters'));
  }
  errs.push(...isDNS1123Subdomain(ns).map((m) => invalid('namespace', ns, m)));
  return errs;
}

export const eventRules: KindRules = {
  namespaced: true,
  nameRule: 'none',
  hasStatus: false,
  validate: validateEvent,
};

export const leaseRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: false,
  validate(o) {
    const spec = obj(o.spec);
    const errs: FieldError[] = [];
    const d = spec.leaseDurationSeconds;
    if (typeof d === 'number' && d <= 0) errs.push(invalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
    errs.push(...nonNegative(spec.leaseTransitions, 'spec.leaseTransitions'));
    const s = spec.strategy;
    if (s != null && s !== 'OldestEmulationVersion') errs.push(notSupported('spec.strategy', str(s), ['OldestEmulationVersion']));
    return errs;
  },
};
