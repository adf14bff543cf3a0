// The programs images run by default: start-up logs as the real ones print them, the ports they
// serve, and how they react to SIGTERM. Binaries exist only in their own image (see lookup).
import { strftime, pad, type Gen, type HttpHandler, type HttpReq, type Proc, type Program } from './sys.js';

const D = (p: Proc, f: string) => strftime(p.sys.now(), f);
const nginxTime = (p: Proc) => D(p, '%Y/%m/%d %H:%M:%S');
const accessTime = (p: Proc) => D(p, '%d/%b/%Y:%H:%M:%S +0000');
const httpdTime = (p: Proc) => {
  const us = pad((p.sys.now() % 1000) * 1000 + 123, 6);
  return D(p, `%a %b %d %H:%M:%S.${us} %Y`);
};
const redisTime = (p: Proc) => D(p, '%d %b %Y %H:%M:%S.') + pad(p.sys.now() % 1000, 3);
const isoMs = (p: Proc) => new Date(p.sys.now()).toISOString();

interface Serve {
  ports?: Array<[number, HttpHandler | null]>;
  /** lines printed on SIGTERM, and the exit code (0 for servers that shut down cleanly) */
  term?: (p: Proc) => { lines: string[]; code: number; stream?: 'out' | 'err' };
  burn?: boolean;
}

/** listen, then run until signalled */
function* serve(p: Proc, s: Serve): Gen {
  for (const [port, h] of s.ports ?? []) p.sys.listen(port, h);
  if (p.pid1 && s.term) {
    const term = s.term;
    p.sys.onTerm(function* () {
      const r = term(p);
      const sink = r.stream === 'err' ? p.io.err : p.io.out;
      for (const l of r.lines) sink.write(l + '\n');
      return r.code;
    });
  }
  yield { forever: true, burn: s.burn ?? false };
  return 0;
}

function lines(p: Proc, ls: string[], err = false): void {
  for (const l of ls) (err ? p.io.err : p.io.out).write(l + '\n');
}

const NGINX_INDEX =
  '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href="http://nginx.org/">nginx.org</a>.<br/>\nCommercial support is available at\n<a href="http://nginx.com/">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n';
const HTTPD_INDEX = '<html><body><h1>It works!</h1></body></html>\n';

export const DEFAULT_FILES: Record<string, Record<string, string>> = {
  nginx: { '/usr/share/nginx/html/index.html': NGINX_INDEX, '/usr/share/nginx/html/50x.html': '<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n</html>\n' },
  httpd: { '/usr/local/apache2/htdocs/index.html': HTTPD_INDEX },
};

function staticSite(p: Proc, root: string, log: (path: string, from: string, status: number, size: number, req: HttpReq) => void): HttpHandler {
  return (path, from, req) => {
    const file = p.sys.files.get(root + (path.split('?')[0]!.endsWith('/') ? path.split('?')[0] + 'index.html' : path.split('?')[0]));
    const r = file !== undefined ? { status: 200, body: file } : { status: 404, body: '<html>\r\n<head><title>404 Not Found</title></head>\r\n</html>\r\n' };
    log(path, from, r.status, Buffer.byteLength(r.body), req);
    return r;
  };
}

/** a header as nginx logs it: "-" when absent */
const logField = (v: string | undefined) => (v ? v : '-');

