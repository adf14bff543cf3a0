// networking.k8s.io/v1 NetworkPolicy: defaulting of policyTypes/protocol and the spec checks of
// upstream's networking validation (ports, peers, ipBlock, policyTypes).

import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import { arr, child, forbidden, index, invalid, isObj, notSupported, obj, raw, required, str, type Obj } from './format.js';
import { validateLabelSelector } from './meta.js';
import { isValidPortName, isValidPortNum } from './names.js';
import type { KindRules } from './types.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const CIDR_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function parseCidr(s: string): { base: number; bits: number } | undefined {
  const m = CIDR_V4.exec(s);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const ip = octets.reduce((a, o) => a * 256 + o, 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ip & mask) >>> 0, bits };
}

function validatePort(p: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.protocol != null && !PROTOCOLS.includes(str(p.protocol))) errs.push(notSupported(child(path, 'protocol'), str(p.protocol), ['TCP', 'UDP', 'SCTP']));
  const end = p.endPort;
  if (p.port == null) {
    if (end != null) errs.push(invalid(child(path, 'endPort'), Number(end), 'may not be specified when `port` is not specified'));
  } else if (typeof p.port === 'number') {
    errs.push(...isValidPortNum(p.port).map((m) => invalid(child(path, 'port'), p.port as number, m)));
    if (typeof end === 'number') {
      if (end < p.port) errs.push(invalid(child(path, 'endPort'), p.port, 'must be greater than or equal to `port`'));
      errs.push(...isValidPortNum(end).map((m) => invalid(child(path, 'endPort'), end, m)));
    }
  } else {
    if (end != null) errs.push(invalid(child(path, 'endPort'), Number(end), 'may not be specified when `port` is non-numeric'));
    errs.push(...isValidPortName(str(p.port)).map((m) => invalid(child(path, 'port'), str(p.port), m)));
  }
  return errs;
}

function validateIPBlock(b: Obj, path: string): FieldError[] {
  const cidr = str(b.cidr);
  if (!cidr) return [required(child(path, 'cidr'))];
  const parsed = parseCidr(cidr);
  if (!parsed) return [invalid(child(path, 'cidr'), cidr, CIDR_MSG)];
  const errs: FieldError[] = [];
  arr(b.except).forEach((e, i) => {
    const ep = index(child(path, 'except'), i);
    const ex = parseCidr(str(e));
    if (!ex) return void errs.push(invalid(ep, str(e), CIDR_MSG));
    const inside = ((ex.base & ((parsed.bits === 0 ? 0 : (0xffffffff << (32 - parsed.bits)) >>> 0))) >>> 0) === parsed.base;
    if (!inside || parsed.bits >= ex.bits) errs.push(invalid(ep, str(e), 'must be a strict subset of `cidr`'));
  });
  return errs;
}

function validatePeer(peer: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer.podSelector != null) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, child(path, 'podSelector')));
  }
  if (peer.namespaceSelector != null) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, child(path, 'namespaceSelector')));
  }
  if (peer.ipBlock != null) {
    n++;
    errs.push(...validateIPBlock(obj(peer.ipBlock), child(path, 'ipBlock')));
  }
  if (n === 0) errs.push(required(path, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock != null) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validateRules(rules: unknown, path: string, peersField: 'from' | 'to'): FieldError[] {
  const errs: FieldError[] = [];
  arr(rules).forEach((r, i) => {
    const rp = index(path, i);
    arr(obj(r).ports).forEach((p, j) => errs.push(...validatePort(obj(p), index(child(rp, 'ports'), j))));
    arr(obj(r)[peersField]).forEach((p, j) => errs.push(...validatePeer(obj(p), index(child(rp, peersField), j))));
  });
  return errs;
}

function validateNetworkPolicy(o: KObj): FieldError[] {
  const spec = obj(o.spec);
  const errs = validateLabelSelector(spec.podSelector ?? {}, 'spec.podSelector');
  errs.push(...validateRules(spec.ingress, 'spec.ingress', 'from'), ...validateRules(spec.egress, 'spec.egress', 'to'));
  const types = arr(spec.policyTypes);
  if (types.length > 2) return [...errs, invalid('spec.policyTypes', raw(`&[]networking.PolicyType{${types.map((t) => JSON.stringify(str(t))).join(', ')}}`), 'may not specify more than two policyTypes')];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(notSupported(index('spec.policyTypes', i), str(t), ['Ingress', 'Egress']));
  });
  return errs;
}

export const networkPolicyRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: false,
  generation: 'spec',
  defaults(o) {
    if (!isObj(o.spec)) o.spec = {};
    const spec = o.spec as Obj;
    if (!isObj(spec.podSelector)) spec.podSelector = {};
    for (const field of ['ingress', 'egress']) {
      for (const r of arr(spec[field])) for (const p of arr(obj(r).ports)) if (isObj(p) && p.protocol == null) p.protocol = 'TCP';
    }
    // upstream: Ingress always, Egress when egress rules exist (an egress-only policy must say so)
    if (!arr(spec.policyTypes).length) spec.policyTypes = arr(spec.egress).length ? ['Ingress', 'Egress'] : ['Ingress'];
  },
  validate: validateNetworkPolicy,
};
