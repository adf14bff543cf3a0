// The Kubernetes-compatible HTTPS API server: authentication by client certificate, routing of
// the REST paths kubectl uses, discovery, OpenAPI and health endpoints.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as http2 from 'node:http2';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ApiContext, RequestInfo, UserInfo } from './context.js';
import { aggregatedApis, aggregatedCore, AGGREGATED_CT, legacyApiGroup, legacyApiGroupList, legacyApiVersions, legacyResourceList } from './discovery.js';
import { methodNotAllowed, notFoundPath, StatusError, unauthorized } from './errors.js';
import { sendError, sendJson, sendText } from './http.js';
import * as plugins from './plugins.js';
import { handleDelete, handleDeleteCollection, handleGet, handleList } from './rest.js';
import { handleReview } from './reviews.js';
import { handleLog } from './logs.js';
import { handleBinding } from './binding.js';
import { handleEviction } from './eviction.js';
import { installStreams } from './streams.js';
import { handleSim } from '../sim/http.js';
import { handleMetrics } from '../metrics/metrics.js';
import { handleCustomScale } from '../crd/scale.js';
import { nonResourceAttributes, resourceAttributes } from '../auth/attributes.js';
import { ensureDefaultRbac } from '../auth/defaults.js';
import { handleApproval, handleTokenRequest, startCsrSigner } from '../auth/handlers.js';
import { AuthService, certificateUser } from '../auth/service.js';
import { handleCreate, handlePatch, handleScale, handleStatus, handleUpdate } from './write.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export interface TlsMaterial {
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** signs approved CSRs; without it CSRs are never issued */
  caKey?: string;
  /** service-account token key; an ephemeral one when absent */
  saKey?: string;
}

// what the upgrade listener decided for a streaming request (exec/attach/port-forward)
const upgradeIdentities = new WeakMap<IncomingMessage, UserInfo | StatusError>();

/**
 * Who is calling. Streaming upgrades are authenticated, impersonated and authorized before their
 * handler runs; this hands that handler the outcome (throwing the 401/403 it should send).
 */
export function authenticate(req: IncomingMessage): UserInfo | undefined {
  const known = upgradeIdentities.get(req);
  if (known instanceof StatusError) throw known;
  if (known) return known;
  return certificateUser(req.socket as TLSSocket);
}

// kubeadm clusters let anyone read these (the system:public-info-viewer role)
const PUBLIC_PATHS = new Set(['/version', '/version/', '/healthz', '/livez', '/readyz']);

/** The API server, and a way to drop every connection when the cluster stops. */
export interface ApiServer {
  server: http2.Http2SecureServer;
  closeAllConnections(): void;
}

export function createApiServer(ctx: ApiContext, tls: TlsMaterial): ApiServer {
  const auth = (ctx.auth ??= new AuthService(ctx, tls));
  ensureDefaultRbac(ctx);
  const stopSigner = startCsrSigner(ctx, tls.caCert, tls.caKey, (m) => console.error(`kubelab: ${m}`));
  // HTTP/2 as kube-apiserver offers it (ALPN h2): kubectl and client-go multiplex their requests
  // on one connection. Clients that offer no ALPN (Node's https, streaming upgrades) get HTTP/1.1.
  const server = http2.createSecureServer(
    { key: tls.serverKey, cert: tls.serverCert, ca: tls.caCert, requestCert: true, rejectUnauthorized: false, allowHTTP1: true },
    (h2req, h2res) => {
      // the compatibility API mirrors node:http's; the handlers are written against that
      const req = h2req as unknown as IncomingMessage;
      const res = h2res as unknown as ServerResponse;
      route(ctx, auth, req, res).catch((e) => {
        if (!(e instanceof StatusError)) console.error('kubelab: request failed:', req.method, req.url, e);
        sendError(res, e);
      });
    },
  );
  const sockets = new Set<Socket>();
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('close', stopSigner);
  // runs before the stream handlers' own listener (see authenticate)
  server.prependListener('upgrade', (req: IncomingMessage) => {
    try {
      upgradeIdentities.set(req, authorizeUpgrade(auth, req));
    } catch (e) {
      upgradeIdentities.set(req, e instanceof StatusError ? e : unauthorized());
    }
  });
  installStreams(server, ctx);
  return { server, closeAllConnections: () => sockets.forEach((s) => s.destroy()) };
}

