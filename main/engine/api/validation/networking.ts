// networking.k8s.io/v1 Ingress and IngressClass (networking/validation).

import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import { arr, child, index, invalid, isObj, obj, notSupported, raw, required, str, type Obj } from './format.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain, regexError } from './names.js';
import type { KindRules } from './types.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function validateBackend(b: Obj, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const hasRes = b.resource != null;
  const hasSvc = b.service != null;
  if (hasRes && hasSvc) return [invalid(p, '', 'cannot set both resource and service backends')];
  if (hasRes) {
    const r = obj(b.resource);
    if (!str(r.kind)) errs.push(required(child(p, 'resource', 'kind')));
    if (!str(r.name)) errs.push(required(child(p, 'resource', 'name')));
    return errs;
  }
  if (!hasSvc) return [invalid(p, '', 'resource or service backend is required')];
  const svc = obj(b.service);
  const name = str(svc.name);
  if (!name) errs.push(required(child(p, 'service', 'name')));
  else errs.push(...isDNS1035Label(name).map((m) => invalid(child(p, 'service', 'name'), name, m)));
  const port = obj(svc.port);
  const pn = str(port.name);
  const num = typeof port.number === 'number' ? port.number : 0;
  if (pn && num) errs.push(invalid(p, '', 'cannot set both port name & port number'));
  else if (pn) errs.push(...isValidPortName(pn).map((m) => invalid(child(p, 'service', 'port', 'name'), pn, m)));
  else if (num) errs.push(...isValidPortNum(num).map((m) => invalid(child(p, 'service', 'port', 'number'), num, m)));
  else errs.push(required(p, 'port name or number is required'));
  return errs;
}

function validatePath(path: Obj, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (path.pathType == null) return [required(child(p, 'pathType'), 'pathType must be specified')];
  const pt = str(path.pathType);
  const value = str(path.path);
  if (pt === 'Exact' || pt === 'Prefix') {
    if (!value.startsWith('/')) errs.push(invalid(child(p, 'path'), value, 'must be an absolute path'));
    if (value) {
      for (const seq of INVALID_SEQUENCES) if (value.includes(seq)) errs.push(invalid(child(p, 'path'), value, `must not contain '${seq}'`));
      for (const suf of INVALID_SUFFIXES) if (value.endsWith(suf)) errs.push(invalid(child(p, 'path'), value, `cannot end with '${suf}'`));
    }
  } else if (pt === 'ImplementationSpecific') {
    if (value && !value.startsWith('/')) errs.push(invalid(child(p, 'path'), value, 'must be an absolute path'));
  } else {
    errs.push(notSupported(child(p, 'pathType'), pt, PATH_TYPES));
  }
  errs.push(...validateBackend(obj(path.backend), child(p, 'backend')));
  return errs;
}

