import { describe, expect, it } from 'vitest';
import { builtin } from '../api/registry.js';
import type { KObj } from '../store/types.js';
import { Harness } from '../testing/harness.js';
import { runPods } from './batch-testutil.js';
import { failureBackoff, JobController, MSG_BACKOFF } from './job.js';

const JOBS = builtin('batch', 'jobs');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const job = (name: string, spec: Json = {}): KObj => ({
  metadata: { name, namespace: 'default' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
});

function setup() {
  const h = new Harness({ bootstrap: false });
  h.add(new JobController(h.env));
  return h;
}

const jobPods = (h: Harness, name: string) => h.list('', 'pods', 'default').filter((p) => p.metadata.labels?.['job-name'] === name);
const conds = (h: Harness, name: string) => ((h.get('batch', 'jobs', 'default', name)!.status as Json).conditions ?? []).map((c: Json) => `${c.type}/${c.reason}`);

describe('Job controller', () => {
  it('runs completions 3 with parallelism 2 to Complete', async () => {
    const h = setup();
    h.client.create(JOBS, job('pi', { completions: 3, parallelism: 2 }));
    await h.settle();
    expect(jobPods(h, 'pi')).toHaveLength(2);
    const p = jobPods(h, 'pi')[0]!;
    expect(p.metadata.name).toMatch(/^pi-[a-z0-9]{5}$/);
    expect(Object.keys(p.metadata.labels!).sort()).toEqual(['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name']);
    for (let i = 0; i < 8; i++) {
      runPods(h);
      await h.settle();
    }
    const st = h.get('batch', 'jobs', 'default', 'pi')!.status as Json;
    expect(st.succeeded).toBe(3);
    expect(st.active).toBeUndefined();
    expect(st.completionTime).toBeDefined();
    expect(conds(h, 'pi')).toEqual(['SuccessCriteriaMet/CompletionsReached', 'Complete/CompletionsReached']);
    expect(jobPods(h, 'pi')).toHaveLength(3);
    expect(h.eventsFor('pi')).toContain('Normal Completed: Job completed');
  });

  it('fails with BackoffLimitExceeded after backoffLimit+1 pod failures, with growing delays', async () => {
    const h = setup();
    h.client.create(JOBS, job('bad', { backoffLimit: 2 }));
    for (let i = 0; i < 40; i++) {
      runPods(h, () => 'Failed');
      await h.advance(5_000);
    }
    const j = h.get('batch', 'jobs', 'default', 'bad')!;
    expect((j.status as Json).failed).toBe(3);
    expect(conds(h, 'bad')).toEqual(['FailureTarget/BackoffLimitExceeded', 'Failed/BackoffLimitExceeded']);
    expect(((j.status as Json).conditions as Json[])[1]!.message).toBe(MSG_BACKOFF);
    expect(h.eventsFor('bad')).toContain(`Warning BackoffLimitExceeded: ${MSG_BACKOFF}`);
    expect([1, 2, 3, 10].map(failureBackoff)).toEqual([10_000, 20_000, 40_000, 360_000]);
  });

  it('enforces activeDeadlineSeconds and deletes finished jobs after ttlSecondsAfterFinished', async () => {
    const h = setup();
    h.client.create(JOBS, job('slow', { activeDeadlineSeconds: 30 }));
    h.client.create(JOBS, job('quick', { ttlSecondsAfterFinished: 60 }));
    for (let i = 0; i < 4; i++) {
      runPods(h, (p) => (p.metadata.labels?.['job-name'] === 'quick' ? 'Succeeded' : 'Running'));
      await h.settle();
    }
    expect(conds(h, 'quick')).toContain('Complete/CompletionsReached');
    await h.advance(31_000);
    runPods(h, () => 'Running');
    await h.settle();
    expect(conds(h, 'slow')).toEqual(['FailureTarget/DeadlineExceeded', 'Failed/DeadlineExceeded']);
    await h.advance(31_000);
    // foreground deletion: the garbage collector (not in this harness) finishes it
    expect(h.get('batch', 'jobs', 'default', 'quick')!.metadata.deletionTimestamp).toBe('2026-01-01T12:01:00Z');
  });
});
