// `npm run cluster`: the engine alone, headless. Prints the ready line and kubeconfig path, runs
// until SIGINT/SIGTERM, then flushes state and exits 0.
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Cluster } from './cluster.js';

export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'KubeLab', 'cluster');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'KubeLab', 'cluster');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'KubeLab', 'cluster');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '6443' },
      'data-dir': { type: 'string' },
      kubeconfig: { type: 'string' },
      nodes: { type: 'string', default: '2' },
      speed: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: npm run cluster -- [--port N] [--data-dir D] [--kubeconfig F] [--nodes N] [--speed X]');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const workers = Number(values.nodes);
  const speed = Number(values.speed);
  const cluster = await Cluster.start({ dataDir, port, workers, speed, kubeconfigPath: values.kubeconfig ? path.resolve(values.kubeconfig) : undefined });
  await cluster.nodesReady();
  console.log(`KubeLab cluster ready at ${cluster.url}`);
  console.log(`kubeconfig: ${cluster.kubeconfigPath}`);
  console.log(`Try: KUBECONFIG=${cluster.kubeconfigPath} kubectl get namespaces`);
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${sig}: stopping, saving cluster state...`);
    await cluster.stop();
    console.log('KubeLab cluster stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  console.error(`kubelab: ${(e as Error).message}`);
  process.exit(1);
});
