import { describe, expect, it } from 'vitest';
import { countOwned, PLUGINS, type FilterResult } from './plugins.js';
import { podRequests } from './resources.js';
import { CONTROL_PLANE_TAINT, info, mkNode, mkPod } from './testutil.js';
import type { KObj } from '../store/types.js';

const filter = (plugin: string, pod: KObj, node: KObj, pods: KObj[] = []): FilterResult => PLUGINS.get(plugin)!.filter!(pod, info(node, pods));
const reasons = (r: FilterResult) => (r.ok ? [] : r.reasons);

describe('filters', () => {
  const cases: Array<{ name: string; plugin: string; pod: KObj; node: KObj; pods?: KObj[]; want: string[]; unresolvable?: boolean }> = [
    { name: 'cordoned node', plugin: 'NodeUnschedulable', pod: mkPod('p'), node: mkNode('n', { unschedulable: true }), want: ['node(s) were unschedulable'], unresolvable: true },
    {
      name: 'cordoned node tolerated',
      plugin: 'NodeUnschedulable',
      pod: mkPod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }),
      node: mkNode('n', { unschedulable: true }),
      want: [],
    },
    { name: 'schedulable node', plugin: 'NodeUnschedulable', pod: mkPod('p'), node: mkNode('n'), want: [] },
    { name: 'other node name', plugin: 'NodeName', pod: mkPod('p', { node: 'x' }), node: mkNode('n'), want: ["node(s) didn't match the requested node name"], unresolvable: true },
    { name: 'same node name', plugin: 'NodeName', pod: mkPod('p', { node: 'n' }), node: mkNode('n'), want: [] },
    {
      name: 'control-plane taint',
      plugin: 'TaintToleration',
      pod: mkPod('p'),
      node: mkNode('n', { taints: [CONTROL_PLANE_TAINT] }),
      want: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
      unresolvable: true,
    },
    {
      name: 'taint with value, first untolerated wins',
      plugin: 'TaintToleration',
      pod: mkPod('p', { tolerations: [{ key: 'a', operator: 'Equal', value: '1', effect: 'NoSchedule' }] }),
      node: mkNode('n', { taints: [{ key: 'a', value: '1', effect: 'NoSchedule' }, { key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }),
      want: ['node(s) had untolerated taint {dedicated: gpu}'],
    },
    { name: 'PreferNoSchedule does not filter', plugin: 'TaintToleration', pod: mkPod('p'), node: mkNode('n', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }), want: [] },
    {
      name: 'Exists without key tolerates all',
      plugin: 'TaintToleration',
      pod: mkPod('p', { tolerations: [{ operator: 'Exists' }] }),
      node: mkNode('n', { taints: [CONTROL_PLANE_TAINT, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] }),
      want: [],
    },
    {
      name: 'not-ready taint',
      plugin: 'TaintToleration',
      pod: mkPod('p'),
      node: mkNode('n', { ready: false, taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] }),
      want: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    },
    { name: 'nodeSelector mismatch', plugin: 'NodeAffinity', pod: mkPod('p', { nodeSelector: { disk: 'ssd' } }), node: mkNode('n'), want: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true },
    { name: 'nodeSelector match', plugin: 'NodeAffinity', pod: mkPod('p', { nodeSelector: { disk: 'ssd' } }), node: mkNode('n', { labels: { disk: 'ssd' } }), want: [] },
    {
      name: 'required affinity In (terms ORed)',
      plugin: 'NodeAffinity',
      pod: mkPod('p', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }],
            },
          },
        },
      }),
      node: mkNode('n', { labels: { zone: 'b' } }),
      want: [],
    },
    {
      name: 'required affinity NotIn / Gt / DoesNotExist all must hold',
      plugin: 'NodeAffinity',
      pod: mkPod('p', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'zone', operator: 'NotIn', values: ['a'] },
                    { key: 'cores', operator: 'Gt', values: ['4'] },
                    { key: 'gpu', operator: 'DoesNotExist' },
                  ],
                },
              ],
            },
          },
        },
      }),
      node: mkNode('n', { labels: { zone: 'b', cores: '4' } }),
      want: ["node(s) didn't match Pod's node affinity/selector"],
    },
    {
      name: 'matchFields metadata.name',
      plugin: 'NodeAffinity',
      pod: mkPod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }] } } } }),
      node: mkNode('n'),
      want: [],
    },
    { name: 'host port taken', plugin: 'NodePorts', pod: mkPod('p', { hostPort: 8080 }), node: mkNode('n'), pods: [mkPod('q', { hostPort: 8080, node: 'n' })], want: ["node(s) didn't have free ports for the requested pod ports"] },
    { name: 'host port free', plugin: 'NodePorts', pod: mkPod('p', { hostPort: 8080 }), node: mkNode('n'), pods: [mkPod('q', { hostPort: 9090, node: 'n' })], want: [] },
    { name: 'insufficient cpu', plugin: 'NodeResourcesFit', pod: mkPod('p', { cpu: '100' }), node: mkNode('n'), want: ['Insufficient cpu'] },
    { name: 'insufficient cpu and memory', plugin: 'NodeResourcesFit', pod: mkPod('p', { cpu: '3', memory: '5Gi' }), node: mkNode('n'), want: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'counts bound pods', plugin: 'NodeResourcesFit', pod: mkPod('p', { cpu: '1' }), node: mkNode('n'), pods: [mkPod('q', { cpu: '1500m', node: 'n' })], want: ['Insufficient cpu'] },
    { name: 'finished pods free resources', plugin: 'NodeResourcesFit', pod: mkPod('p', { cpu: '1' }), node: mkNode('n'), pods: [mkPod('q', { cpu: '1500m', node: 'n', phase: 'Succeeded' })], want: [] },
    { name: 'exactly fits', plugin: 'NodeResourcesFit', pod: mkPod('p', { cpu: '500m' }), node: mkNode('n'), pods: [mkPod('q', { cpu: '1500m', node: 'n' })], want: [] },
    { name: 'too many pods', plugin: 'NodeResourcesFit', pod: mkPod('p'), node: mkNode('n', { pods: '1' }), pods: [mkPod('q', { node: 'n' })], want: ['Too many pods'] },
    { name: 'no requests always fit', plugin: 'NodeResourcesFit', pod: mkPod('p'), node: mkNode('n', { cpu: '0' }), want: [] },
  ];
  it.each(cases)('$plugin: $name', ({ plugin, pod, node, pods, want, unresolvable }) => {
    const r = filter(plugin, pod, node, pods);
    expect(reasons(r)).toEqual(want);
    if (!r.ok && unresolvable !== undefined) expect(r.unresolvable).toBe(unresolvable);
  });
});

