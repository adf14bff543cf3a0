// REST verbs on stored resources: list/get/delete here, writes in write.ts, watch in watch.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { qualify } from '../store/store.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../store/selectors.js';
import type { KObj } from '../store/types.js';
import type { ApiContext, RequestInfo } from './context.js';
import { notFound, StatusError } from './errors.js';
import { sendJson, sendJsonText, sendObject } from './http.js';
import { cloneJson, listJson } from '../store/json.js';
import { decodeBody, mediaType, readBody } from './body.js';
import { toTable, toTableJson } from './printers/table.js';
import { groupVersion, type ResourceDef } from './registry.js';
import { serveWatch } from './watch.js';
import { gracefulDeletion } from './lifecycle.js';
import { decodeContinue, listPage } from './list-page.js';

export const TABLE_CT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export function wantsTable(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export function includeObjectOf(q: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** The object as clients see it: kind and apiVersion always filled. */
export function withTypeMeta(def: ResourceDef, o: KObj): KObj {
  if (def.fromStored && o.apiVersion && o.apiVersion !== groupVersion(def)) o = def.fromStored(o);
  if (o.kind === def.kind && o.apiVersion === groupVersion(def)) return o;
  return { apiVersion: groupVersion(def), kind: def.kind, ...o };
}

export function selectorFilter(ri: RequestInfo): (o: KObj) => boolean {
  return selectorFilterOrNone(ri) ?? (() => true);
}

/** undefined when the request has no selector, so lists need not look at every object */
export function selectorFilterOrNone(ri: RequestInfo): ((o: KObj) => boolean) | undefined {
  const labels = parseLabelSelector(ri.query.get('labelSelector'));
  const fields = parseFieldSelector(ri.query.get('fieldSelector'), qualify(ri.def));
  if (!labels.length && !fields.length) return undefined;
  return (o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o);
}

export function listObjects(ctx: ApiContext, ri: RequestInfo): KObj[] {
  const filter = selectorFilterOrNone(ri);
  const all = ctx.store.list(ri.def, ri.namespace);
  return filter ? all.filter(filter) : all;
}

export async function handleList(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (ri.query.get('watch') === 'true' || ri.query.get('watch') === '1') return serveWatch(ctx, ri, req, res);
  const filter = selectorFilterOrNone(ri);
  const rev = ctx.store.rev;
  const rv = String(rev);
  // paging: the continue token remembers where the previous page stopped
  const cont = ri.query.get('continue');
  const page = listPage(ctx.store.list(ri.def, ri.namespace), {
    filter,
    start: cont ? decodeContinue(cont) : undefined,
    limit: Number(ri.query.get('limit') ?? 0),
    rv: rev,
  });
  const { items, continueToken } = page;
  if (wantsTable(req)) {
    const table = toTableJson({
      group: ri.def.group,
      kind: ri.def.kind,
      objects: items.map((o) => withTypeMeta(ri.def, o)),
      now: ctx.clock.now(),
      includeObject: includeObjectOf(ri.query),
      resourceVersion: rv,
      continueToken,
    });
    return sendJsonText(res, 200, table, TABLE_CT);
  }
  const metadata: Record<string, unknown> = { resourceVersion: rv };
  if (continueToken) metadata.continue = continueToken;
  sendJsonText(res, 200, listJson({ kind: ri.def.listKind, apiVersion: groupVersion(ri.def), metadata }, items.map((o) => withTypeMeta(ri.def, o))));
}

export function handleGet(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): void {
  const obj = ctx.store.get(ri.def, ri.namespace, ri.name!);
  if (!obj) throw notFound(ri.def, ri.name!);
  if (wantsTable(req)) {
    const table = toTable({
      group: ri.def.group,
      kind: ri.def.kind,
      objects: [withTypeMeta(ri.def, obj)],
      now: ctx.clock.now(),
      includeObject: includeObjectOf(ri.query),
      resourceVersion: obj.metadata.resourceVersion ?? '',
    });
    return sendJson(res, 200, table, TABLE_CT);
  }
  sendObject(res, 200, withTypeMeta(ri.def, obj));
}

export interface DeleteOptionsBody {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
  orphanDependents?: boolean;
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptionsBody> {
  const buf = await readBody(req);
  let opts: DeleteOptionsBody = {};
  if (buf.length) {
    const decoded = decodeBody(buf, mediaType(req));
    if (decoded && typeof decoded === 'object') opts = decoded as DeleteOptionsBody;
  }
  if (q.has('gracePeriodSeconds')) opts.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
  if (q.has('propagationPolicy')) opts.propagationPolicy = q.get('propagationPolicy') as DeleteOptionsBody['propagationPolicy'];
  if (q.getAll('dryRun').length) opts.dryRun = q.getAll('dryRun');
  if (opts.gracePeriodSeconds !== undefined && (!Number.isInteger(opts.gracePeriodSeconds) || opts.gracePeriodSeconds < 0)) {
    if (opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 1; // the apiserver treats negative as "as soon as possible"
  }
  if (opts.propagationPolicy && !['Background', 'Foreground', 'Orphan'].includes(opts.propagationPolicy)) {
    throw new StatusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  return opts;
}

/** Delete now (in memory); callers that answer a client then wait for durability. */
export function deleteNow(ctx: ApiContext, def: ResourceDef, namespace: string | undefined, name: string, opts: DeleteOptionsBody): { object: KObj; deleted: boolean } {
  const dryRun = (opts.dryRun ?? []).includes('All');
  const existing = ctx.store.get(def, namespace, name);
  if (!existing) throw notFound(def, name);
  const policy = gracefulDeletion(def, existing, opts);
  let preconditions = opts.preconditions;
  // Foreground/Orphan: the garbage collector's finalizer goes on first, so the delete below only
  // marks the object and the collector removes it when its dependents are dealt with (upstream
  // adds it whether or not there are dependents)
  const propagation = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : undefined);
  const gcFinalizer = propagation === 'Foreground' ? 'foregroundDeletion' : propagation === 'Orphan' ? 'orphan' : undefined;
  if (gcFinalizer && !dryRun && !(existing.metadata.finalizers ?? []).includes(gcFinalizer)) {
    ctx.store.delete(def, namespace, name, { dryRun: true, preconditions }); // preconditions hold before we write
    const marked = cloneJson(existing);
    marked.metadata.finalizers = [...(marked.metadata.finalizers ?? []), gcFinalizer];
    ctx.store.update(def, marked);
    preconditions = preconditions?.uid ? { uid: preconditions.uid } : undefined;
  }
  const result = ctx.store.delete(def, namespace, name, {
    dryRun,
    preconditions,
    gracePeriodSeconds: policy.gracePeriodSeconds ?? opts.gracePeriodSeconds,
    keepWithGrace: policy.keepWithGrace,
  });
  if (!result.deleted && !dryRun && def.resource === 'namespaces' && def.group === '') {
    // the namespace controller takes it from here; the phase tells users why it is still listed
    const ns = cloneJson(result.object);
    ns.status = { ...(ns.status as object), phase: 'Terminating' };
    result.object = ctx.store.update(def, ns);
  }
  if (!dryRun) ctx.onDelete?.(def, result.object, propagation);
  return result;
}

export async function deleteOne(ctx: ApiContext, def: ResourceDef, namespace: string | undefined, name: string, opts: DeleteOptionsBody): Promise<{ object: KObj; deleted: boolean }> {
  const result = deleteNow(ctx, def, namespace, name, opts);
  if (!(opts.dryRun ?? []).includes('All')) await ctx.durable(ctx.store.rev);
  return result;
}

export async function handleDelete(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const opts = await deleteOptions(req, ri.query);
  const { object, deleted } = await deleteOne(ctx, ri.def, ri.namespace, ri.name!, opts);
  // pods and namespaces answer with the object (upstream's ReturnDeletedObject); others with a Status
  const returnsObject = (ri.def.group === '' && (ri.def.resource === 'pods' || ri.def.resource === 'namespaces')) || !deleted;
  if (returnsObject) return sendObject(res, deleted ? 200 : 202, withTypeMeta(ri.def, object));
  sendJson(res, 200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: ri.name, group: ri.def.group || undefined, kind: ri.def.resource, uid: object.metadata.uid },
  });
}

export async function handleDeleteCollection(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const opts = await deleteOptions(req, ri.query);
  const items = listObjects(ctx, ri);
  const out: KObj[] = [];
  for (const o of items) {
    try {
      out.push((await deleteOne(ctx, ri.def, o.metadata.namespace, o.metadata.name!, opts)).object);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
  sendJsonText(res, 200, listJson({ kind: ri.def.listKind, apiVersion: groupVersion(ri.def), metadata: { resourceVersion: String(ctx.store.rev) } }, out.map((o) => withTypeMeta(ri.def, o))));
}
