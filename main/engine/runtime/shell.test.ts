import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { createRuntime } from './index.js';

const T0 = Date.UTC(2026, 10, 23, 3, 22, 29);
const rt = createRuntime();

/** run `image` with command/args for `ms` of simulated time; lines as [ms since start, stream, text] */
function run(image: string, command: string[] | undefined, args?: string[], opts: { env?: Record<string, string>; files?: Record<string, string>; ms?: number } = {}) {
  const clock = new ManualClock(T0);
  const pulled = rt.images.pull(image, new Set());
  if (!pulled.ok) throw new Error(pulled.message);
  const p = rt.start(
    { name: 'c', image: pulled.ref, command, args, env: opts.env ?? {}, files: opts.files, hostname: 'demo', podIP: '10.244.1.7' },
    clock,
  );
  clock.advance(opts.ms ?? 60_000);
  return {
    lines: p.output().map((l) => [l.at - T0, l.stream === 'stdout' ? 'out' : 'err', l.text]),
    exit: p.exited(),
  };
}

const sh = (script: string) => ['sh', '-c', script];

describe('shell interpreter (busybox sh)', () => {
  it.each<[string, string[] | undefined, string[] | undefined, Array<[number, string, string]>, number | undefined]>([
    ['echo', ['echo', 'hello', 'world'], undefined, [[0, 'out', 'hello world']], 0],
    ['args only on busybox (no entrypoint)', undefined, ['echo', 'hi'], [[0, 'out', 'hi']], 0],
    ['exit code', sh('exit 3'), undefined, [], 3],
    ['sleep then echo', sh('echo start; sleep 5; echo end'), undefined, [[0, 'out', 'start'], [5000, 'out', 'end']], 0],
    ['sleep with suffix', sh('sleep 1m; echo later'), undefined, [[60_000, 'out', 'later']], 0],
    ['variables and quoting', sh('A=1; echo "$A ${B:-two}" \'$A\' $HOSTNAME'), undefined, [[0, 'out', '1 two $A demo']], 0],
    ['&& and ||', sh('false && echo no || echo yes; true && echo ok'), undefined, [[0, 'out', 'yes'], [0, 'out', 'ok']], 0],
    ['for over words', sh('for i in 1 2 3; do echo "n=$i"; sleep 1; done'), undefined, [[0, 'out', 'n=1'], [1000, 'out', 'n=2'], [2000, 'out', 'n=3']], 0],
    ['for over $(seq)', sh('for i in $(seq 1 3); do echo $i; done'), undefined, [[0, 'out', '1'], [0, 'out', '2'], [0, 'out', '3']], 0],
    ['while with arithmetic', sh('i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done'), undefined, [[0, 'out', '1'], [0, 'out', '2'], [0, 'out', '3']], 0],
    ['if / else', sh('if [ -f /etc/hostname ]; then echo yes; else echo no; fi'), undefined, [[0, 'out', 'yes']], 0],
    ['unknown command', sh('frobnicate --now'), undefined, [[0, 'err', 'sh: frobnicate: not found']], 127],
    ['cat missing file', sh('cat /nope'), undefined, [[0, 'err', "cat: can't open '/nope': No such file or directory"]], 1],
    ['cat a mounted file', sh('cat /config/app.conf'), undefined, [[0, 'out', 'debug=true']], 0],
    ['printenv', ['printenv', 'GREETING'], undefined, [[0, 'out', 'hello']], 0],
    ['printenv missing var', ['printenv', 'NOPE'], undefined, [], 1],
    ['redirect to file and read back', sh('echo saved > /tmp/x; echo more >> /tmp/x; cat /tmp/x'), undefined, [[0, 'out', 'saved'], [0, 'out', 'more']], 0],
    ['stderr redirect', sh('echo oops >&2'), undefined, [[0, 'err', 'oops']], 0],
    ['/dev/null swallows', sh('echo gone > /dev/null; echo kept'), undefined, [[0, 'out', 'kept']], 0],
    ['date', sh('date; date +%s'), undefined, [[0, 'out', 'Mon Nov 23 03:22:29 UTC 2026'], [0, 'out', String(T0 / 1000)]], 0],
    ['hostname and $(hostname)', sh('hostname; echo "I am $(hostname)"'), undefined, [[0, 'out', 'demo'], [0, 'out', 'I am demo']], 0],
    ['echo -n joins', sh('echo -n a; echo b'), undefined, [[0, 'out', 'ab']], 0],
    ['pipe to wc and grep', sh('seq 1 10 | grep 1 | wc -l'), undefined, [[0, 'out', '2']], 0],
    ['trap is accepted', sh("trap 'echo bye' TERM; echo up"), undefined, [[0, 'out', 'up']], 0],
    ['syntax error', sh('if true; then echo'), undefined, [[0, 'err', 'sh: syntax error: unexpected end of file']], 2],
    ['exit status of last command', sh('false'), undefined, [], 1],
    ['${#VAR} and $?', sh('V=hello; echo ${#V}; false; echo $?'), undefined, [[0, 'out', '5'], [0, 'out', '1']], 0],
    ['prefix/suffix removal', sh('F=/var/log/app.log; echo ${F##*/} ${F%.log} ${F#/var/}'), undefined, [[0, 'out', 'app.log /var/log/app log/app.log']], 0],
    ['arithmetic with $VAR', sh('N=4; echo $(( $N * 2 + 1 ))'), undefined, [[0, 'out', '9']], 0],
    ['cd, pwd, export', sh('cd /tmp && pwd; export X=1; printenv X'), undefined, [[0, 'out', '/tmp'], [0, 'out', '1']], 0],
    ['env lists the container environment', ['env'], undefined, [[0, 'out', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], [0, 'out', 'HOSTNAME=demo'], [0, 'out', 'GREETING=hello'], [0, 'out', 'HOME=/root']], 0],
    ['subshell exit does not end the script', sh('(exit 4); echo "status $?"'), undefined, [[0, 'out', 'status 4']], 0],
    ['background job and wait', sh('(sleep 2; echo bg) & echo fg; wait; echo after'), undefined, [[0, 'out', 'fg'], [2000, 'out', 'bg'], [2000, 'out', 'after']], 0],
    ['sh with no script exits at once (no tty)', ['sh'], undefined, [], 0],
  ])('%s', (_name, command, args, lines, code) => {
    const r = run('busybox:1.36', command, args, { env: { GREETING: 'hello' }, files: { '/config/app.conf': 'debug=true\n' } });
    expect(r.lines).toEqual(lines);
    expect(r.exit?.exitCode).toBe(code);
  });

  it('keeps running through a forever-sleep and an infinite loop without hanging', () => {
    expect(run('busybox', sh('sleep infinity')).exit).toBeUndefined();
    expect(run('busybox', sh('tail -f /dev/null')).exit).toBeUndefined();
    const r = run('busybox', sh('while true; do echo spin; done'), undefined, { ms: 3000 });
    expect(r.exit).toBeUndefined();
    // a loop with no sleep is throttled to a bounded rate in simulated time
    expect(r.lines.length).toBeGreaterThan(0);
    expect(r.lines.length).toBeLessThanOrEqual(100);
    expect(run('busybox', sh('yes > /dev/null')).exit).toBeUndefined();
  });

  it('a loop with sleep logs on schedule', () => {
    const r = run('busybox', sh('while true; do echo "$(date +%T) tick"; sleep 10; done'), undefined, { ms: 25_000 });
    expect(r.lines).toEqual([
      [0, 'out', '03:22:29 tick'],
      [10_000, 'out', '03:22:39 tick'],
      [20_000, 'out', '03:22:49 tick'],
    ]);
  });
});

