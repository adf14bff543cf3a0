// How to run the engine as its own process from source: node itself with tsx as the ESM loader,
// so the process we hold IS the engine (a `tsx` wrapper would forward SIGTERM but not SIGKILL,
// leaving an orphaned engine holding the data dir).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENGINE_NODE_FLAGS } from './node-flags.js';

export const ENGINE_CLI = path.join(import.meta.dirname, 'cli.ts');

export function engineCommand(args: string[]): { command: string; args: string[] } {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { command: process.execPath, args: [...ENGINE_NODE_FLAGS, '--import', tsx, ENGINE_CLI, ...args] };
}
