// Test doubles: a ClusterReader over in-memory objects (with kubectl-style label selectors), and
// builders for pods in the states a learner meets.
import { kindInfo } from './kinds.js';
import type { ClusterReader, KubeObject } from './kube.js';

function matches(labels: Record<string, string>, selector: string): boolean {
  return selector
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .every((req) => {
      let m = req.match(/^(.+?)\s*(==|=|!=)\s*(.*)$/);
      if (m) return m[2] === '!=' ? labels[m[1]!] !== m[3] : labels[m[1]!] === m[3];
      m = req.match(/^(.+?)\s+(in|notin)\s+\((.*)\)$/);
      if (m) {
        const vals = m[3]!.split(',').map((v) => v.trim());
        const has = m[1]! in labels && vals.includes(labels[m[1]!]!);
        return m[2] === 'in' ? has : !has;
      }
      if (req.startsWith('!')) return !(req.slice(1) in labels);
      return req in labels;
    });
}

export class FakeReader implements ClusterReader {
  reads = 0;
  constructor(public objects: KubeObject[] = []) {}

  async get(kind: string, name: string, namespace?: string): Promise<KubeObject | null> {
    this.reads++;
    return this.objects.find((o) => o.kind === kind && o.metadata.name === name && (!kindInfo(kind)?.namespaced || o.metadata.namespace === namespace)) ?? null;
  }

  async list(kind: string, namespace?: string, selector?: string): Promise<KubeObject[]> {
    this.reads++;
    return this.objects.filter(
      (o) =>
        o.kind === kind &&
        (!namespace || o.metadata.namespace === namespace) &&
        (!selector || matches((o.metadata.labels as Record<string, string> | undefined) ?? {}, selector)),
    );
  }
}

type PodState = 'ready' | 'ImagePullBackOff' | 'CrashLoopBackOff' | 'pending' | 'unschedulable' | 'creating' | 'notready' | 'terminating';

export function pod(name: string, state: PodState, o: { labels?: Record<string, string>; owner?: string; image?: string; node?: string; ip?: string; ns?: string } = {}): KubeObject {
  const ready = state === 'ready';
  const metadata: KubeObject['metadata'] = { name, namespace: o.ns ?? 'default', uid: `uid-${name}`, labels: o.labels ?? {} };
  if (o.owner) metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `uid-${o.owner}`, controller: true }];
  if (state === 'terminating') metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  const scheduled = state !== 'pending' && state !== 'unschedulable';
  const conditions = [
    scheduled ? { type: 'PodScheduled', status: 'True' } : state === 'unschedulable' ? { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' } : undefined,
    { type: 'Ready', status: ready || state === 'terminating' ? 'True' : 'False' },
  ].filter(Boolean);
  const waiting = state === 'ImagePullBackOff' || state === 'CrashLoopBackOff' || state === 'creating' ? { waiting: { reason: state === 'creating' ? 'ContainerCreating' : state } } : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: { containers: [{ name: 'c', image: o.image ?? 'nginx:1.27' }], ...(scheduled ? { nodeName: o.node ?? 'node01' } : {}) },
    status: {
      phase: ready || state === 'notready' || state === 'CrashLoopBackOff' || state === 'terminating' ? 'Running' : 'Pending',
      conditions,
      ...(o.ip ? { podIP: o.ip } : {}),
      ...(scheduled ? { containerStatuses: [{ name: 'c', ready, state: waiting ?? { running: {} } }] } : {}),
    },
  };
}

export function obj(kind: string, name: string, rest: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  const info = kindInfo(kind)!;
  return { apiVersion: info.apiVersion, kind, metadata: { name, uid: `uid-${name}`, ...(info.namespaced ? { namespace: 'default' } : {}), ...meta }, ...rest };
}
