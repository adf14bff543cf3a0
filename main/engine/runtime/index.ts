// The simulated container runtime (containerd + the programs images run).
import type { Clock } from '../clock.js';
import type { IdSource } from '../ids.js';
import type { ClusterNetwork } from '../network/types.js';
import { createCatalog, resolveImage } from './images.js';
import { startProcess } from './process.js';
import type { ContainerProcess, ContainerRunSpec, ContainerRuntime } from './types.js';

export type * from './types.js';
export { resolveImage, parseReference, fullName, digestOf } from './images.js';

/** `network`: the cluster network, looked up at each use (it may be wired after the runtime) */
export function createRuntime(opts: { ids?: IdSource; network?: () => ClusterNetwork | undefined } = {}): ContainerRuntime {
  return {
    images: createCatalog(),
    start(spec: ContainerRunSpec, clock: Clock): ContainerProcess {
      // the kubelet only starts images it pulled, so resolution cannot fail here
      const r = resolveImage(spec.image.image || spec.image.fullName);
      if (!r.ok) throw new Error(`image ${spec.image.fullName} is not in the catalog: ${r.message}`);
      return startProcess(spec, r.image, clock, opts.network);
    },
  };
}
