// The living-cluster part of BENCHMARKS.md (measurements 5–7, issue 3): rows for the results
// table, the goals, the method and the raw numbers. Judged here like the rest: a miss is written down.
import { summarize } from './lib/stats.js';
import type { BigDeploymentResult, HeldResult, LivingPlan } from './measure/living.js';

export interface LivingInput {
  plan: LivingPlan;
  /** the median run of measurement 5 (its details are reported) */
  big: BigDeploymentResult;
  /** every run of measurement 5: POST → all Running+Ready and readyReplicas, ms (undefined = not reached) */
  bigRuns: Array<number | undefined>;
  held: HeldResult;
}

/** POST → the later of all pods Running+Ready and readyReplicas reached (undefined = not reached). */
export function bigDone(big: BigDeploymentResult): number | undefined {
  return big.deploymentReady === undefined || big.allRunningReady === undefined ? undefined : Math.max(big.deploymentReady, big.allRunningReady);
}

export const LIVING_GOALS = {
  bigDeploymentMs: 2000,
  bindingsPerSecond: 1000,
  getPodsAllMs: 1000,
};

const f0 = (n: number) => n.toFixed(0);
const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const met = (ok: boolean) => (ok ? '**met**' : '**NOT met**');
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const msOr = (n: number | undefined, what = 'not reached') => (n === undefined ? what : `${n0(n)} ms`);
const mib = (b: number | undefined) => (b === undefined ? 'unknown' : `${n0(b / 2 ** 20)} MiB`);

function verdicts(l: LivingInput) {
  const { big, held } = l;
  const get = held.getPodsAll.length ? summarize(held.getPodsAll) : undefined;
  return {
    bigOk: bigDone(big) !== undefined && bigDone(big)! < LIVING_GOALS.bigDeploymentMs,
    bindOk: (big.bindingsPerSecond ?? 0) >= LIVING_GOALS.bindingsPerSecond,
    get,
    getOk: !!get && get.median < LIVING_GOALS.getPodsAllMs && held.rows >= held.target && held.getFailures.length === 0,
  };
}

/** Rows for the main results table (measurement | runs | median | p90 | min | max | goal | verdict). */
export function livingRows(l: LivingInput): string[] {
  const { big, held } = l;
  const v = verdicts(l);
  const reached = l.bigRuns.filter((x): x is number => x !== undefined);
  const all = reached.length === l.bigRuns.length && reached.length ? summarize(reached) : undefined;
  const rows = [
    row([
      `5. Deployment of ${n0(big.replicas)} on ${big.nodes} nodes (--speed ${l.plan.speed}): POST → all pods Running+Ready and readyReplicas=${n0(big.replicas)}`,
      String(l.bigRuns.length),
      `**${msOr(bigDone(big))}**`,
      '',
      all ? msOr(all.min) : '',
      all ? msOr(all.max) : '',
      `< ${n0(LIVING_GOALS.bigDeploymentMs)} ms`,
      met(v.bigOk),
    ]),
    row([
      `6. scheduler: pods bound per second (first → last binding seen in the median run of 5)`,
      '1',
      `**${big.bindingsPerSecond === undefined ? 'n/a' : `${n0(big.bindingsPerSecond)}/s`}**`,
      '', '', '', // prettier-ignore
      `≥ ${n0(LIVING_GOALS.bindingsPerSecond)}/s`,
      met(v.bindOk),
    ]),
  ];
  if (v.get) {
    rows.push(
      row([
        `7a. \`kubectl get pods -A\` with ${n0(held.rows)} pods on ${held.nodes} nodes, clock at 1× ` +
          `(one run at ${l.plan.speed}×, before switching: ${msOr(held.getPodsAllFast, 'not run')}, the heartbeats of ${held.nodes} nodes at that speed keep the CPU busy)`,
        String(v.get.runs),
        `**${f0(v.get.median)} ms**`,
        `${f0(v.get.p90)} ms`,
        `${f0(v.get.min)} ms`,
        `${f0(v.get.max)} ms`,
        `< ${n0(LIVING_GOALS.getPodsAllMs)} ms at ${n0(held.target)} pods`,
        met(v.getOk),
      ]),
    );
  }
  rows.push(row([`7b. engine resident memory (VmRSS) holding ${n0(held.target)} pods on ${held.nodes} nodes`, '1', `**${mib(held.rssBytes)}**`, '', '', '', 'none set', '—']));
  return rows;
}

