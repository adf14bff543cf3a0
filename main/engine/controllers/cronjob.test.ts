import { describe, expect, it } from 'vitest';
import { builtin } from '../api/registry.js';
import type { KObj } from '../store/types.js';
import { Harness } from '../testing/harness.js';
import { runPods } from './batch-testutil.js';
import { CronJobController, jobNameFor } from './cronjob.js';
import { JobController } from './job.js';

const CJ = builtin('batch', 'cronjobs');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cronJob = (name: string, spec: Json = {}): KObj => ({
  metadata: { name, namespace: 'default' },
  spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec },
});

function setup() {
  const h = new Harness({ bootstrap: false });
  h.add(new CronJobController(h.env), new JobController(h.env));
  return h;
}
const jobs = (h: Harness) => h.list('batch', 'jobs', 'default').map((j) => j.metadata.name).sort();

async function minutes(h: Harness, n: number, outcome: Parameters<typeof runPods>[1] = () => 'Succeeded') {
  for (let i = 0; i < n * 6; i++) {
    runPods(h, outcome);
    await h.advance(10_000, 10_000);
  }
  await h.advance(1000);
}

describe('CronJob controller', () => {
  it('creates a job per minute named after the scheduled minute and keeps 3 successful', async () => {
    const h = setup();
    h.client.create(CJ, cronJob('hello'));
    await minutes(h, 6);
    const names = jobs(h);
    // three successful kept, plus the run just started
    expect(names).toHaveLength(4);
    const start = Date.UTC(2026, 0, 1, 12);
    expect(names).toContain(jobNameFor('hello', start + 6 * 60_000));
    expect(names[0]).toBe(`hello-${start / 60_000 + 3}`);
    const cj = h.get('batch', 'cronjobs', 'default', 'hello')!;
    expect((cj.status as Json).lastScheduleTime).toBe('2026-01-01T12:06:00Z');
    expect((cj.status as Json).lastSuccessfulTime).toBeDefined();
    expect(h.eventsFor('hello')).toContain(`Normal SuccessfulCreate: Created job hello-${start / 60_000 + 1}`);
    expect(h.eventsFor('hello').some((e) => e.startsWith('Normal SawCompletedJob: Saw completed job: hello-'))).toBe(true);
    const j = h.get('batch', 'jobs', 'default', names[3]!)!;
    expect(j.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-01-01T12:06:00Z');
  });

  it('Forbid skips while a run is active; suspend stops scheduling', async () => {
    const h = setup();
    h.client.create(CJ, cronJob('busy', { concurrencyPolicy: 'Forbid' }));
    h.client.create(CJ, cronJob('off', { suspend: true }));
    await minutes(h, 3, () => 'Running');
    expect(jobs(h)).toHaveLength(1);
    expect(h.eventsFor('busy')).toContain('Normal JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid');
    expect(((h.get('batch', 'cronjobs', 'default', 'busy')!.status as Json).active as Json[]).length).toBe(1);
  });

  it('Replace deletes the running job for the new one', async () => {
    const h = setup();
    h.client.create(CJ, cronJob('r', { concurrencyPolicy: 'Replace' }));
    await minutes(h, 2, () => 'Running');
    expect(h.eventsFor('r').filter((e) => e.startsWith('Normal SuccessfulDelete: Deleted job r-'))).toHaveLength(1);
  });
});
