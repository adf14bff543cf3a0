// The lab runner the app calls (through the bridge): start a lab on the cluster, grade steps,
// reveal hints and solutions, skip, reset, exam mode, with progress persisted per user.
import * as path from 'node:path';
import type { CheckContext } from './checks.js';
import { prepareLab } from './environment.js';
import { gradeStep } from './grader.js';
import { KubeClient } from './kube.js';
import { defaultLabsDir, loadAllLabs, loadLab } from './loader.js';
import { ProgressStore, type LabProgress, type Mode } from './progress.js';
import type { LoadedLab } from './schema.js';
import type { CheckResult, StepResult, Text } from './types.js';

export interface RunnerOptions {
  dataDir: string;
  kubeconfig: string;
  labsDir?: string;
  context?: string;
  /** where the learner's terminal works; file checks look here (default <dataDir>/workspace) */
  workspaceDir?: string;
  user?: string;
  /** convergence wait for a check, seconds (default 5) */
  waitSeconds?: number;
  now?: () => number;
}

export type LabErrorCode = 'NotStarted' | 'NoSuchStep' | 'ExamOnly' | 'NotInExam' | 'NoExam' | 'NoMoreHints' | 'ExamOver' | 'Setup';

export class LabError extends Error {
  constructor(
    public code: LabErrorCode,
    public text: Text,
  ) {
    super(text.en);
  }
}

export interface LabSummary {
  id: string;
  title: Text;
  description: Text;
  level: string;
  minutes: number;
  topics: string[];
  steps: number;
  examMinutes?: number;
  status: 'not-started' | 'in-progress' | 'completed';
  score: number;
  maxScore: number;
}

export interface StepView {
  id: string;
  title: Text;
  instructions: Text;
  hintCount: number;
  hints: Text[];
  checks: Array<{ id: string; title: Text; weight: number }>;
  status: 'pending' | 'passed' | 'skipped';
  solution?: string[];
}

export interface LabView {
  id: string;
  title: Text;
  description: Text;
  mode: Mode;
  workspaceDir: string;
  steps: StepView[];
  progress: LabProgress;
}

export interface ExamReport {
  labId: string;
  score: number;
  maxScore: number;
  percent: number;
  finishedAt: string;
  overtime: boolean;
  steps: StepResult[];
}

const maxOf = (lab: LoadedLab) => lab.steps.reduce((s, st) => s + st.checks.reduce((a, c) => a + c.weight, 0), 0);

export class LabRunner {
  readonly labsDir: string;
  readonly workspaceDir: string;
  readonly user: string;
  private client: KubeClient;
  private now: () => number;

  private constructor(
    private opts: RunnerOptions,
    private store: ProgressStore,
  ) {
    this.labsDir = opts.labsDir ?? defaultLabsDir();
    this.workspaceDir = opts.workspaceDir ?? path.join(opts.dataDir, 'workspace');
    this.user = opts.user ?? 'default';
    this.client = KubeClient.fromFile(opts.kubeconfig, opts.context);
    this.now = opts.now ?? Date.now;
  }

  static async create(opts: RunnerOptions): Promise<LabRunner> {
    return new LabRunner(opts, await ProgressStore.open(opts.dataDir));
  }

  async list(): Promise<{ labs: LabSummary[]; errors: string[] }> {
    const { labs, errors } = await loadAllLabs(this.labsDir);
    const progress = this.store.all(this.user);
    return {
      errors,
      labs: labs.map((l) => {
        const p = progress[l.id];
        const s: LabSummary = {
          id: l.id, title: l.title, description: l.description, level: l.level, minutes: l.minutes, topics: l.topics, steps: l.steps.length,
          status: !p ? 'not-started' : p.completedAt ? 'completed' : 'in-progress', score: p?.score ?? 0, maxScore: maxOf(l),
        };
        if (l.exam) s.examMinutes = l.exam.minutes;
        return s;
      }),
    };
  }

  load(id: string): Promise<LoadedLab> {
    return loadLab(this.labsDir, id);
  }

  /** The lab the learner was last working on, to resume after a restart. */
  activeLab(): string | undefined {
    return this.store.activeLab(this.user);
  }

  progress(id: string): LabProgress | undefined {
    return this.store.get(this.user, id);
  }

