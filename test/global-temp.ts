// Vitest global setup: E2E helpers create data dirs and kubectl caches under the OS temp dir, and
// the worker processes that made them are stopped without running exit handlers. Each helper
// records its dirs in one list file named by KUBELAB_TEMP_LIST; they are removed after the run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-temp-list-'));
  const list = path.join(dir, 'dirs');
  process.env.KUBELAB_TEMP_LIST = list;
  return () => {
    let dirs: string[] = [];
    try {
      dirs = readFileSync(list, 'utf8').split('\n').filter(Boolean);
    } catch {
      // nothing was recorded
    }
    for (const d of [...dirs, dir]) rmSync(d, { recursive: true, force: true });
  };
}