/** A streaming request's caller, after impersonation and the `create pods/<verb>` check. */
function authorizeUpgrade(auth: AuthService, req: IncomingMessage): UserInfo {
  const caller = auth.authenticate(req);
  if (!caller) throw unauthorized();
  const user = auth.impersonate(req, caller);
  const url = new URL(req.url ?? '/', 'https://localhost');
  const m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(attach|exec|portforward)$/);
  if (m) {
    // websocket upgrades arrive as GET; the apiserver also requires `create` on the subresource
    auth.authorize(resourceAttributes(user, 'POST', { group: '', version: 'v1', resource: 'pods', namespace: decodeURIComponent(m[1]!), name: decodeURIComponent(m[2]!), subresource: m[3], watch: false }));
  } else auth.authorize(nonResourceAttributes(user, req.method ?? 'GET', url.pathname));
  return user;
}

async function route(ctx: ApiContext, auth: AuthService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const caller = auth.authenticate(req);
  if (!caller && !PUBLIC_PATHS.has(url.pathname)) throw unauthorized();
  if (process.env.KUBELAB_LOG_REQUESTS) console.error(`${req.method} ${req.url} ct=${req.headers['content-type'] ?? ''} accept=${req.headers.accept ?? ''}`);
  const method = req.method ?? 'GET';
  const user = caller ? auth.impersonate(req, caller) : undefined;
  return serve(ctx, auth, req, res, url, path, method, user);
}