describe('shell flavours', () => {
  it.each([
    ['busybox', sh('nope'), 'sh: nope: not found'],
    ['ubuntu', sh('nope'), 'sh: 1: nope: not found'],
    ['ubuntu', ['bash', '-c', 'nope'], 'bash: line 1: nope: command not found'],
    ['debian', sh('cat /nope'), 'cat: /nope: No such file or directory'],
  ])('%s %j → %s', (image, command, line) => {
    const r = run(image, command);
    expect(r.lines).toEqual([[0, 'err', line]]);
  });

  it('images without the program fail to start like runc', () => {
    const r = run('alpine', ['bash', '-c', 'echo hi']);
    expect(r.exit).toMatchObject({
      exitCode: 128,
      startError:
        'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown',
    });
    expect(run('registry.k8s.io/pause:3.10', ['sh']).exit?.exitCode).toBe(128);
    expect(run('busybox', ['/app/server']).exit?.startError).toContain('exec: "/app/server": stat /app/server: no such file or directory: unknown');
  });

  it('default commands: shells exit 0 at once without a tty', () => {
    for (const img of ['busybox', 'alpine', 'ubuntu', 'debian', 'python:3.12', 'node:20']) {
      expect(run(img, undefined).exit, img).toMatchObject({ exitCode: 0, reason: 'Completed' });
    }
  });
});
