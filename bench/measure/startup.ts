// Measurement 1: spawn to ready line, for a fresh data dir (cold: PKI generation, bootstrap objects,
// first state file) and for a restart on the same data dir (warm: load PKI and state).
import { freshDir, startCluster } from '../lib/cluster.js';

export interface StartupResult {
  cold: number[];
  warm: number[];
}

export async function measureStartup(runs: number, log: (s: string) => void): Promise<StartupResult> {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = freshDir('kubelab-bench-start-');
    const first = await startCluster(dir);
    cold.push(first.readyMs);
    await first.stop();
    const again = await startCluster(dir);
    warm.push(again.readyMs);
    await again.stop();
    log(`  run ${i + 1}/${runs}: cold ${first.readyMs.toFixed(0)} ms, warm ${again.readyMs.toFixed(0)} ms`);
  }
  return { cold, warm };
}
