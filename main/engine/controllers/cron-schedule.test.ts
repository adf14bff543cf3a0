import { describe, expect, it } from 'vitest';
import { mostRecent, nextAfter, parseSchedule } from './cron-schedule.js';

const T = (s: string) => Date.parse(s);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));

describe('cron schedule', () => {
  it.each([
    ['*/5 * * * *', '2026-01-01T12:03:00Z', '2026-01-01T12:05:00Z'],
    ['*/1 * * * *', '2026-01-01T12:03:00Z', '2026-01-01T12:04:00Z'],
    ['0 * * * *', '2026-01-01T12:03:00Z', '2026-01-01T13:00:00Z'],
    ['@hourly', '2026-01-01T12:00:00Z', '2026-01-01T13:00:00Z'],
    ['@daily', '2026-01-01T12:00:00Z', '2026-01-02T00:00:00Z'],
    ['30 2 * * 1-5', '2026-01-02T03:00:00Z', '2026-01-05T02:30:00Z'], // Fri → Mon
    ['0 9 1,15 * *', '2026-01-02T00:00:00Z', '2026-01-15T09:00:00Z'],
    ['0 0 1 JAN *', '2026-01-02T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['0 0 13 * FRI', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'], // dom OR dow when both are restricted
    ['5-10/5 * * * *', '2026-01-01T12:06:00Z', '2026-01-01T12:10:00Z'],
    ['0 12 * * *', '2026-01-01T12:00:00Z', '2026-01-02T12:00:00Z'],
  ])('%s after %s is %s', (spec, after, want) => {
    expect(iso(nextAfter(parseSchedule(spec), T(after)))).toBe(want);
  });

  it('honours a time zone', () => {
    // 09:00 in Tokyo is 00:00 UTC
    expect(iso(nextAfter(parseSchedule('0 9 * * *'), T('2026-01-01T01:00:00Z'), 'Asia/Tokyo'))).toBe('2026-01-02T00:00:00Z');
  });

  it.each([
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@sometimes', 'unrecognized descriptor: @sometimes'],
  ])('rejects %s', (spec, msg) => {
    expect(() => parseSchedule(spec)).toThrow(msg);
  });

  it('finds the most recent missed time and counts misses', () => {
    const r = mostRecent(parseSchedule('*/1 * * * *'), T('2026-01-01T12:00:00Z'), T('2026-01-01T12:05:30Z'));
    expect(iso(r.time)).toBe('2026-01-01T12:05:00Z');
    expect(r.missed).toBe(5);
  });
});
