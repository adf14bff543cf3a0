// The infrastructure controllers of kube-controller-manager, wired for buildComponents: garbage
// collector, node lifecycle (+ taint eviction), pod GC, Endpoints and EndpointSlices.
import type { ComponentEnv, Components } from '../components.js';
import { EndpointsController } from './endpoints.js';
import { EndpointSliceController } from './endpointslice.js';
import { GarbageCollector } from './garbagecollector.js';
import { NodeLifecycleController } from './nodelifecycle.js';
import { PodGC } from './podgc.js';
import { TaintManager } from './taintmanager.js';

export function infraComponents(env: ComponentEnv): Components {
  const client = env.client('kube-controller-manager');
  const recorder = env.recorder(client);
  const nodeLifecycle = new NodeLifecycleController(client, recorder, env.clock);
  return {
    controllers: [
      new GarbageCollector(client, () => env.ctx.registry.defs.filter((d) => !d.virtual)),
      nodeLifecycle,
      new TaintManager(client, recorder, env.clock),
      new EndpointsController(client, env.clock),
      new EndpointSliceController(client, env.clock),
    ],
    agents: [nodeLifecycle, new PodGC(client, env.clock)],
  };
}
