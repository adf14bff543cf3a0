import { describe, expect, it } from 'vitest';
import { NamespaceController } from '../controllers/namespace.js';
import { Harness } from './harness.js';

describe('Harness', () => {
  it('bootstraps a kubeadm-like cluster and runs controllers deterministically', async () => {
    const h = new Harness();
    h.add(new NamespaceController(h.store, () => h.ctx.registry.defs.filter((d) => d.namespaced && !d.virtual), 'CA'));
    await h.settle();
    expect(h.list('', 'namespaces').map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(h.get('', 'services', 'default', 'kubernetes')?.spec).toMatchObject({ clusterIP: '10.96.0.1' });
    expect(h.get('', 'services', 'kube-system', 'kube-dns')?.metadata.labels).toMatchObject({ 'kubernetes.io/cluster-service': 'true' });
    expect(h.get('', 'serviceaccounts', 'kube-public', 'default')).toBeDefined();
    expect(h.get('apps', 'deployments', 'kube-system', 'coredns')?.spec).toMatchObject({ replicas: 2 });
    expect(h.errors).toEqual([]);
  });

  it('namespace deletion empties the namespace then removes it', async () => {
    const h = new Harness({ bootstrap: false });
    h.add(new NamespaceController(h.store, () => h.ctx.registry.defs.filter((d) => d.namespaced && !d.virtual), 'CA'));
    const c = h.client;
    c.create(c.def('', 'namespaces'), { metadata: { name: 'dev' } });
    await h.settle();
    c.create(c.def('', 'configmaps'), { metadata: { name: 'x', namespace: 'dev' } });
    c.delete(c.def('', 'namespaces'), undefined, 'dev');
    expect(h.get('', 'namespaces', undefined, 'dev')?.status).toMatchObject({ phase: 'Terminating' });
    await h.settle();
    expect(h.get('', 'namespaces', undefined, 'dev')).toBeUndefined();
    expect(h.list('', 'configmaps', 'dev')).toEqual([]);
  });
});
