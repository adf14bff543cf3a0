import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { SequentialIds } from '../ids.js';
import { Store } from '../store/store.js';
import type { KObj } from '../store/types.js';
import { claimCandidates, orphansIn, ownedBy, ownedIndex, podIndex, POD_INDEXERS, StoreIndex } from './store-index.js';

const PODS = { group: '', resource: 'pods', namespaced: true };
const RS = { group: 'apps', resource: 'replicasets', namespaced: true };

function setup(historyLimit = 1000) {
  const store = new Store(new ManualClock(Date.UTC(2026, 0, 1, 12)), new SequentialIds(), historyLimit);
  return { store, index: new StoreIndex(store, PODS, POD_INDEXERS) };
}

const ref = (uid: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${uid}`, uid, controller: true });
function pod(name: string, opts: { ns?: string; owner?: string; node?: string; labels?: Record<string, string>; finalizers?: string[] } = {}): KObj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: opts.ns ?? 'default',
      ...(opts.labels ? { labels: opts.labels } : {}),
      ...(opts.owner ? { ownerReferences: [ref(opts.owner)] } : {}),
      ...(opts.finalizers ? { finalizers: opts.finalizers } : {}),
    },
    spec: opts.node ? { nodeName: opts.node } : {},
  };
}

const names = (objs: KObj[]) => objs.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
const controller = (o: KObj) => o.metadata.ownerReferences?.find((r) => r.controller)?.uid ?? '';

/** Every bucket of every index must equal the filtered full scan, object for object and in order. */
function expectAgrees(store: Store, index: StoreIndex): void {
  const all = store.list(PODS);
  const same = (got: KObj[], want: KObj[]) => {
    expect(names(got)).toEqual(names(want));
    got.forEach((o, i) => expect(o).toBe(want[i]));
  };
  const owners = new Set(all.map((p) => `${p.metadata.namespace}/${controller(p)}`));
  expect(index.values('owner')).toEqual([...owners].sort());
  for (const v of owners) same(index.list('owner', v), all.filter((p) => `${p.metadata.namespace}/${controller(p)}` === v));
  const nodeOf = (p: KObj) => (p.spec as { nodeName?: string }).nodeName ?? '';
  const nodes = new Set(all.map(nodeOf));
  expect(index.values('node')).toEqual([...nodes].sort());
  for (const n of nodes) same(index.list('node', n), all.filter((p) => nodeOf(p) === n));
  const phaseOf = (p: KObj) => (p.status as { phase?: string } | undefined)?.phase ?? '';
  expect(index.values('phase')).toEqual([...new Set(all.map(phaseOf))].sort());
  same(index.listAny('phase', ['Succeeded', 'Failed']), all.filter((p) => ['Succeeded', 'Failed'].includes(phaseOf(p))));
  for (const ns of ['default', 'other', 'a', 'a-b']) {
    same(index.list('namespace', ns), store.list(PODS, ns));
    same(index.listAny('owner', [ownedBy(ns, 'u1'), orphansIn(ns)]), store.list(PODS, ns).filter((p) => ['', 'u1'].includes(controller(p))));
  }
  expect(index.list('node', 'nowhere')).toEqual([]);
}

type Step = (s: Store) => void;
const create = (p: KObj): Step => (s) => s.create(PODS, p);
const modify = (ns: string, name: string, fn: (o: KObj) => void): Step => (s) => {
  const o = structuredClone(s.get(PODS, ns, name)!);
  fn(o);
  s.update(PODS, o);
};
const del = (ns: string, name: string): Step => (s) => s.delete(PODS, ns, name);

const base = [create(pod('p1', { owner: 'u1', node: 'n1' })), create(pod('p0', { owner: 'u1' })), create(pod('x', { ns: 'other', owner: 'u1' })), create(pod('orphan'))];

const cases: Array<{ name: string; steps: Step[] }> = [
  { name: 'adds, in store order whatever the creation order', steps: [...base, create(pod('a', { ns: 'a' })), create(pod('b', { ns: 'a-b' }))] },
  { name: 'status update keeps the bucket, replaces the object', steps: [...base, modify('default', 'p1', (o) => void (o.status = { phase: 'Running' }))] },
  { name: 'phase changes move a pod between phase buckets', steps: [...base, modify('default', 'p1', (o) => void (o.status = { phase: 'Running' })), modify('default', 'p1', (o) => void (o.status = { phase: 'Failed' })), modify('other', 'x', (o) => void (o.status = { phase: 'Succeeded' }))] },
  { name: 'binding moves a pod into a node bucket', steps: [...base, modify('default', 'p0', (o) => void ((o.spec as Record<string, unknown>).nodeName = 'n2'))] },
  { name: 'release: the controller reference goes, the pod becomes an orphan', steps: [...base, modify('default', 'p1', (o) => void delete o.metadata.ownerReferences)] },
  { name: 'adoption: an orphan gets a controller', steps: [...base, modify('default', 'orphan', (o) => void (o.metadata.ownerReferences = [ref('u2')]))] },
  { name: 'a non-controller reference does not count as owner', steps: [...base, modify('default', 'orphan', (o) => void (o.metadata.ownerReferences = [{ ...ref('u3'), controller: false }]))] },
  { name: 'label change leaves every bucket as it was', steps: [...base, modify('default', 'p1', (o) => void (o.metadata.labels = { app: 'x' }))] },
  { name: 'delete', steps: [...base, del('default', 'p1'), del('other', 'x')] },
  { name: 'delete held by a finalizer, then released', steps: [...base, create(pod('f', { owner: 'u1', finalizers: ['x/y'] })), del('default', 'f'), modify('default', 'f', (o) => void delete o.metadata.finalizers)] },
  { name: 'namespace emptied (namespace deletion)', steps: [...base, create(pod('y', { ns: 'other', node: 'n1' })), (s) => s.list(PODS, 'other').forEach((p) => s.delete(PODS, 'other', p.metadata.name!))] },
  { name: 'deleted and re-created under the same name with another owner', steps: [...base, del('default', 'p1'), create(pod('p1', { owner: 'u9', node: 'n3' }))] },
  { name: 'replaceAll (reset)', steps: [...base, (s) => s.replaceAll({ pods: [{ ...pod('z', { owner: 'u1' }), metadata: { ...pod('z', { owner: 'u1' }).metadata, uid: 'zz' } }] })] },
];

describe('StoreIndex agrees with a full scan', () => {
  it.each(cases)('$name (read after every step)', ({ steps }) => {
    const { store, index } = setup();
    for (const step of steps) {
      step(store);
      expectAgrees(store, index);
    }
  });

  it.each(cases)('$name (read only at the end)', ({ steps }) => {
    const { store, index } = setup();
    expectAgrees(store, index);
    for (const step of steps) step(store);
    expectAgrees(store, index);
    expect(index.stats.rebuilds).toBe(1);
  });

  it('rebuilds when the history no longer reaches back to its revision', () => {
    const { store, index } = setup(3);
    for (const step of base) step(store);
    expectAgrees(store, index);
    for (let i = 0; i < 10; i++) store.create(PODS, pod(`q${i}`, { owner: 'u1' }));
    expectAgrees(store, index);
    expect(index.stats.rebuilds).toBe(2);
  });

  it('rebuilds after load() moved the store to another state', () => {
    const { store, index } = setup();
    for (const step of base) step(store);
    expectAgrees(store, index);
    store.load(2, { pods: [{ ...pod('r', { owner: 'u1' }), metadata: { ...pod('r', { owner: 'u1' }).metadata, uid: 'r', resourceVersion: '2' } }] });
    expectAgrees(store, index);
  });

  it('is current inside a store listener that runs before anyone else read it', () => {
    const { store, index } = setup();
    const seen: string[][] = [];
    store.subscribe(() => seen.push(names(index.list('owner', ownedBy('default', 'u1')))));
    store.create(PODS, pod('p1', { owner: 'u1' }));
    store.create(PODS, pod('p0', { owner: 'u1' }));
    store.delete(PODS, 'default', 'p1');
    expect(seen).toEqual([['default/p1'], ['default/p0', 'default/p1'], ['default/p0']]);
  });

  it('a random sequence of writes (deterministic)', () => {
    const { store, index } = setup(50);
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const nss = ['default', 'other', 'a', 'a-b'];
    for (let i = 0; i < 600; i++) {
      const ns = nss[rnd(4)]!;
      const existing = store.list(PODS, ns);
      const op = rnd(5);
      if (op === 0 || !existing.length) store.create(PODS, pod(`p${rnd(40)}-${i}`, { ns, owner: rnd(3) ? `u${rnd(3)}` : undefined, node: rnd(2) ? `n${rnd(3)}` : undefined }));
      else {
        const p = existing[rnd(existing.length)]!;
        if (op === 1) store.delete(PODS, ns, p.metadata.name!);
        else
          modify(ns, p.metadata.name!, (o) => {
            if (op === 2) o.metadata.ownerReferences = rnd(2) ? [ref(`u${rnd(3)}`)] : undefined;
            else if (op === 3) (o.spec as Record<string, unknown>).nodeName = rnd(2) ? `n${rnd(3)}` : undefined;
            else if (rnd(2)) o.status = { phase: ['Pending', 'Running', 'Succeeded', 'Failed'][rnd(4)] };
            else o.metadata.labels = { v: String(i) };
          })(store);
      }
      if (rnd(3) === 0) expectAgrees(store, index);
    }
    expectAgrees(store, index);
  });
});

describe('shared indexes', () => {
  it('one pod index per store; claim candidates are owned pods and orphans', () => {
    const { store } = setup();
    expect(podIndex(store)).toBe(podIndex(store));
    for (const step of base) step(store);
    store.create(PODS, pod('mine-too', { owner: 'u1' }));
    store.create(PODS, pod('theirs', { owner: 'u2' }));
    const owner: KObj = { metadata: { name: 'rs', namespace: 'default', uid: 'u1' } };
    expect(names(claimCandidates(podIndex(store), owner))).toEqual(['default/mine-too', 'default/orphan', 'default/p0', 'default/p1']);
  });

  it('owned index for other kinds', () => {
    const { store } = setup();
    const idx = ownedIndex(store, RS);
    store.create(RS, { metadata: { name: 'b', namespace: 'default', ownerReferences: [{ ...ref('d1'), kind: 'Deployment' }] } });
    store.create(RS, { metadata: { name: 'a', namespace: 'default' } });
    expect(names(idx.list('owner', ownedBy('default', 'd1')))).toEqual(['default/b']);
    expect(names(idx.list('owner', orphansIn('default')))).toEqual(['default/a']);
    expect(ownedIndex(store, RS)).toBe(idx);
  });
});
