import { randomFillSync, randomUUID } from 'node:crypto';

/** Source of uids and random name suffixes; injected so tests can be deterministic. */
export interface IdSource {
  uid(): string;
  /** lower-case alphanumeric suffix of n chars, from upstream's alphabet (no vowels, no 0/1/3) */
  suffix(n: number): string;
}

// apimachinery's rand.String alphabet avoids vowels and look-alike digits so names never spell words
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

// random bytes drawn a few kilobytes at a time (as randomUUID does for itself): one call to the
// system's generator per name cost more than the rest of naming a pod
const pool = Buffer.alloc(4096);
let used = pool.length;
function randomByte(): number {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++]!;
}

export const randomIds: IdSource = {
  uid: () => randomUUID(),
  suffix(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += ALPHABET[randomByte() % ALPHABET.length];
    return s;
  },
};

export class SequentialIds implements IdSource {
  private n = 0;
  uid(): string {
    const hex = (++this.n).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${hex}`;
  }
  suffix(len: number): string {
    let x = ++this.n;
    let s = '';
    for (let i = 0; i < len; i++) {
      s += ALPHABET[x % ALPHABET.length];
      x = Math.floor(x / ALPHABET.length);
    }
    return s;
  }
}
