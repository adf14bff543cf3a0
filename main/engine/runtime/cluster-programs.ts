// Programs that need the cluster itself, not just their container (etcdctl reads and writes the
// store). The engine registers them when it starts; lookup() finds them in the image that ships
// them, like any other program.
import type { Program } from './sys.js';

/** program name → [image app key (images-data.ts), program] */
export const CLUSTER_PROGRAMS = new Map<string, [string, Program]>();

/** Make `name` runnable in images of `app`; returns the unregister function. */
export function registerClusterProgram(name: string, app: string, program: Program): () => void {
  CLUSTER_PROGRAMS.set(name, [app, program]);
  return () => {
    if (CLUSTER_PROGRAMS.get(name)?.[1] === program) CLUSTER_PROGRAMS.delete(name);
  };
}
