// Durable state: a lowdb JSON snapshot of the whole cluster plus a write-ahead log (wal.ts).
// - group commit: writes that arrive while a flush is running are folded into the next flush;
// - an acknowledged write is on disk (appended and fsync'd to the log, or in an fsync'd snapshot
//   replaced atomically) before its promise resolves;
// - an unreadable file is moved aside and reported, never overwritten.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { objectJson } from './json.js';
import type { KObj, StoreEvent } from './types.js';
import { parseWal, recordLine, replay, WriteAheadLog } from './wal.js';

export const STATE_FORMAT = 'kubelab.cluster/v1';

export interface ClusterState {
  format: string;
  rev: number;
  objects: Record<string, KObj[]>;
  /** simulated time when saved: a restarted cluster's clock never runs backwards */
  simTime?: number;
}

/** The same text JSON.stringify(state) would give, built from cached per-object JSON. */
export function serializeState(data: ClusterState): string {
  const parts: string[] = [];
  for (const [res, objs] of Object.entries(data.objects)) parts.push(`${JSON.stringify(res)}:[${objs.map(objectJson).join(',')}]`);
  const head = { format: data.format, rev: data.rev, ...(data.simTime !== undefined ? { simTime: data.simTime } : {}) };
  return `${JSON.stringify(head).slice(0, -1)},"objects":{${parts.join(',')}}}`;
}

/** lowdb adapter that replaces the file atomically and durably. */
export class DurableJsonFile implements Adapter<ClusterState> {
  lastBytes = 0;
  constructor(readonly file: string) {}

