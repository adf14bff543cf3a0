import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../testing/harness.js';
import { KubeletPool } from './pool.js';
import { FakeRuntime } from './testutil.js';
import type { KObj } from '../store/types.js';

type Obj = Record<string, any>;
let h: Harness;
afterEach(() => h?.stop());

function setup(workers = 1) {
  h = new Harness({ workers });
  const runtime = new FakeRuntime();
  const pool = new KubeletPool(h.env, runtime);
  h.startAgents(...pool.agents);
  return { pool, runtime };
}

function pod(name: string, container: Obj, extra: Obj = {}): KObj {
  return { metadata: { name, namespace: 'default' }, spec: { nodeName: 'node01', containers: [{ name: container.name ?? 'app', ...container }], ...extra } };
}
const create = (p: KObj) => h.client.create(h.client.def('', 'pods'), p);
const get = (name: string) => h.get('', 'pods', 'default', name) as Obj | undefined;
const state = (name: string) => get(name)?.status?.containerStatuses?.[0]?.state;

describe('kubelet pod lifecycle', () => {
  it('runs an nginx pod: Pending → ContainerCreating → Running with the upstream events', async () => {
    setup();
    create(pod('web', { name: 'nginx', image: 'nginx' }));
    await h.settle();
    expect(get('web')!.status.phase).toBe('Pending');
    expect(state('web')).toEqual({ waiting: { reason: 'ContainerCreating' } });
    await h.advance(10_000, 100);
    const st = get('web')!.status;
    expect(st.phase).toBe('Running');
    expect(st.podIP).toBe('10.244.1.2');
    expect(st.hostIP).toBe('172.30.2.2');
    const cs = st.containerStatuses[0];
    expect(cs.ready).toBe(true);
    expect(cs.started).toBe(true);
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs.image).toBe('docker.io/library/nginx:latest');
    expect(st.conditions.map((c: Obj) => `${c.type}=${c.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    expect(h.eventsFor('web')).toEqual([
      'Normal Pulling: Pulling image "nginx"',
      'Normal Pulled: Successfully pulled image "nginx" in 2.345s (2.345s including waiting). Image size: 72099410 bytes.',
      'Normal Created: Created container: nginx',
      'Normal Started: Started container nginx',
    ]);
  });
});

describe('kubelet status writes', () => {
  // what `kubectl get pods -w -o wide` shows: one status write per SyncPod, as upstream's kubelet
  // (the sandbox, the pulls and the starts of one sync reach the API server together)
  const summary = (p: Obj) => {
    const cs = (p.status?.containerStatuses ?? []).map((c: Obj) => Object.keys(c.state ?? {})[0] + (c.state?.waiting ? `:${c.state.waiting.reason}` : ''));
    return `${p.status?.phase ?? '-'} ${p.status?.podIP ?? '<none>'} [${cs.join(',')}]`;
  };
  it.each([
    { name: 'one container', containers: [{ name: 'nginx', image: 'nginx' }], want: ['Pending <none> [waiting:ContainerCreating]', 'Running 10.244.1.2 [running]'] },
    { name: 'two containers start in one sync', containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'busybox', command: ['sleep', '3600'] }], want: ['Pending <none> [waiting:ContainerCreating,waiting:ContainerCreating]', 'Running 10.244.1.2 [running,running]'] },
    { name: 'a failed pull ends the sync with the sandbox up', containers: [{ name: 't', image: 'ngnix' }], want: ['Pending <none> [waiting:ContainerCreating]', 'Pending 10.244.1.2 [waiting:ErrImagePull]', 'Pending 10.244.1.2 [waiting:ImagePullBackOff]'] },
  ])('$name', async ({ containers, want }) => {
    setup();
    const writes: string[] = [];
    h.store.subscribe((ev) => {
      if (ev.resource === 'pods' && ev.type === 'MODIFIED' && ev.object.metadata.name === 'p') writes.push(summary(ev.object as Obj));
    });
    create({ metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'node01', containers } });
    await h.advance(15_000, 100);
    expect(writes).toEqual(want);
  });
});

/** advance in steps, recording each distinct value of f() with the time it first appeared */
async function watch<T>(ms: number, f: () => T, step = 100): Promise<Array<{ t: number; v: T }>> {
  const start = h.clock.now();
  const seen: Array<{ t: number; v: T }> = [];
  for (let t = 0; t <= ms; t += step) {
    const v = f();
    if (!seen.length || JSON.stringify(seen.at(-1)!.v) !== JSON.stringify(v)) seen.push({ t: h.clock.now() - start, v });
    await h.advance(step, step);
  }
  return seen;
}

describe('kubelet failures and backoff', () => {
  it('ErrImagePull → ImagePullBackOff, retrying after 10 s, 20 s, 40 s', async () => {
    setup();
    create(pod('t', { name: 't', image: 'ngnix' }));
    const seen = await watch(120_000, () => state('t')?.waiting?.reason);
    expect(seen.map((s) => s.v)).toEqual([undefined, 'ContainerCreating', 'ErrImagePull', 'ImagePullBackOff', 'ErrImagePull', 'ImagePullBackOff', 'ErrImagePull', 'ImagePullBackOff', 'ErrImagePull', 'ImagePullBackOff']);
    const errs = seen.filter((s) => s.v === 'ErrImagePull').map((s) => s.t);
    // each retry pulls again after the backoff (plus the simulated pull time)
    expect(errs[1]! - errs[0]!).toBeGreaterThanOrEqual(10_000);
    expect(errs[1]! - errs[0]!).toBeLessThan(13_000);
    expect(errs[2]! - errs[1]!).toBeGreaterThanOrEqual(20_000);
    expect(errs[3]! - errs[2]!).toBeGreaterThanOrEqual(40_000);
    const ev = h.eventsFor('t');
    expect(ev.slice(0, 5)).toEqual([
      'Normal Pulling: Pulling image "ngnix"',
      'Warning Failed: Failed to pull image "ngnix": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": docker.io/library/ngnix:latest: not found',
      'Warning Failed: Error: ErrImagePull',
      'Normal BackOff: Back-off pulling image "ngnix"',
      'Warning Failed: Error: ImagePullBackOff',
    ]);
    expect(state('t')).toEqual({ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ngnix"' } });
    expect(get('t')!.status.phase).toBe('Pending');
  });

  it('`sh -c "exit 1"` crash-loops with back-off 10s, 20s, 40s', async () => {
    setup();
    create(pod('crash', { image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }));
    const seen = await watch(150_000, () => {
      const cs = get('crash')?.status?.containerStatuses?.[0];
      return cs ? `${cs.restartCount} ${Object.keys(cs.state)[0]} ${cs.state.waiting?.reason ?? cs.state.terminated?.reason ?? ''} ${cs.state.waiting?.message ?? ''}` : '';
    });
    const uid = get('crash')!.metadata.uid;
    const msgs = [...new Set(seen.map((s) => s.v).filter((v) => v.includes('CrashLoopBackOff')))].slice(0, 3);
    expect(msgs).toEqual([
      `1 waiting CrashLoopBackOff back-off 10s restarting failed container=app pod=crash_default(${uid})`,
      `2 waiting CrashLoopBackOff back-off 20s restarting failed container=app pod=crash_default(${uid})`,
      `3 waiting CrashLoopBackOff back-off 40s restarting failed container=app pod=crash_default(${uid})`,
    ]);
    // a new instance (restartCount + 1) only after each back-off has passed
    const firstSeen = (n: number) => seen.find((s) => s.v.startsWith(`${n} `))!.t;
    expect(firstSeen(1)).toBeLessThan(8_000);
    expect(firstSeen(2) - firstSeen(1)).toBeGreaterThanOrEqual(10_000);
    expect(firstSeen(2) - firstSeen(1)).toBeLessThan(13_000);
    expect(firstSeen(3) - firstSeen(2)).toBeGreaterThanOrEqual(20_000);
    expect(firstSeen(4) - firstSeen(3)).toBeGreaterThanOrEqual(40_000);
    const cs = get('crash')!.status.containerStatuses[0];
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(get('crash')!.status.phase).toBe('Running');
    expect(h.eventsFor('crash')).toContain(`Warning BackOff: Back-off restarting failed container app in pod crash_default(${uid})`);
    expect(h.eventsFor('crash')).toContain('Normal Pulled: Container image "busybox:1.36" already present on machine');
  });

  it('restartPolicy Never: a failing container makes the pod Failed; exit 0 makes it Succeeded', async () => {
    setup();
    create(pod('fail', { image: 'busybox', command: ['sh', '-c', 'exit 3'] }, { restartPolicy: 'Never' }));
    create(pod('ok', { image: 'busybox', command: ['echo', 'hi'] }, { restartPolicy: 'Never' }));
    await h.advance(15_000, 100);
    expect(get('fail')!.status.phase).toBe('Failed');
    expect(state('fail').terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(get('ok')!.status.phase).toBe('Succeeded');
    expect(state('ok').terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const ready = get('ok')!.status.conditions.find((c: Obj) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('missing ConfigMap → CreateContainerConfigError, recovers once it exists', async () => {
    setup();
    create(pod('cfg', { image: 'busybox', command: ['sleep', '3600'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'x', key: 'y' } } }] }));
    await h.advance(10_000, 100);
    expect(state('cfg')).toEqual({ waiting: { reason: 'CreateContainerConfigError', message: 'configmap "x" not found' } });
    expect(h.eventsFor('cfg')).toContain('Warning Failed: Error: configmap "x" not found');
    h.client.create(h.client.def('', 'configmaps'), { metadata: { name: 'x', namespace: 'default' }, data: { z: '1' } });
    await h.advance(12_000, 100);
    expect(state('cfg').waiting.message).toBe("couldn't find key y in ConfigMap default/x");
    h.client.modify(h.client.def('', 'configmaps'), 'default', 'x', (o) => void ((o.data as Obj).y = 'v'));
    await h.advance(12_000, 100);
    expect(Object.keys(state('cfg'))).toEqual(['running']);
  });

  it('graceful termination: SIGTERM, SIGKILL after the grace period, then the pod is removed', async () => {
    setup();
    create(pod('sleeper', { image: 'busybox', command: ['sleep', '3600'] }, { terminationGracePeriodSeconds: 5 }));
    create(pod('web', { name: 'nginx', image: 'nginx' }));
    await h.advance(10_000, 100);
    h.client.delete(h.client.def('', 'pods'), 'default', 'sleeper');
    h.client.delete(h.client.def('', 'pods'), 'default', 'web');
    await h.advance(1_000, 100);
    expect(get('web')).toBeUndefined(); // nginx quits on SIGTERM
    expect(get('sleeper')?.metadata.deletionTimestamp).toBeDefined(); // sleep ignores it
    expect(h.eventsFor('sleeper')).toContain('Normal Killing: Stopping container app');
    await h.advance(3_800, 100);
    expect(get('sleeper')).toBeDefined();
    await h.advance(400, 100);
    expect(get('sleeper')).toBeUndefined();
  });

  it('liveness failure: Unhealthy events, Killing, restart', async () => {
    const { runtime } = setup();
    create(pod('live', { name: 'nginx', image: 'nginx', livenessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5, failureThreshold: 2 } }));
    await h.advance(20_000, 100);
    expect(state('live').running).toBeDefined();
    runtime.started[0]!.healthy = false;
    await h.advance(12_000, 100);
    const ev = h.eventsFor('live');
    expect(ev).toContain('Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 404');
    expect(ev).toContain('Normal Killing: Container nginx failed liveness probe, will be restarted');
    await h.advance(5_000, 100);
    const cs = get('live')!.status.containerStatuses[0];
    expect(cs.restartCount).toBe(1);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(Object.keys(cs.state)).toEqual(['running']);
  });

  it('readiness: a failing readiness probe keeps the pod unready', async () => {
    setup();
    create(pod('rd', { name: 'nginx', image: 'nginx', readinessProbe: { httpGet: { path: '/ready', port: 80 }, periodSeconds: 2 } }));
    await h.advance(15_000, 100);
    const st = get('rd')!.status;
    expect(st.phase).toBe('Running');
    expect(st.conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [nginx]' });
    expect(h.eventsFor('rd')).toContain('Warning Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 404');
  });

  it('init containers run first, in order (Init:0/1 → Running)', async () => {
    setup();
    create(pod('init', { image: 'nginx', name: 'nginx' }, { initContainers: [{ name: 'setup', image: 'busybox', command: ['echo', 'done'] }] }));
    await h.advance(1_500, 100);
    const st = get('init')!.status;
    expect(st.containerStatuses[0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(st.conditions.find((c: Obj) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [setup]' });
    await h.advance(15_000, 100);
    const done = get('init')!.status;
    expect(done.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(done.phase).toBe('Running');
  });

  it('killContainer: exit 137 and a restart', async () => {
    const { pool } = setup();
    create(pod('web', { name: 'nginx', image: 'nginx' }));
    await h.advance(10_000, 100);
    pool.killContainer('default', 'web', 'nginx');
    await h.advance(5_000, 100);
    const cs = get('web')!.status.containerStatuses[0];
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(cs.restartCount).toBe(1);
  });

  it('fixing the image of a pod in ImagePullBackOff pulls the new one at once', async () => {
    setup();
    create(pod('t', { name: 't', image: 'ngnix' }));
    await h.advance(30_000, 200);
    expect(state('t').waiting.reason).toMatch(/ImagePullBackOff|ErrImagePull/);
    h.client.modify(h.client.def('', 'pods'), 'default', 't', (p) => void ((p.spec as Obj).containers[0].image = 'nginx'));
    await h.advance(6_000, 100);
    expect(Object.keys(state('t'))).toEqual(['running']);
    h.client.modify(h.client.def('', 'pods'), 'default', 't', (p) => void ((p.spec as Obj).containers[0].image = 'nginx:1.27'));
    await h.advance(6_000, 100);
    expect(h.eventsFor('t')).toContain('Normal Killing: Container t definition changed, will be restarted');
    const cs = get('t')!.status.containerStatuses[0];
    expect(cs.restartCount).toBe(1);
    expect(cs.image).toBe('docker.io/library/nginx:1.27');
  });
});
