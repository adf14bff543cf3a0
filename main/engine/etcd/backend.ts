// The cluster's store seen as etcd: every object under its /registry key (values shown as JSON;
// real etcd holds the apiserver's protobuf encoding), raw keys a learner puts outside the layout,
// writes that bypass the API server (as writing etcd directly does), and snapshot files.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ApiContext } from '../api/context.js';
import { withTypeMeta } from '../api/rest.js';
import { isoTime } from '../clock.js';
import { qualify } from '../store/store.js';
import type { KObj } from '../store/types.js';
import { objectKey, parseKey, storedDefs } from './keys.js';

export const SNAPSHOT_FORMAT = 'kubelab.etcd-snapshot/v1';

export interface KV {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
}

interface RawEntry {
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
}

export interface EtcdSnapshot {
  format: string;
  revision: number;
  objects: Record<string, KObj[]>;
  raw: Record<string, RawEntry>;
}

export class EtcdBackend {
  private raw = new Map<string, RawEntry>();
  /** files written by etcdctl when there is no data dir (in-process tests) */
  private memFiles = new Map<string, string>();

  constructor(
    private readonly ctx: ApiContext,
    /** where container paths of snapshot files land on the host: <dataDir>/etcd */
    private readonly filesDir?: string,
  ) {}

  get revision(): number {
    return this.ctx.store.rev;
  }

  /** Every key, sorted as etcd sorts them (byte order). */
  all(): KV[] {
    const out: KV[] = [];
    for (const def of storedDefs(this.ctx.registry.defs)) {
      for (const o of this.ctx.store.list(def)) {
        const rv = Number(o.metadata.resourceVersion ?? 0);
        out.push({ key: objectKey(def, o.metadata.namespace, o.metadata.name!), value: JSON.stringify(withTypeMeta(def, o)), createRevision: rv, modRevision: rv, version: 1 });
      }
    }
    for (const [key, e] of this.raw) out.push({ key, ...e });
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** A key, a [key, end) range, or everything with the key as prefix. */
  range(key: string, opts: { prefix?: boolean; end?: string; fromKey?: boolean } = {}): KV[] {
    return this.all().filter((kv) => {
      if (opts.prefix) return kv.key.startsWith(key);
      if (opts.fromKey) return kv.key >= key;
      if (opts.end !== undefined) return kv.key >= key && kv.key < opts.end;
      return kv.key === key;
    });
  }

  put(key: string, value: string): void {
    const target = parseKey(this.ctx.registry.defs, key);
    let obj: KObj | undefined;
    try {
      const v = JSON.parse(value) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) obj = v as KObj;
    } catch {
      obj = undefined;
    }
    if (target && obj) {
      obj.metadata = { ...(obj.metadata ?? {}), name: target.name };
      if (target.def.namespaced) obj.metadata.namespace = target.namespace;
      delete obj.metadata.resourceVersion;
      const cur = this.ctx.store.get(target.def, target.namespace, target.name);
      if (cur) this.ctx.store.update(target.def, obj);
      else this.ctx.store.create(target.def, obj);
      return;
    }
    const old = this.raw.get(key);
    const rev = ++this.ctx.store.rev;
    this.raw.set(key, { value, createRevision: old?.createRevision ?? rev, modRevision: rev, version: (old?.version ?? 0) + 1 });
  }

  /** Delete keys; returns how many went. Objects go at once, finalizers or not, as in etcd. */
  del(key: string, opts: { prefix?: boolean; end?: string; fromKey?: boolean } = {}): number {
    let n = 0;
    for (const kv of this.range(key, opts)) {
      if (this.raw.delete(kv.key)) {
        n++;
        continue;
      }
      const t = parseKey(this.ctx.registry.defs, kv.key);
      const o = t && this.ctx.store.get(t.def, t.namespace, t.name);
      if (!t || !o) continue;
      if (o.metadata.finalizers?.length || o.metadata.deletionTimestamp) {
        const snap = this.ctx.store.snapshot().objects;
        const res = qualify(t.def);
        snap[res] = (snap[res] ?? []).filter((x) => !(x.metadata.name === t.name && x.metadata.namespace === o.metadata.namespace));
        this.ctx.store.replaceAll(snap);
      } else this.ctx.store.delete(t.def, t.namespace, t.name, { gracePeriodSeconds: 0 });
      n++;
    }
    return n;
  }

  snapshot(): EtcdSnapshot {
    return { format: SNAPSHOT_FORMAT, revision: this.ctx.store.rev, objects: this.ctx.store.snapshot().objects, raw: Object.fromEntries(this.raw) };
  }

  /** Replace the cluster's state by a snapshot's (the running nodes keep reporting for themselves). */
  restore(s: EtcdSnapshot): void {
    const keep = (res: string, o: KObj) => res === 'nodes' || (res === 'leases.coordination.k8s.io' && o.metadata.namespace === 'kube-node-lease');
    this.ctx.store.replaceAll(s.objects, keep);
    this.raw = new Map(Object.entries(s.raw ?? {}));
  }

  /** The host file behind a container path ("/opt/snap.db" → <dataDir>/etcd/opt/snap.db). */
  hostPath(containerPath: string): string | undefined {
    if (!this.filesDir) return undefined;
    const clean = path.posix.normalize(path.posix.join('/', containerPath));
    return path.join(this.filesDir, ...clean.split('/').filter(Boolean));
  }

  writeFile(containerPath: string, content: string): void {
    const host = this.hostPath(containerPath);
    if (!host) return void this.memFiles.set(containerPath, content);
    mkdirSync(path.dirname(host), { recursive: true });
    writeFileSync(host, content);
  }

  /** undefined when the file does not exist */
  readFile(containerPath: string): string | undefined {
    const host = this.hostPath(containerPath);
    if (!host) return this.memFiles.get(containerPath);
    try {
      return readFileSync(host, 'utf8');
    } catch {
      return undefined;
    }
  }

  now(): string {
    return isoTime(this.ctx.clock.now());
  }
}

/** HASH, REVISION, TOTAL KEYS, TOTAL SIZE of a snapshot file's content. */
export function snapshotStatus(content: string): { hash: string; revision: number; totalKeys: number; totalSize: number } | undefined {
  let s: EtcdSnapshot;
  try {
    s = JSON.parse(content) as EtcdSnapshot;
  } catch {
    return undefined;
  }
  if (s.format !== SNAPSHOT_FORMAT) return undefined;
  const keys = Object.values(s.objects).reduce((n, l) => n + l.length, 0) + Object.keys(s.raw ?? {}).length;
  return { hash: createHash('sha256').update(content).digest('hex').slice(0, 8), revision: s.revision, totalKeys: keys, totalSize: Buffer.byteLength(content) };
}
