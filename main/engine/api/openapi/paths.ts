// The `paths` section of a group-version document: one entry per REST path of each resource, shaped
// like the real apiserver's so kubectl finds what it looks for:
//  - cli-runtime's query_param_verifier_v3 takes the first PATCH op carrying the kind's
//    x-kubernetes-group-version-kind and requires a `fieldValidation` parameter on it (so every
//    PATCH of that kind, status included, must list it);
//  - apply's gvkSupportsPatchOpenAPIV3 needs `application/strategic-merge-patch+json` among the
//    PATCH request body media types;
//  - explain finds the GVK from the list/get paths of the resource.

import type { ResourceDef, SubresourceDef } from '../registry.js';
import type { Gvk, JsonSchema } from './schemas.js';

type Op = Record<string, unknown>;
type PathItem = Record<string, unknown>;

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';

const q = (name: string, description: string, type: 'string' | 'boolean' | 'integer' = 'string'): Op => ({
  description,
  in: 'query',
  name,
  schema: { type, uniqueItems: true },
});

// Parameter descriptions are our own summaries of the upstream meanings.
const P = {
  pretty: q('pretty', "If 'true', the output is pretty printed."),
  dryRun: q('dryRun', 'When present, the request is validated and processed but not persisted. Valid value: All.'),
  fieldManager: q('fieldManager', 'The name of the actor making the change, recorded in managedFields.'),
  fieldValidation: q(
    'fieldValidation',
    'How to treat unknown or duplicate fields in the request body: Ignore (drop them silently), Warn (drop them and return a warning), or Strict (reject the request).',
  ),
  force: q('force', 'Apply requests only: take ownership of fields that conflict with other managers.', 'boolean'),
  allowWatchBookmarks: q('allowWatchBookmarks', 'Ask for BOOKMARK watch events.', 'boolean'),
  continue: q('continue', 'Continue token from a previous paged list.'),
  fieldSelector: q('fieldSelector', 'Restrict results to objects whose fields match this selector.'),
  labelSelector: q('labelSelector', 'Restrict results to objects whose labels match this selector.'),
  limit: q('limit', 'Maximum number of items to return in one page.', 'integer'),
  resourceVersion: q('resourceVersion', 'The resource version the result must be at least as fresh as.'),
  resourceVersionMatch: q('resourceVersionMatch', 'How resourceVersion is applied to list calls.'),
  sendInitialEvents: q('sendInitialEvents', 'With watch: start with synthetic ADDED events for existing objects.', 'boolean'),
  timeoutSeconds: q('timeoutSeconds', 'Timeout for list and watch calls.', 'integer'),
  watch: q('watch', 'Watch for changes instead of listing.', 'boolean'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'Seconds before the object is deleted; 0 deletes immediately.', 'integer'),
  ignoreStoreReadError: q(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'Delete an object that cannot be read from storage. Unsafe.',
    'boolean',
  ),
  orphanDependents: q('orphanDependents', 'Deprecated: use propagationPolicy.', 'boolean'),
  propagationPolicy: q('propagationPolicy', 'Garbage collection of dependents: Orphan, Background or Foreground.'),
};
const LIST = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const WRITE = [P.dryRun, P.fieldManager, P.fieldValidation];
const DELETE = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy];

const pathParam = (name: string, description: string): Op => ({ description, in: 'path', name, required: true, schema: { type: 'string', uniqueItems: true } });
const NAME = (kind: string): Op => pathParam('name', `name of the ${kind}`);
const NAMESPACE = pathParam('namespace', 'object name and auth scope, such as for teams and projects');

const content = (schema: JsonSchema, types: string[]): Op => Object.fromEntries(types.map((t) => [t, { schema }]));
const OUT_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const LIST_TYPES = [...OUT_TYPES, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
const resp = (schema: JsonSchema, codes: string[], types = OUT_TYPES): Op => {
  const r: Op = {};
  const words: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
  for (const c of codes) r[c] = { content: content(schema, types), description: words[c] };
  r['401'] = { description: 'Unauthorized' };
  return r;
};

/** Operation-id piece for a group, as upstream spells it: '' → Core, 'rbac.authorization.k8s.io' → RbacAuthorization. */
export function groupWord(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

export function tag(group: string, version: string): string {
  const w = groupWord(group);
  return `${w.charAt(0).toLowerCase()}${w.slice(1)}_${version}`;
}

export function schemaRefForKind(schemaOf: (gvk: Gvk) => string | undefined, gvk: Gvk): JsonSchema {
  const name = schemaOf(gvk);
  return name ? ref(name) : { type: 'object' };
}

interface Ctx {
  d: ResourceDef;
  gvk: Gvk;
  body: JsonSchema;
  opBase: string; // e.g. 'CoreV1NamespacedPod'
}

function op(ctx: Ctx, action: string, verb: string, description: string, rest: Op): Op {
  return {
    description,
    operationId: `${verb}${ctx.opBase}`,
    ...rest,
    tags: [tag(ctx.d.group, ctx.d.version)],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: ctx.gvk.group, kind: ctx.gvk.kind, version: ctx.gvk.version },
  };
}

function objectOps(ctx: Ctx, what: string, verbs: string[]): PathItem {
  const item: PathItem = {};
  if (verbs.includes('get')) item.get = op(ctx, 'get', 'read', `read ${what}`, { responses: resp(ctx.body, ['200']) });
  if (verbs.includes('update')) {
    item.put = op(ctx, 'put', 'replace', `replace ${what}`, {
      parameters: WRITE,
      requestBody: { content: content(ctx.body, ['*/*']), required: true },
      responses: resp(ctx.body, ['200', '201']),
    });
  }
  if (verbs.includes('patch')) {
    item.patch = op(ctx, 'patch', 'patch', `partially update ${what}`, {
      parameters: [...WRITE, P.force],
      requestBody: {
        // custom resources take no strategic merge patch: without it here kubectl uses merge patch
        content: content(
          ref(PATCH),
          ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].filter(
            (t) => !ctx.d.custom || !t.includes('strategic'),
          ),
        ),
        required: true,
      },
      responses: resp(ctx.body, ['200', '201']),
    });
  }
  return item;
}

