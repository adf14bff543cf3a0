import { describe, expect, it } from 'vitest';
import { applyDefaults, validateCreate, validateUpdate } from './index.js';
import { clone } from './format.js';
import { lines } from './testutil.js';
import type { KObj } from '../../store/types.js';

const cm = (o: Record<string, unknown>): KObj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, ...o });
const secret = (o: Record<string, unknown>): KObj => {
  const s: KObj = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...o };
  applyDefaults('', 'Secret', s);
  return s;
};
const KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

describe('ConfigMap', () => {
  it.each([
    ['valid', { data: { 'app.properties': 'x', KEY_NAME: 'y' } }, []],
    ['bad key', { data: { 'bad key': 'x' } }, [`data[bad key]: Invalid value: "bad key": ${KEY_MSG}`]],
    ['key in both bags', { data: { a: 'x' }, binaryData: { a: 'eA==' } }, ['data[a]: Invalid value: "a": duplicate of key present in binaryData', 'binaryData[a]: Invalid value: "a": duplicate of key present in data']],
  ])('%s', (_n, o, want) => expect(lines(validateCreate('', 'ConfigMap', cm(o)))).toEqual(want));

  it('immutable configmaps reject data changes', () => {
    const old = cm({ data: { a: '1' }, immutable: true });
    const next = clone(old);
    next.data = { a: '2' };
    delete next.immutable;
    expect(lines(validateUpdate('', 'ConfigMap', next, old))).toEqual([
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });
});

describe('Secret', () => {
  it('defaults type and folds stringData into data', () => {
    const s = secret({ data: { a: 'eA==' }, stringData: { b: 'hello' } });
    expect(s).toMatchObject({ type: 'Opaque', data: { a: 'eA==', b: 'aGVsbG8=' } });
    expect(s.stringData).toBeUndefined();
  });
  it.each([
    ['tls keys', { type: 'kubernetes.io/tls', data: {} }, ['data[tls.crt]: Required value', 'data[tls.key]: Required value']],
    ['dockerconfigjson', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from('{').toString('base64') } }, ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input']],
    ['bad key', { data: { 'a b': '' } }, [`data[a b]: Invalid value: "a b": ${KEY_MSG}`]],
  ])('%s', (_n, o, want) => expect(lines(validateCreate('', 'Secret', secret(o)))).toEqual(want));

  it('type is immutable', () => {
    const old = secret({ data: {} });
    const next = clone(old);
    next.type = 'kubernetes.io/basic-auth';
    next.data = { username: 'dQ==' };
    expect(lines(validateUpdate('', 'Secret', next, old))).toEqual(['type: Invalid value: "kubernetes.io/basic-auth": field is immutable']);
  });
});

describe('ServiceAccount', () => {
  it('checks the name only', () => {
    const sa: KObj = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'Bad_Name', namespace: 'default' } };
    expect(lines(validateCreate('', 'ServiceAccount', sa))[0]).toMatch(/^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });
});
