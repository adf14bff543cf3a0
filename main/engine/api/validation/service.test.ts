import { describe, expect, it } from 'vitest';
import { applyDefaults, prepareForCreate, prepareForUpdate, validateCreate, validateUpdate } from './index.js';
import { clone } from './format.js';
import { lines } from './testutil.js';
import type { KObj } from '../../store/types.js';

const svc = (spec: Record<string, unknown>, name = 'web'): KObj => {
  const s: KObj = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
  applyDefaults('', 'Service', s);
  return s;
};
const errs = (spec: Record<string, unknown>, name = 'web') => lines(validateCreate('', 'Service', svc(spec, name)));

describe('Service defaults', () => {
  it('ClusterIP', () => {
    const s = svc({ selector: { app: 'web' }, ports: [{ port: 80 }] });
    expect(s.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
    prepareForCreate('', 'Service', s);
    expect(s.status).toEqual({ loadBalancer: {} });
  });
  it('NodePort and LoadBalancer get externalTrafficPolicy', () => {
    expect((svc({ type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] }).spec as any).externalTrafficPolicy).toBe('Cluster');
    expect((svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }).spec as any).allocateLoadBalancerNodePorts).toBe(true);
  });
  it('ExternalName gets no IP families', () => {
    expect((svc({ type: 'ExternalName', externalName: 'example.com' }).spec as any).ipFamilies).toBeUndefined();
  });
});

describe('Service validation', () => {
  it.each([
    ['no ports', { selector: { app: 'w' } }, ['spec.ports: Required value']],
    ['headless without ports', { clusterIP: 'None', selector: { app: 'w' } }, []],
    ['external name', { type: 'ExternalName', externalName: 'db.example.com.' }, []],
    ['port range', { ports: [{ port: 0 }] }, ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['type', { type: 'Magic', ports: [{ port: 80 }] }, ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['names required for several ports', { ports: [{ port: 80 }, { port: 443, name: 'https' }] }, ['spec.ports[0].name: Required value']],
    ['duplicate port names', { ports: [{ port: 80, name: 'web' }, { port: 81, name: 'web' }] }, ['spec.ports[1].name: Duplicate value: "web"']],
    [
      'duplicate ports',
      { ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] },
      ['spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'],
    ],
    ['nodePort range', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }, ['spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767']],
    ['nodePort on ClusterIP', { ports: [{ port: 80, nodePort: 30080 }] }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
  ])('%s', (_n, spec, want) => expect(errs(spec as Record<string, unknown>)).toEqual(want));

  it('service names are DNS-1035 labels', () => {
    expect(errs({ ports: [{ port: 80 }] }, '1web')).toEqual([
      "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });
});

describe('Service update', () => {
  const live = () => {
    const s = svc({ type: 'NodePort', selector: { app: 'w' }, ports: [{ port: 80 }], clusterIP: '10.96.0.10' });
    prepareForCreate('', 'Service', s);
    (s.spec as any).ports[0].nodePort = 30080;
    return s;
  };
  it('carries allocated values a replace leaves out', () => {
    const old = live();
    const next = svc({ type: 'NodePort', selector: { app: 'w' }, ports: [{ port: 80 }] });
    prepareForUpdate('', 'Service', next, old);
    expect((next.spec as any).clusterIP).toBe('10.96.0.10');
    expect((next.spec as any).clusterIPs).toEqual(['10.96.0.10']);
    expect((next.spec as any).ports[0].nodePort).toBe(30080);
    expect(validateUpdate('', 'Service', next, old)).toEqual([]);
  });
  it('rejects a clusterIP change', () => {
    const old = live();
    const next = clone(old);
    (next.spec as any).clusterIP = '10.96.0.99';
    prepareForUpdate('', 'Service', next, old);
    expect(lines(validateUpdate('', 'Service', next, old))).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set']);
  });
  it('switching to ClusterIP drops node ports and externalTrafficPolicy', () => {
    const old = live();
    const next = clone(old);
    (next.spec as any).type = 'ClusterIP';
    applyDefaults('', 'Service', next);
    prepareForUpdate('', 'Service', next, old);
    expect((next.spec as any).ports[0].nodePort).toBeUndefined();
    expect((next.spec as any).externalTrafficPolicy).toBeUndefined();
    expect(validateUpdate('', 'Service', next, old)).toEqual([]);
  });
});
