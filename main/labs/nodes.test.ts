import { describe, expect, it } from 'vitest';
import { isSystemKey, nodeRestorePatch, nodeSettled } from './nodes.js';
import { obj } from './testutil.js';

const CP = 'node-role.kubernetes.io/control-plane';
const bootLabels = { 'kubernetes.io/hostname': 'node01', 'kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64' };
const node = (labels: Record<string, string>, spec: Record<string, unknown> = {}, ready = true) =>
  obj('Node', 'node01', { spec, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }] } }, { labels, resourceVersion: '42' });

describe('isSystemKey', () => {
  it.each([
    ['kubernetes.io/hostname', true],
    ['node-role.kubernetes.io/control-plane', true],
    ['node.kubernetes.io/unreachable', true],
    ['topology.k8s.io/zone', true],
    ['k8s.io/x', true],
    ['disktype', false],
    ['dedicated', false],
    ['example.com/gpu', false],
    ['notkubernetes.io/x', false],
  ])('%s → %s', (key, want) => expect(isSystemKey(key)).toBe(want));
});

describe('nodeRestorePatch', () => {
  const cases: Array<{ name: string; node: ReturnType<typeof node>; want: Record<string, unknown> | null }> = [
    { name: 'a fresh worker needs nothing', node: node(bootLabels, { podCIDR: '10.244.1.0/24' }), want: null },
    { name: 'a fresh control plane needs nothing', node: node({ ...bootLabels, [CP]: '' }, { taints: [{ key: CP, effect: 'NoSchedule' }] }), want: null },
    { name: 'a learner label goes', node: node({ ...bootLabels, disktype: 'ssd' }), want: { metadata: { resourceVersion: '42', labels: { disktype: null } } } },
    { name: 'a learner taint goes', node: node(bootLabels, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), want: { metadata: { resourceVersion: '42' }, spec: { taints: null } } },
    {
      name: 'controller taints stay (the controllers lift them)',
      node: node(bootLabels, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 't' }] }),
      want: { metadata: { resourceVersion: '42' }, spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 't' }] } },
    },
    { name: 'a cordon is lifted', node: node(bootLabels, { unschedulable: true }), want: { metadata: { resourceVersion: '42' }, spec: { unschedulable: null } } },
    { name: 'a removed control-plane taint comes back', node: node({ ...bootLabels, [CP]: '' }, {}), want: { metadata: { resourceVersion: '42' }, spec: { taints: [{ key: CP, effect: 'NoSchedule' }] } } },
  ];
  it.each(cases)('$name', ({ node: n, want }) => expect(nodeRestorePatch(n)).toEqual(want));
});

describe('nodeSettled', () => {
  it.each([
    ['ready worker', node(bootLabels), true],
    ['ready control plane with its taint', node({ ...bootLabels, [CP]: '' }, { taints: [{ key: CP, effect: 'NoSchedule' }] }), true],
    ['not ready', node(bootLabels, {}, false), false],
    ['still carries the unreachable taint', node(bootLabels, { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] }), false],
    ['cordoned', node(bootLabels, { unschedulable: true }), false],
  ])('%s → %s', (_n, n, want) => expect(nodeSettled(n)).toBe(want));
});