/** The detail section after the main table. */
export function livingSection(l: LivingInput): string[] {
  const { big, held } = l;
  return [
    '### 5–7. Living cluster (issue 3)',
    '',
    `Measurement 5, the median of its ${l.bigRuns.length} runs (each on a fresh cluster; all runs: ${l.bigRuns.map((x) => msOr(x)).join(', ')}), ` +
      `${n0(big.replicas)} replicas on ${big.nodes} workers, wall time from sending the POST (load average at start: ${big.loadAvg}):`,
    '',
    '| milestone | wall time |',
    '|---|---|',
    row(['POST answered (201, durable)', msOr(big.posted)]),
    row([`first pod seen / all ${n0(big.replicas)} pods seen`, `${msOr(big.firstBound === undefined ? undefined : Math.min(big.firstBound, big.allCreated ?? Infinity))} / ${msOr(big.allCreated)}`]),
    row(['first / last binding seen (spec.nodeName set)', `${msOr(big.firstBound)} / ${msOr(big.lastBound)}`]),
    row([`all pods Running and Ready (pod watch)`, msOr(big.allRunningReady)]),
    row([`Deployment status.readyReplicas = ${n0(big.replicas)} (Deployment watch)`, msOr(big.deploymentReady)]),
    row(['engine VmRSS at the end', mib(big.rssBytes)]),
    '',
    `Seen at the end of that run: ${n0(big.created)} pods created, ${n0(big.bound)} bound, ${n0(big.runningReady)} Running and Ready. ` +
      `Pods appeared at ${big.createsPerSecond === undefined ? 'n/a' : `${n0(big.createsPerSecond)}/s`} (first → last creation), ` +
      `so binding was ${big.createsPerSecond !== undefined && big.bindingsPerSecond !== undefined && big.createsPerSecond > big.bindingsPerSecond ? 'not' : 'possibly'} limited by pod creation.`,
    '',
    `Run 7, ${l.plan.held.deployments} Deployments × ${n0(l.plan.held.replicas)} replicas on ${held.nodes} workers (load average at start: ${held.loadAvg}): ` +
      `${n0(held.ready)} of ${n0(held.target)} replicas ready after ${msOr(held.readyMs, `not all within ${n0(l.plan.held.timeoutMs)} ms`)}; ` +
      `\`kubectl get pods -A\` printed ${n0(held.rows)} rows (load average before the timed runs: ${held.loadAvgAtGet}); engine VmRSS ${mib(held.rssBytes)}. ` +
      `One run at ${l.plan.speed}× took ${msOr(held.getPodsAllFast, 'n/a')}; the timed runs at 1× are the headline. ` +
      serverPages(held),
    ...(held.getFailures.length ? ['', '**kubectl get pods -A failures:**', '', ...held.getFailures.map((x) => `- ${x}`)] : []),
  ];
}

/** Where the time of a `get pods -A` goes: the server's pages, and the floor kubectl itself sets. */
function serverPages(held: HeldResult): string {
  const pages = held.serverPageMs;
  if (!pages.length) return '';
  const total = pages.reduce((a, b) => a + b, 0);
  const per = summarize(pages);
  // client-go's default client-side rate limiter (5 requests/s after a burst of 10) spaces kubectl's pages
  const floor = Math.max(0, (pages.length - 10) / 5) * 1000;
  return (
    `The same ${pages.length} Table pages (limit 500) fetched by the bench's own client at 1× took ${n0(total)} ms in all ` +
    `(median ${per.median.toFixed(0)} ms a page, body read to the end), so most of kubectl's time is its own: decoding ` +
    `the rows' metadata and, beyond 10 pages, client-go's client-side rate limit of 5 requests/s, which alone puts the ` +
    `last of ${pages.length} pages at ≥ ${n0(floor)} ms whatever the server does.`
  );
}

