// Per-kind defaulting, create/update preparation and validation for the API server, following
// upstream v1.32's defaulters, registry strategies and validation packages. Callers run, in order:
// applyDefaults → prepareForCreate/prepareForUpdate → validateCreate/validateUpdate, and turn a
// non-empty error list into `invalid(kind, group, name, errs)` (errors.ts).

import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import { clone, deepEqual, isObj } from './format.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { NAME_FNS } from './names.js';
import { rulesFor } from './registry.js';
import type { PrepareOptions } from './types.js';

export type { PrepareOptions, KindRules } from './types.js';
export { KIND_RULES, rulesFor, ruleKey } from './registry.js';
export { podQOSClass, parseQuantity, imageTag } from './pod-defaults.js';
export { POD_UPDATE_FORBIDDEN_PREFIX } from './pod.js';
export { NODE_PORT_RANGE } from './service.js';
export { validateLabelSelector, selectorMatcher, validateLabels, validateAnnotations } from './meta.js';
export {
  isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue, isConfigMapKey, isValidPortNum, isValidPortName,
} from './names.js';
export { goQuote, goStringMap, goStringSlice, goLabelSelector } from './format.js';

/** Mutates obj with the v1 defaulters (what decoding a request body does upstream). */
export function applyDefaults(group: string, kind: string, obj: KObj): void {
  rulesFor(group, kind)?.defaults?.(obj);
}

/** Defaulting for a status write: only kinds whose defaults reach status have any. */
export function applyStatusDefaults(group: string, kind: string, obj: KObj): void {
  const rules = rulesFor(group, kind);
  if (rules?.defaultsStatus) rules.defaults?.(obj);
}

/** BeforeCreate + the strategy's PrepareForCreate (+ the Pod admission plugins a cluster always runs). */
export function prepareForCreate(group: string, kind: string, obj: KObj, opts: PrepareOptions = {}): void {
  const rules = rulesFor(group, kind);
  if (!rules) return;
  if (!isObj(obj.metadata)) obj.metadata = {};
  if (!rules.namespaced) delete obj.metadata.namespace;
  delete obj.metadata.deletionTimestamp;
  delete obj.metadata.deletionGracePeriodSeconds;
  rules.prepareForCreate?.(obj, opts);
  if (rules.generation) obj.metadata.generation = 1;
}

/** The strategy's PrepareForUpdate for a main-resource write: status is not the writer's to change. */
export function prepareForUpdate(group: string, kind: string, newObj: KObj, oldObj: KObj): void {
  const rules = rulesFor(group, kind);
  if (!rules) return;
  if (!rules.namespaced) delete newObj.metadata.namespace;
  // rest.BeforeUpdate: server-owned metadata cannot be changed (or dropped) by a write
  const m = newObj.metadata;
  const om = oldObj.metadata;
  if (!m.uid && om.uid) m.uid = om.uid;
  if (om.creationTimestamp) m.creationTimestamp = om.creationTimestamp;
  if (om.deletionTimestamp) m.deletionTimestamp = om.deletionTimestamp;
  if (om.deletionGracePeriodSeconds != null && m.deletionGracePeriodSeconds == null) m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
  if (rules.hasStatus) {
    if (oldObj.status === undefined) delete newObj.status;
    else newObj.status = clone(oldObj.status);
  }
  rules.prepareForUpdate?.(newObj, oldObj);
  if (rules.generation) newObj.metadata.generation = nextGeneration(rules.generation, newObj, oldObj);
}

function nextGeneration(mode: 'spec' | 'spec+annotations', n: KObj, o: KObj): number {
  const old = typeof o.metadata.generation === 'number' ? o.metadata.generation : 1;
  const changed = !deepEqual(n.spec, o.spec) || (mode === 'spec+annotations' && !deepEqual(n.metadata.annotations, o.metadata.annotations));
  return changed ? old + 1 : old;
}

/** Status-subresource writes: only .status (and server-owned meta) comes from the request. */
export function prepareForStatusUpdate(group: string, kind: string, newObj: KObj, oldObj: KObj): void {
  for (const k of Object.keys(newObj)) if (k !== 'status' && k !== 'metadata') delete newObj[k];
  // stored objects are never mutated, so the new object may share the old one's spec instead of a copy
  for (const [k, v] of Object.entries(oldObj)) if (k !== 'status' && k !== 'metadata') newObj[k] = v;
  // metav1 ResetObjectMetaForStatus
  const m = newObj.metadata as Record<string, unknown>;
  const om = oldObj.metadata as Record<string, unknown>;
  const writable: readonly string[] = rulesFor(group, kind)?.statusWritableMeta ?? [];
  for (const f of ['labels', 'annotations', 'finalizers', 'ownerReferences', 'deletionTimestamp', 'generation', 'namespace', 'name'] as const) {
    if (writable.includes(f)) continue;
    if (om[f] === undefined) delete m[f];
    else m[f] = om[f];
  }
}

/** ToAggregate drops repeated messages. */
function dedupe(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.field}: ${e.detail}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function validateCreate(group: string, kind: string, obj: KObj): FieldError[] {
  const rules = rulesFor(group, kind);
  if (!rules) return [];
  const errs = validateObjectMeta(obj.metadata, { namespaced: rules.namespaced, nameRule: rules.nameRule });
  errs.push(...(rules.validate?.(obj) ?? []));
  return dedupe(errs);
}

export function validateUpdate(group: string, kind: string, newObj: KObj, oldObj: KObj): FieldError[] {
  const rules = rulesFor(group, kind);
  if (!rules) return [];
  const errs = validateObjectMetaUpdate(newObj.metadata, oldObj.metadata, { namespaced: rules.namespaced, nameRule: rules.nameRule });
  errs.push(...(rules.validateUpdate ? rules.validateUpdate(newObj, oldObj) : (rules.validate?.(newObj) ?? [])));
  return dedupe(errs);
}

export function validateStatusUpdate(group: string, kind: string, newObj: KObj, oldObj: KObj): FieldError[] {
  const rules = rulesFor(group, kind);
  if (!rules) return [];
  const errs = validateObjectMetaUpdate(newObj.metadata, oldObj.metadata, { namespaced: rules.namespaced, nameRule: rules.nameRule });
  errs.push(...(rules.validateStatusUpdate?.(newObj, oldObj) ?? []));
  return dedupe(errs);
}

/** The messages upstream gives for a name of this kind (empty when valid); prefix=true for generateName. */
export function nameValidationErrors(group: string, kind: string, name: string, prefix = false): string[] {
  const rules = rulesFor(group, kind);
  return NAME_FNS[rules?.nameRule ?? 'subdomain'](name, prefix);
}

/** Whether the kind's strategy maintains metadata.generation (Pods do not in v1.32). */
export function tracksGeneration(group: string, kind: string): boolean {
  return !!rulesFor(group, kind)?.generation;
}
