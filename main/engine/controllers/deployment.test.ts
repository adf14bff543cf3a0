import { describe, expect, it } from 'vitest';
import type { KObj } from '../store/types.js';
import { Harness } from '../testing/harness.js';
import { DeploymentController } from './deployment.js';
import { computeHash, fenceposts, HASH_LABEL, newRSNewReplicas, safeEncode, templatesEqual } from './deployment-util.js';
import { ReplicaSetController } from './replicaset.js';
import { converge, DEPLOY, deployment, kubelet, podsOf, RS, rsOf } from './workloads-testutil.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup() {
  const h = new Harness({ bootstrap: false });
  h.add(new DeploymentController(h.env), new ReplicaSetController(h.env));
  return h;
}
const getD = (h: Harness, name = 'web') => h.get('apps', 'deployments', 'default', name)!;
const setImage = (h: Harness, image: string, name = 'web') =>
  h.client.modify(DEPLOY, 'default', name, (o) => {
    (o.spec as Json).template.spec.containers[0].image = image;
  });
const sizes = (h: Harness) => Object.fromEntries(rsOf(h).map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], (rs.spec as Json).replicas]));
const HASH = /^[4-9bcdf]{9,10}$/;

describe('Deployment controller: first rollout', () => {
  it('creates one RS named after the template hash, and reports upstream status and events', async () => {
    const h = setup();
    h.client.create(DEPLOY, deployment('web', {}, { annotations: { 'kubernetes.io/change-cause': 'first' } }));
    await converge(h);
    const [rs] = rsOf(h);
    const hash = rs!.metadata.labels![HASH_LABEL]!;
    expect(hash).toMatch(HASH);
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'kubernetes.io/change-cause': 'first',
    });
    expect((rs!.spec as Json).selector.matchLabels).toEqual({ app: 'web', [HASH_LABEL]: hash });
    expect(rs!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });
    expect(podsOf(h).every((p) => p.metadata.labels?.[HASH_LABEL] === hash)).toBe(true);
    const d = getD(h);
    expect(d.metadata.generation).toBe(1);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const st = d.status as Json;
    expect({ ...st, conditions: undefined }).toEqual({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined });
    expect(st.conditions.map((c: Json) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash}" has successfully progressed.`],
    ]);
    expect(h.eventsFor('web')).toEqual([`Normal ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`]);
    expect(h.errors).toEqual([]);
  });
});

