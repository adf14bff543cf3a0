import { describe, expect, it } from 'vitest';
import type { KObj } from '../store/types.js';
import { expand, resolveEnv, resolveFiles, type Lookup } from './env.js';

const cm: KObj = { metadata: { name: 'cfg', namespace: 'default' }, data: { color: 'blue', 'app.conf': 'x=1' } };
const sec: KObj = { metadata: { name: 's', namespace: 'default' }, data: { password: Buffer.from('hunter2').toString('base64') } };
const lookup: Lookup = {
  configMap: (_ns, name) => (name === 'cfg' ? cm : undefined),
  secret: (_ns, name) => (name === 's' ? sec : undefined),
  services: (ns) => (ns === 'default' ? [{ metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } }] : []),
};
const pod = (container: Record<string, unknown>, extra: Record<string, unknown> = {}): KObj => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1', labels: { app: 'web' } },
  spec: { nodeName: 'node01', containers: [container], ...extra },
  status: { podIP: '10.244.1.5', hostIP: '172.30.2.2' },
});

describe('$(VAR) expansion', () => {
  it.each([
    ['$(A)-$(B)', 'a-$(B)'],
    ['$$(A)', '$(A)'],
    ['$A', '$A'],
    ['x$(A', 'x$(A'],
  ])('%s → %s', (input, out) => expect(expand(input, { A: 'a' })).toBe(out));
});

describe('resolveEnv', () => {
  it('builds service links, envFrom, values, refs and field refs', () => {
    const c = {
      name: 'app',
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
      env: [
        { name: 'A', value: 'a' },
        { name: 'B', value: '$(A)b' },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'password' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      ],
    };
    const r = resolveEnv(pod(c), c, lookup);
    expect(r.ok && r.value).toMatchObject({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443', CFG_color: 'blue', A: 'a', B: 'ab', PW: 'hunter2', POD: 'p', IP: '10.244.1.5', NODE: 'node01', APP: 'web' });
  });
  it.each([
    [{ valueFrom: { configMapKeyRef: { name: 'x', key: 'y' } } }, 'configmap "x" not found'],
    [{ valueFrom: { configMapKeyRef: { name: 'cfg', key: 'y' } } }, "couldn't find key y in ConfigMap default/cfg"],
    [{ valueFrom: { secretKeyRef: { name: 'nope', key: 'y' } } }, 'secret "nope" not found'],
    [{ valueFrom: { secretKeyRef: { name: 's', key: 'y' } } }, "couldn't find key y in Secret default/s"],
  ])('%j fails with %s', (e, message) => {
    const c = { name: 'app', env: [{ name: 'X', ...e }] };
    expect(resolveEnv(pod(c), c, lookup)).toEqual({ ok: false, message });
  });
  it('skips optional references', () => {
    const c = { name: 'app', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'x', key: 'y', optional: true } } }] };
    const r = resolveEnv(pod(c), c, lookup);
    expect(r.ok && 'X' in r.value).toBe(false);
  });
});

describe('resolveFiles', () => {
  it('mounts configMap keys as files and reports missing sources like MountVolume.SetUp', () => {
    const c = { name: 'app', volumeMounts: [{ name: 'v', mountPath: '/etc/app' }] };
    expect(resolveFiles(pod(c, { volumes: [{ name: 'v', configMap: { name: 'cfg' } }] }), c, lookup)).toEqual({ ok: true, value: { '/etc/app/color': 'blue', '/etc/app/app.conf': 'x=1' } });
    expect(resolveFiles(pod(c, { volumes: [{ name: 'v', configMap: { name: 'gone' } }] }), c, lookup)).toEqual({ ok: false, message: 'MountVolume.SetUp failed for volume "v" : configmap "gone" not found' });
  });
});
