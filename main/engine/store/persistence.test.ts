import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { SequentialIds } from '../ids.js';
import { GroupCommitter, openState, STATE_FORMAT } from './persistence.js';
import { Store } from './store.js';

const CM = { group: '', resource: 'configmaps', namespaced: true };
const fresh = () => mkdtempSync(path.join(tmpdir(), 'kubelab-persist-'));
const NOW = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));

async function open(dir: string, opts: { wal?: boolean; compactAt?: number; simTime?: () => number } = {}) {
  const file = path.join(dir, 'cluster.json');
  const { db, wal, result } = await openState(file, NOW);
  const store = new Store(new ManualClock(), new SequentialIds());
  if (result.state) store.load(result.state.rev, result.state.objects);
  let snapshots = 0;
  const snapshot = () => (snapshots++, { ...store.snapshot(), simTime: opts.simTime?.() });
  const committer = new GroupCommitter(db, snapshot, opts.wal ? wal : undefined, opts.compactAt, opts.simTime);
  committer.setBaseline(store.rev);
  if (opts.wal) store.subscribe((ev) => committer.record(ev));
  return { file, walFile: wal.file, store, committer, result, snapshots: () => snapshots };
}

describe('persistence', () => {
  it('an acknowledged write is in the file, and a reopened store has it', async () => {
    const dir = fresh();
    const a = await open(dir);
    a.store.create(CM, { metadata: { name: 'x', namespace: 'default' }, data: { k: 'v' } });
    await a.committer.durable(a.store.rev);
    const onDisk = JSON.parse(readFileSync(a.file, 'utf8'));
    expect(onDisk.format).toBe(STATE_FORMAT);
    expect(onDisk.rev).toBe(1);
    const b = await open(dir);
    expect(b.store.get(CM, 'default', 'x')?.data).toEqual({ k: 'v' });
    expect(b.store.rev).toBe(1);
  });

  it('folds concurrent writes into few flushes (group commit)', async () => {
    const a = await open(fresh());
    const acks: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      a.store.create(CM, { metadata: { name: `c${i}`, namespace: 'default' } });
      acks.push(a.committer.durable(a.store.rev));
    }
    await Promise.all(acks);
    expect(a.committer.flushes).toBeLessThanOrEqual(2);
    const onDisk = JSON.parse(readFileSync(a.file, 'utf8'));
    expect(onDisk.objects.configmaps).toHaveLength(200);
  });

  it.each([
    ['truncated JSON', '{"format":"kubelab.cluster/v1","rev":3,"obj'],
    ['not a cluster file', '{"hello":"world"}'],
    ['binary garbage', '\u0000\u0001\u0002'],
  ])('moves an unreadable file aside (%s) and never overwrites it', async (_name, content) => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'cluster.json'), content);
    const a = await open(dir);
    expect(a.result.state).toBeNull();
    expect(a.result.recovered).toMatch(/could not read the cluster data file .*cluster\.json .*moved to .*cluster\.json\.corrupt-2026-01-02T03-04-05-000Z/);
    const aside = readdirSync(dir).find((f) => f.startsWith('cluster.json.corrupt-'))!;
    expect(readFileSync(path.join(dir, aside), 'utf8')).toBe(content);
    a.store.create(CM, { metadata: { name: 'new', namespace: 'default' } });
    await a.committer.durable(a.store.rev);
    expect(readFileSync(path.join(dir, aside), 'utf8')).toBe(content);
  });

  it('ignores a temp file left by a flush that was cut short', async () => {
    const dir = fresh();
    const a = await open(dir);
    a.store.create(CM, { metadata: { name: 'x', namespace: 'default' } });
    await a.committer.durable(a.store.rev);
    writeFileSync(path.join(dir, 'cluster.json.tmp'), '{"half');
    const b = await open(dir);
    expect(b.store.get(CM, 'default', 'x')).toBeDefined();
    expect(readdirSync(dir)).not.toContain('cluster.json.tmp');
  });
});

describe('serializeState', () => {
  it('produces exactly what JSON.stringify would', async () => {
    const { serializeState } = await import('./persistence.js');
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'd' }, data: { 'k"\\': 'v\n' } };
    const state = { format: STATE_FORMAT, rev: 7, simTime: 123, objects: { configmaps: [o, o], 'deployments.apps': [] } };
    expect(JSON.parse(serializeState(state))).toEqual(state);
    expect(serializeState(state)).toBe(JSON.stringify(state));
    const noTime = { format: STATE_FORMAT, rev: 1, objects: {} };
    expect(serializeState(noTime)).toBe(JSON.stringify(noTime));
  });
});

