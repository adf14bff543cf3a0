import { describe, expect, it } from 'vitest';
import type { KObj } from '../../store/types.js';
import { fieldSetOf, updateManagedFields } from './managedfields.js';
import { deployment } from './testdata/schemas.js';
import { deepClone } from './util.js';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-01T00:01:00Z';
const T3 = '2026-01-01T00:02:00Z';

const created = (): KObj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'u1',
    resourceVersion: '1',
    generation: 1,
    creationTimestamp: T1,
    labels: { app: 'web' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' },
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }] },
    },
  },
  status: {},
});

const upd = (old: KObj | undefined, obj: KObj, manager: string, time: string, subresource?: string) =>
  updateManagedFields(old, obj, { manager, apiVersion: 'apps/v1', time, schema: deployment, subresource });

const mf = (o: KObj) => o.metadata.managedFields?.map((e) => ({ ...e, fieldsV1: JSON.stringify(e.fieldsV1) }));

const CREATE_FIELDS =
  '{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}},"f:labels":{".":{},"f:app":{}}},' +
  '"f:spec":{"f:replicas":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},' +
  '"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},' +
  '"f:ports":{".":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{},"f:protocol":{}}},"f:resources":{}}}}}}}';

describe('fieldSetOf', () => {
  it('renders an applied configuration in fieldsV1 form', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'x' } }, spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } } };
    expect(JSON.stringify(fieldSetOf(pod, deployment))).toBe(
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{}}}}}}}',
    );
  });

  it('uses v: for sets, leaves for atomic lists and maps, members for empty and untyped values', () => {
    const d = { metadata: { finalizers: ['b', 'a'] }, spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'c', command: ['sh'], resources: {} }] } } }, extra: { x: { y: 1 } } };
    expect(JSON.stringify(fieldSetOf(d, deployment))).toBe(
      '{"f:extra":{".":{},"f:x":{".":{},"f:y":{}}},"f:metadata":{"f:finalizers":{"v:\\"a\\"":{},"v:\\"b\\"":{}}},"f:spec":{"f:selector":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"c\\"}":{".":{},"f:command":{},"f:name":{},"f:resources":{}}}}}}}',
    );
  });
});

describe('updateManagedFields', () => {
  it('create: the writer owns everything it set, minus server-owned metadata and status', () => {
    const r = upd(undefined, created(), 'kubectl-client-side-apply', T1);
    expect(mf(r)).toEqual([{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: CREATE_FIELDS }]);
  });

  it('a changed field moves to the new writer; entries sorted by time', () => {
    const v1 = upd(undefined, created(), 'kubectl-client-side-apply', T1);
    const next = deepClone(v1);
    (next.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image = 'nginx:1.26';
    const v2 = upd(v1, next, 'kubectl-set', T2);
    expect(v2.metadata.managedFields?.map((e) => e.manager)).toEqual(['kubectl-client-side-apply', 'kubectl-set']);
    expect(v2.metadata.managedFields?.[0]?.time).toBe(T1);
    expect(JSON.stringify(v2.metadata.managedFields?.[0]?.fieldsV1)).toBe(CREATE_FIELDS.replace('"f:image":{},', ''));
    expect(JSON.stringify(v2.metadata.managedFields?.[1]?.fieldsV1)).toBe('{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{"f:image":{}}}}}}}');
  });

  it('removing a field drops it from its owner, and an emptied entry disappears', () => {
    const v1 = upd(undefined, created(), 'kubectl-client-side-apply', T1);
    const labelled = deepClone(v1);
    labelled.metadata.labels = { app: 'web', tier: 'fe' };
    const v2 = upd(v1, labelled, 'kubectl-label', T2);
    expect(JSON.stringify(v2.metadata.managedFields?.[1]?.fieldsV1)).toBe('{"f:metadata":{"f:labels":{"f:tier":{}}}}');
    const unlabelled = deepClone(v2);
    unlabelled.metadata.labels = { app: 'web' };
    const v3 = upd(v2, unlabelled, 'kubectl-label', T3);
    expect(v3.metadata.managedFields?.map((e) => e.manager)).toEqual(['kubectl-client-side-apply']);
  });

  it('a no-op write by a new manager adds no entry', () => {
    const v1 = upd(undefined, created(), 'kubectl-client-side-apply', T1);
    expect(upd(v1, deepClone(v1), 'kubectl-edit', T2).metadata.managedFields).toEqual(v1.metadata.managedFields);
  });

  it('status subresource writes own only status; main-resource writes never own status', () => {
    const v1 = upd(undefined, created(), 'kubectl-client-side-apply', T1);
    const withStatus = deepClone(v1);
    withStatus.status = { replicas: 2, observedGeneration: 1 };
    const v2 = upd(v1, withStatus, 'kube-controller-manager', T2, 'status');
    expect(mf(v2)?.[1]).toEqual({
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: T2,
      fieldsType: 'FieldsV1',
      fieldsV1: '{"f:status":{"f:observedGeneration":{},"f:replicas":{}}}',
      subresource: 'status',
    });
    const v3 = deepClone(v2);
    v3.status = { replicas: 3, observedGeneration: 1 };
    expect(upd(v2, v3, 'kubectl-edit', T3).metadata.managedFields).toEqual(v2.metadata.managedFields);
  });

  it('a body with managedFields [{}] resets tracking', () => {
    const v1 = upd(undefined, created(), 'kubectl-client-side-apply', T1);
    const reset = deepClone(v1);
    reset.metadata.managedFields = [{}];
    expect(upd(v1, reset, 'kubectl-edit', T2).metadata.managedFields).toBeUndefined();
  });
});
