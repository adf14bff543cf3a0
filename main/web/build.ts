// Browser mode serves the prebuilt renderer (out/renderer, made by `npm run build`, which
// `npm install` runs via `prepare`). If it is missing or older than the renderer sources (a
// developer edited them), it is rebuilt once before serving; that costs seconds, so normal
// starts never do it.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** Newest mtime of the files under `dir` (skipping node_modules and dot folders). */
export function newestMtime(dir: string): number {
  let newest = 0;
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

/** Why the built renderer must be (re)built, or undefined when it is current. */
export function rendererStaleness(root: string, outDir: string): string | undefined {
  const index = path.join(outDir, 'index.html');
  if (!existsSync(index)) return 'the renderer has not been built yet';
  const built = statSync(index).mtimeMs;
  const sources = Math.max(newestMtime(path.join(root, 'renderer')), newestMtime(path.join(root, 'main/bridge')));
  return sources > built ? 'the renderer sources changed since the last build' : undefined;
}

/** Runs `electron-vite build` (the same build the desktop app ships); resolves to success. */
export function buildRenderer(root: string, log: (s: string) => void): Promise<boolean> {
  const req = createRequire(path.join(root, 'package.json'));
  const pkgFile = req.resolve('electron-vite/package.json');
  const bin = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { bin: Record<string, string> | string }).bin;
  const rel = typeof bin === 'string' ? bin : (bin['electron-vite'] ?? Object.values(bin)[0]!);
  const cli = path.join(path.dirname(pkgFile), rel);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (d: Buffer) => log(String(d).trimEnd());
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}
