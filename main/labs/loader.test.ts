import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defaultLabsDir, LabFormatError, loadAllLabs, loadLab } from './loader.js';

const T = (s: string) => ({ en: s, ko: `${s} (ko)` });
const goodLab = (id: string) => ({
  id,
  title: T('Pods'),
  description: T('About pods'),
  level: 'beginner',
  minutes: 10,
  topics: ['pods'],
  environment: { reset: 'cluster' },
  steps: [
    { id: 'run', title: T('Run'), instructions: T('Run it'), hints: [T('h')], solution: ['kubectl run web --image=nginx'], checks: [{ id: 'web', title: T('web'), exists: { kind: 'Pod', name: 'web' } }] },
    {
      id: 'image', title: T('Image'), instructions: T('x'), solution: ['true'],
      checks: [{ id: 'img', title: T('img'), target: { kind: 'Pod', name: 'web' }, cel: 'object.spec.containers[0].image == "nginx"', message: T('runs {{object.spec.containers[0].image}}') }],
    },
  ],
});

// Tests break labs in arbitrary places, so the raw lab is deliberately untyped here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mut = (lab: Record<string, any>) => void;

function labsWith(id: string, mutate: Mut, files: Record<string, string> = {}): string {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'kubelab-labs-')), 'labs');
  const lab = goodLab(id);
  mutate(lab);
  mkdirSync(path.join(root, id, 'setup'), { recursive: true });
  writeFileSync(path.join(root, id, 'lab.yaml'), stringify(lab));
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(root, id, f), text);
  return root;
}

async function errorsOf(root: string, id: string): Promise<string[]> {
  try {
    await loadLab(root, id);
  } catch (e) {
    if (e instanceof LabFormatError) return e.errors;
    throw e;
  }
  return [];
}

