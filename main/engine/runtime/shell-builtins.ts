// Shell builtins: the commands that change the shell's own state (exit, cd, export, trap, wait…).
import { parse } from './shell-parse.js';
import { checkTrap, node, notFound, resolvePath, setVar, ShellExit, type Sh } from './shell.js';
import type { Gen, IO } from './sys.js';

type Builtin = (sh: Sh, args: string[], io: IO) => Gen;

function* ret(code: number): Gen {
  return code;
}

export const BUILTINS: Record<string, Builtin> = {
  exit: (sh, a) => {
    throw new ShellExit(a[0] === undefined ? sh.status : Number(a[0]) & 255);
  },
  true: () => ret(0),
  ':': () => ret(0),
  false: () => ret(1),
  cd: (sh, a, io) => {
    const p = resolvePath(sh.proc, a[0] ?? '/root');
    if (!sh.proc.sys.dirs.has(p.replace(/(.)\/$/, '$1'))) {
      io.err.write(`${sh.name}: cd: can't cd to ${a[0]}: No such file or directory\n`);
      return ret(sh.proc.sys.shell === 'dash' ? 2 : 1);
    }
    sh.proc.cwd = p;
    return ret(0);
  },
  pwd: (sh, _a, io) => {
    io.out.write(sh.proc.cwd + '\n');
    return ret(0);
  },
  export: (sh, a) => {
    for (const x of a) {
      const eq = x.indexOf('=');
      const name = eq < 0 ? x : x.slice(0, eq);
      const v = eq < 0 ? (sh.vars.get(name) ?? sh.proc.env.get(name) ?? '') : x.slice(eq + 1);
      sh.vars.delete(name);
      sh.proc.env.set(name, v);
    }
    return ret(0);
  },
  unset: (sh, a) => {
    for (const x of a) {
      sh.vars.delete(x);
      sh.proc.env.delete(x);
    }
    return ret(0);
  },
  set: () => ret(0),
  shift: (sh, a) => {
    sh.args = sh.args.slice(Number(a[0] ?? 1));
    return ret(0);
  },
  trap: (sh, a) => {
    if (a.length < 2) return ret(0);
    const [action, ...sigs] = a as [string, ...string[]];
    for (const s of sigs) {
      const name = s.replace(/^SIG/, '').replace(/^15$/, 'TERM').replace(/^2$/, 'INT').replace(/^3$/, 'QUIT');
      if (action === '-') sh.traps.delete(name);
      else sh.traps.set(name, action === '' ? ':' : action);
    }
    return ret(0);
  },
  *wait(sh) {
    while (sh.proc.sys.bgRunning() > 0) {
      if (sh.proc.sys.pendingSignal && sh.traps.has(sh.proc.sys.pendingSignal)) {
        yield* checkTrap(sh, sh.proc.io);
        return 128 + 15;
      }
      yield { wait: true };
    }
    return 0;
  },
  *read(sh, a, io) {
    const lines = (io.stdin ?? '').split('\n');
    if (!io.stdin) return 1;
    const line = lines.shift() ?? '';
    io.stdin = lines.join('\n');
    const names = a.filter((x) => !x.startsWith('-'));
    const words = line.split(/\s+/);
    names.forEach((nm, i) => setVar(sh, nm, i === names.length - 1 ? words.slice(i).join(' ') : (words[i] ?? '')));
    return 0;
  },
  *eval(sh, a, io) {
    return yield* node(sh, parse(a.join(' ')), io);
  },
  *exec(sh, a, io) {
    if (!a.length) return 0;
    const prog = sh.lookup(a[0]!, sh.proc.sys);
    if (!prog) {
      io.err.write(notFound(sh, a[0]!));
      throw new ShellExit(127);
    }
    throw new ShellExit(yield* prog(a, { ...sh.proc, io, pid1: sh.proc.pid1 }));
  },
  *source(sh, a, io) {
    const src = sh.proc.sys.files.get(resolvePath(sh.proc, a[0] ?? ''));
    if (src === undefined) {
      io.err.write(`${sh.name}: can't open '${a[0]}': No such file or directory\n`);
      return 1;
    }
    return yield* node(sh, parse(src), io);
  },
};
BUILTINS['.'] = BUILTINS.source!;
