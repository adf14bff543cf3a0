// Everyday utilities (busybox / coreutils flavoured) and the shells themselves.
import { runScript, type Lookup } from './shell.js';
import { done, NULL_SINK, parseBytes, parseDuration, strftime, type Gen, type Proc, type Program } from './sys.js';

const gnu = (p: Proc) => p.sys.shell !== 'busybox';

function out(p: Proc, s: string): Gen {
  p.io.out.write(s);
  return done(0);
}

function fail(p: Proc, msg: string, code = 1): Gen {
  p.io.err.write(msg + '\n');
  return done(code);
}

function readFile(p: Proc, cmd: string, f: string): string | undefined {
  const path = f.startsWith('/') ? f : `${p.cwd.replace(/\/$/, '')}/${f}`;
  const c = p.sys.files.get(path);
  if (c === undefined) {
    if (p.sys.dirs.has(path)) p.io.err.write(gnu(p) ? `${cmd}: ${f}: Is a directory\n` : `${cmd}: read error: Is a directory\n`);
    else p.io.err.write(gnu(p) ? `${cmd}: ${f}: No such file or directory\n` : `${cmd}: can't open '${f}': No such file or directory\n`);
  }
  return c;
}

function unescape(s: string): string {
  return s.replace(/\\(n|t|\\|c|r)/g, (_, c: string) => ({ n: '\n', t: '\t', '\\': '\\', c: '', r: '\r' })[c]!);
}

function* sleepFor(p: Proc, a: string[]): Gen {
  if (!a.length) return yield* fail(p, gnu(p) ? 'sleep: missing operand' : 'sleep: applet usage: sleep [N]...');
  let ms = 0;
  for (const x of a) {
    const d = parseDuration(x);
    if (d === undefined) return yield* fail(p, gnu(p) ? `sleep: invalid time interval '${x}'` : `sleep: invalid number '${x}'`);
    ms += d;
  }
  p.sys.spin = 0;
  if (ms === Infinity) yield { forever: true };
  else if (ms > 0) yield { sleep: ms };
  return 0;
}

function test(a: string[], files: Proc['sys']): boolean {
  const arg = a;
  if (arg[0] === '!') return !test(arg.slice(1), files);
  const ai = arg.indexOf('-a');
  if (ai > 0) return test(arg.slice(0, ai), files) && test(arg.slice(ai + 1), files);
  const oi = arg.indexOf('-o');
  if (oi > 0) return test(arg.slice(0, oi), files) || test(arg.slice(oi + 1), files);
  if (arg.length === 0) return false;
  if (arg.length === 1) return arg[0] !== '';
  if (arg.length === 2) {
    const [op, v] = arg as [string, string];
    switch (op) {
      case '-z': return v === '';
      case '-n': return v !== '';
      case '-f': case '-r': case '-s': return files.files.has(v) && (op !== '-s' || files.files.get(v) !== '');
      case '-d': return files.dirs.has(v);
      case '-e': return files.files.has(v) || files.dirs.has(v);
      case '-x': return false;
    }
    return false;
  }
  const [l, op, r] = arg as [string, string, string];
  const n = (x: string) => Number.parseInt(x, 10);
  switch (op) {
    case '=': case '==': return l === r;
    case '!=': return l !== r;
    case '-eq': return n(l) === n(r);
    case '-ne': return n(l) !== n(r);
    case '-lt': return n(l) < n(r);
    case '-le': return n(l) <= n(r);
    case '-gt': return n(l) > n(r);
    case '-ge': return n(l) >= n(r);
  }
  return false;
}

