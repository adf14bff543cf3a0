// pods/binding: the one way a pod's spec.nodeName changes after creation. Like the apiserver's
// BindingREST it writes straight to storage (a pod's spec is otherwise immutable, so the normal
// update path would refuse): nodeName, the binding's annotations, and PodScheduled=True.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isoTime } from '../clock.js';
import type { KObj } from '../store/types.js';
import { decodeBody, mediaType, readBody } from './body.js';
import type { LocalClient } from './client.js';
import type { ApiContext, RequestInfo } from './context.js';
import { badRequest, conflict, invalid, notFound } from './errors.js';
import { sendJson } from './http.js';

const PODS = { group: '', resource: 'pods', namespaced: true };
const BINDING = { group: '', resource: 'pods/binding' };

export interface BindOptions {
  /** the Binding's metadata.uid: must be the pod's (a precondition) */
  uid?: string;
  annotations?: Record<string, string>;
}

/** Bind in storage; errors are worded as the apiserver's (409 Conflict when already bound). */
export function bindInStore(ctx: ApiContext, namespace: string, podName: string, nodeName: string, opts: BindOptions = {}): KObj {
  const cur = ctx.store.get(PODS, namespace, podName);
  if (!cur) throw notFound(PODS, podName);
  if (opts.uid && opts.uid !== cur.metadata.uid) {
    throw conflict(BINDING, podName, `Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${cur.metadata.uid}`);
  }
  if (cur.metadata.deletionTimestamp) throw conflict(BINDING, podName, `pod ${podName} is being deleted, cannot be assigned to a host`);
  const spec = (cur.spec ?? {}) as { nodeName?: string };
  if (spec.nodeName) throw conflict(BINDING, podName, `pod ${podName} is already assigned to node "${spec.nodeName}"`);
  // a new pod sharing what the binding leaves alone (stored objects are never changed in place)
  const status = (cur.status ?? {}) as { conditions?: Array<Record<string, unknown>> };
  const conditions = [...(status.conditions ?? [])];
  const i = conditions.findIndex((c) => c.type === 'PodScheduled');
  const prev = i >= 0 ? conditions[i] : undefined;
  // the condition is replaced whole (reason/message of an earlier failure go); the transition time
  // only moves when the status does
  const cond = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: prev?.status === 'True' ? prev.lastTransitionTime : isoTime(ctx.clock.now()) };
  if (i >= 0) conditions[i] = cond;
  else conditions.push(cond);
  const metadata = { ...cur.metadata };
  if (opts.annotations && Object.keys(opts.annotations).length) metadata.annotations = { ...metadata.annotations, ...opts.annotations };
  const next: KObj = { ...cur, metadata, spec: { ...spec, nodeName }, status: { ...status, conditions } };
  return ctx.store.update(PODS, next, { owned: true });
}

/** Bind a pending pod to a node, as the scheduler's DefaultBinder does. */
export function bindPod(client: LocalClient, namespace: string, podName: string, nodeName: string, opts: BindOptions = {}): KObj {
  return bindInStore(client.ctx, namespace, podName, nodeName, opts);
}

/** POST /api/v1/namespaces/{ns}/pods/{name}/binding with a v1 Binding body → 201 Status Success. */
export async function handleBinding(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = decodeBody(await readBody(req), mediaType(req)) as Record<string, unknown> | null;
  if (!body || typeof body !== 'object') throw badRequest('the body of the request was in an unknown format');
  const md = (body.metadata ?? {}) as { name?: string; uid?: string; annotations?: Record<string, string> };
  const name = ri.name!;
  if (md.name && md.name !== name) throw badRequest('name in URL does not match name in Binding object');
  const target = (body.target ?? {}) as { kind?: string; name?: string };
  const errs = [];
  if (target.kind && target.kind !== 'Node') {
    errs.push({ type: 'FieldValueNotSupported' as const, field: 'target.kind', detail: `Unsupported value: ${JSON.stringify(target.kind)}: supported values: "Node", "<empty>"` });
  }
  if (!target.name) errs.push({ type: 'FieldValueRequired' as const, field: 'target.name', detail: 'Required value' });
  if (errs.length) throw invalid('Binding', '', md.name || name, errs);
  if (ri.query.get('dryRun') === 'All') {
    if (!ctx.store.get(PODS, ri.namespace, name)) throw notFound(PODS, name);
  } else {
    bindInStore(ctx, ri.namespace!, name, target.name!, { uid: md.uid, annotations: md.annotations });
  }
  sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
