// exec, attach and port-forward with the real kubectl, over every protocol it speaks: WebSocket
// v5.channel.k8s.io, the SPDY/3.1 fallback (and kubectl 1.28, which only speaks SPDY), an
// interactive `exec -it` through a pseudo-terminal, and port-forward both tunnelled in WebSocket
// and over raw SPDY. In-container network tools reach Services through the simulated network.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinary, startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
const children: ChildProcess[] = [];
beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
  await ok(['run', 'web', '--image=nginx', '--labels=app=web', '--expose', '--port=80']);
  await ok(['run', 'bb', '--image=busybox', '--', 'sleep', 'infinity']);
  await ok(['run', 'cu', '--image=curlimages/curl', '--', 'sleep', 'infinity']);
  for (const p of ['web', 'bb', 'cu']) await until(['get', 'pod', p, '-o', 'jsonpath={.status.phase}'], /^Running$/);
}, 120_000);
afterAll(async () => {
  for (const ch of children) if (ch.exitCode === null) ch.kill();
  await c?.stop();
});

const ok = (args: string[]) => c.ok(args);

async function until(args: string[], want: RegExp, timeoutMs = 30_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    const r = await c.kubectl(args);
    last = r.stdout + r.stderr;
    if (r.code === 0 && want.test(r.stdout)) return r.stdout;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`timed out waiting for ${want} from kubectl ${args.join(' ')}; last:\n${last}`);
}

const SPDY = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };

describe.each([
  ['WebSocket v5.channel.k8s.io', {}, undefined],
  ['SPDY/3.1 fallback', SPDY, undefined],
  ['kubectl 1.28 (SPDY only)', {}, '1.28'],
])('kubectl exec over %s', (_name, env: Record<string, string>, version) => {
  const binary = version ? kubectlBinary(version) : undefined;
  const run = (args: string[], input?: string) => {
    if (version) expect(binary, `kubectl.${version} beside the dispatcher`).toBeDefined();
    return c.kubectl(args, { env, binary, input });
  };

  it('propagates the exit code: "command terminated with exit code 3"', async () => {
    const r = await run(['exec', 'bb', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n' });
  });

  it.each([
    [['ls', '/'], 'bin\ndev\netc\nhome\nlib\nproc\nroot\nrun\nsbin\nsys\ntmp\nusr\nvar\n'],
    [['cat', '/etc/resolv.conf'], 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n'],
    [['printenv', 'HOSTNAME'], 'bb\n'],
  ])('%j', async (cmd, want) => {
    expect(await run(['exec', 'bb', '--', ...cmd])).toEqual({ code: 0, stdout: want, stderr: '' });
  });

  it('stdin (-i) reaches the command', async () => {
    expect(await run(['exec', '-i', 'bb', '--', 'cat'], 'piped\n')).toMatchObject({ code: 0, stdout: 'piped\n' });
    expect(await run(['exec', '-i', 'bb', '--', 'sh'], 'echo from-stdin\nexit 5\n')).toMatchObject({ code: 5, stdout: 'from-stdin\n' });
  });

  it('unknown programs: containerd start error, or the shell\'s "not found" with 127', async () => {
    const r = await run(['exec', 'bb', '--', 'foo']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in \$PATH: unknown\n$/);
    expect(await run(['exec', 'bb', '--', 'sh', '-c', 'nope'])).toEqual({ code: 127, stdout: '', stderr: 'sh: nope: not found\ncommand terminated with exit code 127\n' });
  });

  it('errors before the upgrade are worded as upstream', async () => {
    expect(await run(['exec', 'bb', '-c', 'bogus', '--', 'ls'])).toMatchObject({ code: 1, stderr: 'Error from server (BadRequest): container bogus is not valid for pod bb\n' });
    expect(await run(['exec', 'nope', '--', 'ls'])).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
  });
});

/** run kubectl in a pseudo-terminal, typing `keys` one chunk at a time */
function inPty(args: string[], keys: string[], env: Record<string, string> = {}): Promise<{ out: string; code: number }> {
  return new Promise((resolve, reject) => {
    const p = pty.spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: c.kubeconfig, ...env } as Record<string, string>, cols: 80, rows: 24 });
    let out = '';
    let i = 0;
    let typing = false;
    p.onData((d) => {
      out += d;
      // type the next line once the shell shows a prompt (or kubectl asks for Enter, once its
      // terminal is in raw mode: a key pressed earlier may be swallowed, as by a person)
      if (typing || i >= keys.length) return;
      const delay = /# $/.test(out) ? 0 : /try pressing enter\.\r?\n$/.test(out) ? 1000 : -1;
      if (delay < 0) return;
      typing = true;
      setTimeout(() => {
        typing = false;
        p.write(keys[i++]!);
      }, delay);
    });
    const timer = setTimeout(() => {
      p.kill();
      reject(new Error(`pty timed out:\n${JSON.stringify(out)}`));
    }, 30_000);
    p.onExit(({ exitCode }) => {
      clearTimeout(timer);
      resolve({ out, code: exitCode });
    });
  });
}

