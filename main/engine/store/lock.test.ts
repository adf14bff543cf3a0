import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from './lock.js';

describe('data dir lock', () => {
  it('refuses a second engine while the first lives, and is released on stop', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-lock-'));
    // a live process that is not us holds it
    writeFileSync(path.join(dir, 'engine.lock'), String(process.ppid));
    await expect(lockDataDir(dir)).rejects.toThrow(`another KubeLab engine (pid ${process.ppid}) is using the data dir ${dir}; stop it first`);
  });

  it('takes over a lock left by a process that is gone (kill -9)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    writeFileSync(path.join(dir, 'engine.lock'), String(dead));
    const release = await lockDataDir(dir);
    await release();
    expect(existsSync(path.join(dir, 'engine.lock'))).toBe(false);
  });
});
