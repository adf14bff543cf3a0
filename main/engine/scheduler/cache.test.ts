import { describe, expect, it } from 'vitest';
import type { KObj, StoreEvent } from '../store/types.js';
import { NodePodsCache } from './cache.js';
import { countOwned } from './plugins.js';
import { buildNodeInfos } from './resources.js';
import { mkNode, mkPod } from './testutil.js';

const nodes = [mkNode('node01'), mkNode('node02', { cpu: '4' })];
const bound = (name: string, node: string, extra: Parameters<typeof mkPod>[1] = {}) => mkPod(name, { cpu: '100m', ...extra, node });
const ev = (type: StoreEvent['type'], object: KObj): StoreEvent => ({ type, resource: 'pods', object, rev: 0 });
const owned = (uid: string, p: KObj): KObj => ({ ...p, metadata: { ...p.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid, controller: true }] } });

// after each sequence of pod events the cache must agree with a rebuild from the surviving pods
const cases: Array<{ name: string; initial?: KObj[]; events: StoreEvent[] }> = [
  { name: 'empty', events: [] },
  { name: 'initial pods, unsorted', initial: [bound('b', 'node01'), bound('a', 'node01'), bound('c', 'node02', { hostPort: 8080 })], events: [] },
  { name: 'pending pod then bound', events: [ev('ADDED', mkPod('p', { cpu: '1' })), ev('MODIFIED', bound('p', 'node02', { cpu: '1' }))] },
  { name: 'terminal pod stops counting', events: [ev('ADDED', bound('p', 'node01')), ev('MODIFIED', bound('p', 'node01', { phase: 'Succeeded' }))] },
  { name: 'deleted pod', events: [ev('ADDED', bound('p', 'node01')), ev('ADDED', bound('q', 'node01')), ev('DELETED', bound('p', 'node01'))] },
  { name: 'pod on an unknown node is ignored', events: [ev('ADDED', bound('p', 'node09'))] },
  { name: 'namespaces order like the store', events: [ev('ADDED', bound('a', 'node01', { namespace: 'zz' })), ev('ADDED', bound('b', 'node01', { namespace: 'aa' }))] },
  { name: 'a newer object replaces the old', events: [ev('ADDED', bound('p', 'node01', { cpu: '100m' })), ev('MODIFIED', bound('p', 'node01', { cpu: '100m', phase: 'Running' }))] },
  {
    name: 'status writes among siblings keep their place',
    events: [ev('ADDED', bound('b', 'node01')), ev('ADDED', bound('a', 'node01')), ev('ADDED', bound('c', 'node01')), ev('MODIFIED', bound('b', 'node01', { phase: 'Running' })), ev('MODIFIED', bound('a', 'node01', { phase: 'Running' }))],
  },
  { name: 'a spec change on the same node is summed again', events: [ev('ADDED', bound('p', 'node01', { cpu: '100m' })), ev('ADDED', bound('q', 'node01')), ev('MODIFIED', bound('p', 'node01', { cpu: '1', hostPort: 80 }))] },
  { name: 'moves between nodes', events: [ev('ADDED', bound('p', 'node01')), ev('ADDED', bound('q', 'node01')), ev('MODIFIED', bound('p', 'node02')), ev('MODIFIED', bound('p', 'node02', { phase: 'Running' }))] },
  {
    name: 'owners: adds, status writes, adoption and release, removal',
    events: [
      ev('ADDED', owned('u1', bound('a', 'node01'))),
      ev('ADDED', owned('u2', bound('b', 'node01'))),
      ev('ADDED', owned('u1', bound('c', 'node01'))),
      ev('MODIFIED', owned('u1', bound('a', 'node01', { phase: 'Running' }))),
      ev('MODIFIED', owned('u2', bound('a', 'node01', { phase: 'Running' }))),
      ev('MODIFIED', bound('c', 'node01', { phase: 'Running' })),
      ev('DELETED', owned('u2', bound('b', 'node01'))),
      ev('ADDED', owned('u1', bound('d', 'node02'))),
    ],
  },
  { name: 'a status write after finishing', events: [ev('ADDED', bound('p', 'node01')), ev('MODIFIED', bound('p', 'node01', { phase: 'Failed' })), ev('MODIFIED', bound('p', 'node01', { phase: 'Running' }))] },
];

