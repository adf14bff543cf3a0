import { afterEach, describe, expect, it } from 'vitest';
import type { LogOptions } from '../api/context.js';
import { StatusError } from '../api/errors.js';
import { createRuntime } from '../runtime/index.js';
import { Harness } from '../testing/harness.js';
import type { KObj } from '../store/types.js';
import { KubeletPool } from './pool.js';
import { FakeRuntime } from './testutil.js';

type Obj = Record<string, any>;
let h: Harness;
afterEach(() => h?.stop());

function setup(real = false) {
  h = new Harness({ workers: 1 });
  const pool = new KubeletPool(h.env, real ? createRuntime({ ids: h.ids }) : new FakeRuntime());
  h.startAgents(...pool.agents);
  return pool;
}
const create = (name: string, containers: Obj[], extra: Obj = {}) =>
  h.client.create(h.client.def('', 'pods'), { metadata: { name, namespace: 'default' }, spec: { nodeName: 'node01', containers, ...extra } });
const pod = (name: string) => h.get('', 'pods', 'default', name) as KObj;

function logs(pool: KubeletPool, name: string, opts: LogOptions = {}, signal = new AbortController().signal): { text: () => string; ended: () => boolean } {
  let text = '';
  let ended = false;
  pool.streamLogs(pod(name), opts, { write: (c) => (text += c), end: () => (ended = true) }, signal);
  return { text: () => text, ended: () => ended };
}
function logError(pool: KubeletPool, name: string, opts: LogOptions = {}): string {
  try {
    logs(pool, name, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    return `${(e as StatusError).code} ${(e as StatusError).message}`;
  }
  return 'no error';
}

describe('kubectl logs through the kubelet', () => {
  it('refuses containers that have not started, like upstream', async () => {
    const pool = setup();
    create('wait', [{ name: 'app', image: 'nginx' }]);
    create('bad', [{ name: 'app', image: 'ngnix' }]);
    create('two', [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'nginx' }]);
    await h.settle();
    expect(logError(pool, 'wait')).toBe('400 container "app" in pod "wait" is waiting to start: ContainerCreating');
    expect(logError(pool, 'two')).toBe('400 a container name must be specified for pod two, choose one of: [a b]');
    expect(logError(pool, 'two', { container: 'c' })).toBe('400 container c is not valid for pod two');
    await h.advance(10_000, 100);
    expect(logError(pool, 'bad')).toBe('400 container "app" in pod "bad" is waiting to start: trying and failing to pull image');
    expect(logError(pool, 'wait', { previous: true })).toBe('400 previous terminated container "app" in pod "wait" not found');
    pool.stopKubelet('node01');
    expect(logError(pool, 'wait')).toBe('500 Get "https://172.30.2.2:10250/containerLogs/default/wait/app": dial tcp 172.30.2.2:10250: connect: connection refused');
  });

  it('serves the current and the previous instance, with tail, timestamps and limitBytes', async () => {
    const pool = setup();
    create('web', [{ name: 'nginx', image: 'nginx' }]);
    await h.advance(10_000, 100);
    expect(logs(pool, 'web').text()).toBe('/docker-entrypoint.sh: Configuration complete; ready for start up\n2026/01/01 12:00:00 [notice] 1#1: nginx/1.27.3\n');
    expect(logs(pool, 'web', { tailLines: 1 }).text()).toBe('2026/01/01 12:00:00 [notice] 1#1: nginx/1.27.3\n');
    expect(logs(pool, 'web', { timestamps: true, tailLines: 1 }).text()).toMatch(/^2026-01-01T12:00:0\d\.\d+Z 2026\/01\/01 12:00:00 \[notice\] 1#1: nginx\/1\.27\.3\n$/);
    expect(logs(pool, 'web', { limitBytes: 5 }).text()).toBe('/dock');
    pool.killContainer('default', 'web', 'nginx');
    await h.advance(10_000, 100);
    expect(logs(pool, 'web', { previous: true }).text()).toContain('Configuration complete');
    expect((pod('web').status as Obj).containerStatuses[0].restartCount).toBe(1);
  });

  it('follows a running container until it exits or the client goes away', async () => {
    const pool = setup();
    create('web', [{ name: 'nginx', image: 'nginx' }], { terminationGracePeriodSeconds: 1 });
    await h.advance(10_000, 100);
    const ac = new AbortController();
    const f = logs(pool, 'web', { follow: true, tailLines: 0 }, ac.signal);
    expect(f.ended()).toBe(false);
    ac.abort();
    expect(f.ended()).toBe(true);
    const g = logs(pool, 'web', { follow: true, tailLines: 0 });
    pool.killContainer('default', 'web', 'nginx');
    expect(g.ended()).toBe(true);
  });
});

describe('with the real runtime', () => {
  it('nginx writes its startup lines; busybox echo prints and completes', async () => {
    const pool = setup(true);
    create('web', [{ name: 'nginx', image: 'nginx:1.27' }]);
    create('b', [{ name: 'b', image: 'busybox', command: ['echo', 'hi'] }], { restartPolicy: 'Never' });
    await h.advance(60_000, 200);
    expect((pod('web').status as Obj).phase).toBe('Running');
    expect(logs(pool, 'web').text()).toMatch(/nginx/);
    expect((pod('b').status as Obj).phase).toBe('Succeeded');
    expect(logs(pool, 'b').text()).toBe('hi\n');
    expect(h.eventsFor('web')[0]).toBe('Normal Pulling: Pulling image "nginx:1.27"');
    expect(h.eventsFor('web')[1]).toMatch(/^Normal Pulled: Successfully pulled image "nginx:1.27" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\.$/);
  });

  it('crash loop and image pull errors with the real catalog', async () => {
    setup(true);
    create('crash', [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'exit 1'] }]);
    create('t', [{ name: 't', image: 'ngnix' }]);
    await h.advance(60_000, 500);
    const cs = (pod('crash').status as Obj).containerStatuses[0];
    expect(cs.state.waiting?.reason ?? Object.keys(cs.state)[0]).toMatch(/CrashLoopBackOff|running|terminated/);
    expect(cs.restartCount).toBeGreaterThanOrEqual(2);
    expect((pod('t').status as Obj).containerStatuses[0].state.waiting.reason).toMatch(/ImagePullBackOff|ErrImagePull/);
  });

  it('a command missing from the image ends as StartError (exit 128) without a Started event', async () => {
    setup(true);
    create('nocmd', [{ name: 'app', image: 'busybox', command: ['nosuchcmd'] }], { restartPolicy: 'Never' });
    await h.advance(30_000, 500);
    const t = (pod('nocmd').status as Obj).containerStatuses[0].state.terminated;
    expect(t).toMatchObject({ exitCode: 128, reason: 'StartError' });
    expect(t.message).toMatch(/nosuchcmd/);
    expect(h.eventsFor('nocmd').some((e) => e.startsWith('Warning Failed: Error: '))).toBe(true);
    expect(h.eventsFor('nocmd').some((e) => e.includes('Started'))).toBe(false);
    expect((pod('nocmd').status as Obj).phase).toBe('Failed');
  });
});
