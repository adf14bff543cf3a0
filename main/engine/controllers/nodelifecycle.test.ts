import { describe, expect, it } from 'vitest';
import { builtin } from '../api/registry.js';
import { isoTime } from '../clock.js';
import { EventRecorder } from '../events/recorder.js';
import type { KObj } from '../store/types.js';
import { Harness } from '../testing/harness.js';
import { conditionsOf, desiredTaints, NodeLifecycleController, reconcileTaints, taintsOf, unknownConditions } from './nodelifecycle.js';
import { evictionDelaySeconds, TaintManager } from './taintmanager.js';

const NODES = builtin('', 'nodes');
const PODS = builtin('', 'pods');
const LEASES = builtin('coordination.k8s.io', 'leases');

const readyCond = (status: string, at: string) => [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: at, lastTransitionTime: at },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', lastHeartbeatTime: at, lastTransitionTime: at },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', lastHeartbeatTime: at, lastTransitionTime: at },
  { type: 'Ready', status, reason: status === 'True' ? 'KubeletReady' : 'KubeletNotReady', lastHeartbeatTime: at, lastTransitionTime: at },
];

/** a hand-driven "kubelet": registers the node, and renews its lease while alive */
function cluster() {
  const h = new Harness({ bootstrap: false });
  const client = h.env.client('kube-controller-manager');
  const rec = new EventRecorder(client);
  const nlc = new NodeLifecycleController(client, rec, h.clock);
  h.add(nlc, new TaintManager(client, rec, h.clock));
  h.startAgents(nlc);
  const now = () => isoTime(h.clock.now());
  const node = h.client.create(NODES, { metadata: { name: 'node01' }, spec: { podCIDR: '10.244.1.0/24' } });
  h.client.modifyStatus(NODES, undefined, 'node01', (n) => void (n.status = { conditions: readyCond('True', now()) }));
  h.client.create(LEASES, { metadata: { name: 'node01', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node01', leaseDurationSeconds: 40, renewTime: '2026-01-01T12:00:00.000000Z' } });
  let alive = true;
  const renew = () => {
    if (!alive) return;
    h.client.modify(LEASES, 'kube-node-lease', 'node01', (l) => void ((l.spec as { renewTime: string }).renewTime = new Date(h.clock.now()).toISOString().replace('Z', '000Z')));
    h.clock.after(10_000, renew);
  };
  h.clock.after(10_000, renew);
  const pod = (name: string, tolerations?: unknown[]) =>
    h.client.create(PODS, { metadata: { name, namespace: 'default' }, spec: { nodeName: 'node01', containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) } });
  const revive = () => {
    alive = true;
    renew();
  };
  return { h, node, pod, revive, kill: () => (alive = false), get: () => h.get('', 'nodes', undefined, 'node01')! };
}

const taintKeys = (n: KObj) => taintsOf(n).map((t) => `${t.key}:${t.effect}`).sort();

describe('node lifecycle: pure parts', () => {
  it.each([
    { conds: [], unschedulable: false, want: ['node.kubernetes.io/not-ready:NoSchedule'] },
    { conds: [{ type: 'Ready', status: 'True' }], unschedulable: true, want: ['node.kubernetes.io/unschedulable:NoSchedule'] },
    { conds: [{ type: 'Ready', status: 'False' }], unschedulable: false, want: ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute'] },
    { conds: [{ type: 'Ready', status: 'Unknown' }, { type: 'MemoryPressure', status: 'True' }], unschedulable: false, want: ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'] },
  ])('desired taints for $conds', ({ conds, unschedulable, want }) => {
    const n = { metadata: { name: 'n' }, spec: { unschedulable }, status: { conditions: conds } } as KObj;
    expect(desiredTaints(n).map((t) => `${t.key}:${t.effect}`)).toEqual(want);
  });

  it('keeps foreign taints and timestamps only new ones', () => {
    const cur = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule', timeAdded: 'T0' }];
    expect(reconcileTaints(cur, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }], 'T1')).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: 'T1' },
    ]);
  });

  it('turns kubelet conditions Unknown once', () => {
    const conds = unknownConditions(readyCond('True', 'T0'), 'T9', 'T-1')!;
    expect(conds.map((c) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime, c.lastTransitionTime])).toEqual(
      ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((t) => [t, 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', 'T0', 'T9']),
    );
    expect(unknownConditions(conds, 'T10', 'T-1')).toBeUndefined();
  });

  it.each([
    { taints: [], tol: [], want: undefined },
    { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], tol: [], want: 0 },
    { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], tol: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' as const, effect: 'NoExecute', tolerationSeconds: 300 }], want: 300 },
    { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], tol: [{ operator: 'Exists' as const }], want: undefined },
    { taints: [{ key: 'a', value: 'x', effect: 'NoExecute' }], tol: [{ key: 'a', value: 'y', effect: 'NoExecute' }], want: 0 },
    { taints: [{ key: 'a', effect: 'NoSchedule' }], tol: [], want: undefined },
  ])('eviction delay $want', ({ taints, tol, want }) => {
    expect(evictionDelaySeconds(taints, tol)).toBe(want);
  });
});

