/**
 * Field sets as structured-merge-diff models them, keyed by the fieldsV1 path-element strings:
 * `f:<field>`, `k:<json of the list-map key>`, `v:<json of a set item>`, `i:<index>`.
 * A node has `members` (paths that end here) and `children` (paths that continue). The same element
 * can be both, which fieldsV1 writes as a child object holding `".": {}`.
 *
 *   FieldSet, emptySet(), addPath(), hasMember(), union(), difference(), intersection(), isEmpty(),
 *   pathsOf() (upstream's iteration order), toFieldsV1(), fromFieldsV1(), pathString(), comparePE()
 */
import { isObject, goFloat, type JsonObject } from './util.js';

export interface FieldSet {
  members: Set<string>;
  children: Map<string, FieldSet>;
}

export const emptySet = (): FieldSet => ({ members: new Set(), children: new Map() });

export const isEmpty = (s: FieldSet): boolean => s.members.size === 0 && s.children.size === 0;

/** Inserts a path (a list of path-element strings) as a member. */
export function addPath(s: FieldSet, path: readonly string[]): void {
  if (path.length === 0) return;
  let cur = s;
  for (const pe of path.slice(0, -1)) {
    let next = cur.children.get(pe);
    if (!next) cur.children.set(pe, (next = emptySet()));
    cur = next;
  }
  cur.members.add(path[path.length - 1] as string);
}

export function hasMember(s: FieldSet, path: readonly string[]): boolean {
  let cur: FieldSet | undefined = s;
  for (const pe of path.slice(0, -1)) {
    cur = cur.children.get(pe);
    if (!cur) return false;
  }
  return path.length > 0 && cur.members.has(path[path.length - 1] as string);
}

/** The subtree below a path (its descendants), if any. */
export function childAt(s: FieldSet, path: readonly string[]): FieldSet | undefined {
  let cur: FieldSet | undefined = s;
  for (const pe of path) {
    cur = cur?.children.get(pe);
    if (!cur) return undefined;
  }
  return cur;
}

// Sets are never changed once built (addPath only fills a set being built), so union and
// difference share every node their result does not change, and toFieldsV1 remembers what it
// wrote per node: a manager rewriting fields it already owns costs no new encoding.

export function union(a: FieldSet, b: FieldSet): FieldSet {
  if (isEmpty(b)) return a;
  if (isEmpty(a)) return b;
  let members = a.members;
  for (const m of b.members) {
    if (members.has(m)) continue;
    if (members === a.members) members = new Set(a.members);
    members.add(m);
  }
  let children = a.children;
  for (const [k, y] of b.children) {
    const x = a.children.get(k);
    const u = x ? union(x, y) : y;
    if (u === x) continue;
    if (children === a.children) children = new Map(a.children);
    children.set(k, u);
  }
  return members === a.members && children === a.children ? a : { members, children };
}

export function difference(a: FieldSet, b: FieldSet): FieldSet {
  if (isEmpty(a) || isEmpty(b)) return a;
  let members = a.members;
  for (const m of b.members) {
    if (!members.has(m)) continue;
    if (members === a.members) members = new Set(a.members);
    members.delete(m);
  }
  let children = a.children;
  for (const [k, y] of b.children) {
    const x = a.children.get(k);
    if (!x) continue;
    const d = difference(x, y);
    if (d === x) continue;
    if (children === a.children) children = new Map(a.children);
    if (isEmpty(d)) children.delete(k);
    else children.set(k, d);
  }
  return members === a.members && children === a.children ? a : { members, children };
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { members: new Set([...a.members].filter((m) => b.members.has(m))), children: new Map() };
  for (const [k, x] of a.children) {
    const y = b.children.get(k);
    if (!y) continue;
    const i = intersection(x, y);
    if (!isEmpty(i)) out.children.set(k, i);
  }
  return out;
}

// ---- ordering (fieldpath.PathElement.Compare and value.Compare) ----

const typeRank = (v: unknown): number =>
  typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : Array.isArray(v) ? 3 : isObject(v) ? 4 : 5;

function compareValue(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return a - (b as number);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    for (let i = 0; i < Math.min(a.length, bb.length); i++) {
      const c = compareValue(a[i], bb[i]);
      if (c) return c;
    }
    return a.length - bb.length;
  }
  if (isObject(a)) return compareFields(a, b as JsonObject);
  return 0;
}

function compareFields(a: JsonObject, b: JsonObject): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const x = ka[i] as string;
    const y = kb[i] as string;
    if (x !== y) return x < y ? -1 : 1;
    const c = compareValue(a[x], b[y]);
    if (c) return c;
  }
  return ka.length - kb.length;
}

