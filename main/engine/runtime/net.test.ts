import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import type { ClusterNetwork, HttpResult } from '../network/types.js';
import { createRuntime } from './index.js';
import type { ContainerRunSpec, ExecSession } from './types.js';

const T0 = Date.UTC(2026, 10, 23, 3, 22, 29);
const PAGE = '<!DOCTYPE html>\n<title>Welcome to nginx!</title>\n';

/** a tiny cluster: Service web (10.96.12.7:80), pod 10.244.2.5; `blocked` drops traffic (NetworkPolicy) */
const fakeNet: ClusterNetwork = {
  resolve(name, from) {
    const ns = from.pod?.namespace ?? 'default';
    if (name === 'echo-host') return { fqdn: `echo-host.${ns}.svc.cluster.local`, ips: ['10.96.12.10'], server: '10.96.0.10' };
    const fq: Record<string, string> = { web: `web.${ns}.svc.cluster.local`, [`web.${ns}`]: `web.${ns}.svc.cluster.local`, blocked: `blocked.${ns}.svc.cluster.local`, empty: `empty.${ns}.svc.cluster.local` };
    const ips: Record<string, string> = { web: '10.96.12.7', blocked: '10.96.12.8', empty: '10.96.12.9' };
    const base = name.split('.')[0]!;
    return fq[name] ? { fqdn: fq[name]!, ips: [ips[base]!], server: '10.96.0.10' } : undefined;
  },
  reverse: (ip) => ({ '10.96.0.1': 'kubernetes.default.svc.cluster.local', '10.244.2.5': '10-244-2-5.default.pod.cluster.local' })[ip],
  http(_from, req): HttpResult {
    const u = new URL(req.url);
    if (u.hostname === 'echo-host') return { ok: true, response: { status: 200, statusText: 'OK', headers: {}, body: `host=${req.headers?.Host}` } };
    if (u.hostname === 'nope') return { ok: false, error: { kind: 'unresolved', host: 'nope' } };
    if (u.hostname === 'blocked') return { ok: false, error: { kind: 'timeout', host: 'blocked', port: 80 } };
    if (u.hostname === 'empty' || u.port === '81') return { ok: false, error: { kind: 'refused', host: u.hostname, port: Number(u.port || 80) } };
    if (u.pathname !== '/') return { ok: true, response: { status: 404, statusText: 'Not Found', headers: {}, body: 'nf' } };
    return { ok: true, response: { status: 200, statusText: 'OK', headers: { Server: 'nginx/1.27.3', 'Content-Length': '48' }, body: PAGE } };
  },
  tcp: (_f, host, port) => (host === 'web' && port === 80 ? { ok: true } : host === 'blocked' ? { ok: false, error: { kind: 'timeout', host, port } } : { ok: false, error: { kind: 'refused', host, port } }),
};

const rt = createRuntime({ network: () => fakeNet });

function container(image: string, spec: Partial<ContainerRunSpec> = {}) {
  const clock = new ManualClock(T0);
  const pulled = rt.images.pull(image, new Set());
  if (!pulled.ok) throw new Error(pulled.message);
  const p = rt.start(
    { name: 'c', image: pulled.ref, command: ['sleep', 'infinity'], env: {}, hostname: 'client', podIP: '10.244.1.9', pod: { namespace: 'default', name: 'client', labels: {}, node: 'node01' }, ...spec },
    clock,
  );
  return { p, clock };
}

/** run an exec to completion on the manual clock; returns output and the simulated time it took */
function run(image: string, script: string) {
  const { p, clock } = container(image);
  const s: ExecSession = p.openExec!(['sh', '-c', script], { stdin: false, tty: false });
  let out = '';
  let err = '';
  let code: number | undefined;
  s.onOutput((stream, t) => (stream === 'stdout' ? (out += t) : (err += t)));
  s.onExit((e) => (code = e.exitCode));
  for (let i = 0; i < 400 && code === undefined; i++) clock.advance(1000);
  return { out, err, code, took: clock.now() - T0 };
}

