// Formatting helpers shared by the per-kind printers (label maps, selectors, container lists).
import type { ColumnDefinition } from './types.js';

// ObjectMeta's swagger docs; upstream uses them for every Name and Age column.
export const NAME_DESC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const CREATED_DESC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';
export const CONTAINERS_DESC = 'Names of each container in the template.';
export const IMAGES_DESC = 'Images referenced by each container in the template.';

export function col(name: string, description: string, opts: { type?: string; format?: string; priority?: number } = {}): ColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}
export const nameCol = (priority = 0): ColumnDefinition => col('Name', NAME_DESC, { format: 'name', priority });
export const ageCol = (): ColumnDefinition => col('Age', CREATED_DESC);

/** Go reads absent strings as ""; printers see loosely typed JSON. */
export const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));

/** labels.FormatLabels: `k=v` sorted by key, `<none>` when empty. */
export function formatLabels(m: unknown): string {
  if (!m || typeof m !== 'object') return '<none>';
  const keys = Object.keys(m as Record<string, unknown>).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${str((m as Record<string, unknown>)[k])}`).join(',');
}

interface Requirement {
  key: string;
  text: string;
}

/**
 * metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key, In/NotIn values
 * sorted on output. Returns undefined when the selector is invalid (unknown operator, or
 * In/NotIn without values / Exists with values), as upstream's conversion errors.
 */
export function labelSelectorString(sel: unknown): string | undefined {
  if (!sel || typeof sel !== 'object') return '';
  const s = sel as { matchLabels?: Record<string, unknown>; matchExpressions?: Array<Record<string, unknown>> };
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${str(v)}` });
  for (const e of s.matchExpressions ?? []) {
    const key = str(e.key);
    const values = Array.isArray(e.values) ? e.values.map(str) : [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined;
        reqs.push({ key, text: `${key} ${e.operator === 'In' ? 'in' : 'notin'} (${[...values].sort().join(',')})` });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) return undefined;
        reqs.push({ key, text: e.operator === 'Exists' ? key : `!${key}` });
        break;
      default:
        return undefined;
    }
  }
  // Stable sort by key mirrors sort.Sort(ByKey) closely enough: equal keys keep insertion order.
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: `<none>` for an empty selector, `<error>` for an invalid one. */
export function formatLabelSelector(sel: unknown): string {
  const s = labelSelectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** layoutContainerCells: container names and images, each comma-joined. */
export function layoutContainerCells(containers: unknown): [string, string] {
  const list = Array.isArray(containers) ? (containers as Array<Record<string, unknown>>) : [];
  return [list.map((c) => str(c?.name)).join(','), list.map((c) => str(c?.image)).join(',')];
}

/** listWithMoreString: at most 3 entries, then ` + N more...`; `<unset>` when empty. */
export function listWithMore(items: string[], max = 3): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** Go's net.JoinHostPort: brackets around hosts that contain a colon (IPv6). */
export function joinHostPort(host: string, port: string | number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** sets.NewString(...).List(): unique and sorted. */
export function sortedUnique(items: string[]): string[] {
  return [...new Set(items)].sort();
}
