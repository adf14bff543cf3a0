// CEL over Kubernetes objects, as Kubernetes itself uses for validation rules. Expressions are
// type-checked when a lab loads so a broken one is refused then, never at a learner's "check".
import { Environment } from '@marcbachmann/cel-js';

export type CelProgram = (vars: CelVars) => unknown;
export interface CelVars {
  /** the target object when the check names one, else null */
  object: unknown;
  /** the target objects when the check lists (selector or whole kind), else [] */
  objects: unknown[];
}

let env: Environment | undefined;
function celEnv(): Environment {
  if (!env) {
    env = new Environment({ unlistedVariablesAreDyn: false, enableOptionalTypes: true, homogeneousAggregateLiterals: false })
      .registerVariable('object', 'dyn')
      .registerVariable('objects', 'list<dyn>');
  }
  return env;
}

/** First line of a cel-js error: the rest is a source excerpt and a stack. */
function shortMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.trim();
}

/**
 * Parse and type-check. `want` is the result type the caller needs; `dyn` always passes the
 * checker (it can only be known at evaluation time).
 */
export function compileCel(expr: string, want: 'bool' | 'strings' | 'any'): { ok: true; program: CelProgram } | { ok: false; error: string } {
  const e = celEnv();
  let checked: { valid: boolean; error?: unknown; type?: string };
  try {
    checked = e.check(expr) as { valid: boolean; error?: unknown; type?: string };
  } catch (err) {
    return { ok: false, error: shortMessage(err) };
  }
  if (!checked.valid) return { ok: false, error: shortMessage(checked.error) };
  const t = checked.type ?? 'dyn';
  const okType = want === 'any' ? true : want === 'bool' ? t === 'bool' || t === 'dyn' : ['string', 'list<string>', 'list<dyn>', 'list', 'dyn'].includes(t);
  if (!okType) return { ok: false, error: `must evaluate to ${want === 'bool' ? 'bool' : 'a string or a list of strings'}, but its type is ${t}` };
  let parsed: (ctx: Record<string, unknown>) => unknown;
  try {
    parsed = e.parse(expr) as unknown as (ctx: Record<string, unknown>) => unknown;
  } catch (err) {
    return { ok: false, error: shortMessage(err) };
  }
  return { ok: true, program: (vars) => parsed({ object: vars.object ?? null, objects: vars.objects }) };
}

/** Evaluate; a runtime error (missing field…) becomes a message instead of a throw. */
export function runCel(p: CelProgram, vars: CelVars): { value: unknown } | { error: string } {
  try {
    return { value: p(vars) };
  } catch (err) {
    return { error: shortMessage(err) };
  }
}

export function celStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.map((x) => String(x));
  if (v === null || v === undefined) return [];
  return [String(v)];
}
