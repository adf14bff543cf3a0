// The Pod kind: defaults, the pod strategy's create/update preparation, and ValidatePodUpdate's
// "only images, activeDeadlineSeconds, tolerations additions…" rule with its diff text.

import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import { arr, child, clone, deepEqual, forbidden, index, invalid, isObj, obj, required, str, type Obj } from './format.js';
import { admitPodCreate, defaultPodOnly, defaultPodSpec, podQOSClass } from './pod-defaults.js';
import { validatePodSpec, validateTolerations } from './pod-spec.js';
import { inclusiveRangeError } from './names.js';
import type { KindRules } from './types.js';

const UPDATABLE = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];
export const POD_UPDATE_FORBIDDEN_PREFIX = `pod updates may not change fields other than ${UPDATABLE.join(',')}`;
const MAX_INT32 = 2147483647;
const TOKEN_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += TOKEN_ALPHABET[Math.floor(Math.random() * TOKEN_ALPHABET.length)];
  return s;
}

function containerUpdates(newList: unknown, oldList: unknown, p: string): { errs: FieldError[]; stop: boolean } {
  const n = arr(newList).map(obj);
  const o = arr(oldList);
  if (n.length !== o.length) return { errs: [forbidden(p, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    const image = str(c.image);
    if (!image) errs.push(required(child(index(p, i), 'image')));
    if (image.trim().length !== image.length) errs.push(invalid(child(index(p, i), 'image'), image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function onlyAddedTolerations(newT: unknown, oldT: unknown, p: string): FieldError[] {
  const n = arr(newT).map(obj);
  for (const old of arr(oldT).map(obj)) {
    const found = n.some((t) => deepEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [forbidden(p, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(newT, p);
}

const goField = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);
const goVal = (v: unknown): string => (v === undefined || v === null ? 'nil' : typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** A compact stand-in for go-cmp's diff of the internal PodSpec (upstream appends one after the message). */
export function podSpecDiff(oldSpec: Obj, newSpec: Obj): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort();
  const lines = ['  core.PodSpec{'];
  let same = 0;
  const flush = () => {
    if (same) lines.push(`  \t... // ${same} identical field${same === 1 ? '' : 's'}`);
    same = 0;
  };
  for (const k of keys) {
    if (deepEqual(oldSpec[k], newSpec[k])) {
      same++;
      continue;
    }
    flush();
    if (oldSpec[k] !== undefined) lines.push(`- \t${goField(k)}: ${goVal(oldSpec[k])},`);
    if (newSpec[k] !== undefined) lines.push(`+ \t${goField(k)}: ${goVal(newSpec[k])},`);
  }
  flush();
  lines.push('  }');
  return lines.join('\n') + '\n';
}

function validatePodUpdate(newPod: KObj, oldPod: KObj): FieldError[] {
  const ns = obj(newPod.spec);
  const os = obj(oldPod.spec);
  const errs = validatePodSpec(ns, 'spec');
  for (const [f, p] of [['containers', 'spec.containers'], ['initContainers', 'spec.initContainers']] as const) {
    const r = containerUpdates(ns[f], os[f], p);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const nads = ns.activeDeadlineSeconds;
  const oads = os.activeDeadlineSeconds;
  if (typeof nads === 'number') {
    if (nads < 0 || nads > MAX_INT32) return [...errs, invalid('spec.activeDeadlineSeconds', nads, inclusiveRangeError(0, MAX_INT32))];
    if (typeof oads === 'number' && oads < nads) return [...errs, invalid('spec.activeDeadlineSeconds', nads, 'must be less than or equal to previous value')];
  } else if (oads != null) {
    errs.push(invalid('spec.activeDeadlineSeconds', { go: 'null' }, 'must not update from a positive integer to nil value'));
  }
  errs.push(...onlyAddedTolerations(ns.tolerations, os.tolerations, 'spec.tolerations'));
  const oldGates = new Set(arr(os.schedulingGates).map((g) => str(obj(g).name)));
  for (const g of arr(ns.schedulingGates).map((x) => str(obj(x).name)))
    if (!oldGates.has(g)) {
      errs.push(forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${g}'`));
      break;
    }
  if (deepEqual(ns, os)) return errs;

  const munged = clone(ns);
  for (const f of ['containers', 'initContainers'] as const) {
    arr(munged[f]).forEach((c, i) => {
      if (isObj(c)) c.image = obj(arr(os[f])[i]).image;
    });
  }
  munged.activeDeadlineSeconds = os.activeDeadlineSeconds;
  // tolerations and scheduling gates were checked above, so they never count as a forbidden change
  munged.tolerations = os.tolerations;
  munged.schedulingGates = os.schedulingGates;
  if (typeof os.terminationGracePeriodSeconds === 'number' && os.terminationGracePeriodSeconds < 0 && ns.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = os.terminationGracePeriodSeconds;
  for (const k of Object.keys(munged)) if (munged[k] === undefined) delete munged[k];
  if (!deepEqual(munged, os)) errs.push(forbidden('spec', `${POD_UPDATE_FORBIDDEN_PREFIX}\n${podSpecDiff(os, munged)}`));
  return errs;
}

export const podRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: true,
  defaults(o) {
    if (!isObj(o.spec)) return;
    defaultPodSpec(o.spec);
    defaultPodOnly(o.spec);
  },
  prepareForCreate(o, opts) {
    const spec = isObj(o.spec) ? o.spec : (o.spec = {});
    admitPodCreate(spec, { tokenVolumeSuffix: opts.tokenVolumeSuffix ?? randomSuffix() });
    const status: Obj = { phase: 'Pending', qosClass: podQOSClass(spec) };
    if (arr(spec.schedulingGates).length > 0)
      status.conditions = [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }];
    o.status = status;
  },
  validate: (o) => validatePodSpec(o.spec, 'spec'),
  validateUpdate: validatePodUpdate,
};
