/**
 * Server-side apply (PATCH with application/apply-patch+yaml), following structured-merge-diff's
 * Updater.Apply and the apiserver's field manager wrappers.
 *
 *   serverSideApply(live, applied, opts): KObj    — the merged object with managedFields updated
 *   mergeApplied(live, applied, schema): unknown  — just the structural merge (applied wins)
 *
 * Steps: merge the applied configuration into live (keyed lists merged by key, atomic values replaced);
 * the applier's Apply entry becomes exactly the applied field set; fields it owned last time and no
 * longer applies are pruned unless another manager owns them; then fields whose value changes and that
 * another manager owns are conflicts → 409 `Apply failed with N conflict(s): ...`, unless `force`
 * (ownership then moves to the applier). For manager `kubectl` the client-side-apply migration rules
 * are kept: conflicts on fields whose live value still equals last-applied-configuration are allowed,
 * and that annotation is rewritten to the new applied configuration.
 * Status is never applied through the main resource. `live` undefined means create.
 */
import { StatusError, badRequest, type StatusCause } from '../errors.js';
import type { KObj } from '../../store/types.js';
import type { SchemaNode } from '../schema-types.js';
import {
  childAt,
  difference,
  emptySet,
  hasMember,
  intersection,
  isEmpty,
  pathString,
  pathsOf,
  union,
  type FieldSet,
} from './fieldset.js';
import {
  childSchema,
  compareObjects,
  decodeManagedFields,
  fieldSetTree,
  formatTime,
  indexItems,
  itemPE,
  managerId,
  resetFilter,
  setManagedFields,
  shapeOf,
  stripMeta,
  withoutManagedFields,
  type Managed,
} from './managedfields.js';
import { deepClone, isObject, sortedJson, type JsonObject } from './util.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ApplyOptions {
  manager: string;
  force: boolean;
  /** the group-version of the request, e.g. 'apps/v1' */
  apiVersion: string;
  time: string | Date;
  schema?: SchemaNode;
  subresource?: string;
}

// ---- merge (keep RHS) ----

