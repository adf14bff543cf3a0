// One page of a list: where a continue token resumes, which objects the page holds, and the token
// for the next page. The store lists objects sorted by namespace, then name, so a page is found by
// binary search and filled by visiting only its own objects (plus one to know whether more follow),
// instead of filtering every object of the resource on every page.
import type { KObj } from '../store/types.js';
import { badRequest } from './errors.js';

export interface ListPage {
  items: KObj[];
  /** set when objects after this page match: where the next page starts */
  continueToken?: string;
  /** objects looked at (selector checks), for tests that guard the cost of paging */
  visited: number;
}

/** The last key a continue token names (`namespace/name`, empty namespace for cluster-scoped kinds). */
export function decodeContinue(token: string): string {
  let start: unknown;
  try {
    start = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).start;
  } catch {
    start = undefined;
  }
  if (typeof start !== 'string') throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
  return start;
}

export function encodeContinue(rv: number, last: KObj): string {
  const start = `${last.metadata.namespace ?? ''}/${last.metadata.name}`;
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

/** Is `o` after (namespace, name) in the store's list order? */
function after(o: KObj, namespace: string, name: string): boolean {
  const ns = o.metadata.namespace ?? '';
  return ns > namespace || (ns === namespace && o.metadata.name! > name);
}

/**
 * Index of the first object after the key `start` in `sorted` (the store's order). The object the
 * key names may be gone by now: the page then starts at whatever followed it.
 */
export function indexAfter(sorted: KObj[], start: string): number {
  const slash = start.indexOf('/');
  const namespace = slash < 0 ? start : start.slice(0, slash);
  const name = slash < 0 ? '' : start.slice(slash + 1);
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after(sorted[mid]!, namespace, name)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The page of `sorted` (store order) that starts after `start`, keeps objects passing `filter` and
 * stops at `limit` (below 1: no limit). `rv` goes into the next page's token.
 */
export function listPage(sorted: KObj[], opts: { filter?: (o: KObj) => boolean; start?: string; limit: number; rv: number }): ListPage {
  const from = opts.start === undefined ? 0 : indexAfter(sorted, opts.start);
  const limit = opts.limit >= 1 ? Math.floor(opts.limit) : Infinity;
  const filter = opts.filter;
  if (!filter) {
    const items = sorted.slice(from, from + limit);
    const more = from + items.length < sorted.length;
    return { items, continueToken: more && items.length ? encodeContinue(opts.rv, items[items.length - 1]!) : undefined, visited: 0 };
  }
  const items: KObj[] = [];
  let visited = 0;
  for (let i = from; i < sorted.length; i++) {
    const o = sorted[i]!;
    visited++;
    if (!filter(o)) continue;
    if (items.length === limit) return { items, continueToken: encodeContinue(opts.rv, items[items.length - 1]!), visited };
    items.push(o);
  }
  return { items, visited };
}
