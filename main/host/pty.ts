// Lab terminals: one pseudo-terminal per tab, owned by the renderer client that opened it and
// killed when that client goes away. Output is flow-controlled: the shell is paused while the
// renderer has too much unacknowledged output, so `yes` or a huge `kubectl get -o yaml` cannot
// flood the bridge or the page.
import type { ClientContext, TerminalExit } from '../bridge/contract.js';
import { TERMINAL_HIGH_WATERMARK, TERMINAL_LOW_WATERMARK } from '../bridge/contract.js';
import { HostError } from '../bridge/errors.js';
import type { TerminalLaunch } from './terminal-env.js';

interface Disposable {
  dispose(): void;
}

/** The part of node-pty's IPty used here; tests pass a fake. */
export interface PtyLike {
  readonly pid: number;
  onData(cb: (data: string) => void): Disposable;
  onExit(cb: (e: { exitCode: number; signal?: number }) => void): Disposable;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  kill(signal?: string): void;
}

export type PtySpawn = (file: string, args: string[], opts: { name: string; cols: number; rows: number; cwd: string; env: Record<string, string> }) => PtyLike;

/** node-pty, loaded on first use: a native module, and not needed until the first terminal. */
export async function nodePtySpawn(): Promise<PtySpawn> {
  const mod = (await import('node-pty')) as unknown as { spawn?: PtySpawn; default?: { spawn: PtySpawn } };
  const spawn = mod.spawn ?? mod.default?.spawn;
  if (!spawn) throw new Error('node-pty has no spawn export');
  return spawn;
}

export interface PtyManagerOptions {
  spawn: () => Promise<PtySpawn> | PtySpawn;
  launch: () => TerminalLaunch | Promise<TerminalLaunch>;
  highWatermark?: number;
  lowWatermark?: number;
}

interface Term {
  id: string;
  client: ClientContext;
  pty: PtyLike;
  unacked: number;
  paused: boolean;
  subs: Disposable[];
}

/** A shell started before anyone asked for it; the next open() adopts it. */
interface Spare {
  pty: PtyLike;
  launch: TerminalLaunch;
  cols: number;
  rows: number;
  /** what it printed so far (its prompt), replayed to the client that adopts it */
  output: string[];
  size: number;
  paused: boolean;
  exited: boolean;
  subs: Disposable[];
}

/** the size a spare shell starts at (xterm's default); open() resizes it to the page's */
const SPARE_COLS = 80;
const SPARE_ROWS = 24;

const clampSize = (n: unknown, max: number) => (typeof n === 'number' && Number.isFinite(n) ? Math.min(max, Math.max(1, Math.floor(n))) : undefined);

export class PtyManager {
  private readonly terms = new Map<string, Term>();
  private readonly trackedClients = new Set<string>();
  private next = 1;
  private spare: Spare | undefined;
  private spareStarting: Promise<void> | undefined;
  private closed = false;
  private readonly high: number;
  private readonly low: number;

  constructor(private readonly opts: PtyManagerOptions) {
    this.high = opts.highWatermark ?? TERMINAL_HIGH_WATERMARK;
    this.low = opts.lowWatermark ?? TERMINAL_LOW_WATERMARK;
  }

  /**
   * Starts the next terminal's shell now, so the first terminal a page opens shows its prompt at
   * once instead of waiting for the shell and the user's rc files (a few hundred ms). Only one
   * spare exists at a time; it is killed with closeAll(). Failures are left to open() to report.
   */
  prewarm(): Promise<void> {
    if (this.closed || this.spare) return Promise.resolve();
    return (this.spareStarting ??= (async () => {
      try {
        const [spawn, launch] = await Promise.all([this.opts.spawn(), this.opts.launch()]);
        if (this.closed) return;
        const pty = spawn(launch.file, launch.args, { name: 'xterm-256color', cols: SPARE_COLS, rows: SPARE_ROWS, cwd: launch.cwd, env: launch.env });
        const spare: Spare = { pty, launch, cols: SPARE_COLS, rows: SPARE_ROWS, output: [], size: 0, paused: false, exited: false, subs: [] };
        spare.subs.push(
          pty.onData((d) => {
            spare.output.push(d);
            spare.size += d.length;
            // nobody reads it yet: the same flow control as an open terminal
            if (!spare.paused && spare.size > this.high) {
              spare.paused = true;
              pty.pause();
            }
          }),
        );
        spare.subs.push(pty.onExit(() => void (spare.exited = true)));
        this.spare = spare;
      } catch {
        /* open() spawns (and reports) itself */
      } finally {
        this.spareStarting = undefined;
      }
    })());
  }

  /** The spare shell if one is running (it is then no longer spare), else undefined. */
  private async adoptSpare(): Promise<Spare | undefined> {
    if (this.spareStarting) await this.spareStarting;
    const spare = this.spare;
    this.spare = undefined;
    if (!spare) return undefined;
    for (const sub of spare.subs.splice(0)) sub.dispose();
    // an rc file that exits, say: start afresh so the exit is reported to the client normally
    if (spare.exited) return undefined;
    return spare;
  }

