// `npm run bench`: runs every measurement against real cluster processes and rewrites BENCHMARKS.md.
// Sizes are chosen so the whole run stays under about five minutes on two cores.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { appEngine, cleanup, freshDir, ROOT, startCluster } from './lib/cluster.js';
import { machineFacts } from './lib/machine.js';
import { msSince } from './lib/stats.js';
import { measureStartup } from './measure/startup.js';
import { measureKubectl } from './measure/kubectl.js';
import { measureWrites, type WritesPlan } from './measure/writes.js';
import { measureBigDeployment, measureHeld, type LivingPlan } from './measure/living.js';
import { bigDone } from './report-living.js';
import { loadAvg } from './lib/cluster.js';
import { renderReport } from './report.js';
import { ensureRendererBuilt } from './lib/web.js';
import { measureWebStart } from './measure/web-start.js';
import { measureBrowser, type BrowserPlan } from './measure/browser.js';

const STARTUP_RUNS = 5;
const KUBECTL_RUNS = 15;
const PLAN: Omit<WritesPlan, 'engine'> = {
  throughputRuns: 3,
  throughputObjects: 1000,
  inFlight: 32,
  sequentialWrites: 200,
  warmupWrites: 1000,
  latencyAt: [1000, 10_000],
  preloadInFlight: 64,
};

// issue 3's sizes; the waits are bounded so a slow engine is reported as such, never hangs the run
const LIVING: Omit<LivingPlan, 'engine'> = {
  speed: 600,
  big: { nodes: 10, replicas: 1000, timeoutMs: 60_000 },
  bigRuns: 3,
  held: { nodes: 100, deployments: 10, replicas: 1000, getRuns: 5, timeoutMs: 120_000 },
};

// issue 4, in browser mode; together well under 90 s
const WEB_START_RUNS = 5;
const BROWSER: BrowserPlan = {
  echoKeys: 200,
  echoPerLine: 25,
  map: { replicas: 500, speed: 600, idleFrameMs: 2000, showTimeoutMs: 60_000 },
};

const log = (s: string) => console.log(s);

async function main(): Promise<void> {
  const t0 = process.hrtime.bigint();
  const date = new Date();
  const machine = machineFacts();
  log(`KubeLab benchmarks on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}, kubectl ${machine.kubectlOnPath}`);

  // the machine is shared: the load average when each measurement began lets readers judge the noise
  const loads: Record<string, string> = {};
  log(`1. start-up: ${STARTUP_RUNS} cold + ${STARTUP_RUNS} warm`);
  loads.startup = loadAvg();
  const startup = await measureStartup(STARTUP_RUNS, log);

  // from here on the engine runs as the app runs it (bundled), not through tsx as `npm run cluster`
  const engine = await appEngine(log);
  log(`   engine: ${path.relative(ROOT, engine)} (the bundle \`npm run web\` starts)`);

  log(`2. kubectl get pods vs kubectl version --client: ${KUBECTL_RUNS} each`);
  loads.kubectl = loadAvg();
  const cluster = await startCluster(freshDir('kubelab-bench-kubectl-'), { engine });
  let kubectl;
  try {
    kubectl = await measureKubectl(cluster, KUBECTL_RUNS, log);
  } finally {
    await cluster.stop();
  }

  log(`3+4. writes: ${PLAN.throughputRuns}× ${PLAN.throughputObjects} creates (${PLAN.inFlight} in flight), then sequential latency at ${PLAN.latencyAt.join(', ')}`);
  loads.writes = loadAvg();
  const writes = await measureWrites({ ...PLAN, engine }, log);

  log(`5+6. living cluster: Deployment of ${LIVING.big.replicas} on ${LIVING.big.nodes} nodes at --speed ${LIVING.speed}`);
  // one run swings by ±0.5 s on this shared machine: the median of three, each on a fresh cluster
  const bigs = [];
  for (let i = 0; i < LIVING.bigRuns; i++) bigs.push(await measureBigDeployment({ ...LIVING, engine }, log));
  const bigRuns = bigs.map(bigDone);
  const byDone = [...bigs].sort((a, b) => (bigDone(a) ?? Infinity) - (bigDone(b) ?? Infinity));
  const big = byDone[(byDone.length - 1) >> 1]!;
  const h = LIVING.held;
  log(`7. ${h.deployments}× ${h.replicas} pods held on ${h.nodes} nodes, then ${h.getRuns}× kubectl get pods -A`);
  const held = await measureHeld({ ...LIVING, engine }, log);

  log('8. npm run web: spawn → first shell prompt');
  const renderer = await ensureRendererBuilt(log);
  const webLoad = loadAvg();
  const webStart = await measureWebStart(WEB_START_RUNS, log);
  log(`9. terminal echo in Chromium: ${BROWSER.echoKeys} keypresses`);
  const browser = await measureBrowser(BROWSER, log);
  const app = { webStart, browser, plan: BROWSER, renderer, loads: { webStart: webLoad } };

  const file = path.join(ROOT, 'BENCHMARKS.md');
  const md = renderReport({ date, totalMs: msSince(t0), machine, startup, kubectl, writes, plan: { ...PLAN, engine }, loads, living: { plan: { ...LIVING, engine }, big, bigRuns, held }, app });
  writeFileSync(file, md);
  log(`wrote ${file}`);
}

process.on('exit', cleanup);

main().catch((e) => {
  console.error(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
