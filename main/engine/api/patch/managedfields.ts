/**
 * managedFields tracking for non-apply writes (create, update, patch), following structured-merge-diff.
 *
 *   fieldSetOf(obj, schema): JsonObject                 — the fieldsV1 an object sets (what an applier owns)
 *   updateManagedFields(oldObj, newObj, opts): KObj     — newObj with metadata.managedFields updated
 *   decodeManagedFields / encodeManagedFields / compareObjects / shapeOf — shared with apply.ts
 *
 * Lists are keyed like upstream: `x-kubernetes-list-type: map` + list-map keys (patchMergeKey as a
 * fallback for merge lists of objects) give `k:{...}`; sets and merge lists of scalars give `v:...`;
 * every other list, atomic maps and untyped values are leaves.
 * Approximation: upstream marks a newly added container node with "." when its Go field is a pointer
 * or omitempty; we do it for list items, map-typed values (labels...) and non-required lists.
 */
import type { KObj, ManagedFieldsEntry } from '../../store/types.js';
import type { SchemaNode } from '../schema-types.js';
import {
  addPath,
  difference,
  emptySet,
  fromFieldsV1,
  isEmpty,
  toFieldsV1,
  union,
  type FieldSet,
} from './fieldset.js';
import { deepClone, deepEqual, isObject, type JsonObject } from './util.js';
import { addsAsLeaf, childSchema, fitsShape, indexItems, isEmptyContainer, shapeOf, type Shape } from './shapes.js';
import { createdEntry, structureKey } from './create-cache.js';

export { childSchema, indexItems, itemPE, shapeOf, type Shape } from './shapes.js';

// ---- field sets ----

function walkSet(v: unknown, s: SchemaNode | undefined, path: string[], out: FieldSet): void {
  const shape = shapeOf(s, v);
  if (shape.t === 'leaf') {
    addPath(out, path);
  } else if (shape.t === 'list') {
    if (!Array.isArray(v)) return addPath(out, path);
    if (v.length === 0) return addPath(out, path);
    const { order, items } = indexItems(shape, v);
    for (const pe of order) {
      walkSet(items.get(pe), shape.elem, [...path, pe], out);
      addPath(out, [...path, pe]);
    }
  } else {
    if (!isObject(v)) return addPath(out, path);
    for (const [k, x] of Object.entries(v)) {
      const cs = childSchema(shape, k);
      const p = [...path, `f:${k}`];
      walkSet(x, cs, p, out);
      if (isEmptyContainer(x) || shape.t !== 'struct' || !cs) addPath(out, p);
    }
  }
}

/** The set of fields an object sets (structured-merge-diff ToFieldSet), as a FieldSet tree. */
export function fieldSetTree(obj: unknown, schema: SchemaNode | undefined): FieldSet {
  const out = emptySet();
  walkSet(obj, schema, [], out);
  return out;
}

/** Fields an object sets, in fieldsV1 form, minus the server-owned metadata upstream never tracks. */
export function fieldSetOf(obj: unknown, schema: SchemaNode | undefined): JsonObject {
  return toFieldsV1(stripMeta(fieldSetTree(withoutManagedFields(obj), schema)));
}

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

const requiredSets = new WeakMap<SchemaNode, Set<string>>();
const NONE = new Set<string>();

function requiredOf(shape: Shape): Set<string> {
  if (shape.t !== 'struct' || !shape.s.required?.length) return NONE;
  let r = requiredSets.get(shape.s);
  if (!r) requiredSets.set(shape.s, (r = new Set(shape.s.required)));
  return r;
}