function* nginx(argv: string[], p: Proc): Gen {
  const alpine = p.sys.shell === 'busybox';
  const w1 = 29 + (p.sys.hostname.length % 5);
  lines(p, [
    `${nginxTime(p)} [notice] 1#1: using the "epoll" event method`,
    `${nginxTime(p)} [notice] 1#1: nginx/${p.sys.version}`,
    `${nginxTime(p)} [notice] 1#1: built by gcc ${alpine ? '13.2.1 20240309 (Alpine 13.2.1_git20240309)' : '12.2.0 (Debian 12.2.0-14) '}`,
    `${nginxTime(p)} [notice] 1#1: OS: Linux 6.8.0-kubelab`,
    `${nginxTime(p)} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
    `${nginxTime(p)} [notice] 1#1: start worker processes`,
    `${nginxTime(p)} [notice] 1#1: start worker process ${w1}`,
    `${nginxTime(p)} [notice] 1#1: start worker process ${w1 + 1}`,
  ], true);
  void argv;
  const handler = staticSite(p, '/usr/share/nginx/html', (path, from, status, size, req) =>
    p.io.out.write(`${from} - - [${accessTime(p)}] "${req.method} ${path} HTTP/1.1" ${status} ${size} "${logField(req.headers.referer)}" "${logField(req.userAgent)}" "${logField(req.headers['x-forwarded-for'])}"\n`),
  );
  return yield* serve(p, {
    ports: [[80, handler]],
    term: () => ({
      stream: 'err',
      code: 0,
      lines: [
        `${nginxTime(p)} [notice] 1#1: signal 15 (SIGTERM) received, exiting`,
        `${nginxTime(p)} [notice] ${w1}#${w1}: exiting`,
        `${nginxTime(p)} [notice] ${w1 + 1}#${w1 + 1}: exiting`,
        `${nginxTime(p)} [notice] ${w1}#${w1}: exit`,
        `${nginxTime(p)} [notice] ${w1 + 1}#${w1 + 1}: exit`,
        `${nginxTime(p)} [notice] 1#1: signal 17 (SIGCHLD) received from ${w1}`,
        `${nginxTime(p)} [notice] 1#1: worker process ${w1} exited with code 0`,
        `${nginxTime(p)} [notice] 1#1: worker process ${w1 + 1} exited with code 0`,
        `${nginxTime(p)} [notice] 1#1: exit`,
      ],
    }),
  });
}

/** nginx image's /docker-entrypoint.sh: configuration notes, then exec of the command */
function* nginxEntrypoint(argv: string[], p: Proc, next: (argv: string[]) => Gen): Gen {
  if (argv[1] === 'nginx' || argv[1] === 'nginx-debug') {
    lines(p, [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
    ]);
    yield { sleep: 40 };
  }
  return yield* next(argv.slice(1));
}

function* httpd(_argv: string[], p: Proc): Gen {
  const fqdn = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${p.sys.podIP}. Set the 'ServerName' directive globally to suppress this message`;
  lines(p, [fqdn, fqdn], true);
  yield { sleep: 15 };
  lines(p, [
    `[${httpdTime(p)}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/${p.sys.version} (Unix) configured -- resuming normal operations`,
    `[${httpdTime(p)}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`,
  ], true);
  const handler = staticSite(p, '/usr/local/apache2/htdocs', (path, from, status, size, req) =>
    p.io.out.write(`${from} - - [${accessTime(p)}] "${req.method} ${path} HTTP/1.1" ${status} ${size}\n`),
  );
  return yield* serve(p, {
    ports: [[80, handler]],
    term: () => ({ stream: 'err', code: 0, lines: [`[${httpdTime(p)}] [mpm_event:notice] [pid 1:tid 1] AH00491: caught SIGTERM, shutting down`] }),
  });
}

function* redis(argv: string[], p: Proc): Gen {
  const portArg = argv.indexOf('--port');
  const port = portArg > 0 ? Number(argv[portArg + 1]) : 6379;
  lines(p, [
    `1:C ${redisTime(p)} # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.`,
    `1:C ${redisTime(p)} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
    `1:C ${redisTime(p)} * Redis version=${p.sys.version}, bits=64, commit=00000000, modified=0, pid=1, just started`,
    `1:C ${redisTime(p)} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
    `1:M ${redisTime(p)} * monotonic clock: POSIX clock_gettime`,
    `1:M ${redisTime(p)} * Running mode=standalone, port=${port}.`,
    `1:M ${redisTime(p)} * Server initialized`,
    `1:M ${redisTime(p)} * Ready to accept connections tcp`,
  ]);
  return yield* serve(p, {
    ports: [[port, null]],
    term: () => ({
      code: 0,
      lines: [
        `1:signal-handler (${Math.floor(p.sys.now() / 1000)}) Received SIGTERM scheduling shutdown...`,
        `1:M ${redisTime(p)} * User requested shutdown...`,
        `1:M ${redisTime(p)} * Saving the final RDB snapshot before exiting.`,
        `1:M ${redisTime(p)} * DB saved on disk`,
        `1:M ${redisTime(p)} # Redis is now ready to exit, bye bye...`,
      ],
    }),
  });
}

