// @kubernetes/client-node is the other client that matters (the lab checker and the UI use it):
// list, watch, create and patch must work against KubeLab as against a real cluster.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

let cluster: RunningCluster;
let kc: k8s.KubeConfig;

beforeAll(async () => {
  cluster = await startCluster();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
});
afterAll(async () => {
  await cluster?.stop();
});

describe('@kubernetes/client-node', () => {
  it('lists namespaces', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(list.items[0]?.status?.phase).toBe('Active');
  });

  it('creates, patches and reads a ConfigMap', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cn' }, data: { a: '1' } } });
    expect(created.metadata?.uid).toBeTruthy();
    await core.patchNamespacedConfigMap(
      { name: 'cn', namespace: 'default', body: { data: { b: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const got = await core.readNamespacedConfigMap({ name: 'cn', namespace: 'default' });
    expect(got.data).toEqual({ a: '1', b: '2' });
  });

  it('reports NotFound as an ApiException with the Status body', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await expect(core.readNamespacedConfigMap({ name: 'nope', namespace: 'default' })).rejects.toMatchObject({ code: 404 });
  });

  it('watches: sees ADDED and MODIFIED for a Deployment', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    let resolveSeen: () => void;
    const done = new Promise<void>((r) => (resolveSeen = r));
    const ctl = await watch.watch(
      '/apis/apps/v1/namespaces/default/deployments',
      { fieldSelector: 'metadata.name=w' },
      (type, obj) => {
        seen.push(`${type} ${obj.metadata.name} ${obj.spec.replicas}`);
        if (type === 'MODIFIED' && obj.spec.replicas === 4) resolveSeen();
      },
      () => undefined,
    );
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'w' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      },
    });
    await apps.patchNamespacedDeploymentScale(
      { name: 'w', namespace: 'default', body: { spec: { replicas: 4 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await done;
    ctl.abort();
    // the Deployment controller also writes status in between: every event is about w, in order
    expect(seen[0]).toBe('ADDED w 1');
    expect(seen.at(-1)).toBe('MODIFIED w 4');
    expect(seen.every((e) => e === 'ADDED w 1' || e.startsWith('MODIFIED w '))).toBe(true);
  });
});
