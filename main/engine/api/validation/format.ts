// Builders for field errors whose text matches apimachinery v1.32 `field.Error.ErrorBody()`:
// `<Type>[: <value>][: <detail>]`, with the value printed the way Go's fmt would print it
// (strings via %q, numbers bare, maps/slices/structs via %#v). kubectl shows these verbatim.

import type { FieldError } from '../errors.js';

/** A bad value as Go would print it; build with the helpers below so quoting is right. */
export type GoValue = string | number | boolean | { readonly go: string };

/** Already-formatted Go text (%#v of a struct, a Stringer's output...). */
export const raw = (go: string): GoValue => ({ go });

/** Go's strconv.Quote: printable runes kept, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0x80 && c < 0xa0) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

export function renderValue(v: GoValue): string {
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v.go;
}

/** %#v of map[string]string: keys sorted, nil when absent. */
export function goStringMap(m: unknown): string {
  if (m === undefined || m === null) return 'map[string]string(nil)';
  const obj = m as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(String(obj[k]))}`).join(', ')}}`;
}

/** %#v of []string. */
export function goStringSlice(a: unknown): string {
  if (!Array.isArray(a)) return '[]string(nil)';
  return `[]string{${a.map((s) => goQuote(String(s))).join(', ')}}`;
}

/** %#v of a metav1.LabelSelector value, as printed in `field is immutable` errors. */
export function goLabelSelector(sel: unknown): string {
  const s = (sel ?? {}) as { matchLabels?: unknown; matchExpressions?: unknown };
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${(s.matchExpressions as Array<Record<string, unknown>>)
        .map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(String(e.key ?? ''))}, Operator:${goQuote(String(e.operator ?? ''))}, Values:${goStringSlice(e.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** An IntOrString prints through its String() method: the bare number or the bare string. */
export function intOrStringValue(v: unknown): GoValue {
  return raw(typeof v === 'number' ? String(v) : String(v ?? ''));
}

type T = FieldError['type'];
const mk = (type: T, field: string, detail: string): FieldError => ({ type, field, detail });
const withDetail = (head: string, detail: string) => (detail ? `${head}: ${detail}` : head);

export const required = (field: string, detail = ''): FieldError => mk('FieldValueRequired', field, withDetail('Required value', detail));
export const forbidden = (field: string, detail: string): FieldError => mk('FieldValueForbidden', field, withDetail('Forbidden', detail));
export const invalid = (field: string, value: GoValue, detail: string): FieldError =>
  mk('FieldValueInvalid', field, withDetail(`Invalid value: ${renderValue(value)}`, detail));
export const duplicate = (field: string, value: GoValue): FieldError => mk('FieldValueDuplicate', field, `Duplicate value: ${renderValue(value)}`);
export const notFound = (field: string, value: GoValue): FieldError =>
  // errors.ts does not list FieldValueNotFound; the wire string is still upstream's.
  mk('FieldValueNotFound' as T, field, `Not found: ${renderValue(value)}`);
export function notSupported(field: string, value: GoValue, valid: readonly string[]): FieldError {
  const detail = valid.length ? `supported values: ${valid.map(goQuote).join(', ')}` : '';
  return mk('FieldValueNotSupported', field, withDetail(`Unsupported value: ${renderValue(value)}`, detail));
}
export const tooLong = (field: string, max: number): FieldError =>
  mk('FieldValueTooLong', field, `Too long: may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}`);
export const tooMany = (field: string, actual: number, max: number): FieldError =>
  mk('FieldValueTooMany', field, `Too many: ${actual}: must have at most ${max} ${max === 1 ? 'item' : 'items'}`);

export const FIELD_IMMUTABLE = 'field is immutable';
export const IS_NEGATIVE = 'must be greater than or equal to 0';

/** field.Path rendering helpers: `a.b`, `a[0]`, `a[key]` (keys are not quoted upstream). */
export const child = (p: string, ...names: string[]) => [p, ...names].filter((s) => s !== '').join('.');
export const index = (p: string, i: number) => `${p}[${i}]`;
export const key = (p: string, k: string) => `${p}[${k}]`;

/** ValidateNonnegativeField. */
export function nonNegative(v: unknown, field: string): FieldError[] {
  return typeof v === 'number' && v < 0 ? [invalid(field, v, IS_NEGATIVE)] : [];
}

/** ValidateImmutableField: deep-equal or report the new value. */
export function immutable(newV: unknown, oldV: unknown, field: string, render: (v: unknown) => GoValue): FieldError[] {
  return deepEqual(newV, oldV) ? [] : [invalid(field, render(newV), FIELD_IMMUTABLE)];
}

/** Semantic equality for JSON data; absent and null are the same, as for Go nil pointers. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
    return true;
  }
  return false;
}

/** Small typed accessors for loose JSON. */
export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const clone = <V>(v: V): V => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as V));
