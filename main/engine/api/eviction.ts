// The pods/eviction subresource (what `kubectl drain` posts): a policy/v1 Eviction deletes the
// pod with the eviction's deleteOptions. There are no PodDisruptionBudgets to consult yet, so every
// eviction is allowed; the answer is the Status upstream's create handler gives (201, Success).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isoTime } from '../clock.js';
import { LocalClient } from './client.js';
import type { ApiContext, RequestInfo } from './context.js';
import { decodeBody, mediaType, readBody } from './body.js';
import { badRequest, methodNotAllowed, notFound } from './errors.js';
import { sendJson } from './http.js';
import { deleteOne, type DeleteOptionsBody } from './rest.js';

interface EvictionBody {
  kind?: string;
  apiVersion?: string;
  metadata?: { name?: string; namespace?: string };
  deleteOptions?: DeleteOptionsBody | null;
}

export async function handleEviction(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if ((req.method ?? 'GET').toUpperCase() !== 'POST') throw methodNotAllowed();
  const buf = await readBody(req);
  const body = (buf.length ? decodeBody(buf, mediaType(req)) : {}) as EvictionBody | null;
  if (!body || typeof body !== 'object') throw badRequest('Object \'Kind\' is missing in \'null\'');
  const name = ri.name!;
  if (body.metadata?.name && body.metadata.name !== name) throw badRequest('name in URL does not match name in Eviction object');
  const pod = ctx.store.get(ri.def, ri.namespace, name);
  if (!pod) throw notFound(ri.def, name);
  const opts: DeleteOptionsBody = { ...(body.deleteOptions ?? {}) };
  if (ri.query.getAll('dryRun').length) opts.dryRun = ri.query.getAll('dryRun');
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  // a running pod learns why it goes (upstream sets this condition before deleting through the API)
  if (!(opts.dryRun ?? []).length && !pod.metadata.deletionTimestamp && phase === 'Running') {
    const now = isoTime(ctx.clock.now());
    new LocalClient(ctx, 'kube-apiserver').modifyStatus(ri.def, ri.namespace, name, (p) => {
      const conds = (((p.status ??= {}) as { conditions?: Array<Record<string, unknown>> }).conditions ??= []);
      if (conds.some((c) => c.type === 'DisruptionTarget' && c.status === 'True')) return false;
      const cond = { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: now, reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
      const i = conds.findIndex((c) => c.type === 'DisruptionTarget');
      if (i >= 0) conds[i] = cond;
      else conds.push(cond);
    });
  }
  await deleteOne(ctx, ri.def, ri.namespace, name, opts);
  sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
