// Grading a step: every check is read repeatedly for up to `waitSeconds` so a cluster that is still
// converging can catch up, but a check passes only if it held on `stableReads` consecutive reads
// at the end — a transient state (a pod Ready for a moment) never passes.
import { evaluateCheck, type CheckContext, type Verdict } from './checks.js';
import { sleep } from './kube.js';
import type { LoadedStep } from './schema.js';
import type { CheckResult, StepResult } from './types.js';

export interface GradeOptions {
  /** how long a failing check may be re-read before it counts as failed, seconds */
  waitSeconds?: number;
  intervalMs?: number;
  stableReads?: number;
}

async function safeEvaluate(...args: Parameters<typeof evaluateCheck>): Promise<Verdict> {
  try {
    return await evaluateCheck(...args);
  } catch (e) {
    const m = (e as Error).message;
    return { passed: false, reason: { en: `could not read the cluster: ${m}`, ko: `클러스터 상태를 읽을 수 없습니다: ${m}` } };
  }
}

export async function gradeStep(step: LoadedStep, ctx: CheckContext, opts: GradeOptions = {}): Promise<StepResult> {
  const interval = opts.intervalMs ?? 400;
  const stable = Math.max(1, opts.stableReads ?? 2);
  const waitMs = Math.max(...step.checks.map((c) => (c.waitSeconds ?? opts.waitSeconds ?? 5) * 1000));
  const deadline = Date.now() + waitMs;
  const streak = new Map<string, number>();
  const last = new Map<string, Verdict>();
  for (;;) {
    const verdicts = await Promise.all(step.checks.map((c) => safeEvaluate(c.spec, c.compiled, ctx)));
    step.checks.forEach((c, i) => {
      const v = verdicts[i]!;
      last.set(c.id, v);
      streak.set(c.id, v.passed ? (streak.get(c.id) ?? 0) + 1 : 0);
    });
    const counts = step.checks.map((c) => streak.get(c.id) ?? 0);
    if (counts.every((n) => n >= stable)) break;
    // A check that just started passing gets its confirming read even past the deadline.
    const confirming = counts.some((n) => n > 0 && n < stable);
    const now = Date.now();
    if (now >= deadline && (!confirming || now >= deadline + interval * stable * 2)) break;
    await sleep(interval);
  }
  const checks: CheckResult[] = step.checks.map((c) => {
    const v = last.get(c.id)!;
    return { stepId: step.id, checkId: c.id, title: c.title, weight: c.weight, passed: (streak.get(c.id) ?? 0) >= stable, reason: v.reason };
  });
  const score = checks.filter((c) => c.passed).reduce((s, c) => s + c.weight, 0);
  const maxScore = checks.reduce((s, c) => s + c.weight, 0);
  return { stepId: step.id, passed: score === maxScore, score, maxScore, checks };
}
