import { afterEach, describe, expect, it } from 'vitest';
import { StatusError } from '../api/errors.js';
import { printerFor } from '../api/printers/index.js';
import { schemaLookup, unknownFields } from '../api/openapi/schemas.js';
import { Harness } from '../testing/harness.js';
import type { KObj } from '../store/types.js';
import { CrdController } from './controller.js';

export const CRONTAB_CRD: KObj = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'], categories: ['all'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['cronSpec'],
                'x-kubernetes-validations': [{ rule: 'self.replicas <= self.maxReplicas', message: 'replicas must not exceed maxReplicas' }],
                properties: {
                  cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
                  image: { type: 'string', default: 'busybox' },
                  replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
                  maxReplicas: { type: 'integer', default: 5 },
                  mode: { type: 'string', enum: ['fast', 'slow'] },
                  tags: { type: 'array', maxItems: 2, items: { type: 'string', minLength: 2 } },
                },
              },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    ],
  },
};

let h: Harness;
afterEach(() => h?.stop());

async function withCrd(): Promise<Harness> {
  h = new Harness({ bootstrap: false });
  h.add(new CrdController(h.env));
  h.client.create(h.client.def('apiextensions.k8s.io', 'customresourcedefinitions'), structuredClone(CRONTAB_CRD));
  await h.settle();
  return h;
}

const ct = (spec: Record<string, unknown>, name = 'x'): KObj => ({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name, namespace: 'default' }, spec });

function createError(h: Harness, o: KObj): string {
  const def = h.ctx.registry.lookup('stable.example.com', 'v1', 'crontabs')!;
  try {
    h.client.create(def, o);
  } catch (e) {
    return (e as StatusError).message;
  }
  return 'no error';
}

describe('CRD controller', () => {
  it('accepts the names, establishes and serves the resource', async () => {
    await withCrd();
    const crd = h.get('apiextensions.k8s.io', 'customresourcedefinitions', undefined, 'crontabs.stable.example.com')!;
    const conds = (crd.status as { conditions: Array<{ type: string; status: string; reason: string }> }).conditions;
    expect(conds.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual(['NamesAccepted=True/NoConflicts', 'Established=True/InitialNamesAccepted']);
    expect(crd.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect((crd.status as { acceptedNames: unknown }).acceptedNames).toMatchObject({ plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'] });
    const def = h.ctx.registry.lookup('stable.example.com', 'v1', 'crontabs');
    expect(def).toMatchObject({ kind: 'CronTab', namespaced: true, shortNames: ['ct'], categories: ['all'], custom: true });
    expect(def!.subresources.map((s) => s.name)).toEqual(['status', 'scale']);
    expect(schemaLookup('stable.example.com', 'v1', 'CronTab')?.property('spec')?.property('cronSpec')?.type).toBe('string');
  });

  it('defaults, validates with upstream wording and runs CEL rules', async () => {
    await withCrd();
    const def = h.ctx.registry.lookup('stable.example.com', 'v1', 'crontabs')!;
    const made = h.client.create(def, ct({ cronSpec: '* * * * */5' }));
    expect(made.spec).toEqual({ cronSpec: '* * * * */5', image: 'busybox', replicas: 1, maxReplicas: 5 });
    expect(made.metadata.generation).toBe(1);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ cronSpec: '* * * * *', replicas: 11, maxReplicas: 20 }, 'CronTab.stable.example.com "x" is invalid: spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10'],
      [{ cronSpec: '* * * * *', replicas: 0 }, 'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1'],
      [{ cronSpec: '* * * * *', replicas: 'two' }, 'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'],
      [{ image: 'x' }, 'spec.cronSpec: Required value'],
      [{ cronSpec: 'bad' }, `spec.cronSpec: Invalid value: "bad": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'`],
      [{ cronSpec: '* * * * *', mode: 'medium' }, 'spec.mode: Unsupported value: "medium": supported values: "fast", "slow"'],
      [{ cronSpec: '* * * * *', tags: ['a', 'bb', 'cc'] }, '[spec.tags: Too many: 3: must have at most 2 items, spec.tags[0]: Invalid value: "a": spec.tags[0] in body should be at least 2 chars long]'],
      [{ cronSpec: '* * * * *', replicas: 7, maxReplicas: 5 }, 'spec: Invalid value: "object": replicas must not exceed maxReplicas'],
    ];
    for (const [spec, msg] of cases) expect(createError(h, ct(spec))).toContain(msg);
  });

  it('reports unknown fields for strict decoding and prints the declared columns', async () => {
    await withCrd();
    expect(unknownFields('stable.example.com', 'v1', 'CronTab', ct({ cronSpec: '* * * * *', foo: 1 }))).toEqual(['spec.foo']);
    expect(unknownFields('stable.example.com', 'v1', 'CronTab', { ...ct({ cronSpec: '* * * * *' }), status: { any: 1 } })).toEqual([]);
    const p = printerFor('stable.example.com', 'CronTab');
    expect(p.columns.map((c) => c.name)).toEqual(['Name', 'Spec', 'Replicas', 'Ready', 'Age']);
    const obj = { ...ct({ cronSpec: '* * * * *', replicas: 3 }), status: { conditions: [{ type: 'Other', status: 'False' }, { type: 'Ready', status: 'True' }] } };
    obj.metadata.creationTimestamp = new Date(h.clock.now() - 90_000).toISOString();
    expect(p.cells(obj, h.clock.now())).toEqual(['x', '* * * * *', 3, 'True', '90s']);
  });

  it('keeps status out of main writes when the status subresource is on', async () => {
    await withCrd();
    const def = h.ctx.registry.lookup('stable.example.com', 'v1', 'crontabs')!;
    const made = h.client.create(def, { ...ct({ cronSpec: '* * * * *' }), status: { replicas: 3 } });
    expect(made.status).toBeUndefined();
    const st = h.client.modifyStatus(def, 'default', 'x', (o) => void (o.status = { replicas: 2 }));
    expect(st.status).toEqual({ replicas: 2 });
  });

  it('deleting the CRD removes its objects and stops serving', async () => {
    await withCrd();
    const def = h.ctx.registry.lookup('stable.example.com', 'v1', 'crontabs')!;
    h.client.create(def, ct({ cronSpec: '* * * * *' }, 'a'));
    h.client.create(def, ct({ cronSpec: '* * * * *' }, 'b'));
    const crds = h.client.def('apiextensions.k8s.io', 'customresourcedefinitions');
    h.client.delete(crds, undefined, 'crontabs.stable.example.com');
    await h.settle();
    expect(h.store.list(def)).toEqual([]);
    expect(h.get('apiextensions.k8s.io', 'customresourcedefinitions', undefined, 'crontabs.stable.example.com')).toBeUndefined();
    expect(h.ctx.registry.lookup('stable.example.com', 'v1', 'crontabs')).toBeUndefined();
    expect(h.errors).toEqual([]);
  });

  it('rejects a CRD whose name is not plural.group or which has no storage version', async () => {
    h = new Harness({ bootstrap: false });
    const crds = h.client.def('apiextensions.k8s.io', 'customresourcedefinitions');
    const bad = structuredClone(CRONTAB_CRD);
    bad.metadata.name = 'crontab.stable.example.com';
    (bad.spec as { versions: Array<{ storage: boolean }> }).versions[0]!.storage = false;
    expect(() => h.client.create(crds, bad)).toThrow(
      'CustomResourceDefinition.apiextensions.k8s.io "crontab.stable.example.com" is invalid: [metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group, spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{{Name:"v1"}}: must have exactly one version marked as storage version]',
    );
  });
});