describe('write-ahead log', () => {
  const cmOf = (name: string) => ({ metadata: { name, namespace: 'default' }, data: { n: name } });

  it('appends each commit to the log and replays it on open', async () => {
    const dir = fresh();
    const a = await open(dir, { wal: true });
    a.store.create(CM, cmOf('one'));
    a.store.create(CM, cmOf('two'));
    a.store.delete(CM, 'default', 'one');
    await a.committer.durable(a.store.rev);
    expect(a.committer.compactions).toBe(0);
    expect(readFileSync(a.walFile, 'utf8').trim().split('\n')).toHaveLength(3);
    const b = await open(dir, { wal: true });
    expect(b.store.list(CM).map((o) => o.metadata.name)).toEqual(['two']);
    expect(b.store.rev).toBe(3);
  });

  it('logs the simulated time with each commit without walking every object, and reopens at it', async () => {
    const dir = fresh();
    let sim = 1_000;
    const a = await open(dir, { wal: true, simTime: () => sim });
    for (const name of ['one', 'two']) {
      a.store.create(CM, cmOf(name));
      await a.committer.durable(a.store.rev);
      sim += 5_000;
    }
    expect(a.snapshots()).toBe(0);
    const b = await open(dir, { wal: true });
    expect(b.result.state?.simTime).toBe(6_000);
  });

  it('drops a torn last record (never acknowledged) without complaint', async () => {
    const dir = fresh();
    const a = await open(dir, { wal: true });
    a.store.create(CM, cmOf('kept'));
    await a.committer.durable(a.store.rev);
    const { appendFileSync } = await import('node:fs');
    appendFileSync(a.walFile, '{"rev":2,"r":"configmaps","t":"P","k":"default/half","o":{"meta');
    const b = await open(dir, { wal: true });
    expect(b.result.recovered).toBeUndefined();
    expect(b.store.list(CM).map((o) => o.metadata.name)).toEqual(['kept']);
  });

  it('moves a log damaged before its end aside, keeping the records before the damage', async () => {
    const dir = fresh();
    const a = await open(dir, { wal: true });
    a.store.create(CM, cmOf('first'));
    await a.committer.durable(a.store.rev);
    const { appendFileSync } = await import('node:fs');
    appendFileSync(a.walFile, 'garbage\n{"rev":9,"r":"configmaps","t":"D","k":"default/first"}\n');
    const b = await open(dir, { wal: true });
    expect(b.result.recovered).toMatch(/damaged cluster log .*cluster\.wal \(record 2 is damaged .*\)\. The changes before the damage were kept; the log was moved to .*cluster\.wal\.corrupt-/);
    expect(b.store.list(CM).map((o) => o.metadata.name)).toEqual(['first']);
    expect(readdirSync(dir).some((f) => f.startsWith('cluster.wal.corrupt-'))).toBe(true);
  });

  it('lets the log grow to twice the snapshot before the next compaction', async () => {
    const dir = fresh();
    const a = await open(dir, { wal: true, compactAt: 1 });
    const sizes: Array<{ wal: number; snap: number; compactions: number }> = [];
    for (let i = 0; i < 60; i++) {
      a.store.create(CM, cmOf(`c${i}`));
      await a.committer.durable(a.store.rev);
      sizes.push({ wal: readFileSync(a.walFile).length, snap: existsSync(a.file) ? readFileSync(a.file).length : 0, compactions: a.committer.compactions });
    }
    // every commit before a compaction found the log under twice the snapshot of its time
    for (let i = 1; i < sizes.length; i++) {
      const [prev, cur] = [sizes[i - 1]!, sizes[i]!];
      const limit = Math.max(1, 2 * prev.snap);
      if (cur.compactions > prev.compactions) expect(prev.wal).toBeGreaterThanOrEqual(limit);
      else expect(prev.wal).toBeLessThan(limit);
    }
    expect(sizes.at(-1)!.compactions).toBeGreaterThan(1);
  });

  it('compacts into a snapshot when the log outgrows it, and on a clean stop', async () => {
    const dir = fresh();
    const a = await open(dir, { wal: true, compactAt: 2000 });
    for (let i = 0; i < 40; i++) {
      a.store.create(CM, cmOf(`c${i}`));
      await a.committer.durable(a.store.rev);
    }
    expect(a.committer.compactions).toBeGreaterThan(0);
    await a.committer.flushAll();
    expect(readFileSync(a.walFile, 'utf8')).toBe('');
    expect(JSON.parse(readFileSync(a.file, 'utf8')).objects.configmaps).toHaveLength(40);
    const b = await open(dir, { wal: true });
    expect(b.store.count(CM)).toBe(40);
  });
});