function* mysql(_argv: string[], p: Proc): Gen {
  const ts = () => D(p, '%Y-%m-%d %H:%M:%S+00:00');
  const v = `${p.sys.version}-1.el9`;
  lines(p, [`${ts()} [Note] [Entrypoint]: Entrypoint script for MySQL Server ${v} started.`]);
  yield { sleep: 200 };
  lines(p, [`${ts()} [Note] [Entrypoint]: Switching to dedicated user 'mysql'`, `${ts()} [Note] [Entrypoint]: Entrypoint script for MySQL Server ${v} started.`]);
  const e = p.env;
  if (!e.get('MYSQL_ROOT_PASSWORD') && !e.has('MYSQL_ALLOW_EMPTY_PASSWORD') && !e.has('MYSQL_RANDOM_ROOT_PASSWORD')) {
    lines(p, [
      `${ts()} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified`,
      '\tYou need to specify one of the following as an environment variable:',
      '\t- MYSQL_ROOT_PASSWORD',
      '\t- MYSQL_ALLOW_EMPTY_PASSWORD',
      '\t- MYSQL_RANDOM_ROOT_PASSWORD',
    ], true);
    return 1;
  }
  lines(p, [`${ts()} [Note] [Entrypoint]: Initializing database files`]);
  yield { sleep: 9000 };
  lines(p, [
    `${ts()} [Note] [Entrypoint]: Database files initialized`,
    `${ts()} [Note] [Entrypoint]: MySQL init process done. Ready for start up.`,
    `${isoMs(p).replace('Z', '000Z')} 0 [System] [MY-015015] [Server] MySQL Server - start.`,
    `${isoMs(p).replace('Z', '000Z')} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '${p.sys.version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`,
  ]);
  return yield* serve(p, {
    ports: [[3306, null], [33060, null]],
    term: () => ({ code: 0, lines: [`${isoMs(p).replace('Z', '000Z')} 0 [System] [MY-013172] [Server] Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: ${p.sys.version}).`] }),
  });
}

function* postgres(_argv: string[], p: Proc): Gen {
  if (!p.env.get('POSTGRES_PASSWORD') && p.env.get('POSTGRES_HOST_AUTH_METHOD') !== 'trust') {
    lines(p, [
      'Error: Database is uninitialized and superuser password is not specified.',
      '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
      '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
      '',
      '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
      '       connections without a password. This is *not* recommended.',
      '',
      '       See PostgreSQL documentation about "trust":',
      '       https://www.postgresql.org/docs/current/auth-trust.html',
    ], true);
    return 1;
  }
  const ts = () => D(p, '%Y-%m-%d %H:%M:%S.') + pad(p.sys.now() % 1000, 3) + ' UTC';
  lines(p, ['The files belonging to this database system will be owned by user "postgres".', 'This user must also own the server process.', '']);
  yield { sleep: 2500 };
  lines(p, ['PostgreSQL init process complete; ready for start up.', '']);
  lines(p, [
    `${ts()} [1] LOG:  starting PostgreSQL ${p.sys.version} (Debian ${p.sys.version}-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`,
    `${ts()} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`,
    `${ts()} [1] LOG:  listening on IPv6 address "::", port 5432`,
    `${ts()} [1] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"`,
    `${ts()} [1] LOG:  database system is ready to accept connections`,
  ], true);
  return yield* serve(p, {
    ports: [[5432, null]],
    term: () => ({ stream: 'err', code: 0, lines: [`${ts()} [1] LOG:  received smart shutdown request`, `${ts()} [1] LOG:  database system is shut down`] }),
  });
}

/** a long-running server with a few start-up lines and a clean SIGTERM exit */
function simpleServer(start: (p: Proc, argv: string[]) => string[], ports: number[], opts: { err?: boolean; termLines?: (p: Proc) => string[]; termCode?: number; http?: (p: Proc, argv: string[]) => HttpHandler } = {}): Program {
  return function* (argv, p) {
    lines(p, start(p, argv), opts.err ?? false);
    const h = opts.http?.(p, argv) ?? null;
    return yield* serve(p, {
      ports: ports.map((port) => [port, h]),
      term: () => ({ code: opts.termCode ?? 0, lines: opts.termLines?.(p) ?? [], stream: opts.err ? 'err' : 'out' }),
    });
  };
}

