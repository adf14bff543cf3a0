// Turns a `application/vnd.kubernetes.protobuf` request body (what client-go typed clients send
// for `kubectl create <generator>`, `auth can-i`, `create token`, `autoscale`, ...) into the JSON
// object kubectl would have sent had it spoken JSON, so the rest of the API server only ever sees JSON.
//
// Wire layout: "k8s\0" + runtime.Unknown{typeMeta{apiVersion,kind}, raw=<object message>, ...}.
// gogo writes every non-pointer Go field even when it holds the zero value, so decoding naively
// yields `clusterIP: ""`, `generation: 0`, `creationTimestamp: {}` and friends; those are pruned
// here. Go pointer fields (marked `[(ptr) = true]` in protos.generated.ts) are only on the wire
// when set, so whatever value they carry (e.g. `replicas: 0`) is kept. Go-embedded `json:",inline"`
// structs (`[(inline) = true]`, e.g. Volume.volumeSource) are flattened into their parent.
import protobuf from 'protobufjs';
import { badRequest, unsupportedMediaType } from '../errors.js';
import { PROTO_SOURCES } from './protos.generated.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const PROTOBUF_CT = 'application/vnd.kubernetes.protobuf';

/**
 * Non-pointer fields whose zero value is still meaningful to a reader of the object (Go's JSON
 * encoder has no `omitempty` on them, and dropping them would change what `get -o yaml` shows).
 */
const KEEP_ZERO = new Set(['k8s.io.api.scheduling.v1.PriorityClass.value']);

let root: protobuf.Root | undefined;
/** The parsed message graph (also used by tests to build synthetic bodies). */
export function protoSchema(): protobuf.Root {
  if (!root) {
    const r = new protobuf.Root();
    for (const src of PROTO_SOURCES) protobuf.parse(src, r, { keepCase: true });
    r.resolveAll();
    root = r;
  }
  return root;
}

/** Proto package for an apiVersion: "" -> core, otherwise the group's first DNS label. */
function protoPackage(apiVersion: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (!version || version.includes('/')) return undefined;
  const short = group === '' ? 'core' : group.split('.')[0];
  return `k8s.io.api.${short}.${version}`;
}

function lookupObjectType(apiVersion: string, kind: string): protobuf.Type | undefined {
  const pkg = protoPackage(apiVersion);
  if (!pkg || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const found = protoSchema().lookup(`${pkg}.${kind}`);
  // Only top-level API objects (those with ObjectMeta) may arrive as a request body.
  return found instanceof protobuf.Type && found.fields['metadata'] ? found : undefined;
}

export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw badRequest('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const unknownType = protoSchema().lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  let env: { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array; contentEncoding?: string; contentType?: string };
  try {
    env = unknownType.decode(body.subarray(MAGIC.length)) as typeof env;
  } catch (e) {
    throw badRequest(`unable to decode protobuf envelope: ${(e as Error).message}`);
  }
  const apiVersion = env.typeMeta?.apiVersion ?? '';
  const kind = env.typeMeta?.kind ?? '';
  if (!kind) throw badRequest("Object 'Kind' is missing in protobuf envelope");
  if (!apiVersion) throw badRequest("Object 'apiVersion' is missing in protobuf envelope");
  if (env.contentEncoding || (env.contentType && env.contentType !== PROTOBUF_CT)) throw unsupportedMediaType(env.contentType ?? '');
  const type = lookupObjectType(apiVersion, kind);
  if (!type) throw unsupportedMediaType(PROTOBUF_CT);
  let msg: protobuf.Message;
  try {
    msg = type.decode(env.raw ?? new Uint8Array());
  } catch (e) {
    throw badRequest(`unable to decode ${kind} (${apiVersion}) from protobuf: ${(e as Error).message}`);
  }
  // metadata is always present in what kubectl would have sent as JSON (`{"creationTimestamp":null}`),
  // and handlers reasonably expect an object there even when every field in it was zero.
  const obj = messageToJSON(type, msg as unknown as Record<string, unknown>);
  return { apiVersion, kind, ...obj, metadata: obj['metadata'] ?? {} };
}

const isPointer = (f: protobuf.Field) => f.options?.['(ptr)'] === true;

function isZero(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}

function messageToJSON(type: protobuf.Type, msg: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    // protobufjs only sets own properties for fields that were on the wire (plus empty repeated/map containers).
    if (!Object.prototype.hasOwnProperty.call(msg, field.name)) continue;
    const raw = msg[field.name];
    if (field instanceof protobuf.MapField) {
      const entries = Object.entries((raw ?? {}) as Record<string, unknown>);
      // Map values are kept verbatim even when empty: `data: {k: ""}` is meaningful.
      if (entries.length) out[field.name] = Object.fromEntries(entries.map(([k, v]) => [k, valueToJSON(field, v)]));
    } else if (field.repeated) {
      const list = (raw ?? []) as unknown[];
      // List elements are kept even when zero: `apiGroups: [""]` names the core group.
      if (list.length) out[field.name] = list.map((v) => valueToJSON(field, v));
    } else if (field.options?.['(inline)'] === true) {
      Object.assign(out, valueToJSON(field, raw));
    } else {
      const v = valueToJSON(field, raw);
      if (isPointer(field) || KEEP_ZERO.has(`${type.fullName.slice(1)}.${field.name}`) || !isZero(v)) out[field.name] = v;
    }
  }
  return out;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return Number(v ?? 0);
}