// `path` is one array pushed and popped on the way down (addPath copies what it keeps): every
// write compares whole objects, so per-node allocations showed up in profiles
function cmp(l: unknown, r: unknown, s: SchemaNode | undefined, path: string[], c: Comparison, required: boolean): void {
  // the same value on both sides (a write shares what it leaves alone with the stored object) differs nowhere
  if (l === r) return;
  // a value that is new as a whole (every field of a create) is added node by node, not path by path
  if (l === undefined) {
    if (path.length === 0) addedChildren(c.added, r, shapeOf(s, r));
    else added(nodeAt(c.added, path), path[path.length - 1]!, r, s, required);
    return;
  }
  const shape = shapeOf(s, r !== undefined ? r : l);
  const leaf =
    shape.t === 'leaf' ||
    !fitsShape(shape, l) ||
    !fitsShape(shape, r) ||
    (isEmptyContainer(l) && isEmptyContainer(r)) ||
    (l !== undefined && r !== undefined && (Array.isArray(l) !== Array.isArray(r) || isObject(l) !== isObject(r)));
  if (leaf) {
    if (path.length === 0) return;
    if (l === undefined) addPath(c.added, path);
    else if (r === undefined) addPath(c.removed, path);
    else if (!deepEqual(l, r)) addPath(c.modified, path);
    return;
  }
  if (shape.t === 'list') {
    const li = indexItems(shape, l);
    const ri = indexItems(shape, r);
    for (const pe of li.order) {
      path.push(pe);
      cmp(li.items.get(pe), ri.items.get(pe), shape.elem, path, c, false);
      path.pop();
    }
    for (const pe of ri.order) {
      if (li.items.has(pe)) continue;
      path.push(pe);
      cmp(undefined, ri.items.get(pe), shape.elem, path, c, false);
      path.pop();
    }
  } else {
    const lo = isObject(l) ? l : {};
    const ro = isObject(r) ? r : {};
    const req = requiredOf(shape);
    for (const k in lo) {
      path.push(`f:${k}`);
      cmp(lo[k], ro[k], childSchema(shape, k), path, c, req.has(k));
      path.pop();
    }
    for (const k in ro) {
      if (Object.prototype.hasOwnProperty.call(lo, k)) continue;
      path.push(`f:${k}`);
      cmp(undefined, ro[k], childSchema(shape, k), path, c, req.has(k));
      path.pop();
    }
  }
  if (path.length === 0) return;
  const last = path[path.length - 1] ?? '';
  const marks = !last.startsWith('f:') || shape.t === 'map' || (shape.t === 'list' && !required);
  if (l === undefined && marks) addPath(c.added, path);
  else if (r === undefined) addPath(c.removed, path);
}

/** The node for `path` without its last element, created as needed. */
function nodeAt(set: FieldSet, path: string[]): FieldSet {
  let cur = set;
  for (let i = 0; i < path.length - 1; i++) {
    let next = cur.children.get(path[i]!);
    if (!next) cur.children.set(path[i]!, (next = emptySet()));
    cur = next;
  }
  return cur;
}

/** What cmp(undefined, r) records under `parent` for the path element `pe`. */
function added(parent: FieldSet, pe: string, r: unknown, s: SchemaNode | undefined, required: boolean): void {
  const shape = shapeOf(s, r);
  if (addsAsLeaf(shape, r)) {
    parent.members.add(pe);
    return;
  }
  let node = parent.children.get(pe);
  if (!node) parent.children.set(pe, (node = emptySet()));
  addedChildren(node, r, shape);
  if (!pe.startsWith('f:') || shape.t === 'map' || (shape.t === 'list' && !required)) parent.members.add(pe);
}

function addedChildren(node: FieldSet, r: unknown, shape: Shape): void {
  if (shape.t === 'leaf') return;
  if (shape.t === 'list') {
    const { order, items } = indexItems(shape, r);
    for (const pe of order) added(node, pe, items.get(pe), shape.elem, false);
    return;
  }
  if (!isObject(r)) return;
  const req = requiredOf(shape);
  for (const k in r) if (r[k] !== undefined) added(node, `f:${k}`, r[k], childSchema(shape, k), req.has(k));
}

/** structured-merge-diff Compare: which paths were added, removed or changed between two objects. */
export function compareObjects(l: unknown, r: unknown, schema: SchemaNode | undefined): Comparison {
  const c: Comparison = { added: emptySet(), removed: emptySet(), modified: emptySet() };
  cmp(l, r, schema, [], c, false);
  return c;
}

// ---- filters ----

const STRIPPED_META = ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'];

/** Upstream's stripMeta manager: these paths are never recorded as owned. */
export function stripMeta(s: FieldSet): FieldSet {
  return difference(s, STRIP);
}

const STRIP: FieldSet = (() => {
  const strip = emptySet();
  addPath(strip, ['f:apiVersion']);
  addPath(strip, ['f:kind']);
  addPath(strip, ['f:metadata']);
  for (const f of STRIPPED_META) addPath(strip, ['f:metadata', `f:${f}`]);
  return strip;
})();

/** Reset fields: a main-resource write never owns status, a status write never owns spec. */
export function resetFilter(s: FieldSet, subresource: string | undefined): FieldSet {
  const drop = subresource === 'status' ? 'f:spec' : subresource ? undefined : 'f:status';
  if (!drop || (!s.members.has(drop) && !s.children.has(drop))) return s;
  const out: FieldSet = { members: new Set(s.members), children: new Map(s.children) };
  out.members.delete(drop);
  out.children.delete(drop);
  return out;
}