async function serve(ctx: ApiContext, auth: AuthService, req: IncomingMessage, res: ServerResponse, url: URL, path: string, method: string, user: UserInfo | undefined): Promise<void> {
  // paths that name no resource (discovery, openapi, health, the simulator) are non-resource requests
  const resourcePath = /^\/api\/[^/]+\/.+/.test(path) || /^\/apis\/[^/]+\/[^/]+\/.+/.test(path);
  if (user && !resourcePath) auth.authorize(nonResourceAttributes(user, method, url.pathname));

  if (path === '/version') return sendJson(res, 200, SERVER_VERSION);
  if (path.startsWith('/kubelab/')) return handleSim(ctx.sim, path, req, res);
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return health(url, path, res);
  if (path === '/api' || path === '/apis') {
    const aggregated = /as=APIGroupDiscoveryList/.test(req.headers.accept ?? '') && /v=v2(?![a-z0-9])/.test(req.headers.accept ?? '');
    if (aggregated) return sendJson(res, 200, path === '/api' ? aggregatedCore(ctx.registry.defs) : aggregatedApis(ctx.registry.defs), AGGREGATED_CT);
    return sendJson(res, 200, path === '/api' ? legacyApiVersions(ctx.serverAddress) : legacyApiGroupList(ctx.registry.defs));
  }
  if (path === '/openapi/v2') {
    // kubectl asks for v2 only as protobuf, and only after v3 did not describe a kind (a typo'd or
    // not-yet-installed kind). An empty document tells it "nothing here" so it goes on to report
    // the kind as unknown, as it does against a real cluster; everything else uses v3.
    res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': 0 });
    return void res.end();
  }
  if (path === '/openapi/v3') return sendJson(res, 200, plugins.openapiIndex(ctx.registry.defs));
  if (path.startsWith('/openapi/v3/')) {
    const doc = plugins.openapiDocument(ctx.registry.defs, path.slice('/openapi/v3/'.length));
    if (!doc) throw notFoundPath();
    return sendJson(res, 200, doc, 'application/json', { 'Cache-Control': 'public, immutable', Etag: `"${url.searchParams.get('hash') ?? ''}"` });
  }

  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 2) {
    group = parts[1]!;
    if (parts.length === 2) {
      const g = legacyApiGroup(ctx.registry.defs, group);
      if (!g) throw notFoundPath();
      return sendJson(res, 200, g);
    }
    version = parts[2]!;
    rest = parts.slice(3);
  } else throw notFoundPath();

  if (!ctx.registry.hasGroupVersion(group, version)) throw notFoundPath();
  if (!rest.length) return sendJson(res, 200, legacyResourceList(ctx.registry.defs, group, version));

  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && ctx.registry.lookup(group, version, rest[2]!)?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const def = ctx.registry.lookup(group, version, rest[0]!);
  if (!def) throw notFoundPath();
  if (def.namespaced === false && namespace !== undefined) throw notFoundPath();
  const name = rest[1];
  const subresource = rest[2];
  if (rest.length > 3) throw notFoundPath();
  const query = url.searchParams;
  if (watchPrefix) query.set('watch', 'true');
  const ri: RequestInfo = { def, namespace, name, subresource, query, user: user! };
  auth.authorize(
    resourceAttributes(ri.user, method, { group, version, resource: def.resource, namespace, name, subresource, watch: query.get('watch') === 'true' || query.get('watch') === '1', fieldSelector: query.get('fieldSelector') }),
  );

  if (def.computed) return handleMetrics(ctx, ri, req, res, method);
  if (def.virtual) {
    if (method !== 'POST' || name) throw methodNotAllowed();
    return handleReview(ctx, ri, req, res);
  }

  if (subresource) {
    const sub = def.subresources.find((s) => s.name === subresource);
    if (!sub) throw notFoundPath();
    if (subresource === 'status') return handleStatus(ctx, ri, req, res, method);
    if (subresource === 'scale') return def.custom ? handleCustomScale(ctx, ri, req, res, method) : handleScale(ctx, ri, req, res, method);
    if (subresource === 'log' && method === 'GET') return handleLog(ctx, ri, req, res);
    if (subresource === 'binding' && method === 'POST') return handleBinding(ctx, ri, req, res);
    if (subresource === 'eviction' && method === 'POST') return handleEviction(ctx, ri, req, res);
    if (subresource === 'token' && method === 'POST') return handleTokenRequest(ctx, auth, ri, req, res);
    if (subresource === 'approval') return handleApproval(ctx, ri, req, res, method);
    if (subresource === 'finalize' && method === 'PUT') return handleUpdate(ctx, { ...ri, subresource: 'finalize' }, req, res);
    throw notFoundPath();
  }

  if (!name) {
    switch (method) {
      case 'GET':
        return handleList(ctx, ri, req, res);
      case 'POST':
        return handleCreate(ctx, ri, req, res);
      case 'DELETE':
        if (!def.verbs.includes('deletecollection')) throw methodNotAllowed();
        return handleDeleteCollection(ctx, ri, req, res);
      default:
        throw methodNotAllowed();
    }
  }
  switch (method) {
    case 'GET':
      return ri.query.get('watch') === 'true' ? handleList(ctx, withNameSelector(ri), req, res) : handleGet(ctx, ri, req, res);
    case 'PUT':
      return handleUpdate(ctx, ri, req, res);
    case 'PATCH':
      // custom resources have no patch strategies: strategic merge patch is refused as upstream
      if (def.custom && /^application\/strategic-merge-patch\+json/.test(req.headers['content-type'] ?? '')) {
        throw new StatusError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
      }
      return handlePatch(ctx, ri, req, res);
    case 'DELETE':
      return handleDelete(ctx, ri, req, res);
    default:
      throw methodNotAllowed();
  }
}

/** A watch on /watch/pods/x is a watch on pods with metadata.name=x. */
function withNameSelector(ri: RequestInfo): RequestInfo {
  const q = new URLSearchParams(ri.query);
  const fs = q.get('fieldSelector');
  q.set('fieldSelector', `metadata.name=${ri.name}${fs ? `,${fs}` : ''}`);
  return { ...ri, query: q, name: undefined };
}

const CHECKS: Record<string, string[]> = {
  '/livez': ['ping', 'log', 'etcd', 'poststarthook/start-apiserver-admission-initializer', 'poststarthook/generic-apiserver-start-informers', 'poststarthook/start-kube-apiserver-admission-initializer'],
  '/readyz': ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync', 'poststarthook/start-apiserver-admission-initializer', 'poststarthook/generic-apiserver-start-informers', 'shutdown'],
  '/healthz': ['ping', 'log', 'etcd', 'poststarthook/start-apiserver-admission-initializer', 'poststarthook/generic-apiserver-start-informers'],
};

function health(url: URL, path: string, res: ServerResponse): void {
  if (!url.searchParams.has('verbose')) return sendText(res, 200, 'ok');
  const lines = CHECKS[path]!.map((c) => `[+]${c} ok`);
  sendText(res, 200, `${lines.join('\n')}\n${path.slice(1)} check passed\n`);
}
