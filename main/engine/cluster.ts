// Assembles one simulated cluster: store + persistence, PKI, API server, controllers and agents.
import { promises as fsp } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { type Clock, SimClock, systemClock } from './clock.js';
import { type IdSource, randomIds } from './ids.js';
import { Store } from './store/store.js';
import { GroupCommitter, openState } from './store/persistence.js';
import { lockDataDir } from './store/lock.js';
import { kubeconfig, loadOrCreatePki, type Pki } from './pki/pki.js';
import { Registry } from './api/registry.js';
import type { ApiContext } from './api/context.js';
import { createApiServer, type ApiServer } from './api/server.js';
import { LocalClient } from './api/client.js';
import { WorkQueue } from './controllers/queue.js';
import { EventRecorder } from './events/recorder.js';
import { buildComponents, type ComponentEnv, type Components } from './components.js';
import { clusterShape, type NodePlan } from './cluster/shape.js';
import { bootstrap } from './cluster/bootstrap.js';
import { SimulatorControls } from './sim/controls.js';
import { KubeletPool } from './kubelet/index.js';

export interface ClusterOptions {
  dataDir: string;
  /** 0 picks a free port */
  port?: number;
  kubeconfigPath?: string;
  /** simulated time; defaults to a SimClock at `speed` that continues the saved cluster's time */
  clock?: Clock;
  speed?: number;
  /** worker nodes (default 2) */
  workers?: number;
  /** real time for network timeouts and certificates */
  wall?: Clock;
  ids?: IdSource;
  log?: (line: string) => void;
  /** store events kept for resuming watches (default 10,000) */
  watchHistory?: number;
}

export class Cluster {
  private constructor(
    readonly store: Store,
    readonly registry: Registry,
    readonly api: ApiServer,
    readonly url: string,
    readonly kubeconfigPath: string,
    readonly pki: Pki,
    readonly clock: Clock,
    readonly env: ComponentEnv,
    readonly components: Components,
    private committer: GroupCommitter,
    private queues: WorkQueue[],
    private unsubscribe: () => void,
    private unlock: () => Promise<void>,
  ) {}

  static async start(opts: ClusterOptions): Promise<Cluster> {
    const wall = opts.wall ?? systemClock;
    const ids = opts.ids ?? randomIds;
    const log = opts.log ?? ((l: string) => console.error(l));
    await fsp.mkdir(opts.dataDir, { recursive: true });
    const unlock = await lockDataDir(opts.dataDir);

    const { db, wal, result } = await openState(path.join(opts.dataDir, 'cluster.json'), new Date(wall.now()));
    if (result.recovered) log(result.recovered);
    const clock = opts.clock ?? new SimClock(opts.speed ?? 1, Math.max(wall.now(), result.state?.simTime ?? 0));
    const store = new Store(clock, ids, opts.watchHistory);
    if (result.state) store.load(result.state.rev, result.state.objects);
    const committer = new GroupCommitter(db, () => ({ ...store.snapshot(), simTime: clock.now() }), wal, undefined, () => clock.now());
    committer.setBaseline(store.rev);
    const pki = await loadOrCreatePki(path.join(opts.dataDir, 'pki'), wall.now());
    const registry = new Registry();

    // every change is flushed soon; API writes additionally wait for it before answering
    const unsubscribePersist = store.subscribe((ev) => {
      committer.record(ev);
      committer.flushSoon();
    });

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
    const nodes: NodePlan[] = clusterShape(opts.workers ?? 2);
    const env: ComponentEnv = {
      ctx,
      store,
      clock,
      ids,
      nodes,
      caCert: pki.caCert,
      client: (manager) => new LocalClient(ctx, manager),
      recorder: (client) => new EventRecorder(client),
    };
    if (!result.state) bootstrap(env);
    ctx.sim = new SimulatorControls(ctx, clock, nodes, opts.dataDir);

    const components = buildComponents(env);
    if (ctx.nodeAgent instanceof KubeletPool) {
      const pool = ctx.nodeAgent;
      ctx.sim.nodeFaults = {
        stopKubelet: (n) => pool.stopKubelet(n),
        startKubelet: (n) => pool.startKubelet(n),
        killContainer: (ns, p, c) => pool.killContainer(ns, p, c),
        kubeletRunning: (n) => pool.kubelet(n).running,
      };
    }
    const queues: WorkQueue[] = [];
    const unsubs: Array<() => void> = [unsubscribePersist];
    for (const c of components.controllers) {
      const q = new WorkQueue(c, clock);
      queues.push(q);
      unsubs.push(store.subscribe((ev) => c.keysFor(ev).forEach((k) => q.add(k))));
      for (const k of c.initialKeys?.() ?? []) q.add(k);
    }

    const api = createApiServer(ctx, pki);
    const server = api.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    serverAddress = `127.0.0.1:${port}`;
    for (const a of components.agents) a.start();
    const url = `https://127.0.0.1:${port}`;
    const kubeconfigPath = opts.kubeconfigPath ?? path.join(opts.dataDir, 'kubeconfig');
    await fsp.mkdir(path.dirname(kubeconfigPath), { recursive: true });
    await fsp.writeFile(kubeconfigPath, kubeconfig(url, pki), { mode: 0o600 });
    await committer.durable(store.rev);
    return new Cluster(store, registry, api, url, kubeconfigPath, pki, clock, env, components, committer, queues, () => unsubs.forEach((u) => u()), unlock);
  }

  /**
   * Resolve once every planned node reports Ready (the CLI prints its ready line after this), or
   * reject after `timeoutMs` of real time naming the nodes still not Ready.
   */
  async nodesReady(timeoutMs = 30_000): Promise<void> {
    const nodeDef = this.registry.lookup('', 'v1', 'nodes')!;
    const notReady = () =>
      this.env.nodes
        .map((n) => n.name)
        .filter((name) => {
          const conds = ((this.store.get(nodeDef, undefined, name)?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []);
          return !conds.some((c) => c.type === 'Ready' && c.status === 'True');
        });
    if (!notReady().length) return;
    await new Promise<void>((resolve, reject) => {
      const timer = this.env.ctx.wall.after(timeoutMs, () => {
        off();
        reject(new Error(`nodes not Ready after ${timeoutMs / 1000}s: ${notReady().join(', ')}`));
      });
      const off = this.store.subscribe((ev) => {
        if (ev.resource === 'nodes' && !notReady().length) {
          off();
          timer.cancel();
          resolve();
        }
      });
    });
  }

  /** Wait until controllers have nothing queued (tests). */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) for (const q of this.queues) await q.idle();
  }

  async stop(): Promise<void> {
    for (const a of this.components.agents) a.stop();
    for (const q of this.queues) q.stop();
    await new Promise<void>((resolve) => {
      this.api.server.close(() => resolve());
      this.api.closeAllConnections();
    });
    await this.committer.flushAll();
    this.unsubscribe();
    if (this.clock instanceof SimClock) this.clock.stopAll();
    await this.unlock();
  }
}