function mergeList(l: unknown[], r: unknown[], shape: ReturnType<typeof shapeOf> & { t: 'list' }): unknown[] {
  const L = indexItems(shape, l);
  const R = indexItems(shape, r);
  const shared = R.order.filter((pe) => L.items.has(pe));
  let nextShared = shared.shift();
  const out: unknown[] = [];
  const take = (pe: string) => out.push(mergeApplied(L.items.get(pe), R.items.get(pe), shape.elem));
  let li = 0;
  let ri = 0;
  while (li < L.order.length || ri < R.order.length) {
    if (li < L.order.length && ri < R.order.length) {
      const pe = L.order[li] as string;
      if (pe === R.order[ri]) {
        take(pe);
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      // a shared item that the applied order wants later: it is emitted when the applied list reaches it
      if (R.items.has(pe) && nextShared !== undefined && nextShared !== pe) {
        li++;
        continue;
      }
    }
    if (li < L.order.length) {
      const pe = L.order[li] as string;
      if (!R.items.has(pe)) {
        take(pe);
        li++;
        continue;
      }
    }
    if (ri < R.order.length) {
      const pe = R.order[ri] as string;
      take(pe);
      ri++;
      if (nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

/** Structural merge of an applied configuration into a live value; applied values win, nulls drop keys. */
export function mergeApplied(l: unknown, r: unknown, schema: SchemaNode | undefined): unknown {
  if (r === undefined) return deepClone(l);
  if (l === undefined || l === null) return deepClone(r);
  const shape = shapeOf(schema, r);
  if (shape.t === 'list' && Array.isArray(l) && Array.isArray(r)) return mergeList(l, r, shape);
  if ((shape.t === 'struct' || shape.t === 'map') && isObject(l) && isObject(r)) {
    const out: JsonObject = {};
    for (const k of new Set([...Object.keys(l), ...Object.keys(r)])) {
      const v = mergeApplied(l[k], r[k], childSchema(shape, k));
      if (v !== null && v !== undefined) out[k] = v;
    }
    return out;
  }
  return deepClone(r);
}

// ---- pruning ----

function locate(parent: unknown, pe: string, schema: SchemaNode | undefined): { get: () => unknown; remove: () => void; schema?: SchemaNode } | undefined {
  if (pe.startsWith('f:') && isObject(parent)) {
    const k = pe.slice(2);
    if (!(k in parent)) return undefined;
    return { get: () => parent[k], remove: () => delete parent[k], schema: childSchema(shapeOf(schema, parent), k) };
  }
  if (Array.isArray(parent)) {
    const shape = shapeOf(schema, parent);
    if (shape.t !== 'list') return undefined;
    const i = parent.findIndex((item) => itemPE(shape, item) === pe);
    if (i < 0) return undefined;
    return { get: () => parent[i], remove: () => parent.splice(i, 1), schema: shape.elem };
  }
  return undefined;
}

function removePath(obj: unknown, path: string[], schema: SchemaNode | undefined): void {
  let cur: unknown = obj;
  let s = schema;
  for (let i = 0; i < path.length; i++) {
    const loc = locate(cur, path[i] as string, s);
    if (!loc) return;
    if (i === path.length - 1) return loc.remove();
    cur = loc.get();
    s = loc.schema;
  }
}

function valueAt(obj: unknown, path: string[], schema: SchemaNode | undefined): unknown {
  let cur: unknown = obj;
  let s = schema;
  for (const pe of path) {
    const loc = locate(cur, pe, s);
    if (!loc) return undefined;
    cur = loc.get();
    s = loc.schema;
  }
  return cur;
}

const owned = (keep: FieldSet, path: string[]) => hasMember(keep, path) || !!childAt(keep, path);

/** Removes what the applier owned last time, no longer applies, and nobody else owns. */
function prune(merged: unknown, last: FieldSet, keep: FieldSet, schema: SchemaNode | undefined): void {
  for (const p of pathsOf(last)) if (!owned(keep, p)) removePath(merged, p, schema);
  // Containers the applier only owned through their children go too once emptied (EnsureNamedFieldsAreMembers).
  const parents: string[][] = [];
  const walk = (s: FieldSet, prefix: string[]) => {
    for (const [k, c] of s.children) {
      walk(c, [...prefix, k]);
      parents.push([...prefix, k]);
    }
  };
  walk(last, []);
  for (const p of parents) {
    if (p.length === 1 && ['f:metadata', 'f:apiVersion', 'f:kind'].includes(p[0] as string)) continue;
    const v = valueAt(merged, p, schema);
    const empty = (isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
    if (empty && !owned(keep, p)) removePath(merged, p, schema);
  }
}

// ---- conflicts ----

/** printManager: Update managers show their apiVersion; time is never part of the identifier. */
function printManager(m: Managed): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${s} using ${m.apiVersion}` : s;
}

export function conflictError(conflicts: Array<{ id: string; m: Managed; set: FieldSet }>): StatusError {
  const groups = [...conflicts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((c) => ({ who: printManager(c.m), paths: pathsOf(c.set).map(pathString) }));
  const causes: StatusCause[] = groups.flatMap((g) => g.paths.map((field) => ({ reason: 'FieldManagerConflict', message: `conflict with ${g.who}`, field })));
  let message: string;
  if (causes.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${groups[0]?.who}: ${causes[0]?.field}`;
  } else {
    const lines = groups.flatMap((g) => [`conflicts with ${g.who}:`, ...g.paths.map((p) => `- ${p}`)]);
    message = `Apply failed with ${causes.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(409, 'Conflict', message, { causes });
}

/** Fields of last-applied-configuration whose live value still matches it (kubectl's CSA → SSA migration). */
function allowedFromLastApplied(live: KObj, schema: SchemaNode | undefined): FieldSet | undefined {
  const raw = live.metadata.annotations?.[LAST_APPLIED];
  if (!raw) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const c = compareObjects(last, live, schema);
  return difference(difference(difference(fieldSetTree(last, schema), c.modified), c.added), c.removed);
}

// ---- apply ----

export function serverSideApply(live: KObj | undefined, applied: KObj, opts: ApplyOptions): KObj {
  if (applied.metadata?.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }
  if (applied.apiVersion !== undefined && applied.apiVersion !== opts.apiVersion) {
    throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion}, expected: ${opts.apiVersion}`);
  }
  const schema = opts.schema;
  const liveObj = (live ? withoutManagedFields(deepClone(live)) : { metadata: {} }) as KObj;
  const config = deepClone(applied) as JsonObject;
  if (opts.subresource !== 'status') delete config.status;

  const managed = decodeManagedFields(live?.metadata.managedFields);
  const me: Managed = { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, subresource: opts.subresource, set: emptySet() };
  const myId = managerId(me);
  const previous = managed.get(myId);

  const merged = mergeApplied(liveObj, config, schema) as KObj;
  const fullSet = fieldSetTree(config, schema);
  me.set = resetFilter(stripMeta(fullSet), opts.subresource);
  managed.set(myId, me);

  if (previous && !isEmpty(previous.set)) {
    let keep = fullSet;
    for (const m of managed.values()) keep = union(keep, m.set);
    prune(merged, previous.set, keep, schema);
  }

  const c = compareObjects(liveObj, merged, schema);
  const filter = (s: FieldSet) => resetFilter(stripMeta(s), opts.subresource);
  const changed = filter(union(c.modified, c.added));
  const removed = filter(c.removed);

  let conflicts: Array<{ id: string; m: Managed; set: FieldSet }> = [];
  for (const [id, m] of managed) {
    if (id === myId) continue;
    const set = intersection(m.set, changed);
    if (!isEmpty(set)) conflicts.push({ id, m, set });
  }
  if (conflicts.length && !opts.force) {
    const allowed = opts.manager === 'kubectl' && live ? allowedFromLastApplied(liveObj, schema) : undefined;
    if (allowed) conflicts = conflicts.map((x) => ({ ...x, set: difference(x.set, allowed) })).filter((x) => !isEmpty(x.set));
    // with every conflict allowed, the apply proceeds as if forced
    if (conflicts.length) throw conflictError(conflicts);
  }
  for (const [id, m] of managed) {
    if (id === myId) continue;
    const rest = difference(difference(m.set, changed), removed);
    if (isEmpty(rest)) managed.delete(id);
    else managed.set(id, { ...m, set: rest });
  }
  if (isEmpty(me.set)) managed.delete(myId);

  const didChange = !isEmpty(c.modified) || !isEmpty(c.added) || !isEmpty(c.removed);
  me.time = didChange || !previous?.time ? formatTime(opts.time) : previous.time;

  if (opts.manager === 'kubectl' && merged.metadata?.annotations?.[LAST_APPLIED] !== undefined) {
    const lastApplied = deepClone(applied) as KObj;
    if (lastApplied.metadata?.annotations) delete lastApplied.metadata.annotations[LAST_APPLIED];
    merged.metadata.annotations = { ...merged.metadata.annotations, [LAST_APPLIED]: `${sortedJson(lastApplied)}\n` };
  }
  return setManagedFields(merged, managed);
}
