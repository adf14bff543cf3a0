// Metrics and the HorizontalPodAutoscaler with the real kubectl on a fast clock: `kubectl top`,
// `kubectl autoscale` (an autoscaling/v1 protobuf body), scale-up under the kubelab.dev/cpu-load
// annotation, and scale-down only after the 5 minute stabilization window once the load is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
});
afterAll(async () => {
  await c?.stop();
});

const ok = (args: string[]) => c.ok(args);

const waitFor = (args: string[], want: (out: string) => boolean, timeoutMs = 30_000) => c.waitFor(args, want, timeoutMs);

const cols = (s: string) => s.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));

describe.sequential('metrics and autoscaling with real kubectl', () => {
  it('kubectl top nodes and pods', async () => {
    const nodes = cols(await waitFor(['top', 'nodes'], (o) => o.split('\n').filter(Boolean).length === 4, 60_000));
    expect(nodes[0]).toEqual(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    expect(nodes.slice(1).map((r) => r[0])).toEqual(['controlplane', 'node01', 'node02']);
    for (const r of nodes.slice(1)) {
      expect(r[1]).toMatch(/^\d+m$/);
      expect(r[2]).toMatch(/^\d+%$/);
      expect(r[3]).toMatch(/^\d+Mi$/);
    }
    const pods = cols(await waitFor(['top', 'pods', '-n', 'kube-system'], (o) => o.includes('etcd-controlplane'), 60_000));
    expect(pods[0]).toEqual(['NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(pods.find((r) => r[0] === 'etcd-controlplane')![2]).toMatch(/^\d+Mi$/);
  });

  it('kubectl autoscale creates an HPA shown with upstream columns', async () => {
    await ok(['create', 'deployment', 'web', '--image=nginx']);
    await ok(['set', 'resources', 'deployment', 'web', '--requests=cpu=100m']);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(await ok(['autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=5'])).toBe('horizontalpodautoscaler.autoscaling/web autoscaled\n');
    const table = cols(await waitFor(['get', 'hpa'], (o) => /cpu: \d+%\/50%/.test(o)));
    expect(table[0]).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    expect(table[1]!.slice(0, 6)).toEqual(['web', 'Deployment/web', table[1]![2]!, '1', '5', '1']);
    expect(await ok(['get', 'hpa', 'web', '-o', 'jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization}'])).toBe('autoscaling/v2 50');
  });

  it('scales up under load and down after the stabilization window', async () => {
    await ok(['annotate', 'deployment', 'web', 'kubelab.dev/cpu-load=400m']);
    await waitFor(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'], (o) => o === '5', 60_000);
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    expect(events).toContain('SuccessfulRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target');
    const top = cols(await waitFor(['top', 'pods', '-l', 'app=web'], (o) => o.trim().split('\n').length === 6, 60_000));
    expect(top.slice(1).every((r) => r[1] === '82m')).toBe(true);

    await ok(['annotate', 'deployment', 'web', 'kubelab.dev/cpu-load-']);
    await waitFor(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'], (o) => o === '1', 90_000);
    // on a 600x clock the window passes in half a second: check it on the simulated timestamps instead
    const rescales = await ok(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale', '-o', 'jsonpath={range .items[*]}{.firstTimestamp} {.message}{"\\n"}{end}']);
    const at = (size: number) => Date.parse(rescales.split('\n').find((l) => l.includes(`New size: ${size};`))!.split(' ')[0]!);
    expect(rescales).toContain('New size: 1; reason: All metrics below target');
    expect(at(1) - at(5)).toBeGreaterThanOrEqual(300_000);
  });
});
