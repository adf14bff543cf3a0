// Guards the architectural lint rules in eslint.config.js: the engine must stay pure Node with an
// injected clock. Lints in-memory snippets as if they lived at the given paths.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function ruleHits(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error('no lint result');
  // a fatal parse error would otherwise look like "no restricted rule fired"
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages.map((m) => m.ruleId ?? '');
}

const engineCases: Array<[string, string, string]> = [
  ['electron import', "import { app } from 'electron';\nexport const a = app;\n", 'no-restricted-imports'],
  ['electron subpath import', "import { app } from 'electron/main';\nexport const a = app;\n", 'no-restricted-imports'],
  ['node-pty import', "import pty from 'node-pty';\nexport const p = pty;\n", 'no-restricted-imports'],
  ['xterm import', "import { Terminal } from '@xterm/xterm';\nexport const t = Terminal;\n", 'no-restricted-imports'],
  ['renderer import', "import App from '../../renderer/src/App.svelte';\nexport const a = App;\n", 'no-restricted-imports'],
  ['dynamic electron import', "export const e = import('electron');\n", 'no-restricted-syntax'],
  ['document global', 'export const t = document.title;\n', 'no-restricted-globals'],
  ['window global', 'export const w = window.innerWidth;\n', 'no-restricted-globals'],
  ['localStorage global', "export const v = localStorage.getItem('k');\n", 'no-restricted-globals'],
  ['Date.now', 'export const t = Date.now();\n', 'no-restricted-properties'],
  ['global setTimeout', 'setTimeout(() => {}, 10);\n', 'no-restricted-globals'],
  ['global setInterval', 'setInterval(() => {}, 10);\n', 'no-restricted-globals'],
  ['globalThis.setTimeout', 'globalThis.setTimeout(() => {}, 10);\n', 'no-restricted-properties'],
  ['timers/promises import', "import { setTimeout as sleep } from 'node:timers/promises';\nawait sleep(1);\n", 'no-restricted-imports'],
];

describe('main/engine boundary', () => {
  it.each(engineCases)('reports %s in main/engine', async (_name, code, rule) => {
    expect(await ruleHits(code, 'main/engine/x.ts')).toContain(rule);
    expect(await ruleHits(code, 'main/engine/api/deep/x.ts')).toContain(rule);
  });

  it('explains why the engine may not import electron', async () => {
    const [result] = await eslint.lintText("import { app } from 'electron';\nexport const a = app;\n", {
      filePath: 'main/engine/x.ts',
    });
    expect(result?.messages[0]?.message).toMatch(/pure Node/);
  });

  it('says to inject the Clock for wall-clock use', async () => {
    const [result] = await eslint.lintText('export const t = Date.now();\n', { filePath: 'main/engine/x.ts' });
    expect(result?.messages[0]?.message).toMatch(/inject the Clock/);
  });

  it('lets clock.ts read and schedule on wall time, but not reach for the DOM or electron', async () => {
    const timeCode = 'export const t = Date.now();\nsetTimeout(() => {}, 1);\n';
    expect(await ruleHits(timeCode, 'main/engine/clock.ts')).toEqual([]);
    expect(await ruleHits('export const t = document.title;\n', 'main/engine/clock.ts')).toContain('no-restricted-globals');
    expect(await ruleHits("import { app } from 'electron';\nexport const a = app;\n", 'main/engine/clock.ts')).toContain(
      'no-restricted-imports',
    );
  });

  it('allows plain Node and pure engine code', async () => {
    const code = "import { createServer } from 'node:https';\nexport const s = createServer;\nexport const d = new Date(0);\n";
    expect(await ruleHits(code, 'main/engine/x.ts')).toEqual([]);
  });
});

describe('outside the engine', () => {
  it('allows electron in main/electron', async () => {
    expect(await ruleHits("import { app } from 'electron';\nexport const a = app;\n", 'main/electron/x.ts')).toEqual([]);
  });

  it('allows timers and Date.now in main/electron', async () => {
    expect(await ruleHits('export const t = Date.now();\nsetTimeout(() => {}, 1);\n', 'main/electron/x.ts')).toEqual([]);
  });
});