/** Every path of one resource (and its status/scale subresources), keyed by URL template. */
export function resourcePaths(d: ResourceDef, schemaOf: (gvk: Gvk) => string | undefined): Record<string, PathItem> {
  const prefix = d.group ? `/apis/${d.group}/${d.version}` : `/api/${d.version}`;
  const scope = d.namespaced ? `${prefix}/namespaces/{namespace}` : prefix;
  const gvk: Gvk = { group: d.group, version: d.version, kind: d.kind };
  const body = schemaRefForKind(schemaOf, gvk);
  const ns = d.namespaced ? 'Namespaced' : '';
  const base = `${groupWord(d.group)}${d.version.charAt(0).toUpperCase()}${d.version.slice(1)}`;
  const ctx: Ctx = { d, gvk, body, opBase: `${base}${ns}${d.kind}` };
  const scopeParams = d.namespaced ? [NAMESPACE] : [];
  const out: Record<string, PathItem> = {};

  const coll: PathItem = {};
  if (d.verbs.includes('list')) {
    const listBody = schemaRefForKind(schemaOf, { ...gvk, kind: d.listKind });
    coll.get = op(ctx, 'list', 'list', `list or watch objects of kind ${d.kind}`, { parameters: LIST, responses: resp(listBody, ['200'], LIST_TYPES) });
  }
  if (d.verbs.includes('create')) {
    coll.post = op(ctx, 'post', 'create', `create a ${d.kind}`, {
      parameters: WRITE,
      requestBody: { content: content(body, ['*/*']), required: true },
      responses: resp(body, ['200', '201', '202']),
    });
  }
  if (d.verbs.includes('deletecollection')) {
    coll.delete = op(ctx, 'deletecollection', 'deletecollection', `delete collection of ${d.kind}`, {
      parameters: [...DELETE, ...LIST.filter((p) => p !== P.watch && p !== P.allowWatchBookmarks)],
      requestBody: { content: content(ref(DELETE_OPTIONS), ['*/*']) },
      responses: resp(ref(STATUS), ['200']),
    });
  }
  if (Object.keys(coll).length) out[`${scope}/${d.resource}`] = { ...coll, parameters: [...scopeParams, P.pretty] };

  if (!d.virtual) {
    const obj = objectOps(ctx, `the specified ${d.kind}`, d.verbs);
    if (d.verbs.includes('delete')) {
      obj.delete = op(ctx, 'delete', 'delete', `delete a ${d.kind}`, {
        parameters: DELETE,
        requestBody: { content: content(ref(DELETE_OPTIONS), ['*/*']) },
        responses: resp(ref(STATUS), ['200', '202']),
      });
    }
    if (Object.keys(obj).length) out[`${scope}/${d.resource}/{name}`] = { ...obj, parameters: [NAME(d.kind), ...scopeParams, P.pretty] };
  }

  if (d.namespaced && d.verbs.includes('list')) {
    const listBody = schemaRefForKind(schemaOf, { ...gvk, kind: d.listKind });
    const allCtx = { ...ctx, opBase: `${base}${d.kind}ForAllNamespaces` };
    out[`${prefix}/${d.resource}`] = {
      get: op(allCtx, 'list', 'list', `list or watch objects of kind ${d.kind}`, { responses: resp(listBody, ['200'], LIST_TYPES) }),
      parameters: [...LIST, P.pretty],
    };
  }

  for (const sub of d.subresources) {
    if (sub.name !== 'status' && sub.name !== 'scale') continue;
    out[`${scope}/${d.resource}/{name}/${sub.name}`] = subresourcePath(ctx, sub, schemaOf, scopeParams);
  }
  return out;
}

function subresourcePath(parent: Ctx, sub: SubresourceDef, schemaOf: (gvk: Gvk) => string | undefined, scopeParams: Op[]): PathItem {
  const gvk: Gvk = { group: sub.group, version: sub.version, kind: sub.kind };
  const word = sub.name === 'status' ? 'Status' : 'Scale';
  const ctx: Ctx = { ...parent, gvk, body: schemaRefForKind(schemaOf, gvk), opBase: `${parent.opBase}${word}` };
  const what = `${sub.name} of the specified ${parent.d.kind}`;
  return { ...objectOps(ctx, what, sub.verbs), parameters: [NAME(sub.kind === 'Scale' ? 'Scale' : parent.d.kind), ...scopeParams, P.pretty] };
}
