import { describe, expect, it } from 'vitest';
import { parseUrl } from './network.js';
import { NetFixture, SVC } from './testutil.js';

async function fixture() {
  const f = new NetFixture();
  f.pod('client', '10.244.1.10', { labels: { run: 'client' } });
  for (const [i, ip] of ['10.244.1.5', '10.244.2.5', '10.244.2.6'].entries()) {
    f.pod(`web-${i + 1}`, ip, { labels: { app: 'web' }, node: i ? 'node02' : 'node01', listen: [8080], ports: [{ name: 'http', containerPort: 8080 }] });
  }
  f.pod('web-down', '10.244.1.6', { labels: { app: 'web' }, ready: false, listen: [8080] });
  f.service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] });
  f.service('none', { selector: { app: 'nothing' }, ports: [{ port: 80 }] });
  await f.h.settle();
  return f;
}

const ip = (f: NetFixture, name: string) => (f.h.get('', 'services', 'default', name)!.spec as { clusterIP: string }).clusterIP;

describe('parseUrl', () => {
  it.each([
    { url: 'web', want: { scheme: 'http', host: 'web', port: 80, path: '/' } },
    { url: 'http://10.96.0.12:8080/a?b=1', want: { scheme: 'http', host: '10.96.0.12', port: 8080, path: '/a?b=1' } },
    { url: 'https://Foo.example.com', want: { scheme: 'https', host: 'foo.example.com', port: 443, path: '/' } },
  ])('$url', ({ url, want }) => expect(parseUrl(url)).toEqual(want));
});

describe('kube-proxy routing', async () => {
  const f = await fixture();

  it('spreads requests over the ready endpoints (round robin) through the named targetPort', () => {
    const served = Array.from({ length: 6 }, () => f.get(f.from('client'), 'http://web/'));
    expect(served.sort()).toEqual(['web-1', 'web-1', 'web-2', 'web-2', 'web-3', 'web-3']);
    expect(f.procs.served.at(-1)).toMatchObject({ port: 8080, path: '/', from: '10.244.1.10' });
  });

  it.each([
    { url: () => `http://${ip(f, 'web')}/`, want: /^web-\d$/ },
    { url: () => 'http://web.default.svc.cluster.local/', want: /^web-\d$/ },
    { url: () => 'http://none/', want: /^refused$/ },
    { url: () => `http://${ip(f, 'web')}:81/`, want: /^timeout$/ },
    { url: () => 'http://10.244.1.5:8080/', want: /^web-1$/ },
    { url: () => 'http://10.244.1.5:9999/', want: /^refused$/ },
    { url: () => 'http://10.244.77.7/', want: /^timeout$/ },
    { url: () => 'http://10.96.200.200/', want: /^timeout$/ },
    { url: () => 'http://nope/', want: /^unresolved$/ },
    { url: () => 'http://127.0.0.1/', want: /^client$/ },
  ])('$want for a request to the url', ({ url, want }) => expect(f.get(f.from('client'), url())).toMatch(want));

  it('reports the requested host and port in errors', () => {
    expect(f.net.http(f.from('client'), { url: 'http://none:80/' })).toEqual({ ok: false, error: { kind: 'refused', host: 'none', port: 80 } });
    expect(f.net.tcp(f.from('client'), 'web', 80)).toEqual({ ok: true });
    expect(f.net.tcp(f.from('client'), 'none', 80)).toEqual({ ok: false, error: { kind: 'refused', host: 'none', port: 80 } });
  });
});

describe('session affinity, NodePort, LoadBalancer, host network', () => {
  it('ClientIP affinity sticks to one endpoint until its timeout', async () => {
    const f = await fixture();
    f.h.client.modify(SVC, 'default', 'web', (s) => {
      Object.assign(s.spec as object, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } });
    });
    const first = f.get(f.from('client'), 'http://web/');
    for (let i = 0; i < 5; i++) expect(f.get(f.from('client'), 'http://web/')).toBe(first);
    await f.h.advance(61_000, 61_000);
    expect(f.get(f.from('client'), 'http://web/')).not.toBe(first);
  });

  it('a NodePort answers on every node IP and the pod sees the node as the client', async () => {
    const f = await fixture();
    const svc = f.service('web-np', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });
    await f.h.settle();
    expect((svc.spec as { ports: Array<{ nodePort: number }> }).ports[0]!.nodePort).toBe(30080);
    for (const node of ['172.30.1.2', '172.30.2.2', '172.30.2.3']) expect(f.get(f.from('client'), `http://${node}:30080/`)).toMatch(/^web-\d$/);
    expect(f.procs.served.at(-1)?.from).toBe('172.30.2.3');
    expect(f.get({ node: 'node01' }, 'http://172.30.2.3:30080/')).toMatch(/^web-\d$/);
    expect(f.get(f.from('client'), 'http://172.30.2.2:30081/')).toBe('refused');
  });

  it('a LoadBalancer Service gets an IP from the pool and answers on it', async () => {
    const f = await fixture();
    f.service('web-lb', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 8000, targetPort: 8080 }] });
    f.service('web-lb2', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 8000, targetPort: 8080 }] });
    await f.h.settle();
    const st = (n: string) => f.h.get('', 'services', 'default', n)!.status;
    expect(st('web-lb')).toEqual({ loadBalancer: { ingress: [{ ip: '172.30.255.1', ipMode: 'VIP' }] } });
    expect(st('web-lb2')).toEqual({ loadBalancer: { ingress: [{ ip: '172.30.255.2', ipMode: 'VIP' }] } });
    expect(f.h.eventsFor('web-lb', 'default')).toContain('Normal IPAllocated: Assigned IP ["172.30.255.1"]');
    expect(f.get({ external: true }, 'http://172.30.255.1:8000/')).toMatch(/^web-\d$/);
    f.h.client.modify(SVC, 'default', 'web-lb', (s) => void ((s.spec as { type: string }).type = 'ClusterIP'));
    await f.h.settle();
    expect(st('web-lb')).toEqual({ loadBalancer: {} });
    expect(f.get({ external: true }, 'http://172.30.255.1:8000/')).toBe('timeout');
  });

  it('hostNetwork pods and hostPorts answer on their node IP', async () => {
    const f = await fixture();
    f.pod('agent', '172.30.2.3', { hostNetwork: true, node: 'node02', listen: [9100] });
    f.pod('hp', '10.244.1.20', { node: 'node01', listen: [80], ports: [{ containerPort: 80, hostPort: 8081 }] });
    expect(f.get(f.from('client'), 'http://172.30.2.3:9100/')).toBe('agent');
    expect(f.get(f.from('client'), 'http://172.30.2.2:8081/')).toBe('hp');
    expect(f.get(f.from('client'), 'http://172.30.2.2:9100/')).toBe('refused');
  });
});

describe('port-forward', () => {
  it('reaches the pod directly, whatever the policies', async () => {
    const f = await fixture();
    f.create(f.h.client.def('networking.k8s.io', 'networkpolicies'), { metadata: { name: 'deny', namespace: 'default' }, spec: { podSelector: {} } });
    const r = f.net.portForward('default', 'web-1', 8080, { url: 'http://localhost:8080/x' });
    expect(r.ok && r.response.servedBy?.pod).toBe('web-1');
    expect(f.procs.served.at(-1)).toMatchObject({ path: '/x', from: '127.0.0.1' });
    expect(f.net.portForward('default', 'web-1', 9999, { url: 'http://localhost:9999/' })).toEqual({ ok: false, error: { kind: 'refused', host: 'localhost', port: 9999 } });
  });
});
