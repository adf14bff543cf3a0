import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { createRuntime } from './index.js';
import type { ExecOptions } from './types.js';

const T0 = Date.UTC(2026, 10, 23, 3, 22, 29);
const rt = createRuntime();

function open(image: string, command: string[], opts: ExecOptions, podName = 'web') {
  const clock = new ManualClock(T0);
  const pulled = rt.images.pull(image, new Set());
  if (!pulled.ok) throw new Error(pulled.message);
  const p = rt.start({ name: 'c', image: pulled.ref, command: ['sleep', 'infinity'], env: { GREETING: 'hi' }, hostname: podName, podIP: '10.244.1.9', files: { '/etc/config/mode': 'blue' } }, clock);
  const s = p.openExec!(command, opts);
  const out = { stdout: '', stderr: '' };
  let exit: { exitCode: number; startError?: string } | undefined;
  s.onOutput((stream, t) => (out[stream] += t));
  s.onExit((e) => (exit = e));
  const tick = (ms = 0) => clock.advance(ms);
  tick();
  /** type keystrokes, letting simulated time run after each chunk */
  const type = (...chunks: string[]) => {
    for (const c of chunks) {
      s.input(c);
      tick(10);
    }
  };
  return { s, out, exit: () => exit, tick, type, clock };
}

describe('interactive shell over a TTY', () => {
  it('busybox: prompt, echo of keystrokes, output in CRLF, exit code', () => {
    const t = open('busybox', ['sh'], { stdin: true, tty: true });
    expect(t.out.stdout).toBe('/ # ');
    t.type('echo hello\r', 'cd /tmp; pwd\r', 'exit 3\r');
    expect(t.out.stdout).toBe('/ # echo hello\r\nhello\r\n/ # cd /tmp; pwd\r\n/tmp\r\n/tmp # exit 3\r\n');
    expect(t.out.stderr).toBe('');
    expect(t.exit()).toEqual({ exitCode: 3 });
  });

  it.each([
    ['backspace erases on screen and in the line', 'ech\x7fho a\r', '/ # ech\b \bho a\r\na\r\n/ # '],
    ['Ctrl-C abandons the line', 'echo nope\x03', '/ # echo nope^C\r\n/ # '],
    ['arrow keys are ignored', 'echo\x1b[A x\r', '/ # echo x\r\nx\r\n/ # '],
    ['unknown command: 127 and the shell goes on', 'nope\recho $?\r', '/ # nope\r\nsh: nope: not found\r\n/ # echo $?\r\n127\r\n/ # '],
    ['an unfinished compound command continues on a > prompt', 'for i in 1 2; do\recho $i; done\r', '/ # for i in 1 2; do\r\n> echo $i; done\r\n1\r\n2\r\n/ # '],
    ['env, mounted files and variables persist across lines', 'X=5; cat /etc/config/mode\recho $X $GREETING\r', '/ # X=5; cat /etc/config/mode\r\nblue/ # echo $X $GREETING\r\n5 hi\r\n/ # '],
  ])('%s', (_name, keys, screen) => {
    const t = open('busybox', ['sh'], { stdin: true, tty: true });
    t.type(keys);
    expect(t.out.stdout).toBe(screen);
    expect(t.exit()).toBeUndefined();
  });

  it('Ctrl-D on an empty line ends the shell with the last status', () => {
    const t = open('busybox', ['sh'], { stdin: true, tty: true });
    t.type('false\r', '\x04');
    expect(t.exit()).toEqual({ exitCode: 1 });
  });

  it('a running command takes simulated time; Ctrl-C interrupts it', () => {
    const t = open('busybox', ['sh'], { stdin: true, tty: true });
    t.type('sleep 100\r');
    t.tick(50_000);
    expect(t.out.stdout).toBe('/ # sleep 100\r\n');
    t.type('\x03');
    expect(t.out.stdout).toBe('/ # sleep 100\r\n^C\r\n/ # ');
    t.type('echo $?\r');
    expect(t.out.stdout.endsWith('130\r\n/ # ')).toBe(true);
  });

  it('keystrokes typed during a command run after it', () => {
    const t = open('busybox', ['sh'], { stdin: true, tty: true });
    t.type('sleep 1\r', 'echo later\r');
    t.tick(2000);
    expect(t.out.stdout).toBe('/ # sleep 1\r\n/ # echo later\r\nlater\r\n/ # ');
  });

  it('debian bash: root@<pod> prompt, interactive wording, "exit" on leaving', () => {
    const t = open('nginx', ['bash'], { stdin: true, tty: true });
    t.type('cd /tmp\r', 'nope\r', 'exit\r');
    expect(t.out.stdout).toBe('root@web:/# cd /tmp\r\nroot@web:/tmp# nope\r\nbash: nope: command not found\r\nroot@web:/tmp# exit\r\nexit\r\n');
    expect(t.exit()).toEqual({ exitCode: 127 });
  });
});