describe('NodeLifecycleController + TaintManager', () => {
  it('a node that keeps renewing its lease stays Ready and untainted', async () => {
    const { h, get } = cluster();
    await h.advance(120_000);
    expect(conditionsOf(get()).find((c) => c.type === 'Ready')!.status).toBe('True');
    expect(taintKeys(get())).toEqual([]);
    expect(h.eventsFor('node01', 'default')).toEqual(['Normal RegisteredNode: Node node01 event: Registered Node node01 in Controller']);
  });

  it('a silent node goes Unknown after 40 s, is tainted, and its pods are evicted after 300 s', async () => {
    const { h, get, kill, pod } = cluster();
    pod('web-1'); // admission adds the 300 s tolerations
    pod('forever', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
    h.client.modifyStatus(PODS, 'default', 'web-1', (p) => void (p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }));
    await h.advance(20_000);
    kill();
    const died = h.clock.now();
    await h.advance(40_000);
    expect(conditionsOf(get()).find((c) => c.type === 'Ready')!.status).toBe('True');
    await h.advance(10_000);
    const ready = conditionsOf(get()).find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    const unknownAt = Date.parse(ready.lastTransitionTime!);
    expect(unknownAt - died).toBeGreaterThan(40_000);
    expect(unknownAt - died).toBeLessThanOrEqual(50_000);
    expect(conditionsOf(get()).filter((c) => c.status === 'Unknown').map((c) => c.type).sort()).toEqual(['DiskPressure', 'MemoryPressure', 'PIDPressure', 'Ready']);
    expect(taintKeys(get())).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(taintsOf(get()).every((t) => t.timeAdded)).toBe(true);
    expect(h.eventsFor('node01', 'default')).toContain('Normal NodeNotReady: Node node01 status is now: NodeNotReady');
    const web = h.get('', 'pods', 'default', 'web-1')!;
    expect((web.status as { conditions: Array<{ type: string; status: string }> }).conditions.find((c) => c.type === 'Ready')!.status).toBe('False');
    expect(h.eventsFor('web-1')).toEqual(['Warning NodeNotReady: Node is not ready']);
    // 300 s after the taint the pod is marked for deletion; it stays Terminating (dead kubelet)
    await h.advance(290_000);
    expect(h.get('', 'pods', 'default', 'web-1')!.metadata.deletionTimestamp).toBeUndefined();
    await h.advance(20_000);
    const evicted = h.get('', 'pods', 'default', 'web-1')!;
    expect(evicted.metadata.deletionTimestamp).toBeDefined();
    expect((evicted.status as { conditions: Array<{ type: string; reason?: string }> }).conditions.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ reason: 'DeletionByTaintManager' });
    expect(h.eventsFor('web-1')).toContain('Normal TaintManagerEviction: Marking for deletion Pod default/web-1');
    expect(h.get('', 'pods', 'default', 'forever')!.metadata.deletionTimestamp).toBeUndefined();
    expect(h.errors).toEqual([]);
  });

  it('a pod without the toleration is evicted at once; a recovered node loses its taints and cancels evictions', async () => {
    const { h, get, kill, pod, revive } = cluster();
    await h.advance(10_000);
    kill();
    await h.advance(50_000);
    expect(taintKeys(get())).toContain('node.kubernetes.io/unreachable:NoExecute');
    pod('late'); // tolerates 300 s
    h.client.create(PODS, { metadata: { name: 'strict', namespace: 'default' }, spec: { nodeName: 'node01', containers: [{ name: 'c', image: 'nginx' }], tolerations: [{ key: 'x', operator: 'Exists' }] } });
    // admission's defaults cover a pod that tolerates nothing about readiness; give one that only tolerates not-ready
    h.client.create(PODS, { metadata: { name: 'picky', namespace: 'default' }, spec: { nodeName: 'node01', containers: [{ name: 'c', image: 'nginx' }], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Equal', value: 'nope', effect: 'NoExecute' }] } });
    await h.settle();
    expect(h.get('', 'pods', 'default', 'picky')!.metadata.deletionTimestamp).toBeDefined();
    expect(h.get('', 'pods', 'default', 'late')!.metadata.deletionTimestamp).toBeUndefined();
    // the kubelet comes back
    h.client.modifyStatus(NODES, undefined, 'node01', (n) => void (n.status = { conditions: readyCond('True', isoTime(h.clock.now())) }));
    revive();
    await h.advance(400_000);
    expect(taintKeys(get())).toEqual([]);
    expect(h.get('', 'pods', 'default', 'late')!.metadata.deletionTimestamp).toBeUndefined();
    expect(h.eventsFor('late')).toContain('Normal TaintManagerEviction: Cancelling deletion of Pod default/late');
  });

  it('a node that never posts status goes Unknown (never updated) after the 60 s startup grace', async () => {
    const { h } = cluster();
    h.client.create(NODES, { metadata: { name: 'mute' } });
    await h.advance(55_000);
    expect(h.get('', 'nodes', undefined, 'mute')!.status).toBeUndefined();
    expect(taintKeys(h.get('', 'nodes', undefined, 'mute')!)).toEqual(['node.kubernetes.io/not-ready:NoSchedule']);
    await h.advance(15_000);
    const n = h.get('', 'nodes', undefined, 'mute')!;
    expect(conditionsOf(n).map((c) => [c.type, c.status, c.reason, c.message])).toEqual(
      ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((t) => [t, 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.']),
    );
    expect(taintKeys(n)).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(h.errors).toEqual([]);
  });

  it('cordon adds the unschedulable taint; uncordon removes it', async () => {
    const { h, get } = cluster();
    await h.settle();
    h.client.modify(NODES, undefined, 'node01', (n) => void ((n.spec as { unschedulable?: boolean }).unschedulable = true));
    await h.settle();
    expect(taintKeys(get())).toEqual(['node.kubernetes.io/unschedulable:NoSchedule']);
    h.client.modify(NODES, undefined, 'node01', (n) => void delete (n.spec as { unschedulable?: boolean }).unschedulable);
    await h.settle();
    expect(taintKeys(get())).toEqual([]);
  });
});