function linesOf(s: string): string[] {
  const l = s.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** stress(1) as in polinux/stress: its --vm workers allocate memory the container is charged for */
function* stress(p: Proc, a: string[]): Gen {
  const opt = (names: string[]) => {
    const i = a.findIndex((x) => names.includes(x));
    return i >= 0 ? a[i + 1] : undefined;
  };
  const vm = Number(opt(['--vm', '-m']) ?? 0);
  const cpu = Number(opt(['--cpu', '-c']) ?? 0);
  const bytes = parseBytes(opt(['--vm-bytes']) ?? '256M') ?? 256 * 1024 * 1024;
  p.io.err.write(`stress: info: [1] dispatching hogs: ${cpu} cpu, 0 io, ${vm} vm, 0 hdd\n`);
  if (vm > 0) p.sys.setMemory(vm * bytes);
  const timeout = opt(['--timeout', '-t']);
  const ms = timeout ? parseDuration(timeout) : undefined;
  if (ms !== undefined && ms !== Infinity) {
    yield { sleep: ms, burn: cpu > 0 || vm > 0 };
    p.sys.setMemory(0);
    p.io.err.write(`stress: info: [1] successful run completed in ${Math.round(ms / 1000)}s\n`);
    return 0;
  }
  yield { forever: true, burn: cpu > 0 };
  return 0;
}

export function shellProgram(name: string, lookup: Lookup): Program {
  return function* (argv, p) {
    let i = 1;
    let script: string | undefined;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (!a.startsWith('-') || a === '-') break;
      if (a.includes('c')) {
        script = argv[++i];
        if (script === undefined) return yield* fail(p, `${name}: -c requires an argument`, 2);
        i++;
        break;
      }
    }
    if (script !== undefined) return yield* runScript(script, p, name, argv.slice(i + 1).length ? argv.slice(i + 1) : [], lookup);
    const file = argv[i];
    if (file === undefined) return 0; // no tty and an empty stdin: an interactive shell ends at once
    const src = p.sys.files.get(file);
    if (src === undefined) return yield* fail(p, `${name}: can't open '${file}': No such file or directory`, 2);
    return yield* runScript(src, p, name, argv.slice(i + 1), lookup);
  };
}

