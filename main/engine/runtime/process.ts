// A container's PID 1: composes argv from the image config and the pod spec (Kubernetes'
// command/args rules), drives the program's generator on the clock, and implements signals,
// OOM kills, probes' HTTP/TCP checks and exec.
import type { Clock, TimerHandle } from '../clock.js';
import type { ContainerProcess, ContainerRunSpec, ExitInfo, HttpClientInfo, OutputLine } from './types.js';
import { APPS, DEFAULT_FILES, nginxEntrypoint } from './apps.js';
import { shellProgram, UTILITIES } from './commands.js';
import { curl, nc, nslookup, ping, wget } from './net.js';
import { CLUSTER_PROGRAMS } from './cluster-programs.js';
import { openExec } from './session.js';
import type { ClusterNetwork } from '../network/types.js';
import type { ResolvedImage } from './images.js';
import { done, parseBytes, type Gen, type HttpHandler, type HttpReq, type NetBinding, type Proc, type Program, type Sink, type Step, type Sys } from './sys.js';

const SHELLS = new Set(['sh', 'ash', 'dash', 'bash', 'zsh']);
/** bound on exec: how much simulated time a synchronous exec may skip before it counts as hung */
const EXEC_BUDGET_MS = 10 * 60_000;
const MAX_LINES = 10_000;

const busybox = (sys: Sys) => sys.shell === 'busybox';
/** network tools and the images that ship them (busybox applets; curl in curl/netshoot/nginx images) */
const NET_TOOLS: Record<string, [Program, (sys: Sys) => boolean]> = {
  curl: [curl, (sys) => sys.app === 'curl' || sys.app === 'os' || sys.app === 'nginx'],
  wget: [wget, busybox],
  nslookup: [nslookup, busybox],
  ping: [ping, busybox],
  nc: [nc, busybox],
};

/** which program a name runs inside this image (undefined = not in the image) */
export function lookup(name: string, sys: Sys): Program | undefined {
  const base = name.split('/').pop() ?? name;
  if (SHELLS.has(base)) {
    if (sys.shell === 'none') return undefined;
    if (base === 'bash' && !sys.hasBash) return undefined;
    if (base === 'zsh' && sys.app !== 'os') return undefined;
    if (base === 'dash' && sys.shell !== 'dash') return undefined;
    return shellProgram(base, lookup);
  }
  if (sys.app === 'vish-stress' && base === 'stress') return APPS['vish-stress']![1];
  const cluster = CLUSTER_PROGRAMS.get(base);
  if (cluster) return cluster[0] === sys.app ? cluster[1] : undefined;
  const app = APPS[base];
  if (app) return app[0] === sys.app ? app[1] : undefined;
  if (sys.shell === 'none') return undefined;
  const net = NET_TOOLS[base];
  if (net) return net[1](sys) ? net[0] : undefined;
  return UTILITIES[base];
}

/** entrypoint wrappers of official images: they print or check a little, then exec the command */
function* pid1(argv: string[], p: Proc, image: ResolvedImage): Gen {
  const [cmd, ...rest] = argv as [string, ...string[]];
  const base = cmd.split('/').pop()!;
  const next = (a: string[]): Gen => pid1(a, p, image);
  if (cmd === '/docker-entrypoint.sh' && image.def.app === 'nginx') return yield* nginxEntrypoint(argv, p, next);
  if ((base === 'docker-entrypoint.sh' || cmd === '/entrypoint.sh') && lookupWrapper(image)) {
    const dflt = image.def.cmd?.[0];
    const a = !rest.length || rest[0]!.startsWith('-') ? [dflt ?? 'sh', ...rest] : rest;
    return yield* next(a);
  }
  if (base === 'tini') return yield* next(rest[0] === '--' ? rest.slice(1) : rest);
  const prog = lookup(cmd, p.sys);
  if (!prog) throw new StartError(cmd);
  return yield* prog(argv, p);
}

function lookupWrapper(image: ResolvedImage): boolean {
  return !!image.def.entrypoint?.some((e) => e.endsWith('entrypoint.sh'));
}

class StartError extends Error {
  constructor(readonly cmd: string) {
    super(
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ' +
        (cmd.includes('/') ? `exec: "${cmd}": stat ${cmd}: no such file or directory: unknown` : `exec: "${cmd}": executable file not found in $PATH: unknown`),
    );
  }
}

