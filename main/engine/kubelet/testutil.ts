// A tiny stand-in container runtime for the kubelet's tests (the real one lives in
// main/engine/runtime): a few images, and processes for `nginx`, `sleep N`, `echo`, `exit N`.
import type { Clock, TimerHandle } from '../clock.js';
import type { ContainerProcess, ContainerRunSpec, ContainerRuntime, ExitInfo, ImagePullResult, OutputLine } from '../runtime/types.js';

const SIZES: Record<string, number> = { nginx: 72099410, busybox: 2156485, httpd: 58_000_000 };

function normalise(image: string): { full: string; repo: string; name: string } {
  const [repoPart, tag = 'latest'] = image.split(':') as [string, string?];
  const name = repoPart.split('/').at(-1)!;
  const repo = repoPart.includes('/') ? repoPart : `docker.io/library/${repoPart}`;
  return { full: `${repo}:${tag}`, repo, name };
}

export class FakeProcess implements ContainerProcess {
  readonly startedAt: number;
  private lines: OutputLine[] = [];
  private exit?: ExitInfo;
  private exitCbs = new Set<(e: ExitInfo) => void>();
  private outCbs = new Set<(l: OutputLine) => void>();
  private timers: TimerHandle[] = [];
  /** paths that answer 200 on port 80 (nginx) */
  healthy = true;
  ignoresTerm = false;

  constructor(
    private clock: Clock,
    readonly spec: ContainerRunSpec,
  ) {
    this.startedAt = clock.now();
  }
  write(text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    const l = { at: this.clock.now(), stream, text };
    this.lines.push(l);
    for (const cb of [...this.outCbs]) cb(l);
  }
  after(ms: number, fn: () => void): void {
    this.timers.push(this.clock.after(ms, () => !this.exit && fn()));
  }
  output(): readonly OutputLine[] {
    return this.lines;
  }
  onOutput(cb: (line: OutputLine) => void): () => void {
    this.outCbs.add(cb);
    return () => this.outCbs.delete(cb);
  }
  onExit(cb: (exit: ExitInfo) => void): () => void {
    if (this.exit) {
      cb(this.exit);
      return () => undefined;
    }
    this.exitCbs.add(cb);
    return () => this.exitCbs.delete(cb);
  }
  exited(): ExitInfo | undefined {
    return this.exit;
  }
  terminate(): void {
    if (!this.ignoresTerm) this.after(100, () => this.finish(0));
  }
  kill(): void {
    this.finish(137);
  }
  httpGet(port: number, path: string): { status: number; body: string } | undefined {
    if (this.exit || port !== 80 || normalise(this.spec.image.image).name !== 'nginx') return undefined;
    return path === '/' && this.healthy ? { status: 200, body: 'Welcome to nginx!' } : { status: 404, body: 'not found' };
  }
  tcpListening(port: number): boolean {
    return !this.exit && port === 80 && normalise(this.spec.image.image).name === 'nginx';
  }
  exec(command: string[]): { exitCode: number; stdout: string; stderr: string } {
    if (command.join(' ') === 'cat /tmp/healthy') return this.spec.files?.['/tmp/healthy'] ? { exitCode: 0, stdout: 'ok\n', stderr: '' } : { exitCode: 1, stdout: '', stderr: 'cat: can\'t open \'/tmp/healthy\': No such file or directory\n' };
    return { exitCode: 0, stdout: '', stderr: '' };
  }
  usage(): { cpuMillicores: number; memoryBytes: number } {
    return { cpuMillicores: 1, memoryBytes: 1 << 20 };
  }
  finish(exitCode: number, reason?: ExitInfo['reason']): void {
    if (this.exit) return;
    this.timers.forEach((t) => t.cancel());
    this.exit = { exitCode, reason: reason ?? (exitCode === 0 ? 'Completed' : 'Error'), at: this.clock.now() };
    for (const cb of [...this.exitCbs]) cb(this.exit);
  }
}

export class FakeRuntime implements ContainerRuntime {
  readonly started: FakeProcess[] = [];
  readonly images = {
    pull: (image: string, present: ReadonlySet<string>): ImagePullResult => {
      const n = normalise(image);
      const size = SIZES[n.name];
      if (size === undefined) {
        return {
          ok: false,
          reason: 'ErrImagePull',
          message: `rpc error: code = NotFound desc = failed to pull and unpack image "${n.full}": failed to resolve reference "${n.full}": ${n.full}: not found`,
        };
      }
      const ref = { image, fullName: n.full, imageID: `${n.repo}@sha256:${'ab'.repeat(32)}`, sizeBytes: size };
      return { ok: true, ref, durationMs: present.has(image) || present.has(n.full) ? 0 : 2345 };
    },
  };

  start(spec: ContainerRunSpec, clock: Clock): ContainerProcess {
    const p = new FakeProcess(clock, spec);
    this.started.push(p);
    const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
    const script = argv[0] === 'sh' && argv[1] === '-c' ? argv[2]! : argv.join(' ');
    const exitM = /^exit (\d+)$/.exec(script);
    const sleepM = /^sleep (\d+)$/.exec(script);
    const echoM = /^echo (.*)$/.exec(script);
    if (exitM) p.after(50, () => p.finish(Number(exitM[1])));
    else if (sleepM) {
      p.ignoresTerm = true;
      p.after(Number(sleepM[1]) * 1000, () => p.finish(0));
    } else if (echoM) {
      p.write(echoM[1]!);
      p.after(10, () => p.finish(0));
    } else if (normalise(spec.image.image).name === 'nginx' && !argv.length) {
      p.write('/docker-entrypoint.sh: Configuration complete; ready for start up');
      p.write('2026/01/01 12:00:00 [notice] 1#1: nginx/1.27.3', 'stderr');
    }
    return p;
  }
}