describe('network tools inside containers', () => {
  it.each([
    ['busybox', 'wget -qO- web', { out: PAGE, err: '', code: 0 }],
    ['busybox', 'wget -O- http://web/', { out: PAGE, err: `Connecting to web (10.96.12.7:80)\nwriting to stdout\n-                    100% |${'*'.repeat(32)}|    49  0:00:00 ETA\nwritten to stdout\n`, code: 0 }],
    ['busybox', 'wget -qO- nope', { out: '', err: "wget: bad address 'nope'\n", code: 1 }],
    ['busybox', 'wget -qO- empty', { out: '', err: "wget: can't connect to remote host (10.96.12.9): Connection refused\n", code: 1 }],
    ['busybox', 'wget -qO- -T 5 blocked', { out: '', err: 'wget: download timed out\n', code: 1 }],
    ['busybox', 'wget -qO- web/x', { out: '', err: 'wget: server returned error: HTTP/1.1 404 Not Found\n', code: 1 }],
    ['curlimages/curl', 'curl -s web', { out: PAGE, err: '', code: 0 }],
    ['curlimages/curl', 'curl nope', { out: '', err: 'curl: (6) Could not resolve host: nope\n', code: 6 }],
    ['curlimages/curl', 'curl -s empty', { out: '', err: '', code: 7 }],
    ['curlimages/curl', 'curl -sS empty', { out: '', err: "curl: (7) Failed to connect to empty port 80 after 0 ms: Couldn't connect to server\n", code: 7 }],
    ['curlimages/curl', 'curl -sS --connect-timeout 10 blocked', { out: '', err: 'curl: (28) Connection timed out after 10002 milliseconds\n', code: 28 }],
    ['curlimages/curl', 'curl -s -o /dev/null -w "%{http_code}" web/x', { out: '404', err: '', code: 0 }],
    ['curlimages/curl', 'curl -sI web', { out: 'HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\nContent-Length: 48\r\n\r\n', err: '', code: 0 }],
    ['busybox', 'nslookup web', { out: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.12.7\n\n', err: '', code: 0 }],
    ['busybox', 'nslookup nope', { out: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n', err: "** server can't find nope.default.svc.cluster.local: NXDOMAIN\n\n", code: 1 }],
    ['busybox', 'nslookup 10.96.0.1', { out: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local\n\n', err: '', code: 0 }],
    ['busybox', 'nc -zv web 80', { out: '', err: 'web (10.96.12.7:80) open\n', code: 0 }],
    ['busybox', 'nc -z web 81', { out: '', err: "nc: can't connect to remote host (10.96.12.7): Connection refused\n", code: 1 }],
    ['busybox', 'curl web', { out: '', err: 'sh: curl: not found\n', code: 127 }],
    ['nginx', 'wget web', { out: '', err: 'sh: 1: wget: not found\n', code: 127 }],
    ['busybox', 'cat /etc/resolv.conf', { out: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n', err: '', code: 0 }],
    ['busybox', 'hostname', { out: 'client\n', err: '', code: 0 }],
  ])('%s: %s', (image, script, want) => {
    const r = run(image, script);
    expect({ out: r.out, err: r.err, code: r.code }).toEqual(want);
  });

  it.each([
    ['curl -s -H "Host: shop.example.com" http://echo-host/', 'host=shop.example.com'],
    ['wget -qO- --header "Host: blog.example.com" http://echo-host/', 'host=blog.example.com'],
    ['curl -s http://echo-host/', 'host=echo-host'],
  ])('%s sends the Host header given (Ingress routing by host)', (script, want) => {
    expect(run('curlimages/curl', script).out).toBe(want);
  });

  it('curl shows its progress meter on stderr when stdout is not a terminal', () => {
    const r = run('curlimages/curl', 'curl web');
    expect(r.out).toBe(PAGE);
    expect(r.err).toContain('% Total    % Received');
  });

  it('a dropped connection spends the timeout on the simulated clock', () => {
    expect(run('curlimages/curl', 'curl -s --connect-timeout 10 blocked').took).toBeGreaterThanOrEqual(10_000);
    expect(run('busybox', 'wget -q blocked').took).toBeGreaterThanOrEqual(127_000);
    expect(run('busybox', 'wget -qO- web').took).toBeLessThanOrEqual(1000); // one clock step to start
  });

  it('ping: Service VIPs do not answer ICMP, pod IPs do', () => {
    const svc = run('busybox', 'ping -c 2 web');
    expect(svc.out).toBe('PING web (10.96.12.7): 56 data bytes\n\n--- web ping statistics ---\n2 packets transmitted, 0 packets received, 100% packet loss\n');
    expect(svc.code).toBe(1);
    const pod = run('busybox', 'ping -c 2 10.244.2.5');
    expect(pod.out).toMatch(/^PING 10\.244\.2\.5 \(10\.244\.2\.5\): 56 data bytes\n64 bytes from 10\.244\.2\.5: seq=0 ttl=63 time=\d\.\d{3} ms\n64 bytes from 10\.244\.2\.5: seq=1 ttl=63 time=\d\.\d{3} ms\n\n--- 10\.244\.2\.5 ping statistics ---\n2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min\/avg\/max = /);
    expect(pod.code).toBe(0);
  });

  it('localhost reaches the container itself', () => {
    const { p, clock } = container('nginx', { command: undefined });
    clock.advance(2000);
    const s = p.openExec!(['curl', '-s', 'localhost'], { stdin: false, tty: false });
    let out = '';
    s.onOutput((_s, t) => (out += t));
    let code = -1;
    s.onExit((e) => (code = e.exitCode));
    clock.advance(10);
    expect(code).toBe(0);
    expect(out).toContain('Welcome to nginx!');
  });
});