interface Co {
  gen: Gen;
  timer?: TimerHandle;
  state: 'run' | 'sleep' | 'forever' | 'wait' | 'done';
  burn: boolean;
}

/** the resolver configuration the kubelet writes for dnsPolicy ClusterFirst */
export function resolvConf(namespace: string): string {
  return `search ${namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`;
}

export function startProcess(spec: ContainerRunSpec, image: ResolvedImage, clock: Clock, network?: () => ClusterNetwork | undefined): ContainerProcess {
  const startedAt = clock.now();
  const lines: OutputLine[] = [];
  const outCbs = new Set<(l: OutputLine) => void>();
  const exitCbs = new Set<(e: ExitInfo) => void>();
  let exit: ExitInfo | undefined;
  const ports = new Map<number, HttpHandler | null>();
  let termHandler: (() => Gen) | undefined;
  let declared = 0;
  let oomTimer: TimerHandle | undefined;
  const cos = new Set<Co>();

  const emit = (stream: 'stdout' | 'stderr', text: string) => {
    const line: OutputLine = { at: clock.now(), stream, text };
    lines.push(line);
    if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
    for (const cb of outCbs) cb(line);
  };
  const lineSink = (stream: 'stdout' | 'stderr'): Sink & { flush(): void } => {
    let buf = '';
    return {
      write(t) {
        if (exit) return;
        buf += t;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          emit(stream, buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      },
      flush() {
        if (buf) emit(stream, buf);
        buf = '';
      },
    };
  };
  const stdout = lineSink('stdout');
  const stderr = lineSink('stderr');

  const files = new Map<string, string>(Object.entries({
    '/etc/hostname': `${spec.hostname}\n`,
    '/etc/hosts': `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${spec.podIP}\t${spec.hostname}\n`,
    ...(spec.pod && !spec.pod.hostNetwork ? { '/etc/resolv.conf': resolvConf(spec.pod.namespace) } : {}),
    ...DEFAULT_FILES[image.def.app],
    ...spec.files,
  }));
  const dirs = new Set(['/', '/bin', '/dev', '/etc', '/home', '/lib', '/proc', '/root', '/run', '/sbin', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/local', '/usr/local/bin', '/var', '/var/log']);
  for (const f of files.keys()) for (let d = f.slice(0, f.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) dirs.add(d);

  const finish = (info: Omit<ExitInfo, 'at'>) => {
    if (exit) return;
    stdout.flush();
    stderr.flush();
    exit = { ...info, at: clock.now() };
    for (const co of cos) {
      co.timer?.cancel();
      co.state = 'done';
    }
    oomTimer?.cancel();
    ports.clear();
    for (const cb of exitCbs) cb(exit);
    exitCbs.clear();
  };
  const exitWith = (code: number) => finish({ exitCode: code, reason: code === 0 ? 'Completed' : 'Error' });

  let main: Co;
  const wakeWaiters = () => {
    for (const co of cos) if (co.state === 'wait') schedule(co, 0);
  };
  const schedule = (co: Co, ms: number) => {
    co.timer?.cancel();
    co.state = 'sleep';
    co.timer = clock.after(ms, () => step(co));
  };
  const step = (co: Co) => {
    if (exit || co.state === 'done') return;
    co.state = 'run';
    co.burn = false;
    let r: IteratorResult<Step, number>;
    try {
      r = co.gen.next();
    } catch (e) {
      if (e instanceof StartError && co === main && clock.now() === startedAt) {
        finish({ exitCode: 128, reason: 'Error', startError: e.message });
        return;
      }
      stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      r = { done: true, value: 2 };
    }
    if (r.done) {
      co.state = 'done';
      cos.delete(co);
      if (co === main) exitWith(r.value);
      else clock.after(0, wakeWaiters);
      return;
    }
    const s = r.value;
    if ('sleep' in s) {
      schedule(co, s.sleep);
      co.burn = !!s.burn;
    } else if ('forever' in s) {
      co.state = 'forever';
      co.burn = !!s.burn;
    } else co.state = 'wait';
  };
  const spawn = (gen: Gen): Co => {
    const co: Co = { gen, state: 'run', burn: false };
    cos.add(co);
    return co;
  };

  const sys: Sys = {
    files,
    dirs,
    hostname: spec.hostname,
    podIP: spec.podIP,
    shell: image.shell,
    // alpine variants of debian-based images lose bash; netshoot is alpine with bash added
    hasBash: !!image.def.bash && (image.shell !== 'busybox' || image.def.repo.endsWith('/netshoot')),
    app: image.def.app,
    version: image.tagDef.version,
    memMi: image.def.memMi,
    now: () => clock.now(),
    setMemory(bytes) {
      declared = bytes;
      if (spec.memoryLimit !== undefined && bytes + image.def.memMi * 1048576 > spec.memoryLimit && !oomTimer) {
        // the kernel's OOM killer strikes as soon as the allocation crosses the cgroup limit
        oomTimer = clock.after(150, () => {
          oomTimer = undefined;
          if (declared + image.def.memMi * 1048576 > (spec.memoryLimit ?? Infinity)) finish({ exitCode: 137, reason: 'OOMKilled', signal: 9 });
        });
      }
    },
    listen: (port, h) => void ports.set(port, h),
    onTerm: (h) => void (termHandler = h),
    spin: 0,
    spawn: (gen) => {
      const co = spawn(gen);
      clock.after(0, () => step(co));
    },
    bgRunning: () => [...cos].filter((c) => c !== main && c.state !== 'done').length,
    net: () => {
      const n = network?.();
      if (!n) return undefined;
      const pod = spec.pod;
      const source: NetBinding['source'] = pod && !pod.hostNetwork ? { pod: { namespace: pod.namespace, name: pod.name, ip: spec.podIP, node: pod.node, labels: pod.labels } } : { node: pod?.node };
      return { network: n, source };
    },
    localHttp: (port, path) => api.httpGet(port, path),
  };

  const env = new Map<string, string>([['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ['HOSTNAME', spec.hostname]]);
  if (image.def.app === 'nginx') env.set('NGINX_VERSION', image.tagDef.version);
  for (const [k, v] of Object.entries(spec.env)) env.set(k, v);
  if (!env.has('HOME')) env.set('HOME', '/root');

  const proc: Proc = { sys, io: { out: stdout, err: stderr, stdin: '' }, env, cwd: spec.workingDir ?? '/', pid1: true };
  // Kubernetes: command replaces ENTRYPOINT (and drops CMD); args alone replace CMD
  const argv = [...(spec.command ?? image.def.entrypoint ?? []), ...(spec.args ?? (spec.command ? [] : (image.def.cmd ?? [])))];
  const attachable = spec.stdin && isInteractiveShell(argv, sys) ? startInteractive(argv) : undefined;
  main = spawn(attachable ? waitForever() : argv.length ? pid1(argv, proc, image) : done(0));
  const declaredEnv = spec.env.KUBELAB_MEMORY;
  if (declaredEnv) sys.setMemory(parseBytes(declaredEnv, true) ?? 0);
  step(main);

  /**
   * An interactive shell as PID 1 (`kubectl run -it -- sh`): it reads commands from the stdin that
   * attach connects, echoes like a terminal when tty is set, and its exit is the container's.
   */
  function startInteractive(argv: string[]) {
    const session = openExec(argv, { stdin: true, tty: !!spec.tty }, { sys, env, cwd: proc.cwd, clock, lookup });
    const listeners = new Set<(stream: 'stdout' | 'stderr', text: string) => void>();
    session.onOutput((stream, text) => {
      (stream === 'stdout' ? stdout : stderr).write(text.replace(/\r/g, ''));
      for (const cb of listeners) cb(stream, text);
    });
    session.onExit(({ exitCode }) => exitWith(exitCode));
    return {
      tty: !!spec.tty,
      input: (d: string) => session.input(d),
      detach: () => {
        if (spec.stdinOnce) session.closeStdin();
      },
      onOutput(cb: (stream: 'stdout' | 'stderr', text: string) => void) {
        listeners.add(cb);
        return () => listeners.delete(cb);
      },
    };
  }

  const api: ContainerProcess = {
    startedAt,
    output: () => lines,
    onOutput(cb) {
      outCbs.add(cb);
      return () => outCbs.delete(cb);
    },
    onExit(cb) {
      if (exit) {
        cb(exit);
        return () => {};
      }
      exitCbs.add(cb);
      return () => exitCbs.delete(cb);
    },
    exited: () => exit,
    terminate() {
      if (exit) return;
      if (termHandler) {
        const h = termHandler;
        termHandler = undefined;
        main.timer?.cancel();
        main.state = 'done';
        cos.delete(main);
        main = spawn(h());
        step(main);
        return;
      }
      // PID 1 without a handler ignores SIGTERM; a shell with `trap ... TERM` runs it between commands
      sys.pendingSignal = 'TERM';
      if (main.state === 'wait') schedule(main, 0);
    },
    kill() {
      finish({ exitCode: 137, reason: 'Error', signal: 9 });
    },
    httpGet(port, path, client) {
      const h = ports.get(port);
      if (exit || h === undefined) return undefined;
      if (h === null) return { status: 400, body: '' };
      return h(path, client?.from ?? spec.podIP.replace(/\.\d+$/, '.1'), httpReq(spec.podIP, port, client));
    },
    tcpListening: (port) => !exit && ports.has(port),
    exec(command) {
      return execSync(command, sys, env, proc.cwd, clock);
    },
    attach: () => (attachable && !exit ? attachable : undefined),
    openExec(command, opts) {
      return openExec(command, opts, { sys, env, cwd: proc.cwd, clock, lookup });
    },
    usage() {
      if (exit) return { cpuMillicores: 0, memoryBytes: 0 };
      const burning = [...cos].some((c) => c.burn);
      const mem = Math.round(image.def.memMi * 1048576 + declared);
      return { cpuMillicores: burning ? 1000 : 1 + (ports.size ? 1 : 0), memoryBytes: spec.memoryLimit ? Math.min(mem, spec.memoryLimit) : mem };
    },
  };
  return api;
}

function* waitForever(): Gen {
  yield { forever: true };
  return 0;
}

/** a shell with no script to run: it reads commands from stdin */
function isInteractiveShell(argv: string[], sys: Sys): boolean {
  const base = argv[0]?.split('/').pop() ?? '';
  return SHELLS.has(base) && !!lookup(argv[0]!, sys) && argv.slice(1).every((a) => a.startsWith('-') && !/^-[a-z]*c/.test(a));
}

/** run a command to completion at once; its sleeps skip simulated time instead of waiting */
export function execSync(command: string[], base: Sys, env: Map<string, string>, cwd: string, clock: Clock): ReturnType<ContainerProcess['exec']> {
  const out = { text: '', write: (t: string) => void (out.text += t) };
  const err = { text: '', write: (t: string) => void (err.text += t) };
  const prog = command[0] === undefined ? undefined : lookup(command[0], base);
  if (!prog) {
    const msg = `OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0] ?? ''}": executable file not found in $PATH: unknown`;
    return { exitCode: 126, stdout: '', stderr: msg + '\n', startError: msg };
  }
  let offset = 0;
  const sys: Sys = { ...base, now: () => clock.now() + offset, spawn: () => {}, listen: () => {}, onTerm: () => {}, spin: 0, bgRunning: () => 0, pendingSignal: undefined };
  const gen = prog(command, { sys, io: { out, err, stdin: '' }, env: new Map(env), cwd, pid1: false });
  for (let steps = 0; ; steps++) {
    let r: IteratorResult<Step, number>;
    try {
      r = gen.next();
    } catch (e) {
      err.write(`${e instanceof Error ? e.message : String(e)}\n`);
      return { exitCode: 2, stdout: out.text, stderr: err.text };
    }
    if (r.done) return { exitCode: r.value, stdout: out.text, stderr: err.text };
    const s = r.value;
    if (!('sleep' in s) || offset + s.sleep > EXEC_BUDGET_MS || steps > 10_000) {
      return { exitCode: 137, stdout: out.text, stderr: err.text, timedOut: true };
    }
    offset += s.sleep;
  }
}

/** the request as an app sees it; a probe (no client info) is kubelet's GET with its own agent */
function httpReq(podIP: string, port: number, client: HttpClientInfo | undefined): HttpReq {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(client?.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    method: client?.method ?? 'GET',
    host: headers.host ?? `${podIP}:${port}`,
    userAgent: headers['user-agent'] ?? (client ? '' : 'kube-probe/1.32'),
    headers,
  };
}
