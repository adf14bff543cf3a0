// Service, Endpoints and EndpointSlice. ClusterIP/NodePort allocation happens elsewhere; here are
// the defaults, the strategy's carry-over of allocated values on update, and ValidateService.

import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import {
  arr, child, deepEqual, duplicate, forbidden, goStringSlice, index, invalid, isObj, obj, notSupported, raw, required, str, tooMany, type Obj,
} from './format.js';
import { validateLabels } from './meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortNum } from './names.js';
import { validatePortNumOrName } from './pod-spec.js';
import type { KindRules } from './types.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
export const NODE_PORT_RANGE = { base: 30000, size: 2768 };

const isHeadless = (spec: Obj) => str(spec.clusterIP) === 'None';
const externallyAccessible = (spec: Obj) =>
  spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && arr(spec.externalIPs).length > 0);

function defaultService(o: KObj) {
  const spec = isObj(o.spec) ? o.spec : (o.spec = {});
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = obj(spec.sessionAffinityConfig);
    if (!isObj(cfg.clientIP) || cfg.clientIP.timeoutSeconds == null) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const p of arr(spec.ports)) {
    if (!isObj(p)) continue;
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort == null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy == null && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(str(spec.type))) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null) spec.allocateLoadBalancerNodePorts = true;
  // the REST layer picks families on a single-stack IPv4 cluster; selectorless headless services
  // are the exception upstream and ask for dual-stack where available
  if (spec.type !== 'ExternalName') {
    if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = isHeadless(spec) && !isObj(spec.selector) ? 'RequireDualStack' : 'SingleStack';
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
  }
}

/** The strategy's normalizeClusterIPs: keep clusterIP and clusterIPs[0] in step. */
function normalizeClusterIPs(spec: Obj, oldSpec?: Obj) {
  const ip = str(spec.clusterIP);
  const ips = arr(spec.clusterIPs).map(str);
  if (!oldSpec) {
    if (ip && ips.length === 0) spec.clusterIPs = [ip];
    return;
  }
  const oldIps = arr(oldSpec.clusterIPs).map(str);
  if (ip !== str(oldSpec.clusterIP) && deepEqual(ips, oldIps)) spec.clusterIPs = ip ? [ip] : [];
  if (!ip && deepEqual(ips, oldIps) && spec.clusterIPs !== undefined && arr(spec.clusterIPs).length === 0) delete spec.clusterIPs;
}

/** patchAllocatedValues: an update that omits allocated values keeps them. */
function carryAllocated(spec: Obj, oldSpec: Obj) {
  const needsIP = (s: Obj) => s.type !== 'ExternalName';
  if (needsIP(spec) && needsIP(oldSpec)) {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (arr(spec.clusterIPs).length === 0 && arr(oldSpec.clusterIPs).length > 0) spec.clusterIPs = oldSpec.clusterIPs;
  }
  const needsNodePort = (s: Obj) => s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
  if (needsNodePort(spec) && needsNodePort(oldSpec)) {
    const oldPorts = arr(oldSpec.ports).map(obj);
    for (const p of arr(spec.ports).map(obj)) {
      if (p.nodePort) continue;
      const match = oldPorts.find((op) => op.port === p.port && str(op.protocol) === str(p.protocol) && op.nodePort);
      if (match) p.nodePort = match.nodePort;
    }
  }
  if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && !spec.healthCheckNodePort && oldSpec.healthCheckNodePort)
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
}

/** dropTypeDependentFields: a type change drops what the old type implied, unless the user changed it. */
function dropTypeDependent(spec: Obj, oldSpec: Obj) {
  const needsIP = (t: Obj) => t.type !== 'ExternalName';
  if (needsIP(oldSpec) && !needsIP(spec)) {
    if (str(spec.clusterIP) === str(oldSpec.clusterIP)) delete spec.clusterIP;
    if (deepEqual(spec.clusterIPs, oldSpec.clusterIPs)) delete spec.clusterIPs;
    if (deepEqual(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
    if (spec.internalTrafficPolicy === oldSpec.internalTrafficPolicy) delete spec.internalTrafficPolicy;
  }
  const needsNP = (t: Obj) => t.type === 'NodePort' || (t.type === 'LoadBalancer' && t.allocateLoadBalancerNodePorts !== false);
  if (needsNP(oldSpec) && !needsNP(spec)) {
    const oldPorts = arr(oldSpec.ports).map(obj);
    for (const p of arr(spec.ports).map(obj)) {
      if (p.nodePort && oldPorts.some((op) => op.nodePort === p.nodePort)) delete p.nodePort;
    }
  }
  if (externallyAccessible(oldSpec) && !externallyAccessible(spec) && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy)
    delete spec.externalTrafficPolicy;
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass === oldSpec.loadBalancerClass) delete spec.loadBalancerClass;
    if (spec.healthCheckNodePort === oldSpec.healthCheckNodePort) delete spec.healthCheckNodePort;
  }
}