describe('Deployment controller: rolling update', () => {
  it('honours maxSurge/maxUnavailable at every step and ends on the new RS', async () => {
    const h = setup();
    h.client.create(DEPLOY, deployment('web', { replicas: 4 }));
    await converge(h);
    const first = rsOf(h)[0]!.metadata.name!;
    setImage(h, 'nginx:1.27');
    for (let i = 0; i < 30; i++) {
      await h.settle();
      const pods = podsOf(h).filter((p) => !p.metadata.deletionTimestamp); // terminating pods do not count, as upstream
      expect(pods.length).toBeLessThanOrEqual(5); // 4 + ceil(25%)
      const ready = pods.filter((p) => (p.status as Json)?.conditions?.[0]?.status === 'True' && !p.metadata.deletionTimestamp).length;
      expect(ready).toBeGreaterThanOrEqual(3); // 4 - floor(25%)
      const rev = h.store.rev;
      kubelet(h);
      await h.settle();
      if (h.store.rev === rev) break;
    }
    expect(sizes(h)).toEqual({ '1': 0, '2': 4 });
    expect(rsOf(h).find((r) => r.metadata.name === first)).toBeDefined();
    const st = getD(h).status as Json;
    expect(st).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4, observedGeneration: 2 });
    expect(st.conditions[1]).toMatchObject({ reason: 'NewReplicaSetAvailable' });
    expect(getD(h).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const ev = h.eventsFor('web');
    expect(ev[1]).toMatch(/^Normal ScalingReplicaSet: Scaled up replica set web-\w+ from 0 to 1$/);
    expect(ev).toContain(`Normal ScalingReplicaSet: Scaled down replica set ${first} from 1 to 0`);
    expect(h.errors).toEqual([]);
  });

  it('rollout undo (template sent back with resources:{} / creationTimestamp:null) reuses the old RS', async () => {
    const h = setup();
    h.client.create(DEPLOY, deployment('web'));
    await converge(h);
    const first = rsOf(h)[0]!;
    setImage(h, 'nginx:1.27');
    await converge(h);
    expect(rsOf(h)).toHaveLength(2);
    // what kubectl rollout undo sends: the old RS template minus the hash label, as Go serialises it
    const tpl = structuredClone((first.spec as Json).template);
    delete tpl.metadata.labels[HASH_LABEL];
    tpl.metadata.creationTimestamp = null;
    tpl.spec.containers[0].resources = {};
    h.client.modify(DEPLOY, 'default', 'web', (o) => {
      (o.spec as Json).template = tpl;
    });
    await converge(h);
    expect(rsOf(h)).toHaveLength(2);
    const reused = h.get('apps', 'replicasets', 'default', first.metadata.name!)!;
    expect((reused.spec as Json).replicas).toBe(3);
    expect(reused.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(getD(h).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(h.errors).toEqual([]);
  });

  it('scales proportionally mid-rollout (the upstream docs example: 8+5 → 11+7)', async () => {
    const h = setup();
    h.client.create(DEPLOY, deployment('web', { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await converge(h);
    const oldHash = rsOf(h)[0]!.metadata.labels![HASH_LABEL];
    setImage(h, 'nginx:missing');
    await converge(h, { ready: (p) => p.metadata.labels?.[HASH_LABEL] === oldHash });
    expect(sizes(h)).toEqual({ '1': 8, '2': 5 });
    h.client.modify(DEPLOY, 'default', 'web', (o) => {
      (o.spec as Json).replicas = 15;
    });
    await converge(h, { ready: (p) => p.metadata.labels?.[HASH_LABEL] === oldHash });
    expect(sizes(h)).toEqual({ '1': 11, '2': 7 });
    expect(h.errors).toEqual([]);
  });

  it('marks a stuck rollout ProgressDeadlineExceeded after progressDeadlineSeconds', async () => {
    const h = setup();
    h.client.create(DEPLOY, deployment('web', { replicas: 2, progressDeadlineSeconds: 60 }));
    await converge(h);
    const oldHash = rsOf(h)[0]!.metadata.labels![HASH_LABEL];
    setImage(h, 'nginx:missing');
    await converge(h, { ready: (p) => p.metadata.labels?.[HASH_LABEL] === oldHash });
    const progressing = () => ((getD(h).status as Json).conditions as Json[]).find((c) => c.type === 'Progressing');
    expect(progressing()).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    await h.advance(70_000, 5_000);
    const newRS = rsOf(h).find((r) => r.metadata.labels?.[HASH_LABEL] !== oldHash)!;
    expect(progressing()).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` });
  });

  it('keeps at most revisionHistoryLimit old RSs', async () => {
    const h = setup();
    h.client.create(DEPLOY, deployment('web', { replicas: 1, revisionHistoryLimit: 1 }));
    for (const img of ['nginx:1', 'nginx:2', 'nginx:3']) {
      await converge(h);
      setImage(h, img);
    }
    await converge(h);
    expect(Object.keys(sizes(h)).sort()).toEqual(['3', '4']);
  });
});

describe('Deployment controller: hash collisions', () => {
  it('a foreign RS holding the name bumps status.collisionCount and the next hash is used', async () => {
    const h = setup();
    const d = deployment('web');
    const hash = computeHash((d.spec as Json).template);
    h.client.create(RS, {
      metadata: { name: `web-${hash}`, namespace: 'default' },
      spec: { replicas: 0, selector: { matchLabels: { other: 'x' } }, template: { metadata: { labels: { other: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    h.client.create(DEPLOY, d);
    await converge(h);
    expect((getD(h).status as Json).collisionCount).toBe(1);
    const mine = rsOf(h).filter((r) => r.metadata.ownerReferences?.length);
    expect(mine.map((r) => r.metadata.name)).toEqual([`web-${computeHash((d.spec as Json).template, 1)}`]);
    expect((getD(h).status as Json).availableReplicas).toBe(3);
  });
});

describe('Deployment controller: Recreate and pause', () => {
  it('Recreate scales the old RS to 0 and waits for its pods to be gone before the new RS', async () => {
    const h = setup();
    h.client.create(DEPLOY, deployment('web', { replicas: 2, strategy: { type: 'Recreate' } }));
    await converge(h);
    setImage(h, 'nginx:1.27');
    await h.settle();
    expect(rsOf(h)).toHaveLength(1); // old pods are still terminating (bound pods are only marked)
    expect(podsOf(h).every((p) => p.metadata.deletionTimestamp)).toBe(true);
    await converge(h);
    expect(sizes(h)).toEqual({ '1': 0, '2': 2 });
  });

  it('a paused deployment does not roll out; resume does', async () => {
    const h = setup();
    h.client.create(DEPLOY, deployment('web', { replicas: 1 }));
    await converge(h);
    h.client.modify(DEPLOY, 'default', 'web', (o) => {
      (o.spec as Json).paused = true;
      (o.spec as Json).template.spec.containers[0].image = 'nginx:1.27';
    });
    await converge(h);
    expect(rsOf(h)).toHaveLength(1);
    const prog = () => ((getD(h).status as Json).conditions as Json[]).find((c) => c.type === 'Progressing');
    expect(prog()).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    h.client.modify(DEPLOY, 'default', 'web', (o) => {
      (o.spec as Json).paused = false;
    });
    await converge(h);
    expect(sizes(h)).toEqual({ '1': 0, '2': 1 });
    expect(prog()).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });
});

describe('deployment-util', () => {
  it('safeEncode maps digits onto the vowel-free alphabet', () => {
    expect(safeEncode('0123456789')).toBe('456789bcdf');
  });
  it('computeHash is stable, upstream-shaped, and changes with collisionCount', () => {
    const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };
    expect(computeHash(t)).toMatch(HASH);
    expect(computeHash(t)).toBe(computeHash(structuredClone(t)));
    expect(computeHash(t, 1)).not.toBe(computeHash(t));
  });
  it.each<[string, Json, Json, boolean]>([
    ['defaults and empties are ignored', { spec: { containers: [{ name: 'a', image: 'x' }] } }, { metadata: { creationTimestamp: null, labels: {} }, spec: { containers: [{ name: 'a', image: 'x', resources: {}, imagePullPolicy: 'Always' }], restartPolicy: 'Always', securityContext: {} } }, true],
    ['hash label is ignored', { metadata: { labels: { app: 'a', [HASH_LABEL]: 'x' } }, spec: {} }, { metadata: { labels: { app: 'a' } }, spec: {} }, true],
    ['images differ', { spec: { containers: [{ name: 'a', image: 'x' }] } }, { spec: { containers: [{ name: 'a', image: 'y' }] } }, false],
  ])('templatesEqual: %s', (_n, a, b, want) => {
    expect(templatesEqual(a, b)).toBe(want);
  });
  it.each([
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 10, 3, 2],
    [0, 0, 3, 0, 1],
    ['0%', '10%', 5, 0, 1],
    [2, '50%', 3, 2, 1],
  ])('fenceposts(surge %s, unavailable %s, %i) = %i/%i', (s, u, n, surge, unavailable) => {
    expect(fenceposts(s, u, n)).toEqual({ surge, unavailable });
  });
  it('newRSNewReplicas caps at desired + surge', () => {
    const d: KObj = { metadata: {}, spec: { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } } };
    const old: KObj = { metadata: {}, spec: { replicas: 4 } };
    const nu: KObj = { metadata: {}, spec: { replicas: 0 } };
    expect(newRSNewReplicas(d, [old, nu], nu)).toBe(1);
  });
});
