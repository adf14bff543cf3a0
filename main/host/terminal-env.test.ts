import { describe, expect, it } from 'vitest';
import { dataLayout } from './paths.js';
import { bashRc, buildTerminalEnv, pickEditor, pickShell } from './terminal-env.js';

const layout = dataLayout('/data');

describe('buildTerminalEnv', () => {
  it('keeps only allowlisted variables and sets the lab ones', () => {
    const env = buildTerminalEnv({
      userEnv: { HOME: '/h', PATH: '/usr/bin:/opt/k', LC_ALL: 'C', KUBECONFIG: '/prod', KUBECTL_X: '1', GITHUB_TOKEN: 't', TERM: 'dumb' },
      layout,
      kubectl: { path: '/opt/k/kubectl', source: 'path' },
      editor: 'vim',
      platform: 'linux',
    });
    expect(env).toEqual({
      HOME: '/h',
      LC_ALL: 'C',
      PATH: '/opt/k:/usr/bin',
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      KUBECONFIG: '/data/cluster/kubeconfig',
      KUBECACHEDIR: '/data/kube-cache',
      EDITOR: 'vim',
    });
  });

  it('matches Windows names case-insensitively', () => {
    const env = buildTerminalEnv({ userEnv: { Path: 'C:\\Windows', SystemRoot: 'C:\\Windows', kubeconfig: 'x' }, layout, kubectl: { path: 'C:\\k\\kubectl.exe', source: 'bundled' }, editor: 'notepad', platform: 'win32' });
    expect(env['PATH']).toBe('C:\\k;C:\\Windows');
    expect(env['SYSTEMROOT']).toBe('C:\\Windows');
    expect(env['KUBECONFIG']).toBe('/data/cluster/kubeconfig');
  });
});

describe('shell and editor choice', () => {
  const has = (files: string[]) => (f: string) => files.includes(f);
  it.each([
    [{ SHELL: '/usr/bin/zsh' }, ['/usr/bin/zsh', '/bin/bash'], { file: '/usr/bin/zsh', kind: 'zsh' }],
    [{ SHELL: '/usr/bin/fish' }, ['/usr/bin/fish', '/bin/bash'], { file: '/bin/bash', kind: 'bash' }],
    [{ SHELL: '/bin/bash' }, [], { file: '/bin/sh', kind: 'sh' }],
    [{ PATH: '/opt/bin' }, ['/opt/bin/bash'], { file: '/opt/bin/bash', kind: 'bash' }],
  ])('SHELL %j with %j → %j', (env, files, expected) => {
    expect(pickShell(env, 'linux', has(files))).toEqual(expected);
  });

  it('uses PowerShell on Windows', () => {
    expect(pickShell({ PATH: 'C:\\pwsh' }, 'win32', has(['C:\\pwsh\\pwsh.exe']))).toEqual({ file: 'C:\\pwsh\\pwsh.exe', kind: 'powershell' });
    expect(pickShell({}, 'win32', has([]))).toEqual({ file: 'powershell.exe', kind: 'powershell' });
  });

  it.each([
    [['/usr/bin/vim', '/usr/bin/nano'], 'vim'],
    [['/usr/bin/nano'], 'nano'],
    [[], 'vi'],
  ])('editor with %j is %s', (files, editor) => {
    expect(pickEditor({ PATH: '/usr/bin' }, 'linux', has(files))).toBe(editor);
  });
});

describe('bash rc', () => {
  it('sources the user rc first, then re-asserts the lab, and guards completion', () => {
    const rc = bashRc({ KUBECONFIG: "/d/it's", KUBECACHEDIR: '/c', EDITOR: 'vim', PATH: '/k:/usr/bin' }, '/d/shell/comp.bash', '/d/h');
    expect(rc.indexOf('.bashrc')).toBeLessThan(rc.indexOf('export KUBECONFIG'));
    expect(rc).toContain(`export KUBECONFIG='/d/it'\\''s'`);
    expect(rc).toContain('alias k=kubectl');
    expect(rc).toContain('if declare -F __start_kubectl >/dev/null 2>&1; then complete -o default -F __start_kubectl k; fi');
    expect(rc).toContain("PS1='controlplane:\\W\\$ '");
  });
});
