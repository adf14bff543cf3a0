// One JSON text per stored object. Stored objects are never changed in place (every write stores a
// new object), so the text serialised once can be reused by everything that sends or saves the
// object: the write-ahead log, the snapshot, watch events and API responses.
const texts = new WeakMap<object, string>();

/** a plain object (`{}` or without prototype), as JSON data is; not a Date, Buffer or class instance */
const isPlain = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** JSON.stringify(o), remembered for `o`. Only for objects nobody mutates afterwards. */
export function objectJson(o: object): string {
  let s = texts.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    texts.set(o, s);
  }
  return s;
}

/** The text JSON.stringify({ ...head, items }) gives, with each item's text from objectJson. */
export function listJson(head: Record<string, unknown>, items: readonly object[]): string {
  const h = JSON.stringify(head);
  const body = `"items":[${items.map(objectJson).join(',')}]}`;
  return h === '{}' ? `{${body}` : `${h.slice(0, -1)},${body}`;
}

/**
 * A deep copy of JSON data (objects as the API stores them), several times faster than
 * structuredClone, which serialises through V8's message format. Anything that is not a plain
 * object or array (a Date, a Buffer) is copied by structuredClone.
 */
export function cloneJson<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const n = v.length;
    const a = new Array(n);
    for (let i = 0; i < n; i++) a[i] = cloneJson(v[i]);
    return a as T;
  }
  if (!isPlain(v)) return structuredClone(v);
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) o[k] = cloneJson((v as Record<string, unknown>)[k]);
  return o as T;
}

/**
 * cloneJson(next), except that wherever `prev` (a stored object, never changed in place) holds the
 * same content, its objects are used instead of copies: `prev` itself when nothing differs. A write
 * built this way shares what it leaves alone, so comparing it with the stored object stops early.
 */
export function cloneSharing<T>(prev: unknown, next: T): T {
  if (next === null || typeof next !== 'object' || prev === next) return next;
  if (Array.isArray(next)) {
    const p = Array.isArray(prev) ? prev : undefined;
    let same = p !== undefined && p.length === next.length;
    const out = new Array(next.length);
    for (let i = 0; i < next.length; i++) {
      const c = cloneSharing(p?.[i], next[i]);
      out[i] = c;
      if (same && c !== p![i]) same = false;
    }
    return (same ? p : out) as T;
  }
  if (!isPlain(next)) return structuredClone(next);
  const p = prev !== null && typeof prev === 'object' && !Array.isArray(prev) && isPlain(prev) ? (prev as Record<string, unknown>) : undefined;
  const out: Record<string, unknown> = {};
  let same = p !== undefined;
  let n = 0;
  for (const k of Object.keys(next)) {
    const c = cloneSharing(p?.[k], (next as Record<string, unknown>)[k]);
    out[k] = c;
    n++;
    if (same && (c !== p![k] || !Object.prototype.hasOwnProperty.call(p, k))) same = false;
  }
  if (same && Object.keys(p!).length !== n) same = false;
  return (same ? p : out) as T;
}
