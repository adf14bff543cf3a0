/**
 * JSON Patch (RFC 6902) as the v1.32 apiserver applies it (gopkg.in/evanphx/json-patch.v4).
 *
 *   applyJsonPatch(doc, ops, { strict? }): unknown   — returns a new document; `doc` is not mutated.
 *
 * Upstream quirks kept on purpose, because learners see their effect:
 *  - `replace` on a missing object key adds it (json-patch v4 never checks key presence in objects);
 *  - negative array indices count from the end; `-` appends for `add`;
 *  - `copy` from a missing key copies `null`.
 * Errors: a body that is not a list of operations → 400 BadRequest with Go's decoding message;
 * any operation that does not apply (missing path, failed `test`, bad index, unknown op) → 422 Invalid
 * with the generic message `the server rejected our request due to an error in our request` and empty
 * details, exactly what the apiserver returns (it discards json-patch's own text; we keep it in
 * `PatchApplyError.detail` for logs).
 */
import { badRequest } from '../errors.js';
import { PatchApplyError, deepClone, deepEqual, isObject, jsonKind, type JsonObject } from './util.js';

export interface JsonPatchOptions {
  /** fieldValidation=Strict|Warn: the handler first decodes the body into its own op struct (different error text). */
  strict?: boolean;
}

type Container = JsonObject | unknown[];

/** RFC 6901 unescaping: ~1 before ~0, so "~01" decodes to "~1". */
const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** Go's strconv.Atoi: optional sign, decimal digits only. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

