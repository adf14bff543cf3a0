// etcdctl (v3.5) inside the etcd static pod, against the cluster's store: get/put/del, member list,
// endpoint health/status, snapshot save/status/restore, version. Network commands need the TLS
// flags a kubeadm etcd demands (--cacert/--cert/--key), as on a real control plane.
import type { Program, Proc } from '../runtime/sys.js';
import { snapshotStatus, type EtcdBackend, type EtcdSnapshot, type KV } from './backend.js';

export const ETCD_VERSION = '3.5.16';
const PKI = '/etc/kubernetes/pki/etcd';
/** files the etcd pod has mounted (the etcd-certs hostPath) */
const PKI_FILES = new Set(['ca.crt', 'ca.key', 'server.crt', 'server.key', 'peer.crt', 'peer.key', 'healthcheck-client.crt', 'healthcheck-client.key'].map((f) => `${PKI}/${f}`));
const VALUE_FLAGS = new Set(['endpoints', 'cacert', 'cert', 'key', 'write-out', 'w', 'command-timeout', 'dial-timeout', 'user', 'password', 'limit', 'data-dir', 'name', 'initial-cluster', 'initial-cluster-token', 'initial-advertise-peer-urls', 'skip-hash-check', 'wal-dir', 'rev', 'sort-by', 'order', 'consistency']);

interface Args {
  flags: Map<string, string>;
  words: string[];
}

export function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    const m = /^--?([\w-]+)(?:=(.*))?$/.exec(a);
    if (!m || /^-\d/.test(a)) {
      words.push(a);
      continue;
    }
    const name = m[1]!;
    if (m[2] !== undefined) flags.set(name, m[2]);
    else if (VALUE_FLAGS.has(name) && i + 1 < argv.length) flags.set(name, argv[++i]!);
    else flags.set(name, 'true');
  }
  return { flags, words };
}