describe('lab format validation names the file and the field', () => {
  const cases: Array<{ name: string; mutate: Mut; files?: Record<string, string>; error: string | RegExp }> = [
    { name: 'CEL that does not compile is refused at load', mutate: (l) => (l.steps[1].checks[0].cel = 'object.spec.replicas =='), error: /^labs\/02-pods\/lab\.yaml: steps\[1\]\.checks\[0\]\.cel: "object\.spec\.replicas ==" does not compile: Unexpected token/ },
    { name: 'CEL with an unknown variable', mutate: (l) => (l.steps[1].checks[0].cel = 'pod.spec == 1'), error: 'labs/02-pods/lab.yaml: steps[1].checks[0].cel: "pod.spec == 1" does not compile: Unknown variable: pod' },
    { name: 'CEL that is not a bool', mutate: (l) => (l.steps[1].checks[0].cel = '1 + 2'), error: 'steps[1].checks[0].cel: "1 + 2" does not compile: must evaluate to bool, but its type is int' },
    { name: 'CEL in a message template', mutate: (l) => (l.steps[1].checks[0].message.ko = 'x {{object.(}}'), error: 'labs/02-pods/lab.yaml: steps[1].checks[0].message.ko: CEL in {{object.(}} does not compile' },
    { name: 'cel check without a message', mutate: (l) => delete l.steps[1].checks[0].message, error: 'steps[1].checks[0].message: is required for a cel check' },
    { name: 'missing Korean title', mutate: (l) => delete l.title.ko, error: 'labs/02-pods/lab.yaml: title.ko: is required' },
    { name: 'missing Korean instructions', mutate: (l) => (l.steps[0].instructions = { en: 'x' }), error: 'labs/02-pods/lab.yaml: steps[0].instructions.ko: is required' },
    { name: 'unknown field (typo)', mutate: (l) => (l.steps[0].hint = []), error: 'labs/02-pods/lab.yaml: steps[0].hint: unknown field' },
    { name: 'two check kinds at once', mutate: (l) => (l.steps[0].checks[0].absent = { kind: 'Pod', name: 'web' }), error: 'steps[0].checks[0]: needs exactly one of cel, exists, absent, count, ready, rolledOut, endpoints, file (found exists, absent)' },
    { name: 'unknown kind', mutate: (l) => (l.steps[0].checks[0].exists.kind = 'Pdo'), error: 'labs/02-pods/lab.yaml: steps[0].checks[0].exists.kind: unknown kind "Pdo"' },
    { name: 'ready on a Service', mutate: (l) => (l.steps[0].checks[0] = { id: 'x', title: T('x'), ready: { kind: 'Service', name: 'web' } }), error: 'steps[0].checks[0].ready.kind: ready works on Pod' },
    { name: 'bad weight', mutate: (l) => (l.steps[0].checks[0].weight = 0), error: 'steps[0].checks[0].weight: must be an integer >= 1' },
    { name: 'bad level', mutate: (l) => (l.level = 'easy'), error: 'labs/02-pods/lab.yaml: level: must be one of beginner, intermediate, advanced' },
    { name: 'id must match folder', mutate: (l) => (l.id = '02-pod'), error: 'labs/02-pods/lab.yaml: id: must match the folder name "02-pods"' },
    { name: 'duplicate step id', mutate: (l) => (l.steps[1].id = 'run'), error: 'steps[1].id: duplicate step id "run"' },
    { name: 'empty solution', mutate: (l) => (l.steps[0].solution = []), error: 'steps[0].solution: needs at least one command' },
    { name: 'file path outside the workspace', mutate: (l) => (l.steps[0].checks[0] = { id: 'f', title: T('f'), file: { path: '../x', contains: ['a'] } }), error: 'steps[0].checks[0].file.path: must be a path inside the workspace' },
    { name: 'near-miss names a missing check', mutate: (l) => (l.tests = { nearMisses: [{ name: 'n', step: 'run', commands: ['true'], expectFail: { check: 'nope', reasonContains: 'x' } }] }), error: 'tests.nearMisses[0].expectFail.check: step "run" has no check "nope"' },
    { name: 'alternative names a missing step', mutate: (l) => (l.tests = { alternatives: [{ name: 'a', steps: { nope: ['true'] } }] }), error: 'tests.alternatives[0].steps.nope: no step with id "nope"' },
    { name: 'setup manifest without a kind', mutate: () => undefined, files: { 'setup/pod.yaml': 'apiVersion: v1\nmetadata:\n  name: x\n' }, error: 'labs/02-pods/setup/pod.yaml: documents[0].kind: is required' },
    { name: 'setup manifest with the wrong apiVersion', mutate: () => undefined, files: { 'setup/d.yaml': 'apiVersion: v1\nkind: Deployment\nmetadata:\n  name: x\n' }, error: 'labs/02-pods/setup/d.yaml: documents[0].apiVersion: Deployment is served as apps/v1' },
    { name: 'near-miss wait must be a whole number', mutate: (l) => (l.tests = { nearMisses: [{ name: 'n', step: 'run', commands: ['true'], expectFail: { check: 'web', reasonContains: 'x' }, waitSeconds: 1.5 }] }), error: 'tests.nearMisses[0].waitSeconds: must be an integer >= 0' },
    { name: 'simulator speed out of range', mutate: (l) => (l.environment.simulator = { speed: 1000 }), error: 'labs/02-pods/lab.yaml: environment.simulator.speed: must be a number from 1 to 600' },
    { name: 'simulator speed as a string', mutate: (l) => (l.environment.simulator = { speed: '60' }), error: 'environment.simulator.speed: must be a number from 1 to 600' },
    { name: 'unknown simulator control', mutate: (l) => (l.environment.simulator = { stopNode: 'node01' }), error: 'environment.simulator.stopNode: unknown field (allowed: speed)' },
    { name: 'simulator controls without a cluster reset', mutate: (l) => (l.environment = { simulator: { speed: 60 } }), error: 'environment.simulator: needs environment.reset: cluster' },
    { name: 'YAML syntax error has a line', mutate: () => undefined, files: { 'lab.yaml': 'id: 02-pods\ntitle: {en: x\n' }, error: /^labs\/02-pods\/lab\.yaml: line \d+: / },
  ];
  it.each(cases)('$name', async ({ mutate, files, error }) => {
    const errors = await errorsOf(labsWith('02-pods', mutate, files), '02-pods');
    expect(errors.length).toBeGreaterThan(0);
    if (typeof error === 'string') expect(errors.some((e) => e.includes(error)), errors.join('\n')).toBe(true);
    else expect(errors.some((e) => error.test(e)), errors.join('\n')).toBe(true);
  });

  it('every error is reported, not just the first', async () => {
    const errors = await errorsOf(labsWith('02-pods', (l) => { delete l.title.ko; l.minutes = -1; l.steps[1].checks[0].cel = '(('; }), '02-pods');
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });

  it('a valid lab loads with compiled checks and its setup', async () => {
    const root = labsWith('02-pods', () => undefined, { 'setup/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n' });
    const lab = await loadLab(root, '02-pods');
    expect(lab.setup.map((o) => o.kind)).toEqual(['Pod', 'ConfigMap']);
    expect(lab.environment).toEqual({ reset: 'cluster', namespace: 'default', freshNamespace: false });
    expect(typeof lab.steps[1]!.checks[0]!.compiled.program).toBe('function');
  });

  it('a lab may set the simulated clock speed', async () => {
    const lab = await loadLab(labsWith('02-pods', (l) => (l.environment.simulator = { speed: 60 })), '02-pods');
    expect(lab.environment).toEqual({ reset: 'cluster', namespace: 'default', freshNamespace: false, simulator: { speed: 60 } });
  });

  it('loadAllLabs keeps good labs when one is broken', async () => {
    const root = labsWith('02-pods', () => undefined);
    mkdirSync(path.join(root, '09-broken'));
    writeFileSync(path.join(root, '09-broken', 'lab.yaml'), stringify({ ...goodLab('09-broken'), level: 'x' }));
    const { labs, errors } = await loadAllLabs(root);
    expect(labs.map((l) => l.id)).toEqual(['02-pods']);
    expect(errors).toEqual(['labs/09-broken/lab.yaml: level: must be one of beginner, intermediate, advanced']);
  });
});

describe('the shipped catalog', () => {
  it('loads without errors, bilingual, 3–8 steps each, with CI alternatives and near-misses', async () => {
    const { labs, errors } = await loadAllLabs(defaultLabsDir());
    expect(errors).toEqual([]);
    expect(labs.map((l) => l.id)).toEqual(expect.arrayContaining(['01-cluster-architecture', '02-pods', '03-replicasets']));
    for (const l of labs) {
      expect(l.steps.length).toBeGreaterThanOrEqual(3);
      expect(l.steps.length).toBeLessThanOrEqual(8);
      expect(l.tests.alternatives.length).toBeGreaterThan(0);
      expect(l.tests.nearMisses.length).toBeGreaterThan(0);
      for (const s of l.steps) expect(s.instructions.ko).toMatch(/[가-힣]/);
    }
  });
});
