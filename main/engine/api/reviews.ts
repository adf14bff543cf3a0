// Create-only review kinds that answer questions about the caller instead of storing anything:
// `kubectl auth can-i` (SelfSubjectAccessReview / SelfSubjectRulesReview) and `kubectl auth whoami`.
// Authorization today is "system:masters may do everything"; RBAC replaces `allows` later.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeBody, mediaType, readBody } from './body.js';
import type { ApiContext, RequestInfo, UserInfo } from './context.js';
import { badRequest } from './errors.js';
import { sendJson } from './http.js';
import { groupVersion } from './registry.js';

export function allows(user: UserInfo): boolean {
  return user.groups.includes('system:masters');
}

export async function handleReview(_ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = decodeBody(await readBody(req), mediaType(req)) as Record<string, unknown> | null;
  if (!body || typeof body !== 'object') throw badRequest('the body of the request was in an unknown format');
  const out: Record<string, unknown> = {
    kind: ri.def.kind,
    apiVersion: groupVersion(ri.def),
    metadata: { creationTimestamp: null },
  };
  const admin = allows(ri.user);
  switch (ri.def.kind) {
    case 'SelfSubjectAccessReview': {
      out.spec = body.spec ?? {};
      out.status = admin ? { allowed: true } : { allowed: false };
      break;
    }
    case 'SelfSubjectRulesReview': {
      out.spec = body.spec ?? {};
      out.status = admin
        ? {
            resourceRules: [
              { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
              { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
              { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
            ],
            nonResourceRules: [
              { verbs: ['*'], nonResourceURLs: ['*'] },
              { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
            ],
            incomplete: false,
          }
        : { resourceRules: [], nonResourceRules: [], incomplete: false };
      break;
    }
    case 'SelfSubjectReview': {
      const userInfo: Record<string, unknown> = { username: ri.user.username, groups: ri.user.groups };
      if (ri.user.uid) userInfo.uid = ri.user.uid;
      out.status = { userInfo };
      break;
    }
  }
  sendJson(res, 201, out);
}
