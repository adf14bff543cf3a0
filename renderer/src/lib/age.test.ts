import { describe, expect, it } from 'vitest';
import { shortAge } from './age.js';

describe('shortAge', () => {
  it.each([
    [0, '0s'], [45, '45s'], [119, '119s'], [120, '2m'], [310, '5m10s'], [600, '10m'], [179 * 60, '179m'],
    [3 * 3600, '3h'], [3 * 3600 + 5 * 60, '3h5m'], [20 * 3600, '20h'], [50 * 3600, '2d2h'], [10 * 86400, '10d'], [800 * 86400, '2y'],
  ])('%ss → %s', (secs, want) => expect(shortAge(secs * 1000)).toBe(want));
});