describe('effective requests', () => {
  it.each([
    { name: 'sum of containers', pod: mkPod('p', { cpu: '200m', containers: 3 }), cpu: 600 },
    { name: 'init container larger than the sum', pod: mkPod('p', { cpu: '200m', init: [{ cpu: '1' }] }), cpu: 1000 },
    { name: 'init container smaller than the sum', pod: mkPod('p', { cpu: '700m', init: [{ cpu: '500m' }] }), cpu: 700 },
    { name: 'sidecar adds to apps and later inits', pod: mkPod('p', { cpu: '100m', init: [{ cpu: '50m', sidecar: true }, { cpu: '500m' }] }), cpu: 550 },
  ])('$name', ({ pod, cpu }) => {
    expect(podRequests(pod).milliCPU).toBe(cpu);
  });
  it('overhead is added', () => {
    const pod = mkPod('p', { cpu: '100m' });
    (pod.spec as Record<string, unknown>).overhead = { cpu: '250m', memory: '120Mi' };
    expect(podRequests(pod)).toMatchObject({ milliCPU: 350, memory: 120 * 2 ** 20 });
  });
  it('non-zero defaults only for scoring, only where absent', () => {
    expect(podRequests(mkPod('p'))).toMatchObject({ milliCPU: 0, memory: 0 });
    expect(podRequests(mkPod('p'), true)).toMatchObject({ milliCPU: 100, memory: 200 * 2 ** 20 });
    expect(podRequests(mkPod('p', { cpu: '0' }), true)).toMatchObject({ milliCPU: 0, memory: 200 * 2 ** 20 });
  });
});

