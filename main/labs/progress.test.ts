import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressStore, type LabProgress } from './progress.js';

const progress = (labId: string, over: Partial<LabProgress> = {}): LabProgress => ({
  labId, mode: 'practice', startedAt: '2026-01-01T00:00:00.000Z', currentStep: 1, score: 3, maxScore: 10,
  steps: { run: { status: 'passed', score: 3, maxScore: 3, hintsRevealed: 1, solutionShown: false, attempts: 2 }, wide: { status: 'pending', score: 0, maxScore: 7, hintsRevealed: 0, solutionShown: false, attempts: 0 } },
  ...over,
});

describe('ProgressStore', () => {
  it('persists per user in progress.json and resumes after reopening', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-progress-'));
    const a = await ProgressStore.open(dir);
    await a.put('alice', progress('02-pods'));
    await a.put('bob', progress('03-replicasets', { mode: 'exam', exam: { deadline: '2026-01-01T00:10:00.000Z' } }));
    const b = await ProgressStore.open(dir);
    expect(b.activeLab('alice')).toBe('02-pods');
    expect(b.get('alice', '02-pods')).toEqual(progress('02-pods'));
    expect(b.get('alice', '03-replicasets')).toBeUndefined();
    expect(b.get('bob', '03-replicasets')?.exam?.deadline).toBe('2026-01-01T00:10:00.000Z');
    expect(JSON.parse(readFileSync(path.join(dir, 'progress.json'), 'utf8')).version).toBe(1);
  });

  it('returns copies, so callers cannot change stored state without put', async () => {
    const s = await ProgressStore.open(mkdtempSync(path.join(tmpdir(), 'kubelab-progress-')));
    await s.put('u', progress('02-pods'));
    s.get('u', '02-pods')!.score = 99;
    expect(s.get('u', '02-pods')!.score).toBe(3);
  });

  it('remove forgets a lab and clears it as active', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-progress-'));
    const s = await ProgressStore.open(dir);
    await s.put('u', progress('02-pods'));
    await s.remove('u', '02-pods');
    const again = await ProgressStore.open(dir);
    expect(again.all('u')).toEqual({});
    expect(again.activeLab('u')).toBeUndefined();
  });
});
