// What the apiserver does around storage for particular kinds: namespace lifecycle checks,
// Service IP and NodePort allocation. Kept apart from generic REST handling.
import { invalid, StatusError, type FieldError } from './errors.js';
import type { Store } from '../store/store.js';
import type { KObj } from '../store/types.js';

const NS_REF = { group: '', resource: 'namespaces', namespaced: false };
const SVC_REF = { group: '', resource: 'services', namespaced: true };

/** Creating in a namespace requires it to exist and not be terminating (NamespaceLifecycle admission). */
export function checkNamespaceForCreate(store: Store, namespace: string | undefined, resource: string, name: string): void {
  if (!namespace) return;
  const ns = store.get(NS_REF, undefined, namespace);
  if (!ns) throw new StatusError(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
  if (ns.metadata.deletionTimestamp) {
    throw new StatusError(403, 'Forbidden', `${resource} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, {
      name,
      kind: resource,
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
    });
  }
}

// 10.96.0.0/12, as kubeadm's default service CIDR
const SVC_BASE = ipToInt('10.96.0.0');
const SVC_SIZE = 1 << 20;
const NODEPORT_MIN = 30000;
const NODEPORT_MAX = 32767;

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

interface Port {
  name?: string;
  port?: number;
  nodePort?: number;
  protocol?: string;
}
interface SvcSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: Port[];
}

/**
 * Give a Service its cluster IP and node ports (the apiserver's allocators). `old` is the stored
 * Service on update: its allocations carry over.
 */
export function allocateService(store: Store, svc: KObj, old?: KObj): void {
  const spec = (svc.spec ?? {}) as SvcSpec;
  const oldSpec = (old?.spec ?? {}) as SvcSpec;
  const name = svc.metadata.name!;
  const others = store.list(SVC_REF).filter((s) => !(s.metadata.namespace === svc.metadata.namespace && s.metadata.name === name));
  const errs: FieldError[] = [];
  if (spec.type === 'ExternalName') return;

  if (old && oldSpec.clusterIP && !spec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
  if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
  if (spec.clusterIP === 'None') {
    spec.clusterIPs = ['None'];
  } else {
    const used = new Set(others.map((s) => (s.spec as SvcSpec | undefined)?.clusterIP).filter(Boolean));
    if (spec.clusterIP && spec.clusterIP !== oldSpec.clusterIP) {
      const n = ipToInt(spec.clusterIP);
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(spec.clusterIP) || n < SVC_BASE || n >= SVC_BASE + SVC_SIZE) {
        errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', detail: `Invalid value: []string{"${spec.clusterIP}"}: failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is 10.96.0.0/12` });
      } else if (used.has(spec.clusterIP)) {
        errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', detail: `Invalid value: []string{"${spec.clusterIP}"}: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated` });
      }
    } else if (!spec.clusterIP) {
      // random-looking but reproducible: derived from the Service's identity, then probe for a free one
      let off = hash(`${svc.metadata.namespace}/${name}`) % (SVC_SIZE - 2);
      for (;;) {
        const ip = intToIp(SVC_BASE + 1 + off);
        if (!used.has(ip) && !ip.endsWith('.0') && !ip.endsWith('.255') && ip !== '10.96.0.1' && ip !== '10.96.0.10') {
          spec.clusterIP = ip;
          break;
        }
        off = (off + 1) % (SVC_SIZE - 2);
      }
    }
    if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  }

  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    const usedPorts = new Set<number>();
    for (const s of others) for (const p of ((s.spec as SvcSpec | undefined)?.ports ?? [])) if (p.nodePort) usedPorts.add(p.nodePort);
    const oldPorts = new Set((oldSpec.ports ?? []).map((p) => p.nodePort).filter(Boolean));
    (spec.ports ?? []).forEach((p, i) => {
      if (p.nodePort) {
        if (oldPorts.has(p.nodePort)) return;
        if (p.nodePort < NODEPORT_MIN || p.nodePort > NODEPORT_MAX) {
          errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, detail: `Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is ${NODEPORT_MIN}-${NODEPORT_MAX}` });
        } else if (usedPorts.has(p.nodePort)) {
          errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, detail: `Invalid value: ${p.nodePort}: provided port is already allocated` });
        }
        usedPorts.add(p.nodePort);
        return;
      }
      const prev = (oldSpec.ports ?? []).find((q) => q.port === p.port && q.nodePort);
      if (prev?.nodePort) {
        p.nodePort = prev.nodePort;
        return;
      }
      let cand = NODEPORT_MIN + (hash(`${svc.metadata.namespace}/${name}/${i}`) % (NODEPORT_MAX - NODEPORT_MIN + 1));
      while (usedPorts.has(cand)) cand = cand === NODEPORT_MAX ? NODEPORT_MIN : cand + 1;
      p.nodePort = cand;
      usedPorts.add(cand);
    });
  } else {
    for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (errs.length) throw invalid('Service', '', name, errs);
}

const INGRESS_CLASS_REF = { group: 'networking.k8s.io', resource: 'ingressclasses', namespaced: false };

/**
 * DefaultIngressClass admission (on create): an Ingress naming no class, neither by field nor by
 * the legacy annotation, gets the default IngressClass (the newest one if several are marked).
 */
export function defaultIngressClass(store: Store, ing: KObj): void {
  const spec = (ing.spec ?? (ing.spec = {})) as { ingressClassName?: string };
  if (spec.ingressClassName || ing.metadata.annotations?.['kubernetes.io/ingress.class']) return;
  const defaults = store
    .list(INGRESS_CLASS_REF)
    .filter((c) => c.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true')
    .sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
  if (defaults[0]) spec.ingressClassName = defaults[0].metadata.name;
}