describe('scores', () => {
  const score = (plugin: string, pod: KObj, node: KObj, pods: KObj[] = []) => PLUGINS.get(plugin)!.score!(pod, info(node, pods));
  it.each([
    // (2000-100)/2000 → 95; (4Gi-200Mi)/4Gi → 95
    { name: 'empty node, default requests', pod: mkPod('p'), pods: [], want: 95 },
    // cpu (2000-1100)*100/2000 = 45; memory counts q's default 200Mi too: (4096-400)*100/4096 = 90 → 67
    { name: 'busy cpu', pod: mkPod('p'), pods: [mkPod('q', { cpu: '1', node: 'n' })], want: 67 },
    { name: 'overcommitted', pod: mkPod('p', { cpu: '3', memory: '5Gi' }), pods: [], want: 0 },
  ])('LeastAllocated: $name', ({ pod, pods, want }) => {
    expect(score('NodeResourcesFit', pod, mkNode('n'), pods)).toBe(want);
  });
  it.each([
    { name: 'nothing requested: perfectly balanced', pod: mkPod('p'), pods: [], want: 100 },
    // cpu 1000/2000 = .5, memory 1Gi/4Gi = .25 → std .125 → 87
    { name: 'cpu-heavy', pod: mkPod('p', { cpu: '1', memory: '1Gi' }), pods: [], want: 87 },
    { name: 'same fraction', pod: mkPod('p', { cpu: '1', memory: '2Gi' }), pods: [], want: 100 },
  ])('BalancedAllocation: $name', ({ pod, pods, want }) => {
    expect(score('NodeResourcesBalancedAllocation', pod, mkNode('n'), pods)).toBe(want);
  });
  it('TaintToleration counts untolerated PreferNoSchedule taints, normalized in reverse', () => {
    const p = PLUGINS.get('TaintToleration')!;
    const pod = mkPod('p', { tolerations: [{ key: 'a', operator: 'Exists', effect: 'PreferNoSchedule' }] });
    const raw = [
      mkNode('x'),
      mkNode('y', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] }),
      mkNode('z', { taints: [{ key: 'b', effect: 'PreferNoSchedule' }, { key: 'c', effect: 'PreferNoSchedule' }] }),
    ].map((n) => p.score!(pod, info(n)));
    expect(raw).toEqual([0, 1, 2]);
    expect(p.normalize!(raw)).toEqual([100, 50, 0]);
    expect(p.normalize!([0, 0])).toEqual([100, 100]);
  });
  it('NodeAffinity sums matching preferred weights, normalized by the maximum', () => {
    const p = PLUGINS.get('NodeAffinity')!;
    const pref = (w: number, zone: string) => ({ weight: w, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: [zone] }] } });
    const pod = mkPod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(80, 'a'), pref(20, 'b')] } } });
    const raw = [mkNode('x', { labels: { zone: 'a' } }), mkNode('y', { labels: { zone: 'b' } }), mkNode('z')].map((n) => p.score!(pod, info(n)));
    expect(raw).toEqual([80, 20, 0]);
    expect(p.normalize!(raw)).toEqual([100, 25, 0]);
    expect(p.normalize!([0, 0])).toEqual([0, 0]);
  });
});

describe('PodTopologySpread counts per controller', () => {
  const owned = (name: string, ns: string, uid: string | undefined, controller = true): KObj => {
    const p = mkPod(name, { namespace: ns });
    if (uid) p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid, controller }];
    return p;
  };
  const pods = [owned('a', 'default', 'u1'), owned('b', 'default', 'u1'), owned('c', 'other', 'u1'), owned('d', 'default', 'u2'), owned('e', 'default', 'u1', false), owned('f', 'default', undefined)];
  const byFilter = (ns: string, uid: string) => pods.filter((p) => p.metadata.namespace === ns && p.metadata.ownerReferences?.find((r) => r.controller)?.uid === uid).length;
  it.each([
    ['default', 'u1'],
    ['other', 'u1'],
    ['default', 'u2'],
    ['other', 'u2'],
    ['default', 'u3'],
  ])('%s/%s agrees with filtering the node pods', (ns, uid) => {
    expect(countOwned(pods, ns, uid)).toBe(byFilter(ns, uid));
  });
  it('an array that grew after it was counted is counted again', () => {
    const list = [owned('a', 'default', 'u1')];
    expect(countOwned(list, 'default', 'u1')).toBe(1);
    list.push(owned('b', 'default', 'u1'));
    expect(countOwned(list, 'default', 'u1')).toBe(2);
  });
});
