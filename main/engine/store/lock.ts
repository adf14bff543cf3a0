// One engine per data dir: two engines writing the same cluster file would each lose the other's
// writes. The lock holds the owner's pid; a lock left by a process that no longer exists (a crash,
// kill -9) is taken over.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'engine.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fsp.writeFile(file, String(process.pid), { flag: 'wx' });
      return async () => {
        await fsp.rm(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await fsp.readFile(file, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new Error(`another KubeLab engine (pid ${pid}) is using the data dir ${dataDir}; stop it first`);
      }
      await fsp.rm(file, { force: true });
    }
  }
  throw new Error(`could not lock the data dir ${dataDir}`);
}
