// Validation of a parsed lab.yaml into a LabDef. Every error names the file and the field
// ("labs/02-pods/lab.yaml: steps[1].checks[0].cel: … does not compile: …"), and CEL is compiled
// here so a broken check is refused at load, never at a learner's "check".
import { compileCel } from './cel.js';
import type { Compiled, Template } from './checks.js';
import { kindInfo } from './kinds.js';
import type { Alternative, Check, CheckSpec, LabDef, Level, NearMiss, SimulatorSetup, Step, Target, Text } from './types.js';

export class LabFormatError extends Error {
  constructor(public errors: string[]) {
    super(errors.join('\n'));
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const CHECK_TYPES = ['cel', 'exists', 'absent', 'count', 'ready', 'rolledOut', 'endpoints', 'file'] as const;
const LEVELS: Level[] = ['beginner', 'intermediate', 'advanced'];
const ID_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A compiled check: the format plus its CEL programs. */
export interface LoadedCheck extends Check {
  compiled: Compiled;
}
export interface LoadedStep extends Step {
  checks: LoadedCheck[];
}
export interface LoadedLab extends LabDef {
  steps: LoadedStep[];
}

class Ctx {
  errors: string[] = [];
  constructor(public file: string) {}
  err(path: string, msg: string): void {
    this.errors.push(`${this.file}: ${path}: ${msg}`);
  }
  keys(o: Obj, path: string, allowed: string[]): void {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.err(`${path}${path ? '.' : ''}${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
  }
  obj(v: unknown, path: string): Obj | undefined {
    if (isObj(v)) return v;
    this.err(path, v === undefined ? 'is required' : 'must be a mapping');
    return undefined;
  }
  str(v: unknown, path: string, opt = false): string | undefined {
    if (v === undefined && opt) return undefined;
    if (typeof v === 'string' && v.trim()) return v;
    this.err(path, v === undefined ? 'is required' : 'must be a non-empty string');
    return undefined;
  }
  int(v: unknown, path: string, opt = false, min = 0): number | undefined {
    if (v === undefined && opt) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min) return v;
    this.err(path, v === undefined ? 'is required' : `must be an integer >= ${min}`);
    return undefined;
  }
  text(v: unknown, path: string): Text {
    const o = this.obj(v, path);
    if (!o) return { en: '', ko: '' };
    this.keys(o, path, ['en', 'ko']);
    return { en: this.str(o.en, `${path}.en`) ?? '', ko: this.str(o.ko, `${path}.ko`) ?? '' };
  }
  strings(v: unknown, path: string, opt = false): string[] {
    if (v === undefined && opt) return [];
    if (!Array.isArray(v)) {
      this.err(path, v === undefined ? 'is required' : 'must be a list of strings');
      return [];
    }
    return v.map((x, i) => this.str(x, `${path}[${i}]`) ?? '');
  }
}

function target(c: Ctx, o: Obj, path: string, extra: string[], needName = false): Target {
  c.keys(o, path, ['kind', 'name', 'namespace', 'selector', ...extra]);
  const kind = c.str(o.kind, `${path}.kind`) ?? '';
  if (kind && !kindInfo(kind)) c.err(`${path}.kind`, `unknown kind "${kind}"`);
  const t: Target = { kind };
  const name = c.str(o.name, `${path}.name`, !needName);
  if (name) t.name = name;
  const ns = c.str(o.namespace, `${path}.namespace`, true);
  if (ns) t.namespace = ns;
  const sel = c.str(o.selector, `${path}.selector`, true);
  if (sel) t.selector = sel;
  if (t.name && t.selector) c.err(path, 'give either name or selector, not both');
  return t;
}

function template(c: Ctx, s: string, path: string): Template {
  const out: Template = [];
  const re = /\{\{(.+?)\}\}/g;
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(s.slice(last, m.index));
    const r = compileCel(m[1]!.trim(), 'any');
    if (r.ok) out.push(r.program);
    else c.err(path, `CEL in {{${m[1]}}} does not compile: ${r.error}`);
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

function check(c: Ctx, v: unknown, path: string): LoadedCheck | undefined {
  const o = c.obj(v, path);
  if (!o) return undefined;
  const present = CHECK_TYPES.filter((t) => o[t] !== undefined);
  c.keys(o, path, ['id', 'title', 'weight', 'waitSeconds', 'target', 'message', ...CHECK_TYPES]);
  const id = c.str(o.id, `${path}.id`) ?? '';
  if (id && !ID_RE.test(id)) c.err(`${path}.id`, 'must be lower-case letters, digits and "-"');
  const title = c.text(o.title, `${path}.title`);
  const weight = c.int(o.weight, `${path}.weight`, true, 1) ?? 1;
  const waitSeconds = c.int(o.waitSeconds, `${path}.waitSeconds`, true, 0);
  if (present.length !== 1) {
    c.err(path, `needs exactly one of ${CHECK_TYPES.join(', ')} (found ${present.length ? present.join(', ') : 'none'})`);
    return undefined;
  }
  const type = present[0]!;
  const compiled: Compiled = {};
  let spec: CheckSpec | undefined;
  const p = `${path}.${type}`;
  if (type !== 'cel' && (o.target !== undefined || o.message !== undefined)) c.err(path, `target and message belong to cel checks; put the target inside ${type}`);
  if (type === 'cel') {
    const expr = c.str(o.cel, p);
    const to = c.obj(o.target, `${path}.target`);
    const t = to ? target(c, to, `${path}.target`, []) : { kind: '' };
    if (expr) {
      const r = compileCel(expr, 'bool');
      if (r.ok) compiled.program = r.program;
      else c.err(p, `${JSON.stringify(expr)} does not compile: ${r.error}`);
    }
    if (o.message === undefined) c.err(`${path}.message`, 'is required for a cel check (the reason a learner reads when it fails)');
    else {
      const m = c.text(o.message, `${path}.message`);
      compiled.message = { en: template(c, m.en, `${path}.message.en`), ko: template(c, m.ko, `${path}.message.ko`) };
    }
    spec = { type: 'cel', target: t, expr: expr ?? '' };
  } else if (type === 'file') {
    const fo = c.obj(o.file, p);
    if (!fo) return undefined;
    c.keys(fo, p, ['path', 'contains', 'values']);
    const fp = c.str(fo.path, `${p}.path`) ?? '';
    if (fp.startsWith('/') || fp.split(/[\\/]/).includes('..')) c.err(`${p}.path`, 'must be a path inside the workspace');
    const fs: Extract<CheckSpec, { type: 'file' }> = { type: 'file', path: fp };
    if (fo.contains !== undefined) fs.contains = c.strings(fo.contains, `${p}.contains`);
    if (fo.values !== undefined) {
      const vo = c.obj(fo.values, `${p}.values`);
      if (vo) {
        c.keys(vo, `${p}.values`, ['target', 'cel']);
        const to = c.obj(vo.target, `${p}.values.target`);
        const expr = c.str(vo.cel, `${p}.values.cel`) ?? '';
        if (expr) {
          const r = compileCel(expr, 'strings');
          if (r.ok) compiled.program = r.program;
          else c.err(`${p}.values.cel`, `${JSON.stringify(expr)} does not compile: ${r.error}`);
        }
        fs.values = { target: to ? target(c, to, `${p}.values.target`, []) : { kind: '' }, expr };
      }
    }
    if (!fs.contains && !fs.values) c.err(p, 'needs contains or values');
    spec = fs;
  } else {
    const to = c.obj(o[type], p);
    if (!to) return undefined;
    if (type === 'endpoints') {
      c.keys(to, p, ['service', 'namespace', 'count', 'min']);
      const name = c.str(to.service, `${p}.service`) ?? '';
      const t: Target = { kind: 'Service', name };
      if (typeof to.namespace === 'string') t.namespace = to.namespace;
      spec = { type, target: t, count: c.int(to.count, `${p}.count`, true), min: c.int(to.min, `${p}.min`, true) };
    } else if (type === 'count') {
      const t = target(c, to, p, ['equals', 'min', 'max']);
      spec = { type, target: t, equals: c.int(to.equals, `${p}.equals`, true), min: c.int(to.min, `${p}.min`, true), max: c.int(to.max, `${p}.max`, true) };
      if (spec.equals === undefined && spec.min === undefined && spec.max === undefined) c.err(p, 'needs equals, min or max');
    } else if (type === 'ready') {
      const t = target(c, to, p, ['replicas']);
      if (t.kind && !['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(t.kind)) c.err(`${p}.kind`, 'ready works on Pod, Deployment, ReplicaSet, StatefulSet or DaemonSet');
      if (t.kind && t.kind !== 'Pod' && !t.name) c.err(`${p}.name`, `is required for a ${t.kind}`);
      spec = { type, target: t, replicas: c.int(to.replicas, `${p}.replicas`, true) };
    } else if (type === 'rolledOut') {
      const t = target(c, to, p, [], true);
      if (t.kind && !['Deployment', 'StatefulSet', 'DaemonSet'].includes(t.kind)) c.err(`${p}.kind`, 'rolledOut works on Deployment, StatefulSet or DaemonSet');
      spec = { type, target: t };
    } else {
      spec = { type, target: target(c, to, p, []) };
    }
  }
  if (!spec) return undefined;
  const out: LoadedCheck = { id, title, weight, spec, compiled };
  if (waitSeconds !== undefined) out.waitSeconds = waitSeconds;
  return out;
}

function step(c: Ctx, v: unknown, path: string): LoadedStep | undefined {
  const o = c.obj(v, path);
  if (!o) return undefined;
  c.keys(o, path, ['id', 'title', 'instructions', 'hints', 'solution', 'checks']);
  const id = c.str(o.id, `${path}.id`) ?? '';
  if (id && !ID_RE.test(id)) c.err(`${path}.id`, 'must be lower-case letters, digits and "-"');
  const hints = o.hints === undefined ? [] : Array.isArray(o.hints) ? o.hints.map((h, i) => c.text(h, `${path}.hints[${i}]`)) : (c.err(`${path}.hints`, 'must be a list'), []);
  const solution = c.strings(o.solution, `${path}.solution`);
  if (Array.isArray(o.solution) && !o.solution.length) c.err(`${path}.solution`, 'needs at least one command');
  let checks: LoadedCheck[] = [];
  if (!Array.isArray(o.checks) || !o.checks.length) c.err(`${path}.checks`, 'needs at least one check');
  else checks = o.checks.map((x, i) => check(c, x, `${path}.checks[${i}]`)).filter((x): x is LoadedCheck => !!x);
  const seen = new Set<string>();
  checks.forEach((k, i) => {
    if (seen.has(k.id)) c.err(`${path}.checks[${i}].id`, `duplicate check id "${k.id}"`);
    seen.add(k.id);
  });
  return { id, title: c.text(o.title, `${path}.title`), instructions: c.text(o.instructions, `${path}.instructions`), hints, solution, checks };
}

/** Validate a parsed lab.yaml. `file` is the path used in messages; `dirName` must match the id. */
export function validateLab(raw: unknown, file: string, dirName: string, dir: string, setup: Array<Record<string, unknown>>): LoadedLab {
  const c = new Ctx(file);
  const o = c.obj(raw, '(top level)') ?? {};
  c.keys(o, '', ['id', 'title', 'description', 'level', 'minutes', 'topics', 'environment', 'steps', 'exam', 'tests']);
  const id = c.str(o.id, 'id') ?? '';
  if (id && id !== dirName) c.err('id', `must match the folder name "${dirName}"`);
  if (id && !/^\d\d-[a-z0-9-]+$/.test(id)) c.err('id', 'must look like NN-slug (two digits, a dash, lower-case words)');
  const level = c.str(o.level, 'level') as Level;
  if (level && !LEVELS.includes(level)) c.err('level', `must be one of ${LEVELS.join(', ')}`);
  const minutes = c.int(o.minutes, 'minutes', false, 1) ?? 0;
  const topics = c.strings(o.topics, 'topics');
  const envO = o.environment === undefined ? {} : (c.obj(o.environment, 'environment') ?? {});
  c.keys(envO, 'environment', ['reset', 'namespace', 'fresh', 'simulator']);
  const reset = envO.reset ?? 'none';
  if (reset !== 'cluster' && reset !== 'none') c.err('environment.reset', 'must be "cluster" or "none"');
  const namespace = c.str(envO.namespace, 'environment.namespace', true) ?? 'default';
  if (envO.fresh !== undefined && typeof envO.fresh !== 'boolean') c.err('environment.fresh', 'must be true or false');
  const fresh = envO.fresh === true;
  if (fresh && namespace === 'default') c.err('environment.fresh', 'a fresh namespace needs environment.namespace other than default');
  const simulator = envO.simulator === undefined ? undefined : simulatorSetup(c, envO.simulator, reset);
  let steps: LoadedStep[] = [];
  if (!Array.isArray(o.steps) || !o.steps.length) c.err('steps', 'needs at least one step');
  else steps = o.steps.map((s, i) => step(c, s, `steps[${i}]`)).filter((s): s is LoadedStep => !!s);
  const stepIds = new Set<string>();
  steps.forEach((s, i) => {
    if (stepIds.has(s.id)) c.err(`steps[${i}].id`, `duplicate step id "${s.id}"`);
    stepIds.add(s.id);
  });
  let exam: LabDef['exam'];
  if (o.exam !== undefined) {
    const e = c.obj(o.exam, 'exam');
    if (e) {
      c.keys(e, 'exam', ['minutes']);
      exam = { minutes: c.int(e.minutes, 'exam.minutes', false, 1) ?? minutes };
    }
  }
  const tests = validateTests(c, o.tests, steps);
  const title = c.text(o.title, 'title');
  const description = c.text(o.description, 'description');
  if (c.errors.length) throw new LabFormatError(c.errors);
  const lab: LoadedLab = {
    id, dir, file, title, description, level, minutes, topics,
    environment: { reset: reset as 'cluster' | 'none', namespace, freshNamespace: fresh }, setup, steps, tests,
  };
  if (simulator) lab.environment.simulator = simulator;
  if (exam) lab.exam = exam;
  return lab;
}

/** The simulator's clock range (SimClock.MIN_SPEED..MAX_SPEED), repeated so labs stay engine-free. */
const SPEED_RANGE = [1, 600] as const;

function simulatorSetup(c: Ctx, v: unknown, reset: unknown): SimulatorSetup | undefined {
  const o = c.obj(v, 'environment.simulator');
  if (!o) return undefined;
  c.keys(o, 'environment.simulator', ['speed']);
  // Only the KubeLab simulator has these controls, and only a lab that resets it may assume one.
  if (reset !== 'cluster') c.err('environment.simulator', 'needs environment.reset: cluster (only the KubeLab simulator has these controls)');
  const out: SimulatorSetup = {};
  if (o.speed !== undefined) {
    const sp = o.speed;
    if (typeof sp !== 'number' || !Number.isFinite(sp) || sp < SPEED_RANGE[0] || sp > SPEED_RANGE[1]) c.err('environment.simulator.speed', `must be a number from ${SPEED_RANGE[0]} to ${SPEED_RANGE[1]}`);
    else out.speed = sp;
  }
  return out;
}

function validateTests(c: Ctx, v: unknown, steps: LoadedStep[]): LabDef['tests'] {
  const out: LabDef['tests'] = { alternatives: [], nearMisses: [] };
  if (v === undefined) return out;
  const o = c.obj(v, 'tests');
  if (!o) return out;
  c.keys(o, 'tests', ['alternatives', 'nearMisses']);
  const stepById = new Map(steps.map((s) => [s.id, s]));
  const list = (x: unknown, p: string) => (x === undefined ? [] : Array.isArray(x) ? x : (c.err(p, 'must be a list'), []));
  list(o.alternatives, 'tests.alternatives').forEach((a, i) => {
    const p = `tests.alternatives[${i}]`;
    const ao = c.obj(a, p);
    if (!ao) return;
    c.keys(ao, p, ['name', 'steps']);
    const alt: Alternative = { name: c.str(ao.name, `${p}.name`) ?? '', steps: {} };
    const so = c.obj(ao.steps, `${p}.steps`) ?? {};
    for (const [sid, cmds] of Object.entries(so)) {
      if (!stepById.has(sid)) c.err(`${p}.steps.${sid}`, `no step with id "${sid}"`);
      alt.steps[sid] = c.strings(cmds, `${p}.steps.${sid}`);
    }
    out.alternatives.push(alt);
  });
  list(o.nearMisses, 'tests.nearMisses').forEach((n, i) => {
    const p = `tests.nearMisses[${i}]`;
    const no = c.obj(n, p);
    if (!no) return;
    c.keys(no, p, ['name', 'step', 'commands', 'expectFail', 'waitSeconds']);
    const sid = c.str(no.step, `${p}.step`) ?? '';
    const st = stepById.get(sid);
    if (sid && !st) c.err(`${p}.step`, `no step with id "${sid}"`);
    const ef = c.obj(no.expectFail, `${p}.expectFail`) ?? {};
    c.keys(ef, `${p}.expectFail`, ['check', 'reasonContains']);
    const chk = c.str(ef.check, `${p}.expectFail.check`) ?? '';
    if (st && chk && !st.checks.some((k) => k.id === chk)) c.err(`${p}.expectFail.check`, `step "${sid}" has no check "${chk}"`);
    const nm: NearMiss = { name: c.str(no.name, `${p}.name`) ?? '', step: sid, commands: c.strings(no.commands, `${p}.commands`), expectFail: { check: chk, reasonContains: c.str(ef.reasonContains, `${p}.expectFail.reasonContains`) ?? '' } };
    const wait = c.int(no.waitSeconds, `${p}.waitSeconds`, true, 0);
    if (wait !== undefined) nm.waitSeconds = wait;
    out.nearMisses.push(nm);
  });
  return out;
}

/** One check on its own (tests, tooling): validated and compiled, or LabFormatError. */
export function parseCheck(raw: unknown, file = '(check)'): LoadedCheck {
  const c = new Ctx(file);
  const out = check(c, raw, 'check');
  if (c.errors.length || !out) throw new LabFormatError(c.errors);
  return out;
}
