// A Map kept in recency order with a bound: the newest key last, the oldest dropped beyond `limit`.
// The event correlator's caches and the scheduler's traces both keep "the most recent N".
export class Lru<K, V> {
  private map = new Map<K, V>();
  constructor(private readonly limit: number) {}

  get size(): number {
    return this.map.size;
  }

  /** the value, which becomes the newest */
  get(k: K): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }

  /** the value, its place unchanged */
  peek(k: K): V | undefined {
    return this.map.get(k);
  }

  set(k: K, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }

  delete(k: K): boolean {
    return this.map.delete(k);
  }
}
