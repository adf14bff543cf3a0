// Per-user lab progress in <dataDir>/progress.json (lowdb): where each learner is in each lab,
// what they revealed, scores, and exam results, so the app resumes where they left off.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { CheckResult } from './types.js';

export type Mode = 'practice' | 'exam';

export interface StepProgress {
  status: 'pending' | 'passed' | 'skipped';
  score: number;
  maxScore: number;
  hintsRevealed: number;
  solutionShown: boolean;
  attempts: number;
  /** the last check's per-check results, reasons included */
  lastChecks?: CheckResult[];
}

export interface LabProgress {
  labId: string;
  mode: Mode;
  startedAt: string;
  /** index of the step the learner is on; steps.length when done */
  currentStep: number;
  steps: Record<string, StepProgress>;
  completedAt?: string;
  score: number;
  maxScore: number;
  exam?: { deadline: string; finishedAt?: string };
}

interface UserData {
  activeLab?: string;
  labs: Record<string, LabProgress>;
}

interface Data {
  version: 1;
  users: Record<string, UserData>;
}

export class ProgressStore {
  private constructor(private db: Low<Data>) {}

  static async open(dataDir: string): Promise<ProgressStore> {
    await fsp.mkdir(dataDir, { recursive: true });
    const db = new Low<Data>(new JSONFile<Data>(path.join(dataDir, 'progress.json')), { version: 1, users: {} });
    await db.read();
    db.data ??= { version: 1, users: {} };
    db.data.users ??= {};
    return new ProgressStore(db);
  }

  private user(user: string): UserData {
    return (this.db.data.users[user] ??= { labs: {} });
  }

  get(user: string, labId: string): LabProgress | undefined {
    const p = this.user(user).labs[labId];
    return p ? structuredClone(p) : undefined;
  }

  all(user: string): Record<string, LabProgress> {
    return structuredClone(this.user(user).labs);
  }

  activeLab(user: string): string | undefined {
    return this.user(user).activeLab;
  }

  async put(user: string, p: LabProgress, active = true): Promise<void> {
    const u = this.user(user);
    u.labs[p.labId] = structuredClone(p);
    if (active) u.activeLab = p.labId;
    await this.db.write();
  }

  async remove(user: string, labId: string): Promise<void> {
    const u = this.user(user);
    delete u.labs[labId];
    if (u.activeLab === labId) delete u.activeLab;
    await this.db.write();
  }
}
