/**
 * Strategic merge patch, with the semantics of apimachinery's strategicpatch as the v1.32 apiserver
 * applies it (StrategicMergeMapPatch: parallel deletion lists honoured, unmatched nulls ignored).
 *
 *   applyStrategicMergePatch(doc, patch, schema): JsonObject   — returns a new object; inputs untouched.
 *
 * Patch metadata comes from the SchemaNode tree (patchStrategy / patchMergeKey on list and map nodes).
 * Without a schema node for a field, maps merge recursively and lists are replaced (JSON-merge-like).
 * Supported: merge lists by key (new items go first unless the live order says otherwise, like upstream),
 * primitive merge lists as set union, `$patch: replace|delete` in maps and list items, `$retainKeys`,
 * `$setElementOrder/<field>`, `$deleteFromPrimitiveList/<field>`, null deletes a key.
 * Deliberate deviation: values added where the live object had nothing are cleaned (directives applied,
 * nulls dropped) instead of being stored raw; upstream would then drop or reject them while decoding.
 * Errors carry upstream's text and status: 400 for malformed directives, 422 for lists of lists, and
 * 500 with an empty reason for the errors upstream returns unwrapped (e.g. a missing merge key).
 */
import { badRequest } from '../errors.js';
import type { SchemaNode } from '../schema-types.js';
import { PatchApplyError, deepClone, goFmt, isObject, jsonKind, unknownServerError, type JsonObject } from './util.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList';

type Kind = 'map' | 'scalar';

/** reflect.Type.String() of a value decoded into interface{}. */
const goType = (v: unknown): string =>
  v === null || v === undefined ? 'nil' : Array.isArray(v) ? '[]interface {}' : isObject(v) ? 'map[string]interface {}' : typeof v === 'number' ? 'int64' : typeof v === 'boolean' ? 'bool' : 'string';

const errBadArgType = (expected: string, actual: unknown) => unknownServerError(`expected a ${expected}, but received a ${goType(actual)}`);
const errNoMergeKey = (m: unknown, key: string) => unknownServerError(`map: ${goFmt(m)} does not contain declared merge key: ${key}`);
const errBadPatchType = (t: unknown, m: unknown) => unknownServerError(`unknown patch type: ${goFmt(t)} in map: ${goFmt(m)}`);

function fieldSchema(s: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!s) return undefined;
  if (s.type === 'object') return s.property(key);
  if (s.type === 'map') return s.elements();
  return undefined;
}

/** The strategy without 'retainKeys' ('merge' | 'replace' | ''), as extractRetainKeysPatchStrategy does. */
function strategyOf(s: SchemaNode | undefined): string {
  const parts = (s?.patchStrategy ?? '').split(',').map((p) => p.trim()).filter(Boolean).filter((p) => p !== 'retainKeys');
  return parts[0] ?? '';
}

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw badRequest(prefix === SET_ORDER ? 'invalid patch format of setElementOrder list' : 'invalid patch format of primitive list');
  }
  return key.slice(slash + 1);
}

function sliceElementKind(...lists: unknown[][]): Kind {
  let first: string | undefined;
  for (const l of lists) {
    for (const v of l) {
      const t = goType(v);
      if (first === undefined) {
        if (Array.isArray(v)) throw new PatchApplyError('lists of lists are not supported');
        first = t;
      } else if (t !== first) {
        throw unknownServerError(`list element types are not identical: ${goFmt(lists)}`);
      }
    }
  }
  if (first === undefined) throw unknownServerError('no elements in any of the given slices');
  return first === 'map[string]interface {}' ? 'map' : 'scalar';
}

function keyOf(item: unknown, mergeKey: string, kind: Kind): unknown {
  return kind === 'map' ? (isObject(item) ? item[mergeKey] : undefined) : item;
}

function indexIn(list: unknown[], v: unknown, mergeKey: string, kind: Kind): number {
  const want = keyOf(v, mergeKey, kind);
  return list.findIndex((x) => keyOf(x, mergeKey, kind) === want);
}

