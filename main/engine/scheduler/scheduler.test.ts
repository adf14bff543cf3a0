import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../testing/harness.js';
import type { KObj } from '../store/types.js';
import { Scheduler, truncateNote } from './scheduler.js';
import { CONTROL_PLANE_TAINT, mkNode, mkPod, type NodeSpec, type PodSpecLite } from './testutil.js';

const BIG_MSG =
  '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';

let h: Harness;
let sched: Scheduler;
afterEach(() => h?.stop());

function setup(opts: ConstructorParameters<typeof Scheduler>[1] = {}): void {
  h = new Harness({ bootstrap: false });
  sched = new Scheduler(h.env, opts);
}

function addNode(name: string, s: NodeSpec = {}): void {
  const n = mkNode(name, s);
  const c = h.client;
  c.create(c.def('', 'nodes'), { ...n, status: undefined } as KObj);
  c.modifyStatus(c.def('', 'nodes'), undefined, name, (o) => void (o.status = n.status));
}

function setNode(name: string, mutate: (o: KObj) => void, status = false): void {
  const c = h.client;
  if (status) c.modifyStatus(c.def('', 'nodes'), undefined, name, mutate);
  else c.modify(c.def('', 'nodes'), undefined, name, mutate);
}

function addPod(name: string, s: PodSpecLite = {}): void {
  const p = mkPod(name, s);
  delete (p.metadata as { uid?: string }).uid;
  delete p.status;
  h.client.create(h.client.def('', 'pods'), p);
}

const pod = (name: string) => h.get('', 'pods', 'default', name)!;
const nodeOf = (name: string) => (pod(name).spec as { nodeName?: string }).nodeName;
const scheduledCond = (name: string) => ((pod(name).status as { conditions?: Array<Record<string, unknown>> }).conditions ?? []).find((c) => c.type === 'PodScheduled');

function standardCluster(): void {
  addNode('controlplane', { taints: [CONTROL_PLANE_TAINT], labels: { 'node-role.kubernetes.io/control-plane': '' } });
  addNode('node01');
  addNode('node02');
}