describe('interactive exec -it', () => {
  it('busybox sh: prompt, echo, output, exit', async () => {
    const r = await inPty(['exec', '-it', 'bb', '--', 'sh'], ['echo hello\r', 'exit\r']);
    expect(r.out).toContain('/ # echo hello\r\nhello\r\n/ # exit\r\n');
    expect(r.code).toBe(0);
  });

  it('over SPDY too: line editing by the server-side terminal, exit code', async () => {
    const r = await inPty(['exec', '-it', 'bb', '--', 'sh'], ['ech\x7fho $HOSTNAME\r', 'nope\r', 'exit 7\r'], SPDY);
    expect(r.out).toContain('/ # ech\b \bho $HOSTNAME\r\nbb\r\n/ # nope\r\nsh: nope: not found\r\n/ # exit 7\r\n');
    expect(r.out).toContain('command terminated with exit code 7');
    expect(r.code).toBe(7);
  });

  it('debian bash: root@pod prompt and exit code', async () => {
    const r = await inPty(['exec', '-it', 'web', '--', 'bash'], ['cd /tmp\r', 'exit 4\r']);
    expect(r.out).toContain('root@web:/# cd /tmp\r\nroot@web:/tmp# exit 4\r\nexit\r\n');
    expect(r.code).toBe(4);
  });

  it('kubectl run -it --rm busybox -- sh: attach to the shell, use the network, exit', async () => {
    const r = await inPty(['run', 'shell', '--image=busybox', '-it', '--rm', '--restart=Never', '--', 'sh'], ['\r', 'wget -qO- web | grep title\r', 'exit\r']);
    expect(r.out).toContain("If you don't see a command prompt, try pressing enter.");
    expect(r.out).toContain('/ # wget -qO- web | grep title\r\n<title>Welcome to nginx!</title>\r\n/ # exit\r\n');
    expect(r.out).toContain('pod "shell" deleted');
    expect(r.code).toBe(0);
  });

  it('kubectl run -i with piped stdin: the shell runs the script and ends', async () => {
    const r = await c.kubectl(['run', 'piped', '--image=busybox', '-i', '--rm', '--restart=Never', '--', 'sh'], { input: 'echo from-pipe\nexit 0\n' });
    expect(r.stdout).toContain('from-pipe\n');
    expect(r.code).toBe(0);
  });

  it('kubectl run -it --rm busybox -- wget -qO- web returns the page', async () => {
    const r = await inPty(['run', 'client', '--image=busybox', '-it', '--rm', '--restart=Never', '--', 'wget', '-qO-', 'web'], []);
    expect(r.out).toContain('<title>Welcome to nginx!</title>');
    expect(r.out).toContain('pod "client" deleted');
    expect(r.code).toBe(0);
  });
});

describe('network tools in containers', () => {
  it('wget, curl and nslookup reach the web Service by name', async () => {
    expect((await ok(['exec', 'bb', '--', 'wget', '-qO-', 'web'])).includes('<title>Welcome to nginx!</title>')).toBe(true);
    expect((await ok(['exec', 'cu', '--', 'curl', '-s', 'http://web.default.svc.cluster.local/'])).includes('Welcome to nginx!')).toBe(true);
    const ip = await ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(await ok(['exec', 'bb', '--', 'nslookup', 'web.default.svc.cluster.local'])).toBe(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${ip}\n\n`);
    expect(await c.kubectl(['exec', 'cu', '--', 'curl', '-sS', 'nope'])).toMatchObject({ code: 6, stderr: 'curl: (6) Could not resolve host: nope\ncommand terminated with exit code 6\n' });
    expect(await c.kubectl(['exec', 'bb', '--', 'wget', '-qO-', 'nope'])).toMatchObject({ code: 1, stderr: "wget: bad address 'nope'\ncommand terminated with exit code 1\n" });
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** start `kubectl port-forward` and wait until it listens */
async function portForward(target: string, remote: number, env: Record<string, string> = {}): Promise<{ port: number; proc: ChildProcess; output: () => string }> {
  const port = await freePort();
  const proc = spawn('kubectl', ['port-forward', target, `${port}:${remote}`], { env: { ...process.env, KUBECONFIG: c.kubeconfig, ...env } });
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const end = Date.now() + 20_000;
  while (!out.includes(`Forwarding from 127.0.0.1:${port}`)) {
    if (Date.now() > end || proc.exitCode !== null) throw new Error(`port-forward did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, proc, output: () => out };
}

describe.each([
  ['WebSocket tunnelling (SPDY/3.1+portforward.k8s.io)', {}],
  ['raw SPDY/3.1', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }],
])('kubectl port-forward over %s', (_name, env: Record<string, string>) => {
  it("serves nginx's page on loopback, several requests in a row", async () => {
    const pf = await portForward('pod/web', 80, env);
    try {
      for (let i = 0; i < 3; i++) {
        const r = await get(pf.port);
        expect(r.status).toBe(200);
        expect(r.body).toContain('<title>Welcome to nginx!</title>');
      }
      expect((await get(pf.port, '/nope')).status).toBe(404);
      expect(pf.output()).toContain('Handling connection for');
    } finally {
      pf.proc.kill();
    }
  });

  it('a port with nothing listening: the containerd error', async () => {
    const pf = await portForward('pod/web', 8080, env);
    try {
      await expect(get(pf.port)).rejects.toThrow();
      const end = Date.now() + 10_000;
      while (!pf.output().includes('connection refused') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      // klog quotes the error: its inner quotes come out escaped
      expect(pf.output().replace(/\\"/g, '"')).toMatch(/an error occurred forwarding \d+ -> 8080: error forwarding port 8080 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "\/var\/run\/netns\/cni-[-0-9a-f]+": failed to connect to localhost:8080 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:8080: connect: connection refused IPv6 dial tcp6 \[::1\]:8080: connect: connection refused/);
    } finally {
      pf.proc.kill();
    }
  });
});