const peRank: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

export function comparePE(a: string, b: string): number {
  const ta = a[0] ?? '';
  const tb = b[0] ?? '';
  if (ta !== tb) return (peRank[ta] ?? 9) - (peRank[tb] ?? 9);
  const ra = a.slice(2);
  const rb = b.slice(2);
  switch (ta) {
    case 'f':
      return ra < rb ? -1 : ra > rb ? 1 : 0;
    case 'i':
      return Number(ra) - Number(rb);
    default:
      return compareValue(JSON.parse(ra), JSON.parse(rb));
  }
}

/** Every member path, in upstream's Set.Iterate order: a node's members first, then its children, each sorted. */
export function pathsOf(s: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const m of [...s.members].sort(comparePE)) out.push([...prefix, m]);
  for (const k of [...s.children.keys()].sort(comparePE)) out.push(...pathsOf(s.children.get(k) as FieldSet, [...prefix, k]));
  return out;
}

// ---- fieldsV1 ----

/**
 * Path elements in comparePE order. Keys and set values are parsed once per element rather than
 * once per comparison; names alone (the common case) sort as plain strings.
 */
export function sortPEs(pes: string[]): string[] {
  if (pes.length < 2) return pes;
  if (pes.every((pe) => pe.startsWith('f:'))) return pes.sort();
  const decorated = pes.map((pe) => {
    const t = pe[0] ?? '';
    const rest = pe.slice(2);
    return { pe, rank: peRank[t] ?? 9, v: t === 'k' || t === 'v' ? (JSON.parse(rest) as unknown) : t === 'i' ? Number(rest) : rest };
  });
  const byValue = (a: (typeof decorated)[number], b: (typeof decorated)[number]) => {
    if (a.rank === 0) return (a.v as string) < (b.v as string) ? -1 : (a.v as string) > (b.v as string) ? 1 : 0;
    if (a.rank === 3) return (a.v as number) - (b.v as number);
    return compareValue(a.v, b.v);
  };
  decorated.sort((a, b) => a.rank - b.rank || byValue(a, b));
  return decorated.map((d) => d.pe);
}

const encoded = new WeakMap<FieldSet, JsonObject>();
const encodedWithDot = new WeakMap<FieldSet, JsonObject>();

/** The set in fieldsV1 form. The result may be shared with other entries: never change it. */
export function toFieldsV1(s: FieldSet): JsonObject {
  return encode(s, false);
}

/** A node's encoding, remembered per node; `dot` for a node that is also a member (`".": {}` first). */
function encode(s: FieldSet, dot: boolean): JsonObject {
  const cache = dot ? encodedWithDot : encoded;
  let out = cache.get(s);
  if (!out) {
    out = dot ? { '.': {} } : {};
    fillFieldsV1(out, s);
    cache.set(s, out);
  }
  return out;
}

// writes straight into the caller's object: an intermediate object per node was most of the cost
function fillFieldsV1(out: JsonObject, s: FieldSet): void {
  const keys = [...s.members];
  for (const k of s.children.keys()) if (!s.members.has(k)) keys.push(k);
  for (const k of sortPEs(keys)) {
    const child = s.children.get(k);
    out[k] = child ? encode(child, s.members.has(k)) : {};
  }
}

export function fromFieldsV1(v: unknown): FieldSet {
  const s = emptySet();
  if (!isObject(v)) return s;
  for (const [k, x] of Object.entries(v)) {
    if (k === '.') continue;
    const keys = isObject(x) ? Object.keys(x) : [];
    if (keys.length === 0 || keys.includes('.')) s.members.add(k);
    if (keys.some((c) => c !== '.')) s.children.set(k, fromFieldsV1(x));
  }
  return s;
}

// ---- rendering ----

/** value.ToString: strings quoted, numbers as Go prints float64/int64. */
function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return goFloat(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${k}=${valueString(v[k])}`).join(',')}}`;
  return String(v);
}

/** fieldpath.Path.String(): `.spec.template.spec.containers[name="nginx"].image`. */
export function pathString(path: readonly string[]): string {
  return path
    .map((pe) => {
      const rest = pe.slice(2);
      switch (pe[0]) {
        case 'f':
          return `.${rest}`;
        case 'k': {
          const key = JSON.parse(rest) as JsonObject;
          return `[${Object.keys(key).sort().map((k) => `${k}=${valueString(key[k])}`).join(',')}]`;
        }
        case 'v':
          return `[=${valueString(JSON.parse(rest))}]`;
        case 'i':
          return `[${rest}]`;
        default:
          return '{{invalid path element}}';
      }
    })
    .join('');
}