const klog = (p: Proc, file: string, msg: string) => `I${D(p, '%m%d %H:%M:%S')}.${pad((p.sys.now() % 1000) * 1000, 6)}       1 ${file}] ${msg}`;
const flagValue = (argv: string[], name: string) => argv.find((a) => a.startsWith(`-${name}=`) || a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');

const ok = (body: string): HttpHandler => () => ({ status: 200, body });

/** the API server to a client without credentials: health endpoints are public, the rest is 403 */
const apiserverAnonymous: HttpHandler = (path) => {
  const p = path.split('?')[0]!;
  if (['/livez', '/readyz', '/healthz'].includes(p)) return { status: 200, body: 'ok' };
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `forbidden: User "system:anonymous" cannot get path "${p}"`, reason: 'Forbidden', details: {}, code: 403 };
  return { status: 403, body: JSON.stringify(status, null, 2) + '\n' };
};

/** program name → [image app key, program] */
export const APPS: Record<string, [string, Program]> = {
  nginx: ['nginx', nginx],
  'nginx-debug': ['nginx', nginx],
  httpd: ['httpd', httpd],
  'httpd-foreground': ['httpd', httpd],
  'redis-server': ['redis', redis],
  mysqld: ['mysql', mysql],
  postgres: ['postgres', postgres],
  pause: ['pause', simpleServer(() => [], [], { err: true, termLines: () => ['Shutting down, got signal: Terminated'] })],
  coredns: ['coredns', simpleServer((p) => ['.:53', '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908', `CoreDNS-${p.sys.version}`, 'linux/amd64, go1.22.7, a6338e9'], [53, 8080, 8181], {
    termLines: () => ['[INFO] SIGTERM: Shutting down servers then terminating', '[INFO] plugin/health: Going into lameduck mode for 5s'],
    http: () => (path) => (path === '/health' || path === '/ready' ? { status: 200, body: 'OK' } : { status: 404, body: '404 page not found\n' }),
  })],
  'kube-proxy': ['kube-proxy', simpleServer((p) => [klog(p, 'server_linux.go:66', '"Using iptables proxy"'), klog(p, 'server.go:698', `"Successfully retrieved node IP(s)" IPs=["${p.sys.podIP}"]`), klog(p, 'server_linux.go:170', '"Using iptables Proxier"'), klog(p, 'proxier.go:255', '"Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses" ipFamily="IPv4"'), klog(p, 'server.go:926', `"Version info" version="v${p.sys.version}"`), klog(p, 'shared_informer.go:313', '"Waiting for caches to sync" controller="service config"'), klog(p, 'shared_informer.go:320', '"Caches are synced" controller="service config"')], [10249, 10256], { err: true, http: () => ok('ok') })],
  etcd: ['etcd', simpleServer((p) => [`{"level":"info","ts":"${isoMs(p)}","caller":"embed/etcd.go:128","msg":"configuring peer listeners","listen-peer-urls":["https://${p.sys.podIP}:2380"]}`, `{"level":"info","ts":"${isoMs(p)}","caller":"embed/etcd.go:310","msg":"starting an etcd server","etcd-version":"${p.sys.version}","name":"${p.sys.hostname.replace(/^etcd-/, '')}"}`, `{"level":"info","ts":"${isoMs(p)}","caller":"etcdserver/server.go:2068","msg":"published local member to cluster through raft"}`, `{"level":"info","ts":"${isoMs(p)}","caller":"embed/serve.go:250","msg":"serving client traffic securely","traffic":"grpc+http","address":"${p.sys.podIP}:2379"}`], [2379, 2380, 2381], { err: true, http: () => ok('{"health":"true","reason":""}') })],
  'kube-apiserver': ['kube-apiserver', simpleServer((p) => [klog(p, 'options.go:228', 'external host was not specified, using ' + p.sys.podIP), klog(p, 'server.go:142', `Version: v${p.sys.version}`), klog(p, 'secure_serving.go:213', 'Serving securely on [::]:6443'), klog(p, 'controller.go:615', 'quota admission added evaluator for: leases.coordination.k8s.io')], [6443], { err: true, http: () => apiserverAnonymous })],
  'kube-controller-manager': ['kube-controller-manager', simpleServer((p) => [klog(p, 'serving.go:386', 'Generated self-signed cert in-memory'), klog(p, 'controllermanager.go:197', `"Starting" version="v${p.sys.version}"`), klog(p, 'secure_serving.go:213', 'Serving securely on 127.0.0.1:10257'), klog(p, 'leaderelection.go:271', 'successfully acquired lease kube-system/kube-controller-manager')], [10257], { err: true, http: () => ok('ok') })],
  'kube-scheduler': ['kube-scheduler', simpleServer((p) => [klog(p, 'serving.go:386', 'Generated self-signed cert in-memory'), klog(p, 'server.go:167', `"Starting Kubernetes Scheduler" version="v${p.sys.version}"`), klog(p, 'secure_serving.go:213', 'Serving securely on 127.0.0.1:10259'), klog(p, 'leaderelection.go:271', 'successfully acquired lease kube-system/kube-scheduler')], [10259], { err: true, http: () => ok('ok') })],
  'http-echo': ['http-echo', function* (argv, p) {
    const text = flagValue(argv, 'text') ?? 'hello-world';
    const port = Number((flagValue(argv, 'listen') ?? ':5678').split(':').pop());
    const ts = () => D(p, '%Y/%m/%d %H:%M:%S');
    lines(p, [`${ts()} [INFO] server is listening on :${port}`]);
    return yield* serve(p, {
      ports: [[port, (path, from, req) => {
        p.io.out.write(`${ts()} ${req.host} ${from}:51234 "${req.method} ${path} HTTP/1.1" 200 ${Buffer.byteLength(text) + 1} "${req.userAgent}" 12.5µs\n`);
        return { status: 200, body: text + '\n' };
      }]],
      term: () => ({ code: 0, lines: [`${ts()} [INFO] server is shutting down`] }),
    });
  }],
  whoami: ['whoami', function* (argv, p) {
    const port = Number(flagValue(argv, 'port') ?? p.env.get('WHOAMI_PORT_NUMBER') ?? 80);
    lines(p, [`${D(p, '%Y/%m/%d %H:%M:%S')} Starting up on port ${port}`]);
    return yield* serve(p, {
      ports: [[port, (path, from, req) => ({ status: 200, body: whoamiBody(p, path, from, req) })]],
      term: () => ({ code: 0, lines: [] }),
    });
  }],
  mongod: ['mongo', simpleServer((p) => [`{"t":{"$date":"${isoMs(p).replace('Z', '+00:00')}"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":27017,"ssl":"off"}}`], [27017])],
  memcached: ['memcached', simpleServer(() => [], [11211])],
  'rabbitmq-server': ['rabbitmq', simpleServer((p) => [`${isoMs(p).replace('T', ' ')} [info] <0.9.0> Server startup complete; 4 plugins started.`], [5672, 15692])],
  'apache2-foreground': ['wordpress', simpleServer((p) => [`WordPress not found in /var/www/html - copying now...`, `Complete! WordPress has been successfully copied to /var/www/html`, `[${httpdTime(p)}] [mpm_prefork:notice] [pid 1:tid 1] AH00163: Apache/2.4.62 (Debian) PHP/8.2.26 configured -- resuming normal operations`], [80], { http: () => ok('<!DOCTYPE html>\n<html lang="en-US">WordPress › Installation</html>\n') })],
  'jenkins.sh': ['jenkins', simpleServer((p) => [`Running from: /usr/share/jenkins/jenkins.war`, `${isoMs(p).replace('T', ' ').replace('Z', '+0000')} [id=1]\tINFO\twinstone.Logger#logInternal: Beginning extraction from war file`, `${isoMs(p).replace('T', ' ').replace('Z', '+0000')} [id=33]\tINFO\thudson.lifecycle.Lifecycle#onReady: Jenkins is fully up and running`], [8080, 50000], { termCode: 143, http: () => ok('<html>Jenkins</html>') })],
  'run.sh': ['grafana', simpleServer((p) => [`logger=settings t=${isoMs(p)} level=info msg="Starting Grafana" version=${p.sys.version}`, `logger=http.server t=${isoMs(p)} level=info msg="HTTP Server Listen" address=[::]:3000 protocol=http subUrl= socket=`], [3000], { http: () => ok('{"database":"ok"}') })],
  prometheus: ['prometheus', simpleServer((p) => [`time=${isoMs(p)} level=INFO source=main.go:640 msg="No time or size retention was set so using the default time retention" duration=15d`, `time=${isoMs(p)} level=INFO source=main.go:1225 msg="Server is ready to receive web requests."`], [9090], { err: true, http: () => ok('Prometheus Server is Ready.\n') })],
  agnhost: ['agnhost', function* (argv, p) {
    const sub = argv[1];
    if (sub === 'netexec' || sub === 'serve-hostname') {
      const port = Number(flagValue(argv, 'http-port') ?? flagValue(argv, 'port') ?? (sub === 'netexec' ? 8080 : 9376));
      lines(p, [`${D(p, '%Y/%m/%d %H:%M:%S')} Started HTTP server on port ${port}`]);
      return yield* serve(p, { ports: [[port, (path) => ({ status: 200, body: path === '/hostname' || sub === 'serve-hostname' ? p.sys.hostname : 'NOW: ' + isoMs(p) })]], term: () => ({ code: 0, lines: [] }) });
    }
    if (sub === 'pause') return yield* serve(p, { term: () => ({ code: 0, lines: [] }) });
    p.io.err.write('Usage:\n  app [command]\n');
    return 1;
  }],
  'vish-stress': ['vish-stress', function* (argv, p) {
    const mem = flagValue(argv, 'mem-total');
    if (mem) p.sys.setMemory(Number.parseInt(mem, 10));
    return yield* serve(p, { burn: argv.some((a) => a.startsWith('-cpus')) });
  }],
  python3: ['python', pythonProgram],
  python: ['python', pythonProgram],
  node: ['node', function* (argv, p) {
    const e = argv.indexOf('-e');
    if (e > 0) {
      const m = /console\.log\((['"`])(.*)\1\)/.exec(argv[e + 1] ?? '');
      if (m) p.io.out.write(m[2] + '\n');
    }
    return 0; // the REPL without a tty exits at once
  }],
};

/** traefik/whoami: who answered, who asked, and the request as received */
function whoamiBody(p: Proc, path: string, from: string, req: HttpReq): string {
  const canon = (k: string) => k.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
  const ls = [`Hostname: ${p.sys.hostname}`, 'IP: 127.0.0.1', `IP: ${p.sys.podIP}`, `RemoteAddr: ${from}:${40000 + (p.sys.now() % 20000)}`, `${req.method} ${path} HTTP/1.1`, `Host: ${req.host}`];
  if (req.userAgent) ls.push(`User-Agent: ${req.userAgent}`);
  for (const [k, v] of Object.entries(req.headers)) if (k !== 'host' && k !== 'user-agent') ls.push(`${canon(k)}: ${v}`);
  return ls.join('\n') + '\n\n';
}

function* pythonProgram(argv: string[], p: Proc): Gen {
  const m = argv.indexOf('-m');
  if (m > 0 && argv[m + 1] === 'http.server') {
    const port = Number(argv[m + 2] ?? 8000);
    lines(p, [`Serving HTTP on 0.0.0.0 port ${port} (http://0.0.0.0:${port}/) ...`]);
    return yield* serve(p, {
      ports: [[port, (path, from) => {
        p.io.err.write(`${from} - - [${D(p, '%d/%b/%Y %H:%M:%S')}] "GET ${path} HTTP/1.1" 200 -\n`);
        return { status: 200, body: '<!DOCTYPE HTML>\n<html lang="en">\n<head><title>Directory listing for /</title></head>\n</html>\n' };
      }]],
      term: () => ({ code: 143, lines: [] }),
    });
  }
  const c = argv.indexOf('-c');
  if (c > 0) {
    for (const mm of (argv[c + 1] ?? '').matchAll(/print\((['"])(.*?)\1\)/g)) p.io.out.write(mm[2] + '\n');
  }
  return 0; // the REPL without a tty exits at once
}

export { nginxEntrypoint };
