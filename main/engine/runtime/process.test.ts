import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { createRuntime } from './index.js';
import type { ContainerRunSpec } from './types.js';

const T0 = Date.UTC(2026, 10, 23, 3, 22, 29);
const rt = createRuntime();
const Mi = 1024 * 1024;

function start(image: string, spec: Partial<ContainerRunSpec> = {}) {
  const clock = new ManualClock(T0);
  const pulled = rt.images.pull(image, new Set());
  if (!pulled.ok) throw new Error(pulled.message);
  const p = rt.start({ name: 'c', image: pulled.ref, env: {}, hostname: 'web-0', podIP: '10.244.1.7', ...spec }, clock);
  return { p, clock, texts: () => p.output().map((l) => l.text) };
}

describe('image programs', () => {
  it('nginx prints the entrypoint and start-up lines, serves :80 and logs probe requests', () => {
    const { p, clock, texts } = start('nginx:1.27');
    clock.advance(1000);
    expect(texts().slice(0, 2)).toEqual([
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    ]);
    expect(texts()).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up');
    expect(texts()).toContain('2026/11/23 03:22:29 [notice] 1#1: nginx/1.27.3');
    expect(p.output().find((l) => l.text.includes('nginx/1.27.3'))?.stream).toBe('stderr');
    expect(p.tcpListening(80)).toBe(true);
    expect(p.tcpListening(8080)).toBe(false);
    expect(p.httpGet(80, '/')).toMatchObject({ status: 200 });
    expect(p.httpGet(80, '/')?.body).toContain('<title>Welcome to nginx!</title>');
    expect(p.httpGet(80, '/healthz')?.status).toBe(404);
    expect(p.httpGet(8080, '/')).toBeUndefined();
    expect(texts()).toContain('10.244.1.1 - - [23/Nov/2026:03:22:30 +0000] "GET / HTTP/1.1" 200 615 "-" "kube-probe/1.32" "-"');
    expect(p.usage().memoryBytes).toBeGreaterThan(2 * Mi);
    expect(p.usage().memoryBytes).toBeLessThan(6 * Mi);
  });

  it('nginx alpine says so in its build line; command overrides the entrypoint', () => {
    const { texts, clock } = start('nginx:1.27-alpine');
    clock.advance(100);
    expect(texts()).toContain('2026/11/23 03:22:29 [notice] 1#1: built by gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309)');
    const o = start('nginx', { command: ['sh', '-c', 'echo custom'] });
    expect(o.texts()).toEqual(['custom']);
    expect(o.p.exited()?.exitCode).toBe(0);
  });

  it('httpd and redis start and listen', () => {
    const h = start('httpd:2.4');
    h.clock.advance(100);
    expect(h.texts()[0]).toMatch(/^AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10\.244\.1\.7\./);
    expect(h.texts().some((l) => l.includes('AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations'))).toBe(true);
    expect(h.p.httpGet(80, '/')?.body).toBe('<html><body><h1>It works!</h1></body></html>\n');
    const r = start('redis:7.4');
    expect(r.texts()).toContain('1:M 23 Nov 2026 03:22:29.000 * Ready to accept connections tcp');
    expect(r.p.tcpListening(6379)).toBe(true);
  });

  it.each([
    ['mysql:8.4', {}, 1, '\t- MYSQL_ROOT_PASSWORD'],
    ['postgres:16', {}, 1, '       You must specify POSTGRES_PASSWORD to a non-empty value for the'],
  ])('%s without its password env exits 1 with the real error', (image, env, code, line) => {
    const { p, clock, texts } = start(image, { env });
    clock.advance(5000);
    expect(p.exited()).toMatchObject({ exitCode: code, reason: 'Error' });
    expect(texts()).toContain(line);
  });

  it.each([
    ['mysql:8.4', { MYSQL_ROOT_PASSWORD: 'pw' }, 3306],
    ['postgres:16', { POSTGRES_PASSWORD: 'pw' }, 5432],
  ])('%s with its env listens on %s', (image, env, port) => {
    const { p, clock } = start(image, { env });
    clock.advance(20_000);
    expect(p.exited()).toBeUndefined();
    expect(p.tcpListening(port)).toBe(true);
  });

  it('http-echo and whoami answer with their text and the pod', () => {
    const e = start('hashicorp/http-echo', { args: ['-text=hello from v1', '-listen=:8080'] });
    expect(e.p.httpGet(8080, '/')?.body).toBe('hello from v1\n');
    const w = start('traefik/whoami');
    expect(w.p.httpGet(80, '/')?.body).toContain('Hostname: web-0\nIP: 127.0.0.1\nIP: 10.244.1.7');
  });

  it('control-plane images run forever; pause too', () => {
    for (const img of ['registry.k8s.io/pause:3.10', 'registry.k8s.io/coredns/coredns:v1.11.3', 'registry.k8s.io/kube-proxy:v1.32.0', 'registry.k8s.io/etcd:3.5.16-0', 'registry.k8s.io/kube-apiserver:v1.32.0']) {
      const { p, clock } = start(img);
      clock.advance(3_600_000);
      expect(p.exited(), img).toBeUndefined();
    }
    expect(start('registry.k8s.io/coredns/coredns:v1.11.3').p.httpGet(8181, '/ready')?.status).toBe(200);
  });
});

