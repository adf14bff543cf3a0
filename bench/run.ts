// `npm run bench`: runs every measurement against real cluster processes and rewrites BENCHMARKS.md.
// Sizes are chosen so the whole run stays around three minutes on two cores.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cleanup, freshDir, ROOT, startCluster } from './lib/cluster.js';
import { machineFacts } from './lib/machine.js';
import { msSince } from './lib/stats.js';
import { measureStartup } from './measure/startup.js';
import { measureKubectl } from './measure/kubectl.js';
import { measureWrites, type WritesPlan } from './measure/writes.js';
import { renderReport } from './report.js';

const STARTUP_RUNS = 5;
const KUBECTL_RUNS = 15;
const PLAN: WritesPlan = {
  throughputRuns: 3,
  throughputObjects: 1000,
  inFlight: 32,
  sequentialWrites: 200,
  latencyAt: [1000, 10_000],
  preloadInFlight: 64,
};

const log = (s: string) => console.log(s);

async function main(): Promise<void> {
  const t0 = process.hrtime.bigint();
  const date = new Date();
  const machine = machineFacts();
  log(`KubeLab benchmarks on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}, kubectl ${machine.kubectlOnPath}`);

  log(`1. start-up: ${STARTUP_RUNS} cold + ${STARTUP_RUNS} warm`);
  const startup = await measureStartup(STARTUP_RUNS, log);

  log(`2. kubectl get pods vs kubectl version --client: ${KUBECTL_RUNS} each`);
  const cluster = await startCluster(freshDir('kubelab-bench-kubectl-'));
  let kubectl;
  try {
    kubectl = await measureKubectl(cluster, KUBECTL_RUNS, log);
  } finally {
    await cluster.stop();
  }

  log(`3+4. writes: ${PLAN.throughputRuns}× ${PLAN.throughputObjects} creates (${PLAN.inFlight} in flight), then sequential latency at ${PLAN.latencyAt.join(', ')}`);
  const writes = await measureWrites(PLAN, log);

  const file = path.join(ROOT, 'BENCHMARKS.md');
  const md = renderReport({ date, totalMs: msSince(t0), machine, startup, kubectl, writes, plan: PLAN });
  writeFileSync(file, md);
  log(`wrote ${file}`);
}

process.on('exit', cleanup);

main().catch((e) => {
  console.error(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
