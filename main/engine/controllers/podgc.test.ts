import { describe, expect, it } from 'vitest';
import { builtin } from '../api/registry.js';
import type { KObj } from '../store/types.js';
import { Harness } from '../testing/harness.js';
import { PodGC, podsToCollect } from './podgc.js';

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
