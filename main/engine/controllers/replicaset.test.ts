import { describe, expect, it } from 'vitest';
import type { KObj } from '../store/types.js';
import { Harness } from '../testing/harness.js';
import { rankForDeletion, ReplicaSetController, slowStartBatch } from './replicaset.js';
import { converge, kubelet, PODS, podsOf, RS } from './workloads-testutil.js';

const rs = (replicas: number, extra: Record<string, unknown> = {}): KObj => ({
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
    ...extra,
  },
});

function setup() {
  const h = new Harness({ bootstrap: false });
  h.add(new ReplicaSetController(h.env));
  return h;
}

describe('ReplicaSet controller', () => {
  it('creates missing pods with owner references, template labels and events', async () => {
    const h = setup();
    h.client.create(RS, rs(3));
    await h.settle();
    const pods = podsOf(h);
    expect(pods).toHaveLength(3);
    const owner = h.get('apps', 'replicasets', 'default', 'web')!;
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.generateName).toBe('web-');
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    expect(h.eventsFor('web')).toEqual(pods.map((p) => `Normal SuccessfulCreate: Created pod: ${p.metadata.name}`).sort());
    expect(owner.status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    expect(h.errors).toEqual([]);
  });

  it('counts ready and available pods (minReadySeconds) and requeues for availability', async () => {
    const h = setup();
    h.client.create(RS, rs(2, { minReadySeconds: 10 }));
    await converge(h);
    expect(h.get('apps', 'replicasets', 'default', 'web')!.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
    expect(h.get('apps', 'replicasets', 'default', 'web')!.status).not.toHaveProperty('availableReplicas');
    await h.advance(12_000);
    expect(h.get('apps', 'replicasets', 'default', 'web')!.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
  });

  it('replaces a deleted pod and deletes surplus pods, not-ready first', async () => {
    const h = setup();
    h.client.create(RS, rs(3));
    await converge(h);
    const [victim] = podsOf(h);
    h.client.delete(PODS, 'default', victim!.metadata.name!, { gracePeriodSeconds: 0 });
    await converge(h);
    expect(podsOf(h)).toHaveLength(3);
    expect(podsOf(h).map((p) => p.metadata.name)).not.toContain(victim!.metadata.name);

    const notReady = podsOf(h)[1]!;
    h.client.modifyStatus(PODS, 'default', notReady.metadata.name!, (o) => {
      (o.status as Record<string, unknown>).conditions = [{ type: 'Ready', status: 'False' }];
    });
    h.client.modify(RS, 'default', 'web', (o) => {
      (o.spec as Record<string, unknown>).replicas = 2;
    });
    await h.settle();
    expect(h.eventsFor('web')).toContain(`Normal SuccessfulDelete: Deleted pod: ${notReady.metadata.name}`);
    kubelet(h);
    await h.settle();
    expect(podsOf(h)).toHaveLength(2);
  });

  it('adopts matching orphans and releases pods whose labels stop matching', async () => {
    const h = setup();
    h.client.create(PODS, { metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    h.client.create(RS, rs(1));
    await h.settle();
    expect(podsOf(h).map((p) => p.metadata.name)).toEqual(['orphan']);
    expect(h.get('', 'pods', 'default', 'orphan')!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web', controller: true });
    h.client.modify(PODS, 'default', 'orphan', (o) => {
      o.metadata.labels = { app: 'other' };
    });
    await h.settle();
    expect(h.get('', 'pods', 'default', 'orphan')!.metadata.ownerReferences).toBeUndefined();
    expect(podsOf(h)).toHaveLength(2);
  });

  it('reports ReplicaFailure and a FailedCreate event when pods cannot be created, and clears it after', async () => {
    const h = setup();
    h.client.create(h.client.def('', 'namespaces'), { metadata: { name: 'dev' } });
    h.client.create(RS, { ...rs(0), metadata: { name: 'web', namespace: 'dev' } });
    await h.settle();
    // a terminating namespace refuses new content (no namespace controller runs here to finish it)
    h.client.delete(h.client.def('', 'namespaces'), undefined, 'dev');
    h.client.modify(RS, 'dev', 'web', (o) => {
      (o.spec as Record<string, unknown>).replicas = 2;
    });
    await h.settle();
    const st = h.get('apps', 'replicasets', 'dev', 'web')!.status as { conditions?: Array<Record<string, string>> };
    expect(st.conditions).toHaveLength(1);
    expect(st.conditions![0]).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' });
    expect(st.conditions![0]!.message).toMatch(/^pods "web-\w{5}" is forbidden: unable to create new content in namespace dev because it is being terminated$/);
    expect(h.errors.length).toBeGreaterThan(0);
    h.client.modify(RS, 'dev', 'web', (o) => {
      (o.spec as Record<string, unknown>).replicas = 0;
    });
    await h.settle();
    expect(h.get('apps', 'replicasets', 'dev', 'web')!.status).not.toHaveProperty('conditions');
  });
});

describe('slowStartBatch', () => {
  it.each([
    [5, Infinity, 5, [1, 2, 2]],
    [10, 4, 4, [1, 2, 4]],
    [1, 0, 0, [1]],
  ])('count %i failing after %s creations → %i created', (count, okUntil, created, batches) => {
    let calls = 0;
    const r = slowStartBatch(count, () => {
      if (calls++ >= okUntil) throw new Error('boom');
    });
    expect(r.created).toBe(created);
    expect(calls).toBe(batches.reduce((a, b) => a + b, 0));
  });
});

describe('rankForDeletion', () => {
  const pod = (name: string, o: { node?: string; phase?: string; ready?: boolean; created?: string; restarts?: number }): KObj => ({
    metadata: { name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
    spec: o.node ? { nodeName: o.node } : {},
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }], containerStatuses: [{ restartCount: o.restarts ?? 0 }] },
  });
  it.each<[string, KObj[], string[]]>([
    ['unscheduled first', [pod('a', { node: 'n1' }), pod('b', {})], ['b', 'a']],
    ['pending before running', [pod('a', { node: 'n1' }), pod('b', { node: 'n1', phase: 'Pending' })], ['b', 'a']],
    ['not ready before ready', [pod('a', { node: 'n1' }), pod('b', { node: 'n2', ready: false })], ['b', 'a']],
    ['doubled-up node first', [pod('a', { node: 'n1' }), pod('b', { node: 'n2' }), pod('c', { node: 'n2' })], ['c', 'b', 'a']],
    ['more restarts first', [pod('a', { node: 'n1' }), pod('b', { node: 'n2', restarts: 3 })], ['b', 'a']],
    ['newer first', [pod('a', { node: 'n1', created: '2026-01-01T00:00:00Z' }), pod('b', { node: 'n2', created: '2026-01-02T00:00:00Z' })], ['b', 'a']],
  ])('%s', (_n, pods, want) => {
    expect(rankForDeletion(pods, pods).map((p) => p.metadata.name)).toEqual(want);
  });
});