  async open(client: ClientContext, size: { cols: number; rows: number }): Promise<{ id: string }> {
    const cols = clampSize(size?.cols, 1000) ?? 80;
    const rows = clampSize(size?.rows, 500) ?? 24;
    const spare = await this.adoptSpare();
    let pty: PtyLike;
    let launch: TerminalLaunch;
    if (spare) {
      ({ pty, launch } = spare);
      if (spare.cols !== cols || spare.rows !== rows) pty.resize(cols, rows);
    } else {
      const [spawn, prepared] = await Promise.all([this.opts.spawn(), this.opts.launch()]);
      launch = prepared;
      pty = spawn(launch.file, launch.args, { name: 'xterm-256color', cols, rows, cwd: launch.cwd, env: launch.env });
    }
    const id = `t${this.next++}`;
    const term: Term = { id, client, pty, unacked: 0, paused: false, subs: [] };
    this.terms.set(id, term);
    if (!this.trackedClients.has(client.id)) {
      this.trackedClients.add(client.id);
      client.onClose(() => {
        this.trackedClients.delete(client.id);
        this.closeClient(client.id);
      });
    }
    // after the call's result, so the renderer knows the id before the first output; the
    // banner, then what a spare shell printed already, then its live output, in that order
    const early = [...(launch.banner ? [launch.banner] : []), ...(spare?.output ?? [])];
    let held: string[] | undefined;
    if (early.length) {
      held = early;
      setImmediate(() => {
        const out = held!;
        held = undefined;
        if (this.terms.get(id) !== term) return;
        for (const d of out) this.send(term, d);
      });
    }
    // a spare paused by its unread output stays paused until the client acknowledges enough
    if (spare?.paused) term.paused = true;
    term.subs.push(pty.onData((data) => (held ? held.push(data) : this.send(term, data))));
    term.subs.push(
      pty.onExit(({ exitCode, signal }) => {
        if (this.terms.get(id) !== term) return;
        this.dispose(term);
        const exit: TerminalExit = signal ? { id, exitCode, signal } : { id, exitCode };
        client.emit('terminal.exit', exit);
      }),
    );
    return { id };
  }

  private send(term: Term, data: string): void {
    term.client.emit('terminal.data', { id: term.id, data });
    term.unacked += data.length;
    if (!term.paused && term.unacked > this.high) {
      term.paused = true;
      term.pty.pause();
    }
  }

  private get(client: ClientContext, id: string): Term {
    const t = this.terms.get(id);
    // another client's terminal is reported as absent, not forbidden: ids are not secrets but no
    // tab should learn about another's terminals
    if (!t || t.client.id !== client.id) throw new HostError('NotFound', `terminal "${id}" not found`);
    return t;
  }

  input(client: ClientContext, id: string, data: string): void {
    if (typeof data !== 'string') throw new HostError('BadRequest', 'terminal input must be a string');
    this.get(client, id).pty.write(data);
  }

  resize(client: ClientContext, id: string, cols: number, rows: number): void {
    const c = clampSize(cols, 1000);
    const r = clampSize(rows, 500);
    if (c === undefined || r === undefined) throw new HostError('BadRequest', 'cols and rows must be positive numbers');
    this.get(client, id).pty.resize(c, r);
  }

  ack(client: ClientContext, id: string, bytes: number): void {
    const t = this.terms.get(id);
    // acks may trail a terminal that just exited; that is not an error
    if (!t || t.client.id !== client.id) return;
    if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) throw new HostError('BadRequest', 'ack bytes must be a non-negative number');
    t.unacked = Math.max(0, t.unacked - bytes);
    if (t.paused && t.unacked < this.low) {
      t.paused = false;
      t.pty.resume();
    }
  }

  close(client: ClientContext, id: string): void {
    const t = this.terms.get(id);
    if (!t || t.client.id !== client.id) return;
    this.kill(t);
  }

  closeClient(clientId: string): void {
    for (const t of [...this.terms.values()]) if (t.client.id === clientId) this.kill(t);
  }

  /** kills every terminal and the spare shell; no spare is started after this */
  closeAll(): void {
    this.closed = true;
    for (const t of [...this.terms.values()]) this.kill(t);
    const spare = this.spare;
    this.spare = undefined;
    if (spare) {
      for (const sub of spare.subs.splice(0)) sub.dispose();
      killPty(spare.pty, spare.paused);
    }
  }

  count(): number {
    return this.terms.size;
  }

  /** for tests and diagnostics */
  state(id: string): { unacked: number; paused: boolean } | undefined {
    const t = this.terms.get(id);
    return t && { unacked: t.unacked, paused: t.paused };
  }

  private dispose(t: Term): void {
    this.terms.delete(t.id);
    for (const s of t.subs.splice(0)) s.dispose();
  }

  private kill(t: Term): void {
    this.dispose(t);
    killPty(t.pty, t.paused);
  }
}

function killPty(pty: PtyLike, paused: boolean): void {
  try {
    // a paused pty would never read the hangup; resume so the shell sees it and exits
    if (paused) pty.resume();
    pty.kill(process.platform === 'win32' ? undefined : 'SIGHUP');
  } catch {
    /* already gone */
  }
}
