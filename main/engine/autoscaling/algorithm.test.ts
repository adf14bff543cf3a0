import { describe, expect, it } from 'vitest';
import { limitLegacy, limitWithBehavior, resourceReplicas, scaleDownLimit, scaleUpLimit, stabilizeLegacy, stabilizeWithBehavior, type PodSample } from './algorithm.js';

const pod = (name: string, usage: number | undefined, request = 100, extra: Partial<PodSample> = {}): PodSample => ({ name, usage, request, ...extra });

describe('resourceReplicas (replica calculator)', () => {
  const cases: Array<[string, number, number, PodSample[], ReturnType<typeof resourceReplicas>]> = [
    ['scale up: 1 pod at 400% of a 50% target', 1, 50, [pod('a', 400)], { ok: true, replicas: 8, utilization: 400, averageMilli: 400 }],
    ['within tolerance keeps the count', 4, 50, [pod('a', 54), pod('b', 54), pod('c', 54), pod('d', 54)], { ok: true, replicas: 4, utilization: 54, averageMilli: 54 }],
    ['scale down: idle pods', 5, 50, [pod('a', 1), pod('b', 1), pod('c', 1), pod('d', 1), pod('e', 1)], { ok: true, replicas: 1, utilization: 1, averageMilli: 1 }],
    ['utilization truncates like the int32 conversion', 3, 50, [pod('a', 76), pod('b', 76), pod('c', 76)], { ok: true, replicas: 5, utilization: 76, averageMilli: 76 }],
    ['missing pod assumed at 100% when scaling down', 3, 50, [pod('a', 10), pod('b', 10), pod('c', undefined)], { ok: true, replicas: 3, utilization: 10, averageMilli: 10 }],
    ['unready pods count as idle when scaling up', 2, 50, [pod('a', 200), pod('b', 0, 100, { unready: true })], { ok: true, replicas: 4, utilization: 200, averageMilli: 200 }],
    ['ignored pods are left out', 2, 50, [pod('a', 100), pod('b', 900, 100, { ignored: true })], { ok: true, replicas: 2, utilization: 100, averageMilli: 100 }],
    ['a pod without a CPU request is an error', 1, 50, [pod('web-1', 10, undefined as unknown as number, { request: undefined, missingRequestContainer: 'nginx' })], { ok: false, error: 'missing request for cpu in container nginx of Pod web-1' }],
    ['no metrics at all is an error', 1, 50, [pod('a', undefined, 100, { unready: true })], { ok: false, error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API' }],
    ['no ready metrics is an error', 2, 50, [pod('a', undefined, 100, { unready: true }), pod('b', 10, 100, { unready: true })], { ok: false, error: 'did not receive metrics for targeted pods (pods might be unready)' }],
  ];
  it.each(cases)('%s', (_n, current, target, pods, want) => {
    expect(resourceReplicas(current, target, pods)).toEqual(want);
  });
});

describe('rate limits and stabilization', () => {
  it.each([
    [1, 8, 1, 10, { replicas: 4, reason: 'ScaleUpLimit' }],
    [4, 20, 1, 10, { replicas: 8, reason: 'ScaleUpLimit' }],
    [4, 20, 1, 5, { replicas: 5, reason: 'TooManyReplicas' }],
    [3, 0, 1, 5, { replicas: 1, reason: 'TooFewReplicas' }],
    [3, 2, 1, 5, { replicas: 2, reason: 'DesiredWithinRange' }],
  ])('legacy: current %i desired %i (min %i max %i)', (cur, want, min, max, out) => {
    expect(limitLegacy(cur, want, min, max)).toMatchObject(out);
  });

  it('legacy downscale stabilization keeps the highest recommendation of the last 5 minutes', () => {
    let hist = stabilizeLegacy([], 0, 5).history;
    const at2m = stabilizeLegacy(hist, 120_000, 1);
    expect(at2m.replicas).toBe(5);
    hist = at2m.history;
    expect(stabilizeLegacy(hist, 299_000, 1).replicas).toBe(5);
    expect(stabilizeLegacy(hist, 301_000, 1).replicas).toBe(1);
  });

  it('behavior defaults: up by max(4 pods, 100%) per 15 s, down after a 300 s window', () => {
    expect(scaleUpLimit(1, [], {}, 0)).toBe(5);
    expect(scaleUpLimit(10, [], {}, 0)).toBe(20);
    expect(scaleUpLimit(5, [{ at: 0, change: 4 }], {}, 10_000)).toBe(5); // already added 4 in this period
    expect(scaleDownLimit(10, [], {}, 0)).toBe(0);
    expect(scaleDownLimit(10, [], { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] }, 0)).toBe(9);
    expect(limitWithBehavior(1, 8, 1, 10, {}, [], [], 0)).toMatchObject({ replicas: 5, reason: 'ScaleUpLimit' });
    const s1 = stabilizeWithBehavior([], 0, 5, 5, {});
    const s2 = stabilizeWithBehavior(s1.history, 60_000, 5, 1, {});
    expect(s2).toMatchObject({ replicas: 5, reason: 'ScaleDownStabilized' });
    const s3 = stabilizeWithBehavior(s2.history, 301_000, 5, 1, {});
    expect(s3).toMatchObject({ replicas: 1, reason: 'ReadyForNewScale' });
  });
});
