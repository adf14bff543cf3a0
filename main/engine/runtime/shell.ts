// The shell interpreter: walks the AST from shell-parse.ts as a generator (see sys.ts), with the
// error wording of the image's /bin/sh (busybox ash, dash or bash).
import { parse, ShellSyntaxError, type Node, type Redirect, type Word } from './shell-parse.js';
import { captureSink, NULL_SINK, type Gen, type IO, type Proc, type Sink, type Step, type Sys } from './sys.js';
import { arith } from './arith.js';
import { BUILTINS } from './shell-builtins.js';

/** `exit` unwinds to the nearest shell or subshell */
export class ShellExit {
  constructor(readonly code: number) {}
}

export type Lookup = (name: string, sys: Sys) => ((argv: string[], p: Proc) => Gen) | undefined;

export interface Sh {
  proc: Proc;
  /** name used in error messages: "sh", "bash" */
  name: string;
  args: string[];
  status: number;
  traps: Map<string, string>;
  lookup: Lookup;
  vars: Map<string, string>;
  /** reading commands from a terminal (exec -it): bash words some errors without "line 1:" */
  interactive?: boolean;
}

export function notFound(sh: { name: string; proc: Proc; interactive?: boolean }, cmd: string): string {
  switch (sh.proc.sys.shell === 'dash' && sh.name === 'sh' ? 'dash' : sh.name === 'bash' ? 'bash' : 'busybox') {
    case 'dash': return `${sh.name}: 1: ${cmd}: not found\n`;
    case 'bash': return sh.interactive ? `bash: ${cmd}: command not found\n` : `bash: line 1: ${cmd}: command not found\n`;
    default: return `${sh.name}: ${cmd}: not found\n`;
  }
}

/** run a script as `sh -c`; pid1 = the shell is the container's PID 1 */
export function* runScript(src: string, proc: Proc, name: string, args: string[], lookup: Lookup): Gen {
  const sh: Sh = { proc, name, args, status: 0, traps: new Map(), lookup, vars: new Map() };
  let tree: Node;
  try {
    tree = parse(src);
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    proc.io.err.write(name === 'bash' ? `bash: -c: line 1: ${e.message}\n` : `${name}: ${proc.sys.shell === 'dash' ? '1: ' : ''}${e.message}\n`);
    return 2;
  }
  // like real shells, a lone simple command is exec'ed: it becomes PID 1 and receives signals itself
  const single = tree.k === 'list' && tree.items.length === 1 && !tree.items[0]!.bg && tree.items[0]!.node.k === 'simple';
  try {
    return yield* node(sh, tree, proc.io, single && proc.pid1);
  } catch (e) {
    if (e instanceof ShellExit) return e.code;
    throw e;
  }
}

export function* node(sh: Sh, n: Node, io: IO, execLast = false): Gen {
  switch (n.k) {
    case 'list': {
      let st = 0;
      for (const [i, it] of n.items.entries()) {
        yield* checkTrap(sh, io);
        if (it.bg) {
          const bgIo = { ...io, stdin: '' };
          const child: Sh = { ...sh, vars: new Map(sh.vars) };
          sh.proc.sys.spawn(subshell(child, it.node, bgIo));
          st = 0;
        } else st = yield* node(sh, it.node, io, execLast && i === n.items.length - 1);
        sh.status = st;
      }
      return st;
    }
    case 'andor': {
      let st = yield* node(sh, n.first, io);
      for (const r of n.rest) {
        if ((r.op === '&&') === (st === 0)) st = yield* node(sh, r.node, io);
        sh.status = st;
      }
      return st;
    }
    case 'pipe': {
      let stdin = io.stdin;
      let st = 0;
      for (const [i, c] of n.cmds.entries()) {
        const last = i === n.cmds.length - 1;
        const cap = captureSink();
        st = yield* subshell({ ...sh, vars: new Map(sh.vars) }, c, { out: last ? io.out : cap, err: io.err, stdin: stdin ?? '' });
        stdin = cap.text;
      }
      return n.negate ? (st === 0 ? 1 : 0) : st;
    }
    case 'while': {
      const rio = yield* redirect(sh, n.redirs, io);
      if (!rio) return 1;
      let st = 0;
      for (;;) {
        const c = yield* node(sh, n.cond, rio);
        if ((c === 0) === n.until) break;
        st = yield* node(sh, n.body, rio);
        yield* spin(sh);
      }
      return st;
    }
    case 'for': {
      const rio = yield* redirect(sh, n.redirs, io);
      if (!rio) return 1;
      let items: string[] = sh.args;
      if (n.items) {
        items = [];
        for (const w of n.items) items.push(...(yield* expand(sh, w)));
      }
      let st = 0;
      for (const v of items) {
        setVar(sh, n.name, v);
        st = yield* node(sh, n.body, rio);
        yield* spin(sh);
      }
      return st;
    }
    case 'if': {
      const rio = yield* redirect(sh, n.redirs, io);
      if (!rio) return 1;
      for (const b of n.branches) if ((yield* node(sh, b.cond, rio)) === 0) return yield* node(sh, b.body, rio);
      return n.otherwise ? yield* node(sh, n.otherwise, rio) : 0;
    }
    case 'group': {
      const rio = yield* redirect(sh, n.redirs, io);
      if (!rio) return 1;
      return n.subshell ? yield* subshell({ ...sh, vars: new Map(sh.vars) }, n.body, rio) : yield* node(sh, n.body, rio);
    }
    case 'simple':
      return yield* simple(sh, n, io, execLast);
  }
}

