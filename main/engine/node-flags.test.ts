import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineCommand } from './launch.js';
import { ENGINE_NODE_FLAGS } from './node-flags.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('ENGINE_NODE_FLAGS', () => {
  it('are flags this Node accepts (a misspelt one makes node refuse to start)', () => {
    const r = spawnSync(process.execPath, [...ENGINE_NODE_FLAGS, '-e', "console.log(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)"], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // the young generation starts at the configured size instead of growing to it
    expect(Number(r.stdout.trim())).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  });

  it.each([
    ['npm run cluster', () => (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.cluster!.split(' ')],
    ['engineCommand (tests, lab runner)', () => engineCommand([]).args],
  ])('%s passes them to the engine', (_name, argv) => {
    for (const f of ENGINE_NODE_FLAGS) expect(argv()).toContain(f);
  });
});