function decodeOps(ops: unknown, strict: boolean): JsonObject[] {
  if (ops === null) return [];
  if (!Array.isArray(ops)) {
    throw badRequest(
      strict
        ? `error decoding patch: json: cannot unmarshal ${jsonKind(ops)} into Go value of type []handlers.jsonPatchOp`
        : `json: cannot unmarshal ${jsonKind(ops)} into Go value of type jsonpatch.Patch`,
    );
  }
  return ops.map((op) => {
    if (op === null) return {};
    if (!isObject(op)) {
      throw badRequest(
        strict
          ? `error decoding patch: json: cannot unmarshal ${jsonKind(op)} into Go value of type handlers.jsonPatchOp`
          : `json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`,
      );
    }
    if (strict) {
      for (const f of ['op', 'path', 'from'] as const) {
        if (op[f] !== undefined && op[f] !== null && typeof op[f] !== 'string') {
          throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonKind(op[f])} into Go struct field jsonPatchOp.${f} of type string`);
        }
      }
    }
    return op;
  });
}

/** Walks to the parent container of the last path token; undefined when any step is missing. */
function findParent(root: Container, path: string): { con: Container; key: string } | undefined {
  const parts = path.split('/');
  if (parts.length < 2) return undefined;
  let cur: unknown = root;
  for (const raw of parts.slice(1, -1)) {
    const next = getChild(cur as Container, unescape(raw));
    if (!Array.isArray(next) && !isObject(next)) return undefined;
    cur = next;
  }
  return { con: cur as Container, key: unescape(parts[parts.length - 1] ?? '') };
}

/** Index into an array as json-patch v4 does (negative counts from the end); undefined when out of range. */
function arrayIndex(arr: unknown[], key: string, extra = 0): number | undefined {
  const idx = atoi(key);
  if (idx === undefined) return undefined;
  const len = arr.length + extra;
  if (idx >= len || idx < -len) return undefined;
  return idx < 0 ? idx + len : idx;
}

function getChild(con: Container, key: string): unknown {
  if (Array.isArray(con)) {
    const i = arrayIndex(con, key);
    return i === undefined ? undefined : con[i];
  }
  return con[key];
}

function fail(detail: string): never {
  throw new PatchApplyError(detail);
}

function addTo(con: Container, key: string, value: unknown, path: string): void {
  if (!Array.isArray(con)) {
    con[key] = value;
    return;
  }
  if (key === '-') {
    con.push(value);
    return;
  }
  if (atoi(key) === undefined) fail(`error in add for path: '${path}': value was not a proper array index: '${key}'`);
  const i = arrayIndex(con, key, 1);
  if (i === undefined) fail(`error in add for path: '${path}': Unable to access invalid index: ${key}`);
  con.splice(i, 0, value);
}

function removeFrom(con: Container, key: string, path: string): void {
  if (!Array.isArray(con)) {
    if (!Object.prototype.hasOwnProperty.call(con, key)) fail(`error in remove for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`);
    delete con[key];
    return;
  }
  const i = arrayIndex(con, key);
  if (i === undefined) fail(`error in remove for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`);
  con.splice(i, 1);
}

/** Reads the member for move/copy/test; arrays must be indexed correctly, objects may lack the key (→ null). */
function readMember(con: Container, key: string, what: string): unknown {
  if (Array.isArray(con)) {
    const i = arrayIndex(con, key);
    if (i === undefined) fail(`error in ${what}: Unable to access invalid index: ${key}: invalid index referenced`);
    return con[i];
  }
  return con[key] ?? null;
}

function applyOne(root: Container, op: JsonObject): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  const path = typeof op.path === 'string' ? op.path : undefined;
  const from = typeof op.from === 'string' ? op.from : undefined;
  const value = op.value === undefined ? null : deepClone(op.value);
  const need = (p: string | undefined, field: string): string => p ?? fail(`${kind} operation failed to decode ${field}`);
  switch (kind) {
    case 'add': {
      const p = need(path, 'path');
      const t = findParent(root, p) ?? fail(`add operation does not apply: doc is missing path: "${p}": missing value`);
      addTo(t.con, t.key, value, p);
      return;
    }
    case 'remove': {
      const p = need(path, 'path');
      const t = findParent(root, p) ?? fail(`remove operation does not apply: doc is missing path: "${p}": missing value`);
      removeFrom(t.con, t.key, p);
      return;
    }
    case 'replace': {
      const p = need(path, 'path');
      const t = findParent(root, p) ?? fail(`replace operation does not apply: doc is missing path: ${p}: missing value`);
      if (Array.isArray(t.con)) {
        const i = arrayIndex(t.con, t.key);
        if (i === undefined) fail(`replace operation does not apply: doc is missing key: ${p}: missing value`);
        t.con[i] = value;
      } else {
        t.con[t.key] = value;
      }
      return;
    }
    case 'move': {
      const f = need(from, 'from');
      const src = findParent(root, f) ?? fail(`move operation does not apply: doc is missing from path: ${f}: missing value`);
      const v = readMember(src.con, src.key, `move for path: '${src.key}'`);
      removeFrom(src.con, src.key, src.key);
      const p = need(path, 'path');
      const dst = findParent(root, p) ?? fail(`move operation does not apply: doc is missing destination path: ${p}: missing value`);
      addTo(dst.con, dst.key, v, p);
      return;
    }
    case 'copy': {
      const f = need(from, 'from');
      const src = findParent(root, f) ?? fail(`copy operation does not apply: doc is missing from path: ${f}: missing value`);
      const v = deepClone(readMember(src.con, src.key, `copy for from: '${f}'`));
      const p = need(path, 'path');
      const dst = findParent(root, p) ?? fail(`copy operation does not apply: doc is missing destination path: ${p}: missing value`);
      addTo(dst.con, dst.key, v, p);
      return;
    }
    case 'test': {
      const p = need(path, 'path');
      const t = findParent(root, p) ?? fail(`test operation does not apply: is missing path: ${p}: missing value`);
      const actual = readMember(t.con, t.key, `test for path: '${p}'`);
      if (actual === null ? value === null : deepEqual(actual, value)) return;
      fail(`testing value ${p} failed: test failed`);
    }
    default:
      fail(`Unexpected kind: ${kind}`);
  }
}

export function applyJsonPatch(doc: unknown, ops: unknown, opts: JsonPatchOptions = {}): unknown {
  const decoded = decodeOps(ops, opts.strict ?? false);
  const root = deepClone(doc) as Container;
  for (const op of decoded) applyOne(root, op);
  return root;
}
