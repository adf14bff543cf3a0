// A quiet long-running process for containers the runtime's image catalog does not know but the
// node must run anyway (kubeadm pre-pulls the control-plane images): it serves every probe, logs a
// few startup lines and stops on SIGTERM.
import type { Clock } from '../clock.js';
import type { ContainerProcess, ExitInfo, OutputLine } from '../runtime/types.js';

export class StandInProcess implements ContainerProcess {
  readonly startedAt: number;
  private lines: OutputLine[] = [];
  private exit?: ExitInfo;
  private exitCbs = new Set<(e: ExitInfo) => void>();
  private outCbs = new Set<(l: OutputLine) => void>();

  constructor(
    private clock: Clock,
    startup: string[],
  ) {
    this.startedAt = clock.now();
    for (const text of startup) this.lines.push({ at: this.startedAt, stream: 'stderr', text });
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
    this.finish(0, 'Completed');
  }
  kill(): void {
    this.finish(137, 'Error', 137);
  }
  httpGet(): { status: number; body: string } | undefined {
    return this.exit ? undefined : { status: 200, body: 'ok' };
  }
  tcpListening(): boolean {
    return !this.exit;
  }
  exec(): { exitCode: number; stdout: string; stderr: string } {
    return { exitCode: 0, stdout: '', stderr: '' };
  }
  usage(): { cpuMillicores: number; memoryBytes: number } {
    return { cpuMillicores: 20, memoryBytes: 50 * 2 ** 20 };
  }
  private finish(exitCode: number, reason: ExitInfo['reason'], signal?: number): void {
    if (this.exit) return;
    this.exit = { exitCode, reason, at: this.clock.now(), ...(signal ? { signal } : {}) };
    for (const cb of [...this.exitCbs]) cb(this.exit);
    this.exitCbs.clear();
  }
}
