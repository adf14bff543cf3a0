// x-kubernetes-validations: CEL rules of a CRD schema, compiled once and evaluated against the
// node they are declared on (`self`, and `oldSelf` on updates). JSON integers become CEL ints
// (BigInt) where the schema says integer, so `self.replicas <= 10` compares as upstream does.
import { parse } from '@marcbachmann/cel-js';
import type { JSONSchemaProps } from './types.js';

export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

type Compiled = ReturnType<typeof parse>;
const compiled = new Map<string, Compiled | Error>();

/** Parse (cached); returns the syntax error for a broken rule. */
export function compile(expr: string): Compiled | Error {
  let c = compiled.get(expr);
  if (!c) {
    try {
      c = parse(expr);
    } catch (e) {
      c = e instanceof Error ? e : new Error(String(e));
    }
    compiled.set(expr, c);
  }
  return c;
}

/** Does the rule read the previous value? Then it only runs on updates (a transition rule). */
export const usesOldSelf = (rule: string): boolean => /\boldSelf\b/.test(rule);

/** A JSON value as CEL sees it under this schema: integers as ints, nested by the schema. */
export function toCel(value: unknown, schema: JSONSchemaProps | undefined): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'number') {
    if (schema?.type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => toCel(v, schema?.items));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const sub = schema?.properties?.[k] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      out[k] = toCel(v, sub);
    }
    return out;
  }
  return value;
}

export type RuleOutcome = { ok: true } | { ok: false; message: string; reason: NonNullable<ValidationRule['reason']>; fieldPath?: string };

/** Evaluate one rule; a rule that cannot run (syntax, missing key) fails with the evaluator's words. */
export function evaluateRule(r: ValidationRule, self: unknown, oldSelf: unknown, schema: JSONSchemaProps): RuleOutcome {
  const vars: Record<string, unknown> = { self: toCel(self, schema) };
  if (oldSelf !== undefined) vars.oldSelf = toCel(oldSelf, schema);
  const reason = r.reason ?? 'FieldValueInvalid';
  const c = compile(r.rule);
  if (c instanceof Error) return { ok: false, message: `compilation failed: ${c.message.split('\n')[0]}`, reason };
  let result: unknown;
  try {
    result = c(vars);
  } catch (e) {
    return { ok: false, message: (e as Error).message.split('\n')[0]!, reason };
  }
  if (result === true) return { ok: true };
  return { ok: false, message: failureMessage(r, vars), reason, fieldPath: r.fieldPath };
}

function failureMessage(r: ValidationRule, vars: Record<string, unknown>): string {
  if (r.messageExpression) {
    const c = compile(r.messageExpression);
    if (!(c instanceof Error)) {
      try {
        const m = c(vars);
        if (typeof m === 'string' && m.trim()) return m;
      } catch {
        // upstream falls back to the static message when messageExpression fails
      }
    }
  }
  if (r.message) return r.message;
  return `failed rule: ${r.rule}`;
}
