// `lab solve`: proves a lab grades honestly on a live cluster. For the solution and each CI
// alternative: start the lab, and step by step assert every check fails before the commands and
// passes after them. For each near-miss: the named check must fail with the expected reason.
import { runCommands, type CommandResult } from './commands.js';
import { prepareLab } from './environment.js';
import { gradeStep } from './grader.js';
import { KubeClient } from './kube.js';
import type { LoadedLab } from './schema.js';
import type { StepResult } from './types.js';

export interface SolveOptions {
  kubeconfig: string;
  workspaceDir: string;
  /** how long the cluster may take to converge after a step's commands, seconds */
  waitSeconds?: number;
  /** which parts to run (default all) */
  only?: Array<'solution' | 'alternatives' | 'nearMisses'>;
  log?: (line: string) => void;
}

export interface SolveReport {
  lab: string;
  ok: boolean;
  problems: string[];
}

const reasons = (r: StepResult, passed: boolean) =>
  r.checks.filter((c) => c.passed === passed).map((c) => `${c.checkId} (${c.reason.en})`).join('; ');

function commandProblem(where: string, results: CommandResult[]): string {
  const last = results[results.length - 1]!;
  return `${where}: command failed (exit ${last.code}): ${last.command}\n${(last.stderr || last.stdout).trim()}`;
}

export async function solveLab(lab: LoadedLab, o: SolveOptions): Promise<SolveReport> {
  const client = KubeClient.fromFile(o.kubeconfig);
  const log = o.log ?? (() => undefined);
  const wait = o.waitSeconds ?? 60;
  const only = new Set(o.only ?? ['solution', 'alternatives', 'nearMisses']);
  const problems: string[] = [];
  const ctx = { reader: client, namespace: lab.environment.namespace, workspaceDir: o.workspaceDir };
  const cmdEnv = { kubeconfig: o.kubeconfig, cwd: o.workspaceDir, namespace: lab.environment.namespace };

  const variant = async (name: string, overrides: Record<string, string[]>) => {
    log(`${lab.id} [${name}]: starting the lab`);
    await prepareLab(client, lab, o.workspaceDir);
    for (const step of lab.steps) {
      const before = await gradeStep(step, ctx, { waitSeconds: 0 });
      const early = before.checks.filter((c) => c.passed);
      if (early.length) problems.push(`${lab.id} [${name}] step ${step.id}: passes before its commands ran: ${reasons(before, true)}`);
      const cmds = overrides[step.id] ?? step.solution;
      const run = await runCommands(cmds, cmdEnv);
      if (!run.ok) {
        problems.push(commandProblem(`${lab.id} [${name}] step ${step.id}`, run.results));
        return;
      }
      const after = await gradeStep(step, ctx, { waitSeconds: wait });
      if (!after.passed) {
        problems.push(`${lab.id} [${name}] step ${step.id}: fails after its commands: ${reasons(after, false)}`);
        return;
      }
      log(`${lab.id} [${name}] step ${step.id}: fails before, passes after (${after.score}/${after.maxScore})`);
    }
  };

  if (only.has('solution')) await variant('solution', {});
  if (only.has('alternatives')) for (const alt of lab.tests.alternatives) await variant(`alternative: ${alt.name}`, alt.steps);
  if (only.has('nearMisses')) {
    for (const nm of lab.tests.nearMisses) {
      const name = `near-miss: ${nm.name}`;
      log(`${lab.id} [${name}]: starting the lab`);
      await prepareLab(client, lab, o.workspaceDir);
      const idx = lab.steps.findIndex((s) => s.id === nm.step);
      let broken = false;
      for (const step of lab.steps.slice(0, idx)) {
        const run = await runCommands(step.solution, cmdEnv);
        // The earlier steps must have converged before the near-miss builds on them.
        const r = run.ok ? await gradeStep(step, ctx, { waitSeconds: wait }) : undefined;
        if (!run.ok || !r?.passed) {
          problems.push(run.ok ? `${lab.id} [${name}] step ${step.id}: fails after its commands: ${reasons(r!, false)}` : commandProblem(`${lab.id} [${name}] step ${step.id}`, run.results));
          broken = true;
          break;
        }
      }
      if (broken) continue;
      const run = await runCommands(nm.commands, cmdEnv);
      if (!run.ok) {
        problems.push(commandProblem(`${lab.id} [${name}]`, run.results));
        continue;
      }
      const step = lab.steps[idx]!;
      // Give the wrong state time to settle so a pass would be seen, then look at the named check.
      // A near-miss whose wrong state is plain spec (no controller involved) may ask for less.
      const r = await gradeStep(step, ctx, { waitSeconds: nm.waitSeconds ?? Math.min(wait, 3) });
      const c = r.checks.find((x) => x.checkId === nm.expectFail.check)!;
      const want = nm.expectFail.reasonContains;
      if (c.passed) problems.push(`${lab.id} [${name}]: check ${c.checkId} passed, expected it to fail`);
      else if (!c.reason.en.includes(want) && !c.reason.ko.includes(want)) problems.push(`${lab.id} [${name}]: check ${c.checkId} failed with "${c.reason.en}", expected a reason containing "${want}"`);
      else log(`${lab.id} [${name}]: ${c.checkId} fails: ${c.reason.en} / ${c.reason.ko}`);
    }
  }
  return { lab: lab.id, ok: problems.length === 0, problems };
}
