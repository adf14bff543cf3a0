// Measurement 1: spawn to ready line, for a fresh data dir (cold: PKI generation, bootstrap objects,
// first state file) and for a restart on the same data dir (warm: load PKI and state).
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { freshDir, ROOT, startCluster } from '../lib/cluster.js';
import { msSince } from '../lib/stats.js';

export interface StartupResult {
  cold: number[];
  warm: number[];
  /** tsx running a one-line module: the share of start-up that is not the engine */
  tsxBaseline: number[];
}

function tsxNoop(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    execFile(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'bench/lib/noop.ts')], { cwd: ROOT }, (err) =>
      err ? reject(err) : resolve(msSince(t0)),
    );
  });
}

export async function measureStartup(runs: number, log: (s: string) => void): Promise<StartupResult> {
  const cold: number[] = [];
  const warm: number[] = [];
  const tsxBaseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = freshDir('kubelab-bench-start-');
    const first = await startCluster(dir, { engine: 'tsx' });
    cold.push(first.readyMs);
    await first.stop();
    const again = await startCluster(dir, { engine: 'tsx' });
    warm.push(again.readyMs);
    await again.stop();
    tsxBaseline.push(await tsxNoop());
    log(`  run ${i + 1}/${runs}: cold ${first.readyMs.toFixed(0)} ms, warm ${again.readyMs.toFixed(0)} ms, tsx baseline ${tsxBaseline[i]!.toFixed(0)} ms`);
  }
  return { cold, warm, tsxBaseline };
}
