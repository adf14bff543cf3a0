// @ts-check
// `npm run web`: starts main/web/cli.ts (same arguments) from its prebuilt bundle, rebuilt first
// when any source changed (scripts/web-bundle.mjs), and tells it to run the engine from the
// engine's bundle too. When the bundles cannot be built it runs the TypeScript sources through
// tsx, in this same process, as `tsx main/web/cli.ts` would.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBundles } from './web-bundle.mjs';

const root = path.resolve(import.meta.dirname, '..');
const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);

const wantsHelp = process.argv.slice(2).some((a) => a === '--help' || a === '-h');
const bundles = wantsHelp ? undefined : await ensureBundles(root, log);
if (bundles) {
  process.env['KUBELAB_WEB_ENGINE'] = bundles.engine;
  await import(pathToFileURL(bundles.host).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'main/web/cli.ts')).href);
}
