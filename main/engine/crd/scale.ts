// The scale subresource of a custom resource: an autoscaling/v1 Scale read from and written to
// the paths the CRD names (specReplicasPath, statusReplicasPath, labelSelectorPath), so
// `kubectl scale` and the HPA work on custom workloads as on Deployments.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeBody, mediaType, readBody } from '../api/body.js';
import type { ApiContext, RequestInfo } from '../api/context.js';
import { invalid, notFound, notFoundPath, StatusError, unsupportedMediaType } from '../api/errors.js';
import { sendJson } from '../api/http.js';
import * as plugins from '../api/plugins.js';
import { builtin } from '../api/registry.js';
import { updateObject } from '../api/write.js';
import type { KObj } from '../store/types.js';
import { specOf } from './crd.js';
import { cloneJson } from '../store/json.js';

const CRDS = builtin('apiextensions.k8s.io', 'customresourcedefinitions');

interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

const steps = (p: string) => p.replace(/^\./, '').split('.');

export function readPath(o: unknown, p: string): unknown {
  let cur = o;
  for (const k of steps(p)) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

export function writePath(o: Record<string, unknown>, p: string, v: unknown): void {
  const ks = steps(p);
  let cur = o;
  for (const k of ks.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[ks[ks.length - 1]!] = v;
}

export function scalePaths(ctx: ApiContext, group: string, resource: string, version: string): ScalePaths | undefined {
  const crd = ctx.store.get(CRDS, undefined, `${resource}.${group}`);
  return crd ? specOf(crd).versions.find((v) => v.name === version)?.subresources?.scale : undefined;
}

export function toCustomScale(o: KObj, paths: ScalePaths): KObj {
  const status: Record<string, unknown> = { replicas: Number(readPath(o, paths.statusReplicasPath) ?? 0) };
  const sel = paths.labelSelectorPath ? readPath(o, paths.labelSelectorPath) : undefined;
  if (typeof sel === 'string' && sel) status.selector = sel;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: Number(readPath(o, paths.specReplicasPath) ?? 0) },
    status,
  };
}

export async function handleCustomScale(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  const def = ri.def;
  const paths = scalePaths(ctx, def.group, def.resource, def.version);
  if (!paths) throw notFoundPath();
  const old = ctx.store.get(def, ri.namespace, ri.name!);
  if (!old) throw notFound(def, ri.name!);
  const scale = toCustomScale(old, paths);
  if (method === 'GET') return sendJson(res, 200, scale);
  const ct = mediaType(req);
  const body = await readBody(req);
  let next: KObj;
  if (method === 'PUT') next = decodeBody(body, ct) as KObj;
  else if (method !== 'PATCH') throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  else if (ct === 'application/json-patch+json') next = plugins.applyJsonPatch(cloneJson(scale), decodeBody(body, ct)) as KObj;
  else if (ct === 'application/merge-patch+json' || ct === 'application/strategic-merge-patch+json') next = plugins.applyMergePatch(cloneJson(scale), decodeBody(body, ct)) as KObj;
  else throw unsupportedMediaType(ct);
  const rv = next.metadata?.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion) {
    throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${def.resource}.${def.group} "${ri.name}": the object has been modified; please apply your changes to the latest version and try again`, { name: ri.name, group: def.group, kind: def.resource });
  }
  const replicas = (next.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', 'autoscaling', ri.name!, [{ type: 'FieldValueInvalid', field: 'spec.replicas', detail: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0` }]);
  }
  const obj = cloneJson(old);
  writePath(obj as Record<string, unknown>, paths.specReplicasPath, replicas);
  const dryRun = ri.query.getAll('dryRun').includes('All');
  const fieldManager = ri.query.get('fieldManager') ?? String(req.headers['user-agent'] ?? 'unknown').split('/')[0]!;
  const updated = updateObject(ctx, { ...ri, subresource: 'scale' }, obj, old, { dryRun, fieldManager, validation: 'Ignore' }, 'Update');
  if (!dryRun) await ctx.durable(ctx.store.rev);
  sendJson(res, 200, toCustomScale(updated, paths));
}
