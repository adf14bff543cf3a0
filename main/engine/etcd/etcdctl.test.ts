import { afterEach, describe, expect, it } from 'vitest';
import { captureSink, type Proc, type Sys } from '../runtime/sys.js';
import { Harness } from '../testing/harness.js';
import { EtcdBackend } from './backend.js';
import { etcdctlProgram } from './etcdctl.js';
import { keyPrefix, parseKey } from './keys.js';

let h: Harness;
afterEach(() => h?.stop());

const TLS = ['--endpoints=https://127.0.0.1:2379', '--cacert=/etc/kubernetes/pki/etcd/ca.crt', '--cert=/etc/kubernetes/pki/etcd/server.crt', '--key=/etc/kubernetes/pki/etcd/server.key'];

function setup(): (args: string[], tls?: boolean) => { code: number; out: string; err: string } {
  h = new Harness({ bootstrap: false });
  const backend = new EtcdBackend(h.ctx);
  const prog = etcdctlProgram(backend);
  return (args, tls = true) => {
    const out = captureSink();
    const err = captureSink();
    const p = { sys: { podIP: '192.168.56.10', hostname: 'etcd-controlplane' } as Sys, io: { out, err }, env: new Map(), cwd: '/', pid1: false } as Proc;
    const gen = prog(['etcdctl', ...(tls ? TLS : []), ...args], p);
    let r = gen.next();
    while (!r.done) r = gen.next();
    return { code: r.value, out: out.text, err: err.text };
  };
}

describe('etcd key layout', () => {
  it('uses the apiserver prefixes', () => {
    h = new Harness({ bootstrap: false });
    const defs = h.ctx.registry.defs;
    const d = (g: string, r: string) => h.client.def(g, r);
    expect(keyPrefix(d('', 'pods'))).toBe('/registry/pods');
    expect(keyPrefix(d('', 'nodes'))).toBe('/registry/minions');
    expect(keyPrefix(d('', 'services'))).toBe('/registry/services/specs');
    expect(keyPrefix(d('', 'endpoints'))).toBe('/registry/services/endpoints');
    expect(keyPrefix(d('apps', 'deployments'))).toBe('/registry/deployments');
    expect(keyPrefix(d('networking.k8s.io', 'ingresses'))).toBe('/registry/ingress');
    expect(keyPrefix(d('apiextensions.k8s.io', 'customresourcedefinitions'))).toBe('/registry/apiextensions.k8s.io/customresourcedefinitions');
    expect(parseKey(defs, '/registry/services/endpoints/default/kubernetes')).toMatchObject({ def: { resource: 'endpoints' }, namespace: 'default', name: 'kubernetes' });
    expect(parseKey(defs, '/registry/minions/node01')).toMatchObject({ def: { resource: 'nodes' }, name: 'node01' });
    expect(parseKey(defs, '/foo')).toBeUndefined();
  });
});

describe('etcdctl', () => {
  it('lists, reads, writes and deletes keys of the store', () => {
    const run = setup();
    h.client.create(h.client.def('', 'configmaps'), { metadata: { name: 'cfg', namespace: 'default' }, data: { a: '1' } });
    const keys = run(['get', '/registry/configmaps/default', '--prefix', '--keys-only']);
    expect(keys).toMatchObject({ code: 0, out: '/registry/configmaps/default/cfg\n\n' });
    const got = run(['get', '/registry/configmaps/default/cfg']).out.split('\n');
    expect(got[0]).toBe('/registry/configmaps/default/cfg');
    expect(JSON.parse(got[1]!)).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
    expect(run(['put', 'greeting', 'hello']).out).toBe('OK\n');
    expect(run(['get', 'greeting', '--print-value-only']).out).toBe('hello\n');
    expect(run(['put', '/registry/configmaps/default/cfg2', '{"apiVersion":"v1","kind":"ConfigMap","data":{"b":"2"}}']).out).toBe('OK\n');
    expect(h.get('', 'configmaps', 'default', 'cfg2')?.data).toEqual({ b: '2' });
    expect(run(['del', '/registry/configmaps/default/cfg']).out).toBe('1\n');
    expect(h.get('', 'configmaps', 'default', 'cfg')).toBeUndefined();
    expect(run(['get', '/registry/configmaps/default/cfg']).out).toBe('');
  });

  it('needs the TLS flags kubeadm etcd requires', () => {
    const run = setup();
    const r = run(['get', '/registry/pods', '--prefix', '--keys-only'], false);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n').at(-1)).toBe('Error: context deadline exceeded');
    expect(run(['--cacert=/etc/kubernetes/pki/ca.crt', 'member', 'list'], false).err).toBe('Error: open /etc/kubernetes/pki/ca.crt: no such file or directory\n');
  });

  it('member list, endpoint health, version', () => {
    const run = setup();
    expect(run(['member', 'list']).out).toMatch(/^[0-9a-f]{16}, started, controlplane, https:\/\/192\.168\.56\.10:2380, https:\/\/192\.168\.56\.10:2379, false\n$/);
    expect(run(['endpoint', 'health']).out).toBe('https://127.0.0.1:2379 is healthy: successfully committed proposal: took = 9.6453ms\n');
    expect(run(['version'], false).out).toBe('etcdctl version: 3.5.16\nAPI version: 3.5\n');
    expect(run(['frobnicate']).err).toBe(`Error: unknown command "frobnicate" for "etcdctl"\nRun 'etcdctl --help' for usage.\n`);
  });

  it('snapshot save, status and restore bring the saved state back', () => {
    const run = setup();
    const cms = h.client.def('', 'configmaps');
    h.client.create(cms, { metadata: { name: 'keep', namespace: 'default' }, data: { v: 'old' } });
    const save = run(['snapshot', 'save', '/opt/snap.db']);
    expect(save.out).toBe('Snapshot saved at /opt/snap.db\n');
    const status = run(['snapshot', 'status', '/opt/snap.db', '-w', 'table'], false);
    expect(status.out).toMatch(/\|\s+HASH\s+\|\s+REVISION\s+\|\s+TOTAL KEYS\s+\|\s+TOTAL SIZE\s+\|/);
    h.client.delete(cms, 'default', 'keep');
    h.client.create(cms, { metadata: { name: 'later', namespace: 'default' } });
    const restore = run(['snapshot', 'restore', '/opt/snap.db', '--data-dir', '/var/lib/etcd-from-backup'], false);
    expect(restore.code).toBe(0);
    expect(restore.err).toContain('restored snapshot');
    expect(h.get('', 'configmaps', 'default', 'keep')?.data).toEqual({ v: 'old' });
    expect(h.get('', 'configmaps', 'default', 'later')).toBeUndefined();
    expect(run(['snapshot', 'status', '/nope.db'], false).err).toBe('Error: stat /nope.db: no such file or directory\n');
  });
});
