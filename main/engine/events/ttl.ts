// Events expire: kube-apiserver stores each Event under an etcd lease of --event-ttl (1 h by
// default), renewed by every write, and etcd deletes the key when the lease runs out (watchers see
// DELETED). Without it a long session (or 10,000 pods at 600×) keeps every event ever recorded.
import type { Clock, TimerHandle } from '../clock.js';
import type { Agent } from '../controllers/controller.js';
import type { Store } from '../store/store.js';
import type { KObj } from '../store/types.js';

export const EVENT_TTL_MS = 60 * 60 * 1000;

const EVENTS = { group: '', resource: 'events', namespaced: true };

interface Lease {
  namespace: string;
  name: string;
  /** the write the lease belongs to: a later write renewed it (and queued its own) */
  rev: string;
  at: number;
}

/** When the object was last written, as far as it tells (after a restart, nothing else does). */
export function lastWriteOf(e: KObj): number {
  const series = e.series as { lastObservedTime?: string } | undefined;
  const times = [e.lastTimestamp, e.eventTime, series?.lastObservedTime, e.metadata.creationTimestamp].map((t) => (typeof t === 'string' ? Date.parse(t) : NaN));
  const known = times.filter((t) => !Number.isNaN(t));
  return known.length ? Math.max(...known) : 0;
}

export class EventTtl implements Agent {
  readonly name = 'event-ttl';
  // every lease is as long as the others, so write order is expiry order: a FIFO, not a heap
  private leases: Lease[] = [];
  private head = 0;
  private timer: TimerHandle | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private store: Store,
    private clock: Clock,
    private ttlMs = EVENT_TTL_MS,
  ) {}

  start(): void {
    const stored = this.store.list(EVENTS).map((e) => ({ e, at: lastWriteOf(e) + this.ttlMs }));
    stored.sort((a, b) => a.at - b.at);
    for (const { e, at } of stored) this.leases.push({ namespace: e.metadata.namespace!, name: e.metadata.name!, rev: e.metadata.resourceVersion!, at });
    this.unsubscribe = this.store.subscribe((ev) => {
      if (ev.resource !== 'events' || ev.type === 'DELETED') return;
      const md = ev.object.metadata;
      this.leases.push({ namespace: md.namespace!, name: md.name!, rev: md.resourceVersion!, at: this.clock.now() + this.ttlMs });
      this.arm();
    });
    this.arm();
  }

  stop(): void {
    this.unsubscribe?.();
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer) return;
    const next = this.leases[this.head];
    if (!next) return;
    this.timer = this.clock.after(Math.max(0, next.at - this.clock.now()), () => {
      this.timer = undefined;
      this.expire();
    });
  }

  private expire(): void {
    const now = this.clock.now();
    while (this.head < this.leases.length && this.leases[this.head]!.at <= now) {
      const l = this.leases[this.head++]!;
      const cur = this.store.get(EVENTS, l.namespace, l.name);
      if (cur && cur.metadata.resourceVersion === l.rev) this.store.delete(EVENTS, l.namespace, l.name);
    }
    // drop the expired front now and then rather than shifting on every expiry
    if (this.head > 1024 && this.head * 2 > this.leases.length) {
      this.leases = this.leases.slice(this.head);
      this.head = 0;
    }
    this.arm();
  }
}
