// ObjectMeta, labels, annotations and label selectors, as apimachinery's api/validation and
// meta/v1/validation check them. Every kind runs these before its own spec rules.

import type { FieldError } from '../errors.js';
import { FIELD_IMMUTABLE, arr, child, deepEqual, forbidden, goStringMap, index, invalid, isObj, nonNegative, obj, required, str, type Obj } from './format.js';
import { NAME_FNS, isQualifiedName, isValidLabelValue, nameIsDNSLabel, type NameFn, type NameRule } from './names.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
// (+ the apiextensions cleanup finalizer: CRDs are validated by apiextensions' generic rules upstream,
// which allow it; the CRD controller puts it on every CRD)
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion', 'customresourcecleanup.apiextensions.k8s.io']);

export function validateLabels(labels: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(labels)) return errs;
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(invalid(path, k, m));
    for (const m of isValidLabelValue(str(v))) errs.push(invalid(path, str(v), m));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(annotations)) return errs;
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, m));
    total += Buffer.byteLength(k) + Buffer.byteLength(str(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push({ type: 'FieldValueTooLong', field: path, detail: `Too long: may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` });
  return errs;
}

function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = arr(finalizers).map(str);
  list.forEach((f, i) => {
    for (const m of isQualifiedName(f)) errs.push(invalid(path, f, m));
    // core's extra rule for built-in kinds: bare names must be one of the well-known finalizers
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f) && isQualifiedName(f).length === 0)
      errs.push(invalid(index(path, i), f, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  if (list.includes('orphan') && list.includes('foregroundDeletion'))
    errs.push(invalid(path, { go: `[]string{${list.map((s) => JSON.stringify(s)).join(', ')}}` }, 'finalizer orphan and foregroundDeletion cannot be both set'));
  return errs;
}

export interface MetaOptions {
  namespaced: boolean;
  nameRule: NameRule;
}

/** ValidateObjectMeta (create). Name generation is expected to have happened already. */
export function validateObjectMeta(metaIn: unknown, opts: MetaOptions, path = 'metadata'): FieldError[] {
  const meta = obj(metaIn);
  const errs: FieldError[] = [];
  const nameFn: NameFn = NAME_FNS[opts.nameRule];
  const generateName = str(meta.generateName);
  if (generateName) for (const m of nameFn(generateName, true)) errs.push(invalid(child(path, 'generateName'), generateName, m));
  const name = str(meta.name);
  if (!name) errs.push(required(child(path, 'name'), 'name or generateName is required'));
  else for (const m of nameFn(name, false)) errs.push(invalid(child(path, 'name'), name, m));
  const ns = str(meta.namespace);
  if (opts.namespaced) {
    if (!ns) errs.push(required(child(path, 'namespace')));
    else for (const m of nameIsDNSLabel(ns, false)) errs.push(invalid(child(path, 'namespace'), ns, m));
  } else if (ns) {
    errs.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  errs.push(...nonNegative(meta.generation, child(path, 'generation')));
  errs.push(...validateLabels(meta.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, child(path, 'finalizers')));
  return errs;
}

function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let controllers = 0;
  for (const r of arr(refs)) {
    const ref = obj(r);
    if (!str(ref.apiVersion)) errs.push(invalid(child(path, 'apiVersion'), str(ref.apiVersion), 'version must not be empty'));
    if (!str(ref.kind)) errs.push(invalid(child(path, 'kind'), str(ref.kind), 'kind must not be empty'));
    if (!str(ref.name)) errs.push(invalid(child(path, 'name'), str(ref.name), 'name must not be empty'));
    if (!str(ref.uid)) errs.push(invalid(child(path, 'uid'), str(ref.uid), 'uid must not be empty'));
    if (ref.controller === true) controllers++;
  }
  if (controllers > 1) errs.push(invalid(path, { go: '[]v1.OwnerReference{...}' }, 'Only one reference can have Controller set to true'));
  return errs;
}

/** ValidateObjectMetaUpdate plus the new object's own metadata checks. */
export function validateObjectMetaUpdate(newIn: unknown, oldIn: unknown, _opts: MetaOptions, path = 'metadata'): FieldError[] {
  const n = obj(newIn);
  const o = obj(oldIn);
  const errs: FieldError[] = [];
  const imm = (f: string, render: (v: unknown) => string) => {
    if (!deepEqual(n[f], o[f])) errs.push(invalid(child(path, f), { go: render(n[f]) }, FIELD_IMMUTABLE));
  };
  const q = (v: unknown) => JSON.stringify(str(v));
  imm('name', q);
  imm('namespace', q);
  if (o.uid !== undefined) imm('uid', q);
  if (o.creationTimestamp != null && n.creationTimestamp != null) imm('creationTimestamp', (v) => `v1.Time{Time:${q(v)}}`);
  const deleting = o.deletionTimestamp != null;
  if (deleting) {
    const oldF = new Set(arr(o.finalizers).map(str));
    const added = arr(n.finalizers).map(str).filter((f) => !oldF.has(f));
    if (added.length)
      errs.push(forbidden(child(path, 'finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((s) => JSON.stringify(s)).join(', ')}}`));
  }
  errs.push(...nonNegative(n.generation, child(path, 'generation')));
  errs.push(...validateLabels(n.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(n.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(n.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(n.finalizers, child(path, 'finalizers')));
  return errs;
}

/** ValidateLabelSelector (strict: label values must be valid). */
export function validateLabelSelector(selIn: unknown, path: string): FieldError[] {
  if (!isObj(selIn)) return [];
  const sel: Obj = selIn;
  const errs: FieldError[] = [...validateLabels(sel.matchLabels, child(path, 'matchLabels'))];
  arr(sel.matchExpressions).forEach((e, i) => {
    const req = obj(e);
    const p = index(child(path, 'matchExpressions'), i);
    const op = str(req.operator);
    const values = arr(req.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(child(p, 'operator'), op, 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(str(req.key))) errs.push(invalid(child(p, 'key'), str(req.key), m));
    values.forEach((v, vi) => {
      for (const m of isValidLabelValue(str(v))) errs.push(invalid(index(child(p, 'values'), vi), str(v), m));
    });
  });
  return errs;
}

/**
 * metav1.LabelSelectorAsSelector + Matches. Returns 'nothing' for a missing selector (matches no
 * labels), 'everything' for an empty one, else a predicate.
 */
export function selectorMatcher(selIn: unknown): 'nothing' | 'everything' | ((labels: Record<string, string>) => boolean) {
  if (!isObj(selIn)) return 'nothing';
  const ml = obj(selIn.matchLabels);
  const me = arr(selIn.matchExpressions).map(obj);
  const want = Object.entries(ml);
  if (want.length + me.length === 0) return 'everything';
  // built once per selector: a controller's sync matches it against every pod it looks at
  const exprs = me.map((e) => ({ op: str(e.operator), k: str(e.key), vals: arr(e.values).map(str) }));
  return (labels) => {
    for (let i = 0; i < want.length; i++) if (labels[want[i]![0]] !== want[i]![1]) return false;
    for (const { op, k, vals } of exprs) {
      const has = Object.prototype.hasOwnProperty.call(labels, k);
      switch (op) {
        case 'In':
          if (!has || !vals.includes(labels[k]!)) return false;
          break;
        case 'NotIn':
          if (has && vals.includes(labels[k]!)) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
        default:
          return false;
      }
    }
    return true;
  };
}

export { goStringMap };
