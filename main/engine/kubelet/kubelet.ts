// One simulated kubelet per node: registers its Node, renews its Lease, posts NodeStatus, and runs
// the pods bound to it through the stage table (stages.ts) on the injected clock. Every write goes
// through its own LocalClient, like the real kubelet's API calls; work triggered by store events
// is queued so that no write happens inside a store notification.
import type { LocalClient } from '../api/client.js';
import { builtin } from '../api/registry.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { NodePlan } from '../cluster/shape.js';
import type { Agent } from '../controllers/controller.js';
import { keyOf, splitKey } from '../controllers/controller.js';
import { WorkQueue } from '../controllers/queue.js';
import type { EventRecorder } from '../events/recorder.js';
import type { ContainerRuntime, ImagePullResult, ImageRef } from '../runtime/types.js';
import { jsonEqual, type Store } from '../store/store.js';
import type { KObj } from '../store/types.js';
import type { Lookup } from './env.js';
import { hex64 } from './format.js';
import { leaseObject, LEASE_RENEW_MS, nodeObject, nodeStatus, startupEvents, STATUS_CHECK_MS, STATUS_REPORT_MS, statusChanged, type NodeImage } from './node.js';
import { PodWorkers } from './worker.js';
import { isMirrorPod, mirrorPods } from './static-pods.js';
import type { StageEnv } from './stages.js';
import type { PodState } from './state.js';
import { StandInProcess } from './standin.js';

type Obj = Record<string, unknown>;
const PODS = builtin('', 'pods');
const NODES = builtin('', 'nodes');
const LEASES = builtin('coordination.k8s.io', 'leases');
const NODE_KEY = '@node';

export interface KubeletDeps {
  plan: NodePlan;
  store: Store;
  clock: Clock;
  client: LocalClient;
  recorder: EventRecorder;
  runtime: ContainerRuntime;
}

export class Kubelet implements Agent {
  readonly name: string;
  readonly plan: NodePlan;
  readonly clock: Clock;
  readonly client: LocalClient;
  readonly recorder: EventRecorder;
  running = false;
  readonly workers: PodWorkers;
  private queue?: WorkQueue;
  private timers: TimerHandle[] = [];
  private unsubscribe?: () => void;
  private lastPosted?: { at: number; status: Obj };
  private images = new Map<string, NodeImage>();
  readonly present = new Set<string>();
  /** images the catalog does not know but a kubeadm node has (control-plane, kube-proxy, coredns) */
  private preloaded = new Map<string, ImageRef>();
  private usedIPs = new Set<number>();

  constructor(private deps: KubeletDeps) {
    this.plan = deps.plan;
    this.name = `kubelet/${deps.plan.name}`;
    this.clock = deps.clock;
    this.client = deps.client;
    this.recorder = deps.recorder;
    this.workers = new PodWorkers(this, this.stageEnv());
    if (this.plan.role === 'control-plane') for (const p of mirrorPods(this.plan, undefined, 0)) for (const c of (p.spec as { containers: Obj[] }).containers) this.preload(c.image as string);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.queue = new WorkQueue({ name: this.name, reconcile: (key) => this.reconcile(key) }, this.clock);
    this.unsubscribe = this.deps.store.subscribe((ev) => {
      if (ev.resource === 'nodes' && ev.type === 'DELETED' && ev.object.metadata.name === this.plan.name) this.queue?.add(NODE_KEY);
      if (ev.resource !== 'pods') return;
      const node = (ev.object.spec as Obj | undefined)?.nodeName ?? (ev.old?.spec as Obj | undefined)?.nodeName;
      if (node === this.plan.name || (ev.type === 'DELETED' && this.workers.has(keyOf(ev.object)))) this.queue?.add(keyOf(ev.object));
    });
    this.register();
    for (const [reason, message] of startupEvents(this.plan.name)) this.recorder.event(this.nodeRef(), 'Normal', reason, message, { component: 'kubelet', host: this.plan.name });
    this.renewLease();
    this.every(LEASE_RENEW_MS, () => this.renewLease());
    this.every(STATUS_CHECK_MS, () => this.postStatus(false));
    if (this.plan.role === 'control-plane') this.ensureMirrorPods();
    this.workers.resume();
    for (const p of this.client.list(PODS)) if ((p.spec as Obj).nodeName === this.plan.name) this.queue.add(keyOf(p));
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    this.unsubscribe?.();
    this.queue?.stop();
    this.workers.freeze();
  }

  /** queue a pod for a sync (exits, probe changes) */
  enqueue(key: string): void {
    if (this.running) this.queue?.add(key);
  }

  private reconcile(key: string): void {
    if (!this.running) return;
    if (key === NODE_KEY) {
      this.register();
      return;
    }
    const { namespace, name } = splitKey(key);
    const pod = this.client.get(PODS, namespace, name);
    if (this.plan.role === 'control-plane' && !pod && this.workers.get(key)?.mirror) this.ensureMirrorPods();
    this.workers.sync(key, pod && (pod.spec as Obj).nodeName === this.plan.name ? this.client.get(PODS, namespace, name) : undefined);
  }

  private every(ms: number, fn: () => void): void {
    const arm = () => {
      const h = this.clock.after(ms, () => {
        if (!this.running) return;
        fn();
        arm();
      });
      this.timers[idx] = h;
    };
    const idx = this.timers.length;
    this.timers.push({ cancel: () => undefined });
    arm();
  }

  nodeRef(): KObj {
    return { kind: 'Node', metadata: { name: this.plan.name, uid: this.plan.name } };
  }