describe('NodePodsCache', () => {
  it.each(cases)('$name', ({ initial = [], events }) => {
    const cache = new NodePodsCache(initial);
    const live = new Map<string, KObj>(initial.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
    for (const e of events) {
      cache.apply(e);
      const k = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
      if (e.type === 'DELETED') live.delete(k);
      else live.set(k, e.object);
    }
    // the scheduler used to pass store.list(pods): namespace, then name order
    const listed = [...live.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
    expect(cache.nodeInfos(nodes)).toEqual(buildNodeInfos(nodes, listed));
  });

  it.each(cases)('$name (read after every event)', ({ initial = [], events }) => {
    const cache = new NodePodsCache(initial);
    const live = new Map<string, KObj>(initial.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
    const listed = () => [...live.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
    expect(cache.nodeInfos(nodes)).toEqual(buildNodeInfos(nodes, listed()));
    for (const e of events) {
      const before = cache.nodeInfos(nodes).map((ni) => ni.pods.slice());
      const handedOut = cache.nodeInfos(nodes);
      cache.apply(e);
      const k = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
      if (e.type === 'DELETED') live.delete(k);
      else live.set(k, e.object);
      const got = cache.nodeInfos(nodes);
      expect(got).toEqual(buildNodeInfos(nodes, listed()));
      // the newest object is what a plugin reads, and views handed out earlier are left as they were
      got.forEach((ni) => ni.pods.forEach((p) => expect(p).toBe(live.get(`${p.metadata.namespace}/${p.metadata.name}`))));
      handedOut.forEach((ni, i) => expect(ni.pods).toEqual(before[i]));
      // PodTopologySpread's per-controller counts follow the list (carried over, not recounted)
      for (const ni of got) for (const uid of ['u1', 'u2']) expect(countOwned(ni.pods, 'default', uid)).toBe(ni.pods.filter((p) => p.metadata.ownerReferences?.[0]?.uid === uid).length);
    }
  });

  // between two reads the cache changes its lists in place (status writes); what it handed out stays
  it.each(cases)('$name (read after every third event)', ({ initial = [], events }) => {
    const cache = new NodePodsCache(initial);
    const live = new Map<string, KObj>(initial.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
    const listed = () => [...live.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
    const handedOut: Array<{ views: ReturnType<NodePodsCache['nodeInfos']>; pods: KObj[][] }> = [];
    const read = () => {
      const views = cache.nodeInfos(nodes);
      expect(views).toEqual(buildNodeInfos(nodes, listed()));
      for (const ni of views) for (const uid of ['u1', 'u2']) expect(countOwned(ni.pods, 'default', uid)).toBe(ni.pods.filter((p) => p.metadata.ownerReferences?.[0]?.uid === uid).length);
      handedOut.push({ views, pods: views.map((ni) => ni.pods.slice()) });
    };
    read();
    events.forEach((e, i) => {
      cache.apply(e);
      const k = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
      if (e.type === 'DELETED') live.delete(k);
      else live.set(k, e.object);
      if (i % 3 === 2) read();
    });
    read();
    for (const h of handedOut) h.views.forEach((ni, j) => expect(ni.pods).toEqual(h.pods[j]));
  });

  it('ignores events of other resources', () => {
    const cache = new NodePodsCache();
    cache.apply({ type: 'ADDED', resource: 'configmaps', object: bound('p', 'node01'), rev: 0 });
    expect(cache.nodeInfos(nodes)).toEqual(buildNodeInfos(nodes, []));
  });
});
