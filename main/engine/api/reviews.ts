// Create-only review kinds that answer questions instead of storing anything, from real RBAC:
// SelfSubjectAccessReview / SelfSubjectRulesReview (`kubectl auth can-i [--list]`), SelfSubjectReview
// (`kubectl auth whoami`), SubjectAccessReview / LocalSubjectAccessReview and TokenReview.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Attributes } from '../auth/rbac.js';
import { decodeBody, mediaType, readBody } from './body.js';
import type { ApiContext, RequestInfo, UserInfo } from './context.js';
import { badRequest, StatusError } from './errors.js';
import { sendJson } from './http.js';
import { groupVersion } from './registry.js';

type Json = Record<string, unknown>;

/** system:masters may do everything (kept for callers without an AuthService). */
export function allows(user: UserInfo): boolean {
  return user.groups.includes('system:masters');
}

function attributesOf(user: UserInfo, spec: Json): Attributes {
  const ra = spec.resourceAttributes as Json | undefined;
  if (ra) {
    return {
      user,
      verb: String(ra.verb ?? ''),
      resourceRequest: true,
      apiGroup: String(ra.group ?? ''),
      apiVersion: String(ra.version ?? ''),
      resource: String(ra.resource ?? ''),
      subresource: ra.subresource ? String(ra.subresource) : undefined,
      namespace: ra.namespace ? String(ra.namespace) : undefined,
      name: ra.name ? String(ra.name) : undefined,
    };
  }
  const nra = (spec.nonResourceAttributes ?? {}) as Json;
  return { user, verb: String(nra.verb ?? ''), resourceRequest: false, path: String(nra.path ?? '') };
}

function accessStatus(ctx: ApiContext, a: Attributes): Json {
  if (!ctx.auth) return { allowed: allows(a.user) };
  const d = ctx.auth.check(a);
  if (d.allowed) return { allowed: true };
  return d.reason ? { allowed: false, reason: d.reason } : { allowed: false };
}

function invalidReview(kind: string, detail: string, field: string): StatusError {
  return new StatusError(422, 'Invalid', `${kind}.authorization.k8s.io "" is invalid: ${field}: ${detail}`, {
    group: 'authorization.k8s.io',
    kind,
    causes: [{ reason: 'FieldValueInvalid', message: detail, field }],
  });
}

export async function handleReview(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = decodeBody(await readBody(req), mediaType(req)) as Json | null;
  if (!body || typeof body !== 'object') throw badRequest('the body of the request was in an unknown format');
  const out: Json = { kind: ri.def.kind, apiVersion: groupVersion(ri.def), metadata: { creationTimestamp: null } };
  const spec = (body.spec ?? {}) as Json;
  switch (ri.def.kind) {
    case 'SelfSubjectAccessReview': {
      if (!spec.resourceAttributes && !spec.nonResourceAttributes) throw invalidReview('SelfSubjectAccessReview', 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified', 'spec.resourceAttributes');
      out.spec = spec;
      out.status = accessStatus(ctx, attributesOf(ri.user, spec));
      break;
    }
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview': {
      const user: UserInfo = { username: String(spec.user ?? ''), groups: Array.isArray(spec.groups) ? (spec.groups as string[]) : [] };
      if (spec.uid) user.uid = String(spec.uid);
      if (!user.username && !user.groups.length) throw invalidReview(ri.def.kind, 'Required value: at least one of user or group must be specified', 'spec.user');
      if (ri.def.kind === 'LocalSubjectAccessReview') {
        const ra = spec.resourceAttributes as Json | undefined;
        if (!ra || (ra.namespace ?? '') !== ri.namespace) {
          throw new StatusError(400, 'BadRequest', `spec.resourceAttributes.namespace must match namespace: ${ri.namespace}`);
        }
        out.metadata = { namespace: ri.namespace, creationTimestamp: null };
      }
      out.spec = spec;
      out.status = accessStatus(ctx, attributesOf(user, spec));
      break;
    }
    case 'SelfSubjectRulesReview': {
      out.spec = spec;
      const ns = String(spec.namespace ?? '');
      if (!ctx.auth) {
        out.status = { resourceRules: [], nonResourceRules: [], incomplete: false };
        break;
      }
      const r = ctx.auth.rbac.rulesFor(ri.user, ns);
      const status: Json = { resourceRules: r.resourceRules, nonResourceRules: r.nonResourceRules, incomplete: r.errors.length > 0 };
      if (r.errors.length) status.evaluationError = r.errors.length === 1 ? r.errors[0] : `[${r.errors.join(', ')}]`;
      out.status = status;
      break;
    }
    case 'SelfSubjectReview': {
      out.status = { userInfo: userInfoJson(ri.user) };
      break;
    }
    case 'TokenReview': {
      const token = String(spec.token ?? '');
      out.spec = spec;
      const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? (spec.audiences as string[]) : undefined;
      const u = ctx.auth?.tokenUser(token, audiences);
      if (!u || 'error' in u) out.status = { user: {}, error: u && 'error' in u ? `[invalid bearer token, ${u.error}]` : 'invalid bearer token' };
      else out.status = { authenticated: true, user: userInfoJson(u), audiences: u.audiences };
      break;
    }
  }
  sendJson(res, 201, out);
}

function userInfoJson(u: UserInfo): Json {
  const j: Json = { username: u.username };
  if (u.uid) j.uid = u.uid;
  j.groups = u.groups;
  if (u.extra && Object.keys(u.extra).length) j.extra = u.extra;
  return j;
}