export function withoutManagedFields<T>(obj: T): T {
  if (!isObject(obj) || !isObject(obj.metadata) || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _drop, ...meta } = obj.metadata;
  return { ...obj, metadata: meta } as T;
}

// ---- managedFields entries ----

export interface Managed {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

/** BuildManagerIdentifier: appliers are identified without their apiVersion. */
export function managerId(m: Pick<Managed, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const id: JsonObject = { manager: m.manager, operation: m.operation };
  if (m.operation !== 'Apply' && m.apiVersion) id.apiVersion = m.apiVersion;
  if (m.subresource) id.subresource = m.subresource;
  return JSON.stringify(id);
}

export function decodeManagedFields(entries: ManagedFieldsEntry[] | undefined): Map<string, Managed> {
  const out = new Map<string, Managed>();
  for (const e of entries ?? []) {
    if (!e.manager && !e.operation) continue;
    const m = managedOf(e, fromFieldsV1(e.fieldsV1));
    const id = managerId(m);
    const prev = out.get(id);
    out.set(id, prev ? { ...m, set: union(prev.set, m.set) } : m);
  }
  return out;
}

function managedOf(e: ManagedFieldsEntry, set: FieldSet): Managed {
  return { manager: e.manager ?? '', operation: e.operation === 'Apply' ? 'Apply' : 'Update', apiVersion: e.apiVersion ?? '', time: e.time, subresource: e.subresource, set };
}

/** Entries ordered as upstream: Apply before Update, then by time, manager, apiVersion, subresource. */
export function encodeManagedFields(managed: Map<string, Managed>): ManagedFieldsEntry[] {
  const list = [...managed.values()].filter((m) => !isEmpty(m.set));
  list.sort(compareManaged);
  return list.map(encodeEntry);
}

const secs = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareManaged(p: Managed, q: Managed): number {
  return (
    order(p.operation, q.operation) ||
    secs(p.time) - secs(q.time) ||
    order(p.manager, q.manager) ||
    order(p.apiVersion, q.apiVersion) ||
    order(p.subresource ?? '', q.subresource ?? '')
  );
}

function encodeEntry(m: Managed): ManagedFieldsEntry {
  const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
  if (m.time) e.time = m.time;
  e.fieldsType = 'FieldsV1';
  e.fieldsV1 = toFieldsV1(m.set);
  if (m.subresource) e.subresource = m.subresource;
  // the next write by anyone decodes this entry again; it is this set
  entrySets.set(e, m.set);
  return e;
}

/** metav1.Time: RFC3339 in UTC, whole seconds. */
export function formatTime(t: string | Date): string {
  // already in that form (the engine's own times are): no Date round trip
  if (typeof t === 'string' && t.length === 20 && t[10] === 'T' && t[19] === 'Z') return t;
  const d = typeof t === 'string' ? new Date(t) : t;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function setManagedFields(obj: KObj, managed: Map<string, Managed>): KObj {
  const entries = encodeManagedFields(managed);
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
  return obj;
}

export interface UpdateOptions {
  manager: string;
  /** the group-version the request used, e.g. 'apps/v1' or 'v1' */
  apiVersion: string;
  time: string | Date;
  schema?: SchemaNode;
  subresource?: string;
}

/**
 * Records a non-apply write: fields whose value changed (or appeared) move to `manager`'s Update entry,
 * removed fields leave every entry, and entries left empty disappear. A body that carries its own
 * different managedFields replaces the stored ones (`[{}]` clears them), as upstream allows.
 */
export function updateManagedFields(oldObj: KObj | undefined, newObj: KObj, opts: UpdateOptions): KObj {
  const out = deepClone(newObj);
  const entries = managedFieldsAfterUpdate(oldObj, newObj, opts);
  if (entries) out.metadata.managedFields = entries;
  else delete out.metadata.managedFields;
  return out;
}

/** {@link updateManagedFields} without copying the object: only the entries it would carry (undefined = none). */
export function managedFieldsAfterUpdate(oldObj: KObj | undefined, newObj: KObj, opts: UpdateOptions): ManagedFieldsEntry[] | undefined {
  const oldMF = oldObj?.metadata.managedFields;
  const newMF = newObj.metadata.managedFields;
  const useNew = Array.isArray(newMF) && newMF.length > 0 && !deepEqual(newMF, oldMF);
  // the reset filter drops one top-level field whatever changed in it, so it need not be compared
  // (a kubelet's status write never walks the pod's spec)
  const skip = opts.subresource === 'status' ? 'spec' : opts.subresource ? undefined : 'status';
  if (!oldObj && !useNew) return createEntries(newObj, opts, skip);
  // Each write touches few managers' fields: the others keep their stored entry object as it is,
  // so neither its field set (cached per entry) nor its fieldsV1 is rebuilt
  const items: { m: Managed; entry?: ManagedFieldsEntry }[] = [];
  const at = new Map<string, number>();
  for (const e of (useNew ? newMF : oldMF) ?? []) {
    if (!e.manager && !e.operation) continue;
    const m = managedOf(e, entrySet(e));
    let id = entryIds.get(e);
    if (id === undefined) entryIds.set(e, (id = managerId(m)));
    const i = at.get(id);
    if (i === undefined) {
      at.set(id, items.length);
      items.push({ m, entry: e });
    } else items[i] = { m: { ...m, set: union(items[i]!.m.set, m.set) } };
  }
  const c = compareObjects(comparable(oldObj, skip), comparable(newObj, skip), opts.schema);
  const filter = (s: FieldSet) => resetFilter(stripMeta(s), opts.subresource);
  const changed = filter(union(c.modified, c.added));
  const removed = filter(c.removed);
  // the writer takes the changed fields back below: (set − changed − removed) ∪ changed is
  // (set − removed) ∪ changed, as no path is both changed and removed, and leaves the nodes of
  // fields it already owned as they were (their encoding is remembered)
  const meId = isEmpty(changed) ? undefined : managerId({ manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, subresource: opts.subresource });
  const mine = meId === undefined ? undefined : at.get(meId);
  items.forEach((it, i) => {
    const own = i === mine;
    if (!intersects(it.m.set, removed) && (own || !intersects(it.m.set, changed))) return;
    it.m = { ...it.m, set: own ? difference(it.m.set, removed) : difference(difference(it.m.set, changed), removed) };
    it.entry = undefined;
  });
  if (meId !== undefined) {
    const me: Managed = { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, subresource: opts.subresource, set: changed, time: formatTime(opts.time) };
    if (mine === undefined) items.push({ m: me });
    else items[mine] = { m: { ...me, set: union(items[mine]!.m.set, changed) } };
  }
  const kept = items.filter((it) => !isEmpty(it.m.set));
  if (!kept.length) return undefined;
  kept.sort((p, q) => compareManaged(p.m, q.m));
  return kept.map((it) => it.entry ?? encodeEntry(it.m));
}

/** A create's entry: the fields of the body's structure, built once per structure (create-cache.ts). */
function createEntries(newObj: KObj, opts: UpdateOptions, skip: string | undefined): ManagedFieldsEntry[] | undefined {
  const view = comparable(newObj, skip);
  const id = `${opts.manager.length}:${opts.manager}${opts.apiVersion.length}:${opts.apiVersion}${opts.subresource ?? ''}|`;
  const fields = createdEntry(opts.schema, id + structureKey(view, opts.schema), () => {
    // nothing was there before: everything the body sets is added
    const set = resetFilter(stripMeta(compareObjects(undefined, view, opts.schema).added), opts.subresource);
    return { set, fieldsV1: toFieldsV1(set) };
  });
  if (isEmpty(fields.set)) return undefined;
  const e: ManagedFieldsEntry = { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, time: formatTime(opts.time), fieldsType: 'FieldsV1', fieldsV1: fields.fieldsV1 };
  if (opts.subresource) e.subresource = opts.subresource;
  entrySets.set(e, fields.set);
  return [e];
}

const entrySets = new WeakMap<ManagedFieldsEntry, FieldSet>();
const entryIds = new WeakMap<ManagedFieldsEntry, string>();

/** Stored entries are never mutated, so an entry's decoded set can be kept with it. */
function entrySet(e: ManagedFieldsEntry): FieldSet {
  let set = entrySets.get(e);
  if (!set) entrySets.set(e, (set = fromFieldsV1(e.fieldsV1)));
  return set;
}

/** Whether a and b share a member path (difference(a, b) would change a). */
function intersects(a: FieldSet, b: FieldSet): boolean {
  if (isEmpty(b)) return false;
  for (const m of b.members) if (a.members.has(m)) return true;
  for (const [k, y] of b.children) {
    const x = a.children.get(k);
    if (x && intersects(x, y)) return true;
  }
  return false;
}

/** A shallow view of the object without managedFields and without the top-level field `skip`. */
function comparable(o: KObj | undefined, skip: string | undefined): unknown {
  if (!o) return o;
  const view: Record<string, unknown> = {};
  for (const k of Object.keys(o)) if (k !== skip) view[k] = (o as Record<string, unknown>)[k];
  return withoutManagedFields(view);
}
