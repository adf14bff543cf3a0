import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCheck } from './checks.js';
import { gradeStep } from './grader.js';
import type { ClusterReader, KubeObject } from './kube.js';
import { parseCheck, type LoadedStep } from './schema.js';
import { FakeReader, obj, pod } from './testutil.js';

const ws = mkdtempSync(path.join(tmpdir(), 'kubelab-checks-'));
writeFileSync(path.join(ws, 'nodes.txt'), 'NAME STATUS\ncontrolplane Ready\nnode01 Ready\n');

const rs = (name: string, replicas: number) =>
  obj('ReplicaSet', name, { spec: { replicas, selector: { matchLabels: { app: name } }, template: { spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } }, status: { replicas } });
const web = (pods: KubeObject[]) => new FakeReader([rs('web', 3), ...pods]);
const owned = (name: string, state: Parameters<typeof pod>[1]) => pod(name, state, { labels: { app: 'web' }, owner: 'web' });

async function run(raw: Record<string, unknown>, reader: ClusterReader) {
  const c = parseCheck({ id: 'c', title: { en: 't', ko: 't' }, ...raw });
  return evaluateCheck(c.spec, c.compiled, { reader, namespace: 'default', workspaceDir: ws });
}

describe('typed helpers and CEL checks', () => {
  const cases: Array<{ name: string; raw: Record<string, unknown>; reader: ClusterReader; passed: boolean; en?: string; ko?: string }> = [
    { name: 'exists: missing', raw: { exists: { kind: 'Pod', name: 'web' } }, reader: new FakeReader(), passed: false, en: 'pod web not found in namespace default', ko: '찾을 수 없습니다' },
    { name: 'exists: present', raw: { exists: { kind: 'Pod', name: 'web' } }, reader: new FakeReader([pod('web', 'ready')]), passed: true },
    { name: 'exists: terminating counts as gone', raw: { exists: { kind: 'Pod', name: 'web' } }, reader: new FakeReader([pod('web', 'terminating')]), passed: false },
    { name: 'absent: still there', raw: { absent: { kind: 'Pod', name: 'web' } }, reader: new FakeReader([pod('web', 'ready')]), passed: false, en: 'pod web still exists' },
    { name: 'absent: terminating', raw: { absent: { kind: 'Pod', name: 'web' } }, reader: new FakeReader([pod('web', 'terminating')]), passed: false, en: 'still terminating' },
    { name: 'absent: gone', raw: { absent: { kind: 'Pod', name: 'web' } }, reader: new FakeReader(), passed: true },
    { name: 'count with selector', raw: { count: { kind: 'Pod', selector: 'app=web', equals: 3 } }, reader: web([owned('a', 'ready'), owned('b', 'ready')]), passed: false, en: 'expected 3 pods with app=web, found 2', ko: '3개가 필요하지만 2개' },
    { name: 'count min', raw: { count: { kind: 'Pod', selector: 'app=web', min: 2 } }, reader: web([owned('a', 'ready'), owned('b', 'ready')]), passed: true },
    { name: 'ready pod: image pull', raw: { ready: { kind: 'Pod', name: 'web' } }, reader: new FakeReader([pod('web', 'ImagePullBackOff')]), passed: false, en: 'pod web is not ready: ImagePullBackOff', ko: 'ImagePullBackOff' },
    { name: 'ready pod: unschedulable', raw: { ready: { kind: 'Pod', name: 'web' } }, reader: new FakeReader([pod('web', 'unschedulable')]), passed: false, en: 'Pending (Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.)' },
    { name: 'ready pod: running, probe failing', raw: { ready: { kind: 'Pod', name: 'web' } }, reader: new FakeReader([pod('web', 'notready')]), passed: false, en: 'Running but not Ready' },
    { name: 'ready pod: ok', raw: { ready: { kind: 'Pod', name: 'web' } }, reader: new FakeReader([pod('web', 'ready')]), passed: true },
    {
      name: 'ready replicaset names the failing pod',
      raw: { ready: { kind: 'ReplicaSet', name: 'web' } },
      reader: web([owned('web-a', 'ready'), owned('web-b', 'ready'), owned('web-7d9c', 'ImagePullBackOff')]),
      passed: false,
      en: 'replicaset web: expected 3 ready replicas, found 2: pod web-7d9c is ImagePullBackOff',
      ko: 'Ready 레플리카 3개가 필요하지만 2개입니다: 파드 web-7d9c: ImagePullBackOff',
    },
    { name: 'ready replicaset ignores pods it does not own', raw: { ready: { kind: 'ReplicaSet', name: 'web' } }, reader: web([owned('a', 'ready'), owned('b', 'ready'), pod('stray', 'ready', { labels: { app: 'web' } })]), passed: false, en: 'found 2' },
    { name: 'ready replicaset: explicit replicas', raw: { ready: { kind: 'ReplicaSet', name: 'web', replicas: 3 } }, reader: new FakeReader([rs('web', 2), owned('a', 'ready'), owned('b', 'ready')]), passed: false, en: 'expected 3 ready replicas, found 2' },
    { name: 'ready replicaset: ok', raw: { ready: { kind: 'ReplicaSet', name: 'web', replicas: 3 } }, reader: web([owned('a', 'ready'), owned('b', 'ready'), owned('c', 'ready')]), passed: true },
    { name: 'ready deployment through its replicaset', raw: { ready: { kind: 'Deployment', name: 'web' } }, reader: new FakeReader([
      obj('Deployment', 'web', { spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } } }),
      obj('ReplicaSet', 'web', { spec: { selector: { matchLabels: { app: 'web' } } } }, { labels: { app: 'web' }, ownerReferences: [{ uid: 'uid-web' }], uid: 'uid-web-rs' }),
      pod('p1', 'ready', { labels: { app: 'web' } }), pod('p2', 'CrashLoopBackOff', { labels: { app: 'web' } }),
    ].map((o) => (o.kind === 'Pod' ? { ...o, metadata: { ...o.metadata, ownerReferences: [{ uid: 'uid-web-rs' }] } } : o))), passed: false, en: 'deployment web: expected 2 ready replicas, found 1: pod p2 is CrashLoopBackOff' },
    { name: 'rolledOut: old replicas left', raw: { rolledOut: { kind: 'Deployment', name: 'web' } }, reader: new FakeReader([obj('Deployment', 'web', { spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 } }, { generation: 2 })]), passed: false, en: '1 old replicas are pending termination' },
    { name: 'rolledOut: not observed', raw: { rolledOut: { kind: 'Deployment', name: 'web' } }, reader: new FakeReader([obj('Deployment', 'web', { spec: { replicas: 3 }, status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 } }, { generation: 2 })]), passed: false, en: 'has not seen the latest change' },
    { name: 'rolledOut: done', raw: { rolledOut: { kind: 'Deployment', name: 'web' } }, reader: new FakeReader([obj('Deployment', 'web', { spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 } }, { generation: 2 })]), passed: true },
    { name: 'endpoints: selector matches nothing', raw: { endpoints: { service: 'web', count: 3 } }, reader: new FakeReader([obj('Service', 'web', { spec: { selector: { app: 'wbe' } } }), obj('Endpoints', 'web', { subsets: [] })]), passed: false, en: 'expected 3 ready endpoints, found 0: its selector app=wbe matches no pods' },
    { name: 'endpoints: some not ready', raw: { endpoints: { service: 'web', count: 2 } }, reader: new FakeReader([obj('Service', 'web', { spec: { selector: { app: 'web' } } }), obj('Endpoints', 'web', { subsets: [{ addresses: [{ ip: '1' }], notReadyAddresses: [{ ip: '2' }] }] })]), passed: false, en: 'found 1 (1 not ready)' },
    { name: 'endpoints: ok', raw: { endpoints: { service: 'web', min: 1 } }, reader: new FakeReader([obj('Service', 'web', { spec: { selector: { app: 'web' } } }), obj('Endpoints', 'web', { subsets: [{ addresses: [{ ip: '1' }] }] })]), passed: true },
    { name: 'file: missing', raw: { file: { path: 'nope.txt', contains: ['x'] } }, reader: new FakeReader(), passed: false, en: 'file nope.txt not found in your workspace' },
    { name: 'file: values from the cluster', raw: { file: { path: 'nodes.txt', values: { target: { kind: 'Node' }, cel: 'objects.map(n, n.metadata.name)' } } }, reader: new FakeReader([obj('Node', 'controlplane'), obj('Node', 'node01'), obj('Node', 'node02')]), passed: false, en: 'nodes.txt does not mention node02' },
    { name: 'file: ok', raw: { file: { path: 'nodes.txt', contains: ['controlplane', 'node01'] } }, reader: new FakeReader(), passed: true },
    {
      name: 'cel: message interpolates the actual value',
      raw: { target: { kind: 'Pod', name: 'web' }, cel: 'object.spec.containers.exists(c, c.image == "nginx:1.27")', message: { en: 'runs {{object.spec.containers.map(c, c.image)}}', ko: '이미지 {{object.spec.containers[0].image}}' } },
      reader: new FakeReader([pod('web', 'ready', { image: 'nginx:1.26' })]), passed: false, en: 'runs nginx:1.26', ko: '이미지 nginx:1.26',
    },
    { name: 'cel: object missing', raw: { target: { kind: 'Pod', name: 'web' }, cel: 'true', message: { en: 'x', ko: 'x' } }, reader: new FakeReader(), passed: false, en: 'pod web not found' },
    { name: 'cel: runtime error is a failure, not a throw', raw: { target: { kind: 'Pod', name: 'web' }, cel: 'object.spec.nothing == 1', message: { en: 'no field', ko: '필드 없음' } }, reader: new FakeReader([pod('web', 'ready')]), passed: false, en: 'no field' },
    { name: 'cel: over a list', raw: { target: { kind: 'Pod', selector: 'app=web' }, cel: 'size(objects) == 2 && objects.all(p, p.spec.containers[0].image == "nginx:1.27")', message: { en: 'found {{size(objects)}}', ko: '{{size(objects)}}개' } }, reader: web([owned('a', 'ready'), owned('b', 'ready')]), passed: true },
  ];
  it.each(cases)('$name', async ({ raw, reader, passed, en, ko }) => {
    const v = await run(raw, reader);
    expect(v.passed).toBe(passed);
    if (en) expect(v.reason.en).toContain(en);
    if (ko) expect(v.reason.ko).toContain(ko);
    expect(v.reason.ko).not.toBe('');
  });
});

