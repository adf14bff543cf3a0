// Core "config and bookkeeping" printers: ConfigMap, Secret, ServiceAccount, Namespace, Event, Lease.
import type { KObj } from '../../store/types.js';
import { parseTime, translateTimestampSince } from './duration.js';
import type { Cell, Json, Printer } from './types.js';
import { ageCol, col, nameCol, str } from './util.js';

const age = (obj: KObj, now: number): string => translateTimestampSince(obj.metadata.creationTimestamp, now);
const keys = (v: unknown): string[] => (v && typeof v === 'object' ? Object.keys(v) : []);

export const configMapPrinter: Printer = {
  columns: [nameCol(), col('Data', 'Data contains the configuration data.'), ageCol()],
  cells: (obj, now) => [str(obj.metadata.name), keys(obj.data).length + keys(obj.binaryData).length, age(obj, now)],
};

export const secretPrinter: Printer = {
  columns: [
    nameCol(),
    col('Type', 'Used to facilitate programmatic handling of secret data.'),
    col('Data', 'Data contains the secret data.'),
    ageCol(),
  ],
  cells(obj: KObj, now: number): Cell[] {
    // Upstream prints the internal Secret, where stringData has already been folded into data.
    const dataKeys = new Set([...keys(obj.data), ...keys(obj.stringData)]);
    return [str(obj.metadata.name), str(obj.type) || 'Opaque', dataKeys.size, age(obj, now)];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [nameCol(), col('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageCol()],
  cells: (obj, now) => [str(obj.metadata.name), Array.isArray(obj.secrets) ? obj.secrets.length : 0, age(obj, now)],
};

export const namespacePrinter: Printer = {
  columns: [nameCol(), col('Status', 'The status of the namespace'), ageCol()],
  // status.phase defaults to Active upstream.
  cells: (obj, now) => [str(obj.metadata.name), str((obj.status as Json)?.phase) || 'Active', age(obj, now)],
};

export const leasePrinter: Printer = {
  columns: [nameCol(), col('Holder', 'holderIdentity contains the identity of the holder of a current lease.'), ageCol()],
  cells: (obj, now) => [str(obj.metadata.name), str((obj.spec as Json)?.holderIdentity), age(obj, now)],
};

/** formatEventSource: component (or reportingController), then `, host` (or reportingInstance) if any. */
function eventSource(ev: Json): string {
  const component = str(ev.source?.component) || str(ev.reportingController);
  const instance = str(ev.source?.host) || str(ev.reportingInstance);
  return instance ? `${component}, ${instance}` : component;
}

/**
 * Event columns as v1.32 prints them. The server keeps the list order (the store's key order);
 * neither it nor `kubectl get events` sorts by time unless --sort-by is given.
 */
export const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col('Reason', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    col('Object', 'The object that this event is about.'),
    col('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', { priority: 1 }),
    col('Source', 'The component reporting this event. Should be a short machine understandable string.', { priority: 1 }),
    col('Message', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', { priority: 1 }),
    col('Count', 'The number of times this event has occurred.', { priority: 1 }),
    nameCol(1),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const ev: Json = obj;
    const first = parseTime(ev.firstTimestamp) !== undefined ? translateTimestampSince(ev.firstTimestamp, now) : translateTimestampSince(ev.eventTime, now);
    let lastSeen = parseTime(ev.lastTimestamp) !== undefined ? translateTimestampSince(ev.lastTimestamp, now) : first;
    let count: number = typeof ev.count === 'number' ? ev.count : 0;
    if (ev.series) {
      lastSeen = translateTimestampSince(ev.series.lastObservedTime, now);
      count = typeof ev.series.count === 'number' ? ev.series.count : 0;
    } else if (count === 0) {
      count = 1; // events.k8s.io singletons carry no count
    }
    const kind = str(ev.involvedObject?.kind).toLowerCase();
    const name = str(ev.involvedObject?.name);
    return [
      lastSeen,
      str(ev.type),
      str(ev.reason),
      name ? `${kind}/${name}` : kind,
      str(ev.involvedObject?.fieldPath),
      eventSource(ev),
      str(ev.message).trim(),
      first,
      count,
      str(obj.metadata.name),
    ];
  },
};
