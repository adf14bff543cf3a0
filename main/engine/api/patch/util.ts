// Small JSON helpers shared by the patch engines, plus Go-style value formatting: upstream builds some
// error messages with fmt's %v (e.g. `map: map[image:nginx] does not contain declared merge key: name`),
// and kubectl prints those verbatim, so we render values the way Go would.
import { StatusError } from '../errors.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: unknown };

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

// the store's deep copy of JSON data, under the name the patch engines use
export { cloneJson as deepClone } from '../../store/json.js';

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** JSON with object keys sorted, as Go's encoding/json writes maps. */
export function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), which is what %v prints for a JSON number. */
export function goFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mant = '', expStr = '0'] = n.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return String(n);
}

/** fmt's %v for values decoded by encoding/json into interface{}. */
export function goFmt(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goFmt).join(' ')}]`;
  if (isObject(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goFmt(v[k])}`).join(' ')}]`;
  return String(v);
}

/** Go's %T-ish JSON kind name, as encoding/json names it in UnmarshalTypeError ("object", "array", ...). */
export function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string | number
}

/**
 * NewGenericServerResponse(422, ...) as the patch handler uses it: the detailed reason is dropped
 * from the Status (details is `{}`), so kubectl prints
 * `The request is invalid: the server rejected our request due to an error in our request`.
 */
export class PatchApplyError extends StatusError {
  constructor(public readonly detail: string) {
    super(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  }
}

/** An error that is not a metav1.Status upstream: the apiserver turns it into a 500 with an empty reason. */
export const unknownServerError = (message: string) => new StatusError(500, '', message);
