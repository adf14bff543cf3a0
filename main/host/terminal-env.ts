// What a lab terminal runs: which shell, in which folder, with which environment. The environment
// is built from an allowlist so nothing from the user's own Kubernetes setup (KUBECONFIG, kubectl
// plugins' KUBECTL_* settings, cloud credentials) leaks into the lab: kubectl there can only ever
// reach the simulated cluster.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DataLayout } from './paths.js';
import { isExecutableFile, resolveKubectl, type KubectlResolveOptions, type ResolvedKubectl } from './kubectl.js';

const ALLOWED = ['HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'COLORTERM', 'SHELL', 'PATH', 'TMPDIR', 'TEMP', 'TMP', 'XDG_RUNTIME_DIR', 'DISPLAY', 'WAYLAND_DISPLAY'];
// Windows needs these for PowerShell and most programs to start at all
const ALLOWED_WIN32 = ['USERPROFILE', 'USERNAME', 'USERDOMAIN', 'HOMEDRIVE', 'HOMEPATH', 'APPDATA', 'LOCALAPPDATA', 'PROGRAMDATA', 'PROGRAMFILES', 'PROGRAMFILES(X86)', 'SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'PATHEXT', 'PSMODULEPATH', 'NUMBER_OF_PROCESSORS', 'PROCESSOR_ARCHITECTURE', 'OS'];
const ALLOWED_PREFIXES = ['LC_'];

export type ShellKind = 'bash' | 'zsh' | 'sh' | 'powershell';
export interface ShellChoice {
  file: string;
  kind: ShellKind;
}

export interface TerminalLaunch {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** shown before the shell's own output (e.g. how to install kubectl) */
  banner?: string;
}

function findOnPath(name: string, pathVar: string, platform: NodeJS.Platform, ok: (f: string) => boolean): string | undefined {
  const p = platform === 'win32' ? path.win32 : path.posix;
  for (const dir of pathVar.split(platform === 'win32' ? ';' : ':')) {
    if (!dir) continue;
    const f = p.join(dir, name);
    if (ok(f)) return f;
  }
  return undefined;
}

export function pickShell(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, ok: (f: string) => boolean = isExecutableFile): ShellChoice {
  const pathVar = env['PATH'] ?? env['Path'] ?? '';
  if (platform === 'win32') {
    const pwsh = findOnPath('pwsh.exe', pathVar, platform, ok);
    return { file: pwsh ?? 'powershell.exe', kind: 'powershell' };
  }
  const userShell = env['SHELL'];
  if (userShell) {
    const base = path.posix.basename(userShell);
    if ((base === 'bash' || base === 'zsh') && ok(userShell)) return { file: userShell, kind: base };
  }
  const bash = ['/bin/bash', '/usr/bin/bash'].find(ok) ?? findOnPath('bash', pathVar, platform, ok);
  if (bash) return { file: bash, kind: 'bash' };
  return { file: '/bin/sh', kind: 'sh' };
}

export function pickEditor(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, ok: (f: string) => boolean = isExecutableFile): string {
  if (platform === 'win32') return 'notepad';
  const pathVar = env['PATH'] ?? '';
  for (const e of ['vim', 'nano']) if (findOnPath(e, pathVar, platform, ok)) return e;
  return 'vi';
}

export interface TerminalEnvOptions {
  userEnv: NodeJS.ProcessEnv;
  layout: DataLayout;
  kubectl: ResolvedKubectl | undefined;
  editor: string;
  platform?: NodeJS.Platform;
}

export function buildTerminalEnv(o: TerminalEnvOptions): Record<string, string> {
  const platform = o.platform ?? process.platform;
  const allowed = new Set(platform === 'win32' ? [...ALLOWED, ...ALLOWED_WIN32] : ALLOWED);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.userEnv)) {
    if (v === undefined) continue;
    // Windows variable names are case-insensitive (Path vs PATH)
    const key = platform === 'win32' ? k.toUpperCase() : k;
    if (allowed.has(key) || ALLOWED_PREFIXES.some((p) => key.startsWith(p))) env[platform === 'win32' ? key : k] = v;
  }
  env['TERM'] = 'xterm-256color';
  env['COLORTERM'] ??= 'truecolor';
  env['KUBECONFIG'] = o.layout.kubeconfig;
  env['KUBECACHEDIR'] = o.layout.kubeCache;
  env['EDITOR'] = o.editor;
  const sep = platform === 'win32' ? ';' : ':';
  const basePath = env['PATH'] ?? (platform === 'win32' ? '' : '/usr/local/bin:/usr/bin:/bin');
  if (o.kubectl) {
    const dir = (platform === 'win32' ? path.win32 : path.posix).dirname(o.kubectl.path);
    env['PATH'] = [dir, ...basePath.split(sep).filter((d) => d && d !== dir)].join(sep);
  } else {
    env['PATH'] = basePath;
  }
  return env;
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Lines the generated rc files run after the user's own rc: that rc may point KUBECONFIG at a
 * real cluster or put another kubectl first on PATH, so the lab's values are asserted again.
 */
function reassert(env: Record<string, string>): string {
  return [
    `export KUBECONFIG=${sq(env['KUBECONFIG']!)}`,
    `export KUBECACHEDIR=${sq(env['KUBECACHEDIR']!)}`,
    `export EDITOR=${sq(env['EDITOR']!)}`,
    `export PATH=${sq(env['PATH']!)}`,
    'for __kl_v in $(env | sed -n "s/^\\(KUBECTL_[A-Za-z0-9_]*\\)=.*/\\1/p"); do unset "$__kl_v"; done; unset __kl_v',
    'alias k=kubectl',
  ].join('\n');
}

/** A stable name for the cached `kubectl completion` output of this kubectl binary. */
function completionCacheFile(dir: string, shell: 'bash' | 'zsh', kubectl: ResolvedKubectl | undefined): string | undefined {
  if (!kubectl) return undefined;
  let stamp = kubectl.path;
  try {
    const st = statSync(kubectl.path);
    stamp += `:${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  return path.join(dir, `kubectl-completion-${createHash('sha256').update(stamp).digest('hex').slice(0, 12)}.${shell}`);
}

export function bashRc(env: Record<string, string>, completionFile: string | undefined, histFile: string): string {
  // Generating completion costs a kubectl exec (tens of ms) on every prompt start, so it is cached
  // per kubectl binary; a missing kubectl or failed generation just means no completion.
  const completion = completionFile
    ? [
        `if [ ! -s ${sq(completionFile)} ]; then kubectl completion bash > ${sq(completionFile)}.tmp 2>/dev/null && mv -f ${sq(completionFile)}.tmp ${sq(completionFile)}; fi`,
        `[ -s ${sq(completionFile)} ] && . ${sq(completionFile)} 2>/dev/null`,
        'if declare -F __start_kubectl >/dev/null 2>&1; then complete -o default -F __start_kubectl k; fi',
      ].join('\n')
    : '';
  return [
    '# Written by KubeLab for its lab terminals on every start; edits here are lost.',
    '[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"',
    reassert(env),
    `HISTFILE=${sq(histFile)}`,
    completion,
    "PS1='controlplane:\\W\\$ '",
    '',
  ].join('\n');
}

export function zshRc(env: Record<string, string>, completionFile: string | undefined, histFile: string): string {
  const completion = completionFile
    ? [
        `if [ ! -s ${sq(completionFile)} ]; then kubectl completion zsh > ${sq(completionFile)}.tmp 2>/dev/null && mv -f ${sq(completionFile)}.tmp ${sq(completionFile)}; fi`,
        `if (( $+functions[compdef] )) && [ -s ${sq(completionFile)} ]; then . ${sq(completionFile)} 2>/dev/null; fi`,
      ].join('\n')
    : '';
  return [
    '# Written by KubeLab for its lab terminals on every start; edits here are lost.',
    '[ -f "$HOME/.zshrc" ] && . "$HOME/.zshrc"',
    reassert(env),
    `HISTFILE=${sq(histFile)}`,
    completion,
    "PROMPT='controlplane:%1~$ '",
    '',
  ].join('\n');
}

export interface LaunchOptions extends KubectlResolveOptions {
  layout: DataLayout;
  userEnv?: NodeJS.ProcessEnv;
  missingKubectlBanner?: (platform: NodeJS.Platform) => string;
}

/** Decides shell, env and rc files for a new terminal (writes the rc files and folders). */
export function prepareTerminalLaunch(o: LaunchOptions): TerminalLaunch {
  const platform = o.platform ?? process.platform;
  const userEnv = o.userEnv ?? process.env;
  const kubectl = resolveKubectl({ ...o, env: userEnv, platform });
  const env = buildTerminalEnv({ userEnv, layout: o.layout, kubectl, editor: pickEditor(userEnv, platform), platform });
  for (const d of [o.layout.workspace, o.layout.shell, o.layout.kubeCache]) mkdirSync(d, { recursive: true });
  const shell = pickShell(userEnv, platform);
  // programs that shell out (vim's :!, kubectl edit) should get the shell the terminal runs
  if (platform !== 'win32') env['SHELL'] = shell.file;
  const banner = kubectl ? undefined : o.missingKubectlBanner?.(platform);
  const base = { cwd: o.layout.workspace, env, ...(banner ? { banner } : {}) };
  const hist = path.join(o.layout.shell, `${shell.kind}_history`);
  switch (shell.kind) {
    case 'bash': {
      const rc = path.join(o.layout.shell, 'bashrc');
      writeFileSync(rc, bashRc(env, completionCacheFile(o.layout.shell, 'bash', kubectl), hist));
      return { ...base, file: shell.file, args: ['--rcfile', rc, '-i'] };
    }
    case 'zsh': {
      const zdot = path.join(o.layout.shell, 'zsh');
      mkdirSync(zdot, { recursive: true });
      writeFileSync(path.join(zdot, '.zshrc'), zshRc(env, completionCacheFile(o.layout.shell, 'zsh', kubectl), hist));
      return { ...base, env: { ...env, ZDOTDIR: zdot }, file: shell.file, args: ['-i'] };
    }
    case 'powershell':
      return { ...base, file: shell.file, args: ['-NoLogo', '-NoExit', '-Command', 'Set-Alias -Name k -Value kubectl; function prompt { "controlplane $(Split-Path -Leaf (Get-Location))> " }'] };
    default:
      return { ...base, env: { ...env, PS1: 'controlplane:$ ' }, file: shell.file, args: ['-i'] };
  }
}

/**
 * Generates the cached kubectl completion script ahead of the first terminal (while the engine
 * boots), so the first prompt does not wait for a kubectl exec. Best effort: errors are ignored.
 */
export function warmTerminal(o: LaunchOptions): Promise<void> {
  const platform = o.platform ?? process.platform;
  const userEnv = o.userEnv ?? process.env;
  if (platform === 'win32') return Promise.resolve();
  const shell = pickShell(userEnv, platform);
  if (shell.kind !== 'bash' && shell.kind !== 'zsh') return Promise.resolve();
  const kubectl = resolveKubectl({ ...o, env: userEnv, platform });
  const file = completionCacheFile(o.layout.shell, shell.kind, kubectl);
  if (!kubectl || !file || existsSync(file)) return Promise.resolve();
  return new Promise((resolve) => {
    execFile(kubectl.path, ['completion', shell.kind], { maxBuffer: 16 * 1024 * 1024, timeout: 10_000 }, (err, stdout) => {
      if (!err && stdout) {
        try {
          mkdirSync(o.layout.shell, { recursive: true });
          writeFileSync(`${file}.warm`, stdout);
          renameSync(`${file}.warm`, file);
        } catch {
          /* the shell will generate it itself */
        }
      }
      resolve();
    });
  });
}

