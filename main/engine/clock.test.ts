import { describe, expect, it } from 'vitest';
import { ManualClock, SimClock, isoTime } from './clock.js';

describe('ManualClock', () => {
  it('fires timers in time order, including timers scheduled by timers', () => {
    const c = new ManualClock(0);
    const seen: string[] = [];
    c.after(20, () => seen.push(`b@${c.now()}`));
    c.after(10, () => {
      seen.push(`a@${c.now()}`);
      c.after(5, () => seen.push(`c@${c.now()}`));
    });
    const cancelled = c.after(12, () => seen.push('never'));
    cancelled.cancel();
    c.advance(30);
    expect(seen).toEqual(['a@10', 'c@15', 'b@20']);
    expect(c.now()).toBe(30);
  });
});

describe('SimClock', () => {
  it.each([0, 0.5, 601, Number.NaN])('refuses speed %s', (s) => {
    expect(() => new SimClock(s)).toThrow(/speed must be between 1 and 600/);
  });

  it('starts at the given simulated time and runs faster', async () => {
    const c = new SimClock(600, Date.UTC(2030, 0, 1));
    expect(c.now()).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1));
    // 6 simulated seconds at 600x take 10ms of real time
    const t0 = c.now();
    await new Promise<void>((r) => c.after(6000, r));
    expect(c.now() - t0).toBeGreaterThanOrEqual(6000);
    c.stopAll();
  });
});

describe('isoTime', () => {
  it('renders metav1.Time with second precision', () => {
    expect(isoTime(Date.UTC(2026, 0, 1, 12, 0, 0, 999))).toBe('2026-01-01T12:00:00Z');
  });
});

describe('SimClock under a stall', () => {
  it('never lets time pass an overdue timer: a heartbeat is never seen as late', async () => {
    const c = new SimClock(600);
    let lastBeat = c.now();
    let worstGap = 0;
    let checks = 0;
    let enough: () => void;
    const reached = new Promise<void>((r) => (enough = r));
    const beat = () => {
      lastBeat = c.now();
      c.after(10_000, beat);
    };
    const monitor = () => {
      worstGap = Math.max(worstGap, c.now() - lastBeat);
      if (++checks === 3) {
        // block the event loop for 300 ms of real time = 180 s of simulated time
        const until = performance.now() + 300;
        while (performance.now() < until);
      }
      if (checks === 30) enough();
      c.after(5_000, monitor);
    };
    c.after(10_000, beat);
    c.after(5_000, monitor);
    // however slow the machine is, time waits for the timers: run until 30 checks happened
    await reached;
    c.stopAll();
    expect(worstGap).toBeLessThanOrEqual(10_000);
  });
});
