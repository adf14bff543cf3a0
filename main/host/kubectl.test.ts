// kubectl resolution order with real files in temp dirs: bundled → KUBELAB_KUBECTL → PATH.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledKubectlPath, missingKubectlMessage, resolveKubectl } from './kubectl.js';

const root = mkdtempSync(path.join(tmpdir(), 'kubelab-kubectl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function exe(file: string, mode = 0o755): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

const resources = path.join(root, 'resources');
const bundled = exe(bundledKubectlPath(resources, 'linux', 'x64'));
const envBin = exe(path.join(root, 'env', 'my-kubectl'));
const pathA = path.join(root, 'pathA');
const pathB = path.join(root, 'pathB');
mkdirSync(pathA, { recursive: true });
exe(path.join(pathA, 'kubectl'), 0o644); // not executable: skipped
const onPath = exe(path.join(pathB, 'kubectl'));
const PATH = `${pathA}:${pathB}`;

describe('resolveKubectl', () => {
  it.each([
    ['bundled first', { resourcesPath: resources, env: { KUBELAB_KUBECTL: envBin, PATH } }, { path: bundled, source: 'bundled' }],
    ['KUBELAB_KUBECTL when nothing is bundled', { resourcesPath: path.join(root, 'none'), env: { KUBELAB_KUBECTL: envBin, PATH } }, { path: envBin, source: 'env' }],
    ['KUBELAB_KUBECTL in web mode (no resources)', { env: { KUBELAB_KUBECTL: envBin, PATH } }, { path: envBin, source: 'env' }],
    ['PATH when KUBELAB_KUBECTL is missing', { env: { KUBELAB_KUBECTL: path.join(root, 'missing'), PATH } }, { path: onPath, source: 'path' }],
    ['the first executable on PATH', { env: { PATH } }, { path: onPath, source: 'path' }],
    ['nothing', { env: { PATH: pathA } }, undefined],
    ['nothing with an empty PATH', { env: {} }, undefined],
  ])('%s', (_n, opts, expected) => {
    expect(resolveKubectl({ platform: 'linux', arch: 'x64', ...opts })).toEqual(expected);
  });

  it('uses kubectl.exe and ; on Windows', () => {
    const seen: string[] = [];
    const r = resolveKubectl({
      platform: 'win32',
      arch: 'x64',
      resourcesPath: 'C:\\KubeLab\\resources',
      env: { Path: 'C:\\a;C:\\tools' },
      isExecutable: (f) => (seen.push(f), f === 'C:\\tools\\kubectl.exe'),
    });
    expect(r).toEqual({ path: 'C:\\tools\\kubectl.exe', source: 'path' });
    expect(seen).toEqual(['C:\\KubeLab\\resources\\kubectl\\win32-x64\\kubectl.exe', 'C:\\a\\kubectl.exe', 'C:\\tools\\kubectl.exe']);
  });

  it('explains how to install kubectl', () => {
    expect(missingKubectlMessage('linux')).toContain('https://kubernetes.io/docs/tasks/tools/');
    expect(missingKubectlMessage('linux')).toContain('KUBELAB_KUBECTL');
  });
});
