// The simulator's own controls, separate from the Kubernetes API: clock speed, fault injection
// (stop a node's kubelet, kill a container), reset, and snapshots. Used by the UI and labs; a
// real cluster has none of this, so the UI hides it there.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { LocalClient } from '../api/client.js';
import type { ApiContext } from '../api/context.js';
import { badRequest, StatusError } from '../api/errors.js';
import { Registry } from '../api/registry.js';
import { SimClock, type Clock } from '../clock.js';
import { bootstrap } from '../cluster/bootstrap.js';
import type { NodePlan } from '../cluster/shape.js';
import type { ComponentEnv } from '../components.js';
import { EventRecorder } from '../events/recorder.js';
import { Store } from '../store/store.js';
import type { KObj } from '../store/types.js';

/** What the node agents (kubelets) offer the simulator. */
export interface NodeFaults {
  stopKubelet(node: string): void;
  startKubelet(node: string): void;
  killContainer(namespace: string, pod: string, container: string): void;
  kubeletRunning(node: string): boolean;
}

const SNAPSHOT_FORMAT = 'kubelab.snapshot/v1';
const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class SimulatorControls {
  nodeFaults?: NodeFaults;

  constructor(
    private ctx: ApiContext,
    private clock: Clock,
    private nodes: NodePlan[],
    readonly dataDir: string,
  ) {}

  clockInfo(): { now: string; speed: number } {
    return { now: new Date(this.clock.now()).toISOString(), speed: this.clock instanceof SimClock ? this.clock.speed : 1 };
  }

  setSpeed(speed: number): void {
    if (!(this.clock instanceof SimClock)) throw badRequest('this cluster runs on a fixed clock');
    try {
      this.clock.setSpeed(speed);
    } catch (e) {
      throw badRequest((e as Error).message);
    }
  }

  private faults(): NodeFaults {
    if (!this.nodeFaults) throw new StatusError(503, 'ServiceUnavailable', 'node agents are not running');
    return this.nodeFaults;
  }

  private knownNode(name: string): void {
    if (!this.nodes.some((n) => n.name === name)) throw new StatusError(404, 'NotFound', `nodes "${name}" not found`, { name, kind: 'nodes' });
  }

  stopNode(name: string): void {
    this.knownNode(name);
    this.faults().stopKubelet(name);
  }

  startNode(name: string): void {
    this.knownNode(name);
    this.faults().startKubelet(name);
  }

  nodeStates(): Array<{ name: string; kubeletRunning: boolean }> {
    return this.nodes.map((n) => ({ name: n.name, kubeletRunning: this.nodeFaults?.kubeletRunning(n.name) ?? false }));
  }

  killContainer(namespace: string, pod: string, container: string): void {
    this.faults().killContainer(namespace, pod, container);
  }

  /** Back to a fresh cluster: every object goes except the nodes and their leases. */
  reset(): void {
    this.ctx.store.replaceAll(this.freshObjects(), keepNodes);
  }

  async snapshot(name: string): Promise<void> {
    this.checkName(name);
    const dir = path.join(this.dataDir, 'snapshots');
    await fsp.mkdir(dir, { recursive: true });
    const snap = this.ctx.store.snapshot();
    const file = path.join(dir, `${name}.json`);
    await fsp.writeFile(`${file}.tmp`, JSON.stringify({ format: SNAPSHOT_FORMAT, takenAt: new Date(this.clock.now()).toISOString(), objects: snap.objects }));
    await fsp.rename(`${file}.tmp`, file);
  }

  async restore(name: string): Promise<void> {
    this.checkName(name);
    let data: { format?: string; objects?: Record<string, KObj[]> };
    try {
      data = JSON.parse(await fsp.readFile(path.join(this.dataDir, 'snapshots', `${name}.json`), 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StatusError(404, 'NotFound', `snapshot "${name}" not found`);
      throw badRequest(`snapshot "${name}" cannot be read: ${(e as Error).message}`);
    }
    if (data.format !== SNAPSHOT_FORMAT || !data.objects) throw badRequest(`snapshot "${name}" is not a KubeLab snapshot`);
    this.ctx.store.replaceAll(data.objects, keepNodes);
  }

  async listSnapshots(): Promise<string[]> {
    const files = await fsp.readdir(path.join(this.dataDir, 'snapshots')).catch(() => [] as string[]);
    return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  }

  private checkName(name: string): void {
    if (!NAME_RE.test(name) || name.length > 63) throw badRequest(`invalid snapshot name "${name}": use lower case letters, digits and '-'`);
  }

  /** What bootstrap makes, built on a scratch store with the same clock. */
  private freshObjects(): Record<string, KObj[]> {
    const store = new Store(this.clock, this.ctx.ids);
    const ctx: ApiContext = { ...this.ctx, store, registry: new Registry(), durable: async () => undefined };
    const env: ComponentEnv = {
      ctx,
      store,
      clock: this.clock,
      ids: this.ctx.ids,
      nodes: this.nodes,
      caCert: '',
      client: (m) => new LocalClient(ctx, m),
      recorder: (c) => new EventRecorder(c),
    };
    bootstrap(env);
    return store.snapshot().objects;
  }
}

function keepNodes(resource: string, o: KObj): boolean {
  return resource === 'nodes' || (resource === 'leases.coordination.k8s.io' && o.metadata.namespace === 'kube-node-lease');
}
