import { describe, expect, it } from 'vitest';
import type { LabCheckResult, LabView } from '../../../../main/bridge/contract.js';
import { checkRows, examSecondsLeft, formatClock, initialStep, passedCount, percent, pick, reportFromView } from './model.js';

const T = (en: string) => ({ en, ko: `${en}-ko` });
const res = (stepId: string, checkId: string, passed: boolean, weight = 1): LabCheckResult => ({ stepId, checkId, title: T(checkId), weight, passed, reason: T(passed ? 'ok' : `${checkId} failed`) });

function lab(o: Partial<LabView['progress']> = {}, mode: LabView['mode'] = 'practice'): LabView {
  return {
    id: '02-pods', title: T('Pods'), description: T('d'), mode, workspaceDir: '/w',
    steps: [
      { id: 'run', title: T('Run'), instructions: T('i'), hintCount: 2, hints: [], checks: [{ id: 'a', title: T('A'), weight: 1 }, { id: 'b', title: T('B'), weight: 2 }], status: 'passed' },
      { id: 'wide', title: T('Wide'), instructions: T('i'), hintCount: 1, hints: [], checks: [{ id: 'c', title: T('C'), weight: 2 }], status: 'pending' },
    ],
    progress: {
      labId: '02-pods', mode, startedAt: '2026-01-01T00:00:00Z', currentStep: 1, score: 3, maxScore: 5,
      steps: {
        run: { status: 'passed', score: 3, maxScore: 3, hintsRevealed: 0, solutionShown: false, attempts: 2, lastChecks: [res('run', 'a', true), res('run', 'b', true, 2)] },
        wide: { status: 'pending', score: 0, maxScore: 2, hintsRevealed: 0, solutionShown: false, attempts: 0 },
      },
      ...o,
    },
  };
}

describe('lab view model', () => {
  it('pick falls back to English when a translation is empty', () => {
    expect(pick({ en: 'a', ko: '가' }, 'ko')).toBe('가');
    expect(pick({ en: 'a', ko: '' }, 'ko')).toBe('a');
    expect(pick(undefined, 'en')).toBe('');
  });

  it.each([
    [0, 0],
    [1, 1],
    [2, 1], // all done: stay on the last step
    [-3, 0],
  ])('initialStep with currentStep %i → %i', (current, want) => {
    expect(initialStep(lab({ currentStep: current }))).toBe(want);
  });

  it('check rows join the step checks with the saved results', () => {
    const v = lab();
    expect(checkRows(v, v.steps[0]!).map((r) => [r.id, r.passed, r.reason?.en])).toEqual([
      ['a', true, 'ok'],
      ['b', true, 'ok'],
    ]);
    expect(checkRows(v, v.steps[1]!)).toEqual([{ id: 'c', title: T('C'), weight: 2 }]);
    expect(passedCount(v)).toBe(1);
  });

  it.each([
    [0, '0:00'],
    [59, '0:59'],
    [600, '10:00'],
    [3725, '1:02:05'],
    [-61, '-1:01'],
  ])('formatClock(%i) = %s', (s, want) => {
    expect(formatClock(s)).toBe(want);
  });

  it('exam seconds left, only while the exam runs', () => {
    const now = Date.parse('2026-01-01T00:05:00Z');
    expect(examSecondsLeft(lab({}, 'practice'), now)).toBeUndefined();
    expect(examSecondsLeft(lab({ exam: { deadline: '2026-01-01T00:10:00Z' } }, 'exam'), now)).toBe(300);
    expect(examSecondsLeft(lab({ exam: { deadline: '2026-01-01T00:04:00Z' } }, 'exam'), now)).toBe(-60);
    expect(examSecondsLeft(lab({ exam: { deadline: '2026-01-01T00:10:00Z', finishedAt: '2026-01-01T00:06:00Z' } }, 'exam'), now)).toBeUndefined();
  });

  it('rebuilds the score page of a finished exam from saved progress', () => {
    expect(reportFromView(lab({ exam: { deadline: '2026-01-01T00:10:00Z' } }, 'exam'))).toBeUndefined();
    const v = lab({ exam: { deadline: '2026-01-01T00:10:00Z', finishedAt: '2026-01-01T00:11:00Z' } }, 'exam');
    v.progress.steps['wide']!.lastChecks = [res('wide', 'c', false, 2)];
    expect(reportFromView(v)).toEqual({
      labId: '02-pods', score: 3, maxScore: 5, percent: 60, finishedAt: '2026-01-01T00:11:00Z', overtime: true,
      steps: [
        { stepId: 'run', passed: true, score: 3, maxScore: 3, checks: v.progress.steps['run']!.lastChecks },
        { stepId: 'wide', passed: false, score: 0, maxScore: 2, checks: [res('wide', 'c', false, 2)] },
      ],
    });
  });

  it('percent of an empty lab is 0', () => {
    expect(percent(0, 0)).toBe(0);
    expect(percent(1, 3)).toBe(33);
  });
});