function memberId(name: string): string {
  let h = 0x811c9dc5n;
  for (const ch of `etcd-member-${name}`) h = ((h ^ BigInt(ch.codePointAt(0)!)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = '+' + w.map((n) => '-'.repeat(n + 2)).join('+') + '+\n';
  const fmt = (r: string[]) => '|' + r.map((c, i) => ` ${c.padStart(Math.floor((w[i]! + c.length) / 2)).padEnd(w[i]!)} `).join('|') + '|\n';
  return line + fmt(head) + line + rows.map(fmt).join('') + line;
}

const humanSize = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`);

/** The etcdctl program for a cluster; `self` says where this member listens. */
export function etcdctlProgram(backend: EtcdBackend): Program {
  return function* etcdctl(argv: string[], p: Proc) {
    const { flags, words } = parseArgs(argv.slice(1));
    const out = (s: string) => p.io.out.write(s);
    const err = (s: string) => p.io.err.write(s);
    const fail = (msg: string): number => {
      err(`Error: ${msg}\n`);
      return 1;
    };
    const env = (k: string) => p.env.get(k);
    const writeOut = flags.get('write-out') ?? flags.get('w') ?? env('ETCDCTL_WRITE_OUT') ?? 'simple';
    const [cmd, sub, ...rest] = words;
    const ip = p.sys.podIP;
    const name = p.sys.hostname.replace(/^etcd-/, '');
    const ts = () => backend.now().replace(/Z$/, '.000Z');
    if (flags.has('help') || flags.has('h') || !cmd) {
      out(`NAME:\n\tetcdctl - A simple command line client for etcd3.\n\nUSAGE:\n\tetcdctl [flags]\n\nVERSION:\n\t${ETCD_VERSION}\n\nAPI VERSION:\n\t3.5\n\nCOMMANDS:\n\tdel\t\t\tRemoves the specified key or range of keys [key, range_end)\n\tendpoint health\t\tChecks the healthiness of endpoints specified in \`--endpoints\` flag\n\tendpoint status\t\tPrints out the status of endpoints specified in \`--endpoints\` flag\n\tget\t\t\tGets the key or a range of keys\n\tmember list\t\tLists all members in the cluster\n\tput\t\t\tPuts the given key into the store\n\tsnapshot restore\tRestores an etcd member snapshot to an etcd directory\n\tsnapshot save\t\tStores an etcd node backend snapshot to a given file\n\tsnapshot status\t\t[deprecated] Gets backend snapshot status of a given file\n\tversion\t\t\tPrints the version of etcdctl\n`);
      return 0;
    }
    if (cmd === 'version') {
      out(`etcdctl version: ${ETCD_VERSION}\nAPI version: 3.5\n`);
      return 0;
    }
    const offline = cmd === 'snapshot' && (sub === 'status' || sub === 'restore');
    if (!offline) {
      const cacert = flags.get('cacert') ?? env('ETCDCTL_CACERT');
      const cert = flags.get('cert') ?? env('ETCDCTL_CERT');
      const key = flags.get('key') ?? env('ETCDCTL_KEY');
      for (const f of [cacert, cert, key]) if (f && !PKI_FILES.has(f)) return fail(`open ${f}: no such file or directory`);
      // kubeadm's etcd requires client certificates: without them the TLS handshake never completes
      if (!cacert || !cert || !key) {
        err(`{"level":"warn","ts":"${ts()}","logger":"etcd-client","caller":"v3@v3.5.16/retry_interceptor.go:62","msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc0001b4000/127.0.0.1:2379","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: connection error: desc = \\"error reading server preface: EOF\\""}\n`);
        return fail('context deadline exceeded');
      }
    }
    const endpoint = (flags.get('endpoints') ?? env('ETCDCTL_ENDPOINTS') ?? '127.0.0.1:2379').split(',')[0]!;
    const header = () => ({ cluster_id: 14841639068965178418n.toString(), member_id: BigInt(`0x${memberId(name)}`).toString(), revision: backend.revision, raft_term: 2 });

    switch (cmd) {
      case 'get': {
        if (!sub) return fail('get command needs one argument as key and an optional argument as range_end');
        const kvs = backend.range(sub, { prefix: flags.get('prefix') === 'true', fromKey: flags.get('from-key') === 'true', end: rest[0] });
        const limit = Number(flags.get('limit') ?? 0);
        const shown = limit > 0 ? kvs.slice(0, limit) : kvs;
        if (flags.get('count-only') === 'true') {
          if (writeOut === 'json') out(JSON.stringify({ header: header(), count: kvs.length }) + '\n');
          else out(`${kvs.length}\n`);
          return 0;
        }
        if (writeOut === 'json') {
          const b64 = (s: string) => Buffer.from(s).toString('base64');
          const items = shown.map((kv: KV) => ({ key: b64(kv.key), create_revision: kv.createRevision, mod_revision: kv.modRevision, version: kv.version, ...(flags.get('keys-only') === 'true' ? {} : { value: b64(kv.value) }) }));
          out(JSON.stringify({ header: header(), kvs: items.length ? items : undefined, more: limit > 0 && kvs.length > limit ? true : undefined, count: kvs.length }) + '\n');
          return 0;
        }
        for (const kv of shown) {
          if (flags.get('print-value-only') === 'true') out(`${kv.value}\n`);
          else if (flags.get('keys-only') === 'true') out(`${kv.key}\n\n`);
          else out(`${kv.key}\n${kv.value}\n`);
        }
        return 0;
      }
      case 'put': {
        if (!sub) return fail('put command needs 1 argument and input from stdin or 2 arguments');
        const value = rest[0] ?? p.io.stdin;
        if (value === undefined) return fail('put command needs 1 argument and input from stdin or 2 arguments');
        backend.put(sub, value);
        out('OK\n');
        return 0;
      }
      case 'del': {
        if (!sub) return fail('del command needs one argument as key and an optional argument as range_end');
        const n = backend.del(sub, { prefix: flags.get('prefix') === 'true', fromKey: flags.get('from-key') === 'true', end: rest[0] });
        out(`${n}\n`);
        return 0;
      }
      case 'member': {
        if (sub !== 'list') return fail(sub ? `unknown command "${sub}" for "etcdctl member"` : 'member command needs a subcommand');
        const row = [memberId(name), 'started', name, `https://${ip}:2380`, `https://${ip}:2379`, 'false'];
        if (writeOut === 'table') out(table(['ID', 'STATUS', 'NAME', 'PEER ADDRS', 'CLIENT ADDRS', 'IS LEARNER'], [row]));
        else if (writeOut === 'json') out(JSON.stringify({ header: header(), members: [{ ID: BigInt(`0x${row[0]}`).toString(), name, peerURLs: [row[3]], clientURLs: [row[4]] }] }) + '\n');
        else out(row.join(', ') + '\n');
        return 0;
      }
      case 'endpoint': {
        const ep = endpoint.includes('://') ? endpoint : endpoint;
        if (sub === 'health') {
          if (writeOut === 'table') out(table(['ENDPOINT', 'HEALTH', 'TOOK', 'ERROR'], [[ep, 'true', '9.6453ms', '']]));
          else out(`${ep} is healthy: successfully committed proposal: took = 9.6453ms\n`);
          return 0;
        }
        if (sub === 'status') {
          const size = humanSize(Buffer.byteLength(JSON.stringify(backend.snapshot())));
          const row = [ep, memberId(name), ETCD_VERSION, size, 'true', 'false', '2', String(backend.revision), String(backend.revision), ''];
          if (writeOut === 'table') out(table(['ENDPOINT', 'ID', 'VERSION', 'DB SIZE', 'IS LEADER', 'IS LEARNER', 'RAFT TERM', 'RAFT INDEX', 'RAFT APPLIED INDEX', 'ERRORS'], [row]));
          else out(row.join(', ') + '\n');
          return 0;
        }
        return fail(sub ? `unknown command "${sub}" for "etcdctl endpoint"` : 'endpoint command needs a subcommand');
      }
      case 'snapshot':
        return snapshotCmd(backend, sub, rest, flags, writeOut, out, err, fail, ts, endpoint);
      default:
        err(`Error: unknown command "${cmd}" for "etcdctl"\nRun 'etcdctl --help' for usage.\n`);
        return 1;
    }
  };
}

