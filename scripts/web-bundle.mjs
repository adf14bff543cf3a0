// @ts-check
// Prebuilt JavaScript for `npm run web`: the web host (main/web/cli.ts and what it loads) and the
// engine (main/engine/cli.ts), each bundled by esbuild into one file under
// node_modules/.cache/kubelab-web/. Starting from these instead of compiling hundreds of
// TypeScript modules through tsx on every start saves about a second of CPU per process.
//
// A developer who edits a source file must get the edited code: every file esbuild read (sources
// and the packages bundled with them) is recorded with its mtime and size, and any difference, a
// missing file or a change to this script rebuilds before starting. Checking costs one stat per
// input (a few milliseconds); a rebuild costs about a second.
//
// Plain JavaScript on purpose: it runs before anything can compile TypeScript.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Entry points by output name, relative to the repository root. */
export const ENTRIES = { host: 'main/web/cli.ts', engine: 'main/engine/cli.ts', 'labs-runner': 'main/labs/runner.ts' };

// Modules the host imports lazily whose own dependencies must stay lazy too: each is its own
// bundle, imported at run time. (Inside a single bundle, esbuild hoists every static import of an
// external package to the top of the file, so the labs runner's @kubernetes/client-node would
// load at start.)
const SEPARATE = { 'main/labs/runner.ts': 'labs-runner' };

// Loaded on demand from node_modules instead of bundled: native (node-pty), or large and off the
// start path (client-node, imported lazily by the host for the cluster map and the labs).
const EXTERNAL = ['node-pty', '@kubernetes/client-node', 'electron'];

const SELF = fileURLToPath(import.meta.url);

/** @param {string} root */
export function bundleDir(root) {
  return path.join(root, 'node_modules', '.cache', 'kubelab-web');
}

/**
 * @typedef {{ mtimeMs: number, size: number }} Stamp
 * @typedef {{ builder: string, node: string, inputs: Record<string, Stamp> }} Manifest
 */

/** @param {string} file @returns {Stamp | undefined} */
function stamp(file) {
  try {
    const st = statSync(file);
    return { mtimeMs: st.mtimeMs, size: st.size };
  } catch {
    return undefined;
  }
}

/** Identifies this builder's own code, so changing how bundles are made invalidates them. */
function builderId() {
  return createHash('sha256').update(readFileSync(SELF)).digest('hex').slice(0, 16);
}

/**
 * Why the bundles in `dir` must be rebuilt, or undefined when they match their inputs.
 * @param {string} root @param {string} [dir]
 * @returns {string | undefined}
 */
export function bundleStaleness(root, dir = bundleDir(root)) {
  /** @type {Manifest} */
  let m;
  try {
    m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return 'the web bundles have not been built yet';
  }
  if (m.builder !== builderId()) return 'the bundler script changed';
  if (m.node !== process.version) return 'Node.js changed';
  for (const name of Object.keys(ENTRIES)) if (!stamp(path.join(dir, `${name}.mjs`))) return `${name}.mjs is missing`;
  for (const [rel, want] of Object.entries(m.inputs ?? {})) {
    const got = stamp(path.join(root, rel));
    if (!got) return `${rel} is gone`;
    if (got.mtimeMs !== want.mtimeMs || got.size !== want.size) return `${rel} changed`;
  }
  return undefined;
}

/**
 * Rewrites import.meta.url/dirname/filename to the values they have in the source file, so code
 * that finds files beside itself (the repository root, generated schemas, the labs folder) works
 * unchanged from a bundle that lives elsewhere. Relative to the bundle's own URL, so the
 * repository may be moved or cloned under any path.
 * @param {string} source the module's text @param {string} file its absolute path @param {string} outDir
 */
export function rewriteImportMeta(source, file, outDir) {
  if (!source.includes('import.meta')) return source;
  const rel = path.relative(outDir, file).split(path.sep).map(encodeURIComponent).join('/');
  const url = `new URL(${JSON.stringify(rel)}, import.meta.url)`;
  return source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_m, prop) => {
    if (prop === 'url') return `${url}.href`;
    if (prop === 'filename') return `__kubelabFileURLToPath(${url})`;
    return `__kubelabDirname(__kubelabFileURLToPath(${url}))`;
  });
}

// esbuild emits ESM; bundled CommonJS packages (and Node's `require` of built-ins inside them)
// need a real require, and the rewritten import.meta expressions need their helpers.
const BANNER = [
  "import { createRequire as __kubelabCreateRequire } from 'node:module';",
  "import { fileURLToPath as __kubelabFileURLToPath } from 'node:url';",
  "import { dirname as __kubelabDirname } from 'node:path';",
  'const require = __kubelabCreateRequire(import.meta.url);',
].join('\n');

/** esbuild from this repository's node_modules (a dependency of vite and tsx), or undefined. */
async function loadEsbuild(root) {
  try {
    const req = createRequire(path.join(root, 'package.json'));
    return await import(pathToFileURL(req.resolve('esbuild')).href);
  } catch {
    return undefined;
  }
}

