// `tsx bench/one.ts big|held|writes`: one measurement alone, printed, BENCHMARKS.md untouched (for profiling work)
import { appEngine, cleanup } from './lib/cluster.js';
import { measureBigDeployment, measureHeld } from './measure/living.js';
import { measureWrites } from './measure/writes.js';
const which = process.argv[2] ?? 'big';
// BENCH_ENGINE=tsx runs the TypeScript sources (profiles then name the files), as `npm run cluster`
const engine = process.env.BENCH_ENGINE === 'tsx' ? 'tsx' : await appEngine(console.log);
const plan = { engine, speed: Number(process.env.SPEED ?? 600), bigRuns: 1, big: { nodes: 10, replicas: 1000, timeoutMs: 60_000, warmup: Number(process.env.WARMUP ?? 0) }, held: { nodes: 100, deployments: 10, replicas: 1000, getRuns: 3, timeoutMs: 120_000 } };
// measurements 3 and 4 as npm run bench plans them, with the sequential latency at 1k objects only
const writesPlan = { engine, throughputRuns: 3, throughputObjects: 1000, inFlight: 32, sequentialWrites: 200, warmupWrites: 1000, latencyAt: [1000], preloadInFlight: 64 };
try {
  const r =
    which === 'big' ? await measureBigDeployment(plan, console.log)
    : which === 'held' ? await measureHeld(plan, console.log)
    : which === 'writes' ? await measureWrites(writesPlan, console.log)
    : undefined;
  if (!r) throw new Error(`unknown measurement ${which}: big, held or writes`);
  console.log(JSON.stringify(r).slice(0, 2000));
} finally {
  cleanup();
}
