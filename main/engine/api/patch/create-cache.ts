// A create's managedFields entry depends only on the structure of the body (which fields are set,
// the keys of keyed list items), never on the values of its leaves. Controllers and kubelets create
// objects of the same structure over and over (a ReplicaSet's pods, a kubelet's events), so the
// field set and its fieldsV1 are built once per structure and shared, read-only, by every entry
// that has it: the key costs a walk of the body, the set and its encoding cost several.
import { Lru } from '../../lru.js';
import type { SchemaNode } from '../schema-types.js';
import type { FieldSet } from './fieldset.js';
import { addsAsLeaf, childSchema, indexItems, shapeOf } from './shapes.js';
import type { JsonObject } from './util.js';

export interface CreatedFields {
  set: FieldSet;
  fieldsV1: JsonObject;
}

// per schema (one per kind and version): the most recent structures seen
const LIMIT = 256;
const bySchema = new WeakMap<object, Lru<string, CreatedFields>>();
const NO_SCHEMA = {};

/**
 * A string that two values share exactly when the fields they set (as managedFields tracks a
 * create, walking as managedfields.ts's `added` does) are the same: their keys and the path elements of their list items, each written with
 * its length so that no two structures can read the same.
 */
export function structureKey(v: unknown, s: SchemaNode | undefined): string {
  const shape = shapeOf(s, v);
  if (addsAsLeaf(shape, v)) return '.';
  if (shape.t === 'list') {
    const { order, items } = indexItems(shape, v);
    let out = '[';
    for (const pe of order) out += `${pe.length}:${pe}${structureKey(items.get(pe), shape.elem)}`;
    return `${out}]`;
  }
  const o = v as JsonObject;
  let out = '{';
  for (const k in o) if (o[k] !== undefined) out += `${k.length}:${k}${structureKey(o[k], childSchema(shape, k))}`;
  return `${out}}`;
}

/** The fields a create with this `key` records, built by `build` the first time the key is seen. */
export function createdEntry(schema: SchemaNode | undefined, key: string, build: () => CreatedFields): CreatedFields {
  let cache = bySchema.get(schema ?? NO_SCHEMA);
  if (!cache) bySchema.set(schema ?? NO_SCHEMA, (cache = new Lru(LIMIT)));
  let hit = cache.get(key);
  if (!hit) cache.set(key, (hit = build()));
  return hit;
}
