// rbac.authorization.k8s.io and certificates.k8s.io strategies and validation, worded as upstream
// (pkg/apis/rbac/validation, pkg/apis/certificates/validation, the CSR registry strategies).
import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import { parseCsrPem } from '../../pki/csr.js';
import { child, deepEqual, duplicate, forbidden, goQuote, goStringSlice, index, invalid, notSupported, raw, required } from './format.js';
import type { KindRules } from './types.js';
import { cloneJson } from '../../store/json.js';

type Json = Record<string, unknown>;
const RBAC = 'rbac.authorization.k8s.io';
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strs = (v: unknown): string[] => arr(v).map((x) => String(x));

function policyRule(r: Json, namespaced: boolean, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!strs(r.verbs).length) errs.push(required(child(p, 'verbs'), 'verbs must contain at least one value'));
  if (strs(r.nonResourceURLs).length) {
    if (namespaced) errs.push(invalid(child(p, 'nonResourceURLs'), raw(goStringSlice(r.nonResourceURLs)), 'namespaced rules cannot apply to non-resource URLs'));
    if (strs(r.apiGroups).length || strs(r.resources).length || strs(r.resourceNames).length) {
      errs.push(invalid(child(p, 'nonResourceURLs'), raw(goStringSlice(r.nonResourceURLs)), 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (!strs(r.apiGroups).length) errs.push(required(child(p, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (!strs(r.resources).length) errs.push(required(child(p, 'resources'), 'resource rules must supply at least one resource'));
  return errs;
}

const rules = (namespaced: boolean) => (obj: KObj) => arr(obj.rules).flatMap((r, i) => policyRule((r ?? {}) as Json, namespaced, index('rules', i)));

function goRoleRef(v: unknown): string {
  const r = (v ?? {}) as Json;
  return `rbac.RoleRef{APIGroup:${goQuote(String(r.apiGroup ?? ''))}, Kind:${goQuote(String(r.kind ?? ''))}, Name:${goQuote(String(r.name ?? ''))}}`;
}

function binding(namespaced: boolean) {
  return (obj: KObj): FieldError[] => {
    const errs: FieldError[] = [];
    const ref = (obj.roleRef ?? {}) as Json;
    if (ref.apiGroup !== RBAC) errs.push(notSupported('roleRef.apiGroup', String(ref.apiGroup ?? ''), [RBAC]));
    const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (!kinds.includes(String(ref.kind ?? ''))) errs.push(notSupported('roleRef.kind', String(ref.kind ?? ''), kinds));
    if (!ref.name) errs.push(required('roleRef.name', ''));
    arr(obj.subjects).forEach((s0, i) => {
      const s = (s0 ?? {}) as Json;
      const p = index('subjects', i);
      if (!s.name) errs.push(required(child(p, 'name'), ''));
      switch (s.kind) {
        case 'ServiceAccount':
          if (s.apiGroup) errs.push(notSupported(child(p, 'apiGroup'), String(s.apiGroup), ['']));
          if (!namespaced && !s.namespace) errs.push(required(child(p, 'namespace'), ''));
          break;
        case 'User':
        case 'Group':
          if (s.apiGroup !== RBAC) errs.push(notSupported(child(p, 'apiGroup'), String(s.apiGroup ?? ''), [RBAC]));
          break;
        default:
          errs.push(notSupported(child(p, 'kind'), String(s.kind ?? ''), ['ServiceAccount', 'User', 'Group']));
      }
    });
    return errs;
  };
}

function bindingUpdate(namespaced: boolean) {
  return (n: KObj, o: KObj): FieldError[] => {
    const errs = binding(namespaced)(n);
    if (!deepEqual(n.roleRef, o.roleRef)) errs.push(invalid('roleRef', raw(goRoleRef(n.roleRef)), 'cannot change roleRef'));
    return errs;
  };
}

export const roleRules: KindRules = { namespaced: true, nameRule: 'none', hasStatus: false, validate: rules(true) };
export const clusterRoleRules: KindRules = { namespaced: false, nameRule: 'none', hasStatus: false, validate: rules(false) };
export const roleBindingRules: KindRules = { namespaced: true, nameRule: 'none', hasStatus: false, validate: binding(true), validateUpdate: bindingUpdate(true) };
export const clusterRoleBindingRules: KindRules = { namespaced: false, nameRule: 'none', hasStatus: false, validate: binding(false), validateUpdate: bindingUpdate(false) };

// ---------------------------------------------------------------------------------------------
// CertificateSigningRequest

const USAGES = [
  'any', 'cert sign', 'client auth', 'code signing', 'content commitment', 'crl sign', 'data encipherment', 'decipher only', 'digital signature',
  'email protection', 'encipher only', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'key agreement', 'key encipherment', 'microsoft sgc',
  'netscape sgc', 'ocsp signing', 's/mime', 'server auth', 'signing', 'timestamping',
];

const goBytes = (b: Buffer) => raw(`[]byte{${[...b].map((x) => `0x${x.toString(16)}`).join(', ')}}`);

function signerName(v: unknown): FieldError[] {
  const s = typeof v === 'string' ? v : '';
  if (!s) return [required('spec.signerName', '')];
  const parts = s.split('/');
  if (parts.length !== 2) return [invalid('spec.signerName', s, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const errs: FieldError[] = [];
  const domain = parts[0]!;
  const bad = domain.split('.').find((l) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(l) || l.length > 63);
  if (bad !== undefined) errs.push(invalid('spec.signerName', domain, `validating label "${bad}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`));
  if (domain.split('.').length < 2) errs.push(invalid('spec.signerName', domain, 'should be a domain with at least two segments separated by dots'));
  return errs;
}

function validateCsr(obj: KObj): FieldError[] {
  const spec = (obj.spec ?? {}) as Json;
  const errs: FieldError[] = [];
  const req = Buffer.from(typeof spec.request === 'string' ? spec.request : '', 'base64');
  try {
    parseCsrPem(req.toString('latin1'));
  } catch (e) {
    errs.push(invalid('spec.request', goBytes(req), (e as Error).message));
  }
  const usages = strs(spec.usages);
  if (!usages.length) errs.push(required('spec.usages', ''));
  usages.forEach((u, i) => {
    if (!USAGES.includes(u)) errs.push(notSupported(index('spec.usages', i), u, USAGES));
  });
  usages.forEach((u, i) => {
    if (usages.indexOf(u) !== i) errs.push(duplicate(index('spec.usages', i), u));
  });
  if (spec.signerName === 'kubernetes.io/legacy-unknown') errs.push(invalid('spec.signerName', 'kubernetes.io/legacy-unknown', 'the legacy signerName is not allowed via this API version'));
  else errs.push(...signerName(spec.signerName));
  if (typeof spec.expirationSeconds === 'number' && spec.expirationSeconds < 600) {
    errs.push(invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  errs.push(...conditionErrors(obj));
  return errs;
}

function conditionErrors(obj: KObj): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  arr((obj.status as Json | undefined)?.conditions).forEach((c0, i) => {
    const c = (c0 ?? {}) as Json;
    const p = index('status.conditions', i);
    const type = String(c.type ?? '');
    if (!type) errs.push(required(child(p, 'type'), ''));
    const trueOnly = ['Approved', 'Denied', 'Failed'].includes(type);
    const allowed = trueOnly ? ['True'] : ['False', 'True', 'Unknown'];
    if (!c.status) errs.push(required(child(p, 'status'), ''));
    else if (!allowed.includes(String(c.status))) errs.push(notSupported(child(p, 'status'), String(c.status), allowed));
    if (type === 'Approved') {
      approved = true;
      if (denied) errs.push(invalid(child(p, 'type'), type, 'Approved and Denied conditions are mutually exclusive'));
    } else if (type === 'Denied') {
      denied = true;
      if (approved) errs.push(invalid(child(p, 'type'), type, 'Approved and Denied conditions are mutually exclusive'));
    }
    if (seen.has(type)) errs.push(duplicate(child(p, 'type'), type));
    seen.add(type);
  });
  return errs;
}

const ofType = (o: KObj, t: string) => arr((o.status as Json | undefined)?.conditions).filter((c) => (c as Json)?.type === t);

/** The checks every CSR update shares; `approval` and `status` say which subresource is writing. */
export function csrUpdateErrors(n: KObj, o: KObj, via: 'main' | 'status' | 'approval'): FieldError[] {
  const errs = validateCsr(n);
  for (const t of ['Approved', 'Denied', 'Failed']) {
    if (ofType(n, t).length < ofType(o, t).length) errs.push(forbidden('status.conditions', `updates may not remove a condition of type "${t}"`));
  }
  if (via !== 'approval') {
    for (const t of ['Approved', 'Denied']) {
      if (ofType(n, t).length > ofType(o, t).length) errs.push(forbidden('status.conditions', `updates may not add a condition of type "${t}"`));
    }
  }
  const nc = String((n.status as Json | undefined)?.certificate ?? '');
  const oc = String((o.status as Json | undefined)?.certificate ?? '');
  if (nc !== oc) {
    if (via !== 'status') errs.push(forbidden('status.certificate', 'updates may not set certificate content'));
    else if (oc) errs.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  return errs;
}

export const csrRules: KindRules = {
  namespaced: false,
  nameRule: 'none',
  hasStatus: true,
  prepareForCreate(obj, opts) {
    // the requestor is whoever created it, never what the body claims
    const spec = ((obj.spec ??= {}) as Json);
    delete obj.status;
    const user = opts.user;
    delete spec.username;
    delete spec.uid;
    delete spec.groups;
    delete spec.extra;
    if (user) {
      spec.username = user.username;
      if (user.uid) spec.uid = user.uid;
      spec.groups = [...user.groups];
      if (user.extra) spec.extra = cloneJson(user.extra);
    }
  },
  prepareForUpdate(n, o) {
    n.spec = cloneJson(o.spec);
  },
  validate: validateCsr,
  validateUpdate: (n, o) => csrUpdateErrors(n, o, 'main'),
  validateStatusUpdate: (n, o) => csrUpdateErrors(n, o, 'status'),
};
