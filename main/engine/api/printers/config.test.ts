import { describe, expect, it } from 'vitest';
import type { KObj } from '../../store/types.js';
import { configMapPrinter, eventPrinter, leasePrinter, namespacePrinter, secretPrinter, serviceAccountPrinter } from './config.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const ago = (sec: number): string => new Date(NOW - sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: ago(3 * 86400 + 5 * 3600) }); // 3d5h

describe('config printers', () => {
  it.each<[string, KObj, unknown[]]>([
    ['configmap counts data + binaryData', { kind: 'ConfigMap', metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, ['cfg', 3, '3d5h']],
    ['empty configmap', { kind: 'ConfigMap', metadata: meta('empty') }, ['empty', 0, '3d5h']],
    ['opaque secret', { kind: 'Secret', metadata: meta('db'), type: 'Opaque', data: { user: 'YQ==', pass: 'Yg==' } }, ['db', 'Opaque', 2, '3d5h']],
    ['secret type defaults to Opaque; stringData folds into data', { kind: 'Secret', metadata: meta('s'), data: { a: 'YQ==' }, stringData: { a: 'x', b: 'y' } }, ['s', 'Opaque', 2, '3d5h']],
    ['tls secret', { kind: 'Secret', metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }, ['tls', 'kubernetes.io/tls', 2, '3d5h']],
    ['service account without secrets', { kind: 'ServiceAccount', metadata: meta('default') }, ['default', 0, '3d5h']],
    ['service account with a secret', { kind: 'ServiceAccount', metadata: meta('ci'), secrets: [{ name: 'ci-token' }] }, ['ci', 1, '3d5h']],
    ['namespace', { kind: 'Namespace', metadata: meta('dev'), status: { phase: 'Terminating' } }, ['dev', 'Terminating', '3d5h']],
    ['namespace phase defaults to Active', { kind: 'Namespace', metadata: meta('dev') }, ['dev', 'Active', '3d5h']],
    ['lease', { kind: 'Lease', metadata: meta('node-1'), spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } }, ['node-1', 'node-1', '3d5h']],
    ['lease without holder', { kind: 'Lease', metadata: meta('free'), spec: {} }, ['free', '', '3d5h']],
  ])('%s', (_n, obj, want) => {
    const printer = { ConfigMap: configMapPrinter, Secret: secretPrinter, ServiceAccount: serviceAccountPrinter, Namespace: namespacePrinter, Lease: leasePrinter }[obj.kind as string]!;
    expect(printer.cells(obj, NOW)).toEqual(want);
  });
});

describe('event printer', () => {
  it('columns: upstream order, wide ones at priority 1, Name last', () => {
    expect(eventPrinter.columns.map((c) => `${c.name}:${c.priority}${c.format ? ':' + c.format : ''}`)).toEqual([
      'Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1:name',
    ]);
  });

  const ev = (extra: Record<string, unknown>): KObj => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-1.17f0c3a2b1d4e5f6', namespace: 'default', creationTimestamp: ago(600) },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container app in pod web-1_default(u1)\n',
    source: { component: 'kubelet', host: 'node-1' },
    type: 'Warning',
    ...extra,
  });

  it.each<[string, KObj, unknown[]]>([
    ['core event with count', ev({ firstTimestamp: ago(600), lastTimestamp: ago(30), count: 12 }),
      ['30s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{app}', 'kubelet, node-1', 'Back-off restarting failed container app in pod web-1_default(u1)', '10m', 12, 'web-1.17f0c3a2b1d4e5f6']],
    ['no lastTimestamp: falls back to firstTimestamp; zero count prints 1', ev({ firstTimestamp: ago(90), count: 0 }),
      ['90s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{app}', 'kubelet, node-1', 'Back-off restarting failed container app in pod web-1_default(u1)', '90s', 1, 'web-1.17f0c3a2b1d4e5f6']],
    ['events.k8s.io style: eventTime, series, reporting controller',
      ev({ firstTimestamp: null, lastTimestamp: null, eventTime: '2025-06-01T11:55:00.123456Z', series: { count: 4, lastObservedTime: '2025-06-01T11:59:00.000000Z' }, source: {}, reportingController: 'default-scheduler', reportingInstance: 'default-scheduler-cp' }),
      ['60s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{app}', 'default-scheduler, default-scheduler-cp', 'Back-off restarting failed container app in pod web-1_default(u1)', '4m59s', 4, 'web-1.17f0c3a2b1d4e5f6']],
    ['no timestamps at all, object without name, source without host',
      ev({ involvedObject: { kind: 'Node' }, source: { component: 'kubelet' }, type: 'Normal', reason: 'Starting', message: '  ' }),
      ['<unknown>', 'Normal', 'Starting', 'node', '', 'kubelet', '', '<unknown>', 1, 'web-1.17f0c3a2b1d4e5f6']],
    ['deployment event', ev({ involvedObject: { kind: 'Deployment', name: 'web' }, type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-7d4b9c8f5d from 0 to 3', source: { component: 'deployment-controller' }, firstTimestamp: ago(7200), lastTimestamp: ago(7200), count: 1 }),
      ['120m', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-7d4b9c8f5d from 0 to 3', '120m', 1, 'web-1.17f0c3a2b1d4e5f6']],
  ])('%s', (_n, obj, want) => {
    expect(eventPrinter.cells(obj, NOW)).toEqual(want);
  });
});
