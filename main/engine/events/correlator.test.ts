import { describe, expect, it } from 'vitest';
import { AGGREGATE_WINDOW_MS, Correlator, SPAM_REFILL_MS, type Occurrence } from './correlator.js';

const base: Occurrence = { component: 'replicaset-controller', host: '', kind: 'ReplicaSet', namespace: 'default', name: 'web-5d4f', uid: 'u1', apiVersion: 'apps/v1', fieldPath: '', type: 'Normal', reason: 'SuccessfulCreate', message: '' };
const T0 = Date.UTC(2026, 0, 1);

/** Feed occurrences like a recorder would (naming each event it writes) and return the decisions. */
function run(c: Correlator, occurrences: Array<Partial<Occurrence> & { at?: number }>) {
  return occurrences.map(({ at, ...o }, i) => {
    const d = c.correlate({ ...base, ...o }, at ?? T0);
    if (!d.skip && !d.existing) c.named(d.key, `ev${i}`, 'first');
    return d;
  });
}

describe('event correlator (client-go EventCorrelator defaults)', () => {
  it('combines the 10th similar event and the ones after it into one, keeping the latest message', () => {
    const ds = run(new Correlator(), Array.from({ length: 12 }, (_, i) => ({ message: `Created pod: web-5d4f-${i}` })));
    expect(ds.slice(0, 9).map((d) => [d.message, d.count, !!d.existing])).toEqual(Array.from({ length: 9 }, (_, i) => [`Created pod: web-5d4f-${i}`, 1, false]));
    expect(ds.slice(9).map((d) => [d.message, d.count, d.existing?.name])).toEqual([
      ['(combined from similar events): Created pod: web-5d4f-9', 1, undefined],
      ['(combined from similar events): Created pod: web-5d4f-10', 2, 'ev9'],
      ['(combined from similar events): Created pod: web-5d4f-11', 3, 'ev9'],
    ]);
  });

  it.each([
    ['another reason', { reason: 'SuccessfulDelete' }],
    ['another object', { name: 'api-7c9b', uid: 'u2' }],
    ['another source', { component: 'kubelet' }],
  ])('does not combine events with %s', (_what, other) => {
    const c = new Correlator();
    run(c, Array.from({ length: 9 }, (_, i) => ({ message: `m${i}` })));
    expect(run(c, [{ ...other, message: 'm9' }])[0]!.message).toBe('m9');
  });

  it('starts over when similar events stop for more than 10 minutes', () => {
    const c = new Correlator();
    run(c, Array.from({ length: 9 }, (_, i) => ({ message: `m${i}` })));
    expect(run(c, [{ message: 'm9', at: T0 + AGGREGATE_WINDOW_MS + 1 }])[0]!.message).toBe('m9');
  });

  it('counts the same event again on the event already written', () => {
    const ds = run(new Correlator(), [{ reason: 'BackOff', message: 'Back-off restarting failed container' }, { reason: 'BackOff', message: 'Back-off restarting failed container', at: T0 + 10_000 }]);
    expect(ds.map((d) => [d.count, d.existing?.name])).toEqual([
      [1, undefined],
      [2, 'ev0'],
    ]);
  });

  it('lets a source write 25 events about an object, then one per 5 minutes, counting the skipped ones', () => {
    const c = new Correlator();
    const distinct = run(c, Array.from({ length: 30 }, (_, i) => ({ reason: `R${i}`, message: 'x' })));
    expect(distinct.filter((d) => !d.skip)).toHaveLength(25);
    const repeat = { reason: 'R0', message: 'x' };
    expect(run(c, [repeat])[0]!.skip).toBe(true);
    const later = run(c, [{ ...repeat, at: T0 + SPAM_REFILL_MS }])[0]!;
    expect([later.skip, later.count, later.existing?.name]).toEqual([false, 3, 'ev0']);
    expect(run(c, [{ ...repeat, at: T0 + SPAM_REFILL_MS }])[0]!.skip).toBe(true);
  });

  it('forgets the least recently seen occurrence beyond 4,096', () => {
    const c = new Correlator();
    const objects = Array.from({ length: 4097 }, (_, i) => ({ name: `p${i}`, uid: `u${i}`, message: 'm' }));
    run(c, objects);
    expect(run(c, [objects[4096]!])[0]!.count).toBe(2);
    expect(run(c, [objects[0]!])[0]!.count).toBe(1);
  });
});
