// The simulated cluster network, wired for buildComponents: the data plane (ClusterNetwork, made
// reachable as ctx.network for exec/port-forward and the shell's curl/wget/nslookup) and its
// control loops (load-balancer IPs, ingress status).
import type { ComponentEnv, Components } from '../components.js';
import { IngressController } from './ingress-controller.js';
import { ingressNode, SimNetwork, type ProcessLocator } from './network.js';
import { ServiceLBController } from './service-lb.js';
import type { ClusterNetwork } from './types.js';

export type { ClusterNetwork, DnsAnswer, HttpRequest, HttpResponse, HttpResult, NetError, NetSource } from './types.js';
export { SimNetwork, parseUrl, ingressNode, EXTERNAL_CLIENT_IP, type ProcessLocator } from './network.js';
export { ServiceLBController, LB_POOL_PREFIX } from './service-lb.js';
export { IngressController } from './ingress-controller.js';
export { INGRESS_CONTROLLER, DEFAULT_CLASS_ANNOTATION } from './ingress.js';

export function createClusterNetwork(env: ComponentEnv, pool: ProcessLocator): ClusterNetwork & SimNetwork {
  return new SimNetwork(env.store, env.clock, pool, env.nodes);
}

/** the network's controllers; sets env.ctx.network when a process locator (the KubeletPool) is given */
export function networkComponents(env: ComponentEnv, pool?: ProcessLocator): Components {
  const net = createClusterNetwork(env, pool ?? { listeningProcess: () => undefined });
  if (pool) env.ctx.network = net;
  const lbClient = env.client('metallb-controller');
  const ingClient = env.client('ingress-nginx-controller');
  const node = ingressNode(env.nodes);
  return {
    controllers: [new ServiceLBController(lbClient, env.recorder(lbClient), node.name), new IngressController(ingClient, env.recorder(ingClient), net.view, node.internalIP)],
    agents: [],
  };
}
