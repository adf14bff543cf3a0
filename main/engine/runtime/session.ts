// `kubectl exec` inside a running container: a program driven on the simulated clock (its sleeps
// and network timeouts take simulated time), and interactive shells. With a TTY the client sends
// raw keystrokes and the terminal's work is ours: echo, backspace, Ctrl-C/Ctrl-D, CRLF output.
import type { Clock, TimerHandle } from '../clock.js';
import { node, ShellExit, type Lookup, type Sh } from './shell.js';
import { parse, ShellSyntaxError } from './shell-parse.js';
import type { ExecOptions, ExecSession } from './types.js';
import type { Gen, Proc, Step, Sys } from './sys.js';

const SHELLS = new Set(['sh', 'ash', 'bash', 'dash', 'zsh']);
/** programs that read stdin when given no file: with -i (no tty) they run once stdin is complete */
const READERS = new Set(['cat', 'wc', 'grep', 'head', 'tail', 'sort', 'tee', 'base64', 'md5sum', 'sha256sum', 'tr', 'sed', 'awk', 'xargs', 'sh', 'bash', 'ash']);

export interface ExecContext {
  sys: Sys;
  env: Map<string, string>;
  cwd: string;
  clock: Clock;
  lookup: Lookup;
}

type Out = (stream: 'stdout' | 'stderr', text: string) => void;

/** drives one program generator on the clock until it returns (or is interrupted) */
class Runner {
  private timer?: TimerHandle;
  private stopped = false;
  constructor(
    private gen: Gen,
    private clock: Clock,
    private done: (code: number) => void,
    private crash: (e: unknown) => void,
  ) {}

  /** separate from the constructor: a program may finish synchronously, before the caller keeps the runner */
  start(): this {
    this.step();
    return this;
  }

  private step(): void {
    if (this.stopped) return;
    let r: IteratorResult<Step, number>;
    try {
      r = this.gen.next();
    } catch (e) {
      // `exit` unwinds as a ShellExit: the caller decides whether that ends the session
      this.stopped = true;
      this.crash(e);
      return;
    }
    if (r.done) {
      this.stopped = true;
      this.done(r.value);
      return;
    }
    const s = r.value;
    if ('sleep' in s) this.timer = this.clock.after(s.sleep, () => this.step());
    else if ('wait' in s) this.timer = this.clock.after(0, () => this.step()); // background jobs of an exec are not kept
    // 'forever': only an interrupt ends it
  }

  /** SIGINT/SIGKILL: the program stops where it is */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }
}

function promptFor(sh: Sh, proc: Proc): string {
  const cwd = proc.cwd;
  if (sh.name === 'bash') return `root@${proc.sys.hostname}:${cwd === '/root' ? '~' : cwd}# `;
  if (proc.sys.shell === 'dash') return '# ';
  return `${cwd} # `;
}

export function openExec(command: string[], opts: ExecOptions, ctx: ExecContext): ExecSession {
  const outCbs: Out[] = [];
  const exitCbs: ((e: { exitCode: number; startError?: string }) => void)[] = [];
  let exit: { exitCode: number; startError?: string } | undefined;
  const early: Array<[Parameters<Out>[0], string]> = [];
  const emit: Out = (stream, text) => {
    if (exit || !text) return;
    // a terminal turns \n into \r\n (ONLCR) and has a single output stream
    const t = opts.tty ? text.replace(/\r?\n/g, '\r\n') : text;
    const s = opts.tty ? 'stdout' : stream;
    if (outCbs.length) for (const cb of outCbs) cb(s, t);
    else early.push([s, t]);
  };
  let runner: Runner | undefined;
  const finish = (exitCode: number, startError?: string) => {
    if (exit) return;
    runner?.stop();
    exit = { exitCode, startError };
    for (const cb of exitCbs.splice(0)) cb(exit);
  };
  const sys: Sys = { ...ctx.sys, spawn: () => {}, onTerm: () => {}, listen: () => {}, spin: 0, bgRunning: () => 0, pendingSignal: undefined };
  const proc: Proc = {
    sys,
    io: { out: { write: (t) => emit('stdout', t) }, err: { write: (t) => emit('stderr', t) }, stdin: '', tty: opts.tty },
    env: new Map(ctx.env),
    cwd: ctx.cwd,
    pid1: false,
  };
  const crash = (e: unknown) => {
    if (e instanceof ShellExit) return finish(e.code);
    emit('stderr', `${e instanceof Error ? e.message : String(e)}\n`);
    finish(2);
  };

  const [cmd, ...rest] = command;
  const base = (cmd ?? '').split('/').pop()!;
  const prog = cmd === undefined ? undefined : ctx.lookup(cmd, sys);
  const session: ExecSession = {
    input: () => {},
    closeStdin: () => {},
    onOutput(cb) {
      outCbs.push(cb);
      for (const [s, t] of early.splice(0)) cb(s, t);
    },
    onExit(cb) {
      if (exit) cb(exit);
      else exitCbs.push(cb);
    },
    kill: () => finish(137),
  };
  if (!prog) {
    const msg = `OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd ?? ''}": executable file not found in $PATH: unknown`;
    ctx.clock.after(0, () => finish(126, msg));
    return session;
  }
  const interactiveShell = SHELLS.has(base) && opts.stdin && !rest.some((a) => !a.startsWith('-') || /^-[a-z]*c/.test(a));
  if (interactiveShell) return shellSession(session, proc, base, opts, ctx, emit, finish);

  const run = (stdin: string) => {
    proc.io.stdin = stdin;
    runner = new Runner(prog(command, proc), ctx.clock, (c) => finish(c), crash);
    runner.start();
  };
  const script = base !== cmd || SHELLS.has(base) ? (rest.find((a, i) => /^-[a-z]*c$/.test(rest[i - 1] ?? '')) ?? '') : '';
  const reads = opts.stdin && !opts.tty && READERS.has(base) && (SHELLS.has(base) ? /\b(read|cat|wc|grep|head|tail|sort|tee)\b/.test(script) : rest.every((a) => a.startsWith('-')));
  if (reads) {
    let buf = '';
    session.input = (d) => void (buf += d);
    session.closeStdin = () => run(buf);
  } else {
    // a TTY's Ctrl-C interrupts the foreground program (exit 130, the terminal shows ^C)
    if (opts.tty) session.input = (d) => d.includes('\x03') && (emit('stdout', '^C'), finish(130));
    ctx.clock.after(0, () => !exit && run(''));
  }
  return session;
}

