// A lab's starting state: reset the simulator or (re)create the lab namespace as the lab declares,
// then server-side apply its setup manifests. Files a file-check looks at are removed so that an
// earlier attempt cannot grade a new one.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { KubeClient } from './kube.js';
import { restoreNodes } from './nodes.js';
import type { LoadedLab } from './schema.js';

export async function prepareLab(client: KubeClient, lab: LoadedLab, workspaceDir: string): Promise<void> {
  const env = lab.environment;
  if (env.reset === 'cluster') {
    await client.resetSimulator();
    // the clock first: the nodes settle (controllers lift their taints) on simulated time
    if (env.simulator?.speed !== undefined) await client.setClockSpeed(env.simulator.speed);
    await restoreNodes(client);
  }
  if (env.freshNamespace) await client.freshNamespace(env.namespace);
  else await client.ensureNamespace(env.namespace);
  for (const obj of lab.setup) await client.apply(obj, env.namespace);
  await fsp.mkdir(workspaceDir, { recursive: true });
  for (const s of lab.steps) for (const c of s.checks) if (c.spec.type === 'file') await fsp.rm(path.join(workspaceDir, c.spec.path), { force: true });
}
