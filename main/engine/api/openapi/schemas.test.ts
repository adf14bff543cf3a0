import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SchemaNode } from '../schema-types.js';
import { readSchemaFile, schemaLookup, schemaNodeByName, strictDecodingMessage, unknownFields } from './schemas.js';

function at(root: SchemaNode | undefined, path: string): SchemaNode | undefined {
  let n = root;
  for (const seg of path.split('.')) n = seg === '[]' ? n?.elements() : n?.property(seg);
  return n;
}

const pod = (spec: unknown, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec, ...extra });
const c = (x: Record<string, unknown>) => ({ name: 'a', image: 'nginx', ...x });

describe('unknownFields', () => {
  it.each<[string, string, string, string, unknown, string[]]>([
    ['a clean pod', '', 'v1', 'Pod', pod({ containers: [c({})] }), []],
    ['top-level typo', '', 'v1', 'Pod', pod({ containers: [c({})] }, { sepc: {} }), ['sepc']],
    ['metadata typo', '', 'v1', 'Pod', { kind: 'Pod', metadata: { name: 'x', labelz: { a: 'b' } } }, ['metadata.labelz']],
    ['container typo, indexed', '', 'v1', 'Pod', pod({ containers: [c({}), c({ imagee: 'x' })] }), ['spec.containers[1].imagee']],
    ['case matters', '', 'v1', 'Pod', pod({ Containers: [] }), ['spec.Containers']],
    ['several, in document order', 'apps', 'v1', 'Deployment',
      { spec: { foo: 1, template: { spec: { containers: [c({ portz: [] })] } }, bar: 2 } },
      ['spec.foo', 'spec.template.spec.containers[0].portz', 'spec.bar']],
    ['map keys are free', '', 'v1', 'ConfigMap', { metadata: { labels: { anything: 'x' }, annotations: { y: 'z' } }, data: { k: 'v' } }, []],
    ['resource quantities are map values', '', 'v1', 'Pod', pod({ containers: [c({ resources: { limits: { cpu: 1, 'example.com/gpu': '2' } } })] }), []],
    ['int-or-string is opaque', 'apps', 'v1', 'Deployment', { spec: { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } } }, []],
    ['typo under rollingUpdate', 'apps', 'v1', 'Deployment', { spec: { strategy: { rollingUpdate: { maxUnaivailable: 1 } } } }, ['spec.strategy.rollingUpdate.maxUnaivailable']],
    ['service port typo', '', 'v1', 'Service', { spec: { ports: [{ port: 80, nodeport: 30000 }] } }, ['spec.ports[0].nodeport']],
    ['status is known', '', 'v1', 'Pod', pod({ containers: [c({})] }, { status: { phase: 'Running', podIP: '10.0.0.1' } }), []],
    ['null values are not descended', '', 'v1', 'Pod', pod(null), []],
    ['unknown kind has no schema', 'example.com', 'v1', 'Widget', { spec: { foo: 1 } }, []],
  ])('%s', (_name, g, v, k, obj, want) => {
    expect(unknownFields(g, v, k, obj)).toEqual(want);
  });
});

describe('strictDecodingMessage', () => {
  it.each([
    [['spec.foo'], 'strict decoding error: unknown field "spec.foo"'],
    [['spec.foo', 'spec.bar'], 'strict decoding error: unknown field "spec.foo", unknown field "spec.bar"'],
  ])('%j', (fields, want) => expect(strictDecodingMessage(fields)).toBe(want));
});

