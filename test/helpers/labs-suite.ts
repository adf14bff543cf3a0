// Shared by the test/labs-*.test.ts files: every lab grades honestly on a live simulated cluster
// driven by the real kubectl. On a fresh cluster each step's checks fail before its commands and
// pass after them, for the solution and for an alternative solution written differently;
// near-misses fail with the expected reason. The catalog is split over several files so the
// test runner's workers prove labs in parallel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabsDir, loadAllLabs, type LoadedLab } from '../../main/labs/loader.js';
import { solveLab } from '../../main/labs/solve.js';
import { startCluster, tempDir, type RunningCluster } from './cluster.js';

const SPEED = ['--speed', '60'];
const LONG = 600_000;

export async function labCatalog() {
  return loadAllLabs(defaultLabsDir());
}

/** Prove every lab whose id starts with one of `prefixes` (e.g. ['01', '02']). */
export async function proveLabs(prefixes: string[]): Promise<void> {
  const { labs } = await labCatalog();
  const mine = labs.filter((l) => prefixes.some((p) => l.id.startsWith(p)));
  it('has the labs it should prove', () => {
    expect(mine.map((l) => l.id.slice(0, 2)).sort()).toEqual([...prefixes].sort());
  });
  describe.each(mine.map((l) => [l.id, l] as [string, LoadedLab]))('lab %s', (_id, lab) => {
    let cluster: RunningCluster;
    beforeAll(async () => {
      cluster = await startCluster({ extraArgs: SPEED });
    }, 120_000);
    afterAll(async () => {
      await cluster?.stop();
    });
    const solve = (only: 'solution' | 'alternatives' | 'nearMisses') =>
      solveLab(lab, { kubeconfig: cluster.kubeconfig, workspaceDir: tempDir(`kubelab-ws-${lab.id}-`), waitSeconds: 90, only: [only] });

    it('checks fail before each step and pass after the solution', async () => {
      const r = await solve('solution');
      expect(r.problems).toEqual([]);
    }, LONG);

    it('an alternative solution written differently passes too', async () => {
      const r = await solve('alternatives');
      expect(r.problems).toEqual([]);
    }, LONG);

    it('near-misses fail with the expected reason', async () => {
      const r = await solve('nearMisses');
      expect(r.problems).toEqual([]);
    }, LONG);
  });
}
