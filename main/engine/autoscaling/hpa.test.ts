import { afterEach, describe, expect, it } from 'vitest';
import { DeploymentController } from '../controllers/deployment.js';
import { ReplicaSetController } from '../controllers/replicaset.js';
import { LOAD_ANNOTATION, podMetrics, type UsageSource } from '../metrics/metrics.js';
import { Harness } from '../testing/harness.js';
import type { KObj } from '../store/types.js';
import { HpaController } from './hpa.js';
import { fromV1 } from './rules.js';
import { hpaPrinter } from './rules.js';

let h: Harness;
afterEach(() => h?.stop());

/** every pod "runs" with 1m of CPU per container; Pending pods become Running+Ready on each step */
const fakeUsage: UsageSource = {
  containerUsage: (pod) => (((pod.status as { phase?: string } | undefined)?.phase === 'Running') ? [{ name: 'app', cpuMillicores: 1, memoryBytes: 8 * 2 ** 20 }] : undefined),
  nodeRunning: () => true,
};

function markRunning(): void {
  const pods = h.client.def('', 'pods');
  for (const p of h.store.list(pods, 'default')) {
    if ((p.status as { phase?: string } | undefined)?.phase === 'Running' || p.metadata.deletionTimestamp) continue;
    h.client.modifyStatus(pods, 'default', p.metadata.name!, (o) => {
      o.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], startTime: h.client.now() };
    });
  }
}

async function run(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 5_000) {
    markRunning();
    await h.advance(5_000);
  }
  markRunning();
  await h.settle();
}

function deployment(cpuRequest: string | undefined): KObj {
  return {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx', ...(cpuRequest ? { resources: { requests: { cpu: cpuRequest } } } : {}) }] } },
    },
  };
}

const hpaV1 = (): KObj => ({
  apiVersion: 'autoscaling/v1',
  metadata: { name: 'web', namespace: 'default' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
});

async function setup(cpuRequest: string | undefined): Promise<void> {
  h = new Harness({ workers: 1 });
  h.ctx.nodeAgent = fakeUsage as never;
  const hpa = new HpaController(h.env);
  h.add(new ReplicaSetController(h.env), new DeploymentController(h.env), hpa);
  h.startAgents(hpa);
  h.client.create(h.client.def('apps', 'deployments'), deployment(cpuRequest));
  await run(5_000);
  h.client.create(h.ctx.registry.lookup('autoscaling', 'v1', 'horizontalpodautoscalers')!, hpaV1());
  await h.settle();
}

const replicas = () => (h.get('apps', 'deployments', 'default', 'web')!.spec as { replicas: number }).replicas;
const hpaObj = () => h.get('autoscaling', 'horizontalpodautoscalers', 'default', 'web')!;

describe('HPA controller', () => {
  it('stores autoscaling/v1 as v2 with the cpu target', () => {
    const o = hpaV1();
    fromV1(o);
    expect(o.apiVersion).toBe('autoscaling/v2');
    expect((o.spec as { metrics: unknown }).metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
  });

  it('scales up under load, then down only after the 5 minute stabilization window', async () => {
    await setup('100m');
    const deploys = h.client.def('apps', 'deployments');
    expect(hpaPrinter.cells(hpaObj(), h.clock.now()).slice(1, 6)).toEqual(['Deployment/web', 'cpu: 1%/50%', '1', 5, 1]);
    h.client.modify(deploys, 'default', 'web', (d) => void (d.metadata.annotations = { [LOAD_ANNOTATION]: '400m' }));
    await run(20_000);
    expect(replicas()).toBe(4); // legacy rate limit: max(2x, 4) per sync
    await run(30_000);
    expect(replicas()).toBe(5); // capped by maxReplicas
    expect(h.eventsFor('web')).toContain('Normal SuccessfulRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target');
    const st = hpaObj().status as { conditions: Array<{ type: string; status: string; reason: string }> };
    expect(st.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual(['AbleToScale=True/ReadyForNewScale', 'ScalingActive=True/ValidMetricFound', 'ScalingLimited=True/TooManyReplicas']);
    const pods = h.store.list(h.client.def('', 'pods'), 'default');
    expect(podMetrics(h.ctx, pods[0]!)?.containers).toEqual([{ name: 'app', usage: { cpu: '81000000n', memory: '8192Ki' } }]);

    h.client.modify(deploys, 'default', 'web', (d) => void (d.metadata.annotations = {}));
    await run(120_000);
    expect(replicas()).toBe(5); // recommendations from the last 5 minutes still say 5
    await run(200_000);
    expect(replicas()).toBe(1);
    expect(h.eventsFor('web')).toContain('Normal SuccessfulRescale: New size: 1; reason: All metrics below target');
  });

  it('pods without a CPU request: FailedGetResourceMetric and <unknown> targets', async () => {
    await setup(undefined);
    await run(15_000);
    const events = h.eventsFor('web');
    expect(events.some((e) => /^Warning FailedGetResourceMetric: failed to get cpu utilization: missing request for cpu in container app of Pod web-/.test(e))).toBe(true);
    const st = hpaObj().status as { conditions: Array<{ type: string; status: string; reason: string }> };
    expect(st.conditions.find((c) => c.type === 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric' });
    expect(hpaPrinter.cells(hpaObj(), h.clock.now())[2]).toBe('cpu: <unknown>/50%');
    expect(replicas()).toBe(1);
  });
});
