// ServiceAccount tokens: JWTs signed with the cluster's service-account key (ES256), carrying the
// claims the real token issuer writes (iss, sub, aud, exp/iat/nbf, jti, kubernetes.io{...}).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { saUsername } from './rbac.js';

export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const API_AUDIENCES = [ISSUER];

export interface SaKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

export function loadSaKeys(privatePem?: string): SaKeys {
  const privateKey = privatePem ? createPrivateKey(privatePem) : generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, kid: createHash('sha256').update(der).digest('base64url') };
}

export function newSaKeyPem(): { key: string; pub: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, pub: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

export interface TokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  iss: string;
  jti: string;
  sub: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    secret?: { name: string; uid: string };
    node?: { name: string; uid: string };
  };
}

export interface IssueParams {
  namespace: string;
  name: string;
  uid: string;
  audiences?: string[];
  expirationSeconds: number;
  /** seconds since the epoch */
  now: number;
  jti: string;
  bound?: { kind: 'Pod' | 'Secret' | 'Node'; name: string; uid: string };
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export function issueToken(keys: SaKeys, p: IssueParams): { token: string; claims: TokenClaims } {
  const claims: TokenClaims = {
    aud: p.audiences?.length ? p.audiences : API_AUDIENCES,
    exp: p.now + p.expirationSeconds,
    iat: p.now,
    iss: ISSUER,
    jti: p.jti,
    'kubernetes.io': { namespace: p.namespace, serviceaccount: { name: p.name, uid: p.uid } },
    nbf: p.now,
    sub: saUsername(p.namespace, p.name),
  };
  if (p.bound) claims['kubernetes.io'][p.bound.kind.toLowerCase() as 'pod'] = { name: p.bound.name, uid: p.bound.uid };
  const head = `${b64({ alg: 'ES256', kid: keys.kid })}.${b64(claims)}`;
  const sig = sign('sha256', Buffer.from(head), { key: keys.privateKey, dsaEncoding: 'ieee-p1363' });
  return { token: `${head}.${sig.toString('base64url')}`, claims };
}

/** The claims of a token this cluster issued, or why it is not acceptable. */
export function verifyToken(keys: SaKeys, token: string, now: number, audiences: string[] = API_AUDIENCES): TokenClaims | { error: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { error: 'token is not a JWT' };
  let header: { alg?: string };
  let claims: TokenClaims;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return { error: 'token is malformed' };
  }
  if (header.alg !== 'ES256') return { error: 'invalid signature' };
  const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: keys.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2]!, 'base64url'));
  if (!ok) return { error: 'invalid signature' };
  if (claims.iss !== ISSUER) return { error: 'token issuer is not recognized' };
  if (typeof claims.exp !== 'number' || now >= claims.exp) return { error: 'service account token has expired' };
  if (typeof claims.nbf === 'number' && now < claims.nbf - 60) return { error: 'service account token is not valid yet' };
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud as unknown as string];
  if (!aud.some((a) => audiences.includes(a))) return { error: 'token audiences is invalid for the target audiences' };
  if (!claims['kubernetes.io']?.serviceaccount?.name) return { error: 'token is not a service account token' };
  return claims;
}