function valueToJSON(field: protobuf.Field, v: unknown): unknown {
  const t = field.resolvedType;
  if (t instanceof protobuf.Type) return specialToJSON(t, (v ?? {}) as Record<string, unknown>);
  switch (field.type) {
    case 'bytes':
      return Buffer.from((v ?? new Uint8Array()) as Uint8Array).toString('base64');
    case 'int64': case 'uint64': case 'sint64': case 'fixed64': case 'sfixed64':
      return toNumber(v);
    default:
      return v;
  }
}

/** Types whose JSON form is not a plain object (custom MarshalJSON upstream). */
function specialToJSON(t: protobuf.Type, m: Record<string, unknown>): unknown {
  switch (t.fullName.slice(1)) {
    case `${META}.Time`:
      return formatTime(toNumber(m['seconds']), toNumber(m['nanos']), false);
    case `${META}.MicroTime`:
      return formatTime(toNumber(m['seconds']), toNumber(m['nanos']), true);
    case `${META}.Duration`:
      return formatGoDuration(toNumber(m['duration']));
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return (m['string'] as string | undefined) ?? '0';
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return toNumber(m['type']) === 1 ? ((m['strVal'] as string | undefined) ?? '') : toNumber(m['intVal']);
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
    case `${META}.FieldsV1`:
      return parseEmbeddedJSON(m['raw'] ?? m['Raw']);
    default:
      return messageToJSON(t, m);
  }
}

function parseEmbeddedJSON(raw: unknown): unknown {
  const bytes = raw instanceof Uint8Array ? Buffer.from(raw) : undefined;
  if (!bytes || bytes.length === 0) return null;
  if (bytes.subarray(0, MAGIC.length).equals(MAGIC)) return decodeProtobufObject(bytes);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw badRequest('embedded object is neither JSON nor protobuf');
  }
}

/** metav1.Time marshals as RFC3339 at second precision, MicroTime with 6 fractional digits; zero is null. */
function formatTime(seconds: number, nanos: number, micro: boolean): string | null {
  if (seconds === 0 && nanos === 0) return null;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

/** Go's time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  const frac = (value: number, unit: number) => {
    const whole = Math.floor(value / unit);
    const rest = value % unit;
    if (!rest) return String(whole);
    return `${whole}.${String(rest).padStart(String(unit).length - 1, '0').replace(/0+$/, '')}`;
  };
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${frac(n, 1e3)}µs`;
  if (n < 1e9) return `${sign}${frac(n, 1e6)}ms`;
  let out = '';
  const h = Math.floor(n / 3.6e12);
  n -= h * 3.6e12;
  const m = Math.floor(n / 6e10);
  n -= m * 6e10;
  if (h) out += `${h}h`;
  if (h || m) out += `${m}m`;
  return `${sign}${out}${frac(n, 1e9)}s`;
}
