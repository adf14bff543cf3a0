// The write-ahead log beside the lowdb snapshot: each group commit appends the changes it carries
// as JSON lines and fsyncs, so a commit costs what it changed, not the size of the cluster. The
// snapshot is rewritten (and the log emptied) only when the log has grown to twice the snapshot.
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { KObj, StoreEvent } from './types.js';

/** One change: P(ut) an object under resource r and key k, or D(elete) it. */
export interface WalRecord {
  rev: number;
  r: string;
  /** P(ut), D(elete), or T(ime): only carries the simulated time of the commit */
  t: 'P' | 'D' | 'T';
  k: string;
  o?: KObj;
  /** simulated time at the commit (restarts continue from it) */
  st?: number;
}

export function walKey(o: KObj): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!;
}

export function recordLine(ev: StoreEvent, objectJson: (o: KObj) => string): string {
  if (ev.type === 'DELETED') return JSON.stringify({ rev: ev.rev, r: ev.resource, t: 'D', k: walKey(ev.object) });
  return `{"rev":${ev.rev},"r":${JSON.stringify(ev.resource)},"t":"P","k":${JSON.stringify(walKey(ev.object))},"o":${objectJson(ev.object)}}`;
}

export interface WalContents {
  records: WalRecord[];
  /** a message when the log had a damaged record before its end (the log is then moved aside) */
  damaged?: string;
}

/** Parse a log: a torn last line (a crash mid-append, never acknowledged) is dropped silently. */
export function parseWal(text: string): WalContents {
  const lines = text.split('\n');
  const records: WalRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    try {
      const rec = JSON.parse(line) as WalRecord;
      if (typeof rec.rev !== 'number' || !['P', 'D', 'T'].includes(rec.t) || typeof rec.r !== 'string' || typeof rec.k !== 'string') throw new Error('not a log record');
      records.push(rec);
    } catch (e) {
      const last = i === lines.length - 1;
      if (last) break;
      return { records, damaged: `record ${i + 1} is damaged (${(e as Error).message})` };
    }
  }
  return { records };
}

/** Apply log records newer than `rev` to a snapshot's objects. */
export function replay(objects: Record<string, KObj[]>, rev: number, records: WalRecord[]): { objects: Record<string, KObj[]>; rev: number; simTime?: number } {
  const tables = new Map<string, Map<string, KObj>>();
  for (const [res, objs] of Object.entries(objects)) tables.set(res, new Map(objs.map((o) => [walKey(o), o])));
  let top = rev;
  let simTime: number | undefined;
  for (const rec of records) {
    if (rec.t === 'T') {
      simTime = rec.st;
      continue;
    }
    if (rec.rev <= rev) continue;
    let t = tables.get(rec.r);
    if (!t) tables.set(rec.r, (t = new Map()));
    if (rec.t === 'P' && rec.o) t.set(rec.k, rec.o);
    else t.delete(rec.k);
    top = Math.max(top, rec.rev);
  }
  const out: Record<string, KObj[]> = {};
  for (const [res, t] of tables) if (t.size) out[res] = [...t.values()];
  return { objects: out, rev: top, simTime };
}

export class WriteAheadLog {
  private fh: FileHandle | null = null;
  size = 0;

  constructor(readonly file: string) {}

  async read(): Promise<string> {
    try {
      return await fsp.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw e;
    }
  }

  private async handle(): Promise<FileHandle> {
    if (!this.fh) {
      this.fh = await fsp.open(this.file, 'a');
      this.size = (await this.fh.stat()).size;
    }
    return this.fh;
  }

  async append(text: string): Promise<void> {
    const fh = await this.handle();
    // encoded once: appendFile would encode the text and byteLength scan it again
    const bytes = Buffer.from(text);
    await fh.appendFile(bytes);
    await fh.datasync();
    this.size += bytes.length;
  }

  /** Empty the log (after a snapshot that contains everything in it). */
  async reset(): Promise<void> {
    const fh = await this.handle();
    await fh.truncate(0);
    await fh.datasync();
    this.size = 0;
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = null;
  }
}
