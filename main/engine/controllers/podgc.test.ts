import { describe, expect, it } from 'vitest';
import { builtin } from '../api/registry.js';
import type { KObj } from '../store/types.js';
import { Harness } from '../testing/harness.js';
import { PodGC, podGCCandidates, podsToCollect } from './podgc.js';
import { podIndex } from './store-index.js';

const PODS = builtin('', 'pods');
const NODES = builtin('', 'nodes');

const pod = (name: string, over: { nodeName?: string; phase?: string; deleting?: boolean; created?: string } = {}) =>
  ({
    metadata: { name, namespace: 'default', uid: name, creationTimestamp: over.created ?? '2026-01-01T00:00:00Z', ...(over.deleting ? { deletionTimestamp: 'x' } : {}) },
    spec: { nodeName: over.nodeName },
    status: { phase: over.phase ?? 'Running' },
  }) as KObj;
const node = (name: string, ready = 'True', taints: unknown[] = []) => ({ metadata: { name }, spec: { taints }, status: { conditions: [{ type: 'Ready', status: ready }] } }) as KObj;
const opts = { periodMs: 20_000, quarantineMs: 40_000, terminatedThreshold: 2 };

describe('podsToCollect', () => {
  it.each([
    { name: 'pod on a live node', pods: [pod('a', { nodeName: 'n1' })], nodes: [node('n1')], missingFor: 0, want: [] },
    { name: 'pod on a missing node, in quarantine', pods: [pod('a', { nodeName: 'gone' })], nodes: [], missingFor: 20_000, want: [] },
    { name: 'pod on a missing node, after quarantine', pods: [pod('a', { nodeName: 'gone' })], nodes: [], missingFor: 40_000, want: ['a:DeletionByPodGC'] },
    { name: 'terminating unscheduled pod', pods: [pod('a', { deleting: true })], nodes: [], missingFor: 0, want: ['a:'] },
    { name: 'terminating pod on a dead node stays', pods: [pod('a', { nodeName: 'n1', deleting: true })], nodes: [node('n1', 'Unknown')], missingFor: 0, want: [] },
    { name: 'terminating pod on an out-of-service node', pods: [pod('a', { nodeName: 'n1', deleting: true })], nodes: [node('n1', 'Unknown', [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }])], missingFor: 0, want: ['a:DeletionByPodGC'] },
    {
      name: 'terminated pods over the threshold, oldest first',
      pods: ['3', '1', '2'].map((i) => pod(`t${i}`, { nodeName: 'n1', phase: 'Succeeded', created: `2026-01-0${i}T00:00:00Z` })),
      nodes: [node('n1')],
      missingFor: 0,
      want: ['t1:'],
    },
  ])('$name', ({ pods, nodes, missingFor, want }) => {
    const missing = new Map<string, number>();
    if (missingFor) missing.set('gone', 100_000 - missingFor);
    const got = podsToCollect(pods, nodes, 100_000, missing, opts).map((a) => `${a.pod.metadata.name}:${a.reason?.reason ?? ''}`);
    expect(got).toEqual(want);
  });
});

describe('PodGC', () => {
  it('force-deletes pods of a deleted node after the quarantine', async () => {
    const h = new Harness({ bootstrap: false });
    h.client.create(NODES, { metadata: { name: 'node01' } });
    h.client.create(PODS, { metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'node01', containers: [{ name: 'c', image: 'nginx' }] } });
    const gc = new PodGC(h.client, h.clock);
    h.startAgents(gc);
    h.client.delete(PODS, 'default', 'p'); // graceful: Terminating, nobody finishes it
    await h.advance(60_000);
    expect(h.get('', 'pods', 'default', 'p')!.metadata.deletionTimestamp).toBeDefined();
    h.client.delete(NODES, undefined, 'node01');
    await h.advance(20_000);
    expect(h.get('', 'pods', 'default', 'p')).toBeDefined();
    await h.advance(60_000);
    expect(h.get('', 'pods', 'default', 'p')).toBeUndefined();
    h.stop();
  });
});

describe('podGCCandidates', () => {
  const PODS_REF = { group: '', resource: 'pods', namespaced: true };
  const oos = [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }];
  const cases = [
    { name: 'only live pods', pods: [pod('a', { nodeName: 'n1' }), pod('b', { nodeName: 'n2' })], nodes: [node('n1'), node('n2')] },
    {
      name: 'everything at once',
      pods: [
        pod('live', { nodeName: 'n1' }),
        pod('t3', { nodeName: 'n1', phase: 'Succeeded', created: '2026-01-03T00:00:00Z' }),
        pod('t1', { nodeName: 'n2', phase: 'Failed', created: '2026-01-01T00:00:00Z' }),
        pod('t2', { nodeName: 'gone', phase: 'Succeeded', created: '2026-01-02T00:00:00Z' }),
        pod('t0', { phase: 'Failed', created: '2026-01-02T00:00:00Z' }),
        pod('pending'),
        pod('unbound-deleting', { deleting: true }),
        pod('orphaned', { nodeName: 'gone' }),
        pod('orphaned2', { nodeName: 'gone2', deleting: true }),
        pod('oos-deleting', { nodeName: 'n3', deleting: true }),
        pod('oos-running', { nodeName: 'n3' }),
        pod('dead-deleting', { nodeName: 'n2', deleting: true }),
      ],
      nodes: [node('n1'), node('n2', 'Unknown'), node('n3', 'False', oos)],
    },
    { name: 'out-of-service taint on a ready node', pods: [pod('a', { nodeName: 'n1', deleting: true })], nodes: [node('n1', 'True', oos)] },
  ];
  it.each(cases)('$name: a pass over the candidates does what a pass over every pod does', ({ pods, nodes }) => {
    const h = new Harness();
    for (const p of pods) h.store.create(PODS_REF, structuredClone(p));
    const all = h.store.list(PODS_REF);
    const label = (as: ReturnType<typeof podsToCollect>) => as.map((a) => `${a.pod.metadata.name}:${a.reason?.reason ?? ''}`);
    for (const missingFor of [0, 20_000, 40_000]) {
      const full = new Map<string, number>([['gone', 100_000 - missingFor], ['n1', 1]]);
      const fewer = new Map(full);
      const want = label(podsToCollect(all, nodes, 100_000, full, opts));
      expect(label(podsToCollect(podGCCandidates(podIndex(h.store), nodes), nodes, 100_000, fewer, opts))).toEqual(want);
      expect([...fewer].sort()).toEqual([...full].sort());
    }
  });
});
