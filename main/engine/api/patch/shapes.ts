// How structured-merge-diff sees a value at a schema node (leaf, struct, map, list with its keys)
// and the path elements of list items: shared by managedFields tracking, apply and the create cache.
import type { SchemaNode } from '../schema-types.js';
import { isObject, sortedJson, type JsonObject } from './util.js';

export type Shape =
  | { t: 'leaf' }
  | { t: 'struct'; s: SchemaNode }
  | { t: 'map'; elem?: SchemaNode }
  | { t: 'list'; elem?: SchemaNode; keys?: string[] };

export function shapeOf(s: SchemaNode | undefined, v: unknown): Shape {
  if (!s || s.type === 'any') return isObject(v) ? { t: 'map' } : { t: 'leaf' };
  if (s.type === 'object') return s.mapType === 'atomic' ? { t: 'leaf' } : { t: 'struct', s };
  if (s.type === 'map') return s.mapType === 'atomic' ? { t: 'leaf' } : { t: 'map', elem: s.elements() };
  if (s.type === 'array') {
    const elem = s.elements();
    const objects = elem ? elem.type === 'object' : isObject(Array.isArray(v) ? v[0] : undefined);
    const merge = (s.patchStrategy ?? '').split(',').includes('merge');
    if (s.listType === 'map' || (s.listType === undefined && merge && objects && s.patchMergeKey)) {
      const keys = s.listMapKeys?.length ? s.listMapKeys : s.patchMergeKey ? [s.patchMergeKey] : undefined;
      if (keys) return { t: 'list', elem, keys };
    }
    if (s.listType === 'set' || (s.listType === undefined && merge && !objects)) return { t: 'list', elem };
    return { t: 'leaf' };
  }
  return { t: 'leaf' };
}

export function childSchema(shape: Shape, key: string): SchemaNode | undefined {
  return shape.t === 'struct' ? shape.s.property(key) : shape.t === 'map' ? shape.elem : undefined;
}

/** The path element of a list item: `k:{"name":"x"}` for keyed lists, `v:"x"` for sets. */
export function itemPE(shape: Shape & { t: 'list' }, item: unknown): string {
  if (!shape.keys) return `v:${sortedJson(item)}`;
  // most keyed lists have one key (name, type, uid): its text directly, without building a key object
  if (shape.keys.length === 1) {
    const k = shape.keys[0]!;
    const v = isObject(item) ? item[k] : undefined;
    return v === undefined ? 'k:{}' : `k:{${JSON.stringify(k)}:${sortedJson(v)}}`;
  }
  const key: JsonObject = {};
  for (const k of shape.keys) if (isObject(item) && item[k] !== undefined) key[k] = item[k];
  return `k:${sortedJson(key)}`;
}

export const isEmptyContainer = (v: unknown) => v === null || v === undefined || (isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);

/** Indexes list items by path element; repeated keys keep their first occurrence, as upstream. */
export function indexItems(shape: Shape & { t: 'list' }, list: unknown): { order: string[]; items: Map<string, unknown> } {
  const items = new Map<string, unknown>();
  const order: string[] = [];
  for (const item of Array.isArray(list) ? list : []) {
    const pe = itemPE(shape, item);
    if (items.has(pe)) continue;
    items.set(pe, item);
    order.push(pe);
  }
  return { order, items };
}

/** A value that can hold this shape's children (absent and null fit every shape). */
export const fitsShape = (shape: Shape, v: unknown) => v === undefined || v === null || (shape.t === 'list' ? Array.isArray(v) : isObject(v));

/** A value that a newly added field records as one member, with nothing below it. */
export const addsAsLeaf = (shape: Shape, v: unknown) => shape.t === 'leaf' || !fitsShape(shape, v) || isEmptyContainer(v);