export function livingGoals(l: LivingInput): string[] {
  const { big } = l;
  const v = verdicts(l);
  return [
    `- ${n0(big.replicas)}-pod Deployment Running+Ready (< ${n0(LIVING_GOALS.bigDeploymentMs)} ms wall): ${met(v.bigOk)}, median ${msOr(bigDone(big))} over ${l.bigRuns.length} runs (${l.bigRuns.map((x) => msOr(x)).join(', ')}).`,
    `- Scheduler throughput (≥ ${n0(LIVING_GOALS.bindingsPerSecond)} pods/s, 10× kube-scheduler's historic ~100/s): ${met(v.bindOk)}, ` +
      `${big.bindingsPerSecond === undefined ? 'n/a' : `${n0(big.bindingsPerSecond)}/s`}.`,
    `- \`kubectl get pods -A\` at ${n0(l.held.target)} pods (< ${n0(LIVING_GOALS.getPodsAllMs)} ms): ${met(v.getOk)}, ` +
      `${v.get ? `median ${f0(v.get.median)} ms over ${v.get.runs} runs at 1×` : 'not measured'}` +
      `${l.held.getPodsAllFast === undefined ? '' : ` (${n0(l.held.getPodsAllFast)} ms at ${l.plan.speed}×)`}.`,
  ];
}

export function livingMethod(l: LivingInput): string[] {
  const p = l.plan;
  return [
    `5. **Big Deployment.** A fresh cluster (the app's engine, see above) started with \`--speed ${p.speed} --nodes ${p.big.nodes}\`; the benchmark first waits ` +
      `(polling GET every 250 ms, before timing) until all ${p.big.nodes + 1} nodes are Ready and every kube-system pod is Running. ` +
      'Then it opens one pod watch and one Deployment watch on `default` (each on its own connection; watch headers received before timing ' +
      `starts) and sends one JSON \`POST …/deployments\` for \`big\` (image nginx, ${n0(p.big.replicas)} replicas; the object ` +
      '`kubectl create deployment big --image=nginx --replicas=…` would send). Timing runs from sending the POST to the later of ' +
      `"every pod has phase Running and condition Ready=True" (pod watch) and "status.readyReplicas = ${n0(p.big.replicas)}" ` +
      `(Deployment watch), bounded at ${n0(p.big.timeoutMs)} ms. Times are when this process parsed the watch event, so they ` +
      'include serialisation and delivery; the bench process shares the two cores with the engine. ' +
      `This runs ${p.bigRuns} times, each on a fresh cluster; the run with the median time is the one reported.`,
    '6. **Scheduler throughput.** From the median run of measurement 5: (bindings − 1) / (time of the last − time of the first pod event carrying ' +
      '`spec.nodeName`) as seen through the pod watch. The scheduler, the ReplicaSet controller and the kubelets run in the one ' +
      'engine process, so this is the binding rate while the cluster also creates and starts those pods, not an isolated scheduler figure.',
    `7. **${n0(p.held.deployments * p.held.replicas)} pods held.** A fresh cluster with \`--speed ${p.speed} --nodes ${p.held.nodes}\` ` +
      `(capacity 110 pods per node); ${p.held.deployments} Deployments of ${n0(p.held.replicas)} nginx replicas are POSTed one after the other and ` +
      `a Deployment watch sums readyReplicas (no pod watch: following 10,000 pods would load this process more than it tells us), ` +
      `bounded at ${n0(p.held.timeoutMs)} ms; if that bound is hit the rest is measured on whatever exists (the pods exist as objects either way). ` +
      `Then \`kubectl get pods -A\` runs once unmeasured (discovery cache) and once measured at ${p.speed}×; the clock is then set to 1× ` +
      '(`PUT /kubelab/v1alpha1/clock`, a learner\'s default speed; at 600× the heartbeats of 100 nodes alone saturate the CPU and kubectl competes ' +
      `with the simulation) and it runs ${p.held.getRuns} times measured (spawn to exit, stdout collected; kubectl pages the list in chunks of 500): ` +
      'their median is the headline. The bench then fetches the same Table pages itself (limit 500, continue) to show the server\'s share. Memory is VmRSS from `/proc/<pid>/status` of the engine process, ' +
      'read after the last `get`.',
  ];
}

export function livingRaw(l: LivingInput): string[] {
  return [
    `- 7a kubectl get pods -A at 1× (ms): ${l.held.getPodsAll.map(f0).join(', ')}; at ${l.plan.speed}×: ${l.held.getPodsAllFast === undefined ? 'n/a' : f0(l.held.getPodsAllFast)}`,
    `- 7a server pages at 1× (ms each): ${l.held.serverPageMs.map(f0).join(', ')}`,
  ];
}