function* subshell(sh: Sh, n: Node, io: IO): Gen {
  try {
    return yield* node(sh, n, io);
  } catch (e) {
    if (e instanceof ShellExit) return e.code;
    throw e;
  }
}

/** a loop that never sleeps still has to give time back: it burns a CPU in simulated time */
function* spin(sh: Sh): Generator<Step, void, void> {
  if (++sh.proc.sys.spin >= 20) {
    sh.proc.sys.spin = 0;
    yield { sleep: 1000, burn: true };
  }
}

export function* checkTrap(sh: Sh, io: IO): Generator<Step, void, void> {
  const sig = sh.proc.sys.pendingSignal;
  if (!sig) return;
  sh.proc.sys.pendingSignal = undefined;
  const action = sh.traps.get(sig);
  if (action) yield* node(sh, parse(action), io);
}

function getVar(sh: Sh, name: string): string | undefined {
  if (/^[0-9]$/.test(name)) return name === '0' ? sh.name : sh.args[Number(name) - 1];
  switch (name) {
    case '?': return String(sh.status);
    case '$': return sh.proc.pid1 ? '1' : '7';
    case '#': return String(sh.args.length);
    case '@':
    case '*': return sh.args.join(' ');
    case '!': return '9';
    case '-': return '';
    case 'RANDOM': return String((sh.proc.sys.now() * 7919) % 32768);
  }
  return sh.vars.get(name) ?? sh.proc.env.get(name);
}

export function setVar(sh: Sh, name: string, v: string): void {
  if (sh.proc.env.has(name)) sh.proc.env.set(name, v);
  else sh.vars.set(name, v);
}

function lexArith(expr: string): Word {
  const w: Word = [];
  for (const m of expr.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*|[0-9#?])\}?|[^$]+|\$/g)) {
    w.push(m[1] ? { t: 'var', name: m[1], q: true } : { t: 'lit', v: m[0], q: true });
  }
  return w;
}

function globToRe(p: string): RegExp {
  return new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '.'));
}

function* expandPart(sh: Sh, part: Word[number]): Generator<Step, string, void> {
  switch (part.t) {
    case 'lit': return part.v;
    case 'arith': {
      // $VAR inside $(( )) expands first; bare names are read by the evaluator itself
      const src = (yield* expand(sh, lexArith(part.expr), true)).join('');
      return String(arith(src, (n) => getVar(sh, n) ?? '', (n, v) => setVar(sh, n, v)));
    }
    case 'cmd': {
      const cap = captureSink();
      const child: Sh = { ...sh, vars: new Map(sh.vars) };
      const tree = parse(part.src);
      sh.status = yield* subshell(child, tree, { out: cap, err: sh.proc.io.err, stdin: '' });
      return cap.text.replace(/\n+$/, '');
    }
    case 'var': {
      if (part.name.startsWith('#') && part.name.length > 1) return String((getVar(sh, part.name.slice(1)) ?? '').length);
      const v = getVar(sh, part.name);
      if (!part.op) return v ?? '';
      const arg = () => expand(sh, part.arg ?? [], true);
      const empty = v === undefined || (part.op.startsWith(':') && v === '');
      switch (part.op.replace(':', '')) {
        case '-': return empty ? (yield* arg()).join('') : v!;
        case '=': {
          if (!empty) return v!;
          const a = (yield* arg()).join('');
          setVar(sh, part.name, a);
          return a;
        }
        case '+': return empty ? '' : (yield* arg()).join('');
        case '?': {
          if (!empty) return v!;
          const a = (yield* arg()).join('') || 'parameter not set';
          sh.proc.io.err.write(`${sh.name}: ${part.name}: ${a}\n`);
          throw new ShellExit(sh.proc.sys.shell === 'dash' ? 2 : 1);
        }
        default: {
          const pat = (yield* arg()).join('');
          const s = v ?? '';
          const re = globToRe(pat);
          if (part.op.startsWith('#')) {
            const lens = [...Array(s.length + 1).keys()];
            if (part.op === '##') lens.reverse();
            for (const l of lens) if (re.test(s.slice(0, l)) && new RegExp(re.source + '$').test(s.slice(0, l))) return s.slice(l);
            return s;
          }
          const starts = [...Array(s.length + 1).keys()];
          if (part.op === '%') starts.reverse();
          for (const st of starts) if (new RegExp(re.source + '$').test(s.slice(st))) return s.slice(0, st);
          return s;
        }
      }
    }
  }
}

