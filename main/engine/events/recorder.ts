// Events as client-go's recorder writes them: one core/v1 Event per distinct occurrence, with a
// count and lastTimestamp bumped when the same thing happens again (kubectl describe shows
// "(x4 over 2m)"). Names follow upstream: <object name>.<hex nanoseconds>.
import type { LocalClient } from '../api/client.js';
import type { ResourceDef } from '../api/registry.js';
import { isoTime } from '../clock.js';
import type { KObj } from '../store/types.js';

export interface EventSource {
  component: string;
  host?: string;
}

export type EventType = 'Normal' | 'Warning';

// shared by every recorder: two components recording about the same object in the same
// millisecond must still get different event names
let seq = 0;
const nextSeq = () => (seq = (seq + 1) % 1_000_000);

// client-go's event correlator remembers this many distinct events (an LRU); without a bound a
// long session would keep every key it ever recorded
const SEEN_LIMIT = 4096;

export class EventRecorder {
  /** occurrence key → event name, oldest first (Map order) */
  private seen = new Map<string, string>();
  private def: ResourceDef;

  constructor(private client: LocalClient) {
    this.def = client.def('', 'events');
  }

  /** Record that `reason` happened to `obj`. `fieldPath` names a container: `spec.containers{nginx}`. */
  event(obj: KObj, type: EventType, reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const md = obj.metadata;
    const namespace = md.namespace || 'default';
    const key = [source.component, source.host ?? '', md.uid, fieldPath ?? '', type, reason, message].join('\u0000');
    const now = this.client.ctx.clock.now();
    const ts = isoTime(now);
    const existing = this.seen.get(key);
    if (existing) {
      this.seen.delete(key);
      this.seen.set(key, existing);
      const ev = this.client.get(this.def, namespace, existing);
      if (ev) {
        this.client.modify(this.def, namespace, existing, (e) => {
          e.count = ((e.count as number) ?? 1) + 1;
          e.lastTimestamp = ts;
        });
        return;
      }
    }
    const involvedObject: Record<string, unknown> = { kind: obj.kind, namespace: md.namespace, name: md.name, uid: md.uid, apiVersion: obj.apiVersion, resourceVersion: md.resourceVersion };
    if (!md.namespace) delete involvedObject.namespace;
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    const nanos = BigInt(now) * 1_000_000n + BigInt(nextSeq());
    const name = `${md.name}.${nanos.toString(16)}`;
    this.client.create(this.def, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      source: source.host ? { component: source.component, host: source.host } : { component: source.component },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    }, { owned: true });
    this.seen.set(key, name);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.keys().next().value!);
  }
}
