// The lab catalog loads cleanly, and the LabRunner (practice and exam) works on a live cluster as
// the app drives it. Each lab's own proof is in test/labs-*.test.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommands } from '../main/labs/commands.js';
import { defaultLabsDir, loadAllLabs } from '../main/labs/loader.js';
import { LabError, LabRunner } from '../main/labs/runner.js';
import { startCluster, tempDir, type RunningCluster } from './helpers/cluster.js';

const { labs, errors } = await loadAllLabs(defaultLabsDir());
const SPEED = ['--speed', '60'];
const LONG = 600_000;

it('the catalog loads', () => {
  expect(errors).toEqual([]);
  expect(labs.length).toBeGreaterThanOrEqual(12);
});

describe('LabRunner on a live cluster', () => {
  let cluster: RunningCluster;
  let dataDir: string;
  let runner: LabRunner;
  beforeAll(async () => {
    cluster = await startCluster({ extraArgs: SPEED });
    dataDir = tempDir('kubelab-runner-');
    runner = await LabRunner.create({ dataDir, kubeconfig: cluster.kubeconfig, waitSeconds: 3 });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  const run = (cmds: string[]) => runCommands(cmds, { kubeconfig: cluster.kubeconfig, cwd: runner.workspaceDir, namespace: 'default' });

  it('practice: start, check with reasons, hints, solution, pass, resume, skip, reset', async () => {
    const { labs: list } = await runner.list();
    expect(list.find((l) => l.id === '02-pods')).toMatchObject({ status: 'not-started', steps: 5 });
    const view = await runner.start('02-pods');
    expect(view.steps[0]).toMatchObject({ id: 'run', status: 'pending', hints: [], hintCount: 2 });

    const before = await runner.check('run');
    expect(before.passed).toBe(false);
    expect(before.checks.find((c) => c.checkId === 'web-exists')!.reason).toEqual({ en: 'pod web not found in namespace default', ko: 'Pod web을(를) 찾을 수 없습니다 (네임스페이스 default)' });

    expect((await runner.hint('run')).index).toBe(0);
    expect((await runner.hint('run')).index).toBe(1);
    await expect(runner.hint('run')).rejects.toMatchObject({ code: 'NoMoreHints' });
    const solution = await runner.solution('run');
    expect((await run(solution)).ok).toBe(true);

    const after = await runner.check('run');
    expect(after).toMatchObject({ passed: true, score: 4, maxScore: 4 });

    // A new runner on the same data dir resumes where the learner left off.
    const again = await LabRunner.create({ dataDir, kubeconfig: cluster.kubeconfig, waitSeconds: 3 });
    expect(again.activeLab()).toBe('02-pods');
    const p = again.progress('02-pods')!;
    expect(p).toMatchObject({ currentStep: 1, score: 4 });
    expect(p.steps.run).toMatchObject({ status: 'passed', hintsRevealed: 2, solutionShown: true });

    const skipped = await again.skip('wide');
    expect(skipped.progress.currentStep).toBe(2);
    expect((await again.list()).labs.find((l) => l.id === '02-pods')!.status).toBe('in-progress');

    const reset = await again.resetLab();
    expect(reset.progress).toMatchObject({ currentStep: 0, score: 0 });
    expect((await cluster.kubectl(['get', 'pod', 'web'])).code).not.toBe(0);
    expect((await cluster.kubectl(['get', 'pod', 'shop'])).code).toBe(0);
  }, LONG);

  it('exam: no hints or solutions, graded at the end with per-check reasons', async () => {
    await runner.start('01-cluster-architecture', { mode: 'exam' });
    expect(runner.examTimeLeft()).toBeGreaterThan(500);
    await expect(runner.hint('nodes')).rejects.toBeInstanceOf(LabError);
    await expect(runner.solution('nodes')).rejects.toMatchObject({ code: 'ExamOnly' });
    await expect(runner.check('nodes')).rejects.toMatchObject({ code: 'ExamOnly' });
    const lab = await runner.load('01-cluster-architecture');
    expect((await run([...lab.steps[0]!.solution, ...lab.steps[2]!.solution])).ok).toBe(true);
    const report = await runner.finishExam();
    expect(report).toMatchObject({ labId: '01-cluster-architecture', score: 4, maxScore: 8, percent: 50, overtime: false });
    const failed = report.steps.flatMap((s) => s.checks).filter((c) => !c.passed);
    expect(failed.map((c) => c.checkId)).toEqual(['control-plane-file', 'node-file']);
    expect(failed[0]!.reason.en).toContain('control-plane.txt not found');
    expect(failed[0]!.reason.ko).toContain('control-plane.txt 파일이 없습니다');
    await expect(runner.start('02-pods', { mode: 'exam' })).rejects.toMatchObject({ code: 'NoExam' });
  }, LONG);

  it('a lab with a fresh namespace: setup applied there, checks look there', async () => {
    const labsDir = path.join(tempDir('kubelab-nslab-'), 'labs');
    mkdirSync(path.join(labsDir, '50-ns', 'setup'), { recursive: true });
    const T = (s: string) => ({ en: s, ko: s });
    writeFileSync(path.join(labsDir, '50-ns', 'setup', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n');
    writeFileSync(
      path.join(labsDir, '50-ns', 'lab.yaml'),
      JSON.stringify({
        id: '50-ns', title: T('ns'), description: T('ns'), level: 'beginner', minutes: 5, topics: ['namespaces'],
        environment: { namespace: 'lab-50', fresh: true },
        steps: [{
          id: 'color', title: T('c'), instructions: T('c'), solution: ['kubectl -n "$LAB_NAMESPACE" patch configmap settings -p \'{"data":{"color":"green"}}\''],
          checks: [{ id: 'green', title: T('g'), target: { kind: 'ConfigMap', name: 'settings' }, cel: 'object.data.color == "green"', message: T('color is {{object.data.color}}') }],
        }],
      }),
    );
    const r = await LabRunner.create({ dataDir: tempDir('kubelab-nsrunner-'), kubeconfig: cluster.kubeconfig, labsDir, waitSeconds: 1 });
    await r.start('50-ns');
    expect((await r.check('color')).checks[0]!.reason.en).toBe('color is blue');
    expect((await runCommands((await r.load('50-ns')).steps[0]!.solution, { kubeconfig: cluster.kubeconfig, cwd: r.workspaceDir, namespace: 'lab-50' })).ok).toBe(true);
    expect((await r.check('color')).passed).toBe(true);
    // Starting again deletes and re-creates the namespace: back to blue.
    await r.resetLab();
    expect((await r.check('color')).checks[0]!.reason.en).toBe('color is blue');
  }, LONG);
});
