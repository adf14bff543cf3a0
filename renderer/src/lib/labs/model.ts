// Pure helpers behind the lab panel (no Svelte, no bridge), so the rules are unit tested: which
// step to show, what each check row says, the exam clock, and the score page rebuilt from saved
// progress after a reload.
import type { Language, LabCheckResult, LabExamReport, LabStepView, LabText, LabView } from '../../../../main/bridge/contract.js';

export function pick(text: LabText | undefined, lang: Language): string {
  if (!text) return '';
  return text[lang] || text.en;
}

/** The step to show when a lab opens: where the learner is, or the last step once all are done. */
export function initialStep(view: LabView): number {
  const n = view.steps.length;
  if (!n) return 0;
  return Math.min(Math.max(0, view.progress.currentStep), n - 1);
}

export function isComplete(view: LabView): boolean {
  return Boolean(view.progress.completedAt);
}

export function isExamOver(view: LabView): boolean {
  return view.mode === 'exam' && Boolean(view.progress.exam?.finishedAt);
}

export interface CheckRow {
  id: string;
  title: LabText;
  weight: number;
  /** undefined until the step is graded */
  passed?: boolean;
  reason?: LabText;
}

/** A step's checks joined with the results of its last grading (kept in progress across reloads). */
export function checkRows(view: LabView, step: LabStepView): CheckRow[] {
  const last = view.progress.steps[step.id]?.lastChecks ?? [];
  const byId = new Map<string, LabCheckResult>(last.map((c) => [c.checkId, c]));
  return step.checks.map((c) => {
    const r = byId.get(c.id);
    return r ? { id: c.id, title: c.title, weight: c.weight, passed: r.passed, reason: r.reason } : { id: c.id, title: c.title, weight: c.weight };
  });
}

export function passedCount(view: LabView): number {
  return view.steps.filter((s) => s.status === 'passed').length;
}

/** m:ss, or h:mm:ss from an hour; negative (overtime) with a leading minus. */
export function formatClock(seconds: number): string {
  const neg = seconds < 0;
  let s = Math.abs(Math.trunc(seconds));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const body = h ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
  return neg ? `-${body}` : body;
}

/** Seconds left in a running exam at `now` (ms), or undefined outside one. */
export function examSecondsLeft(view: LabView, now: number): number | undefined {
  const e = view.progress.exam;
  if (view.mode !== 'exam' || !e || e.finishedAt) return undefined;
  return Math.round((Date.parse(e.deadline) - now) / 1000);
}

/** The score page of a finished exam from the saved progress (the same data finishExam returned). */
export function reportFromView(view: LabView): LabExamReport | undefined {
  const e = view.progress.exam;
  if (view.mode !== 'exam' || !e?.finishedAt) return undefined;
  const steps = view.steps.map((s) => {
    const p = view.progress.steps[s.id];
    const checks = p?.lastChecks ?? [];
    return { stepId: s.id, passed: checks.length > 0 && checks.every((c) => c.passed), score: p?.score ?? 0, maxScore: p?.maxScore ?? 0, checks };
  });
  const maxScore = view.progress.maxScore;
  return {
    labId: view.id,
    score: view.progress.score,
    maxScore,
    percent: maxScore ? Math.round((view.progress.score / maxScore) * 100) : 0,
    finishedAt: e.finishedAt,
    overtime: Date.parse(e.finishedAt) > Date.parse(e.deadline),
    steps,
  };
}

export function percent(score: number, max: number): number {
  return max ? Math.round((score / max) * 100) : 0;
}
