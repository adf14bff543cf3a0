// The simulated kubelets: one Agent per node, and the pool the API server and simulator use.
import type { ComponentEnv } from '../components.js';
import type { Agent } from '../controllers/controller.js';
import { createRuntime } from '../runtime/index.js';
import { KubeletPool } from './pool.js';

export { Kubelet, type KubeletDeps } from './kubelet.js';
export { KubeletPool } from './pool.js';
export { mirrorPods, STATIC_COMPONENTS } from './static-pods.js';

/** One kubelet per planned node on the real runtime; the pool serves logs as ctx.nodeAgent. */
export function kubeletComponents(env: ComponentEnv): { pool: KubeletPool; agents: Agent[] } {
  const pool = new KubeletPool(env, createRuntime({ ids: env.ids, network: () => env.ctx.network }));
  env.ctx.nodeAgent = pool;
  return { pool, agents: pool.agents };
}