export const UTILITIES: Record<string, Program> = {
  echo(argv, p) {
    let a = argv.slice(1);
    let nl = true;
    let esc = p.sys.shell === 'dash';
    while (a[0] && /^-[neE]+$/.test(a[0])) {
      if (a[0].includes('n')) nl = false;
      if (a[0].includes('e')) esc = true;
      a = a.slice(1);
    }
    const s = a.join(' ');
    return out(p, (esc ? unescape(s) : s) + (nl ? '\n' : ''));
  },
  printf(argv, p) {
    const fmt = argv[1] ?? '';
    let args = argv.slice(2);
    let s = '';
    do {
      s += unescape(fmt).replace(/%([-0-9.]*)([sdi%])/g, (_, _w: string, c: string) => (c === '%' ? '%' : c === 's' ? (args.shift() ?? '') : String(Number.parseInt(args.shift() ?? '0', 10) || 0)));
    } while (args.length && /%[sdi]/.test(fmt) && (args = args.slice(0)).length);
    return out(p, s);
  },
  sleep: (argv, p) => sleepFor(p, argv.slice(1)),
  printenv(argv, p) {
    if (argv.length > 1) {
      const vals = argv.slice(1).map((k) => p.env.get(k));
      const found = vals.filter((v) => v !== undefined);
      p.io.out.write(found.map((v) => v + '\n').join(''));
      return done(found.length === vals.length ? 0 : 1);
    }
    return out(p, [...p.env].map(([k, v]) => `${k}=${v}\n`).join(''));
  },
  env(argv, p) {
    if (argv.length > 1) return fail(p, 'env: running commands is not supported here', 125);
    return out(p, [...p.env].map(([k, v]) => `${k}=${v}\n`).join(''));
  },
  date(argv, p) {
    const fmt = argv.find((x) => x.startsWith('+'));
    return out(p, strftime(p.sys.now(), fmt ? fmt.slice(1) : '%a %b %e %H:%M:%S UTC %Y') + '\n');
  },
  hostname: (_a, p) => out(p, p.sys.hostname + '\n'),
  whoami: (_a, p) => out(p, 'root\n'),
  id: (_a, p) => out(p, 'uid=0(root) gid=0(root) groups=0(root)' + (gnu(p) ? '' : ',10(wheel)') + '\n'),
  uname: (argv, p) => out(p, argv.includes('-a') ? `Linux ${p.sys.hostname} 6.8.0-kubelab #1 SMP x86_64 GNU/Linux\n` : 'Linux\n'),
  cat(argv, p) {
    const fs = argv.slice(1).filter((x) => x !== '--');
    if (!fs.length) return out(p, p.io.stdin ?? '');
    let code = 0;
    for (const f of fs) {
      const c = f === '-' ? (p.io.stdin ?? '') : readFile(p, 'cat', f);
      if (c === undefined) code = 1;
      else p.io.out.write(c);
    }
    return done(code);
  },
  ls(argv, p) {
    const targets = argv.slice(1).filter((x) => !x.startsWith('-'));
    const long = argv.some((x) => /^-[a-z]*l/.test(x));
    let code = 0;
    for (const t of targets.length ? targets : [p.cwd]) {
      const dir = t.replace(/(.)\/$/, '$1');
      if (p.sys.files.has(dir)) {
        p.io.out.write(t + '\n');
        continue;
      }
      if (!p.sys.dirs.has(dir)) {
        p.io.err.write(gnu(p) ? `ls: cannot access '${t}': No such file or directory\n` : `ls: ${t}: No such file or directory\n`);
        code = gnu(p) ? 2 : 1;
        continue;
      }
      const prefix = dir === '/' ? '/' : dir + '/';
      const names = new Set<string>();
      for (const f of [...p.sys.files.keys(), ...p.sys.dirs]) {
        if (f.startsWith(prefix) && f !== dir && f.length > prefix.length) names.add(f.slice(prefix.length).split('/')[0]!);
      }
      const sorted = [...names].sort();
      p.io.out.write(long ? sorted.map((n) => `${p.sys.dirs.has(prefix + n) ? 'd' : '-'}rw-r--r--    1 root     root  ${n}\n`).join('') : sorted.map((n) => n + '\n').join(''));
    }
    return done(code);
  },
  touch(argv, p) {
    for (const f of argv.slice(1).filter((x) => !x.startsWith('-'))) if (!p.sys.files.has(f)) p.sys.files.set(f, '');
    return done(0);
  },
  rm(argv, p) {
    const force = argv.some((x) => /^-[a-z]*f/.test(x));
    let code = 0;
    for (const f of argv.slice(1).filter((x) => !x.startsWith('-'))) {
      if (p.sys.files.delete(f)) continue;
      const rec = argv.some((x) => /^-[a-z]*r/i.test(x));
      if (rec && p.sys.dirs.has(f)) {
        for (const k of [...p.sys.files.keys()]) if (k.startsWith(f + '/')) p.sys.files.delete(k);
        p.sys.dirs.delete(f);
        continue;
      }
      if (!force) {
        p.io.err.write(gnu(p) ? `rm: cannot remove '${f}': No such file or directory\n` : `rm: can't remove '${f}': No such file or directory\n`);
        code = 1;
      }
    }
    return done(code);
  },
  mkdir(argv, p) {
    for (const d of argv.slice(1).filter((x) => !x.startsWith('-'))) {
      const parts = d.replace(/\/$/, '').split('/');
      for (let i = 1; i <= parts.length; i++) p.sys.dirs.add(parts.slice(0, i).join('/') || '/');
    }
    return done(0);
  },
  test: (argv, p) => done(test(argv.slice(1), p.sys) ? 0 : 1),
  '[': (argv, p) => {
    if (argv[argv.length - 1] !== ']') return fail(p, '[: missing ]', 2);
    return done(test(argv.slice(1, -1), p.sys) ? 0 : 1);
  },
  '[[': (argv, p) => done(test(argv.slice(1, -1), p.sys) ? 0 : 1),
  seq(argv, p) {
    const n = argv.slice(1).map(Number);
    const [first, step, last] = n.length === 1 ? [1, 1, n[0]!] : n.length === 2 ? [n[0]!, 1, n[1]!] : [n[0]!, n[1]!, n[2]!];
    let s = '';
    for (let i = first, c = 0; step > 0 ? i <= last : i >= last; i += step, c++) {
      if (c > 100_000) break;
      s += i + '\n';
    }
    return out(p, s);
  },
  wc(argv, p) {
    const s = p.io.stdin ?? '';
    if (argv.includes('-l')) return out(p, linesOf(s).length + '\n');
    if (argv.includes('-c')) return out(p, s.length + '\n');
    return out(p, `${linesOf(s).length} ${s.split(/\s+/).filter(Boolean).length} ${s.length}\n`);
  },
  grep(argv, p) {
    const a = argv.slice(1);
    const flags = a.filter((x) => x.startsWith('-')).join('');
    const [pat, ...fs] = a.filter((x) => !x.startsWith('-'));
    if (pat === undefined) return fail(p, 'Usage: grep [OPTION]... PATTERNS [FILE]...', 2);
    const re = new RegExp(pat, flags.includes('i') ? 'i' : '');
    const text = fs.length ? fs.map((f) => readFile(p, 'grep', f) ?? '').join('') : (p.io.stdin ?? '');
    const hits = linesOf(text).filter((l) => re.test(l) !== flags.includes('v'));
    if (!flags.includes('q')) p.io.out.write(flags.includes('c') ? `${hits.length}\n` : hits.map((l) => l + '\n').join(''));
    return done(hits.length ? 0 : 1);
  },
  head(argv, p) {
    const short = argv.find((x) => /^-\d+$/.test(x)); // `head -4`, the historic form
    const n = short ? Number(short.slice(1)) : Number(argv[argv.indexOf('-n') + 1] ?? 10) || 10;
    const f = argv.slice(1).find((x, i, all) => !x.startsWith('-') && all[i - 1] !== '-n');
    const text = f ? (readFile(p, 'head', f) ?? '') : (p.io.stdin ?? '');
    return out(p, linesOf(text).slice(0, n).map((l) => l + '\n').join(''));
  },
  *tail(argv, p) {
    const follow = argv.some((x) => /^-[a-zA-Z]*[fF]/.test(x));
    const ni = argv.indexOf('-n');
    const short = argv.find((x) => /^-\d+$/.test(x));
    const n = short ? Number(short.slice(1)) : ni >= 0 ? Number(argv[ni + 1]) || 10 : 10;
    const f = argv.slice(1).find((x, i, all) => !x.startsWith('-') && all[i] !== argv[ni + 1]);
    const text = f && f !== '/dev/null' ? readFile(p, 'tail', f) : f ? '' : (p.io.stdin ?? '');
    if (text === undefined && !follow) return 1;
    p.io.out.write(linesOf(text ?? '').slice(-n).map((l) => l + '\n').join(''));
    if (follow) yield { forever: true };
    return 0;
  },
  *yes(argv, p) {
    const word = argv.slice(1).join(' ') || 'y';
    // without a reader the output goes nowhere fast: a pure CPU burner
    if (p.io.out === NULL_SINK) {
      yield { forever: true, burn: true };
    }
    for (;;) {
      p.io.out.write(`${word}\n`.repeat(10));
      yield { sleep: 1000, burn: true };
    }
  },
  stress: (argv, p) => stress(p, argv.slice(1)),
  kill(argv, p) {
    return argv.length > 1 ? done(0) : fail(p, 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]', 2);
  },
  basename: (argv, p) => out(p, (argv[1] ?? '').replace(/\/+$/, '').split('/').pop() + '\n'),
  dirname: (argv, p) => out(p, ((argv[1] ?? '').replace(/\/[^/]*$/, '') || '/') + '\n'),
  nproc: (_a, p) => out(p, '2\n'),
  ps(_a, p) {
    return out(p, gnu(p) ? '    PID TTY          TIME CMD\n      1 ?        00:00:00 sh\n' : 'PID   USER     TIME  COMMAND\n    1 root      0:00 sh\n');
  },
};
