// Learners bring whatever kubectl they have: the binaries one minor version either side of the
// server (beside the dispatcher on PATH) must work too.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinary, ROOT, startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
beforeAll(async () => {
  c = await startCluster();
});
afterAll(async () => {
  await c?.stop();
});

const fx = (f: string) => path.join(ROOT, 'test/fixtures', f);

describe.each(['1.31', '1.33'])('kubectl %s', (v) => {
  const binary = kubectlBinary(v);
  const run = async (args: string[]) => {
    const r = await c.kubectl(args, { binary });
    if (r.code !== 0) throw new Error(`kubectl.${v} ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const ns = `v${v.replace('.', '-')}`;

  it.runIf(binary)('version, create, apply, get, describe, explain, generators', async () => {
    expect(await run(['version'])).toContain(`Client Version: v${v}.`);
    expect(await run(['create', 'namespace', ns])).toBe(`namespace/${ns} created\n`);
    expect(await run(['apply', '-n', ns, '-f', fx('deploy-web.yaml')])).toBe('deployment.apps/web created\n');
    expect(await run(['apply', '-n', ns, '-f', fx('deploy-web-3.yaml')])).toBe('deployment.apps/web configured\n');
    expect(await run(['get', 'deploy', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
    expect(await run(['get', 'deploy', '-n', ns])).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+[0-3]\/3\s+[0-3]\s+[0-3]\s+\d+s\n$/);
    expect(await run(['create', 'deployment', 'gen', '-n', ns, '--image=nginx'])).toBe('deployment.apps/gen created\n');
    expect(await run(['describe', 'deploy', 'gen', '-n', ns])).toMatch(/^Name:\s+gen$/m);
    expect(await run(['explain', 'deployment.spec.replicas'])).toMatch(/FIELD: replicas <integer>/);
    expect(await run(['auth', 'can-i', 'delete', 'nodes'])).toBe('yes\n');
  });
});