describe('signals', () => {
  it('nginx exits 0 at once on SIGTERM', () => {
    const { p, clock, texts } = start('nginx');
    clock.advance(5000);
    p.terminate();
    expect(p.exited()).toMatchObject({ exitCode: 0, reason: 'Completed', at: T0 + 5000 });
    expect(texts()).toContain('2026/11/23 03:22:34 [notice] 1#1: signal 15 (SIGTERM) received, exiting');
    expect(p.tcpListening(80)).toBe(false);
  });

  it.each([
    ['exec-form sleep', ['sleep', '3600']],
    ['sh -c sleep', ['sh', '-c', 'sleep 3600']],
    ['shell loop', ['sh', '-c', 'while true; do sleep 5; done']],
  ])('%s as PID 1 ignores SIGTERM; SIGKILL gives 137', (_n, command) => {
    const { p, clock } = start('busybox', { command });
    p.terminate();
    clock.advance(30_000);
    expect(p.exited()).toBeUndefined();
    p.kill();
    expect(p.exited()).toMatchObject({ exitCode: 137, reason: 'Error', signal: 9, at: T0 + 30_000 });
  });

  it('a trapped TERM runs the handler (immediately while in wait, after the current sleep otherwise)', () => {
    const w = start('busybox', { command: ['sh', '-c', "trap 'echo bye; exit 0' TERM; sleep infinity & wait"] });
    w.clock.advance(1000);
    w.p.terminate();
    w.clock.advance(0);
    expect(w.p.exited()).toMatchObject({ exitCode: 0, at: T0 + 1000 });
    expect(w.texts()).toEqual(['bye']);
    const s = start('busybox', { command: ['sh', '-c', "trap 'echo bye; exit 0' TERM; while true; do sleep 10; done"] });
    s.clock.advance(1000);
    s.p.terminate();
    s.clock.advance(5000);
    expect(s.p.exited()).toBeUndefined();
    s.clock.advance(5000);
    expect(s.p.exited()).toMatchObject({ exitCode: 0, at: T0 + 10_000 });
  });

  it('output and exit listeners fire', () => {
    const { p, clock } = start('busybox', { command: ['sh', '-c', 'sleep 1; echo a; exit 2'] });
    const seen: string[] = [];
    p.onOutput((l) => seen.push(l.text));
    let code = -1;
    p.onExit((e) => (code = e.exitCode));
    clock.advance(2000);
    expect(seen).toEqual(['a']);
    expect(code).toBe(2);
    let late = -1;
    p.onExit((e) => (late = e.exitCode));
    expect(late).toBe(2);
  });
});

describe('memory', () => {
  it.each([
    ['stress over the limit', 'polinux/stress', { command: ['stress'], args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'], memoryLimit: 100 * Mi }, true],
    ['stress under the limit', 'polinux/stress', { command: ['stress'], args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'], memoryLimit: 200 * Mi }, false],
    ['KUBELAB_MEMORY over', 'nginx', { env: { KUBELAB_MEMORY: '300Mi' }, memoryLimit: 256 * Mi }, true],
    ['KUBELAB_MEMORY without limit', 'nginx', { env: { KUBELAB_MEMORY: '300Mi' } }, false],
  ])('%s', (_n, image, spec, oom) => {
    const { p, clock } = start(image, spec as Partial<ContainerRunSpec>);
    clock.advance(2000);
    if (oom) expect(p.exited()).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    else {
      expect(p.exited()).toBeUndefined();
      expect(p.usage().memoryBytes).toBeGreaterThan(140 * Mi);
    }
  });
});

describe('exec', () => {
  it('the liveness-exec example: /tmp/healthy exists for 30 s, then is gone', () => {
    const { p, clock } = start('registry.k8s.io/busybox', {
      args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
    });
    const probe = () => p.exec(['cat', '/tmp/healthy']).exitCode;
    const at: number[] = [];
    for (let t = 0; t <= 40_000; t += 5000) {
      at.push(probe());
      clock.advance(5000);
    }
    // probes at 0, 5, …, 40 s: the script removes the file at 30 s
    expect(at).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(p.exec(['cat', '/tmp/healthy']).stderr).toBe("cat: can't open '/tmp/healthy': No such file or directory\n");
  });

  it('runs shell commands against the container state, files and env', () => {
    const { p } = start('busybox', { command: ['sleep', '3600'], env: { MODE: 'prod' }, files: { '/etc/config/mode': 'prod\n' } });
    expect(p.exec(['sh', '-c', 'echo $MODE; cat /etc/config/mode; ls /etc/config'])).toEqual({ exitCode: 0, stdout: 'prod\nprod\nmode\n', stderr: '' });
    expect(p.exec(['sh', '-c', 'echo hi > /tmp/f'])).toMatchObject({ exitCode: 0 });
    expect(p.exec(['cat', '/tmp/f']).stdout).toBe('hi\n');
    expect(p.exec(['ls', '/nope'])).toMatchObject({ exitCode: 1, stderr: 'ls: /nope: No such file or directory\n' });
    expect(p.exec(['sh', '-c', 'sleep 2; echo done'])).toMatchObject({ exitCode: 0, stdout: 'done\n' });
    expect(p.exec(['sleep', 'infinity'])).toMatchObject({ timedOut: true });
    expect(p.exec(['bash'])).toMatchObject({
      exitCode: 126,
      startError: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown',
    });
  });

  it('exec into distroless images fails like runc', () => {
    const { p } = start('registry.k8s.io/coredns/coredns:v1.11.3');
    expect(p.exec(['sh'])).toMatchObject({ exitCode: 126 });
  });
});
