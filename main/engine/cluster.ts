// Assembles one simulated cluster: store + persistence, PKI, API server, controllers.
import { promises as fsp } from 'node:fs';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { type Clock, systemClock } from './clock.js';
import { type IdSource, randomIds } from './ids.js';
import { Store } from './store/store.js';
import { GroupCommitter, openState } from './store/persistence.js';
import type { KObj } from './store/types.js';
import { kubeconfig, loadOrCreatePki, type Pki } from './pki/pki.js';
import { Registry } from './api/registry.js';
import type { ApiContext } from './api/context.js';
import { createApiServer } from './api/server.js';
import { WorkQueue } from './controllers/queue.js';
import { NamespaceController } from './controllers/namespace.js';
import * as plugins from './api/plugins.js';

export interface ClusterOptions {
  dataDir: string;
  /** 0 picks a free port */
  port?: number;
  kubeconfigPath?: string;
  clock?: Clock;
  /** real time for network timeouts and certificates */
  wall?: Clock;
  ids?: IdSource;
  log?: (line: string) => void;
}

const NS_REF = { group: '', resource: 'namespaces', namespaced: false };
const BOOT_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export class Cluster {
  private constructor(
    readonly store: Store,
    readonly registry: Registry,
    readonly server: Server,
    readonly url: string,
    readonly kubeconfigPath: string,
    readonly pki: Pki,
    private committer: GroupCommitter,
    private queues: WorkQueue[],
    private unsubscribe: () => void,
  ) {}

  static async start(opts: ClusterOptions): Promise<Cluster> {
    const clock = opts.clock ?? systemClock;
    const wall = opts.wall ?? systemClock;
    const ids = opts.ids ?? randomIds;
    const log = opts.log ?? ((l: string) => console.error(l));
    await fsp.mkdir(opts.dataDir, { recursive: true });

    const { db, result } = await openState(path.join(opts.dataDir, 'cluster.json'), new Date(wall.now()));
    if (result.recovered) log(result.recovered);
    const store = new Store(clock, ids);
    if (result.state) store.load(result.state.rev, result.state.objects);
    const committer = new GroupCommitter(db, () => store.snapshot());
    committer.setBaseline(store.rev);
    const pki = await loadOrCreatePki(path.join(opts.dataDir, 'pki'), wall.now());
    const registry = new Registry();

    // every change is flushed soon; API writes additionally wait for it before answering
    const unsubscribePersist = store.subscribe((ev) => void committer.durable(ev.rev).catch(() => undefined));

    const nsController = new NamespaceController(store, () => registry.defs.filter((d) => d.namespaced && !d.virtual), pki.caCert);
    const nsQueue = new WorkQueue(nsController, clock);
    const unsubscribeNs = store.subscribe((ev) => nsController.keysFor(ev).forEach((k) => nsQueue.add(k)));

    if (!result.state) bootstrap(store);
    for (const ns of store.list(NS_REF)) nsQueue.add(ns.metadata.name!);

    let serverAddress = '';
    const ctx: ApiContext = {
      store,
      registry,
      clock,
      wall,
      ids,
      durable: (rev) => committer.durable(rev),
      get serverAddress() {
        return serverAddress;
      },
    };
    const server = createApiServer(ctx, pki);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    serverAddress = `127.0.0.1:${port}`;
    const url = `https://127.0.0.1:${port}`;
    const kubeconfigPath = opts.kubeconfigPath ?? path.join(opts.dataDir, 'kubeconfig');
    await fsp.mkdir(path.dirname(kubeconfigPath), { recursive: true });
    await fsp.writeFile(kubeconfigPath, kubeconfig(url, pki), { mode: 0o600 });
    await committer.durable(store.rev);
    return new Cluster(store, registry, server, url, kubeconfigPath, pki, committer, [nsQueue], () => {
      unsubscribePersist();
      unsubscribeNs();
    });
  }

  /** Wait until controllers have nothing queued (tests). */
  async settle(): Promise<void> {
    for (const q of this.queues) await q.idle();
  }

  async stop(): Promise<void> {
    for (const q of this.queues) q.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.committer.flushAll();
    this.unsubscribe();
  }
}

function bootstrap(store: Store): void {
  for (const name of BOOT_NAMESPACES) {
    const ns: KObj = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    plugins.applyDefaults('', 'Namespace', ns);
    plugins.prepareForCreate('', 'Namespace', ns);
    store.create(NS_REF, ns);
  }
}
