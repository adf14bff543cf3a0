// client-go's EventCorrelator, which every core/v1 event recorder runs before writing (facts from
// client-go tools/record/events_cache.go):
// - aggregation: once 10 events about one object from one source, with the same type and reason but
//   different messages, come within 10 minutes of each other, further ones go to a single event
//   "(combined from similar events): <latest message>" whose count grows;
// - counting: the same event again bumps count and lastTimestamp of the one already written;
// - spam filter: a source may write 25 events about one object, then one per 5 minutes (a token
//   bucket); a skipped occurrence is still counted, so the next write carries the whole count.
// Each cache is an LRU of 4,096 keys. Times are the simulated clock's.

import { Lru } from '../lru.js';

export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_WINDOW_MS = 600_000;
export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;
const CACHE_ENTRIES = 4096;

/** What the correlator needs to know about an occurrence. */
export interface Occurrence {
  component: string;
  host: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  apiVersion: string;
  fieldPath: string;
  type: string;
  reason: string;
  message: string;
}

export interface Decision {
  /** write nothing (the spam filter's bucket is empty) */
  skip: boolean;
  /** the message to write: the original, or the combined one */
  message: string;
  /** the event this occurrence belongs to: undefined = a new one, to be named by the caller */
  existing?: { name: string; first: string };
  /** the count the written event carries */
  count: number;
  /** hand the new event's name back with {@link Correlator.named} */
  key: string;
}

const join = (parts: string[]) => parts.join('\u0000');

export class Correlator {
  private aggregates = new Lru<string, { messages: Set<string>; last: number }>(CACHE_ENTRIES);
  private observed = new Lru<string, { name?: string; first?: string; count: number }>(CACHE_ENTRIES);
  private buckets = new Lru<string, { tokens: number; at: number }>(CACHE_ENTRIES);

  correlate(o: Occurrence, now: number): Decision {
    const object = [o.component, o.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion];
    // aggregation: similar = same source, object, type and reason
    const aggKey = join([...object, o.type, o.reason]);
    let agg = this.aggregates.get(aggKey);
    if (!agg || now - agg.last > AGGREGATE_WINDOW_MS) agg = { messages: new Set(), last: 0 };
    agg.messages.add(o.message);
    agg.last = now;
    this.aggregates.set(aggKey, agg);
    let key = join([...object, o.fieldPath, o.type, o.reason, o.message]);
    let message = o.message;
    if (agg.messages.size >= AGGREGATE_MAX_EVENTS) {
      // upstream drops one remembered message so the set stays at the threshold
      agg.messages.delete(agg.messages.values().next().value!);
      key = `combined\u0000${aggKey}`;
      message = `(combined from similar events): ${o.message}`;
    }
    // counting
    const seen = this.observed.get(key);
    const count = (seen?.count ?? 0) + 1;
    const existing = seen?.name ? { name: seen.name, first: seen.first ?? '' } : undefined;
    this.observed.set(key, { name: seen?.name, first: seen?.first, count });
    // spam filter, after counting (as upstream): a skipped occurrence still counts
    const spamKey = join(object);
    const b = this.buckets.get(spamKey) ?? { tokens: SPAM_BURST, at: now };
    b.tokens = Math.min(SPAM_BURST, b.tokens + (now - b.at) / SPAM_REFILL_MS);
    b.at = now;
    const skip = b.tokens < 1;
    if (!skip) b.tokens -= 1;
    this.buckets.set(spamKey, b);
    return { skip, message, existing, count, key };
  }

  /** The event written for a decision: later occurrences update it. */
  named(key: string, name: string, firstTimestamp: string): void {
    const seen = this.observed.get(key);
    if (seen) Object.assign(seen, { name, first: firstTimestamp });
  }
}
