// Network tools inside containers (busybox wget/nslookup/ping/nc, curl) on top of the simulated
// cluster network (main/engine/network/types.ts). Failures are worded like the real tools, and
// connection timeouts spend their simulated time (a yielded sleep) before reporting.
import type { HttpResponse, NetError } from '../network/types.js';
import { done, type Gen, type Proc } from './sys.js';

const DNS_SERVER = '10.96.0.10';
/** Linux gives up on an unanswered SYN after ~127 s (6 retries); what tools see without a timeout */
const KERNEL_CONNECT_TIMEOUT_MS = 130_212;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

interface Target {
  scheme: string;
  host: string;
  port: number;
  path: string;
}

export function parseUrl(raw: string): Target {
  const m = /^(?:([a-z]+):\/\/)?([^/:?#]*)(?::(\d+))?([^#]*)/i.exec(raw)!;
  const scheme = (m[1] ?? 'http').toLowerCase();
  return { scheme, host: m[2] ?? '', port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80, path: m[4] || '/' };
}

type Fetch = { ok: true; ip: string; res: HttpResponse } | { ok: false; ip?: string; error: NetError };

const isLocal = (p: Proc, host: string) => host === 'localhost' || host === '127.0.0.1' || host === '::1';

/** resolve a name the way the container's resolver would (IPs pass through) */
function lookupIp(p: Proc, host: string): string | undefined {
  if (IPV4.test(host)) return host;
  if (isLocal(p, host)) return '127.0.0.1';
  if (host === p.sys.hostname) return p.sys.podIP;
  const net = p.sys.net?.();
  return net?.network.resolve(host, net.source)?.ips[0];
}

function fetch(p: Proc, t: Target, method = 'GET', headers: Record<string, string> = {}): Fetch {
  const ip = lookupIp(p, t.host);
  if (ip === undefined) return { ok: false, error: { kind: 'unresolved', host: t.host } };
  if (ip === '127.0.0.1' || ip === p.sys.podIP) {
    const r = p.sys.localHttp?.(t.port, t.path);
    if (!r) return { ok: false, ip, error: { kind: 'refused', host: t.host, port: t.port } };
    return { ok: true, ip, res: { status: r.status, statusText: statusText(r.status), headers: {}, body: r.body } };
  }
  const net = p.sys.net?.();
  if (!net) return { ok: false, ip, error: { kind: 'timeout', host: t.host, port: t.port } };
  const url = `${t.scheme}://${t.host}:${t.port}${t.path}`;
  const r = net.network.http(net.source, { method, url, headers: { Host: t.host, ...headers } });
  return r.ok ? { ok: true, ip, res: r.response } : { ok: false, ip, error: r.error };
}

/** every `-H 'Name: value'` (curl) / `--header 'Name: value'` (wget) as a header map */
function headerArgs(args: string[], names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length - 1; i++) {
    if (!names.includes(args[i]!)) continue;
    const h = args[i + 1]!;
    const colon = h.indexOf(':');
    if (colon > 0) out[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  return out;
}

export function statusText(code: number): string {
  return ({ 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Not Allowed', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' } as Record<number, string>)[code] ?? '';
}

function flag(argv: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    for (const n of names) {
      if (a === n) return argv[i + 1];
      if (n.startsWith('--') && a.startsWith(n + '=')) return a.slice(n.length + 1);
      if (!n.startsWith('--') && a.startsWith(n) && a.length > n.length) return a.slice(n.length);
    }
  }
  return undefined;
}

/** busybox's one-line progress meter, as printed once a transfer completes */
function meter(name: string, size: number): string {
  const sz = size < 100_000 ? String(size) : `${(size / 1024).toFixed(0)}k`;
  return `${name.padEnd(20).slice(0, 20)} 100% |${'*'.repeat(32)}| ${sz.padStart(5)}  0:00:00 ETA\n`;
}

/** busybox wget */
export function* wget(argv: string[], p: Proc): Gen {
  const args = argv.slice(1);
  const quiet = args.some((a) => /^-[a-zA-Z]*q/.test(a) && !a.startsWith('--'));
  const spider = args.includes('--spider');
  let outFile = flag(args, '-O', '--output-document');
  const combined = args.find((a) => /^-[a-zA-Z]*O.+/.test(a) && !a.startsWith('--'));
  if (!outFile && combined) outFile = combined.slice(combined.indexOf('O') + 1);
  const timeout = Number(flag(args, '-T', '--timeout') ?? NaN);
  const skip = new Set([flag(args, '-O'), flag(args, '-T'), flag(args, '--header'), flag(args, '-U')]);
  const url = args.find((a) => !a.startsWith('-') && !skip.has(a));
  if (!url) {
    p.io.err.write('BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [--header STR] [-O FILE] URL\n');
    return 1;
  }
  const t = parseUrl(url);
  if (t.scheme !== 'http' && t.scheme !== 'https') return yield* fail(p, `wget: not an http or ftp url: ${url}`);
  const r = fetch(p, t, spider ? 'HEAD' : 'GET', headerArgs(args, ['--header']));
  if (!r.ok && r.error.kind === 'unresolved') return yield* fail(p, `wget: bad address '${t.host}'`);
  if (!quiet) p.io.err.write(`Connecting to ${t.host} (${r.ip}:${t.port})\n`);
  if (!r.ok) {
    if (r.error.kind === 'refused') return yield* fail(p, `wget: can't connect to remote host (${r.ip}): Connection refused`);
    if (Number.isFinite(timeout)) {
      yield { sleep: timeout * 1000 };
      return yield* fail(p, 'wget: download timed out');
    }
    yield { sleep: KERNEL_CONNECT_TIMEOUT_MS };
    return yield* fail(p, `wget: can't connect to remote host (${r.ip}): Connection timed out`);
  }
  const { res } = r;
  if (res.status >= 400) return yield* fail(p, `wget: server returned error: HTTP/1.1 ${res.status} ${res.statusText || statusText(res.status)}`);
  if (spider) {
    if (!quiet) p.io.err.write('remote file exists\n');
    return 0;
  }
  const toStdout = outFile === '-';
  const file = outFile ?? (t.path.replace(/\?.*$/, '').split('/').pop() || 'index.html');
  if (!quiet) p.io.err.write(toStdout ? 'writing to stdout\n' : `saving to '${file}'\n`);
  if (toStdout) p.io.out.write(res.body);
  else {
    const path = file.startsWith('/') ? file : `${p.cwd.replace(/\/$/, '')}/${file}`;
    if (p.sys.files.has(path) && !outFile) return yield* fail(p, `wget: can't open '${file}': File exists`);
    p.sys.files.set(path, res.body);
  }
  if (!quiet) p.io.err.write(meter(toStdout ? '-' : file, Buffer.byteLength(res.body)) + (toStdout ? 'written to stdout\n' : `'${file}' saved\n`));
  return 0;
}

function* fail(p: Proc, msg: string, code = 1): Gen {
  p.io.err.write(msg + '\n');
  return yield* done(code);
}

/** curl (curlimages/curl, netshoot, nginx's debian image) */
export function* curl(argv: string[], p: Proc): Gen {
  const args = argv.slice(1);
  const has = (...f: string[]) => args.some((a) => f.includes(a) || (/^-[a-zA-Z]+$/.test(a) && f.some((x) => x.length === 2 && a.includes(x[1]!))));
  const silent = has('-s', '--silent');
  const showErr = has('-S', '--show-error') || !silent;
  const head = has('-I', '--head');
  const include = has('-i', '--include') || head;
  const failHttp = has('-f', '--fail');
  const verbose = has('-v', '--verbose');
  const maxTime = flag(args, '-m', '--max-time');
  const connTimeout = flag(args, '--connect-timeout');
  const output = flag(args, '-o', '--output');
  const writeOut = flag(args, '-w', '--write-out');
  const method = flag(args, '-X', '--request') ?? (head ? 'HEAD' : 'GET');
  const valued = new Set(['-m', '--max-time', '--connect-timeout', '-o', '--output', '-w', '--write-out', '-X', '--request', '-H', '--header', '-d', '--data', '-A', '--user-agent', '-u', '--user']);
  const url = args.find((a, i) => !a.startsWith('-') && !valued.has(args[i - 1] ?? ''));
  const err = (code: number, msg: string): Gen => {
    if (showErr) p.io.err.write(`curl: (${code}) ${msg}\n`);
    return done(code);
  };
  if (!url) {
    p.io.err.write("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const t = parseUrl(url);
  if (t.scheme !== 'http' && t.scheme !== 'https') return yield* err(1, `Protocol "${t.scheme}" not supported`);
  const r = fetch(p, t, method, headerArgs(args, ['-H', '--header']));
  if (!r.ok) {
    if (r.error.kind === 'unresolved') return yield* err(6, `Could not resolve host: ${t.host}`);
    if (verbose) p.io.err.write(`*   Trying ${r.ip}:${t.port}...\n`);
    if (r.error.kind === 'refused') return yield* err(7, `Failed to connect to ${t.host} port ${t.port} after 0 ms: Couldn't connect to server`);
    const limits = [maxTime, connTimeout].map((x) => (x === undefined ? NaN : Number(x) * 1000)).filter(Number.isFinite);
    if (limits.length) {
      const ms = Math.min(...limits);
      yield { sleep: ms };
      return yield* err(28, `Connection timed out after ${ms + 2} milliseconds`);
    }
    yield { sleep: KERNEL_CONNECT_TIMEOUT_MS };
    return yield* err(28, `Failed to connect to ${t.host} port ${t.port} after ${KERNEL_CONNECT_TIMEOUT_MS} ms: Couldn't connect to server`);
  }
  const { res } = r;
  if (failHttp && res.status >= 400) return yield* err(22, `The requested URL returned error: ${res.status}`);
  const body = head ? '' : res.body;
  let text = '';
  if (include) {
    const hs = Object.entries(res.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    text += `HTTP/1.1 ${res.status} ${res.statusText || statusText(res.status)}\r\n${hs}\r\n`;
  }
  text += body;
  if (output && output !== '-') {
    p.sys.files.set(output.startsWith('/') ? output : `${p.cwd.replace(/\/$/, '')}/${output}`, text);
  } else p.io.out.write(text);
  // curl draws its meter on stderr only when stdout is not a terminal
  if (!silent && !p.io.tty && (output || !verbose)) {
    const n = String(Buffer.byteLength(body)).padStart(5);
    p.io.err.write(
      '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
        '                                 Dload  Upload   Total   Spent    Left  Speed\n' +
        `100 ${n}  100 ${n}    0     0   600k      0 --:--:-- --:--:-- --:--:--  600k\n`,
    );
  }
  if (writeOut) p.io.out.write(writeOut.replace(/%\{http_code\}/g, String(res.status)).replace(/%\{remote_ip\}/g, r.ip).replace(/\\n/g, '\n'));
  return 0;
}

/** busybox nslookup */
export function* nslookup(argv: string[], p: Proc): Gen {
  const name = argv.slice(1).find((a) => !a.startsWith('-'));
  if (!name) return yield* fail(p, 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]');
  const net = p.sys.net?.();
  const head = `Server:\t\t${DNS_SERVER}\nAddress:\t${DNS_SERVER}:53\n\n`;
  if (IPV4.test(name)) {
    const host = net?.network.reverse(name);
    const arpa = name.split('.').reverse().join('.') + '.in-addr.arpa';
    if (!host) return yield* fail(p, `${head}** server can't find ${arpa}: NXDOMAIN\n`);
    p.io.out.write(`${head}${arpa}\tname = ${host}\n\n`);
    return 0;
  }
  if (!net) {
    // no DNS server answers: busybox retries, then gives up
    yield { sleep: 15_000 };
    return yield* fail(p, ';; connection timed out; no servers could be reached\n');
  }
  const a = net.network.resolve(name, net.source);
  if (!a || !a.ips.length) {
    const ns = net.source.pod?.namespace ?? 'default';
    const fq = name.endsWith('.') || name.split('.').length > 5 ? name.replace(/\.$/, '') : `${name}.${ns}.svc.cluster.local`;
    p.io.out.write(head);
    return yield* fail(p, `** server can't find ${fq}: NXDOMAIN\n`);
  }
  p.io.out.write(head + a.ips.map((ip) => `Name:\t${a.fqdn}\nAddress: ${ip}\n`).join('') + '\n');
  return 0;
}

/**
 * busybox ping. kube-proxy only forwards TCP/UDP to Service VIPs, so ICMP to a ClusterIP goes
 * unanswered; pod IPs answer. Without -c it would run until Ctrl-C: it then runs until stopped.
 */
export function* ping(argv: string[], p: Proc): Gen {
  const args = argv.slice(1);
  const count = Number(flag(args, '-c') ?? Infinity);
  const host = args.find((a, i) => !a.startsWith('-') && !['-c', '-W', '-w', '-i', '-s'].includes(args[i - 1] ?? ''));
  if (!host) return yield* fail(p, 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST');
  const ip = lookupIp(p, host);
  if (!ip) return yield* fail(p, `ping: bad address '${host}'`);
  const net = p.sys.net?.();
  const answers = ip === '127.0.0.1' || ip === p.sys.podIP || (!inServiceCidr(ip) && net?.network.reverse(ip) !== undefined);
  p.io.out.write(`PING ${host} (${ip}): 56 data bytes\n`);
  let sent = 0;
  let got = 0;
  const times: number[] = [];
  const summary = () => {
    const loss = sent ? Math.round(((sent - got) / sent) * 100) : 0;
    let s = `\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${got} packets received, ${loss}% packet loss\n`;
    if (times.length) {
      const avg = times.reduce((a, b) => a + b, 0) / times.length;
      s += `round-trip min/avg/max = ${Math.min(...times).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...times).toFixed(3)} ms\n`;
    }
    return s;
  };
  while (sent < count) {
    sent++;
    if (answers) {
      const ms = 0.05 + ((sent * 37) % 50) / 1000;
      times.push(ms);
      got++;
      p.io.out.write(`64 bytes from ${ip}: seq=${sent - 1} ttl=${ip === '127.0.0.1' ? 64 : 63} time=${ms.toFixed(3)} ms\n`);
    }
    if (sent < count) yield { sleep: 1000 };
  }
  if (!answers) yield { sleep: 1000 };
  p.io.out.write(summary());
  return got ? 0 : 1;
}

/** 10.96.0.0/12: Service VIPs exist only as iptables rules */
function inServiceCidr(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 && b >= 96 && b <= 111;
}

/** busybox nc: only -z (port scan) and a one-shot connect are meaningful here */
export function* nc(argv: string[], p: Proc): Gen {
  const args = argv.slice(1);
  const zero = args.some((a) => /^-[a-zA-Z]*z/.test(a));
  const verbose = args.some((a) => /^-[a-zA-Z]*v/.test(a));
  const wait = Number(flag(args, '-w') ?? NaN);
  const pos = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-w');
  const [host, portArg] = pos;
  if (!host || !portArg) return yield* fail(p, 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect');
  const port = Number(portArg);
  const ip = lookupIp(p, host);
  if (!ip) return yield* fail(p, `nc: bad address '${host}'`);
  let res: { ok: true } | { ok: false; error: NetError };
  if (ip === '127.0.0.1' || ip === p.sys.podIP) res = p.sys.localHttp?.(port, '/') !== undefined ? { ok: true } : { ok: false, error: { kind: 'refused', host, port } };
  else {
    const net = p.sys.net?.();
    res = net ? net.network.tcp(net.source, host, port) : { ok: false, error: { kind: 'timeout', host, port } };
  }
  if (res.ok) {
    if (verbose) p.io.err.write(`${host} (${ip}:${port}) open\n`);
    if (!zero) yield { forever: true };
    return 0;
  }
  if (res.error.kind === 'refused') return yield* fail(p, `nc: can't connect to remote host (${ip}): Connection refused`);
  yield { sleep: Number.isFinite(wait) ? wait * 1000 : KERNEL_CONNECT_TIMEOUT_MS };
  return yield* fail(p, Number.isFinite(wait) ? 'nc: timeout' : `nc: can't connect to remote host (${ip}): Connection timed out`);
}
