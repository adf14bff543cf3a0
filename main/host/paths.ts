// Where the app keeps its state. One data dir per user, shared by the desktop app and `npm run web`
// (the same place Electron's userData would be for productName KubeLab), laid out as below.
import * as os from 'node:os';
import * as path from 'node:path';

export function defaultAppDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (platform === 'win32') return path.win32.join(env['APPDATA'] ?? path.win32.join(home, 'AppData', 'Roaming'), 'KubeLab');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'KubeLab');
  return path.posix.join(env['XDG_CONFIG_HOME'] ?? path.posix.join(home, '.config'), 'KubeLab');
}

export interface DataLayout {
  root: string;
  /** the engine's --data-dir (state, PKI); the same as `npm run cluster`'s default */
  cluster: string;
  /** written by the engine; the only kubeconfig terminals ever see */
  kubeconfig: string;
  /** the terminals' working directory */
  workspace: string;
  settings: string;
  /** lab progress (progress.json of main/labs) */
  labProgress: string;
  /** generated shell rc files and history */
  shell: string;
  /** KUBECACHEDIR: kubectl's discovery cache, kept away from the user's ~/.kube/cache */
  kubeCache: string;
}

export function dataLayout(root: string): DataLayout {
  const cluster = path.join(root, 'cluster');
  return {
    root,
    cluster,
    kubeconfig: path.join(cluster, 'kubeconfig'),
    workspace: path.join(root, 'workspace'),
    settings: path.join(root, 'settings.json'),
    labProgress: path.join(root, 'labs-progress'),
    shell: path.join(root, 'shell'),
    kubeCache: path.join(root, 'kube-cache'),
  };
}
