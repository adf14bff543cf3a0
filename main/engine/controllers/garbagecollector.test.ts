import { describe, expect, it } from 'vitest';
import { builtin } from '../api/registry.js';
import { Harness } from '../testing/harness.js';
import type { KObj } from '../store/types.js';
import { GarbageCollector } from './garbagecollector.js';

const CM = builtin('', 'configmaps');
const PODS = builtin('', 'pods');
const NODES = builtin('', 'nodes');
const LEASES = builtin('coordination.k8s.io', 'leases');

function setup() {
  const h = new Harness({ bootstrap: false });
  h.add(new GarbageCollector(h.client, () => h.ctx.registry.defs.filter((d) => !d.virtual)));
  return h;
}

const ref = (o: KObj, block = true) => ({ apiVersion: 'v1', kind: o.kind!, name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: block });

function pod(h: Harness, name: string, owners: ReturnType<typeof ref>[], nodeName?: string): KObj {
  return h.client.create(PODS, {
    metadata: { name, namespace: 'default', ownerReferences: owners as KObj['metadata']['ownerReferences'] },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
  });
}

describe('GarbageCollector', () => {
  it.each([
    { policy: undefined, owner: 'gone', dependents: [] as string[] },
    { policy: 'Background' as const, owner: 'gone', dependents: [] as string[] },
    { policy: 'Foreground' as const, owner: 'gone', dependents: [] as string[] },
    { policy: 'Orphan' as const, owner: 'gone', dependents: ['a', 'b'] },
  ])('deletes dependents with propagation $policy', async ({ policy, dependents }) => {
    const h = setup();
    const owner = h.client.create(CM, { metadata: { name: 'owner', namespace: 'default' } });
    pod(h, 'a', [ref(owner)]);
    pod(h, 'b', [ref(owner, false)]);
    await h.settle();
    h.client.delete(CM, 'default', 'owner', { propagationPolicy: policy });
    await h.settle();
    expect(h.get('', 'configmaps', 'default', 'owner')).toBeUndefined();
    expect(h.list('', 'pods', 'default').map((p) => p.metadata.name)).toEqual(dependents);
    // orphans no longer point at the owner
    for (const p of h.list('', 'pods', 'default')) expect(p.metadata.ownerReferences).toBeUndefined();
    expect(h.errors).toEqual([]);
  });

  it('foreground: the owner waits with its finalizer until blocking dependents are gone', async () => {
    const h = setup();
    const owner = h.client.create(CM, { metadata: { name: 'owner', namespace: 'default' } });
    pod(h, 'bound', [ref(owner)], 'node01'); // graceful: stays Terminating until its kubelet finishes
    pod(h, 'loose', [ref(owner, false)], 'node01');
    await h.settle();
    h.client.delete(CM, 'default', 'owner', { propagationPolicy: 'Foreground' });
    await h.settle();
    const o = h.get('', 'configmaps', 'default', 'owner')!;
    expect(o.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(o.metadata.deletionTimestamp).toBeDefined();
    expect(h.get('', 'pods', 'default', 'bound')!.metadata.deletionTimestamp).toBeDefined();
    expect(h.get('', 'pods', 'default', 'loose')!.metadata.deletionTimestamp).toBeDefined();
    // the kubelet finishing the non-blocking pod changes nothing for the owner
    h.client.delete(PODS, 'default', 'loose', { gracePeriodSeconds: 0 });
    await h.settle();
    expect(h.get('', 'configmaps', 'default', 'owner')).toBeDefined();
    h.client.delete(PODS, 'default', 'bound', { gracePeriodSeconds: 0 });
    await h.settle();
    expect(h.get('', 'configmaps', 'default', 'owner')).toBeUndefined();
    expect(h.errors).toEqual([]);
  });

  it('a pod deleted with Foreground still waits for its kubelet', async () => {
    const h = setup();
    pod(h, 'solo', [], 'node01');
    await h.settle();
    h.client.delete(PODS, 'default', 'solo', { propagationPolicy: 'Foreground' });
    await h.settle();
    expect(h.get('', 'pods', 'default', 'solo')!.metadata.finalizers).toEqual(['foregroundDeletion']);
    h.client.delete(PODS, 'default', 'solo', { gracePeriodSeconds: 0 }); // the kubelet is done
    await h.settle();
    expect(h.get('', 'pods', 'default', 'solo')).toBeUndefined();
  });

  it('foreground cascades through levels (owner → middle → leaf)', async () => {
    const h = setup();
    const top = h.client.create(CM, { metadata: { name: 'top', namespace: 'default' } });
    const mid = h.client.create(CM, { metadata: { name: 'mid', namespace: 'default', ownerReferences: [ref(top)] as KObj['metadata']['ownerReferences'] } });
    pod(h, 'leaf', [ref(mid)]);
    await h.settle();
    h.client.delete(CM, 'default', 'top', { propagationPolicy: 'Foreground' });
    await h.settle();
    expect(h.list('', 'configmaps', 'default')).toEqual([]);
    expect(h.list('', 'pods', 'default')).toEqual([]);
  });

  it('keeps a dependent that still has another owner, dropping the gone one', async () => {
    const h = setup();
    const a = h.client.create(CM, { metadata: { name: 'a', namespace: 'default' } });
    const b = h.client.create(CM, { metadata: { name: 'b', namespace: 'default' } });
    pod(h, 'p', [ref(a), { ...ref(b), controller: false }]);
    await h.settle();
    h.client.delete(CM, 'default', 'a');
    await h.settle();
    expect(h.get('', 'pods', 'default', 'p')!.metadata.ownerReferences).toEqual([{ ...ref(b), controller: false }]);
  });

  it('collects dependents of a cluster-scoped owner and dangling references at start-up', async () => {
    const h = new Harness({ bootstrap: false });
    const node = h.client.create(NODES, { metadata: { name: 'node01' } });
    h.client.create(LEASES, { metadata: { name: 'node01', namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node01', uid: node.metadata.uid! }] }, spec: { holderIdentity: 'node01' } });
    pod(h, 'stale', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never', uid: 'no-such-uid', controller: true, blockOwnerDeletion: true }]);
    h.add(new GarbageCollector(h.client, () => h.ctx.registry.defs.filter((d) => !d.virtual)));
    await h.settle();
    expect(h.get('', 'pods', 'default', 'stale')).toBeUndefined();
    expect(h.get('coordination.k8s.io', 'leases', 'kube-node-lease', 'node01')).toBeDefined();
    h.client.delete(NODES, undefined, 'node01');
    await h.settle();
    expect(h.get('coordination.k8s.io', 'leases', 'kube-node-lease', 'node01')).toBeUndefined();
  });

  it('leaves owners of unknown kinds alone', async () => {
    const h = setup();
    pod(h, 'p', [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'u1', controller: true, blockOwnerDeletion: true }]);
    await h.settle();
    expect(h.get('', 'pods', 'default', 'p')).toBeDefined();
  });
});