  private register(): void {
    if (!this.client.get(NODES, undefined, this.plan.name)) this.client.create(NODES, nodeObject(this.plan));
    this.lastPosted = undefined;
    this.postStatus(true);
  }

  /** Post NodeStatus when it changed or nodeStatusReportFrequency passed. */
  postStatus(force: boolean): void {
    const node = this.client.get(NODES, undefined, this.plan.name);
    if (!node) return this.register();
    const now = this.clock.now();
    const next = nodeStatus(this.plan, [...this.images.values()], now, node.status as Obj | undefined);
    const due = !this.lastPosted || now - this.lastPosted.at >= STATUS_REPORT_MS;
    if (!force && !due && !statusChanged(this.lastPosted?.status ?? (node.status as Obj), next)) return;
    this.client.modifyStatus(NODES, undefined, this.plan.name, (n) => {
      n.status = next;
    });
    this.lastPosted = { at: now, status: next };
  }

  private renewLease(): void {
    const node = this.client.get(NODES, undefined, this.plan.name);
    const lease = leaseObject(this.plan, node?.metadata.uid, this.clock.now());
    if (this.client.get(LEASES, 'kube-node-lease', this.plan.name)) {
      this.client.modify(LEASES, 'kube-node-lease', this.plan.name, (l) => {
        l.spec = { ...(l.spec as Obj), ...(lease.spec as Obj) };
      });
    } else this.client.create(LEASES, lease);
  }

  private ensureMirrorPods(): void {
    const node = this.client.get(NODES, undefined, this.plan.name);
    for (const p of mirrorPods(this.plan, node, this.clock.now())) {
      if (!this.client.get(PODS, p.metadata.namespace, p.metadata.name!)) this.client.create(PODS, p);
    }
  }

  private preload(image: string): void {
    const repo = image.replace(/:[^:/]+$/, '');
    const sizes: Record<string, number> = { etcd: 57680541, 'kube-apiserver': 28670731, 'kube-controller-manager': 26263592, 'kube-scheduler': 20648220, 'kube-proxy': 30906462, coredns: 18562039, pause: 320368 };
    const base = repo.split('/').at(-1)!;
    this.preloaded.set(image, { image, fullName: image, imageID: `${repo}@sha256:${hex64(`image/${image}`)}`, sizeBytes: sizes[base] ?? 25_000_000 });
  }

  private stageEnv(): StageEnv {
    const runtime = this.deps.runtime;
    const pull = (image: string, present: ReadonlySet<string>): ImagePullResult => {
      const r = runtime.images.pull(image, present);
      if (r.ok || !image.startsWith('registry.k8s.io/')) return r;
      if (!this.preloaded.has(image)) this.preload(image);
      const ref = this.preloaded.get(image)!;
      return { ok: true, ref, durationMs: present.has(image) ? 0 : Math.round(ref.sizeBytes / 20_000) };
    };
    return {
      clock: this.clock,
      runtime: { images: { pull }, start: (spec, clock) => runtime.start(spec, clock) },
      recorder: this.recorder,
      nodeName: this.plan.name,
      nodeIP: this.plan.internalIP,
      lookup: this.lookup(),
      present: this.present,
      rememberImage: (ref, asWritten) => this.rememberImage(ref, asWritten),
      allocateIP: () => this.allocateIP(),
      start: (_ps: PodState, _c, spec) => {
        if (this.preloaded.get(spec.image.image) === spec.image) return new StandInProcess(this.clock, []);
        return runtime.start(spec, this.clock);
      },
    };
  }

  rememberImage(ref: { fullName: string; sizeBytes: number; imageID: string }, asWritten: string): void {
    this.present.add(asWritten);
    this.present.add(ref.fullName);
    const names = [ref.imageID, ref.fullName].filter((x, i, a) => a.indexOf(x) === i);
    this.images.set(ref.imageID, { names, sizeBytes: ref.sizeBytes });
  }

  private lookup(): Lookup {
    return {
      configMap: (ns, name) => this.client.get(builtin('', 'configmaps'), ns, name),
      secret: (ns, name) => this.client.get(builtin('', 'secrets'), ns, name),
      services: (ns) => this.client.list(builtin('', 'services'), ns),
    };
  }

  private allocateIP(): string {
    const base = this.plan.podCIDR.split('/')[0]!.split('.').slice(0, 3).join('.');
    for (let n = 2; n < 255; n++) {
      if (!this.usedIPs.has(n)) {
        this.usedIPs.add(n);
        return `${base}.${n}`;
      }
    }
    throw new Error(`no free pod IPs on ${this.plan.name}`);
  }

  /** claim an IP a pod already had (engine restart) or give one back */
  claimIP(ip: string | undefined, release = false): void {
    const base = this.plan.podCIDR.split('/')[0]!.split('.').slice(0, 3).join('.');
    if (!ip?.startsWith(base + '.')) return;
    const n = Number(ip.slice(base.length + 1));
    if (release) this.usedIPs.delete(n);
    else this.usedIPs.add(n);
  }

  /** a pod's status as this kubelet would write it; skipped when unchanged */
  writePodStatus(pod: KObj, status: Obj): KObj | undefined {
    if (jsonEqual(pod.status, status)) return undefined;
    // a pod deleted (or replaced by a namespace-mate of the same name) meanwhile is not written
    return this.client.replaceStatus(PODS, pod.metadata.namespace, pod.metadata.name!, pod.metadata.uid, status);
  }

  deletePodNow(pod: KObj): void {
    try {
      this.client.delete(PODS, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && ((e as { code: number }).code === 404 || (e as { code: number }).code === 409))) throw e;
    }
  }

  isMirror(pod: KObj): boolean {
    return isMirrorPod(pod);
  }
}
