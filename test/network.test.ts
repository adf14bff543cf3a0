// The simulated cluster network as kubectl shows it, against the real engine on a fast clock:
// LoadBalancer Services get an EXTERNAL-IP from the MetalLB-like pool, Ingresses of the default
// `nginx` class get the ingress controller's ADDRESS, NetworkPolicies are served and printed.
// (Traffic through `kubectl exec`/`run -- wget` is tested with the exec/shell work.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
}, 90_000);
afterAll(async () => {
  await c?.stop();
});

const k = (args: string[], input?: string) => c.ok(args, input);

const until = (args: string[], ok: (out: string) => boolean, timeoutMs = 30_000) => c.waitFor(args, ok, timeoutMs);

const cells = (line: string) => line.trim().split(/\s{2,}|\s+(?=\S)/);

describe('Services and Ingress as kubectl shows them', () => {
  it('a LoadBalancer Service shows its EXTERNAL-IP', async () => {
    await k(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    await k(['expose', 'deployment', 'web', '--port=80', '--type=LoadBalancer']);
    const ip = await until(['get', 'svc', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'], (o) => o !== '');
    expect(ip).toBe('172.30.255.1');
    const out = await k(['get', 'svc', 'web']);
    const [header, row] = out.trim().split('\n');
    expect(cells(header!)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(row).toMatch(/^web\s+LoadBalancer\s+10\.\d+\.\d+\.\d+\s+172\.30\.255\.1\s+80:3\d{4}\/TCP\s+\S+$/);
    const events = await k(['get', 'events', '--field-selector', 'involvedObject.name=web,involvedObject.kind=Service', '-o', 'jsonpath={.items[*].reason}']);
    expect(events).toContain('IPAllocated');
  });

  it('the default IngressClass is nginx', async () => {
    const out = await k(['get', 'ingressclass']);
    expect(out).toMatch(/^NAME\s+CONTROLLER\s+PARAMETERS\s+AGE\n/);
    expect(out).toMatch(/\nnginx\s+k8s\.io\/ingress-nginx\s+<none>\s+\S+\n/);
    expect(await k(['get', 'ingressclass', 'nginx', '-o', 'jsonpath={.metadata.annotations.ingressclass\\.kubernetes\\.io/is-default-class}'])).toBe('true');
  });

  it('an Ingress with two hosts shows CLASS, HOSTS, ADDRESS and PORTS', async () => {
    await k(['create', 'ingress', 'demo', '--class=nginx', '--rule=foo.example.com/=web:80', '--rule=bar.example.com/*=web:80']);
    await k(['create', 'ingress', 'secure', '--class=nginx', '--rule=secure.example.com/*=web:80,tls=secure-tls']);
    await until(['get', 'ingress', 'demo', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'], (o) => o === '172.30.2.2');
    await until(['get', 'ingress', 'secure', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'], (o) => o === '172.30.2.2');
    const lines = (await k(['get', 'ingress'])).trim().split('\n');
    expect(cells(lines[0]!)).toEqual(['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
    expect(lines[1]).toMatch(/^demo\s+nginx\s+foo\.example\.com,bar\.example\.com\s+172\.30\.2\.2\s+80\s+\S+$/);
    expect(lines[2]).toMatch(/^secure\s+nginx\s+secure\.example\.com\s+172\.30\.2\.2\s+80, 443\s+\S+$/);
  });
});

describe('NetworkPolicy', () => {
  it('is served, defaulted and printed with its POD-SELECTOR', async () => {
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all' }, spec: { podSelector: {} } }));
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db' }, spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] } }));
    const lines = (await k(['get', 'netpol'])).trim().split('\n');
    expect(cells(lines[0]!)).toEqual(['NAME', 'POD-SELECTOR', 'AGE']);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([['db', 'app=db'], ['deny-all', '<none>']]);
    expect(await k(['get', 'networkpolicy', 'db', '-o', 'jsonpath={.spec.policyTypes} {.spec.ingress[0].ports[0].protocol}'])).toBe('["Ingress"] TCP');
    const bad = await c.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bad' }, spec: { podSelector: {}, ingress: [{ from: [{}] }] } }) });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('The NetworkPolicy "bad" is invalid: spec.ingress[0].from[0]: Required value: must specify a peer');
  });
});
