import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../../main/bridge/contract.js';
import { ObjectIndex } from './objectIndex.js';
import { buildMap, PodViewCache } from './mapModel.js';

let rv = 1;
function obj(kind: string, ns: string | undefined, name: string, rest: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KObject {
  return { kind, metadata: { name, ...(ns ? { namespace: ns } : {}), uid: `${kind}-${ns}-${name}`, resourceVersion: String(rv++), ...meta }, ...rest };
}
const readyNode = (name: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
  obj('Node', undefined, name, { status: { conditions: [{ type: 'Ready', status: 'True' }] }, ...extra }, { labels });
const runningPod = (ns: string, name: string, node: string, meta: Record<string, unknown> = {}) =>
  obj('Pod', ns, name, { spec: { nodeName: node, containers: [{ name: 'app' }] }, status: { phase: 'Running', containerStatuses: [{ ready: true, state: { running: {} } }] } }, meta);
const owned = (kind: string, name: string) => ({ ownerReferences: [{ kind, name, uid: `u-${name}`, controller: true }] });

function fixture(): ObjectIndex {
  const idx = new ObjectIndex();
  idx.replace('nodes', [
    readyNode('worker2'),
    readyNode('control-plane', { 'node-role.kubernetes.io/control-plane': '' }),
    obj('Node', undefined, 'worker', { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }] } }),
  ]);
  idx.replace('replicasets', [obj('ReplicaSet', 'default', 'web-5d8', {}, owned('Deployment', 'web'))]);
  idx.replace('pods', [
    runningPod('default', 'web-5d8-a', 'worker2', { ...owned('ReplicaSet', 'web-5d8'), labels: { app: 'web' } }),
    runningPod('default', 'web-5d8-b', 'worker2', { ...owned('ReplicaSet', 'web-5d8'), labels: { app: 'web' } }),
    runningPod('default', 'solo', 'worker2', { labels: { app: 'solo' } }),
    obj('Pod', 'default', 'waiting', { spec: { containers: [{ name: 'app' }] }, status: { phase: 'Pending' } }),
    runningPod('kube-system', 'etcd-control-plane', 'control-plane', owned('Node', 'control-plane')),
  ]);
  idx.replace('services', [
    obj('Service', 'default', 'web', { spec: { selector: { app: 'web' } } }),
    obj('Service', 'default', 'solo', { spec: { type: 'NodePort', selector: { app: 'solo' } } }),
  ]);
  idx.replace('endpoints', [obj('Endpoints', 'default', 'solo', { subsets: [{ addresses: [{ targetRef: { kind: 'Pod', name: 'solo' } }] }] })]);
  return idx;
}

describe('buildMap', () => {
  it('orders nodes control plane first and reports kubectl-like node status', () => {
    const v = buildMap(fixture(), '', new PodViewCache());
    expect(v.nodes.map((n) => [n.name, n.controlPlane, n.statusText])).toEqual([
      ['control-plane', true, 'Ready'],
      ['worker', false, 'NotReady,SchedulingDisabled'],
      ['worker2', false, 'Ready'],
    ]);
  });

  it('groups pods by Deployment through their ReplicaSet, loose pods last, unscheduled pods apart', () => {
    const v = buildMap(fixture(), '', new PodViewCache());
    const w2 = v.nodes.find((n) => n.name === 'worker2')!;
    expect(w2.groups.map((g) => [g.key, g.pods.map((p) => p.name)])).toEqual([
      ['Deployment/default/web', ['web-5d8-a', 'web-5d8-b']],
      ['', ['solo']],
    ]);
    expect(v.pending.flatMap((g) => g.pods.map((p) => p.name))).toEqual(['waiting']);
    expect(v.podCount).toBe(5);
    expect(v.namespaces).toEqual(['default', 'kube-system']);
  });

  it('filters by namespace', () => {
    const v = buildMap(fixture(), 'kube-system', new PodViewCache());
    expect(v.podCount).toBe(1);
    expect(v.services).toEqual([]);
    expect(v.nodes[0]!.groups[0]!.kind).toBe('Node');
  });

  it('links services to endpoint pods, or to selected pods when there is no Endpoints object', () => {
    const v = buildMap(fixture(), '', new PodViewCache());
    const byName = Object.fromEntries(v.services.map((s) => [s.name, s.podKeys]));
    expect(byName['solo']).toEqual(['Pod-default-solo']);
    expect(byName['web']?.sort()).toEqual(['Pod-default-web-5d8-a', 'Pod-default-web-5d8-b']);
  });

  it('keeps PodView identity for unchanged pods and rebuilds changed ones', () => {
    const idx = fixture();
    const cache = new PodViewCache();
    const first = buildMap(idx, '', cache);
    const solo1 = first.nodes[2]!.groups[1]!.pods[0]!;
    const webA1 = first.nodes[2]!.groups[0]!.pods[0]!;
    const pod = idx.byKind.pods.get('Pod-default-web-5d8-a')!;
    idx.apply('pods', { type: 'MODIFIED', object: { ...pod, metadata: { ...pod.metadata, resourceVersion: String(rv++) }, status: { phase: 'Running', containerStatuses: [{ ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } } });
    const second = buildMap(idx, '', cache);
    expect(second.nodes[2]!.groups[1]!.pods[0]).toBe(solo1);
    const webA2 = second.nodes[2]!.groups[0]!.pods[0]!;
    expect(webA2).not.toBe(webA1);
    expect(webA2.status).toMatchObject({ reason: 'CrashLoopBackOff', restarts: 2, tone: 'error' });
  });
});

describe('ObjectIndex', () => {
  it('applies ADDED/MODIFIED/DELETED, ignores stale updates and RESYNC', () => {
    const idx = new ObjectIndex();
    const a = obj('Pod', 'default', 'a');
    expect(idx.apply('pods', { type: 'ADDED', object: a })).toBe(true);
    const newer = { ...a, metadata: { ...a.metadata, resourceVersion: '1000000' } };
    expect(idx.apply('pods', { type: 'MODIFIED', object: newer })).toBe(true);
    expect(idx.apply('pods', { type: 'MODIFIED', object: a })).toBe(false);
    expect(idx.byKind.pods.get('Pod-default-a')).toBe(newer);
    expect(idx.apply('pods', { type: 'RESYNC' })).toBe(false);
    expect(idx.apply('pods', { type: 'DELETED', object: a })).toBe(true);
    expect(idx.byKind.pods.size).toBe(0);
  });

  it('handles 500 pods quickly', () => {
    const idx = fixture();
    for (let i = 0; i < 500; i++) idx.apply('pods', { type: 'ADDED', object: runningPod('load', `p${i}`, `worker${i % 2 ? '2' : ''}`) });
    const cache = new PodViewCache();
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) buildMap(idx, '', cache);
    expect(buildMap(idx, '', cache).podCount).toBe(505);
    expect((performance.now() - t0) / 20).toBeLessThan(100);
  });
});