describe('schemaLookup', () => {
  const p = schemaLookup('', 'v1', 'Pod');

  it.each<[string, Partial<SchemaNode>]>([
    ['spec.containers', { type: 'array', patchMergeKey: 'name', patchStrategy: 'merge' }],
    ['spec.initContainers', { type: 'array', patchMergeKey: 'name', patchStrategy: 'merge' }],
    ['spec.containers.[].ports', { type: 'array', patchMergeKey: 'containerPort', patchStrategy: 'merge', listType: 'map', listMapKeys: ['containerPort', 'protocol'] }],
    ['spec.containers.[].env', { type: 'array', patchMergeKey: 'name', patchStrategy: 'merge' }],
    ['spec.containers.[].volumeMounts', { patchMergeKey: 'mountPath', patchStrategy: 'merge' }],
    ['spec.volumes', { patchMergeKey: 'name', patchStrategy: 'merge,retainKeys' }],
    ['spec.tolerations', { type: 'array', listType: 'atomic', patchMergeKey: undefined }],
    ['spec.hostAliases', { patchMergeKey: 'ip' }],
    ['spec.topologySpreadConstraints', { patchMergeKey: 'topologyKey', listMapKeys: ['topologyKey', 'whenUnsatisfiable'] }],
    ['status.conditions', { patchMergeKey: 'type', patchStrategy: 'merge' }],
    ['metadata.finalizers', { patchStrategy: 'merge', listType: 'set' }],
    ['metadata.ownerReferences', { patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] }],
    ['metadata.labels', { type: 'map' }],
    ['metadata.labels.[]', { type: 'string' }],
    ['spec.containers.[]', { type: 'object', name: 'io.k8s.api.core.v1.Container', required: ['name'] }],
    ['spec.containers.[].ports.[].containerPort', { type: 'integer' }],
    ['spec.containers.[].resources.limits.[]', { type: 'any', name: 'io.k8s.apimachinery.pkg.api.resource.Quantity' }],
    ['spec.containers.[].livenessProbe.httpGet.port', { type: 'any', name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString' }],
    ['metadata.creationTimestamp', { type: 'string', name: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time' }],
    ['spec', { type: 'object', name: 'io.k8s.api.core.v1.PodSpec', required: ['containers'] }],
  ])('Pod %s', (path, want) => {
    expect(at(p, path)).toMatchObject(want);
  });

  it('knows Deployment and Service list semantics', () => {
    const d = schemaLookup('apps', 'v1', 'Deployment');
    expect(at(d, 'spec.strategy')).toMatchObject({ type: 'object', patchStrategy: 'retainKeys' });
    expect(at(d, 'spec.selector')).toMatchObject({ mapType: 'atomic' });
    expect(at(d, 'spec.template.spec.containers')).toMatchObject({ patchMergeKey: 'name' });
    expect(at(d, 'status.conditions')).toMatchObject({ patchMergeKey: 'type' });
    expect(at(schemaLookup('', 'v1', 'Service'), 'spec.ports')).toMatchObject({ patchMergeKey: 'port', listMapKeys: ['port', 'protocol'] });
  });

  it('lists properties and is undefined for unknown kinds or fields', () => {
    expect(p!.propertyNames()).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(p!.property('nope')).toBeUndefined();
    expect(schemaLookup('apps', 'v1', 'Widget')).toBeUndefined();
    expect(schemaLookup('', 'v1', 'Pod')).toBe(p);
    expect(schemaNodeByName('io.k8s.api.core.v1.EnvVar')!.required).toEqual(['name']);
  });

  it('reaches autoscaling/v1 Scale and the list kinds', () => {
    expect(at(schemaLookup('autoscaling', 'v1', 'Scale'), 'spec.replicas')).toMatchObject({ type: 'integer' });
    expect(at(schemaLookup('', 'v1', 'PodList'), 'items.[]')).toMatchObject({ name: 'io.k8s.api.core.v1.Pod' });
  });
});

describe('readSchemaFile', () => {
  it('tells to run npm install when the generated file is missing', () => {
    expect(() => readSchemaFile('/nonexistent/schemas.json')).toThrow(/run `npm install`/);
  });
  it('rejects a file without schemas', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'kubelab-openapi-')), 'schemas.json');
    writeFileSync(f, '{}');
    expect(() => readSchemaFile(f)).toThrow(/malformed.*npm install/);
  });
});