/**
 * Builds the bundles into `dir` and writes the manifest last, so an interrupted build is
 * rebuilt next time. Resolves to false when esbuild is not available.
 * @param {string} root @param {string} [dir]
 * @returns {Promise<boolean>}
 */
export async function buildBundles(root, dir = bundleDir(root)) {
  const esbuild = await loadEsbuild(root);
  if (!esbuild) return false;
  // sub-millisecond, like file times: a file saved just before the build is not taken as saved during it
  const now = () => performance.timeOrigin + performance.now();
  const started = now();
  const tmp = path.join(dir, `tmp-${process.pid}-${Math.round(started)}`);
  mkdirSync(tmp, { recursive: true });
  removeAbandoned(dir, started);
  // from here until the new manifest is written, the bundles count as stale
  rmSync(path.join(dir, 'manifest.json'), { force: true });
  try {
    /** @type {{ name: string, setup: (b: any) => void }} */
    const importMeta = {
      name: 'kubelab-import-meta',
      setup(b) {
        b.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, (/** @type {{ path: string }} */ args) => {
          const text = readFileSync(args.path, 'utf8');
          if (!text.includes('import.meta')) return undefined;
          return { contents: rewriteImportMeta(text, args.path, dir), loader: /\.m?ts$/.test(args.path) ? 'ts' : 'js' };
        });
      },
    };
    /** @type {{ name: string, setup: (b: any) => void }} */
    const separate = {
      name: 'kubelab-separate-bundles',
      setup(b) {
        b.onResolve({ filter: /^\./ }, (/** @type {{ path: string, importer: string, kind: string }} */ args) => {
          if (args.kind === 'entry-point' || !args.importer) return undefined;
          const target = path.relative(root, path.resolve(path.dirname(args.importer), args.path)).split(path.sep).join('/').replace(/\.js$/, '.ts');
          const name = SEPARATE[/** @type {keyof typeof SEPARATE} */ (target)];
          return name ? { path: `./${name}.mjs`, external: true } : undefined;
        });
      },
    };
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: Object.entries(ENTRIES).map(([out, entry]) => ({ in: entry, out })),
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      external: EXTERNAL,
      banner: { js: BANNER },
      plugins: [separate, importMeta],
      metafile: true,
      logLevel: 'error',
      // with NODE_OPTIONS=--enable-source-maps, stack traces name the TypeScript files
      sourcemap: 'linked',
      legalComments: 'none',
    });
    for (const name of Object.keys(ENTRIES)) for (const f of [`${name}.mjs`, `${name}.mjs.map`]) renameSync(path.join(tmp, f), path.join(dir, f));
    /** @type {Record<string, Stamp>} */
    const inputs = {};
    const finished = now();
    // esbuild also reads these (compiler options, package type) without listing them as inputs
    const settings = ['package.json', 'tsconfig.json'].filter((f) => stamp(path.join(root, f)));
    for (const rel of [...Object.keys(result.metafile.inputs), ...settings]) {
      const s = stamp(path.join(root, rel));
      // edited while esbuild read it: this start uses the bundle as built, the next one rebuilds
      // (a file dated in the future, clock skew, is not that and is recorded as it is)
      if (!s || (s.mtimeMs >= started && s.mtimeMs <= finished)) return true;
      inputs[rel.split(path.sep).join('/')] = s;
    }
    /** @type {Manifest} */
    const manifest = { builder: builderId(), node: process.version, inputs };
    writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest));
    renameSync(path.join(tmp, 'manifest.json'), path.join(dir, 'manifest.json'));
    return true;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Work folders of builds killed midway (an hour old: no build takes that long). */
function removeAbandoned(/** @type {string} */ dir, /** @type {number} */ now) {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('tmp-')) continue;
    const s = stamp(path.join(dir, name));
    if (s && now - s.mtimeMs > 3_600_000) rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/**
 * The bundles' paths, (re)built first when stale; undefined when they cannot be built (no
 * esbuild, or a build error, which `log` reports), and the caller should run the sources instead.
 * @param {string} root @param {(s: string) => void} log
 * @returns {Promise<{ host: string, engine: string } | undefined>}
 */
export async function ensureBundles(root, log) {
  const dir = bundleDir(root);
  const paths = { host: path.join(dir, 'host.mjs'), engine: path.join(dir, 'engine.mjs') };
  const stale = bundleStaleness(root, dir);
  if (!stale) return paths;
  log(`kubelab: ${stale}; bundling the web app…`);
  try {
    if (!(await buildBundles(root, dir))) {
      log('kubelab: esbuild is not installed; running the TypeScript sources through tsx (slower start)');
      return undefined;
    }
  } catch (e) {
    log(`kubelab: bundling failed (${/** @type {Error} */ (e).message.split('\n')[0]}); running the TypeScript sources through tsx`);
    return undefined;
  }
  return paths;
}