describe('Scheduler', () => {
  it('binds pending pods, spreading them by free resources, with the Scheduled event', async () => {
    setup();
    standardCluster();
    h.startAgents(sched);
    addPod('web', { cpu: '500m' });
    await h.settle();
    addPod('api', { cpu: '500m' });
    await h.settle();
    expect(nodeOf('web')).toBe('node01');
    expect(nodeOf('api')).toBe('node02');
    expect(scheduledCond('web')).toMatchObject({ type: 'PodScheduled', status: 'True', lastProbeTime: null });
    expect(h.eventsFor('web')).toEqual(['Normal Scheduled: Successfully assigned default/web to node01']);
    const ev = h.list('', 'events', 'default').find((e) => e.reason === 'Scheduled')!;
    expect(ev.source).toEqual({ component: 'default-scheduler' });
    expect(sched.trace('default', 'web')).toMatchObject({ outcome: 'Scheduled', node: 'node01', attempt: 1 });
    expect(sched.errors).toEqual([]);
  });

  it('keeps the traces of the most recently scheduled pods only', async () => {
    setup({ traceLimit: 2 });
    standardCluster();
    h.startAgents(sched);
    for (const name of ['a', 'b', 'c']) {
      addPod(name);
      await h.settle();
    }
    expect(['a', 'b', 'c'].map((n) => sched.trace('default', n)?.outcome)).toEqual([undefined, 'Scheduled', 'Scheduled']);
    expect(nodeOf('a')).toBeDefined();
  });

  it('leaves pods with a nodeName or another schedulerName alone', async () => {
    setup();
    standardCluster();
    h.startAgents(sched);
    addPod('pinned', { node: 'node02' });
    const other = mkPod('other');
    delete (other.metadata as { uid?: string }).uid;
    (other.spec as Record<string, unknown>).schedulerName = 'my-scheduler';
    h.client.create(h.client.def('', 'pods'), other);
    await h.settle();
    expect(nodeOf('other')).toBeUndefined();
    expect(h.eventsFor('pinned')).toEqual([]);
  });

  it('keeps a pod that fits nowhere Pending with the upstream message, and schedules it when room appears', async () => {
    setup();
    standardCluster();
    h.startAgents(sched);
    addPod('big', { cpu: '3' });
    await h.settle();
    expect(nodeOf('big')).toBeUndefined();
    expect(scheduledCond('big')).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: BIG_MSG.replace('2 Insufficient cpu', '2 Insufficient cpu') });
    expect((pod('big').status as { phase?: string }).phase).toBe('Pending');
    expect(h.eventsFor('big')).toEqual([`Warning FailedScheduling: ${BIG_MSG}`]);
    expect(sched.trace('default', 'big')?.nodes.map((n) => n.rejectedBy?.plugin)).toEqual(['TaintToleration', 'NodeResourcesFit', 'NodeResourcesFit']);

    // a heartbeat-only node update does not retry it
    const rv = pod('big').metadata.resourceVersion;
    setNode('node01', (n) => void ((n.status as { conditions: Array<Record<string, unknown>> }).conditions[0]!.lastHeartbeatTime = '2026-01-01T12:00:10Z'), true);
    await h.advance(15_000);
    expect(pod('big').metadata.resourceVersion).toBe(rv);
    expect(h.list('', 'events', 'default').find((e) => e.reason === 'FailedScheduling')!.count).toBe(1);

    // a bigger node joins: retried after its backoff and bound
    addNode('node03', { cpu: '4' });
    await h.advance(2000);
    expect(nodeOf('big')).toBe('node03');
    expect(scheduledCond('big')).toMatchObject({ status: 'True' });
    expect(scheduledCond('big')!.message).toBeUndefined();
    expect(h.eventsFor('big')).toEqual([`Warning FailedScheduling: ${BIG_MSG}`, 'Normal Scheduled: Successfully assigned default/big to node03']);
  });

  it('retries when a bound pod goes away, respecting the backoff', async () => {
    setup();
    addNode('node01');
    h.startAgents(sched);
    addPod('hog', { cpu: '1500m' });
    await h.settle();
    addPod('web', { cpu: '1' });
    await h.settle();
    expect(scheduledCond('web')?.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
    h.client.delete(h.client.def('', 'pods'), 'default', 'hog', { gracePeriodSeconds: 0 });
    await h.settle();
    expect(nodeOf('web')).toBeUndefined(); // still within the 1 s backoff
    await h.advance(1000);
    expect(nodeOf('web')).toBe('node01');
  });

  it('retries a pod that stays unschedulable every 5 minutes, counting the event', async () => {
    setup();
    standardCluster();
    h.startAgents(sched);
    addPod('big', { cpu: '100' });
    await h.settle();
    await h.advance(4 * 60_000, 10_000);
    const ev = () => h.list('', 'events', 'default').find((e) => e.reason === 'FailedScheduling')!;
    expect(ev().count).toBe(1);
    await h.advance(90_000, 10_000);
    expect(ev().count).toBe(2);
    expect(sched.trace('default', 'big')?.attempt).toBe(2);
  });

  it('retries after uncordon and taint removal', async () => {
    setup();
    addNode('node01', { unschedulable: true });
    h.startAgents(sched);
    addPod('web');
    await h.settle();
    expect(scheduledCond('web')?.message).toBe('0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.');
    setNode('node01', (n) => {
      delete (n.spec as Record<string, unknown>).unschedulable;
      (n.spec as Record<string, unknown>).taints = [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }];
    });
    await h.advance(1000);
    expect(scheduledCond('web')?.message).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    setNode('node01', (n) => void delete (n.spec as Record<string, unknown>).taints);
    await h.advance(2000);
    expect(nodeOf('web')).toBe('node01');
  });

  it('says so when there are no nodes', async () => {
    setup();
    h.startAgents(sched);
    addPod('web');
    await h.settle();
    expect(scheduledCond('web')).toMatchObject({ reason: 'Unschedulable', message: 'no nodes available to schedule pods' });
    addNode('node01');
    await h.advance(1000);
    expect(nodeOf('web')).toBe('node01');
  });

  it('preempts a lower-priority pod and takes its place once it is gone', async () => {
    setup();
    addNode('node01');
    h.startAgents(sched);
    addPod('low', { cpu: '1500m', priority: 0 });
    await h.settle();
    addPod('vip', { cpu: '1', priority: 1000 });
    await h.settle();
    expect(pod('low').metadata.deletionTimestamp).toBeDefined();
    expect(((pod('low').status as { conditions: Array<Record<string, unknown>> }).conditions ?? []).find((c) => c.type === 'DisruptionTarget')).toMatchObject({ reason: 'PreemptionByScheduler' });
    expect(h.eventsFor('low')).toContain(`Normal Preempted: Preempted by pod ${pod('vip').metadata.uid} on node node01`);
    expect((pod('vip').status as { nominatedNodeName?: string }).nominatedNodeName).toBe('node01');
    expect(scheduledCond('vip')?.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    // while the victim terminates, a retry does not preempt again
    setNode('node01', (n) => void (n.metadata.labels = { ...n.metadata.labels, disk: 'ssd' }));
    await h.advance(3000);
    expect(sched.trace('default', 'vip')).toMatchObject({ outcome: 'Unschedulable', attempt: 2 });
    expect(scheduledCond('vip')?.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.');
    h.client.delete(h.client.def('', 'pods'), 'default', 'low', { gracePeriodSeconds: 0 });
    await h.advance(10_000);
    expect(nodeOf('vip')).toBe('node01');
  });
});

describe('truncateNote', () => {
  it.each([
    { len: 10, want: 10 },
    { len: 1024, want: 1024 },
    { len: 2000, want: 1024 },
  ])('$len chars → $want', ({ len, want }) => {
    const out = truncateNote('x'.repeat(len));
    expect(out.length).toBe(want);
    if (len > 1024) expect(out.endsWith('x ...')).toBe(true);
  });
});