function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (!isObject(x)) throw unknownServerError(`value for key ${i} is not a map.`);
    if (Object.prototype.hasOwnProperty.call(x, mergeKey) && x[mergeKey] === value) return i;
  }
  return -1;
}

/** Values inserted where live had nothing: apply their directives and drop nulls (see header). */
function clean(v: unknown, schema: SchemaNode | undefined): unknown {
  if (isObject(v)) return mergeMap({}, v, schema);
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      if (isObject(item) && DIRECTIVE in item) {
        if (item[DIRECTIVE] === 'delete') continue;
        const { [DIRECTIVE]: _drop, ...rest } = item;
        out.push(clean(rest, schema?.elements()));
      } else if (item !== null) out.push(clean(item, schema?.elements()));
    }
    return out;
  }
  return v;
}

function handleMapDirective(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    const { [DIRECTIVE]: _drop, ...rest } = patch;
    return rest;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRequest('invalid patch format of retainKeys');
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
    if (!keep.has(k)) throw badRequest('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function validateSetOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey) {
    items = patchList.filter((v) => {
      if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
      return v[DIRECTIVE] !== 'delete';
    });
  }
  const keyEq = (a: unknown, b: unknown): boolean => {
    if (!mergeKey) return a === b;
    if (!isObject(a)) throw errBadArgType('map[string]interface {}', a);
    if (!isObject(b)) throw errBadArgType('map[string]interface {}', b);
    if (!(mergeKey in a)) throw errNoMergeKey(a, mergeKey);
    if (!(mergeKey in b)) throw errNoMergeKey(b, mergeKey);
    return a[mergeKey] === b[mergeKey];
  };
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isObject(items[p]) && DIRECTIVE in (items[p] as JsonObject)) {
      p++;
      continue;
    }
    if (keyEq(items[p], order[o])) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw unknownServerError(`The order in patch list:\n${goFmt(patchList)}\n doesn't match ${SET_ORDER} list:\n${goFmt(order)}\n`);
  }
}

