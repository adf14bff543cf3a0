// Writes: create (POST), update (PUT), patch (PATCH), and the status and scale subresources.
// Every write goes through the same steps as the apiserver: decode, field validation, defaults,
// the kind's strategy (status handling), validation, admission (allocations), managed fields,
// storage, then durability before the answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isoTime } from '../clock.js';
import type { KObj } from '../store/types.js';
import { checkNamespaceForCreate, allocateService, defaultIngressClass } from './admission.js';
import { decodeBody, mediaType, readBody } from './body.js';
import type { ApiContext, RequestInfo } from './context.js';
import { badRequest, invalid, notFound, StatusError, unsupportedMediaType } from './errors.js';
import { sendJson, sendObject, warningHeader } from './http.js';
import * as plugins from './plugins.js';
import { groupVersion, type ResourceDef } from './registry.js';
import { withTypeMeta } from './rest.js';
import { formatLabelSelector, fromLabelSelectorObject } from '../store/selectors.js';
import { cloneJson } from '../store/json.js';

interface WriteParams {
  dryRun: boolean;
  fieldManager: string;
  validation: 'Strict' | 'Warn' | 'Ignore';
}

function writeParams(ri: RequestInfo, req: IncomingMessage): WriteParams {
  const dryRun = ri.query.getAll('dryRun');
  for (const d of dryRun) if (d !== 'All') throw badRequest(`Invalid dry run value: ${d}`);
  const fv = ri.query.get('fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(fv)) {
    throw badRequest(`fieldValidation parameter unsupported: ${fv}, expected one of: Ignore, Warn, Strict`);
  }
  // without ?fieldManager the apiserver names the manager after the client's user agent
  const ua = String(req.headers['user-agent'] ?? 'unknown');
  const fieldManager = ri.query.get('fieldManager') ?? ua.split('/')[0]!.slice(0, 128);
  return { dryRun: dryRun.includes('All'), fieldManager, validation: fv as WriteParams['validation'] };
}

function asObject(def: ResourceDef, v: unknown): KObj {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  const o = v as KObj;
  if (!o.metadata || typeof o.metadata !== 'object') o.metadata = {};
  const gv = groupVersion(def);
  if (o.apiVersion !== undefined && o.apiVersion !== gv) {
    throw badRequest(`the API version in the data (${o.apiVersion}) does not match the expected API version (${gv})`);
  }
  if (o.kind !== undefined && o.kind !== def.kind) {
    throw badRequest(`${o.kind} in version "${def.version}" cannot be handled as a ${def.kind}: no kind "${o.kind}" is registered for version "${gv}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  }
  o.apiVersion = gv;
  o.kind = def.kind;
  // the client's creationTimestamp (often null) is never trusted
  delete o.metadata.creationTimestamp;
  return o;
}

/**
 * Strict/Warn/Ignore handling of unknown fields; unknown fields never reach storage. A decoded body
 * (create/update) fails as a BadRequest; a patch fails as an Invalid `patch` value, as upstream.
 */
function fieldValidation(def: ResourceDef, obj: KObj, mode: WriteParams['validation'], patch?: unknown): string[] {
  const unknown = plugins.unknownFields(def.group, def.version, def.kind, obj);
  if (!unknown.length) return [];
  if (mode === 'Strict') {
    const strict = plugins.strictDecodingMessage(unknown);
    if (patch === undefined) throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${strict}`);
    const detail = `Invalid value: ${JSON.stringify(goValue(patch))}: ${strict}`;
    throw new StatusError(422, 'Invalid', `patch: ${detail}`, { causes: [{ reason: 'FieldValueInvalid', message: detail, field: 'patch' }] });
  }
  plugins.pruneFields(obj, unknown);
  return mode === 'Warn' ? unknown.map((f) => `unknown field "${f}"`) : [];
}

