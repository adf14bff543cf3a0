// Events as client-go's recorder writes them: one core/v1 Event per distinct occurrence, with a
// count and lastTimestamp bumped when the same thing happens again (kubectl describe shows
// "(x4 over 2m)"), similar events combined and a source's events about one object rate-limited
// (correlator.ts). Names follow upstream: <object name>.<hex nanoseconds>.
import type { LocalClient } from '../api/client.js';
import type { ResourceDef } from '../api/registry.js';
import { isoTime } from '../clock.js';
import type { KObj } from '../store/types.js';
import { Correlator } from './correlator.js';

export interface EventSource {
  component: string;
  host?: string;
}

export type EventType = 'Normal' | 'Warning';

// shared by every recorder: two components recording about the same object in the same
// millisecond must still get different event names
let seq = 0;
const nextSeq = () => (seq = (seq + 1) % 1_000_000);

export class EventRecorder {
  private correlator = new Correlator();
  private def: ResourceDef;

  constructor(private client: LocalClient) {
    this.def = client.def('', 'events');
  }

  /** Record that `reason` happened to `obj`. `fieldPath` names a container: `spec.containers{nginx}`. */
  event(obj: KObj, type: EventType, reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const md = obj.metadata;
    const namespace = md.namespace || 'default';
    const now = this.client.ctx.clock.now();
    const ts = isoTime(now);
    const d = this.correlator.correlate(
      { component: source.component, host: source.host ?? '', kind: obj.kind ?? '', namespace: md.namespace ?? '', name: md.name ?? '', uid: md.uid ?? '', apiVersion: obj.apiVersion ?? '', fieldPath: fieldPath ?? '', type, reason, message },
      now,
    );
    if (d.skip) return;
    if (d.existing && this.client.get(this.def, namespace, d.existing.name)) {
      this.client.modify(this.def, namespace, d.existing.name, (e) => {
        e.count = d.count;
        e.lastTimestamp = ts;
        e.message = d.message;
      });
      return;
    }
    const involvedObject: Record<string, unknown> = { kind: obj.kind, namespace: md.namespace, name: md.name, uid: md.uid, apiVersion: obj.apiVersion, resourceVersion: md.resourceVersion };
    if (!md.namespace) delete involvedObject.namespace;
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    // an event that expired meanwhile is written anew under its name with the count so far, as
    // client-go does when its patch finds nothing
    const name = d.existing?.name ?? `${md.name}.${(BigInt(now) * 1_000_000n + BigInt(nextSeq())).toString(16)}`;
    const first = d.existing?.first || ts;
    this.client.create(
      this.def,
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject,
        reason,
        message: d.message,
        source: source.host ? { component: source.component, host: source.host } : { component: source.component },
        firstTimestamp: first,
        lastTimestamp: ts,
        count: d.count,
        type,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      },
      { owned: true },
    );
    this.correlator.named(d.key, name, first);
  }
}
