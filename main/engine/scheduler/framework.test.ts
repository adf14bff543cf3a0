import { describe, expect, it } from 'vitest';
import { fitErrorMessage, reasonHistogram, schedulePod } from './framework.js';
import { CONTROL_PLANE_TAINT, infos, mkNode, mkPod } from './testutil.js';

const cluster = () => [mkNode('controlplane', { taints: [CONTROL_PLANE_TAINT] }), mkNode('node01'), mkNode('node02')];

describe('FailedScheduling message', () => {
  it.each([
    {
      name: 'too big for any worker',
      pod: mkPod('big', { cpu: '100' }),
      want: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    },
    {
      name: 'selector matches nothing',
      pod: mkPod('p', { nodeSelector: { disk: 'ssd' } }),
      want: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    },
    {
      name: 'two reasons from one node are both counted',
      pod: mkPod('p', { cpu: '3', memory: '5Gi', tolerations: [{ operator: 'Exists' }] }),
      want: '0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    },
    {
      name: 'preemptionPolicy Never',
      pod: (() => {
        const p = mkPod('p', { cpu: '100' });
        (p.spec as Record<string, unknown>).preemptionPolicy = 'Never';
        return p;
      })(),
      want: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    },
  ])('$name', ({ pod, want }) => {
    const out = schedulePod(pod, infos(cluster()));
    expect(out.node).toBeUndefined();
    expect(out.message).toBe(want);
  });

  it('no nodes at all', () => {
    expect(schedulePod(mkPod('p'), []).message).toBe('no nodes available to schedule pods');
  });

  it('histogram is sorted as strings ("10 …" before "2 …")', () => {
    const lists = [...Array(10).fill(['b']), ['a'], ['a']] as string[][];
    expect(reasonHistogram(lists)).toBe('10 b, 2 a');
    expect(fitErrorMessage(12, lists)).toBe('0/12 nodes are available: 10 b, 2 a.');
  });

  it('lower-priority pods that fill the node only report why preemption cannot help when it cannot', () => {
    const pods = [mkPod('low', { cpu: '1', node: 'node01', priority: 0 })];
    const out = schedulePod(mkPod('p', { cpu: '5', priority: 100 }), infos(cluster(), pods));
    expect(out.message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    );
  });
});

describe('choosing a node', () => {
  it('prefers the least allocated node and records the trace', () => {
    const pods = [mkPod('a', { cpu: '1', node: 'node01' })];
    const out = schedulePod(mkPod('p', { cpu: '100m' }), infos(cluster(), pods));
    expect(out.node).toBe('node02');
    expect(out.nodes.map((n) => n.node)).toEqual(['controlplane', 'node01', 'node02']);
    expect(out.nodes[0]!.rejectedBy).toEqual({ plugin: 'TaintToleration', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] });
    expect(out.nodes[2]!.total).toBeGreaterThan(out.nodes[1]!.total!);
    expect(Object.keys(out.nodes[2]!.scores!)).toEqual(['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'PodTopologySpread', 'NodeResourcesBalancedAllocation']);
  });

  it('spreads the pods of one controller over nodes (system default topology spread)', () => {
    const owned = (name: string, node?: string) => {
      const p = mkPod(name, { cpu: '100m', node });
      p.metadata.namespace = 'default';
      p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-1', controller: true }];
      return p;
    };
    // node01 is emptier by resources, but already runs two of web-1's pods
    const other = mkPod('big', { cpu: '300m', node: 'node02' });
    other.metadata.namespace = 'default';
    const pods = [owned('w1', 'node01'), owned('w2', 'node01'), other];
    expect(schedulePod(owned('w3'), infos(cluster(), pods)).node).toBe('node02');
  });

  it('breaks ties by node name', () => {
    expect(schedulePod(mkPod('p'), infos([mkNode('b'), mkNode('a'), mkNode('c')])).node).toBe('a');
  });

  it('preferred node affinity outweighs a small resource difference', () => {
    const pods = [mkPod('a', { cpu: '200m', node: 'node02' })];
    const pod = mkPod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node02'] }] } }] } } });
    expect(schedulePod(pod, infos(cluster(), pods)).node).toBe('node02');
  });

  it('tolerating the control-plane taint makes the control plane eligible', () => {
    const pod = mkPod('p', { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] });
    const out = schedulePod(pod, infos(cluster()));
    expect(out.node).toBe('controlplane');
  });

  it('finds preemption victims of lower priority, keeping the ones it can', () => {
    const pods = [mkPod('low1', { cpu: '1', node: 'node01', priority: 0 }), mkPod('low2', { cpu: '900m', node: 'node01', priority: 10 })];
    const nodes = [mkNode('node01')];
    const out = schedulePod(mkPod('p', { cpu: '1', priority: 100 }), infos(nodes, pods));
    expect(out.node).toBeUndefined();
    expect(out.preemption?.node).toBe('node01');
    expect(out.preemption?.victims.map((v) => v.metadata.name)).toEqual(['low1']);
    expect(out.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
  });
});
