/**
 * JSON Merge Patch (RFC 7386) as the v1.32 apiserver applies it (evanphx/json-patch v4 MergePatch).
 *
 *   applyMergePatch(doc, patch, { strict? }): unknown   — returns a new document; inputs are not mutated.
 *
 * Objects merge key by key, `null` deletes a key, anything else (lists included) replaces.
 * Like upstream, nulls are pruned from values that are inserted (not merged), also inside lists.
 * A `null` patch is `400 Invalid JSON Patch`; a list patch replaces the whole document; a scalar patch
 * is 400. With strict field validation the handler first decodes the body into a map, which rejects
 * every non-object with Go's decoding message.
 */
import { badRequest } from '../errors.js';
import { deepClone, isObject, jsonKind, type JsonObject } from './util.js';

export interface MergePatchOptions {
  /** fieldValidation=Strict|Warn */
  strict?: boolean;
}

/** Removes null members from objects and null items from lists, recursively (upstream pruneNulls). */
export function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(pruneNulls);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = pruneNulls(x);
    return out;
  }
  return v;
}

function mergeValue(cur: unknown, patch: unknown): unknown {
  if (!isObject(cur)) return pruneNulls(patch);
  if (!isObject(patch)) return deepClone(patch);
  mergeInto(cur, patch);
  return cur;
}

function mergeInto(doc: JsonObject, patch: JsonObject): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete doc[k];
    else if (!Object.prototype.hasOwnProperty.call(doc, k)) doc[k] = pruneNulls(v);
    else doc[k] = mergeValue(doc[k], v);
  }
}

export function applyMergePatch(doc: unknown, patch: unknown, opts: MergePatchOptions = {}): unknown {
  if (opts.strict && !isObject(patch) && patch !== null) {
    throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  if (patch === null) throw badRequest('Invalid JSON Patch');
  if (Array.isArray(patch)) return pruneNulls(patch);
  if (!isObject(patch)) throw badRequest('Invalid JSON Patch');
  // A non-object document is replaced by the (pruned) patch, as upstream does.
  if (!isObject(doc)) return pruneNulls(patch);
  const out = deepClone(doc);
  mergeInto(out, patch);
  return out;
}
