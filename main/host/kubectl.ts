// Which kubectl the terminals use: the one bundled with the packaged app, else KUBELAB_KUBECTL,
// else the first on PATH. Pure apart from the injectable file check, so the order is testable.
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

export interface KubectlResolveOptions {
  /** process.resourcesPath of the packaged app; absent in web mode and `electron-vite dev` */
  resourcesPath?: string;
  platform?: NodeJS.Platform;
  arch?: string;
  env?: NodeJS.ProcessEnv;
  /** true when `file` is an executable regular file; injectable for tests */
  isExecutable?: (file: string) => boolean;
}

export interface ResolvedKubectl {
  path: string;
  source: 'bundled' | 'env' | 'path';
}

export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function kubectlExeName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'kubectl.exe' : 'kubectl';
}

/** `<resources>/kubectl/<platform>-<arch>/kubectl[.exe]`, the layout scripts/fetch-kubectl.ts writes. */
export function bundledKubectlPath(resourcesPath: string, platform: NodeJS.Platform, arch: string): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  return p.join(resourcesPath, 'kubectl', `${platform}-${arch}`, kubectlExeName(platform));
}

export function resolveKubectl(opts: KubectlResolveOptions = {}): ResolvedKubectl | undefined {
  const platform = opts.platform ?? process.platform;
  const arch = opts.arch ?? process.arch;
  const env = opts.env ?? process.env;
  const ok = opts.isExecutable ?? isExecutableFile;
  const p = platform === 'win32' ? path.win32 : path.posix;

  if (opts.resourcesPath) {
    const bundled = bundledKubectlPath(opts.resourcesPath, platform, arch);
    if (ok(bundled)) return { path: bundled, source: 'bundled' };
  }
  const fromEnv = env['KUBELAB_KUBECTL'];
  if (fromEnv && ok(fromEnv)) return { path: p.resolve(fromEnv), source: 'env' };
  const pathVar = (platform === 'win32' ? (env['Path'] ?? env['PATH']) : env['PATH']) ?? '';
  for (const dir of pathVar.split(platform === 'win32' ? ';' : ':')) {
    if (!dir) continue;
    const candidate = p.join(dir, kubectlExeName(platform));
    if (ok(candidate)) return { path: candidate, source: 'path' };
  }
  return undefined;
}

/** Printed in a new terminal when no kubectl was found. */
export function missingKubectlMessage(platform: NodeJS.Platform = process.platform): string {
  const nl = '\r\n';
  return (
    `\x1b[33mkubectl was not found.\x1b[0m KubeLab's cluster is driven by the real kubectl (v1.32 recommended).${nl}` +
    `Install it following https://kubernetes.io/docs/tasks/tools/ , or set KUBELAB_KUBECTL to its full path${nl}` +
    `and restart KubeLab.${platform === 'win32' ? '' : ' Then open a new terminal tab.'}${nl}${nl}`
  );
}