function validateServicePort(sp: Obj, requireName: boolean, names: Set<string>, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sp.name);
  if (requireName && !name) errs.push(required(child(p, 'name')));
  else if (name) {
    errs.push(...isDNS1123Label(name).map((m) => invalid(child(p, 'name'), name, m)));
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else names.add(name);
  }
  const port = typeof sp.port === 'number' ? sp.port : 0;
  errs.push(...isValidPortNum(port).map((m) => invalid(child(p, 'port'), port, m)));
  const proto = str(sp.protocol);
  if (!proto) errs.push(required(child(p, 'protocol')));
  else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(child(p, 'protocol'), proto, PROTOCOLS));
  errs.push(...validatePortNumOrName(sp.targetPort, child(p, 'targetPort')));
  return errs;
}

const goServicePortKey = (sp: Obj) =>
  `core.ServicePort{Name:"", Protocol:${JSON.stringify(str(sp.protocol))}, AppProtocol:(*string)(nil), Port:${Number(sp.port ?? 0)}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;

export function validateServiceSpec(o: KObj): FieldError[] {
  const spec = obj(o.spec);
  const errs: FieldError[] = [];
  const ports = arr(spec.ports).map(obj);
  const type = str(spec.type);
  if (ports.length === 0 && !isHeadless(spec) && type !== 'ExternalName') errs.push(required('spec.ports'));
  const ips = arr(spec.clusterIPs).map(str);
  if (type === 'LoadBalancer') {
    if (isHeadless(spec)) errs.push(invalid('spec.clusterIPs[0]', ips[0] ?? 'None', "may not be set to 'None' for LoadBalancer services"));
    ports.forEach((p, i) => {
      if (p.port === 10250) errs.push(invalid(index('spec.ports', i), 10250, 'may not expose port 10250 externally since it is used by kubelet'));
    });
  } else if (type === 'NodePort') {
    if (isHeadless(spec)) errs.push(invalid('spec.clusterIPs[0]', ips[0] ?? 'None', "may not be set to 'None' for NodePort services"));
  } else if (type === 'ExternalName') {
    if (ips.length > 0) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (arr(spec.ipFamilies).length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy != null) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = str(spec.externalName).replace(/\.$/, '');
    if (cname) errs.push(...isDNS1123Subdomain(cname).map((m) => invalid('spec.externalName', cname, m)));
    else errs.push(required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((sp, i) => errs.push(...validateServicePort(sp, ports.length > 1, names, index('spec.ports', i))));
  if (spec.selector != null) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const aff = str(spec.sessionAffinity);
  if (!aff) errs.push(required('spec.sessionAffinity'));
  else if (aff !== 'ClientIP' && aff !== 'None') errs.push(notSupported('spec.sessionAffinity', aff, ['ClientIP', 'None']));
  if (aff === 'None' && spec.sessionAffinityConfig != null) errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  if (aff === 'ClientIP') {
    const t = obj(obj(obj(spec.sessionAffinityConfig).clientIP)).timeoutSeconds;
    if (typeof t === 'number' && (t <= 0 || t > 86400))
      errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, 'must be greater than 0 and less than 86400'));
  }
  if (ips.length > 0 && str(spec.clusterIP) !== ips[0])
    errs.push(invalid('spec.clusterIPs', raw(goStringSlice(spec.clusterIPs)), 'element [0] must match clusterIP'));
  if (!type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES));
  if (type === 'ClusterIP')
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(forbidden(child(index('spec.ports', i), 'nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const k = `${str(p.protocol)}/${Number(p.nodePort)}`;
    if (nodePorts.has(k)) errs.push(duplicate(child(index('spec.ports', i), 'nodePort'), Number(p.nodePort)));
    nodePorts.add(k);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${str(p.protocol)}/${Number(p.port ?? 0)}`;
    if (seen.has(k)) errs.push(duplicate(index('spec.ports', i), raw(goServicePortKey(p))));
    seen.add(k);
  });
  const etp = spec.externalTrafficPolicy;
  if (etp != null && etp !== '') {
    if (!externallyAccessible(spec)) errs.push(invalid('spec.externalTrafficPolicy', str(etp), 'may only be set for externally-accessible services'));
    else if (etp !== 'Cluster' && etp !== 'Local') errs.push(notSupported('spec.externalTrafficPolicy', str(etp), ['Cluster', 'Local']));
  } else if (externallyAccessible(spec)) errs.push(required('spec.externalTrafficPolicy'));
  const itp = spec.internalTrafficPolicy;
  if (itp != null && itp !== 'Cluster' && itp !== 'Local') errs.push(notSupported('spec.internalTrafficPolicy', str(itp), ['Cluster', 'Local']));
  // the allocator's range check, reported the same way
  ports.forEach((p, i) => {
    const np = typeof p.nodePort === 'number' ? p.nodePort : 0;
    const { base, size } = NODE_PORT_RANGE;
    if (np && (type === 'NodePort' || type === 'LoadBalancer') && (np < base || np >= base + size))
      errs.push(invalid(child(index('spec.ports', i), 'nodePort'), np, `provided port is not in the valid range. The range of valid ports is ${base}-${base + size - 1}`));
  });
  return errs;
}