/** A reader whose pod flips between reads, to prove a transient state never passes. */
class Sequence implements ClusterReader {
  i = 0;
  constructor(private states: Array<Parameters<typeof pod>[1]>) {}
  async get(): Promise<KubeObject | null> {
    const s = this.states[Math.min(this.i++, this.states.length - 1)]!;
    return pod('web', s);
  }
  async list(): Promise<KubeObject[]> {
    return [];
  }
}

describe('gradeStep convergence', () => {
  const step: LoadedStep = {
    id: 's', title: { en: 's', ko: 's' }, instructions: { en: '', ko: '' }, hints: [], solution: ['true'],
    checks: [parseCheck({ id: 'r', title: { en: 'r', ko: 'r' }, weight: 2, ready: { kind: 'Pod', name: 'web' } }), parseCheck({ id: 'e', title: { en: 'e', ko: 'e' }, exists: { kind: 'Pod', name: 'web' } })],
  };
  const ctx = (reader: ClusterReader) => ({ reader, namespace: 'default', workspaceDir: ws });
  const cases: Array<{ name: string; states: Array<Parameters<typeof pod>[1]>; wait: number; passed: boolean }> = [
    { name: 'ready once then not: fails', states: ['ready', 'ImagePullBackOff', 'ImagePullBackOff'], wait: 0, passed: false },
    { name: 'ready on the last read only, past the deadline: confirmed by one more read', states: ['creating', 'ready', 'ready'], wait: 0.01, passed: true },
    { name: 'flapping never passes', states: ['ready', 'notready', 'ready', 'notready', 'ready', 'notready', 'ready', 'notready'], wait: 0.05, passed: false },
    { name: 'converges within the wait', states: ['creating', 'creating', 'ready'], wait: 1, passed: true },
  ];
  it.each(cases)('$name', async ({ states, wait, passed }) => {
    const r = await gradeStep({ ...step, checks: [step.checks[0]!] }, ctx(new Sequence(states)), { waitSeconds: wait, intervalMs: 5 });
    expect(r.passed).toBe(passed);
    expect(r.checks[0]!.passed).toBe(passed);
  });

  it('scores by weight: partial credit', async () => {
    const r = await gradeStep(step, ctx(new FakeReader([pod('web', 'ImagePullBackOff')])), { waitSeconds: 0, intervalMs: 5 });
    expect(r).toMatchObject({ passed: false, score: 1, maxScore: 3 });
    expect(r.checks.map((c) => [c.checkId, c.passed])).toEqual([['r', false], ['e', true]]);
    expect(r.checks[0]!.reason.en).toBe('pod web is not ready: ImagePullBackOff');
  });

  it('a cluster error is a failed check with a reason', async () => {
    const broken: ClusterReader = { get: () => Promise.reject(new Error('connect ECONNREFUSED')), list: () => Promise.reject(new Error('x')) };
    const r = await gradeStep(step, ctx(broken), { waitSeconds: 0, intervalMs: 5 });
    expect(r.checks[0]!.reason.en).toContain('could not read the cluster: connect ECONNREFUSED');
  });
});
