// Structural-schema work on custom objects: defaulting and validation against a CRD version's
// openAPIV3Schema, worded as the apiextensions apiserver words it (kube-openapi's messages turned
// into field errors: `spec.replicas: Invalid value: 11: spec.replicas in body should be less than
// or equal to 10`), plus the x-kubernetes-validations CEL rules on every node.
import type { FieldError } from '../api/errors.js';
import { invalid, notSupported, required, tooLong, tooMany, forbidden, raw, type GoValue } from '../api/validation/format.js';
import { evaluateRule, usesOldSelf } from './cel.js';
import type { JSONSchemaProps } from './types.js';
import { cloneJson } from '../store/json.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fill `default`s of absent properties, depth first, as the apiserver does on decode. */
export function applySchemaDefaults(value: unknown, schema: JSONSchemaProps | undefined): void {
  if (!schema) return;
  if (isObj(value)) {
    for (const [k, sub] of Object.entries(schema.properties ?? {})) {
      if (value[k] === undefined && sub.default !== undefined) value[k] = cloneJson(sub.default);
      if (value[k] !== undefined) applySchemaDefaults(value[k], sub);
    }
    if (typeof schema.additionalProperties === 'object') for (const v of Object.values(value)) applySchemaDefaults(v, schema.additionalProperties);
  } else if (Array.isArray(value) && schema.items) {
    for (const v of value) applySchemaDefaults(v, schema.items);
  }
}

/** The JSON type name kube-openapi reports for a value. */
export function jsonTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function typeMatches(schema: JSONSchemaProps, v: unknown): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
  switch (schema.type) {
    case 'object':
      return isObj(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return true;
  }
}

/** Go's %v of a JSON value inside a field error: strings quoted, numbers bare, the rest Go-ish. */
function goValue(v: unknown): GoValue {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v === null || v === undefined) return raw('null');
  return raw(JSON.stringify(v));
}

const num = (n: number): string => String(n);

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface SchemaValidationOptions {
  /** the stored object on updates: CEL transition rules (oldSelf) only run against it */
  old?: unknown;
}

/**
 * Field errors of `value` under `schema`, paths rooted at `path` ('' for the object root). The
 * root's apiVersion/kind/metadata are the apiserver's business, not the schema's.
 */
export function validateSchema(schema: JSONSchemaProps | undefined, value: unknown, opts: SchemaValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  const cel: FieldError[] = [];
  if (schema) walk(schema, value, '', opts.old, errs, cel, true);
  return [...errs, ...cel];
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function walk(s: JSONSchemaProps, v: unknown, path: string, old: unknown, errs: FieldError[], cel: FieldError[], root = false): void {
  const name = path || '.';
  if (v === null && s.nullable) return;
  if (!typeMatches(s, v)) {
    const t = s['x-kubernetes-int-or-string'] ? 'integer,string' : s.type!;
    errs.push({ ...invalid(path, jsonTypeName(v), `${name} in body must be of type ${t}: "${jsonTypeName(v)}"`), type: 'FieldValueTypeInvalid' });
    return;
  }
  if (s.enum && !s.enum.some((e) => deepEqual(e, v))) {
    errs.push(notSupported(path, goValue(v), s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (typeof v === 'number') {
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
      errs.push(invalid(path, v, `${name} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${num(s.maximum)}`));
    }
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
      errs.push(invalid(path, v, `${name} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${num(s.minimum)}`));
    }
    if (s.multipleOf && Math.abs(v / s.multipleOf - Math.round(v / s.multipleOf)) > 1e-9) {
      errs.push(invalid(path, v, `${name} in body should be a multiple of ${num(s.multipleOf)}`));
    }
  }
  if (typeof v === 'string') {
    const len = [...v].length;
    if (s.maxLength !== undefined && len > s.maxLength) errs.push({ ...tooLong(path, s.maxLength), detail: `Too long: may not be more than ${s.maxLength} bytes` });
    if (s.minLength !== undefined && len < s.minLength) errs.push(invalid(path, v, `${name} in body should be at least ${s.minLength} chars long`));
    if (s.pattern !== undefined && !safeRegExp(s.pattern).test(v)) errs.push(invalid(path, v, `${name} in body should match '${s.pattern}'`));
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(tooMany(path, v.length, s.maxItems));
    if (s.minItems !== undefined && v.length < s.minItems) errs.push(invalid(path, v.length, `${name} in body should have at least ${s.minItems} items`));
    if ((s.uniqueItems || s['x-kubernetes-list-type'] === 'set') && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) {
      errs.push({ type: 'FieldValueDuplicate', field: path, detail: `Duplicate value: ${JSON.stringify(v.find((x, i) => v.findIndex((y) => deepEqual(x, y)) !== i))}` });
    }
    if (s.items) v.forEach((x, i) => walk(s.items!, x, `${path}[${i}]`, undefined, errs, cel));
  }
  if (isObj(v)) {
    for (const r of s.required ?? []) if (v[r] === undefined) errs.push(required(join(path, r)));
    const n = Object.keys(v).length;
    if (s.maxProperties !== undefined && n > s.maxProperties) errs.push(tooMany(path, n, s.maxProperties));
    if (s.minProperties !== undefined && n < s.minProperties) errs.push(invalid(path, n, `${name} in body should have at least ${s.minProperties} properties`));
    const oldObj = isObj(old) ? old : undefined;
    for (const [k, x] of Object.entries(v)) {
      if (root && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (sub) walk(sub, x, s.properties?.[k] ? join(path, k) : `${path}[${k}]`, oldObj?.[k], errs, cel);
    }
  }
  for (const r of s['x-kubernetes-validations'] ?? []) {
    const transition = usesOldSelf(r.rule);
    if (transition && old === undefined) continue;
    const out = evaluateRule(r, v, transition ? old : undefined, s);
    if (out.ok) continue;
    const at = out.fieldPath ? join(path, out.fieldPath.replace(/^\./, '')) : path || '<nil>';
    const typeName = s['x-kubernetes-int-or-string'] ? 'integer' : (s.type ?? jsonTypeName(v));
    if (out.reason === 'FieldValueForbidden') cel.push(forbidden(at, out.message));
    else if (out.reason === 'FieldValueRequired') cel.push(required(at, out.message));
    else cel.push(invalid(at, typeName, out.message));
  }
}

const regexCache = new Map<string, RegExp>();
function safeRegExp(p: string): RegExp {
  let r = regexCache.get(p);
  if (!r) {
    try {
      r = new RegExp(p, 'u');
    } catch {
      r = /(?:)/;
    }
    regexCache.set(p, r);
  }
  return r;
}