function validateServiceUpdate(n: KObj, old: KObj): FieldError[] {
  const ns = obj(n.spec);
  const os = obj(old.spec);
  const errs: FieldError[] = [];
  if (ns.type !== 'ExternalName' && os.type !== 'ExternalName') {
    const nIPs = arr(ns.clusterIPs).map(str);
    const oIPs = arr(os.clusterIPs).map(str);
    if (oIPs.length > 0 && nIPs[0] !== oIPs[0]) errs.push(invalid('spec.clusterIPs[0]', raw(goStringSlice(ns.clusterIPs)), 'may not change once set'));
    if (oIPs.length > 1 && nIPs.length > 1 && nIPs[1] !== oIPs[1]) errs.push(invalid('spec.clusterIPs[1]', raw(goStringSlice(ns.clusterIPs)), 'may not change once set'));
    const nF = arr(ns.ipFamilies).map(str);
    const oF = arr(os.ipFamilies).map(str);
    if (oF.length > 0 && nF.length > 0 && nF[0] !== oF[0]) errs.push(invalid('spec.ipFamilies[0]', raw(`[]core.IPFamily{${nF.map((f) => JSON.stringify(f)).join(', ')}}`), 'may not change once set'));
  }
  if (os.loadBalancerClass != null && os.type === 'LoadBalancer' && ns.type === 'LoadBalancer' && ns.loadBalancerClass !== os.loadBalancerClass)
    errs.push(invalid('spec.loadBalancerClass', ns.loadBalancerClass == null ? raw('null') : str(ns.loadBalancerClass), 'may not change once set'));
  return [...errs, ...validateServiceSpec(n)];
}

export const serviceRules: KindRules = {
  namespaced: true,
  nameRule: 'dns1035',
  hasStatus: true,
  defaults: defaultService,
  prepareForCreate(o) {
    o.status = { loadBalancer: {} };
    if (isObj(o.spec)) normalizeClusterIPs(o.spec);
  },
  prepareForUpdate(n, old) {
    if (!isObj(n.spec)) return;
    carryAllocated(n.spec, obj(old.spec));
    normalizeClusterIPs(n.spec, obj(old.spec));
    dropTypeDependent(n.spec, obj(old.spec));
  },
  validate: validateServiceSpec,
  validateUpdate: validateServiceUpdate,
};

