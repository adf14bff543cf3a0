// The etcd member of the simulated control plane: `etcdctl` in the etcd image works on this
// cluster's store. Registered while the engine runs (an Agent), gone when it stops.
import * as path from 'node:path';
import type { ComponentEnv } from '../components.js';
import type { Agent } from '../controllers/controller.js';
import { registerClusterProgram } from '../runtime/cluster-programs.js';
import { EtcdBackend } from './backend.js';
import { etcdctlProgram } from './etcdctl.js';

export { EtcdBackend } from './backend.js';
export { etcdctlProgram } from './etcdctl.js';

export class EtcdMember implements Agent {
  readonly name = 'etcd';
  readonly backend: EtcdBackend;
  private unregister?: () => void;

  constructor(env: ComponentEnv) {
    // snapshot files a learner saves land under <dataDir>/etcd/<path in the container>
    const dataDir = env.ctx.sim?.dataDir;
    this.backend = new EtcdBackend(env.ctx, dataDir ? path.join(dataDir, 'etcd') : undefined);
  }

  start(): void {
    this.unregister = registerClusterProgram('etcdctl', 'etcd', etcdctlProgram(this.backend));
  }

  stop(): void {
    this.unregister?.();
  }
}
