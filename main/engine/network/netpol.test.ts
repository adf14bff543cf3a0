import { describe, expect, it } from 'vitest';
import { StatusError } from '../api/errors.js';
import { networkPolicyPrinter } from '../api/printers/service.js';
import { ING, NETPOL, NS, NetFixture } from './testutil.js';

async function fixture() {
  const f = new NetFixture();
  f.create(NS, { metadata: { name: 'frontend', labels: { team: 'fe' } } });
  f.pod('client', '10.244.1.10', { labels: { role: 'client' } });
  f.pod('stranger', '10.244.1.11', { labels: { role: 'other' } });
  f.pod('fe', '10.244.2.10', { ns: 'frontend', labels: { role: 'client' } });
  f.pod('db', '10.244.2.5', { labels: { app: 'db' }, listen: [5432, 8080], ports: [{ name: 'pg', containerPort: 5432 }, { name: 'metrics', containerPort: 8080 }] });
  f.service('db', { selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }, { name: 'metrics', port: 8080 }] });
  await f.h.settle();
  return f;
}

const policy = (name: string, spec: Record<string, unknown>, namespace = 'default') => ({ metadata: { name, namespace }, spec });
const dbSel = { matchLabels: { app: 'db' } };

describe('NetworkPolicy enforcement', () => {
  it.each([
    { name: 'no policy: everything flows', policies: [], want: { client: 'ok', stranger: 'ok', fe: 'ok', metrics: 'ok' } },
    { name: 'default deny ingress', policies: [policy('deny', { podSelector: {}, policyTypes: ['Ingress'] })], want: { client: 'timeout', stranger: 'timeout', fe: 'timeout', metrics: 'timeout' } },
    {
      name: 'allow from a podSelector (same namespace only)',
      policies: [policy('p', { podSelector: dbSel, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] })],
      want: { client: 'ok', stranger: 'timeout', fe: 'timeout', metrics: 'ok' },
    },
    {
      name: 'namespaceSelector AND podSelector in one peer',
      policies: [policy('p', { podSelector: dbSel, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'fe' } }, podSelector: { matchLabels: { role: 'client' } } }] }] })],
      want: { client: 'timeout', stranger: 'timeout', fe: 'ok', metrics: 'timeout' },
    },
    {
      name: 'ipBlock with except, on a named port only',
      policies: [policy('p', { podSelector: dbSel, ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.1.11/32'] } }], ports: [{ port: 'pg' }] }] })],
      want: { client: 'ok', stranger: 'timeout', fe: 'ok', metrics: 'timeout' },
    },
    {
      name: 'port range',
      policies: [policy('p', { podSelector: dbSel, ingress: [{ ports: [{ port: 5000, endPort: 6000 }] }] })],
      want: { client: 'ok', stranger: 'ok', fe: 'ok', metrics: 'timeout' },
    },
    { name: 'allow all ingress', policies: [policy('p', { podSelector: dbSel, ingress: [{}] })], want: { client: 'ok', stranger: 'ok', fe: 'ok', metrics: 'ok' } },
    {
      name: 'egress deny on the clients (Egress only)',
      policies: [policy('p', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'] })],
      // pods that cannot reach DNS cannot even name the Service
      want: { client: 'unresolved', stranger: 'ok', fe: 'ok', metrics: 'unresolved' },
    },
  ])('$name', async ({ policies, want }) => {
    const f = await fixture();
    for (const p of policies) f.create(NETPOL, p);
    const r = (from: string, ns: string, url: string) => {
      const res = f.net.http(f.from(from, ns), { url });
      return res.ok ? 'ok' : res.error.kind;
    };
    expect({
      client: r('client', 'default', 'http://db:5432/'),
      stranger: r('stranger', 'default', 'http://db.default:5432/'),
      fe: r('fe', 'frontend', 'http://db.default:5432/'),
      metrics: r('client', 'default', 'http://db:8080/'),
    }).toEqual(want);
  });

  it('removing the denying policy lets traffic through again; the ingress controller can be admitted by namespace', async () => {
    const f = await fixture();
    f.create(NETPOL, policy('deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    expect(f.get(f.from('client'), 'http://10.244.2.5:5432/')).toBe('timeout');
    f.h.client.delete(NETPOL, 'default', 'deny');
    expect(f.get(f.from('client'), 'http://10.244.2.5:5432/')).toBe('db');

    f.create(ING, { metadata: { name: 'db', namespace: 'default' }, spec: { ingressClassName: 'nginx', rules: [{ host: 'db.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'db', port: { number: 8080 } } } }] } }] } });
    f.create(NETPOL, policy('only-ingress', { podSelector: dbSel, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }] }));
    expect(f.get(f.from('client'), 'http://db:8080/')).toBe('timeout');
    expect(f.get(f.from('client'), 'http://172.30.2.2/', { Host: 'db.local' })).toBe('db');
    f.h.client.delete(NETPOL, 'default', 'only-ingress');
    f.create(NETPOL, policy('deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    // ingress-nginx waits for the backend, then gives up with 504
    expect(f.get(f.from('client'), 'http://172.30.2.2/', { Host: 'db.local' })).toBe('504');
  });
});

describe('NetworkPolicy API', async () => {
  const f = await fixture();
  it('defaults policyTypes and protocols', () => {
    const a = f.create(NETPOL, policy('a', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }));
    expect(a.spec).toEqual({ podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }], policyTypes: ['Ingress'] });
    const b = f.create(NETPOL, policy('b', { podSelector: {}, egress: [{}] }));
    expect((b.spec as { policyTypes: string[] }).policyTypes).toEqual(['Ingress', 'Egress']);
  });
  it.each([
    { spec: { podSelector: {}, ingress: [{ from: [{}] }] }, msg: 'spec.ingress[0].from[0]: Required value: must specify a peer' },
    { spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }, msg: 'spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer' },
    { spec: { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'ICMP' }] }] }, msg: 'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"' },
    { spec: { podSelector: {}, egress: [{ ports: [{ port: 90, endPort: 80 }] }] }, msg: 'spec.egress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`' },
    { spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }] }] }, msg: 'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.0.0/16": must be a strict subset of `cidr`' },
    { spec: { podSelector: {}, policyTypes: ['Both'] }, msg: 'spec.policyTypes[0]: Unsupported value: "Both": supported values: "Ingress", "Egress"' },
  ])('rejects $msg', ({ spec, msg }) => {
    let err: unknown;
    try {
      f.create(NETPOL, policy('bad', spec));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).message).toContain(msg);
  });
  it('prints NAME POD-SELECTOR AGE', () => {
    expect(networkPolicyPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Pod-Selector', 'Age']);
    const p = f.create(NETPOL, policy('c', { podSelector: { matchLabels: { app: 'db' } } }));
    expect(networkPolicyPrinter.cells(p, f.h.clock.now() + 5000).slice(0, 2)).toEqual(['c', 'app=db']);
    expect(networkPolicyPrinter.cells(f.h.get('networking.k8s.io', 'networkpolicies', 'default', 'a')!, f.h.clock.now())[1]).toBe('<none>');
  });
});