function shellSession(
  session: ExecSession,
  proc: Proc,
  name: string,
  opts: ExecOptions,
  ctx: ExecContext,
  emit: Out,
  finish: (code: number) => void,
): ExecSession {
  const shName = name === 'bash' ? 'bash' : 'sh';
  const sh: Sh = { proc, name: shName, args: [], status: 0, traps: new Map(), lookup: ctx.lookup, vars: new Map(), interactive: opts.tty };
  let line = '';
  let pending = ''; // an unfinished compound command (if … / for … / open quote)
  let queued = ''; // keystrokes typed while a command runs
  let running: Runner | undefined;
  let escape = 0; // inside an ANSI escape sequence (arrow keys): ignored
  // a shell reading a pipe prompts for nothing
  const prompt = () => opts.tty && emit('stdout', pending ? '> ' : promptFor(sh, proc));

  const execute = (src: string) => {
    let tree;
    try {
      tree = parse(src);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      if (/end of file|unterminated/.test(e.message)) {
        pending = src + '\n';
        return prompt();
      }
      pending = '';
      emit('stderr', shName === 'bash' ? `bash: ${e.message}\n` : `${shName}: ${e.message}\n`);
      sh.status = 2;
      return prompt();
    }
    pending = '';
    const r = new Runner(
      node(sh, tree, proc.io),
      ctx.clock,
      (code) => {
        running = undefined;
        sh.status = code;
        prompt();
        drain();
      },
      (e) => {
        running = undefined;
        if (e instanceof ShellExit) {
          if (opts.tty && shName === 'bash') emit('stdout', 'exit\n');
          return finish(e.code);
        }
        emit('stderr', `${e instanceof Error ? e.message : String(e)}\n`);
        prompt();
      },
    );
    running = r;
    r.start();
  };
  const submit = (text: string) => {
    const src = pending + text;
    if (!src.trim()) return prompt();
    execute(src);
  };
  const key = (c: string) => {
    if (escape) {
      if (escape === 1 && c === '[') escape = 2;
      else if (escape === 1 || /[A-Za-z~]/.test(c)) escape = 0;
      return;
    }
    if (running) {
      if (c === '\x03') {
        running.stop();
        running = undefined;
        queued = '';
        emit('stdout', '^C\n');
        sh.status = 130;
        prompt();
      } else queued += c;
      return;
    }
    switch (c) {
      case '\x1b':
        escape = 1;
        return;
      case '\r':
      case '\n': {
        if (opts.tty) emit('stdout', '\n');
        const l = line;
        line = '';
        return submit(l);
      }
      case '\x7f':
      case '\b':
        if (line && opts.tty) emit('stdout', '\b \b');
        line = line.slice(0, -1);
        return;
      case '\x03':
        if (opts.tty) emit('stdout', '^C\n');
        line = '';
        pending = '';
        return prompt();
      case '\x04':
        if (line) return;
        if (opts.tty) emit('stdout', shName === 'bash' ? 'exit\n' : '\n');
        return finish(sh.status);
      case '\x15': // Ctrl-U
        if (opts.tty) emit('stdout', '\b \b'.repeat(line.length));
        line = '';
        return;
      case '\t':
      case '\x0c':
        return;
    }
    if (c < ' ') return;
    line += c;
    if (opts.tty) emit('stdout', c);
  };
  const drain = () => {
    const q = queued;
    queued = '';
    for (const c of q) key(c);
  };
  session.input = (data) => {
    for (const c of data) key(c);
  };
  session.closeStdin = () => {
    if (opts.tty) {
      // the terminal went away (an attach with stdinOnce left): the shell reads EOF
      running?.stop();
      return finish(sh.status);
    }
    const rest = line;
    line = '';
    // a shell reading a pipe runs what is left, then ends with the last status
    if (rest.trim() || pending) submit(rest);
    const end = () => (running ? ctx.clock.after(0, end) : finish(sh.status));
    end();
  };
  if (opts.tty) ctx.clock.after(0, prompt);
  return session;
}
