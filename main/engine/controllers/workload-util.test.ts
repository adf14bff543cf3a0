import { describe, expect, it } from 'vitest';
import type { KObj } from '../store/types.js';
import { claim, labelMatcher, labelsMatch, podUpdateMatters } from './workload-util.js';

const ready = (status: string, t = '2026-01-01T00:00:00Z') => ({ type: 'Ready', status, lastTransitionTime: t });
function pod(o: { labels?: Record<string, string>; owner?: string; phase?: string; ready?: Record<string, unknown>; deleting?: boolean; node?: string; ip?: string } = {}): KObj {
  return {
    metadata: {
      name: 'p',
      namespace: 'default',
      labels: o.labels ?? { app: 'a' },
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: o.owner, controller: true }] } : {}),
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: o.node ? { nodeName: o.node } : {},
    status: { phase: o.phase ?? 'Pending', ...(o.ip ? { podIP: o.ip } : {}), conditions: o.ready ? [{ type: 'PodScheduled', status: 'True' }, o.ready] : [] },
  };
}

describe('podUpdateMatters', () => {
  const cases: Array<{ name: string; old: KObj; cur: KObj; want: boolean }> = [
    { name: 'bound to a node', old: pod({ owner: 'u' }), cur: pod({ owner: 'u', node: 'n1' }), want: false },
    { name: 'container states and IP only', old: pod({ owner: 'u', ready: ready('False') }), cur: pod({ owner: 'u', phase: 'Running', ip: '10.0.0.1', ready: ready('False', '2026-01-01T00:00:09Z') }), want: false },
    { name: 'Ready condition appears as False', old: pod({ owner: 'u' }), cur: pod({ owner: 'u', ready: ready('False') }), want: false },
    { name: 'becomes ready', old: pod({ owner: 'u', ready: ready('False') }), cur: pod({ owner: 'u', ready: ready('True') }), want: true },
    { name: 'ready since another time (availability)', old: pod({ owner: 'u', ready: ready('True') }), cur: pod({ owner: 'u', ready: ready('True', '2026-01-01T00:01:00Z') }), want: true },
    { name: 'no longer ready', old: pod({ owner: 'u', ready: ready('True') }), cur: pod({ owner: 'u', ready: ready('False') }), want: true },
    { name: 'finished', old: pod({ owner: 'u', phase: 'Running' }), cur: pod({ owner: 'u', phase: 'Failed' }), want: true },
    { name: 'being deleted', old: pod({ owner: 'u' }), cur: pod({ owner: 'u', deleting: true }), want: true },
    { name: 'labels changed', old: pod({ owner: 'u' }), cur: pod({ owner: 'u', labels: { app: 'b' } }), want: true },
    { name: 'released', old: pod({ owner: 'u' }), cur: pod({}), want: true },
    { name: 'adopted', old: pod({}), cur: pod({ owner: 'u' }), want: true },
  ];
  it.each(cases)('$name', ({ old, cur, want }) => expect(podUpdateMatters(old, cur)).toBe(want));
});

describe('labelMatcher', () => {
  const selectors = [undefined, {}, { matchLabels: { app: 'a' } }, { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }, { matchLabels: { app: 'a', tier: 'x' } }];
  const labelSets: Array<Record<string, string> | undefined> = [undefined, {}, { app: 'a' }, { app: 'b' }, { app: 'a', tier: 'x' }];
  it.each(selectors.flatMap((sel) => labelSets.map((labels) => ({ sel, labels }))))('$sel / $labels agrees with labelsMatch', ({ sel, labels }) => {
    expect(labelMatcher(sel)(labels)).toBe(labelsMatch(sel, labels));
  });

  it('claim keeps only what the selector matches (no writes for pods of another owner)', () => {
    const owner: KObj = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'default', uid: 'u' } };
    const client = { get: () => undefined } as unknown as Parameters<typeof claim>[0];
    const mine = pod({ owner: 'u' });
    const theirs = pod({ owner: 'v' });
    expect(claim(client, {} as Parameters<typeof claim>[1], owner, [mine, theirs], { matchLabels: { app: 'a' } })).toEqual([mine]);
  });
});
