// Wiring: every controller and agent of the simulated cluster, in one list. Each component gets
// its own LocalClient (its field manager) and shares the clock, store and event recorder.
import type { ApiContext } from './api/context.js';
import type { LocalClient } from './api/client.js';
import type { Clock } from './clock.js';
import type { NodePlan } from './cluster/shape.js';
import type { Agent, Controller } from './controllers/controller.js';
import { NamespaceController } from './controllers/namespace.js';
import { DaemonSetController } from './controllers/daemonset.js';
import { DeploymentController } from './controllers/deployment.js';
import { ReplicaSetController } from './controllers/replicaset.js';
import { batchStorageControllers } from './controllers/batch-storage.js';
import { Scheduler } from './scheduler/scheduler.js';
import { infraComponents } from './controllers/infra.js';
import { kubeletComponents } from './kubelet/index.js';
import { KubeletPool } from './kubelet/pool.js';
import { networkComponents } from './network/index.js';
import type { EventRecorder } from './events/recorder.js';
import type { IdSource } from './ids.js';
import type { Store } from './store/store.js';
import { CrdController } from './crd/controller.js';
import { HpaController } from './autoscaling/hpa.js';
import { EtcdMember } from './etcd/index.js';
import { EventTtl } from './events/ttl.js';

export interface ComponentEnv {
  ctx: ApiContext;
  store: Store;
  clock: Clock;
  ids: IdSource;
  /** the planned nodes (control plane first) */
  nodes: NodePlan[];
  caCert: string;
  client(manager: string): LocalClient;
  recorder(client: LocalClient): EventRecorder;
}

export interface Components {
  controllers: Controller[];
  agents: Agent[];
}

export function buildComponents(env: ComponentEnv): Components {
  const namespaced = () => env.ctx.registry.defs.filter((d) => d.namespaced && !d.virtual);
  const controllers: Controller[] = [new NamespaceController(env.store, namespaced, env.caCert)];
  const agents: Agent[] = [];
  agents.push(new Scheduler(env)); // --- scheduler (main/engine/scheduler) ---
  agents.push(...kubeletComponents(env).agents); // --- kubelets (main/engine/kubelet) ---
  controllers.push(new ReplicaSetController(env), new DeploymentController(env), new DaemonSetController(env)); // --- workload controllers (main/engine/controllers: replicaset, deployment, daemonset) ---
  controllers.push(...batchStorageControllers(env)); // --- batch and storage controllers (main/engine/controllers: job, cronjob, statefulset, pvbinder, provisioner) ---
  // --- infrastructure controllers (main/engine/controllers: gc, nodelifecycle, podgc, endpoints) ---
  const infra = infraComponents(env);
  controllers.push(...infra.controllers);
  agents.push(...infra.agents);
  // --- cluster network (main/engine/network): LB IPs, ingress status; ctx.network for exec/port-forward ---
  controllers.push(...networkComponents(env, env.ctx.nodeAgent instanceof KubeletPool ? env.ctx.nodeAgent : undefined).controllers);
  // --- CRDs, metrics-driven autoscaling (main/engine/crd, main/engine/autoscaling) ---
  const hpa = new HpaController(env);
  controllers.push(new CrdController(env), hpa);
  agents.push(hpa, new EtcdMember(env)); // + etcdctl in the etcd pod (main/engine/etcd)
  agents.push(new EventTtl(env.store, env.clock)); // events expire an hour after their last write, as with --event-ttl (main/engine/events)
  return { controllers, agents };
}
