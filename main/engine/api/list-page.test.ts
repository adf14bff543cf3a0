import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Harness } from '../testing/harness.js';
import type { KObj } from '../store/types.js';
import type { RequestInfo } from './context.js';
import { StatusError } from './errors.js';
import { decodeContinue, encodeContinue, indexAfter, listPage } from './list-page.js';
import { builtin } from './registry.js';
import { handleList } from './rest.js';

const PODS = builtin('', 'pods');
const NODES = builtin('', 'nodes');
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
// 'a-b' sorts before 'a/…' as a string but after namespace 'a' in the store's order: a token must not skip it
const NAMESPACES = ['a', 'a-b', 'default', 'test', 'test-1', 'test.x'];

function cluster(perNamespace: number): Harness {
  const h = new Harness({ bootstrap: false });
  for (const ns of NAMESPACES) {
    for (let i = 0; i < perNamespace; i++) {
      const name = `p-${String(i).padStart(3, '0')}`;
      h.store.create(PODS, { metadata: { name, namespace: ns, labels: { app: i % 3 === 0 ? 'web' : 'db' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    }
  }
  return h;
}

const key = (o: { metadata: { namespace?: string; name?: string } }) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

interface Page {
  code: number;
  body: { metadata: { continue?: string; resourceVersion?: string }; rows?: Array<{ cells: unknown[]; object: { metadata: KObj['metadata'] } }>; items?: KObj[] };
}

async function get(h: Harness, query: string, opts: { table?: boolean; namespace?: string } = {}): Promise<Page> {
  const out: Page = { code: 0, body: { metadata: {} } };
  const res = {
    writeHead: (code: number) => (out.code = code),
    end: (body: string | Buffer) => (out.body = JSON.parse(body.toString())),
  } as unknown as ServerResponse;
  const req = { headers: { accept: opts.table === false ? 'application/json' : TABLE_ACCEPT } } as unknown as IncomingMessage;
  const ri: RequestInfo = { def: PODS, namespace: opts.namespace, query: new URLSearchParams(query), user: { username: 'admin', groups: [] } };
  await handleList(h.ctx, ri, req, res);
  return out;
}

/** every page of a paged list as kubectl walks it, optionally from a continue token */
async function walk(h: Harness, query: string, table = true, from?: string): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let cont = from;
  let pages = 0;
  do {
    const p = await get(h, `${query}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, { table });
    expect(p.code).toBe(200);
    pages++;
    keys.push(...(table ? p.body.rows!.map((r) => key(r.object)) : p.body.items!.map(key)));
    cont = p.body.metadata.continue;
  } while (cont);
  return { keys, pages };
}

describe('handleList paging', () => {
  it.each([
    { name: 'Table rows, limit 7', query: 'limit=7', table: true },
    { name: 'Table rows, limit 1', query: 'limit=1', table: true },
    { name: 'Table rows, page size divides the total', query: 'limit=12', table: true },
    { name: 'plain list, limit 5', query: 'limit=5', table: false },
    { name: 'label selector, limit 4', query: 'labelSelector=app%3Dweb&limit=4', table: true },
    { name: 'label selector, plain list', query: 'labelSelector=app%21%3Dweb&limit=9', table: false },
    { name: 'field selector', query: 'fieldSelector=metadata.namespace%3Dtest-1&limit=3', table: true },
  ])('$name: pages join into the whole list, in order, once each', async ({ query, table }) => {
    const h = cluster(12);
    const sel = new URLSearchParams(query);
    const all = await get(h, [...sel].filter(([k]) => k !== 'limit').map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'), { table });
    const expected = table ? all.body.rows!.map((r) => key(r.object)) : all.body.items!.map(key);
    expect(all.body.metadata.continue).toBeUndefined();
    const limit = Number(sel.get('limit'));
    const { keys, pages } = await walk(h, query, table);
    expect(keys).toEqual(expected);
    expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
  });

  it('the store order is namespace, then name, and the unpaged list follows it', async () => {
    const h = cluster(2);
    const { keys } = await walk(h, 'limit=0');
    expect(keys).toEqual(NAMESPACES.flatMap((ns) => [`${ns}/p-000`, `${ns}/p-001`]));
  });

  it.each([
    { name: 'the last object of the page', victims: (last: string) => [last] },
    { name: 'the last object and the one after it', victims: (last: string, next: string) => [last, next] },
  ])('a page boundary on a deleted object: $name goes, the next page starts at what follows', async ({ victims }) => {
    const h = cluster(4);
    const before = (await walk(h, 'limit=0')).keys;
    const first = await get(h, 'limit=5');
    const cont = first.body.metadata.continue!;
    const last = key(first.body.rows![4]!.object);
    expect(decodeContinue(cont)).toBe(last);
    const gone = victims(last, before[5]!);
    for (const k of gone) {
      const [ns, name] = k.split('/');
      h.store.delete(PODS, ns, name!);
    }
    const rest = await walk(h, 'limit=5', true, cont);
    expect([...first.body.rows!.map((r) => key(r.object)), ...rest.keys]).toEqual(before.filter((k) => !gone.includes(k) || k === last));
  });

  it('objects created behind the token are not seen; ones ahead of it are', async () => {
    const h = cluster(2);
    const first = await get(h, 'limit=3');
    h.store.create(PODS, { metadata: { name: 'aaa', namespace: 'a' }, spec: {} });
    h.store.create(PODS, { metadata: { name: 'zzz', namespace: 'test.x' }, spec: {} });
    const rest = await walk(h, 'limit=3', true, first.body.metadata.continue);
    expect(rest.keys).not.toContain('a/aaa');
    expect(rest.keys.at(-1)).toBe('test.x/zzz');
  });

  it('a namespaced list pages within its namespace', async () => {
    const h = cluster(5);
    const p = await get(h, 'limit=2', { namespace: 'test' });
    expect(p.body.rows!.map((r) => key(r.object))).toEqual(['test/p-000', 'test/p-001']);
    expect(decodeContinue(p.body.metadata.continue!)).toBe('test/p-001');
  });

  it('refuses a continue token it cannot read, with the apiserver words', async () => {
    const h = cluster(1);
    for (const bad of ['%%%', 'bm90IGpzb24', Buffer.from('{"v":"meta.k8s.io/v1"}').toString('base64url')]) {
      const e = await get(h, `limit=2&continue=${bad}`).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StatusError);
      expect((e as StatusError).code).toBe(400);
      expect((e as StatusError).message).toBe('continue key is not valid: illegal base64 data at input byte 0');
    }
  });
});

describe('continue tokens', () => {
  it('keep the shape they always had: base64url of {v, rv, start}', () => {
    const token = encodeContinue(216661, { metadata: { name: 'held0-5f7b78d9b7-j8xww', namespace: 'default' } });
    expect(token).toBe('eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MjE2NjYxLCJzdGFydCI6ImRlZmF1bHQvaGVsZDAtNWY3Yjc4ZDliNy1qOHh3dyJ9');
    expect(decodeContinue(token)).toBe('default/held0-5f7b78d9b7-j8xww');
    expect(decodeContinue(encodeContinue(3, { metadata: { name: 'node01' } }))).toBe('/node01');
  });

  it('work for cluster-scoped kinds', async () => {
    const h = new Harness({ bootstrap: false });
    for (const n of ['node03', 'node01', 'node02']) h.store.create(NODES, { metadata: { name: n } });
    const sorted = h.store.list(NODES);
    const first = listPage(sorted, { limit: 2, rv: 1 });
    expect(first.items.map((o) => o.metadata.name)).toEqual(['node01', 'node02']);
    const second = listPage(sorted, { limit: 2, rv: 1, start: decodeContinue(first.continueToken!) });
    expect(second.items.map((o) => o.metadata.name)).toEqual(['node03']);
    expect(second.continueToken).toBeUndefined();
  });
});

describe('listPage', () => {
  const h = cluster(10);
  const sorted = h.store.list(PODS);

  it('indexAfter agrees with a scan of the list for every key, present or not', () => {
    const keys = [...sorted.map(key), '/x', 'a/', 'a/p-0005', 'a-b/zzz', 'a.b/p', 'default/p-010', 'test/', 'test-1/p-0', 'zzz/a', 'nodash'];
    for (const start of keys) {
      const [ns, name] = start.includes('/') ? [start.slice(0, start.indexOf('/')), start.slice(start.indexOf('/') + 1)] : [start, ''];
      const scan = sorted.findIndex((o) => (o.metadata.namespace ?? '') > ns || ((o.metadata.namespace ?? '') === ns && o.metadata.name! > name));
      expect([start, indexAfter(sorted, start)]).toEqual([start, scan < 0 ? sorted.length : scan]);
    }
  });

  it('visits only the page (plus the look-ahead) when it filters, none when it does not', () => {
    const web = (o: KObj) => o.metadata.labels?.app === 'web';
    const p = listPage(sorted, { filter: web, limit: 2, rv: 9, start: 'default/p-000' });
    expect(p.items.map(key)).toEqual(['default/p-003', 'default/p-006']);
    expect(p.visited).toBe(9); // p-001 … p-009: the third match tells a next page exists
    expect(decodeContinue(p.continueToken!)).toBe('default/p-006');
    expect(listPage(sorted, { limit: 5, rv: 9 }).visited).toBe(0);
  });

  it.each([
    { limit: 0, pages: 1 },
    { limit: -3, pages: 1 },
    { limit: 60, pages: 1 },
    { limit: 59, pages: 2 },
    { limit: 2.5, pages: 30 },
  ])('limit $limit: $pages page(s) for 60 objects', ({ limit, pages }) => {
    let n = 0;
    let start: string | undefined;
    const seen: string[] = [];
    do {
      const p = listPage(sorted, { limit, rv: 1, start });
      seen.push(...p.items.map(key));
      start = p.continueToken ? decodeContinue(p.continueToken) : undefined;
      n++;
    } while (start);
    expect(n).toBe(pages);
    expect(seen).toEqual(sorted.map(key));
  });
});
