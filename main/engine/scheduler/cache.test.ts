import { describe, expect, it } from 'vitest';
import type { KObj, StoreEvent } from '../store/types.js';
import { NodePodsCache } from './cache.js';
import { buildNodeInfos } from './resources.js';
import { mkNode, mkPod } from './testutil.js';

const nodes = [mkNode('node01'), mkNode('node02', { cpu: '4' })];
const bound = (name: string, node: string, extra: Parameters<typeof mkPod>[1] = {}) => mkPod(name, { cpu: '100m', ...extra, node });
const ev = (type: StoreEvent['type'], object: KObj): StoreEvent => ({ type, resource: 'pods', object, rev: 0 });

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

  it('ignores events of other resources', () => {
    const cache = new NodePodsCache();
    cache.apply({ type: 'ADDED', resource: 'configmaps', object: bound('p', 'node01'), rev: 0 });
    expect(cache.nodeInfos(nodes)).toEqual(buildNodeInfos(nodes, []));
  });
});