/** Go's %v rendering of decoded JSON (map[k:v], [a b]), which upstream embeds in some messages. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goValue(o[k])}`).join(' ')}]`;
  }
  return String(v);
}

function checkNamespace(ri: RequestInfo, obj: KObj): void {
  if (!ri.def.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (obj.metadata.namespace && obj.metadata.namespace !== ri.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = ri.namespace;
}

function throwIfInvalid(def: ResourceDef, obj: KObj, errs: ReturnType<typeof plugins.validateCreate>): void {
  if (errs.length) throw invalid(def.kind, def.group, obj.metadata.name ?? obj.metadata.generateName ?? '', errs);
}

function admit(ctx: ApiContext, def: ResourceDef, obj: KObj, old?: KObj): void {
  if (def.group === '' && def.resource === 'services') allocateService(ctx.store, obj, old);
  // DefaultIngressClass admission: a new Ingress without a class gets the default one
  if (def.group === 'networking.k8s.io' && def.resource === 'ingresses' && !old) defaultIngressClass(ctx.store, obj);
}

async function persistAndRespond(ctx: ApiContext, res: ServerResponse, def: ResourceDef, code: number, obj: KObj, dryRun: boolean, warnings: string[]): Promise<void> {
  if (!dryRun) await ctx.durable(ctx.store.rev);
  sendObject(res, code, withTypeMeta(def, obj), warningHeader(warnings) as Record<string, string>);
}

/** Create a new object: shared by POST and by apply/PUT of an absent object. */
function createObject(ctx: ApiContext, ri: RequestInfo, obj: KObj, p: WriteParams, managed: 'Update' | 'Apply-done'): KObj {
  const def = ri.def;
  if (!obj.metadata.name && !obj.metadata.generateName) {
    throw invalid(def.kind, def.group, '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'Required value: name or generateName is required' }]);
  }
  // upstream names the object before validating it (BeforeCreate), so generateName gets checked as a name
  if (!obj.metadata.name) obj.metadata.name = obj.metadata.generateName + ctx.ids.suffix(5);
  if (def.namespaced) checkNamespaceForCreate(ctx.store, ri.namespace, def.group ? `${def.resource}.${def.group}` : def.resource, obj.metadata.name ?? '');
  delete obj.metadata.resourceVersion;
  delete obj.metadata.uid;
  delete obj.metadata.deletionTimestamp;
  delete obj.metadata.generation;
  plugins.applyDefaults(def.group, def.kind, obj);
  // the field manager records the body as decoded and defaulted, before admission and the strategy
  // add fields of their own (upstream's create handler): a pod's entry has neither its service
  // account token volume nor the default tolerations
  if (managed === 'Update') plugins.updateManagedFields(undefined, obj, p.fieldManager, 'Update', groupVersion(def), isoTime(ctx.clock.now()), def);
  plugins.prepareForCreate(def.group, def.kind, obj, { user: ri.user });
  throwIfInvalid(def, obj, plugins.validateCreate(def.group, def.kind, obj));
  admit(ctx, def, obj);
  return ctx.store.create(def, obj, { dryRun: p.dryRun, owned: true });
}

function updateObject(ctx: ApiContext, ri: RequestInfo, obj: KObj, old: KObj, p: WriteParams, managed: 'Update' | 'Apply-done'): KObj {
  const def = ri.def;
  if (ri.subresource === 'status') {
    plugins.applyStatusDefaults(def.group, def.kind, obj);
    plugins.prepareForStatusUpdate(def.group, def.kind, obj, old);
  } else {
    plugins.applyDefaults(def.group, def.kind, obj);
    plugins.prepareForUpdate(def.group, def.kind, obj, old);
  }
  // a status write is checked by the status strategy (ValidateXStatusUpdate), never the unchanged spec
  const validate = ri.subresource === 'status' ? plugins.validateStatusUpdate : plugins.validateUpdate;
  throwIfInvalid(def, obj, validate(def.group, def.kind, obj, old));
  admit(ctx, def, obj, old);
  if (managed === 'Update') plugins.updateManagedFields(old, obj, p.fieldManager, 'Update', groupVersion(def), isoTime(ctx.clock.now()), def, ri.subresource);
  return ctx.store.update(def, obj, { dryRun: p.dryRun, owned: true });
}

export async function handleCreate(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const p = writeParams(ri, req);
  const obj = asObject(ri.def, decodeBody(await readBody(req), mediaType(req)));
  checkNamespace(ri, obj);
  const warnings = fieldValidation(ri.def, obj, p.validation);
  const created = createObject(ctx, ri, obj, p, 'Update');
  await persistAndRespond(ctx, res, ri.def, 201, created, p.dryRun, warnings);
}

export async function handleUpdate(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const p = writeParams(ri, req);
  const obj = asObject(ri.def, decodeBody(await readBody(req), mediaType(req)));
  checkNamespace(ri, obj);
  if (obj.metadata.name !== undefined && obj.metadata.name !== ri.name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${ri.name})`);
  }
  obj.metadata.name = ri.name;
  const warnings = fieldValidation(ri.def, obj, p.validation);
  const old = ctx.store.get(ri.def, ri.namespace, ri.name!);
  if (!old) throw notFound(ri.def, ri.name!);
  const updated = updateObject(ctx, ri, obj, old, p, 'Update');
  await persistAndRespond(ctx, res, ri.def, 200, updated, p.dryRun, warnings);
}

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

export async function handlePatch(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ct = mediaType(req);
  if (!PATCH_TYPES.includes(ct)) throw unsupportedMediaType(ct);
  const p = writeParams(ri, req);
  const body = await readBody(req);
  const def = ri.def;
  const old = ctx.store.get(def, ri.namespace, ri.name!);

  if (ct === 'application/apply-patch+yaml') {
    const force = ri.query.get('force') === 'true';
    if (!ri.query.get('fieldManager')) {
      throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    }
    const applied = asObject(def, decodeBody(body, ct));
    checkNamespace(ri, applied);
    if (applied.metadata.name !== undefined && applied.metadata.name !== ri.name) {
      throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${ri.name})`);
    }
    applied.metadata.name = ri.name;
    const warnings = fieldValidation(def, applied, p.validation);
    const merged = plugins.serverSideApply(old, applied, { manager: p.fieldManager, force, apiVersion: groupVersion(def), time: isoTime(ctx.clock.now()), def });
    merged.metadata.name = ri.name;
    const out = old ? updateObject(ctx, ri, merged, old, p, 'Apply-done') : createObject(ctx, ri, merged, p, 'Apply-done');
    return persistAndRespond(ctx, res, def, old ? 200 : 201, out, p.dryRun, warnings);
  }

  if (!old) throw notFound(def, ri.name!);
  const patch = decodeBody(body, 'application/json');
  const current = cloneJson(withTypeMeta(def, old));
  let patched: unknown;
  if (ct === 'application/json-patch+json') patched = plugins.applyJsonPatch(current, patch);
  else if (ct === 'application/merge-patch+json') patched = plugins.applyMergePatch(current, patch);
  else patched = plugins.applyStrategicMergePatch(current, patch, plugins.schemaLookup(def.group, def.version, def.kind));
  const obj = asObject(def, patched);
  checkNamespace(ri, obj);
  if (obj.metadata.name !== ri.name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${ri.name})`);
  const warnings = fieldValidation(def, obj, p.validation, patch);
  // a patch that names a resourceVersion is conditional; otherwise it applies to whatever is current
  const patchRv = (patch as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
  obj.metadata.resourceVersion = ct === 'application/json-patch+json' ? obj.metadata.resourceVersion : (patchRv ?? old.metadata.resourceVersion);
  if (ct === 'application/json-patch+json' && obj.metadata.resourceVersion === old.metadata.resourceVersion) obj.metadata.resourceVersion = old.metadata.resourceVersion;
  const updated = updateObject(ctx, ri, obj, old, p, 'Update');
  await persistAndRespond(ctx, res, def, 200, updated, p.dryRun, warnings);
}

// ---------------------------------------------------------------------------------------------
// scale subresource: an autoscaling/v1 Scale view of spec.replicas

function toScale(def: ResourceDef, o: KObj): KObj {
  const spec = (o.spec ?? {}) as { replicas?: number; selector?: Parameters<typeof fromLabelSelectorObject>[0] };
  const status = (o.status ?? {}) as { replicas?: number };
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: formatLabelSelector(fromLabelSelectorObject(spec.selector)) },
  };
}

export async function handleScale(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  const def = ri.def;
  const old = ctx.store.get(def, ri.namespace, ri.name!);
  if (!old) throw notFound(def, ri.name!);
  const scale = toScale(def, old);
  if (method === 'GET') return sendJson(res, 200, scale);
  const p = writeParams(ri, req);
  const body = await readBody(req);
  const ct = mediaType(req);
  let next: KObj;
  if (method === 'PUT') next = decodeBody(body, ct) as KObj;
  else if (ct === 'application/json-patch+json') next = plugins.applyJsonPatch(cloneJson(scale), decodeBody(body, ct)) as KObj;
  else if (ct === 'application/merge-patch+json' || ct === 'application/strategic-merge-patch+json') next = plugins.applyMergePatch(cloneJson(scale), decodeBody(body, ct)) as KObj;
  else throw unsupportedMediaType(ct);
  const rv = next.metadata?.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion) throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${def.resource}.${def.group} "${ri.name}": the object has been modified; please apply your changes to the latest version and try again`, { name: ri.name, group: def.group, kind: def.resource });
  const replicas = (next.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', 'autoscaling', ri.name!, [{ type: 'FieldValueInvalid', field: 'spec.replicas', detail: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0` }]);
  }
  const obj = cloneJson(old);
  (obj.spec as { replicas?: number }).replicas = replicas;
  const sri: RequestInfo = { ...ri, subresource: 'scale' };
  const updated = updateObject(ctx, sri, obj, old, p, 'Update');
  if (!p.dryRun) await ctx.durable(ctx.store.rev);
  sendJson(res, 200, toScale(def, updated));
}

/** GET/PUT/PATCH on /status: the same object, but only its status may change. */
export async function handleStatus(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  if (method === 'GET') {
    const o = ctx.store.get(ri.def, ri.namespace, ri.name!);
    if (!o) throw notFound(ri.def, ri.name!);
    return sendObject(res, 200, withTypeMeta(ri.def, o));
  }
  if (method === 'PUT') return handleUpdate(ctx, ri, req, res);
  if (method === 'PATCH') return handlePatch(ctx, ri, req, res);
  throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export { createObject, updateObject };
