// Who is calling and what they may do: client certificates from the cluster CA, ServiceAccount
// bearer tokens, impersonation headers, and RBAC on every request. One per API server.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ApiContext, UserInfo } from '../api/context.js';
import { StatusError, unauthorized } from '../api/errors.js';
import type { KObj } from '../store/types.js';
import { forbiddenMessage, RbacAuthorizer, type Attributes, type Decision, type RbacSource } from './rbac.js';
import { API_AUDIENCES, loadSaKeys, verifyToken, type SaKeys, type TokenClaims } from './tokens.js';

export const AUTHENTICATED = 'system:authenticated';
export const CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';


export interface AuthMaterial {
  caCert: string;
  caKey?: string;
  saKey?: string;
}

/** The client certificate's CN is the user, its O entries the groups. */
export function certificateUser(sock: TLSSocket): UserInfo | undefined {
  if (!sock.authorized) return undefined;
  const cert = sock.getPeerCertificate?.();
  if (!cert?.subject) return undefined;
  const cn = cert.subject.CN;
  const o = cert.subject.O;
  const username = Array.isArray(cn) ? cn[0] : cn;
  if (!username) return undefined;
  const groups = (Array.isArray(o) ? o : o ? [o] : []).filter((g) => g !== AUTHENTICATED).concat(AUTHENTICATED);
  return { username, groups };
}

function storeSource(ctx: ApiContext): RbacSource {
  const def = (r: string) => ctx.registry.lookup('rbac.authorization.k8s.io', 'v1', r)!;
  return {
    clusterRoleBindings: () => ctx.store.list(def('clusterrolebindings')),
    roleBindings: (ns) => ctx.store.list(def('rolebindings'), ns),
    clusterRole: (n) => ctx.store.get(def('clusterroles'), undefined, n),
    clusterRoles: () => ctx.store.list(def('clusterroles')),
    role: (ns, n) => ctx.store.get(def('roles'), ns, n),
  };
}

const header = (req: IncomingMessage, name: string): string[] => {
  const v = req.headers[name.toLowerCase()];
  return v === undefined ? [] : Array.isArray(v) ? v : v.split(',').map((s) => s.trim());
};

export class AuthService {
  readonly rbac: RbacAuthorizer;
  readonly keys: SaKeys;
  // per connection: an HTTP/2 request's `socket` is a new proxy each time, so its session is the key
  private certUsers = new WeakMap<object, UserInfo | null>();

  constructor(
    private readonly ctx: ApiContext,
    readonly material: AuthMaterial,
  ) {
    this.rbac = new RbacAuthorizer(storeSource(ctx));
    this.keys = loadSaKeys(material.saKey);
  }

  /** The authenticated caller, undefined when anonymous; a bearer token that does not verify is a 401. */
  authenticate(req: IncomingMessage): UserInfo | undefined {
    const sock = req.socket as TLSSocket;
    const conn = (req as { stream?: { session?: object } }).stream?.session ?? sock;
    let cu = this.certUsers.get(conn);
    if (cu === undefined) {
      cu = certificateUser(sock) ?? null;
      this.certUsers.set(conn, cu);
    }
    // the x509 authenticator comes before tokens, as in kube-apiserver
    if (cu) return cu;
    const authz = req.headers.authorization;
    if (!authz) return undefined;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
    if (!m) return undefined;
    const user = this.tokenUser(m[1]!);
    if ('error' in user) throw unauthorized();
    return user;
  }

  /** TokenReview and bearer authentication share this. */
  tokenUser(token: string, audiences: string[] = API_AUDIENCES): (UserInfo & { audiences: string[] }) | { error: string } {
    const claims = verifyToken(this.keys, token, Math.floor(this.ctx.wall.now() / 1000), audiences);
    if ('error' in claims) return claims;
    const k = claims['kubernetes.io'];
    const sa = this.ctx.store.get(this.ctx.registry.lookup('', 'v1', 'serviceaccounts')!, k.namespace, k.serviceaccount.name);
    if (!sa || sa.metadata.uid !== k.serviceaccount.uid) return { error: `service account ${k.namespace}/${k.serviceaccount.name} has been deleted` };
    if (k.pod) {
      const pod = this.ctx.store.get(this.ctx.registry.lookup('', 'v1', 'pods')!, k.namespace, k.pod.name);
      if (!pod || pod.metadata.uid !== k.pod.uid) return { error: `pod ${k.namespace}/${k.pod.name} has been deleted` };
    }
    return { ...saUser(claims), audiences: claims.aud.filter((a) => audiences.includes(a)) };
  }

  check(a: Attributes): Decision {
    return this.rbac.authorize(a);
  }

  /** Throws the upstream 403 unless allowed. */
  authorize(a: Attributes): void {
    const d = this.rbac.authorize(a);
    if (d.allowed) return;
    const details = a.resourceRequest ? { name: a.name || undefined, group: a.apiGroup || undefined, kind: a.resource } : undefined;
    throw new StatusError(403, 'Forbidden', forbiddenMessage(a, d.reason), details);
  }

  /** Apply Impersonate-* headers: the caller must be allowed to `impersonate` each one. */
  impersonate(req: IncomingMessage, caller: UserInfo): UserInfo {
    const users = header(req, 'impersonate-user');
    const groups = header(req, 'impersonate-group');
    const uids = header(req, 'impersonate-uid');
    const extraHeaders = Object.keys(req.headers).filter((h) => h.startsWith('impersonate-extra-'));
    if (!users.length && !groups.length && !uids.length && !extraHeaders.length) return caller;
    if (!users.length) throw new StatusError(500, 'InternalError', `Internal error occurred: requested [${groups.map((g) => `{Group  ${g}  authentication.k8s.io/v1  }`).join(' ')}] without impersonating a user`);
    const username = users[0]!;
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
    const ask = (resource: string, name: string, namespace?: string, apiGroup = '') =>
      this.authorize({ user: caller, verb: 'impersonate', resourceRequest: true, apiGroup, resource, name, namespace });
    if (sa) ask('serviceaccounts', sa[2]!, sa[1]!);
    else ask('users', username);
    for (const g of groups) ask('groups', g);
    for (const u of uids) ask('uids', u, undefined, 'authentication.k8s.io');
    const extra: Record<string, string[]> = {};
    for (const h of extraHeaders) {
      const key = decodeURIComponent(h.slice('impersonate-extra-'.length));
      for (const v of header(req, h)) {
        ask('userextras', v, undefined, 'authentication.k8s.io');
        (extra[key] ??= []).push(v);
      }
    }
    const out: string[] = [...groups];
    if (sa && !groups.length) out.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
    if (username === 'system:anonymous') {
      if (!out.includes('system:unauthenticated')) out.push('system:unauthenticated');
    } else if (!out.includes(AUTHENTICATED)) out.push(AUTHENTICATED);
    const user: UserInfo = { username, groups: out };
    if (uids[0]) user.uid = uids[0];
    if (Object.keys(extra).length) user.extra = extra;
    return user;
  }

  serviceAccount(namespace: string, name: string): KObj | undefined {
    return this.ctx.store.get(this.ctx.registry.lookup('', 'v1', 'serviceaccounts')!, namespace, name);
  }
}

function saUser(c: TokenClaims): UserInfo {
  const k = c['kubernetes.io'];
  const extra: Record<string, string[]> = { [CREDENTIAL_ID]: [`JTI=${c.jti}`] };
  if (k.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
  }
  return {
    username: c.sub,
    uid: k.serviceaccount.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`, AUTHENTICATED],
    extra,
  };
}
