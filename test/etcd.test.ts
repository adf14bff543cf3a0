// etcdctl in the etcd static pod with the real kubectl exec: the store's keys under /registry,
// put/get/del against the same store, the TLS flags kubeadm's etcd demands, and a snapshot saved
// to a real file in the data dir that restores the cluster's earlier state.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
});
afterAll(async () => {
  await c?.stop();
});

const TLS = ['--endpoints=https://127.0.0.1:2379', '--cacert=/etc/kubernetes/pki/etcd/ca.crt', '--cert=/etc/kubernetes/pki/etcd/server.crt', '--key=/etc/kubernetes/pki/etcd/server.key'];
const etcdctl = (args: string[], tls = true) => c.kubectl(['-n', 'kube-system', 'exec', 'etcd-controlplane', '--', 'etcdctl', ...(tls ? TLS : []), ...args]);

const ok = (args: string[]) => c.ok(args);

const waitFor = (args: string[], want: (out: string) => boolean, timeoutMs = 30_000) => c.waitFor(args, want, timeoutMs);

describe.sequential('etcdctl in the etcd pod', () => {
  it('lists the keys of the pods the cluster runs', async () => {
    await waitFor(['-n', 'kube-system', 'get', 'pod', 'etcd-controlplane', '-o', 'jsonpath={.status.phase}'], (o) => o === 'Running', 60_000);
    await ok(['run', 'web', '--image=nginx']);
    const r = await etcdctl(['get', '/registry/pods/default', '--prefix', '--keys-only']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('/registry/pods/default/web\n\n');
    const ns = await etcdctl(['get', '/registry/namespaces', '--prefix', '--keys-only']);
    expect(ns.stdout.split('\n').filter(Boolean)).toEqual(['/registry/namespaces/default', '/registry/namespaces/kube-node-lease', '/registry/namespaces/kube-public', '/registry/namespaces/kube-system']);
    const value = await etcdctl(['get', '/registry/pods/default/web', '--print-value-only']);
    expect(JSON.parse(value.stdout)).toMatchObject({ kind: 'Pod', metadata: { name: 'web', namespace: 'default' } });
  });

  it('refuses to talk without the client certificates', async () => {
    const r = await etcdctl(['get', '/registry/pods', '--prefix', '--keys-only'], false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: context deadline exceeded');
    expect((await etcdctl(['member', 'list'])).stdout).toMatch(/, started, controlplane, https:\/\/[\d.]+:2380, https:\/\/[\d.]+:2379, false\n$/);
    expect((await etcdctl(['endpoint', 'health'])).stdout).toContain('https://127.0.0.1:2379 is healthy: successfully committed proposal');
  });

  it('put/get/del work on the same store the API serves', async () => {
    expect((await etcdctl(['put', 'greeting', 'hello'])).stdout).toBe('OK\n');
    expect((await etcdctl(['get', 'greeting'])).stdout).toBe('greeting\nhello\n');
    expect((await etcdctl(['put', '/registry/configmaps/default/from-etcd', '{"apiVersion":"v1","kind":"ConfigMap","data":{"k":"v"}}'])).stdout).toBe('OK\n');
    expect(await ok(['get', 'cm', 'from-etcd', '-o', 'jsonpath={.data.k}'])).toBe('v');
    expect((await etcdctl(['del', '/registry/configmaps/default/from-etcd'])).stdout).toBe('1\n');
    const gone = await c.kubectl(['get', 'cm', 'from-etcd']);
    expect(gone.stderr.trim()).toBe('Error from server (NotFound): configmaps "from-etcd" not found');
  });

  it('snapshot save writes a real file that snapshot restore brings back', async () => {
    await ok(['create', 'configmap', 'before', '--from-literal=a=1']);
    const save = await etcdctl(['snapshot', 'save', '/opt/snap.db']);
    expect(save.stdout).toBe('Snapshot saved at /opt/snap.db\n');
    expect(existsSync(path.join(c.dataDir, 'etcd', 'opt', 'snap.db'))).toBe(true);
    const status = await etcdctl(['snapshot', 'status', '/opt/snap.db', '--write-out=table'], false);
    expect(status.stdout).toMatch(/HASH\s+\|\s+REVISION\s+\|\s+TOTAL KEYS\s+\|\s+TOTAL SIZE/);

    await ok(['delete', 'configmap', 'before']);
    await ok(['create', 'configmap', 'after', '--from-literal=b=2']);
    const restore = await etcdctl(['snapshot', 'restore', '/opt/snap.db', '--data-dir', '/var/lib/etcd-from-backup'], false);
    expect(restore.code).toBe(0);
    await waitFor(['get', 'cm', '-o', 'name'], (o) => o.includes('configmap/before') && !o.includes('configmap/after'));
  });
});