describe('non-interactive exec', () => {
  it('a command runs at once; stderr stays separate; the exit code is reported', () => {
    const t = open('busybox', ['sh', '-c', 'echo out; echo err >&2; exit 3'], { stdin: false, tty: false });
    expect(t.out).toEqual({ stdout: 'out\n', stderr: 'err\n' });
    expect(t.exit()).toEqual({ exitCode: 3 });
  });

  it('sleep spends simulated time', () => {
    const t = open('busybox', ['sleep', '5'], { stdin: false, tty: false });
    t.tick(4000);
    expect(t.exit()).toBeUndefined();
    t.tick(1000);
    expect(t.exit()).toEqual({ exitCode: 0 });
  });

  it('a program not in the image is a start error (containerd wording)', () => {
    const t = open('busybox', ['foo'], { stdin: false, tty: false });
    expect(t.exit()).toEqual({ exitCode: 126, startError: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in $PATH: unknown' });
  });

  it('-i without a TTY: cat waits for the end of stdin; sh runs lines as they arrive', () => {
    const c = open('busybox', ['cat'], { stdin: true, tty: false });
    c.type('a\n', 'b\n');
    expect(c.out.stdout).toBe('');
    c.s.closeStdin();
    c.tick(10);
    expect(c.out.stdout).toBe('a\nb\n');
    expect(c.exit()).toEqual({ exitCode: 0 });

    const sh = open('busybox', ['sh'], { stdin: true, tty: false });
    sh.type('echo one\n');
    expect(sh.out.stdout).toBe('one\n');
    sh.type('exit 4\n');
    expect(sh.exit()).toEqual({ exitCode: 4 });
  });

  it('with a TTY a plain command still runs, output in CRLF, Ctrl-C stops it', () => {
    const t = open('busybox', ['sh', '-c', 'echo a; sleep 100'], { stdin: true, tty: true });
    expect(t.out.stdout).toBe('a\r\n');
    t.type('\x03');
    expect(t.exit()).toEqual({ exitCode: 130 });
  });
});

describe('an interactive shell as PID 1 (kubectl run -it -- sh)', () => {
  function pid1(stdinOnce: boolean) {
    const clock = new ManualClock(T0);
    const pulled = rt.images.pull('busybox', new Set());
    if (!pulled.ok) throw new Error(pulled.message);
    const p = rt.start({ name: 't', image: pulled.ref, args: ['sh'], env: {}, hostname: 't', podIP: '10.244.1.9', stdin: true, stdinOnce, tty: true }, clock);
    clock.advance(10);
    return { p, clock };
  }

  it('waits for input, answers an attached terminal, and its exit is the container exit', () => {
    const { p, clock } = pid1(true);
    expect(p.exited()).toBeUndefined();
    const a = p.attach!()!;
    let screen = '';
    a.onOutput((_s, t) => (screen += t));
    a.input('\r');
    clock.advance(10);
    a.input('echo hi\r');
    clock.advance(10);
    expect(screen).toBe('\r\n/ # echo hi\r\nhi\r\n/ # ');
    a.input('exit 2\r');
    clock.advance(10);
    expect(p.exited()).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(p.output().map((l) => l.text)).toContain('hi');
  });

  it('with stdinOnce, the first client leaving closes stdin: the shell ends', () => {
    const { p, clock } = pid1(true);
    p.attach!()!.detach();
    clock.advance(10);
    expect(p.exited()).toMatchObject({ exitCode: 0 });
  });

  it('without stdin the shell has nothing to read and ends at once; nothing to attach to', () => {
    const clock = new ManualClock(T0);
    const pulled = rt.images.pull('busybox', new Set());
    if (!pulled.ok) throw new Error(pulled.message);
    const p = rt.start({ name: 't', image: pulled.ref, args: ['sh'], env: {}, hostname: 't', podIP: '10.244.1.9' }, clock);
    clock.advance(10);
    expect(p.exited()).toMatchObject({ exitCode: 0 });
    expect(p.attach!()).toBeUndefined();
  });
});
