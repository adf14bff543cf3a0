// `tsx bench/one.ts big|held|writes|web`: one measurement alone, printed, BENCHMARKS.md untouched (for profiling work)
import { cleanup } from './lib/cluster.js';
import { measureBigDeployment, measureHeld } from './measure/living.js';
const which = process.argv[2] ?? 'big';
const plan = { speed: Number(process.env.SPEED ?? 600), bigRuns: 1, big: { nodes: 10, replicas: 1000, timeoutMs: 60_000, warmup: Number(process.env.WARMUP ?? 0) }, held: { nodes: 100, deployments: 10, replicas: 1000, getRuns: 3, timeoutMs: 120_000 } };
try {
  const r = which === 'big' ? await measureBigDeployment(plan, console.log) : await measureHeld(plan, console.log);
  console.log(JSON.stringify(r));
} finally {
  cleanup();
}