function snapshotCmd(
  backend: EtcdBackend, sub: string | undefined, rest: string[], flags: Map<string, string>, writeOut: string,
  out: (s: string) => void, err: (s: string) => void, fail: (m: string) => number, ts: () => string, endpoint: string,
): number {
  const file = rest[0];
  if (sub === 'save') {
    if (!file) return fail('snapshot save expects one argument');
    const content = JSON.stringify(backend.snapshot());
    backend.writeFile(file, content);
    const caller = 'snapshot/v3_snapshot.go';
    err(`{"level":"info","ts":"${ts()}","caller":"${caller}:65","msg":"created temporary db file","path":"${file}.part"}\n`);
    err(`{"level":"info","ts":"${ts()}","logger":"client","caller":"v3@v3.5.16/maintenance.go:212","msg":"opened snapshot stream; downloading"}\n`);
    err(`{"level":"info","ts":"${ts()}","caller":"${caller}:73","msg":"fetching snapshot","endpoint":"${endpoint}"}\n`);
    err(`{"level":"info","ts":"${ts()}","logger":"client","caller":"v3@v3.5.16/maintenance.go:220","msg":"completed snapshot read; closing"}\n`);
    err(`{"level":"info","ts":"${ts()}","caller":"${caller}:88","msg":"fetched snapshot","endpoint":"${endpoint}","size":"${humanSize(Buffer.byteLength(content))}","took":"now"}\n`);
    err(`{"level":"info","ts":"${ts()}","caller":"${caller}:97","msg":"saved","path":"${file}"}\n`);
    out(`Snapshot saved at ${file}\n`);
    return 0;
  }
  if (sub === 'status' || sub === 'restore') {
    if (!file) return fail(`snapshot ${sub} requires exactly one argument`);
    const content = backend.readFile(file);
    if (content === undefined) return fail(`stat ${file}: no such file or directory`);
    err('Deprecated: Use `etcdutl snapshot ' + sub + '` instead.\n\n');
    const st = snapshotStatus(content);
    if (!st) return fail('snapshot file has unexpected content (not an etcd snapshot)');
    if (sub === 'status') {
      const row = [st.hash, String(st.revision), String(st.totalKeys), humanSize(st.totalSize)];
      if (writeOut === 'table') out(table(['HASH', 'REVISION', 'TOTAL KEYS', 'TOTAL SIZE'], [row]));
      else if (writeOut === 'json') out(JSON.stringify({ hash: parseInt(st.hash, 16), revision: st.revision, totalKey: st.totalKeys, totalSize: st.totalSize }) + '\n');
      else out(row.join(', ') + '\n');
      return 0;
    }
    const dataDir = flags.get('data-dir') ?? 'default.etcd';
    const caller = 'snapshot/v3_snapshot.go';
    err(`${ts()}\tinfo\tsnapshot/v3_snapshot.go:260\trestoring snapshot\t{"path": "${file}", "wal-dir": "${dataDir}/member/wal", "data-dir": "${dataDir}", "snap-dir": "${dataDir}/member/snap", "initial-memory-map-size": 10737418240}\n`);
    backend.restore(JSON.parse(content) as EtcdSnapshot);
    err(`${ts()}\tinfo\tmembership/store.go:141\tTrimming membership information from the backend...\n`);
    err(`${ts()}\tinfo\t${caller}:287\trestored snapshot\t{"path": "${file}", "wal-dir": "${dataDir}/member/wal", "data-dir": "${dataDir}", "snap-dir": "${dataDir}/member/snap", "initial-memory-map-size": 10737418240}\n`);
    return 0;
  }
  return fail(sub ? `unknown command "${sub}" for "etcdctl snapshot"` : 'snapshot command needs a subcommand');
}
