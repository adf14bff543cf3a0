import { describe, expect, it } from 'vitest';
import type { KObj } from '../../store/types.js';
import { endpointSlicePrinter, endpointsPrinter, formatEndpoints, ingressClassPrinter, ingressPrinter, servicePrinter } from './service.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: '2025-05-31T12:00:00Z' }); // 24h ago
const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KObj => ({ apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec, status });

describe('service printer', () => {
  it.each<[string, KObj, unknown[]]>([
    ['ClusterIP', svc({ type: 'ClusterIP', clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'web' } }),
      ['web', 'ClusterIP', '10.96.12.34', '<none>', '80/TCP', '24h', 'app=web']],
    ['NodePort, two ports', svc({ type: 'NodePort', clusterIPs: ['10.96.0.20'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, nodePort: 30053, protocol: 'UDP' }], selector: { tier: 'fe', app: 'web' } }),
      ['web', 'NodePort', '10.96.0.20', '<none>', '80:30080/TCP,53:30053/UDP', '24h', 'app=web,tier=fe']],
    ['headless', svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }], selector: { app: 'db' } }),
      ['web', 'ClusterIP', 'None', '<none>', '5432/TCP', '24h', 'app=db']],
    ['LoadBalancer pending, no selector, no ports', svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.30'] }),
      ['web', 'LoadBalancer', '10.96.0.30', '<pending>', '<none>', '24h', '<none>']],
    ['LoadBalancer with ingress (sorted, unique, never clipped)',
      svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.30'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] },
        { loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { hostname: 'a-very-long-hostname.example.com' }, { ip: '203.0.113.10' }] } }),
      ['web', 'LoadBalancer', '10.96.0.30', '203.0.113.10,a-very-long-hostname.example.com', '443:31443/TCP', '24h', '<none>']],
    ['LoadBalancer ingress plus externalIPs', svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.30'], externalIPs: ['198.51.100.7'] }, { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } }),
      ['web', 'LoadBalancer', '10.96.0.30', '203.0.113.10,198.51.100.7', '<none>', '24h', '<none>']],
    ['externalIPs on ClusterIP', svc({ type: 'ClusterIP', clusterIPs: ['10.96.0.40'], externalIPs: ['1.2.3.4', '5.6.7.8'], ports: [{ port: 80 }] }),
      ['web', 'ClusterIP', '10.96.0.40', '1.2.3.4,5.6.7.8', '80/TCP', '24h', '<none>']],
    ['ExternalName', svc({ type: 'ExternalName', externalName: 'db.example.com' }), ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '24h', '<none>']],
  ])('%s', (_n, obj, want) => {
    expect(servicePrinter.cells(obj, NOW)).toEqual(want);
  });
});

describe('endpoints', () => {
  const addr = (...ips: string[]) => ips.map((ip) => ({ ip }));
  it.each<[string, unknown[], string]>([
    ['no subsets', [], '<none>'],
    ['subset without addresses', [{ notReadyAddresses: addr('10.0.0.1'), ports: [{ port: 80 }] }], ''],
    ['one port, two addresses', [{ addresses: addr('10.244.1.5', '10.244.2.3'), ports: [{ port: 80, protocol: 'TCP' }] }], '10.244.1.5:80,10.244.2.3:80'],
    ['four addresses', [{ addresses: addr('10.244.1.5', '10.244.2.3', '10.244.2.4', '10.244.3.9'), ports: [{ port: 80 }] }], '10.244.1.5:80,10.244.2.3:80,10.244.2.4:80 + 1 more...'],
    ['two ports × three addresses', [{ addresses: addr('10.0.0.1', '10.0.0.2', '10.0.0.3'), ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] }], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 3 more...'],
    ['headless without ports', [{ addresses: addr('10.0.0.1', '10.0.0.2') }], '10.0.0.1,10.0.0.2'],
    ['IPv6 gets brackets', [{ addresses: addr('fd00::1'), ports: [{ port: 80 }] }], '[fd00::1]:80'],
    ['across subsets', [{ addresses: addr('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }] }, { addresses: addr('10.0.0.3', '10.0.0.4'), ports: [{ port: 8080 }] }], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:8080 + 1 more...'],
  ])('%s', (_n, subsets, want) => {
    expect(formatEndpoints(subsets)).toBe(want);
  });
  it('row', () => {
    const ep: KObj = { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web'), subsets: [{ addresses: addr('10.244.1.5'), ports: [{ port: 80 }] }] };
    expect(endpointsPrinter.cells(ep, NOW)).toEqual(['web', '10.244.1.5:80', '24h']);
  });
});

describe('endpointslice', () => {
  const slice = (ports: unknown, endpoints: unknown): KObj => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('web-abc12'), addressType: 'IPv4', ports, endpoints });
  it.each<[string, KObj, unknown[]]>([
    ['typical', slice([{ name: '', port: 80, protocol: 'TCP' }], [{ addresses: ['10.244.1.5'] }, { addresses: ['10.244.2.3'] }]), ['web-abc12', 'IPv4', '80', '10.244.1.5,10.244.2.3', '24h']],
    ['empty', slice([], []), ['web-abc12', 'IPv4', '<unset>', '<unset>', '24h']],
    ['port without number uses name, then *', slice([{ name: 'http' }, {}], [{ addresses: ['a', 'b', 'c', 'd', 'e'] }]), ['web-abc12', 'IPv4', 'http,*', 'a,b,c + 2 more...', '24h']],
    ['more than three ports', slice([{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }], null), ['web-abc12', 'IPv4', '1,2,3 + 1 more...', '<unset>', '24h']],
  ])('%s', (_n, obj, want) => {
    expect(endpointSlicePrinter.cells(obj, NOW)).toEqual(want);
  });
});

describe('ingress', () => {
  const ing = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KObj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('web'), spec, status });
  it.each<[string, KObj, unknown[]]>([
    ['no class, no host, no address', ing({ rules: [{ http: {} }] }), ['web', '<none>', '*', '', '80', '24h']],
    ['class, hosts, tls, address', ing({ ingressClassName: 'nginx', tls: [{ hosts: ['a.example.com'] }], rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }] }, { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } }),
      ['web', 'nginx', 'a.example.com,b.example.com', '192.0.2.1', '80, 443', '24h']],
    ['more than three rules (count includes host-less rules)', ing({ rules: [{ host: 'a' }, { host: 'b' }, {}, { host: 'c' }, { host: 'd' }] }), ['web', '<none>', 'a,b,c + 2 more...', '', '80', '24h']],
  ])('%s', (_n, obj, want) => {
    expect(ingressPrinter.cells(obj, NOW)).toEqual(want);
  });

  it('ingressclass parameters', () => {
    const ic = (spec: Record<string, unknown>): KObj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('nginx'), spec });
    expect(ingressClassPrinter.cells(ic({ controller: 'k8s.io/ingress-nginx' }), NOW)).toEqual(['nginx', 'k8s.io/ingress-nginx', '<none>', '24h']);
    expect(ingressClassPrinter.cells(ic({ controller: 'example.com/c', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } }), NOW)).toEqual([
      'nginx', 'example.com/c', 'IngressParameters.k8s.example.com/external-lb', '24h',
    ]);
    expect(ingressClassPrinter.cells(ic({ controller: 'c', parameters: { kind: 'ConfigMap', name: 'p' } }), NOW)[2]).toBe('ConfigMap/p');
  });
});
