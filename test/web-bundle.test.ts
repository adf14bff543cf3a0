// scripts/web-bundle.mjs: the prebuilt JavaScript `npm run web` starts from must never be stale.
// A tiny stand-in repository (three entry points, the real node_modules linked in) is bundled,
// run, then edited: every kind of change must be noticed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundles, bundleDir, bundleStaleness, rewriteImportMeta } from '../scripts/web-bundle.mjs';

const REPO = path.resolve(import.meta.dirname, '..');

describe('rewriteImportMeta', () => {
  const out = path.join('/r', 'node_modules', '.cache', 'kubelab-web');
  const file = path.join('/r', 'main', 'web', 'cli.ts');
  const url = 'new URL("../../../main/web/cli.ts", import.meta.url)';
  it.each([
    ['no import.meta', 'const a = 1;', 'const a = 1;'],
    ['url', 'f(import.meta.url)', `f(${url}.href)`],
    ['dirname', 'x = import.meta.dirname;', `x = __kubelabDirname(__kubelabFileURLToPath(${url}));`],
    ['filename', 'import.meta.filename', `__kubelabFileURLToPath(${url})`],
    ['several', 'import.meta.url + import.meta.url', `${url}.href + ${url}.href`],
    ['other properties untouched', 'import.meta.resolve("x")', 'import.meta.resolve("x")'],
  ])('%s', (_name, src, want) => {
    expect(rewriteImportMeta(src, file, out)).toBe(want);
  });

  it('escapes what a URL path cannot hold', () => {
    expect(rewriteImportMeta('import.meta.url', path.join('/r', 'my #1 dir', 'a.ts'), path.join('/r', 'out'))).toBe('new URL("../my%20%231%20dir/a.ts", import.meta.url).href');
  });
});

describe('buildBundles + bundleStaleness on a stand-in repository', () => {
  let root: string;
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  // not bundleDir(root): node_modules here is a link to the real one, whose bundles must stay
  const run = () => execFileSync(process.execPath, [path.join(root, 'cache', 'host.mjs')], { encoding: 'utf8' }).trim();

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'kubelab-bundle-'));
    write('package.json', '{ "type": "module" }');
    // esbuild and the packages come from the real install ('junction' matters on Windows only)
    symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'junction');
    write('main/web/where.ts', 'export const here: string = import.meta.dirname;\n');
    write('main/web/cli.ts', "import { here } from './where.js';\nconst r = await import('../labs/runner.js');\nconsole.log(JSON.stringify({ here, runner: r.name }));\n");
    write('main/labs/runner.ts', "export const name: string = 'runner v1';\n");
    write('main/engine/cli.ts', 'export const engine = 1;\n');
  }, 60_000);

  afterAll(() => {
    // the link first, so nothing below it is touched
    rmSync(path.join(root, 'node_modules'), { force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it("bundleDir is inside the repository's node_modules", () => {
    expect(bundleDir('/r')).toBe(path.join('/r', 'node_modules', '.cache', 'kubelab-web'));
  });

  it('bundles, runs with source-relative paths, keeps the labs runner separate, and notices every change', async () => {
    const dir = path.join(root, 'cache');
    expect(bundleStaleness(root, dir)).toBe('the web bundles have not been built yet');
    expect(await buildBundles(root, dir)).toBe(true);
    expect(bundleStaleness(root, dir)).toBeUndefined();
    expect(JSON.parse(run())).toEqual({ here: path.join(root, 'main', 'web'), runner: 'runner v1' });
    expect(readFileSync(path.join(dir, 'host.mjs'), 'utf8')).toContain('import("./labs-runner.mjs")');

    // an edit (new size and mtime)
    write('main/labs/runner.ts', "export const name: string = 'runner v2, edited';\n");
    expect(bundleStaleness(root, dir)).toBe('main/labs/runner.ts changed');
    expect(await buildBundles(root, dir)).toBe(true);
    expect(bundleStaleness(root, dir)).toBeUndefined();
    expect(JSON.parse(run()).runner).toBe('runner v2, edited');

    // same size, other mtime (e.g. a one-character fix)
    utimesSync(path.join(root, 'main/web/where.ts'), new Date(), new Date(Date.now() - 60_000));
    expect(bundleStaleness(root, dir)).toBe('main/web/where.ts changed');
    await buildBundles(root, dir);

    // an input removed, and a bundle removed
    rmSync(path.join(root, 'main/web/where.ts'));
    expect(bundleStaleness(root, dir)).toBe('main/web/where.ts is gone');
    write('main/web/where.ts', 'export const here: string = import.meta.dirname;\n');
    await buildBundles(root, dir);
    rmSync(path.join(dir, 'engine.mjs'));
    expect(bundleStaleness(root, dir)).toBe('engine.mjs is missing');
    await buildBundles(root, dir);

    // a manifest from another Node.js or another version of the builder
    const manifest = path.join(dir, 'manifest.json');
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { node: string; builder: string };
    writeFileSync(manifest, JSON.stringify({ ...m, node: 'v0.0.0' }));
    expect(bundleStaleness(root, dir)).toBe('Node.js changed');
    writeFileSync(manifest, JSON.stringify({ ...m, builder: 'older' }));
    expect(bundleStaleness(root, dir)).toBe('the bundler script changed');
  }, 60_000);
});
