// ConfigMap, Secret and ServiceAccount: key syntax, size limits, the `immutable` flag and the
// per-type Secret requirements.

import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import { deepEqual, forbidden, invalid, isObj, key, obj, required, str } from './format.js';
import { isConfigMapKey } from './names.js';
import type { KindRules } from './types.js';

export const MAX_SECRET_SIZE = 1024 * 1024;
const IMMUTABLE_MSG = 'field is immutable when `immutable` is set';

const b64Len = (s: string) => Buffer.from(s, 'base64').length;

function validateConfigMap(o: KObj): FieldError[] {
  const errs: FieldError[] = [];
  const data = obj(o.data);
  const bin = obj(o.binaryData);
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, m));
    if (k in bin) errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(str(v));
  }
  for (const [k, v] of Object.entries(bin)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(key('binaryData', k), k, m));
    if (k in data) errs.push(invalid(key('binaryData', k), k, 'duplicate of key present in data'));
    total += b64Len(str(v));
  }
  if (total > MAX_SECRET_SIZE) errs.push({ type: 'FieldValueTooLong', field: '', detail: `Too long: may not be more than ${MAX_SECRET_SIZE} bytes` });
  return errs;
}

function immutableChecks(n: KObj, old: KObj, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (n.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_MSG));
  for (const f of fields) if (!deepEqual(n[f], old[f])) errs.push(forbidden(f, IMMUTABLE_MSG));
  return errs;
}

export const configMapRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: false,
  validate: validateConfigMap,
  validateUpdate: (n, old) => [...immutableChecks(n, old, ['data', 'binaryData']), ...validateConfigMap(n)],
};

function validateSecret(o: KObj): FieldError[] {
  const errs: FieldError[] = [];
  const data = obj(o.data);
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, m));
    total += b64Len(str(v));
  }
  if (total > MAX_SECRET_SIZE) errs.push({ type: 'FieldValueTooLong', field: 'data', detail: `Too long: may not be more than ${MAX_SECRET_SIZE} bytes` });
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  const jsonKey = (k: string) => {
    if (!has(k)) {
      errs.push(required(key('data', k)));
      return;
    }
    const text = Buffer.from(str(data[k]), 'base64').toString('utf8');
    try {
      JSON.parse(text);
    } catch (e) {
      errs.push(invalid(key('data', k), '<secret contents redacted>', goJSONError(e, text)));
    }
  };
  switch (str(o.type)) {
    case 'kubernetes.io/service-account-token':
      if (!str(obj(obj(o.metadata).annotations)['kubernetes.io/service-account.name']))
        errs.push(required(key('metadata.annotations', 'kubernetes.io/service-account.name')));
      break;
    case 'kubernetes.io/dockercfg':
      jsonKey('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      jsonKey('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(required(key('data', 'username')), required(key('data', 'password')));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!str(data['ssh-privatekey'])) errs.push(required(key('data', 'ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required(key('data', 'tls.crt')));
      if (!has('tls.key')) errs.push(required(key('data', 'tls.key')));
      break;
    default:
  }
  return errs;
}

/** encoding/json's wording for the two common failures (truncated input, a stray character). */
function goJSONError(e: unknown, text: string): string {
  const m = e instanceof Error ? e.message : '';
  const pos = /position (\d+)/.exec(m);
  const at = pos ? Number(pos[1]) : text.length;
  if (/end of JSON|Unexpected end/i.test(m) || at >= text.trimEnd().length) return 'unexpected end of JSON input';
  return `invalid character '${text.charAt(at)}' looking for beginning of value`;
}

export const secretRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: false,
  defaults(o) {
    if (!o.type) o.type = 'Opaque';
    // v1 conversion folds stringData into data (stringData wins) and never stores it
    if (isObj(o.stringData)) {
      const data = isObj(o.data) ? o.data : (o.data = {});
      for (const [k, v] of Object.entries(o.stringData)) data[k] = Buffer.from(str(v), 'utf8').toString('base64');
      delete o.stringData;
    }
  },
  validate: validateSecret,
  validateUpdate: (n, old) => {
    const errs: FieldError[] = [];
    if (str(n.type) !== str(old.type)) errs.push(invalid('type', str(n.type), 'field is immutable'));
    return [...errs, ...immutableChecks(n, old, ['data']), ...validateSecret(n)];
  },
};

export const serviceAccountRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: false,
};
