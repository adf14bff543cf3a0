// The simulator's own controls (/kubelab/v1alpha1), reached with the cluster admin's credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '5'] });
});
afterAll(async () => {
  await c?.stop();
});

async function raw(verb: 'get' | 'create' | 'replace', path: string, body?: object) {
  const args = verb === 'get' ? ['get', '--raw', path] : [verb, '--raw', path, '-f', '-'];
  return c.kubectl(args, { input: body ? JSON.stringify(body) : '{}' });
}

describe('simulator controls', () => {
  it('reads and changes the clock speed, refusing speeds outside 1–600', async () => {
    expect(JSON.parse((await raw('get', '/kubelab/v1alpha1/clock')).stdout).speed).toBe(5);
    expect(JSON.parse((await raw('replace', '/kubelab/v1alpha1/clock', { speed: 600 })).stdout).speed).toBe(600);
    const bad = await raw('replace', '/kubelab/v1alpha1/clock', { speed: 1000 });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('speed must be between 1 and 600, got 1000');
  });

  it('snapshots and restores the cluster', async () => {
    await c.kubectl(['create', 'configmap', 'before', '--from-literal=a=1']);
    expect((await raw('create', '/kubelab/v1alpha1/snapshots', { name: 'one' })).code).toBe(0);
    expect(JSON.parse((await raw('get', '/kubelab/v1alpha1/snapshots')).stdout)).toEqual(['one']);
    await c.kubectl(['delete', 'configmap', 'before']);
    await c.kubectl(['create', 'configmap', 'after', '--from-literal=a=2']);
    expect((await raw('create', '/kubelab/v1alpha1/snapshots/one/restore')).code).toBe(0);
    const names = (await c.kubectl(['get', 'cm', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.split(' ');
    expect(names).toContain('before');
    expect(names).not.toContain('after');
    const missing = await raw('create', '/kubelab/v1alpha1/snapshots/nope/restore');
    expect(missing.stderr).toContain('snapshot "nope" not found');
  });

  it('reset returns to a fresh cluster', async () => {
    await c.kubectl(['create', 'namespace', 'scratch']);
    expect((await raw('create', '/kubelab/v1alpha1/reset')).code).toBe(0);
    const ns = (await c.kubectl(['get', 'ns', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout;
    expect(ns).toBe('default kube-node-lease kube-public kube-system');
    expect((await c.kubectl(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'name'])).stdout).toBe('service/kube-dns\n');
  });

  it('kills a container (it restarts per its policy) and lists the node agents', async () => {
    expect(JSON.parse((await raw('get', '/kubelab/v1alpha1/nodes')).stdout)).toEqual([
      { name: 'controlplane', kubeletRunning: true },
      { name: 'node01', kubeletRunning: true },
      { name: 'node02', kubeletRunning: true },
    ]);
    await c.kubectl(['run', 'victim', '--image=nginx']);
    for (let i = 0; i < 200; i++) {
      if ((await c.kubectl(['get', 'pod', 'victim', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await raw('create', '/kubelab/v1alpha1/namespaces/default/pods/victim/containers/victim/kill')).code).toBe(0);
    let restarts = '';
    for (let i = 0; i < 200 && restarts !== '1'; i++) {
      restarts = (await c.kubectl(['get', 'pod', 'victim', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])).stdout;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(restarts).toBe('1');
    const last = JSON.parse((await c.kubectl(['get', 'pod', 'victim', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated}'])).stdout);
    expect(last).toMatchObject({ exitCode: 137, reason: 'Error' });
    const missing = await raw('create', '/kubelab/v1alpha1/namespaces/default/pods/nope/containers/x/kill');
    expect(missing.code).not.toBe(0);
  });

  it('is not reachable without credentials', async () => {
    const r = await c.kubectl(['get', '--raw', '/kubelab/v1alpha1/clock', '--server', c.url, '--insecure-skip-tls-verify', '--kubeconfig', '/dev/null', '--token', 'nope']);
    expect(r.stderr.trim()).toBe('error: You must be logged in to the server (Unauthorized)');
  });
});
