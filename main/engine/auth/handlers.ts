// The identity subresources: serviceaccounts/token (TokenRequest, `kubectl create token`) and
// certificatesigningrequests/approval (`kubectl certificate approve|deny`), plus the signer that
// issues certificates for approved kube-apiserver-client requests with the cluster CA.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isoTime } from '../clock.js';
import { decodeBody, mediaType, readBody } from '../api/body.js';
import type { ApiContext, RequestInfo } from '../api/context.js';
import { badRequest, invalid, notFound } from '../api/errors.js';
import { sendJson } from '../api/http.js';
import * as plugins from '../api/plugins.js';
import { csrUpdateErrors } from '../api/validation/rbac.js';
import { signCsr } from '../pki/csr.js';
import type { KObj } from '../store/types.js';
import type { AuthService } from './service.js';
import { issueToken } from './tokens.js';
import { cloneJson } from '../store/json.js';

type Json = Record<string, unknown>;

export async function handleTokenRequest(ctx: ApiContext, auth: AuthService, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = (decodeBody(await readBody(req), mediaType(req)) ?? {}) as Json;
  const sa = ctx.store.get(ri.def, ri.namespace, ri.name!);
  if (!sa) throw notFound(ri.def, ri.name!);
  const spec = { ...((body.spec ?? {}) as Json) };
  const exp = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : 3600;
  if (exp < 600) throw invalid('TokenRequest', 'authentication.k8s.io', ri.name!, [{ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', detail: `Invalid value: ${exp}: may not specify a duration less than 10 minutes` }]);
  if (exp > 2 ** 32) throw invalid('TokenRequest', 'authentication.k8s.io', ri.name!, [{ type: 'FieldValueTooLong', field: 'spec.expirationSeconds', detail: `Invalid value: ${exp}: may not specify a duration larger than 2^32 seconds` }]);
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? (spec.audiences as string[]) : undefined;
  let bound: { kind: 'Pod' | 'Secret' | 'Node'; name: string; uid: string } | undefined;
  const ref = spec.boundObjectRef as { kind?: string; name?: string; uid?: string } | undefined;
  if (ref?.kind) {
    const resource = ref.kind === 'Pod' ? 'pods' : ref.kind === 'Secret' ? 'secrets' : ref.kind === 'Node' ? 'nodes' : '';
    if (!resource) throw badRequest(`cannot bind token for serviceaccount "${ri.name}" to object of kind "${ref.kind}"`);
    const def = ctx.registry.lookup('', 'v1', resource)!;
    const target = ctx.store.get(def, def.namespaced ? ri.namespace : undefined, ref.name ?? '');
    if (!target) throw notFound(def, ref.name ?? '');
    bound = { kind: ref.kind as 'Pod', name: ref.name ?? '', uid: target.metadata.uid ?? '' };
  }
  const now = Math.floor(ctx.wall.now() / 1000);
  const { token, claims } = issueToken(auth.keys, { namespace: ri.namespace!, name: ri.name!, uid: sa.metadata.uid ?? '', audiences, expirationSeconds: exp, now, jti: randomUUID(), bound });
  sendJson(res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: ri.name, namespace: ri.namespace, creationTimestamp: null },
    spec: { audiences: claims.aud, expirationSeconds: exp, boundObjectRef: ref?.kind ? ref : null },
    status: { token, expirationTimestamp: isoTime(claims.exp * 1000) },
  });
}

/** Fill in condition timestamps the client left out (the approval and status strategies do). */
function stampConditions(o: KObj, old: KObj, now: string): void {
  const prev = ((old.status as Json | undefined)?.conditions ?? []) as Json[];
  for (const c of ((o.status as Json | undefined)?.conditions ?? []) as Json[]) {
    if (!c.lastUpdateTime) c.lastUpdateTime = now;
    if (!c.lastTransitionTime) {
      const p = prev.find((x) => x.type === c.type && x.status === c.status);
      c.lastTransitionTime = (p?.lastTransitionTime as string | undefined) ?? now;
    }
  }
}

export async function handleApproval(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  const def = ri.def;
  const old = ctx.store.get(def, undefined, ri.name!);
  if (!old) throw notFound(def, ri.name!);
  if (method === 'GET') return sendJson(res, 200, { ...old, apiVersion: 'certificates.k8s.io/v1', kind: def.kind });
  if (method !== 'PUT') throw badRequest('the approval subresource is updated with PUT');
  const body = (decodeBody(await readBody(req), mediaType(req)) ?? {}) as KObj;
  const rv = body.metadata?.resourceVersion;
  const next = cloneJson(old);
  // only the conditions come from the request; spec, meta and the certificate stay as stored
  next.status = { ...((old.status ?? {}) as Json), conditions: cloneJson(((body.status as Json | undefined)?.conditions ?? []) as unknown[]) };
  if (rv) next.metadata.resourceVersion = rv;
  stampConditions(next, old, isoTime(ctx.clock.now()));
  const errs = csrUpdateErrors(next, old, 'approval');
  if (errs.length) throw invalid(def.kind, def.group, ri.name!, errs);
  const dryRun = ri.query.getAll('dryRun').includes('All');
  plugins.updateManagedFields(old, next, ri.query.get('fieldManager') ?? 'kubectl', 'Update', 'certificates.k8s.io/v1', isoTime(ctx.clock.now()), def, 'approval');
  const updated = ctx.store.update(def, next, { dryRun });
  if (!dryRun) await ctx.durable(ctx.store.rev);
  sendJson(res, 200, { ...updated, apiVersion: 'certificates.k8s.io/v1', kind: def.kind });
}

const CLIENT_SIGNERS = ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet'];
const MAX_SECONDS = 365 * 24 * 3600;

/**
 * kube-controller-manager's csrsigning controller: an Approved request for a client signer gets a
 * certificate, a request the signer cannot honour gets a Failed condition. Returns a stop function.
 */
export function startCsrSigner(ctx: ApiContext, caCert: string, caKey: string | undefined, log: (m: string) => void = () => undefined): () => void {
  const def = ctx.registry.lookup('certificates.k8s.io', 'v1', 'certificatesigningrequests');
  if (!def || !caKey) return () => undefined;
  const busy = new Set<string>();
  const consider = (o: KObj) => {
    const st = (o.status ?? {}) as Json;
    const conds = (st.conditions ?? []) as Json[];
    const spec = (o.spec ?? {}) as Json;
    if (st.certificate || !conds.some((c) => c.type === 'Approved') || conds.some((c) => c.type === 'Denied' || c.type === 'Failed')) return;
    if (!CLIENT_SIGNERS.includes(String(spec.signerName))) return;
    const name = o.metadata.name!;
    if (busy.has(name)) return;
    busy.add(name);
    void sign(o).finally(() => busy.delete(name));
  };
  const sign = async (o: KObj) => {
    const spec = (o.spec ?? {}) as Json;
    const usages = (spec.usages ?? []) as string[];
    const name = o.metadata.name!;
    const bad = usages.filter((u) => !['client auth', 'digital signature', 'key encipherment'].includes(u));
    let certificate: string | undefined;
    let failure: string | undefined;
    if (!usages.includes('client auth') || bad.length) failure = `invalid usage for client certificate: ${bad[0] ?? 'missing client auth'}`;
    else {
      try {
        const lifetime = Math.min(typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : MAX_SECONDS, MAX_SECONDS);
        const pem = Buffer.from(String(spec.request ?? ''), 'base64').toString('latin1');
        certificate = Buffer.from(await signCsr(caCert, caKey, pem, usages, ctx.wall.now(), lifetime)).toString('base64');
      } catch (e) {
        failure = (e as Error).message;
      }
    }
    const cur = ctx.store.get(def, undefined, name);
    if (!cur || cur.metadata.uid !== o.metadata.uid) return;
    const next = cloneJson(cur);
    const st = ((next.status ??= {}) as Json);
    const now = isoTime(ctx.clock.now());
    if (certificate) st.certificate = certificate;
    else {
      st.conditions = [...((st.conditions ?? []) as Json[]), { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: failure, lastUpdateTime: now, lastTransitionTime: now }];
      log(`csr ${name}: ${failure}`);
    }
    plugins.updateManagedFields(cur, next, 'kube-controller-manager', 'Update', 'certificates.k8s.io/v1', now, def, 'status');
    ctx.store.update(def, next);
  };
  for (const o of ctx.store.list(def)) consider(o);
  return ctx.store.subscribe((ev) => {
    if (ev.type !== 'DELETED' && ev.resource === 'certificatesigningrequests.certificates.k8s.io') consider(ev.object);
  });
}