function validateIngress(o: KObj): FieldError[] {
  const spec = obj(o.spec);
  const errs: FieldError[] = [];
  const rules = arr(spec.rules).map(obj);
  if (rules.length === 0 && spec.defaultBackend == null)
    errs.push(invalid('spec', raw(Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  if (isObj(spec.defaultBackend)) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    const rp = index('spec.rules', i);
    const host = str(r.host);
    if (host) {
      if (IPV4.test(host) || host.includes(':')) errs.push(invalid(child(rp, 'host'), host, 'must be a DNS name, not an IP address'));
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      errs.push(...msgs.map((m) => invalid(child(rp, 'host'), host, m)));
    }
    if (isObj(r.http)) {
      const paths = arr(r.http.paths).map(obj);
      if (paths.length === 0) errs.push(required(child(rp, 'http', 'paths')));
      paths.forEach((pth, j) => errs.push(...validatePath(pth, index(child(rp, 'http', 'paths'), j))));
    }
  });
  arr(spec.tls).map(obj).forEach((t, i) => {
    arr(t.hosts).map(str).forEach((h, j) => {
      const msgs = h.includes('*') ? isWildcardDNS1123Subdomain(h) : isDNS1123Subdomain(h);
      errs.push(...msgs.map((m) => invalid(index(child(index('spec.tls', i), 'hosts'), j), h, m)));
    });
  });
  const cls = spec.ingressClassName;
  if (typeof cls === 'string') errs.push(...isDNS1123Subdomain(cls).map((m) => invalid('spec.ingressClassName', cls, m)));
  return errs;
}

function classAnnotationConflict(o: KObj, old?: KObj): FieldError[] {
  const ann = o.metadata.annotations ?? {};
  const set = CLASS_ANNOTATION in ann;
  const spec = obj(o.spec);
  if (!set || spec.ingressClassName == null) return [];
  // on update only a newly set class field conflicts
  if (old && obj(old.spec).ingressClassName != null) return [];
  return [invalid(`annotations.${CLASS_ANNOTATION}`, ann[CLASS_ANNOTATION] ?? '', 'can not be set when the class field is also set')];
}

export const ingressRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: true,
  generation: 'spec',
  prepareForCreate(o) {
    o.status = { loadBalancer: {} };
  },
  validate: (o) => [...classAnnotationConflict(o), ...validateIngress(o)],
  validateUpdate: (n, old) => [...classAnnotationConflict(n, old), ...validateIngress(n)],
};

const HTTP_PATH_FMT = '[A-Za-z0-9/\\-._~%!$&\'()*+,;=:]+';

function validateIngressClass(o: KObj): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec);
  const ctl = str(spec.controller);
  if (ctl.length > 250) errs.push({ type: 'FieldValueTooLong', field: 'spec.controller', detail: 'Too long: may not be more than 250 bytes' });
  if (!ctl) errs.push(required('spec.controller'));
  else {
    const seg = ctl.split('/');
    const hostPart = seg[0] ?? '';
    const rest = seg.slice(1).join('/');
    if (seg.length < 2 || !hostPart || !rest) errs.push(invalid('spec.controller', ctl, 'must be a domain-prefixed path (such as "acme.io/foo")'));
    else {
      errs.push(...isDNS1123Subdomain(hostPart).map((m) => invalid('spec.controller', hostPart, m)));
      if (!new RegExp(`^${HTTP_PATH_FMT}$`).test(rest)) errs.push(invalid('spec.controller', rest, regexError('Invalid path', HTTP_PATH_FMT)));
    }
  }
  if (isObj(spec.parameters)) {
    const prm = spec.parameters;
    const pp = 'spec.parameters';
    if (!str(prm.kind)) errs.push(required(child(pp, 'kind')));
    if (!str(prm.name)) errs.push(required(child(pp, 'name')));
    const scope = str(prm.scope);
    if (scope === 'Namespace' && !str(prm.namespace)) errs.push(required(child(pp, 'namespace'), '`parameters.scope` is set to "Namespace"'));
    if (scope === 'Cluster' && prm.namespace != null) errs.push({ type: 'FieldValueForbidden', field: child(pp, 'namespace'), detail: 'Forbidden: `parameters.scope` is set to "Cluster"' });
    if (scope && scope !== 'Namespace' && scope !== 'Cluster') errs.push(notSupported(child(pp, 'scope'), scope, ['Cluster', 'Namespace']));
  }
  return errs;
}

export const ingressClassRules: KindRules = {
  namespaced: false,
  nameRule: 'subdomain',
  hasStatus: false,
  generation: 'spec',
  defaults(o) {
    const prm = obj(obj(o.spec).parameters);
    if (isObj(obj(o.spec).parameters) && prm.scope == null) prm.scope = 'Cluster';
  },
  validate: validateIngressClass,
  validateUpdate: (n, old) => {
    const errs = validateIngressClass(n);
    const nc = str(obj(n.spec).controller);
    if (nc !== str(obj(old.spec).controller)) errs.push(invalid('spec.controller', nc, 'field is immutable'));
    return errs;
  },
};
