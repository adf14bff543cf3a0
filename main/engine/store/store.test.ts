import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { SequentialIds } from '../ids.js';
import { StatusError } from '../api/errors.js';
import { Store } from './store.js';
import type { KObj, StoreEvent } from './types.js';

const CM = { group: '', resource: 'configmaps', namespaced: true };
const DEPLOY = { group: 'apps', resource: 'deployments', namespaced: true };
const NS = { group: '', resource: 'namespaces', namespaced: false };

function setup(historyLimit = 100) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const store = new Store(clock, new SequentialIds(), historyLimit);
  const events: StoreEvent[] = [];
  store.subscribe((e) => events.push(e));
  return { clock, store, events };
}

const cm = (name: string, data: Record<string, string> = {}, ns = 'default'): KObj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });
const deploy = (name: string, replicas: number): KObj => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { replicas } });

function statusOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a StatusError');
}

describe('Store', () => {
  it('assigns uid, creationTimestamp and one global resourceVersion', () => {
    const { store } = setup();
    const a = store.create(CM, cm('a'));
    const b = store.create(DEPLOY, deploy('b', 1));
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toBe('2026-01-01T12:00:00Z');
    expect([a.metadata.resourceVersion, b.metadata.resourceVersion]).toEqual(['1', '2']);
    expect(a.metadata.generation).toBeUndefined();
    expect(b.metadata.generation).toBe(1);
  });

  it('generateName gets a random suffix', () => {
    const { store } = setup();
    const o = store.create(CM, { ...cm(''), metadata: { generateName: 'web-', namespace: 'default' } });
    expect(o.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
  });

  it.each([
    ['duplicate create', (s: Store) => (s.create(CM, cm('a')), s.create(CM, cm('a'))), 409, 'configmaps "a" already exists'],
    ['update of a missing object', (s: Store) => s.update(CM, cm('nope')), 404, 'configmaps "nope" not found'],
    ['stale resourceVersion', (s: Store) => {
      const a = s.create(DEPLOY, deploy('web', 1));
      s.update(DEPLOY, { ...a, spec: { replicas: 2 } });
      s.update(DEPLOY, { ...a, spec: { replicas: 3 } });
    }, 409, 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again'],
    ['delete of a missing object', (s: Store) => s.delete(CM, 'default', 'x'), 404, 'configmaps "x" not found'],
  ])('%s is refused as upstream words it', (_name, fn, code, message) => {
    const { store } = setup();
    expect(statusOf(() => fn(store))).toEqual({ code, message });
  });

  it('bumps generation on spec changes only and skips no-op writes', () => {
    const { store } = setup();
    const a = store.create(DEPLOY, deploy('web', 1));
    const labelled = store.update(DEPLOY, { ...a, metadata: { ...a.metadata, labels: { x: 'y' } } });
    expect(labelled.metadata.generation).toBe(1);
    const status = store.update(DEPLOY, { ...labelled, status: { replicas: 1 } });
    expect(status.metadata.generation).toBe(1);
    const scaled = store.update(DEPLOY, { ...status, spec: { replicas: 3 } });
    expect(scaled.metadata.generation).toBe(2);
    const rv = store.rev;
    const same = store.update(DEPLOY, { ...scaled, metadata: { ...scaled.metadata, resourceVersion: undefined } });
    expect(same).toBe(scaled);
    expect(store.rev).toBe(rv);
  });

  it('finalizers hold a deleted object until the last one is removed', () => {
    const { store, events, clock } = setup();
    store.create(CM, { ...cm('held'), metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/x'] } });
    clock.advance(5000);
    const r = store.delete(CM, 'default', 'held');
    expect(r.deleted).toBe(false);
    expect(r.object.metadata.deletionTimestamp).toBe('2026-01-01T12:00:05Z');
    const marked = store.get(CM, 'default', 'held')!;
    store.update(CM, { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    expect(store.get(CM, 'default', 'held')).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('a namespace is held by spec.finalizers', () => {
    const { store } = setup();
    store.create(NS, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' }, spec: { finalizers: ['kubernetes'] } });
    expect(store.delete(NS, undefined, 'dev').deleted).toBe(false);
    const ns = store.get(NS, undefined, 'dev')!;
    store.update(NS, { ...ns, spec: { finalizers: [] } });
    expect(store.get(NS, undefined, 'dev')).toBeUndefined();
  });

  it('lists in namespace/name order, optionally per namespace', () => {
    const { store } = setup();
    for (const [n, ns] of [['b', 'x'], ['a', 'y'], ['a', 'x']] as const) store.create(CM, cm(n, {}, ns));
    expect(store.list(CM).map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['x/a', 'x/b', 'y/a']);
    expect(store.list(CM, 'y').map((o) => o.metadata.name)).toEqual(['a']);
  });

  it('replays history after a revision and expires beyond the window', () => {
    const { store } = setup(3);
    for (let i = 0; i < 5; i++) store.create(CM, cm(`c${i}`));
    expect(store.eventsSince(3)).not.toBe('expired');
    expect((store.eventsSince(3) as StoreEvent[]).map((e) => e.rev)).toEqual([4, 5]);
    expect(store.eventsSince(1)).toBe('expired');
    expect(store.oldestRevision).toBe(2);
  });

  it('dry-run writes change nothing', () => {
    const { store, events } = setup();
    const o = store.create(CM, cm('dry'), { dryRun: true });
    expect(o.metadata.uid).toBeDefined();
    expect(store.get(CM, 'default', 'dry')).toBeUndefined();
    expect(events).toEqual([]);
    expect(store.rev).toBe(0);
  });

  it('survives snapshot and load', () => {
    const a = setup();
    a.store.create(CM, cm('keep', { k: 'v' }));
    const snap = JSON.parse(JSON.stringify(a.store.snapshot()));
    const b = setup();
    b.store.load(snap.rev, snap.objects);
    expect(b.store.get(CM, 'default', 'keep')?.data).toEqual({ k: 'v' });
    expect(b.store.create(CM, cm('next')).metadata.resourceVersion).toBe('2');
  });
});
