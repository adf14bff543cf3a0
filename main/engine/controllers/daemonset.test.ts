import { describe, expect, it } from 'vitest';
import type { KObj } from '../store/types.js';
import { Harness } from '../testing/harness.js';
import { DaemonSetController, daemonPodSpec, REVISION_HASH, shouldRunOn, targetNode } from './daemonset.js';
import { addNode, converge, DS, NODES, PODS, podsOf } from './workloads-testutil.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const NODE_NAMES = ['controlplane', 'node01', 'node02'];

function setup() {
  const h = new Harness({ bootstrap: false });
  addNode(h, 'controlplane', { labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [CP_TAINT] });
  addNode(h, 'node01');
  addNode(h, 'node02');
  h.add(new DaemonSetController(h.env));
  return h;
}

const ds = (spec: Json = {}): KObj => ({
  metadata: { name: 'agent', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox' }], ...spec } },
  },
});
const byNode = (h: Harness) => Object.fromEntries(podsOf(h).filter((p) => !p.metadata.deletionTimestamp).map((p) => [targetNode(p), p.metadata.name]));
const status = (h: Harness) => h.get('apps', 'daemonsets', 'default', 'agent')!.status as Json;

describe('DaemonSet controller', () => {
  it('runs one pod per untainted node, pinned by node affinity, with daemon tolerations and labels', async () => {
    const h = setup();
    h.client.create(DS, ds());
    await h.settle();
    expect(Object.keys(byNode(h)).sort()).toEqual(['node01', 'node02']);
    const pod = podsOf(h)[0]!;
    expect((pod.spec as Json).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [targetNode(pod)] }] }],
    });
    expect(((pod.spec as Json).tolerations as Json[]).map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    expect(pod.metadata.labels).toMatchObject({ app: 'agent', 'pod-template-generation': '1' });
    expect(pod.metadata.labels![REVISION_HASH]).toMatch(/^[4-9bcdf]{9,10}$/);
    expect(status(h)).toEqual({ currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 0, observedGeneration: 1, updatedNumberScheduled: 2, numberUnavailable: 2 });
    await converge(h, { nodes: NODE_NAMES });
    expect(status(h)).toMatchObject({ numberReady: 2, numberAvailable: 2 });
    expect(status(h)).not.toHaveProperty('numberUnavailable');
    expect(h.errors).toEqual([]);
  });

  it('a DaemonSet tolerating everything (kube-proxy) also runs on the control plane', async () => {
    const h = setup();
    h.client.create(DS, ds({ hostNetwork: true, tolerations: [{ operator: 'Exists' }] }));
    await h.settle();
    expect(Object.keys(byNode(h)).sort()).toEqual(NODE_NAMES);
    expect(((podsOf(h)[0]!.spec as Json).tolerations as Json[]).at(-1)).toEqual({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
    expect(((podsOf(h)[0]!.spec as Json).tolerations as Json[])[0]).toEqual({ operator: 'Exists' });
  });

  it('follows nodes being added, relabelled and removed', async () => {
    const h = setup();
    h.client.create(DS, ds({ nodeSelector: { disk: 'ssd' } }));
    await h.settle();
    expect(byNode(h)).toEqual({});
    h.client.modify(NODES, undefined, 'node01', (n) => {
      n.metadata.labels = { ...n.metadata.labels, disk: 'ssd' };
    });
    addNode(h, 'node03', { labels: { disk: 'ssd' } });
    await h.settle();
    expect(Object.keys(byNode(h)).sort()).toEqual(['node01', 'node03']);
    h.client.delete(NODES, undefined, 'node03');
    h.client.modify(NODES, undefined, 'node01', (n) => {
      delete n.metadata.labels!.disk;
    });
    await converge(h, { nodes: NODE_NAMES });
    expect(byNode(h)).toEqual({});
    expect(status(h)).toMatchObject({ desiredNumberScheduled: 0, currentNumberScheduled: 0 });
  });

  it('replaces a deleted pod', async () => {
    const h = setup();
    h.client.create(DS, ds());
    await converge(h, { nodes: NODE_NAMES });
    const before = byNode(h);
    h.client.delete(PODS, 'default', before.node01!, { gracePeriodSeconds: 0 });
    await converge(h, { nodes: NODE_NAMES });
    expect(byNode(h).node01).toBeDefined();
    expect(byNode(h).node01).not.toBe(before.node01);
  });

  it('rolls a template change one node at a time (maxUnavailable 1)', async () => {
    const h = setup();
    h.client.create(DS, ds());
    await converge(h, { nodes: NODE_NAMES });
    const oldHash = podsOf(h)[0]!.metadata.labels![REVISION_HASH];
    h.client.modify(DS, 'default', 'agent', (o) => {
      (o.spec as Json).template.spec.containers[0].image = 'busybox:1.36';
    });
    await h.settle();
    const live = podsOf(h).filter((p) => !p.metadata.deletionTimestamp);
    expect(live.filter((p) => p.metadata.labels![REVISION_HASH] === oldHash)).toHaveLength(1);
    await converge(h, { nodes: NODE_NAMES });
    const hashes = podsOf(h).map((p) => p.metadata.labels![REVISION_HASH]);
    expect(hashes).toHaveLength(2);
    expect(hashes.every((x) => x !== oldHash)).toBe(true);
    expect(status(h)).toMatchObject({ updatedNumberScheduled: 2, numberAvailable: 2, observedGeneration: 2 });
  });
});

describe('shouldRunOn', () => {
  const node = (labels: Record<string, string>, taints: Json[] = []): KObj => ({ metadata: { name: 'n1', labels }, spec: { taints } });
  const d = (spec: Json): KObj => ({ metadata: { name: 'x' }, spec: { template: { spec } } });
  it.each<[string, KObj, KObj, [boolean, boolean]]>([
    ['plain', d({}), node({}), [true, true]],
    ['nodeSelector mismatch', d({ nodeSelector: { a: 'b' } }), node({}), [false, false]],
    ['affinity In', d({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } }), node({ zone: 'a' }), [true, true]],
    ['untolerated NoSchedule: keep running', d({}), node({}, [{ key: 'x', effect: 'NoSchedule' }]), [false, true]],
    ['untolerated NoExecute: evict', d({}), node({}, [{ key: 'x', effect: 'NoExecute' }]), [false, false]],
    ['not-ready taint is tolerated by default', d({}), node({}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), [true, true]],
    ['unschedulable taint is tolerated by default', d({}), node({}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), [true, true]],
    ['PreferNoSchedule is ignored', d({}), node({}, [{ key: 'x', effect: 'PreferNoSchedule' }]), [true, true]],
  ])('%s', (_n, dsObj, n, [run, cont]) => {
    expect(shouldRunOn(dsObj, n)).toEqual({ shouldRun: run, shouldContinueRunning: cont });
  });

  it('daemonPodSpec replaces required node affinity terms with the node pin', () => {
    const spec = daemonPodSpec({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } } } }, 'n1');
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }]);
  });
});
