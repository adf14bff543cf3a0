import { describe, expect, it } from 'vitest';
import { issueToken, loadSaKeys, verifyToken } from './tokens.js';

const keys = loadSaKeys();
const other = loadSaKeys();
const NOW = 1_700_000_000;
const { token } = issueToken(keys, { namespace: 'default', name: 'default', uid: 'u1', expirationSeconds: 3600, now: NOW, jti: 'j1' });

describe('service account tokens', () => {
  it('round-trips the upstream claims', () => {
    const c = verifyToken(keys, token, NOW + 10);
    expect(c).toMatchObject({
      aud: ['https://kubernetes.default.svc.cluster.local'],
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:default:default',
      exp: NOW + 3600,
      jti: 'j1',
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'default', uid: 'u1' } },
    });
  });
  const cases: Array<[string, () => ReturnType<typeof verifyToken>, string]> = [
    ['expired', () => verifyToken(keys, token, NOW + 3600), 'service account token has expired'],
    ['other key', () => verifyToken(other, token, NOW), 'invalid signature'],
    ['tampered', () => verifyToken(keys, token.replace(/\.[^.]+\./, `.${Buffer.from('{"x":1}').toString('base64url')}.`), NOW), 'invalid signature'],
    ['not a JWT', () => verifyToken(keys, 'abc', NOW), 'token is not a JWT'],
    ['wrong audience', () => verifyToken(keys, token, NOW, ['vault']), 'token audiences is invalid for the target audiences'],
  ];
  it.each(cases)('rejects %s', (_n, run, error) => expect(run()).toEqual({ error }));
});
