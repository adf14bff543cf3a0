// Traffic inside the cluster, as a learner sees it from a pod with the real kubectl: load spread
// over a Service's pods, NodePort through a node IP, Ingress routing by host, NetworkPolicy
// denying and allowing, and DNS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;

const k = (args: string[], input?: string) => c.ok(args, input);

const until = (args: string[], ok: (out: string) => boolean, timeoutMs = 60_000) => c.waitFor(args, ok, timeoutMs);

const inClient = (script: string) => c.kubectl(['exec', 'client', '--', 'sh', '-c', script]);

beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
  await k(['create', 'deployment', 'whoami', '--image=traefik/whoami', '--replicas=3']);
  await k(['expose', 'deployment', 'whoami', '--port=80']);
  await k(['run', 'client', '--image=curlimages/curl', '--', 'sleep', '86400']);
  await until(['get', 'deploy', 'whoami', '-o', 'jsonpath={.status.availableReplicas}'], (o) => o === '3');
  await until(['get', 'pod', 'client', '-o', 'jsonpath={.status.phase}'], (o) => o === 'Running');
}, 120_000);
afterAll(async () => {
  await c?.stop();
});

describe('traffic inside the cluster', () => {
  it('ten requests to a Service reach more than one of its pods', async () => {
    const r = await inClient('for i in 1 2 3 4 5 6 7 8 9 10; do curl -s http://whoami | grep Hostname; done');
    expect(r.code, r.stderr).toBe(0);
    const hosts = new Set(r.stdout.trim().split('\n').map((l) => l.replace('Hostname: ', '').trim()));
    expect(hosts.size).toBeGreaterThan(1);
    for (const h of hosts) expect(h).toMatch(/^whoami-[a-z0-9]+-[a-z0-9]{5}$/);
  });

  it('DNS: the Service name resolves to its ClusterIP', async () => {
    const ip = await k(['get', 'svc', 'whoami', '-o', 'jsonpath={.spec.clusterIP}']);
    const r = await c.kubectl(['exec', 'client', '--', 'nslookup', 'whoami.default.svc.cluster.local']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Name:\twhoami.default.svc.cluster.local'.replace('\t', r.stdout.includes('Name:\t') ? '\t' : '   '));
    expect(r.stdout).toContain(`Address: ${ip}`);
  });

  it('a NodePort is reachable through a node IP from inside the cluster', async () => {
    await k(['expose', 'deployment', 'whoami', '--name=whoami-np', '--type=NodePort', '--port=80']);
    const port = await k(['get', 'svc', 'whoami-np', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    const nodeIP = await k(['get', 'node', 'node01', '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}']);
    const r = await inClient(`curl -s http://${nodeIP}:${port}/`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Hostname: whoami-/m);
  });

  it('an Ingress with two hosts routes each host to its Service', async () => {
    await k(['create', 'deployment', 'shop', '--image=nginx']);
    await k(['expose', 'deployment', 'shop', '--port=80']);
    await k(['create', 'deployment', 'blog', '--image=httpd']);
    await k(['expose', 'deployment', 'blog', '--port=80']);
    await k(['create', 'ingress', 'sites', '--class=nginx', '--rule=shop.example.com/*=shop:80', '--rule=blog.example.com/*=blog:80']);
    await until(['get', 'deploy', 'shop', 'blog', '-o', 'jsonpath={.items[*].status.availableReplicas}'], (o) => o === '1 1');
    const addr = await until(['get', 'ingress', 'sites', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'], (o) => o.length > 0);
    const shop = await inClient(`curl -s -H 'Host: shop.example.com' http://${addr}/`);
    expect(shop.stdout).toContain('<title>Welcome to nginx!</title>');
    const blog = await inClient(`curl -s -H 'Host: blog.example.com' http://${addr}/`);
    expect(blog.stdout).toContain('It works!');
    const other = await inClient(`curl -s -o /dev/null -w '%{http_code}' -H 'Host: nope.example.com' http://${addr}/`);
    expect(other.stdout).toBe('404');
  });

  it('a NetworkPolicy denying ingress makes requests time out; removing it lets them through', async () => {
    const policy = JSON.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-whoami' },
      spec: { podSelector: { matchLabels: { app: 'whoami' } }, policyTypes: ['Ingress'] },
    });
    await k(['apply', '-f', '-'], policy);
    const denied = await inClient('curl -s -m 3 http://whoami');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/command terminated with exit code 28/);
    await k(['delete', 'networkpolicy', 'deny-whoami']);
    const allowed = await inClient('curl -s -m 3 http://whoami');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/^Hostname: whoami-/m);
  });
});
