import { describe, expect, it } from 'vitest';
import type { KObj } from '../../store/types.js';
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter } from './workloads.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const created = '2025-06-01T11:10:00Z'; // 50m ago
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } };

const deploy = (spec: Record<string, unknown>, status: Record<string, unknown>): KObj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: created },
  spec: { selector: { matchLabels: { app: 'web' } }, template, ...spec },
  status,
});

describe('deployment printer', () => {
  it('columns', () => {
    expect(deploymentPrinter.columns.map((c) => `${c.name}:${c.type}:${c.priority}`)).toEqual([
      'Name:string:0', 'Ready:string:0', 'Up-to-date:string:0', 'Available:string:0', 'Age:string:0',
      'Containers:string:1', 'Images:string:1', 'Selector:string:1',
    ]);
  });
  it.each<[string, KObj, unknown[]]>([
    ['rolled out', deploy({ replicas: 3 }, { replicas: 3, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
      ['web', '3/3', 3, 3, '50m', 'nginx,log', 'nginx:1.27,busybox', 'app=web']],
    ['fresh: empty status, defaulted replicas', deploy({ replicas: undefined }, {}),
      ['web', '0/1', 0, 0, '50m', 'nginx,log', 'nginx:1.27,busybox', 'app=web']],
    ['scaled to zero', deploy({ replicas: 0 }, {}), ['web', '0/0', 0, 0, '50m', 'nginx,log', 'nginx:1.27,busybox', 'app=web']],
    ['expression selector, sorted by key, values sorted',
      deploy({ replicas: 2, selector: { matchLabels: { tier: 'fe' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'canary', operator: 'DoesNotExist' }] } }, { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 }),
      ['web', '1/2', 2, 1, '50m', 'nginx,log', 'nginx:1.27,busybox', '!canary,env in (dev,prod),tier=fe']],
    ['empty selector prints empty (not <none>)', deploy({ replicas: 1, selector: {} }, {}), ['web', '0/1', 0, 0, '50m', 'nginx,log', 'nginx:1.27,busybox', '']],
    ['invalid selector', deploy({ replicas: 1, selector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] } }, {}), ['web', '0/1', 0, 0, '50m', 'nginx,log', 'nginx:1.27,busybox', '<invalid>']],
  ])('%s', (_n, obj, want) => {
    expect(deploymentPrinter.cells(obj, NOW)).toEqual(want);
  });
});

describe('replicaset printer', () => {
  const rs = (spec: Record<string, unknown>, status: Record<string, unknown>): KObj => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-7d4b9c8f5d', namespace: 'default', creationTimestamp: created },
    spec: { selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c8f5d' } }, template, ...spec },
    status,
  });
  it('columns are integers where upstream says so', () => {
    expect(replicaSetPrinter.columns.map((c) => `${c.name}:${c.type}:${c.priority}`)).toEqual([
      'Name:string:0', 'Desired:integer:0', 'Current:integer:0', 'Ready:integer:0', 'Age:string:0',
      'Containers:string:1', 'Images:string:1', 'Selector:string:1',
    ]);
  });
  it.each<[string, KObj, unknown[]]>([
    ['scaling up', rs({ replicas: 3 }, { replicas: 3, readyReplicas: 1 }),
      ['web-7d4b9c8f5d', 3, 3, 1, '50m', 'nginx,log', 'nginx:1.27,busybox', 'app=web,pod-template-hash=7d4b9c8f5d']],
    ['old revision at zero', rs({ replicas: 0 }, { replicas: 0 }),
      ['web-7d4b9c8f5d', 0, 0, 0, '50m', 'nginx,log', 'nginx:1.27,busybox', 'app=web,pod-template-hash=7d4b9c8f5d']],
    ['no selector prints <none>', rs({ replicas: 1, selector: undefined }, {}), ['web-7d4b9c8f5d', 1, 0, 0, '50m', 'nginx,log', 'nginx:1.27,busybox', '<none>']],
    ['Exists / NotIn', rs({ replicas: 1, selector: { matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['y', 'x'] }, { key: 'a', operator: 'Exists' }] } }, {}),
      ['web-7d4b9c8f5d', 1, 0, 0, '50m', 'nginx,log', 'nginx:1.27,busybox', 'a,b notin (x,y)']],
  ])('%s', (_n, obj, want) => {
    expect(replicaSetPrinter.cells(obj, NOW)).toEqual(want);
  });
});

describe('daemonset printer', () => {
  const ds = (nodeSelector: Record<string, string> | undefined, status: Record<string, unknown>): KObj => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', creationTimestamp: created },
    spec: { selector: { matchLabels: { 'k8s-app': 'kube-proxy' } }, template: { ...template, spec: { ...template.spec, nodeSelector } } },
    status,
  });
  it('columns', () => {
    expect(daemonSetPrinter.columns.map((c) => `${c.name}:${c.type}:${c.priority}`)).toEqual([
      'Name:string:0', 'Desired:integer:0', 'Current:integer:0', 'Ready:integer:0', 'Up-to-date:integer:0', 'Available:integer:0',
      'Node Selector:string:0', 'Age:string:0', 'Containers:string:1', 'Images:string:1', 'Selector:string:1',
    ]);
  });
  it.each<[string, KObj, unknown[]]>([
    ['all nodes', ds({ 'kubernetes.io/os': 'linux' }, { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 3, numberAvailable: 3 }),
      ['kube-proxy', 3, 3, 3, 3, 3, 'kubernetes.io/os=linux', '50m', 'nginx,log', 'nginx:1.27,busybox', 'k8s-app=kube-proxy']],
    ['fresh, no node selector', ds(undefined, { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberReady: 0, numberMisscheduled: 0 }),
      ['kube-proxy', 0, 0, 0, 0, 0, '<none>', '50m', 'nginx,log', 'nginx:1.27,busybox', 'k8s-app=kube-proxy']],
  ])('%s', (_n, obj, want) => {
    expect(daemonSetPrinter.cells(obj, NOW)).toEqual(want);
  });
});
