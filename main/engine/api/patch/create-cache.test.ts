import { describe, expect, it } from 'vitest';
import { schemaLookup } from '../plugins.js';
import type { KObj } from '../../store/types.js';
import { structureKey } from './create-cache.js';
import { managedFieldsAfterUpdate } from './managedfields.js';

const POD = schemaLookup('', 'v1', 'Pod');
const CM = schemaLookup('', 'v1', 'ConfigMap');
const opts = (schema: typeof POD) => ({ manager: 'test', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', schema });

const pod = (containers: unknown[], extra: Record<string, unknown> = {}): KObj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { app: 'web' } }, spec: { containers, ...extra } });

// every body a create may carry: the cached entry must be what comparing the body with an empty
// object of its kind gives (the path every other write takes)
const bodies: Array<{ name: string; schema: typeof POD; body: KObj }> = [
  { name: 'pod, one container', schema: POD, body: pod([{ name: 'a', image: 'nginx' }]) },
  { name: 'pod, two containers with ports and env', schema: POD, body: pod([{ name: 'a', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'X', value: '1' }, { name: 'Y', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }, { name: 'b', image: 'busybox', command: ['sleep', '1'] }]) },
  { name: 'pod, empty and null values', schema: POD, body: pod([{ name: 'a', image: 'nginx', resources: {}, args: [] }], { nodeSelector: {}, affinity: null }) },
  { name: 'pod, repeated list key (first one wins)', schema: POD, body: pod([{ name: 'a', image: 'x' }, { name: 'a', image: 'y', tty: true }]) },
  { name: 'configmap, data keys', schema: CM, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', annotations: { 'a:1': 'x' } }, data: { 'k:2': 'v', k: '' } } },
  { name: 'configmap, no schema', schema: undefined, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: { b: [1, { c: 2 }] } } } },
];

describe('create cache', () => {
  it.each(bodies)('$name: the entry is what comparing gives, cached or not', ({ schema, body }) => {
    const empty: KObj = { apiVersion: body.apiVersion, kind: body.kind, metadata: {} };
    const compared = managedFieldsAfterUpdate(empty, structuredClone(body), opts(schema));
    const first = managedFieldsAfterUpdate(undefined, structuredClone(body), opts(schema));
    const again = managedFieldsAfterUpdate(undefined, structuredClone(body), opts(schema));
    expect(first).toEqual(compared);
    expect(again).toEqual(compared);
    expect(again?.[0]?.fieldsV1).toBe(first?.[0]?.fieldsV1);
  });

  it.each([
    { name: 'values do not matter', a: pod([{ name: 'a', image: 'nginx' }]), b: pod([{ name: 'a', image: 'httpd' }]), same: true },
    { name: 'a list key does', a: pod([{ name: 'a', image: 'nginx' }]), b: pod([{ name: 'b', image: 'nginx' }]), same: false },
    { name: 'an added field does', a: pod([{ name: 'a', image: 'nginx' }]), b: pod([{ name: 'a', image: 'nginx', tty: true }]), same: false },
    { name: 'an empty map is a leaf like a value', a: pod([{ name: 'a', image: 'nginx' }], { nodeSelector: {} }), b: pod([{ name: 'a', image: 'nginx' }], { nodeSelector: 'x' }), same: true },
    { name: 'a filled map is not', a: pod([{ name: 'a', image: 'nginx' }], { nodeSelector: {} }), b: pod([{ name: 'a', image: 'nginx' }], { nodeSelector: { disk: 'ssd' } }), same: false },
    // lengths keep keys that contain the separators apart
    { name: 'keys are not confused', a: { metadata: { annotations: { ab: '', c: '' } } }, b: { metadata: { annotations: { a: '', bc: '' } } }, same: false },
  ])('structure key: $name', ({ a, b, same }) => {
    expect(structureKey(a, POD) === structureKey(b, POD)).toBe(same);
  });
});