function partition(merged: unknown[], by: unknown[], mergeKey: string, kind: Kind): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) {
    let found: boolean;
    if (kind === 'map') {
      if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
      if (!(mergeKey in v)) throw errNoMergeKey(v, mergeKey);
      found = findByKey(by, mergeKey, v[mergeKey]) >= 0;
    } else {
      found = by.includes(v);
    }
    (found ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

/** Upstream sorts with sort.SliceStable and a comparator that is "true" for unknown items; kept as is. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: Kind): unknown[] {
  let items = [...toSort];
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const v of [...items, ...order]) {
      if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
      if (!(mergeKey in v)) throw errNoMergeKey(v, mergeKey);
    }
    toDelete = items.filter((v) => (v as JsonObject)[DIRECTIVE] === 'delete');
    items = items.filter((v) => (v as JsonObject)[DIRECTIVE] !== 'delete');
  }
  const less = (a: unknown, b: unknown): boolean => {
    const ia = indexIn(order, a, mergeKey, kind);
    const ib = indexIn(order, b, mergeKey, kind);
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  };
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j], items[j - 1]); j--) [items[j], items[j - 1]] = [items[j - 1], items[j]];
  }
  return [...items, ...toDelete];
}

/** Interleaves server-only items into the patch-ordered items, following the live order where both are known. */
function mergeSorted(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: Kind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: Kind): unknown[] {
  const p = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSorted(s, p, serverOrder, mergeKey, kind);
}

function mergeSlice(original: unknown[], patch: unknown[], schema: SchemaNode | undefined, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  const mergeKey = kind === 'map' ? (schema?.patchMergeKey ?? '') : '';
  const elemSchema = schema?.elements();
  let merged: unknown[];
  if (kind === 'scalar') {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = [...new Set([...original, ...patch])];
  } else {
    if (!mergeKey) throw unknownServerError('cannot merge lists without merge key for struct');
    let orig = [...original];
    const plain: unknown[] = [];
    let replace = false;
    for (const v of patch as JsonObject[]) {
      if (!(DIRECTIVE in v)) {
        plain.push(v);
        continue;
      }
      const d = v[DIRECTIVE];
      if (d === 'delete') {
        if (!(mergeKey in v)) throw errNoMergeKey(v, mergeKey);
        for (let i = findByKey(orig, mergeKey, v[mergeKey]); i >= 0; i = findByKey(orig, mergeKey, v[mergeKey])) orig.splice(i, 1);
      } else if (d === 'replace') replace = true;
      else if (d === 'merge') throw unknownServerError('merging lists cannot yet be specified in the patch');
      else throw errBadPatchType(d, v);
    }
    if (replace) {
      orig = plain.map((v) => clean(v, elemSchema));
      patch = [];
    } else patch = plain;
    for (const v of patch as JsonObject[]) {
      if (!(mergeKey in v)) throw errNoMergeKey(v, mergeKey);
      const i = findByKey(orig, mergeKey, v[mergeKey]);
      if (i >= 0) orig[i] = mergeMap(orig[i] as JsonObject, deepClone(v), elemSchema);
      else orig.push(clean(v, elemSchema));
    }
    original = replace ? orig : original;
    merged = orig;
  }
  const [patchItems, serverOnly] = partition(merged, patch, mergeKey, kind);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
}

function mergeSliceHandler(original: unknown[], patch: unknown[], schema: SchemaNode | undefined, isDeleteList: boolean): unknown[] {
  return strategyOf(schema) === 'merge' ? mergeSlice(original, patch, schema, isDeleteList) : patch;
}

function applySetElementOrder(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
    const field = extractKey(key, SET_ORDER);
    const foundOriginal = field in original;
    const foundPatch = field in patch;
    const origList = foundOriginal ? original[field] : [];
    const patchList = foundPatch ? patch[field] : [];
    if (!Array.isArray(origList)) throw errBadArgType('[]interface {}', origList);
    if (!Array.isArray(patchList)) throw errBadArgType('[]interface {}', patchList);
    const fs = fieldSchema(schema, field);
    const strategy = strategyOf(fs);
    const mergeKey = fs?.patchMergeKey ?? '';
    validateSetOrder(patchList, order, mergeKey);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = origList;
    else if (!foundOriginal && foundPatch) merged = strategy === 'merge' ? mergeSlice([], patchList, fs, false) : patchList;
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(origList, patchList, fs, false);
    else continue;
    const kind = sliceElementKind(origList, patchList);
    const [inOrder, serverOnly] = partition(merged, order, kind === 'map' ? mergeKey : '', kind);
    original[field] = normalizeElementOrder(inOrder, serverOnly, order, origList, kind === 'map' ? mergeKey : '', kind);
    delete patch[field];
  }
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): JsonObject {
  if (DIRECTIVE in patch) return handleMapDirective(patch[DIRECTIVE], patch);
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, schema);
  for (const k of Object.keys(patch)) {
    const pv = patch[k];
    let key = k;
    let isDeleteList = false;
    if (k.startsWith(DELETE_PRIMITIVE)) {
      key = extractKey(k, DELETE_PRIMITIVE);
      isDeleteList = true;
    }
    if (pv === null) {
      delete original[key];
      continue;
    }
    const fs = fieldSchema(schema, key);
    if (!(key in original)) {
      if (!isDeleteList) original[key] = clean(pv, fs);
      continue;
    }
    const ov = original[key];
    if (goType(ov) !== goType(pv)) {
      if (!isDeleteList) original[key] = clean(pv, fs);
      continue;
    }
    if (isObject(ov)) {
      original[key] = strategyOf(fs) === 'replace' ? pv : mergeMap(ov, pv as JsonObject, fs);
    } else if (Array.isArray(ov)) {
      original[key] = mergeSliceHandler(ov, pv as unknown[], fs, isDeleteList);
    } else {
      original[key] = pv;
    }
  }
  return original;
}

export function applyStrategicMergePatch(doc: unknown, patch: unknown, schema: SchemaNode | undefined): JsonObject {
  if (patch !== null && !isObject(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  const original = isObject(doc) ? deepClone(doc) : {};
  return mergeMap(original, deepClone(patch ?? {}), schema);
}