  /** Put the cluster in the lab's starting state and begin (or restart) the lab. */
  async start(id: string, o: { mode?: Mode } = {}): Promise<LabView> {
    const lab = await this.load(id);
    const mode = o.mode ?? 'practice';
    if (mode === 'exam' && !lab.exam) throw new LabError('NoExam', { en: `lab ${id} has no exam mode`, ko: `${id} 실습에는 시험 모드가 없습니다` });
    try {
      await prepareLab(this.client, lab, this.workspaceDir);
    } catch (e) {
      const m = (e as Error).message;
      throw new LabError('Setup', { en: `could not prepare the lab: ${m}`, ko: `실습 환경을 준비하지 못했습니다: ${m}` });
    }
    const p: LabProgress = {
      labId: id, mode, startedAt: new Date(this.now()).toISOString(), currentStep: 0, score: 0, maxScore: maxOf(lab),
      steps: Object.fromEntries(lab.steps.map((s) => [s.id, { status: 'pending', score: 0, maxScore: s.checks.reduce((a, c) => a + c.weight, 0), hintsRevealed: 0, solutionShown: false, attempts: 0 }])),
    };
    if (mode === 'exam') p.exam = { deadline: new Date(this.now() + lab.exam!.minutes * 60_000).toISOString() };
    await this.store.put(this.user, p);
    return this.view(id);
  }

  async resetLab(id?: string): Promise<LabView> {
    const lid = id ?? this.activeLab();
    if (!lid) throw notStarted();
    const p = this.progress(lid);
    return this.start(lid, { mode: p?.mode ?? 'practice' });
  }

  async view(id: string): Promise<LabView> {
    const lab = await this.load(id);
    const p = this.progress(id);
    if (!p) throw notStarted(id);
    return {
      id, title: lab.title, description: lab.description, mode: p.mode, workspaceDir: this.workspaceDir, progress: p,
      steps: lab.steps.map((s) => {
        const sp = p.steps[s.id]!;
        const v: StepView = {
          id: s.id, title: s.title, instructions: s.instructions, hintCount: p.mode === 'exam' ? 0 : s.hints.length, hints: s.hints.slice(0, sp.hintsRevealed),
          checks: s.checks.map((c) => ({ id: c.id, title: c.title, weight: c.weight })), status: sp.status,
        };
        if (sp.solutionShown) v.solution = s.solution;
        return v;
      }),
    };
  }

  private async active(stepId: string): Promise<{ lab: LoadedLab; p: LabProgress; index: number }> {
    const id = this.activeLab();
    if (!id) throw notStarted();
    const lab = await this.load(id);
    const p = this.progress(id);
    if (!p) throw notStarted(id);
    const index = lab.steps.findIndex((s) => s.id === stepId);
    if (index < 0) throw new LabError('NoSuchStep', { en: `lab ${id} has no step "${stepId}"`, ko: `${id} 실습에 "${stepId}" 단계가 없습니다` });
    return { lab, p, index };
  }

  private ctx(lab: LoadedLab): CheckContext {
    return { reader: this.client, namespace: lab.environment.namespace, workspaceDir: this.workspaceDir };
  }

  private noExam(p: LabProgress, what: Text): void {
    if (p.mode === 'exam') throw new LabError('ExamOnly', { en: `${what.en} is not available in exam mode`, ko: `시험 모드에서는 ${what.ko}을(를) 사용할 수 없습니다` });
  }

  /** Grade one step of the active lab; a pass moves the learner to the next step. */
  async check(stepId: string): Promise<StepResult> {
    const { lab, p, index } = await this.active(stepId);
    this.noExam(p, { en: 'checking a single task', ko: '과제별 채점' });
    const step = lab.steps[index]!;
    const r = await gradeStep(step, this.ctx(lab), { waitSeconds: this.opts.waitSeconds ?? 5 });
    const sp = p.steps[step.id]!;
    sp.attempts++;
    sp.lastChecks = r.checks;
    sp.score = Math.max(sp.score, r.score);
    if (r.passed) sp.status = 'passed';
    this.advance(lab, p);
    await this.store.put(this.user, p);
    return r;
  }

