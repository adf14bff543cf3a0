// `npm run web`: the whole app in a browser. Starts the app host (engine process, terminals,
// bridge) and a loopback HTTP server for the built renderer; prints the URL with its one-time
// token once the cluster is ready. SIGINT/SIGTERM close terminals, let the engine save, exit 0.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { nodeEngineLauncher, type EngineLauncher } from '../host/engine.js';
import { dataLayout, defaultAppDataDir } from '../host/paths.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** set by scripts/web.mjs: the engine's prebuilt bundle (the same sources, checked current) */
const ENGINE_ENTRY_ENV = 'KUBELAB_WEB_ENGINE';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      'skip-build': { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: npm run web -- [--port N (0 = any free port)] [--data-dir D] [--skip-build] [--verbose]');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);
  const dataDir = path.resolve(values['data-dir'] ?? defaultAppDataDir());
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const err = (s: string) => process.stderr.write(`${s}\n`);

  const launchEngine = prelaunchedEngine(dataDir);
  // the host and its dependencies take about a second to load: the engine boots meanwhile
  const { attachWsBridge, newToken } = await import('../bridge/ws-server.js');
  const { createHost } = await import('../host/host.js');
  const { buildRenderer, rendererStaleness } = await import('./build.js');
  const { startStaticServer } = await import('./static.js');

  const host = await createHost({ dataDir, mode: 'web', version, launchEngine, ...(values.verbose ? { log: (l: string) => err(`[engine] ${l}`) } : {}) });
  host.engine.onStatus((s) => {
    if (s.message) err(`kubelab: ${s.message}`);
  });
  // the engine boots while the renderer is checked (and, rarely, rebuilt)
  const ready = host.start();

  const outDir = path.join(ROOT, 'out/renderer');
  const stale = values['skip-build'] ? undefined : rendererStaleness(ROOT, outDir);
  if (stale) {
    err(`kubelab: ${stale}; building it (npm run build)…`);
    if (!(await buildRenderer(ROOT, err))) {
      // serving an older build would show code that no longer matches the sources: refuse instead
      err('kubelab: the renderer build failed (see above); fix it, or start with --skip-build to serve the previous build');
      await host.stop();
      process.exit(1);
    }
  }

  const token = newToken();
  const web = await startStaticServer({ root: outDir, port, missingMessage: 'The KubeLab renderer is not built. Run `npm run build`, then restart `npm run web`.' });
  const bridge = attachWsBridge({ server: web.server, handlers: host.handlers, token, allowedOrigins: () => [web.origin, `http://localhost:${web.port}`] });

  // whatever ends this process (an uncaught error included), the engine must not outlive it
  process.on('exit', () => host.engine.killNow());
  // a closed terminal or pipe must not crash the app mid-shutdown
  for (const s of [process.stdout, process.stderr]) s.on('error', () => undefined);

  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    err(`${sig}: stopping, saving cluster state...`);
    await bridge.close();
    await web.close();
    const code = await host.stop();
    err(`KubeLab stopped (cluster engine exit code ${code}).`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const status = await ready;
  if (stopping) return;
  if (status.state !== 'ready') {
    err(`kubelab: the cluster did not start: ${status.message ?? status.state}`);
    await bridge.close();
    await web.close();
    await host.stop();
    process.exit(1);
  }
  console.log(`KubeLab web UI: ${web.origin}/?token=${token}`);
  console.log(`kubeconfig: ${status.kubeconfigPath}`);
}

/**
 * Start the engine now, with the arguments the host's engine manager will ask for; its first launch
 * takes this process over (its output waits, buffered, until the manager reads it). Any other
 * launch (different arguments, a restart after a crash) spawns normally.
 */
function prelaunchedEngine(dataDir: string): EngineLauncher {
  // scripts/web.mjs names the engine's prebuilt bundle; without it the engine runs from source
  const entry = process.env[ENGINE_ENTRY_ENV];
  const base = entry ? nodeEngineLauncher(entry) : nodeEngineLauncher();
  const layout = dataLayout(dataDir);
  const args = ['--port', '0', '--data-dir', layout.cluster, '--kubeconfig', layout.kubeconfig];
  let early: ReturnType<EngineLauncher> | undefined = base(args);
  process.on('exit', () => early?.kill(true));
  return (wanted) => {
    const ready = early;
    early = undefined;
    if (ready && JSON.stringify(wanted) === JSON.stringify(args)) return ready;
    ready?.kill(true);
    return base(wanted);
  };
}

main().catch((e) => {
  console.error(`kubelab: ${(e as Error).message}`);
  process.exit(1);
});