function validateEndpointPorts(ports: unknown, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = arr(ports).map(obj);
  const names = new Set<string>();
  list.forEach((port, i) => {
    const ip = index(p, i);
    const name = str(port.name);
    if (list.length > 1 && !name) errs.push(required(child(ip, 'name')));
    else if (name) {
      errs.push(...isDNS1123Label(name).map((m) => invalid(child(ip, 'name'), name, m)));
      if (names.has(name)) errs.push(duplicate(child(ip, 'name'), name));
      names.add(name);
    }
    const num = typeof port.port === 'number' ? port.port : 0;
    errs.push(...isValidPortNum(num).map((m) => invalid(child(ip, 'port'), num, m)));
    const proto = str(port.protocol);
    if (!proto) errs.push(required(child(ip, 'protocol')));
    else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(child(ip, 'protocol'), proto, PROTOCOLS));
  });
  return errs;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const isIP = (s: string) => IPV4.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));

function validateEndpointsSpec(o: KObj): FieldError[] {
  const errs: FieldError[] = [];
  arr(o.subsets).map(obj).forEach((ss, i) => {
    const sp = index('subsets', i);
    if (arr(ss.addresses).length === 0 && arr(ss.notReadyAddresses).length === 0)
      errs.push(required(sp, 'must specify `addresses` or `notReadyAddresses`'));
    for (const f of ['addresses', 'notReadyAddresses'])
      arr(ss[f]).map(obj).forEach((a, j) => {
        const ip = str(a.ip);
        if (!isIP(ip)) errs.push(invalid(child(index(child(sp, f), j), 'ip'), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      });
    errs.push(...validateEndpointPorts(ss.ports, child(sp, 'ports')));
  });
  return errs;
}

export const endpointsRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: false,
  defaults(o) {
    for (const ss of arr(o.subsets)) for (const p of arr(obj(ss).ports)) if (isObj(p) && !p.protocol) p.protocol = 'TCP';
  },
  validate: validateEndpointsSpec,
};

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

function validateEndpointSlice(o: KObj): FieldError[] {
  const errs: FieldError[] = [];
  const at = str(o.addressType);
  if (!at) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(at)) errs.push(notSupported('addressType', at, ADDRESS_TYPES));
  const eps = arr(o.endpoints).map(obj);
  if (eps.length > 1000) errs.push(tooMany('endpoints', eps.length, 1000));
  eps.forEach((ep, i) => {
    const ap = child(index('endpoints', i), 'addresses');
    const addrs = arr(ep.addresses).map(str);
    if (addrs.length === 0) errs.push(required(ap, 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push(tooMany(ap, addrs.length, 100));
    addrs.forEach((a, j) => {
      if (at === 'IPv4' && !IPV4.test(a)) errs.push(invalid(index(ap, j), a, 'must be a valid IPv4 address'));
      if (at === 'FQDN') errs.push(...isDNS1123Subdomain(a).map((m) => invalid(index(ap, j), a, m)));
    });
  });
  const ports = arr(o.ports).map(obj);
  if (ports.length > 100) errs.push(tooMany('ports', ports.length, 100));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = index('ports', i);
    const name = str(p.name);
    if (name) errs.push(...isDNS1123Label(name).map((m) => invalid(child(pp, 'name'), name, m)));
    if (names.has(name)) errs.push(duplicate(child(pp, 'name'), name));
    names.add(name);
    if (p.protocol == null) errs.push(required(child(pp, 'protocol')));
    else if (!PROTOCOLS.includes(str(p.protocol))) errs.push(notSupported(child(pp, 'protocol'), str(p.protocol), PROTOCOLS));
  });
  return errs;
}

export const endpointSliceRules: KindRules = {
  namespaced: true,
  nameRule: 'subdomain',
  hasStatus: false,
  generation: 'spec',
  defaults(o) {
    for (const p of arr(o.ports)) {
      if (!isObj(p)) continue;
      if (p.name === undefined) p.name = '';
      if (p.protocol == null) p.protocol = 'TCP';
    }
  },
  validate: validateEndpointSlice,
  validateUpdate: (n, old) => {
    const errs = validateEndpointSlice(n);
    if (str(n.addressType) !== str(old.addressType)) errs.push(invalid('addressType', str(n.addressType), 'field is immutable'));
    return errs;
  },
};