  private advance(lab: LoadedLab, p: LabProgress): void {
    const next = lab.steps.findIndex((s) => p.steps[s.id]!.status === 'pending');
    p.currentStep = next < 0 ? lab.steps.length : next;
    p.score = Object.values(p.steps).reduce((s, x) => s + x.score, 0);
    if (next < 0 && !p.completedAt) p.completedAt = new Date(this.now()).toISOString();
  }

  /** Reveal the next hint of a step (practice mode only). */
  async hint(stepId: string): Promise<{ hint: Text; index: number; total: number }> {
    const { lab, p, index } = await this.active(stepId);
    this.noExam(p, { en: 'a hint', ko: '힌트' });
    const step = lab.steps[index]!;
    const sp = p.steps[step.id]!;
    if (sp.hintsRevealed >= step.hints.length) throw new LabError('NoMoreHints', { en: 'no more hints for this step', ko: '이 단계의 힌트를 모두 보았습니다' });
    sp.hintsRevealed++;
    await this.store.put(this.user, p);
    return { hint: step.hints[sp.hintsRevealed - 1]!, index: sp.hintsRevealed - 1, total: step.hints.length };
  }

  async solution(stepId: string): Promise<string[]> {
    const { lab, p, index } = await this.active(stepId);
    this.noExam(p, { en: 'the solution', ko: '정답' });
    p.steps[lab.steps[index]!.id]!.solutionShown = true;
    await this.store.put(this.user, p);
    return lab.steps[index]!.solution;
  }

  async skip(stepId: string): Promise<LabView> {
    const { lab, p, index } = await this.active(stepId);
    const sp = p.steps[lab.steps[index]!.id]!;
    if (sp.status === 'pending') sp.status = 'skipped';
    this.advance(lab, p);
    await this.store.put(this.user, p);
    return this.view(lab.id);
  }

  /** End the exam (or see it ended by the clock): grade every task, keep the score page. */
  async finishExam(): Promise<ExamReport> {
    const id = this.activeLab();
    if (!id) throw notStarted();
    const lab = await this.load(id);
    const p = this.progress(id)!;
    if (p.mode !== 'exam' || !p.exam) throw new LabError('NotInExam', { en: 'the active lab is not an exam', ko: '진행 중인 실습이 시험 모드가 아닙니다' });
    const steps: StepResult[] = [];
    for (const s of lab.steps) steps.push(await gradeStep(s, this.ctx(lab), { waitSeconds: Math.min(2, this.opts.waitSeconds ?? 2) }));
    const finishedAt = this.now();
    for (const r of steps) {
      const sp = p.steps[r.stepId]!;
      sp.score = r.score;
      sp.lastChecks = r.checks;
      sp.status = r.passed ? 'passed' : sp.status;
    }
    p.score = steps.reduce((s, r) => s + r.score, 0);
    p.exam.finishedAt = new Date(finishedAt).toISOString();
    p.completedAt = p.exam.finishedAt;
    p.currentStep = lab.steps.length;
    await this.store.put(this.user, p);
    const maxScore = maxOf(lab);
    return { labId: id, score: p.score, maxScore, percent: maxScore ? Math.round((p.score / maxScore) * 100) : 0, finishedAt: p.exam.finishedAt, overtime: finishedAt > Date.parse(p.exam.deadline), steps };
  }

  /** Seconds left in the exam (negative once over), or undefined outside an exam. */
  examTimeLeft(): number | undefined {
    const id = this.activeLab();
    const p = id ? this.progress(id) : undefined;
    if (!p?.exam || p.exam.finishedAt) return undefined;
    return Math.round((Date.parse(p.exam.deadline) - this.now()) / 1000);
  }

  /** Per-check results of the last grading of each step (the score page). */
  lastResults(id: string): CheckResult[] {
    const p = this.progress(id);
    return p ? Object.values(p.steps).flatMap((s) => s.lastChecks ?? []) : [];
  }
}

function notStarted(id?: string): LabError {
  return id
    ? new LabError('NotStarted', { en: `lab ${id} has not been started`, ko: `${id} 실습을 아직 시작하지 않았습니다` })
    : new LabError('NotStarted', { en: 'no lab has been started', ko: '시작한 실습이 없습니다' });
}