/** expand a word to fields: unquoted expansions split on whitespace (no globbing) */
export function* expand(sh: Sh, w: Word, noSplit = false): Generator<Step, string[], void> {
  const fields: string[] = [];
  let cur = '';
  let has = false;
  for (const part of w) {
    const v = yield* expandPart(sh, part);
    if (part.q || part.t === 'lit' || noSplit) {
      cur += v;
      has = has || part.q || v !== '';
      continue;
    }
    const pieces = v.split(/[ \t\n]+/);
    for (const [i, piece] of pieces.entries()) {
      if (i > 0 && has) {
        fields.push(cur);
        cur = '';
        has = false;
      }
      cur += piece;
      has = has || piece !== '';
    }
  }
  if (has) fields.push(cur);
  return fields;
}

export function resolvePath(proc: Proc, p: string): string {
  return p.startsWith('/') ? p : `${proc.cwd.replace(/\/$/, '')}/${p}`;
}

/** a sink writing into the container's filesystem (immediately, so exec sees it) */
export function fileSink(sys: Sys, path: string, append: boolean): Sink {
  if (path === '/dev/null') return NULL_SINK;
  if (!append) sys.files.set(path, '');
  return { write: (t) => sys.files.set(path, (sys.files.get(path) ?? '') + t) };
}

function* redirect(sh: Sh, redirs: Redirect[], io: IO): Generator<Step, IO | undefined, void> {
  if (!redirs.length) return io;
  const out: IO = { ...io };
  for (const r of redirs) {
    const target = (yield* expand(sh, r.target, true)).join('');
    let sink: Sink | undefined;
    if (r.op === '>&') sink = target === '1' ? out.out : target === '2' ? out.err : undefined;
    else if (r.op === '<') {
      const p = resolvePath(sh.proc, target);
      const c = p === '/dev/null' ? '' : sh.proc.sys.files.get(p);
      if (c === undefined) {
        sh.proc.io.err.write(`${sh.name}: can't open ${target}: no such file\n`);
        return undefined;
      }
      out.stdin = c;
      continue;
    } else if (['/dev/stdout', '/proc/1/fd/1', '/proc/self/fd/1'].includes(target)) sink = sh.proc.io.out;
    else if (['/dev/stderr', '/proc/1/fd/2', '/proc/self/fd/2'].includes(target)) sink = sh.proc.io.err;
    else {
      const p = resolvePath(sh.proc, target);
      const dir = p.slice(0, p.lastIndexOf('/')) || '/';
      if (!sh.proc.sys.dirs.has(dir)) {
        sh.proc.io.err.write(`${sh.name}: can't create ${target}: nonexistent directory\n`);
        return undefined;
      }
      sink = fileSink(sh.proc.sys, p, r.op === '>>');
    }
    if (!sink) continue;
    if (r.fd === 1) out.out = sink;
    else if (r.fd === 2) out.err = sink;
  }
  return out;
}

function* simple(sh: Sh, n: Extract<Node, { k: 'simple' }>, io: IO, exec: boolean): Gen {
  const argv: string[] = [];
  for (const w of n.words) argv.push(...(yield* expand(sh, w)));
  const assigned = new Map<string, string>();
  for (const a of n.assigns) assigned.set(a.name, (yield* expand(sh, a.value, true)).join(''));
  const rio = yield* redirect(sh, n.redirs, io);
  if (!rio) return 1;
  if (!argv.length) {
    for (const [k, v] of assigned) setVar(sh, k, v);
    return 0;
  }
  const [cmd, ...args] = argv as [string, ...string[]];
  const builtin = BUILTINS[cmd];
  if (builtin) return yield* builtin(sh, args, rio);
  const prog = sh.lookup(cmd, sh.proc.sys);
  if (!prog) {
    rio.err.write(notFound(sh, cmd));
    return 127;
  }
  const env = new Map(sh.proc.env);
  for (const [k, v] of assigned) env.set(k, v);
  return yield* prog(argv, { sys: sh.proc.sys, io: rio, env, cwd: sh.proc.cwd, pid1: exec });
}
