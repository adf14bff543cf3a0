// Watch: newline-delimited JSON events over a chunked response. Headers go out at once (client-go
// waits for them), RV unset/"0" starts with synthetic ADDED events, a stale RV gets 410 Expired, and
// objects moving out of a selector are reported as DELETED, as the apiserver's watch cache does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TimerHandle } from '../clock.js';
import { objectJson } from '../store/json.js';
import { qualify } from '../store/store.js';
import type { KObj, StoreEvent } from '../store/types.js';
import type { ApiContext, RequestInfo } from './context.js';
import { badRequest, expired } from './errors.js';
import { toTableJson } from './printers/table.js';
import { groupVersion } from './registry.js';
import { includeObjectOf, selectorFilter, TABLE_CT, wantsTable, withTypeMeta } from './rest.js';

const BOOKMARK_EVERY_MS = 60_000;

export function serveWatch(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): void {
  const filter = selectorFilter(ri);
  const resource = qualify(ri.def);
  const table = wantsTable(req);
  const includeObject = includeObjectOf(ri.query);
  const bookmarks = ri.query.get('allowWatchBookmarks') === 'true';
  const rvParam = ri.query.get('resourceVersion') ?? '';
  if (rvParam !== '' && !/^\d+$/.test(rvParam)) throw badRequest(`invalid resource version: ${rvParam}`);
  const fromRv = rvParam === '' ? 0 : Number(rvParam);
  const timeoutParam = ri.query.get('timeoutSeconds');
  // the apiserver's default: a random time between its minimum request timeout (30 min) and twice that
  const timeoutMs = timeoutParam ? Number(timeoutParam) * 1000 : (1800 + Math.floor(((ctx.store.rev * 7919) % 1800))) * 1000;

  const inScope = (o: KObj) => !ri.def.namespaced || !ri.namespace || o.metadata.namespace === ri.namespace;
  const matches = (o: KObj | undefined) => !!o && inScope(o) && filter(o);

  res.writeHead(200, {
    'Content-Type': table ? TABLE_CT : 'application/json',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();

  let sentColumns = false;
  const encode = (type: string, o: KObj): string => {
    const object = withTypeMeta(ri.def, o);
    if (!table || type === 'BOOKMARK') return `{"type":${JSON.stringify(type)},"object":${objectJson(object)}}\n`;
    // the Table text as the list writes it (one serialisation, reusing each object's metadata text)
    const text = toTableJson({
      group: ri.def.group,
      kind: ri.def.kind,
      objects: [object],
      now: ctx.clock.now(),
      includeObject,
      resourceVersion: o.metadata.resourceVersion ?? '',
      noHeaders: sentColumns,
    });
    sentColumns = true;
    return `{"type":${JSON.stringify(type)},"object":${text}}\n`;
  };
  const write = (type: string, o: KObj) => {
    if (!res.writableEnded) res.write(encode(type, o));
  };

  const deliver = (ev: StoreEvent) => {
    if (ev.resource !== resource) return;
    const now = matches(ev.object);
    const before = ev.type !== 'ADDED' && matches(ev.old);
    if (ev.type === 'DELETED') {
      if (before || now) write('DELETED', ev.object);
    } else if (ev.type === 'ADDED') {
      if (now) write('ADDED', ev.object);
    } else if (now && before) write('MODIFIED', ev.object);
    else if (now) write('ADDED', ev.object);
    else if (before) write('DELETED', { ...ev.object });
  };

  // everything below runs in one tick: no store write can slip between the replay and the subscription
  if (fromRv === 0) {
    for (const o of ctx.store.list(ri.def, ri.def.namespaced ? ri.namespace : undefined)) if (filter(o)) write('ADDED', o);
  } else {
    const backlog = ctx.store.eventsSince(fromRv);
    if (backlog === 'expired') {
      const err = expired(fromRv, ctx.store.oldestRevision).toStatus();
      res.end(JSON.stringify({ type: 'ERROR', object: err }) + '\n');
      return;
    }
    for (const ev of backlog) deliver(ev);
  }
  const unsubscribe = ctx.store.subscribe(deliver);

  const timers: TimerHandle[] = [];
  const finish = () => {
    unsubscribe();
    for (const t of timers) t.cancel();
    if (!res.writableEnded) res.end();
  };
  timers.push(ctx.wall.after(timeoutMs, finish));
  if (bookmarks) {
    const tick = () => {
      write('BOOKMARK', { apiVersion: groupVersion(ri.def), kind: ri.def.kind, metadata: { resourceVersion: String(ctx.store.rev) } });
      timers.push(ctx.wall.after(BOOKMARK_EVERY_MS, tick));
    };
    timers.push(ctx.wall.after(BOOKMARK_EVERY_MS, tick));
  }
  res.on('close', finish);
  req.on('error', finish);
}
