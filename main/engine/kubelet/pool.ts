// All kubelets of the cluster behind one façade: the API server's NodeAgent (logs are routed to
// the kubelet of the pod's node) and the simulator's node controls.

import type { LogOptions, NodeAgent } from '../api/context.js';
import { badRequest, StatusError } from '../api/errors.js';
import type { ComponentEnv } from '../components.js';
import type { Agent } from '../controllers/controller.js';
import type { ContainerProcess, ContainerRuntime } from '../runtime/types.js';
import type { KObj } from '../store/types.js';
import { Kubelet } from './kubelet.js';
import { pickInstance, writeLogs, type LogSink } from './logs.js';
import { KUBELET_PORT } from './node.js';

type Obj = Record<string, unknown>;

export class KubeletPool implements NodeAgent {
  readonly kubelets = new Map<string, Kubelet>();

  constructor(env: ComponentEnv, runtime: ContainerRuntime) {
    for (const plan of env.nodes) {
      // the real kubelet authenticates as system:node:<name> and manages fields as "kubelet"
      const client = env.client('kubelet');
      const k = new Kubelet({ plan, store: env.store, clock: env.clock, client, recorder: env.recorder(client), runtime });
      this.kubelets.set(plan.name, k);
    }
  }

  get agents(): Agent[] {
    return [...this.kubelets.values()];
  }

  kubelet(node: string): Kubelet {
    const k = this.kubelets.get(node);
    if (!k) throw new StatusError(404, 'NotFound', `nodes "${node}" not found`);
    return k;
  }

  stopKubelet(node: string): void {
    this.kubelet(node).stop();
  }

  startKubelet(node: string): void {
    this.kubelet(node).start();
  }

  /** SIGKILL a container's process (exit 137); the kubelet restarts it per restartPolicy. */
  killContainer(namespace: string, podName: string, container: string): void {
    const { k, pod } = this.locate(namespace, podName);
    const ps = k.workers.get(`${namespace}/${podName}`);
    const c = ps?.containers.find((x) => x.name === container);
    if (!c) throw new StatusError(404, 'NotFound', `container "${container}" not found in pod "${pod.metadata.name}"`);
    const cur = c.instances.at(-1);
    if (c.phase !== 'Running' || !cur || cur.exit) throw badRequest(`container "${container}" in pod "${podName}" is not running`);
    cur.process.kill();
  }

  /**
   * The running container process of a pod that listens on `port` (the network delivers traffic
   * to it); undefined when the pod is not running here or nothing listens there.
   */
  listeningProcess(namespace: string, podName: string, port: number, uid?: string): ContainerProcess | undefined {
    for (const k of this.kubelets.values()) {
      if (!k.running) continue;
      const ps = k.workers.get(`${namespace}/${podName}`);
      if (!ps || (uid && ps.uid !== uid)) continue;
      for (const c of ps.containers) {
        const cur = c.instances.at(-1);
        if (c.init || c.phase !== 'Running' || !cur || cur.exit) continue;
        if (cur.process.tcpListening(port)) return cur.process;
      }
    }
    return undefined;
  }

  /**
   * The running process of a container, for exec/attach/port-forward; the Error says why not
   * (worded as the kubelet's answer, which the API server relays verbatim before the upgrade).
   */
  runningProcess(pod: KObj, container: string): ContainerProcess {
    const k = this.kubelets.get(((pod.spec as Obj).nodeName as string | undefined) ?? '');
    const ps = k?.running ? k.workers.get(`${pod.metadata.namespace}/${pod.metadata.name}`) : undefined;
    if (!k || !ps || ps.uid !== pod.metadata.uid) throw new Error('pod does not exist');
    const c = ps.containers.find((x) => x.name === container);
    const cur = c?.instances.at(-1);
    if (!c || c.phase !== 'Running' || !cur || cur.exit) throw new Error(`container not found ("${container}")`);
    return cur.process;
  }

  /**
   * What each running container of a pod uses right now (metrics-server's view, for
   * metrics.k8s.io and the HPA); undefined when the pod does not run on a live kubelet.
   */
  containerUsage(pod: KObj): Array<{ name: string; cpuMillicores: number; memoryBytes: number }> | undefined {
    const k = this.kubelets.get(((pod.spec as Obj | undefined)?.nodeName as string | undefined) ?? '');
    const ps = k?.running ? k.workers.get(`${pod.metadata.namespace}/${pod.metadata.name}`) : undefined;
    if (!ps || ps.uid !== pod.metadata.uid) return undefined;
    const out: Array<{ name: string; cpuMillicores: number; memoryBytes: number }> = [];
    for (const c of ps.containers) {
      const cur = c.instances.at(-1);
      if (c.init || c.phase !== 'Running' || !cur || cur.exit) continue;
      out.push({ name: c.name, ...cur.process.usage() });
    }
    return out.length ? out : undefined;
  }

  /** whether a node's kubelet is up (metrics-server scrapes only those) */
  nodeRunning(node: string): boolean {
    return !!this.kubelets.get(node)?.running;
  }

  streamLogs(pod: KObj, opts: LogOptions, out: LogSink, signal: AbortSignal): void {
    const spec = pod.spec as Obj;
    const name = pod.metadata.name!;
    const containers = ((spec.containers as Obj[]) ?? []).map((c) => c.name as string);
    const inits = ((spec.initContainers as Obj[]) ?? []).map((c) => c.name as string);
    let container = opts.container;
    if (!container) {
      if (containers.length !== 1) {
        const extra = inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : '';
        throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${extra}`);
      }
      container = containers[0]!;
    }
    if (!containers.includes(container) && !inits.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
    const nodeName = spec.nodeName as string | undefined;
    const k = nodeName ? this.kubelets.get(nodeName) : undefined;
    if (!k) throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
    if (!k.running) {
      const url = `https://${k.plan.internalIP}:${KUBELET_PORT}/containerLogs/${pod.metadata.namespace}/${name}/${container}`;
      throw new StatusError(500, 'InternalError', `Get "${url}": dial tcp ${k.plan.internalIP}:${KUBELET_PORT}: connect: connection refused`);
    }
    const ps = k.workers.get(`${pod.metadata.namespace}/${name}`);
    const c = ps && ps.uid === pod.metadata.uid ? ps.containers.find((x) => x.name === container) : undefined;
    const inst = pickInstance(pod, c, container, !!opts.previous);
    writeLogs(inst, opts, k.clock.now(), out, signal);
  }

  private locate(namespace: string, podName: string): { k: Kubelet; pod: KObj } {
    for (const k of this.kubelets.values()) {
      const pod = k.client.get(k.client.def('', 'pods'), namespace, podName);
      if (!pod) break;
      const node = (pod.spec as Obj).nodeName as string | undefined;
      const owner = node ? this.kubelets.get(node) : undefined;
      if (!owner) throw badRequest(`pod "${podName}" is not running on a node`);
      return { k: owner, pod };
    }
    throw new StatusError(404, 'NotFound', `pods "${podName}" not found`);
  }
}