  async read(): Promise<ClusterState | null> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const data = JSON.parse(text) as ClusterState;
    if (!data || typeof data !== 'object' || data.format !== STATE_FORMAT || typeof data.rev !== 'number' || typeof data.objects !== 'object') {
      throw new Error(`not a KubeLab cluster file (expected format "${STATE_FORMAT}")`);
    }
    return data;
  }

  async write(data: ClusterState): Promise<void> {
    const tmp = `${this.file}.tmp`;
    const fh = await fsp.open(tmp, 'w');
    try {
      const bytes = Buffer.from(serializeState(data));
      this.lastBytes = bytes.length;
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, this.file);
    // the rename itself must survive a power cut too
    const dir = await fsp.open(path.dirname(this.file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

export interface OpenResult {
  state: ClusterState | null;
  /** set when an unreadable file was moved aside: a message for the user */
  recovered?: string;
}

/**
 * Load the snapshot and replay the write-ahead log beside it. An unreadable snapshot is renamed
 * `<file>.corrupt-<time>` (with its log) and reported; a log damaged before its end is moved aside
 * the same way after its intact records are used.
 */
export async function openState(file: string, now: Date): Promise<{ db: Low<ClusterState>; wal: WriteAheadLog; result: OpenResult }> {
  const adapter = new DurableJsonFile(file);
  const db = new Low<ClusterState>(adapter, { format: STATE_FORMAT, rev: 0, objects: {} });
  const wal = new WriteAheadLog(file.replace(/\.json$/, '') + '.wal');
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.rm(`${file}.tmp`, { force: true }); // a snapshot cut short; the real file is intact
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let snapshot: ClusterState | null;
  try {
    await db.read();
    snapshot = (await fsp.stat(file).catch(() => null)) ? db.data : null;
  } catch (e) {
    const aside = `${file}.corrupt-${stamp}`;
    await fsp.rename(file, aside);
    await fsp.rename(wal.file, `${wal.file}.corrupt-${stamp}`).catch(() => undefined);
    db.data = { format: STATE_FORMAT, rev: 0, objects: {} };
    return {
      db,
      wal,
      result: {
        state: null,
        recovered: `KubeLab could not read the cluster data file ${file} (${(e as Error).message}). It was moved to ${aside} and a new cluster was created; nothing was overwritten.`,
      },
    };
  }
  const log = parseWal(await wal.read());
  let recovered: string | undefined;
  if (log.damaged) {
    const aside = `${wal.file}.corrupt-${stamp}`;
    await fsp.rename(wal.file, aside);
    recovered = `KubeLab found a damaged cluster log ${wal.file} (${log.damaged}). The changes before the damage were kept; the log was moved to ${aside}.`;
  }
  if (!snapshot && !log.records.length) return { db, wal, result: { state: null, recovered } };
  const base = snapshot ?? { format: STATE_FORMAT, rev: 0, objects: {} };
  const replayed = replay(base.objects, base.rev, log.records);
  const state: ClusterState = { format: STATE_FORMAT, rev: replayed.rev, objects: replayed.objects, simTime: replayed.simTime ?? base.simTime };
  return { db, wal, result: { state, recovered } };
}

/**
 * Coalesces durability requests (group commit). `record(ev)` queues a store change;
 * `durable(rev)` resolves once a flush containing rev has reached the disk: appended to the log,
 * or, when the log has grown to twice the snapshot, in a fresh snapshot. (At once the snapshot's
 * size, a busy cluster spent as much time rewriting snapshots as appending to the log; at twice,
 * a restart replays at most twice the snapshot.)
 */
export class GroupCommitter {
  private dirtyRev = 0;
  private durableRev = 0;
  private running: Promise<void> | null = null;
  private waiters: Array<{ rev: number; resolve: () => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;
  private pending: StoreEvent[] = [];
  private snapshotBytes = 0;
  flushes = 0;
  compactions = 0;

  constructor(
    private db: Low<ClusterState>,
    private snapshot: () => { rev: number; objects: Record<string, KObj[]>; simTime?: number },
    private wal?: WriteAheadLog,
    private minCompactBytes = 1 << 20,
    /** the simulated time to log with each commit; apart from the snapshot, which walks every object */
    private simTime: () => number | undefined = () => undefined,
  ) {}

  record(ev: StoreEvent): void {
    this.pending.push(ev);
    this.markDirty(ev.rev);
  }

  markDirty(rev: number): void {
    if (rev > this.dirtyRev) this.dirtyRev = rev;
  }

  setBaseline(rev: number): void {
    this.dirtyRev = this.durableRev = rev;
  }

  durable(rev: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (rev <= this.durableRev) return Promise.resolve();
    this.markDirty(rev);
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ rev, resolve, reject }));
    this.kick();
    return p;
  }

  /** Start flushing what was recorded, with nobody waiting for it (a promise per change cost more than the change). */
  flushSoon(): void {
    if (!this.failure) this.kick();
  }

  /** Flush everything written so far into one clean snapshot (shutdown). */
  async flushAll(): Promise<void> {
    await this.durable(this.dirtyRev);
    while (this.running) await this.running;
    if (this.wal && this.wal.size > 0) await this.compact();
    await this.wal?.close();
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.loop().finally(() => {
      this.running = null;
      if (this.dirtyRev > this.durableRev && !this.failure) this.kick();
    });
  }

  private async compact(): Promise<number> {
    const snap = this.snapshot();
    this.pending = [];
    this.db.data = { format: STATE_FORMAT, rev: snap.rev, objects: snap.objects, simTime: snap.simTime };
    await this.db.write();
    this.snapshotBytes = (this.db.adapter as DurableJsonFile).lastBytes;
    await this.wal?.reset();
    this.compactions++;
    return snap.rev;
  }

  private async loop(): Promise<void> {
    while (this.dirtyRev > this.durableRev) {
      let reached: number;
      try {
        const batch = this.pending;
        const logged = batch.length > 0 && batch[batch.length - 1]!.rev >= this.dirtyRev;
        if (this.wal && logged && this.wal.size < Math.max(this.minCompactBytes, 2 * this.snapshotBytes)) {
          this.pending = [];
          const simTime = this.simTime();
          const lines = batch.map((ev) => recordLine(ev, objectJson));
          if (simTime !== undefined) lines.push(JSON.stringify({ rev: batch[batch.length - 1]!.rev, r: '', t: 'T', k: '', st: simTime }));
          lines.push('');
          await this.wal.append(lines.join('\n'));
          reached = batch[batch.length - 1]!.rev;
        } else {
          reached = await this.compact();
        }
      } catch (e) {
        this.failure = new Error(`could not save the cluster state: ${(e as Error).message}`);
        for (const w of this.waiters.splice(0)) w.reject(this.failure);
        return;
      }
      this.flushes++;
      this.durableRev = Math.max(this.durableRev, reached);
      const still: typeof this.waiters = [];
      for (const w of this.waiters) {
        if (w.rev <= this.durableRev) w.resolve();
        else still.push(w);
      }
      this.waiters = still;
    }
  }
}
