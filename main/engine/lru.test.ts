import { describe, expect, it } from 'vitest';
import { Lru } from './lru.js';

describe('Lru', () => {
  it.each([
    ['set beyond the limit drops the oldest', (l: Lru<string, number>) => l.set('d', 4), ['b', 'c', 'd']],
    ['get makes a key the newest, so the next oldest goes', (l: Lru<string, number>) => (l.get('a'), l.set('d', 4)), ['a', 'c', 'd']],
    ['peek leaves the order alone', (l: Lru<string, number>) => (l.peek('a'), l.set('d', 4)), ['b', 'c', 'd']],
    ['setting a key again makes it the newest', (l: Lru<string, number>) => (l.set('a', 9), l.set('d', 4)), ['a', 'c', 'd']],
    ['delete frees a place', (l: Lru<string, number>) => (l.delete('b'), l.set('d', 4)), ['a', 'c', 'd']],
  ])('%s', (_name, act, kept) => {
    const l = new Lru<string, number>(3);
    l.set('a', 1);
    l.set('b', 2);
    l.set('c', 3);
    act(l);
    expect(l.size).toBe(3);
    for (const k of ['a', 'b', 'c', 'd']) expect(l.peek(k) !== undefined).toBe(kept.includes(k));
  });
});
