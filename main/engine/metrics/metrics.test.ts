import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../testing/harness.js';
import type { KObj } from '../store/types.js';
import { cpuMillicores, LOAD_ANNOTATION, nodeMetrics, podMetrics, type UsageSource } from './metrics.js';

let h: Harness;
afterEach(() => h?.stop());

const running = new Set<string>();
const src: UsageSource = {
  containerUsage: (pod) => (running.has(pod.metadata.name!) ? [{ name: 'app', cpuMillicores: 2, memoryBytes: 10 * 2 ** 20 }, { name: 'side', cpuMillicores: 1, memoryBytes: 2 ** 20 }] : undefined),
  nodeRunning: (n) => n !== 'node02',
};

function pod(name: string, annotations?: Record<string, string>): KObj {
  return { metadata: { name, namespace: 'default', labels: { app: 'x' }, ...(annotations ? { annotations } : {}) }, spec: { nodeName: 'node01', containers: [{ name: 'app', image: 'nginx' }, { name: 'side', image: 'busybox' }] } };
}

describe('metrics.k8s.io from simulated usage', () => {
  it.each([
    ['450m', 450],
    ['1', 1000],
    ['0.25', 250],
    ['lots', undefined],
  ])('cpu quantity %s → %s millicores', (q, want) => {
    expect(cpuMillicores(q)).toBe(want);
  });

  it('reports per-container usage in nanocores/KiB, the load annotation on the first container', () => {
    h = new Harness({ bootstrap: false });
    const pods = h.client.def('', 'pods');
    running.clear();
    for (const n of ['a', 'b', 'idle']) running.add(n);
    h.client.create(pods, pod('a', { [LOAD_ANNOTATION]: '300m' }));
    h.client.create(pods, pod('b'));
    h.client.create(pods, pod('pending'));
    const a = podMetrics(h.ctx, h.get('', 'pods', 'default', 'a')!, src)!;
    expect(a).toMatchObject({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'a', namespace: 'default', labels: { app: 'x' } }, window: '15s' });
    expect(a.containers).toEqual([
      { name: 'app', usage: { cpu: '302000000n', memory: '10240Ki' } },
      { name: 'side', usage: { cpu: '1000000n', memory: '1024Ki' } },
    ]);
    expect(podMetrics(h.ctx, h.get('', 'pods', 'default', 'pending')!, src)).toBeUndefined();
    const node = (name: string): KObj => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
    // node overhead 35m + a (303m) + b (3m)
    expect(nodeMetrics(h.ctx, node('node01'), src)?.usage).toEqual({ cpu: '341000000n', memory: `${520 * 1024 + 22 * 1024}Ki` });
    expect(nodeMetrics(h.ctx, node('node02'), src)).toBeUndefined();
  });
});
