// An in-process cluster for deterministic tests: ManualClock, sequential ids, no HTTP, no disk.
// Components run exactly as in the engine; `settle()` drains their work queues and `advance(ms)`
// moves simulated time (firing timers) and settles again.
import { LocalClient } from '../api/client.js';
import type { ApiContext } from '../api/context.js';
import { Registry } from '../api/registry.js';
import { ManualClock } from '../clock.js';
import { clusterShape, type NodePlan } from '../cluster/shape.js';
import { bootstrap } from '../cluster/bootstrap.js';
import type { ComponentEnv } from '../components.js';
import type { Agent, Controller } from '../controllers/controller.js';
import { WorkQueue } from '../controllers/queue.js';
import { EventRecorder } from '../events/recorder.js';
import { SequentialIds } from '../ids.js';
import { Store } from '../store/store.js';
import type { KObj } from '../store/types.js';

export interface HarnessOptions {
  workers?: number;
  /** create the kubeadm-like bootstrap objects (kube-system, kubernetes Service) */
  bootstrap?: boolean;
  start?: number;
}

export class Harness {
  readonly clock: ManualClock;
  readonly ids = new SequentialIds();
  readonly store: Store;
  readonly ctx: ApiContext;
  readonly env: ComponentEnv;
  private queues: WorkQueue[] = [];
  private agents: Agent[] = [];
  readonly errors: Array<{ key: string; error: unknown }> = [];

  constructor(opts: HarnessOptions = {}) {
    this.clock = new ManualClock(opts.start ?? Date.UTC(2026, 0, 1, 12));
    this.store = new Store(this.clock, this.ids);
    this.ctx = {
      store: this.store,
      registry: new Registry(),
      clock: this.clock,
      wall: this.clock,
      ids: this.ids,
      durable: async () => undefined,
      serverAddress: '127.0.0.1:6443',
    };
    const nodes: NodePlan[] = clusterShape(opts.workers ?? 2);
    this.env = {
      ctx: this.ctx,
      store: this.store,
      clock: this.clock,
      ids: this.ids,
      nodes,
      caCert: 'TEST CA',
      client: (manager) => new LocalClient(this.ctx, manager),
      recorder: (client) => new EventRecorder(client),
    };
    if (opts.bootstrap ?? true) bootstrap(this.env);
    else for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) this.client.create(this.client.def('', 'namespaces'), { metadata: { name } });
  }

  /** a client for test code itself (field manager "test") */
  get client(): LocalClient {
    return new LocalClient(this.ctx, 'test');
  }

  add(...controllers: Controller[]): this {
    for (const c of controllers) {
      const q = new WorkQueue(c, this.clock, (key, error) => this.errors.push({ key, error }));
      this.queues.push(q);
      this.store.subscribe((ev) => c.keysFor(ev).forEach((k) => q.add(k)));
      for (const k of c.initialKeys?.() ?? []) q.add(k);
    }
    return this;
  }

  startAgents(...agents: Agent[]): this {
    for (const a of agents) {
      this.agents.push(a);
      a.start();
    }
    return this;
  }

  /** run queued work until nothing changes */
  async settle(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const rev = this.store.rev;
      for (const q of this.queues) await q.idle();
      await new Promise((r) => setImmediate(r));
      if (this.store.rev === rev && !this.queues.some((q) => q.pending)) return;
    }
  }

  /** advance simulated time in steps (so periodic work interleaves like real time), settling after each */
  async advance(ms: number, step = 1000): Promise<void> {
    let left = ms;
    await this.settle();
    while (left > 0) {
      const d = Math.min(step, left);
      this.clock.advance(d);
      left -= d;
      await this.settle();
    }
  }

  stop(): void {
    for (const a of this.agents) a.stop();
    for (const q of this.queues) q.stop();
  }

  get(group: string, resource: string, namespace: string | undefined, name: string): KObj | undefined {
    return this.store.get(this.client.def(group, resource), namespace, name);
  }

  list(group: string, resource: string, namespace?: string): KObj[] {
    return this.store.list(this.client.def(group, resource), namespace);
  }

  /** events about an object, oldest first, as "Type Reason: message" */
  eventsFor(name: string, namespace = 'default'): string[] {
    return this.list('', 'events', namespace)
      .filter((e) => (e.involvedObject as { name?: string }).name === name)
      .sort((a, b) => String(a.firstTimestamp).localeCompare(String(b.firstTimestamp)) || a.metadata.name!.localeCompare(b.metadata.name!))
      .map((e) => `${e.type} ${e.reason}: ${e.message}`);
  }
}
