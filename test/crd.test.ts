// CustomResourceDefinitions with the real kubectl: the new resource appears in discovery and
// OpenAPI (get, explain, shortName, `get all` via its category), custom objects are defaulted,
// validated by schema and CEL with upstream messages, printed with their columns, patched by
// merge patch, scaled through the scale subresource, and removed with their CRD.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
});
afterAll(async () => {
  await c?.stop();
});

const fixture = (f: string) => path.join(ROOT, 'test/fixtures/crd', f);

const ok = (args: string[], input?: string) => c.ok(args, input);

async function fails(args: string[], input?: string): Promise<string> {
  const r = await c.kubectl(args, input === undefined ? {} : { input });
  expect(r.code, `kubectl ${args.join(' ')} should fail:\n${r.stdout}`).not.toBe(0);
  return r.stderr.trim();
}

const waitFor = (args: string[], want: (out: string) => boolean, timeoutMs = 30_000) => c.waitFor(args, want, timeoutMs);

const cols = (s: string) => s.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
const cronTab = (name: string, spec: string) => `apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

describe.sequential('CustomResourceDefinitions with real kubectl', () => {
  it('creates the CRD and waits for it to be Established', async () => {
    expect(await ok(['apply', '-f', fixture('crontab-crd.yaml')])).toBe('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n');
    await ok(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s']);
    const table = cols(await ok(['get', 'crd']));
    expect(table[0]).toEqual(['NAME', 'CREATED AT']);
    expect(table[1]![0]).toBe('crontabs.stable.example.com');
    expect(await ok(['get', 'crd', 'crontabs.stable.example.com', '-o', 'jsonpath={.status.acceptedNames.kind} {.status.conditions[?(@.type=="NamesAccepted")].reason}'])).toBe('CronTab NoConflicts');
    const resources = await ok(['api-resources', '--api-group=stable.example.com']);
    expect(resources).toMatch(/crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab/);
  });

  it('explains the new kind from its schema', async () => {
    const out = await ok(['explain', 'crontab.spec']);
    expect(out).toContain('GROUP:      stable.example.com');
    expect(out).toContain('KIND:       CronTab');
    expect(out).toContain('The desired schedule.');
    expect(out).toMatch(/cronSpec\s+<string> -required-/);
  });

  it('creates a custom object, defaults it, prints its columns, finds it by shortName and category', async () => {
    expect(await ok(['apply', '-f', fixture('crontab.yaml')])).toBe('crontab.stable.example.com/my-cron created\n');
    const table = cols(await ok(['get', 'crontabs']));
    expect(table[0]).toEqual(['NAME', 'SPEC', 'REPLICAS', 'AGE']);
    expect(table[1]!.slice(0, 3)).toEqual(['my-cron', '* * * * */5', '2']);
    expect(await ok(['get', 'ct', 'my-cron', '-o', 'jsonpath={.spec.maxReplicas} {.metadata.generation}'])).toBe('5 1');
    expect(await ok(['get', 'all'])).toContain('crontab.stable.example.com/my-cron');
  });

  it('rejects objects failing the schema and the CEL rule with upstream messages', async () => {
    expect(await fails(['apply', '-f', '-'], cronTab('bad1', '  cronSpec: "* * * * *"\n  replicas: 11\n  maxReplicas: 20\n'))).toBe(
      'The CronTab "bad1" is invalid: spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
    );
    expect(await fails(['create', '-f', '-'], cronTab('bad2', '  cronSpec: "* * * * *"\n  replicas: 7\n'))).toBe(
      'The CronTab "bad2" is invalid: spec: Invalid value: "object": replicas must not exceed maxReplicas',
    );
    expect(await fails(['create', '-f', '-'], cronTab('bad3', '  image: x\n'))).toBe('The CronTab "bad3" is invalid: spec.cronSpec: Required value');
    expect(await fails(['create', '-f', '-'], cronTab('bad4', '  cronSpec: "* * * * *"\n  foo: bar\n'))).toBe(
      'Error from server (BadRequest): error when creating "STDIN": CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.foo"',
    );
    // without strict validation the unknown field is pruned silently
    await ok(['create', '--validate=false', '-f', '-'], cronTab('pruned', '  cronSpec: "* * * * *"\n  foo: bar\n'));
    expect(await ok(['get', 'ct', 'pruned', '-o', 'jsonpath={.spec}'])).toBe('{"cronSpec":"* * * * *","maxReplicas":5,"replicas":1}');
  });

  it('patches by merge patch, refuses strategic merge patch, scales through /scale', async () => {
    expect(await ok(['patch', 'ct', 'my-cron', '--type=merge', '-p', '{"spec":{"replicas":3}}'])).toBe('crontab.stable.example.com/my-cron patched\n');
    expect(await fails(['patch', 'ct', 'my-cron', '-p', '{"spec":{"replicas":4}}'])).toContain(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
    expect(await ok(['scale', 'ct', 'my-cron', '--replicas=4'])).toBe('crontab.stable.example.com/my-cron scaled\n');
    expect(await ok(['get', 'ct', 'my-cron', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}'])).toBe('4 3');
    expect(await fails(['scale', 'ct', 'my-cron', '--replicas=6'])).toContain('replicas must not exceed maxReplicas');
  });

  it('deleting the CRD deletes its objects and the resource disappears', async () => {
    await ok(['delete', 'crd', 'crontabs.stable.example.com']);
    await waitFor(['get', 'crd', '-o', 'name'], (o) => !o.includes('crontabs'));
    const r = await c.kubectl(['get', 'crontabs']);
    expect(r.code).not.toBe(0);
    // with its discovery cache still listing crontabs kubectl reports the 404 of the list, as against a real cluster
    expect(r.stderr).toMatch(/the server doesn't have a resource type "crontabs"|Unable to list "stable\.example\.com\/v1, Resource=crontabs": the server could not find the requested resource/);
    // recreated, the resource is empty: the old objects went with the CRD
    await ok(['apply', '-f', fixture('crontab-crd.yaml')]);
    await ok(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s']);
    await waitFor(['get', 'crontabs', '-o', 'name'], (o) => o.trim() === '');
  });
});
