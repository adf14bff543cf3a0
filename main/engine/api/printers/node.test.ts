import { describe, expect, it } from 'vitest';
import type { KObj } from '../../store/types.js';
import { nodePrinter } from './node.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function node(opts: { labels?: Record<string, string>; ready?: 'True' | 'False' | 'Unknown' | null; unschedulable?: boolean; addresses?: unknown[]; info?: Record<string, string> }): KObj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'cp-1', creationTimestamp: '2025-05-22T12:00:00Z', labels: { 'kubernetes.io/hostname': 'cp-1', ...opts.labels } }, // 10d
    spec: opts.unschedulable ? { unschedulable: true } : {},
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        ...(opts.ready === null ? [] : [{ type: 'Ready', status: opts.ready ?? 'True' }]),
      ],
      addresses: opts.addresses ?? [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'cp-1' }],
      nodeInfo: opts.info ?? { kubeletVersion: 'v1.32.2', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'containerd://1.7.24' },
    },
  };
}

describe('node printer', () => {
  it('columns', () => {
    expect(nodePrinter.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0', 'Status:0', 'Roles:0', 'Age:0', 'Version:0', 'Internal-IP:1', 'External-IP:1', 'OS-Image:1', 'Kernel-Version:1', 'Container-Runtime:1',
    ]);
  });

  it.each<[string, KObj, unknown[]]>([
    ['ready worker', node({}), ['cp-1', 'Ready', '<none>', '10d', 'v1.32.2', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'containerd://1.7.24']],
    ['NotReady, cordoned control plane', node({ ready: 'False', unschedulable: true, labels: { 'node-role.kubernetes.io/control-plane': '' } }),
      ['cp-1', 'NotReady,SchedulingDisabled', 'control-plane', '10d', 'v1.32.2', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'containerd://1.7.24']],
    ['Ready condition Unknown prints NotReady', node({ ready: 'Unknown' }), ['cp-1', 'NotReady', '<none>', '10d', 'v1.32.2', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'containerd://1.7.24']],
    ['no Ready condition, empty node info, external IP', node({ ready: null, info: {}, addresses: [{ type: 'ExternalIP', address: '203.0.113.5' }] }),
      ['cp-1', 'Unknown', '<none>', '10d', '', '<none>', '203.0.113.5', '<unknown>', '<unknown>', '<unknown>']],
    ['roles: sorted, unique, legacy label, empty suffix ignored',
      node({ labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'ingress', 'node-role.kubernetes.io/control-plane': 'true' } }),
      ['cp-1', 'Ready', 'control-plane,ingress,worker', '10d', 'v1.32.2', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'containerd://1.7.24']],
  ])('%s', (_n, obj, want) => {
    expect(nodePrinter.cells(obj, NOW)).toEqual(want);
  });
});
