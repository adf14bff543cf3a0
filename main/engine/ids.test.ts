import { describe, expect, it } from 'vitest';
import { randomIds, SequentialIds } from './ids.js';

describe('randomIds', () => {
  it('names from the upstream alphabet, different each time, across many refills of its byte pool', () => {
    const names = Array.from({ length: 5000 }, () => randomIds.suffix(5));
    for (const n of names) expect(n).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    // 27^5 ≈ 14 million names: a few collisions among 5,000 at most
    expect(new Set(names).size).toBeGreaterThan(4990);
    // every letter of the alphabet turns up
    expect(new Set(names.join(''))).toHaveProperty('size', 27);
  });

  it('uids are version 4 UUIDs', () => {
    expect(randomIds.uid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('SequentialIds', () => {
  it('counts', () => {
    const ids = new SequentialIds();
    expect([ids.uid(), ids.suffix(3), ids.uid()]).toEqual(['00000000-0000-4000-8000-000000000001', 'dbb', '00000000-0000-4000-8000-000000000003']);
  });
});
