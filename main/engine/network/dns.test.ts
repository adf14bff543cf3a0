import { describe, expect, it } from 'vitest';
import { candidates, searchPath } from './dns.js';
import { NETPOL, NetFixture } from './testutil.js';

async function fixture() {
  const f = new NetFixture();
  f.pod('client', '10.244.1.10', { labels: { run: 'client' } });
  f.pod('other', '10.244.2.10', { ns: 'kube-public' });
  f.pod('web-1', '10.244.1.5', { labels: { app: 'web' } });
  f.pod('web-2', '10.244.2.5', { labels: { app: 'web' } });
  f.pod('web-3', '10.244.2.6', { labels: { app: 'web' }, ready: false });
  f.pod('db-0', '10.244.1.7', { labels: { app: 'db' }, hostname: 'db-0', subdomain: 'db' });
  f.service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
  f.service('web-headless', { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] });
  f.service('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] });
  await f.h.settle();
  return f;
}

describe('resolver search path (ndots:5)', () => {
  it.each([
    { name: 'web', want: ['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web'] },
    { name: 'web.default', want: ['web.default.default.svc.cluster.local', 'web.default.svc.cluster.local', 'web.default.cluster.local', 'web.default'] },
    { name: 'a.b.c.d.e.f', want: ['a.b.c.d.e.f', 'a.b.c.d.e.f.default.svc.cluster.local', 'a.b.c.d.e.f.svc.cluster.local', 'a.b.c.d.e.f.cluster.local'] },
    { name: 'web.default.svc.cluster.local.', want: ['web.default.svc.cluster.local'] },
  ])('$name', ({ name, want }) => expect(candidates(name, searchPath('default'))).toEqual(want));
});

describe('CoreDNS answers', async () => {
  const f = await fixture();
  const webIP = (f.h.get('', 'services', 'default', 'web')!.spec as { clusterIP: string }).clusterIP;
  it.each([
    { name: 'web', fqdn: 'web.default.svc.cluster.local', ips: [webIP] },
    { name: 'web.default', fqdn: 'web.default.svc.cluster.local', ips: [webIP] },
    { name: 'web.default.svc', fqdn: 'web.default.svc.cluster.local', ips: [webIP] },
    { name: 'WEB.default.svc.cluster.local.', fqdn: 'web.default.svc.cluster.local', ips: [webIP] },
    { name: 'kubernetes.default', fqdn: 'kubernetes.default.svc.cluster.local', ips: ['10.96.0.1'] },
    { name: 'kube-dns.kube-system', fqdn: 'kube-dns.kube-system.svc.cluster.local', ips: ['10.96.0.10'] },
    { name: 'db-0.db', fqdn: 'db-0.db.default.svc.cluster.local', ips: ['10.244.1.7'] },
    { name: '10-244-2-5.web-headless', fqdn: '10-244-2-5.web-headless.default.svc.cluster.local', ips: ['10.244.2.5'] },
    { name: '10-244-9-9.default.pod.cluster.local', fqdn: '10-244-9-9.default.pod.cluster.local', ips: ['10.244.9.9'] },
    { name: 'localhost', fqdn: 'localhost', ips: ['127.0.0.1'] },
    { name: 'client', fqdn: 'client', ips: ['10.244.1.10'] },
  ])('$name → $ips', ({ name, fqdn, ips }) => {
    const a = f.net.resolve(name, f.from('client'));
    expect(a).toMatchObject({ fqdn, ips, server: '10.96.0.10' });
  });

  it('headless Services answer with their ready pods (rotated like loadbalance)', () => {
    const a = f.net.resolve('web-headless', f.from('client'))!;
    expect([...a.ips].sort()).toEqual(['10.244.1.5', '10.244.2.5']);
    const b = f.net.resolve('web-headless', f.from('client'))!;
    expect(b.ips[0]).not.toBe(a.ips[0]);
  });

  it.each(['nope', 'web.kube-public', 'google.com', '10-244-1-1.missing-ns.pod.cluster.local', 'x.web.default.svc.cluster.local'])('%s is NXDOMAIN', (name) => {
    expect(f.net.resolve(name, f.from('client'))).toBeUndefined();
  });

  it('short names follow the asking pod\'s namespace', () => {
    expect(f.net.resolve('web', f.from('other', 'kube-public'))).toBeUndefined();
    expect(f.net.resolve('web.default', f.from('other', 'kube-public'))?.ips).toEqual([webIP]);
  });

  it.each([
    { ip: '10.96.0.10', want: 'kube-dns.kube-system.svc.cluster.local' },
    { ip: '10.96.0.1', want: 'kubernetes.default.svc.cluster.local' },
    { ip: '10.244.1.5', want: '10-244-1-5.web.default.svc.cluster.local' },
    { ip: '10.244.1.7', want: 'db-0.db.default.svc.cluster.local' },
    { ip: '10.244.1.10', want: undefined },
  ])('reverse $ip', ({ ip, want }) => expect(f.net.reverse(ip)).toBe(want));

  it('nodes do not use cluster DNS', () => {
    expect(f.net.resolve('web.default.svc.cluster.local', { node: 'node01' })).toBeUndefined();
    expect(f.net.resolve('node02', { node: 'node01' })?.ips).toEqual(['172.30.2.3']);
  });
});

describe('DNS reachability', () => {
  it('times out without a ready CoreDNS pod', async () => {
    const f = await fixture();
    f.h.client.modifyStatus(f.h.client.def('', 'pods'), 'kube-system', 'coredns-1', (p) => void ((p.status as { conditions: unknown[] }).conditions = [{ type: 'Ready', status: 'False' }]));
    await f.h.settle();
    expect(f.net.resolve('web', f.from('client'))).toMatchObject({ ips: [], timedOut: true });
    expect(f.net.http(f.from('client'), { url: 'http://web/' })).toEqual({ ok: false, error: { kind: 'unresolved', host: 'web' } });
  });

  it('an egress default-deny blocks DNS until port 53 to kube-dns is allowed', async () => {
    const f = await fixture();
    f.create(NETPOL, { metadata: { name: 'deny-egress', namespace: 'default' }, spec: { podSelector: {}, policyTypes: ['Egress'] } });
    expect(f.net.resolve('web', f.from('client'))?.timedOut).toBe(true);
    f.create(NETPOL, {
      metadata: { name: 'allow-dns', namespace: 'default' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] }],
      },
    });
    expect(f.net.resolve('web', f.from('client'))?.timedOut).toBeUndefined();
    // the name resolves, but the connection itself is still dropped
    expect(f.get(f.from('client'), 'http://web/')).toBe('timeout');
  });
});
