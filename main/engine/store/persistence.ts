// Durable state with lowdb: the whole cluster is one JSON document in the data dir.
// - group commit: writes that arrive while a flush is running are folded into the next flush, so
//   a burst of N writes costs a couple of file replaces, not N;
// - an acknowledged write is on disk (fsync'd temp file, atomic rename, fsync'd directory)
//   before its promise resolves;
// - an unreadable file is moved aside and reported, never overwritten.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import type { KObj } from './types.js';

export const STATE_FORMAT = 'kubelab.cluster/v1';

export interface ClusterState {
  format: string;
  rev: number;
  objects: Record<string, KObj[]>;
  /** simulated time when saved: a restarted cluster's clock never runs backwards */
  simTime?: number;
}

// Stored objects are immutable (every write stores a new object), so each one's JSON can be
// computed once and reused by every later flush: a flush then costs a string join, not a full
// re-serialisation of the cluster.
const jsonCache = new WeakMap<object, string>();

function objectJson(o: KObj): string {
  let s = jsonCache.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    jsonCache.set(o, s);
  }
  return s;
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
      await fh.writeFile(serializeState(data));
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

/** Load the state file; an unreadable one is renamed `<file>.corrupt-<time>` and reported. */
export async function openState(file: string, now: Date): Promise<{ db: Low<ClusterState>; result: OpenResult }> {
  const adapter = new DurableJsonFile(file);
  const db = new Low<ClusterState>(adapter, { format: STATE_FORMAT, rev: 0, objects: {} });
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.rm(`${file}.tmp`, { force: true }); // a flush cut short; the real file is intact
  try {
    await db.read();
    const existed = (await fsp.stat(file).catch(() => null)) !== null;
    return { db, result: { state: existed ? db.data : null } };
  } catch (e) {
    const aside = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
    await fsp.rename(file, aside);
    db.data = { format: STATE_FORMAT, rev: 0, objects: {} };
    return {
      db,
      result: {
        state: null,
        recovered: `KubeLab could not read the cluster data file ${file} (${(e as Error).message}). It was moved to ${aside} and a new cluster was created; nothing was overwritten.`,
      },
    };
  }
}

/**
 * Coalesces durability requests. `markDirty(rev)` records that the store reached rev;
 * `durable(rev)` resolves once a flush containing rev has reached the disk.
 */
export class GroupCommitter {
  private dirtyRev = 0;
  private durableRev = 0;
  private running: Promise<void> | null = null;
  private waiters: Array<{ rev: number; resolve: () => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;
  flushes = 0;

  constructor(
    private db: Low<ClusterState>,
    private snapshot: () => { rev: number; objects: Record<string, KObj[]>; simTime?: number },
  ) {}

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

  /** Flush everything written so far (shutdown). */
  async flushAll(): Promise<void> {
    await this.durable(this.dirtyRev);
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.loop().finally(() => {
      this.running = null;
      if (this.dirtyRev > this.durableRev && !this.failure) this.kick();
    });
  }

  private async loop(): Promise<void> {
    while (this.dirtyRev > this.durableRev) {
      const snap = this.snapshot();
      this.db.data = { format: STATE_FORMAT, rev: snap.rev, objects: snap.objects, simTime: snap.simTime };
      try {
        await this.db.write();
      } catch (e) {
        this.failure = new Error(`could not save the cluster state: ${(e as Error).message}`);
        for (const w of this.waiters.splice(0)) w.reject(this.failure);
        return;
      }
      this.flushes++;
      this.durableRev = Math.max(this.durableRev, snap.rev);
      const still: typeof this.waiters = [];
      for (const w of this.waiters) (w.rev <= this.durableRev ? w.resolve : () => still.push(w))();
      this.waiters = still;
    }
  }
}
