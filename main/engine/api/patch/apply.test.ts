import { describe, expect, it } from 'vitest';
import type { StatusError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import { LAST_APPLIED, serverSideApply } from './apply.js';
import { updateManagedFields } from './managedfields.js';
import { deployment } from './testdata/schemas.js';
import { deepClone, sortedJson } from './util.js';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-01T00:01:00Z';
const T3 = '2026-01-01T00:02:00Z';

const cfg = (replicas: number, image = 'nginx:1.25', extra: { labels?: Record<string, string>; containers?: unknown[] } = {}): KObj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: extra.labels ?? { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: extra.containers ?? [{ name: 'nginx', image }] } },
  },
});

const ssa = (live: KObj | undefined, applied: KObj, manager = 'kubectl', time = T1, force = false) =>
  serverSideApply(live, applied, { manager, force, apiVersion: 'apps/v1', time, schema: deployment });
type Dep = KObj & { spec: { replicas: number; template: { spec: { containers: Array<{ name: string; image: string }> } } } };
const spec = (o: KObj) => (o as Dep).spec;
const update = (old: KObj, mutate: (o: Dep) => void, manager: string, time: string) => {
  const next = deepClone(old);
  mutate(next as Dep);
  return updateManagedFields(old, next, { manager, apiVersion: 'apps/v1', time, schema: deployment });
};
const managers = (o: KObj) => o.metadata.managedFields?.map((e) => `${e.manager}/${e.operation}`);
const fieldsOf = (o: KObj, manager: string) => JSON.stringify(o.metadata.managedFields?.find((e) => e.manager === manager)?.fieldsV1);
const caught = (f: () => unknown): StatusError => {
  try {
    f();
  } catch (e) {
    return e as StatusError;
  }
  throw new Error('expected an error');
};

const APPLY_FIELDS =
  '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},' +
  '"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{}}}}}}}';

describe('serverSideApply', () => {
  it('create: the object is the applied configuration, owned by one Apply entry', () => {
    const r = ssa(undefined, cfg(2));
    const { managedFields, ...meta } = r.metadata;
    expect({ ...r, metadata: meta }).toEqual(cfg(2));
    expect(managedFields).toEqual([{ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: JSON.parse(APPLY_FIELDS) }]);
  });

  it('conflict with an Update manager, worded as upstream', () => {
    const v1 = ssa(undefined, cfg(2));
    const v2 = update(v1, (o) => (o.spec.replicas = 3), 'kubectl-client-side-apply', T2);
    expect(managers(v2)).toEqual(['kubectl/Apply', 'kubectl-client-side-apply/Update']);
    expect(fieldsOf(v2, 'kubectl-client-side-apply')).toBe('{"f:spec":{"f:replicas":{}}}');
    const err = caught(() => ssa(v2, cfg(5), 'kubectl', T3));
    expect(err.toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
      code: 409,
    });
  });

  it('applying the value already there is no conflict: ownership is shared', () => {
    const v2 = update(ssa(undefined, cfg(2)), (o) => (o.spec.replicas = 3), 'kubectl-client-side-apply', T2);
    const v3 = ssa(v2, cfg(3), 'kubectl', T3);
    expect(fieldsOf(v3, 'kubectl')).toBe(APPLY_FIELDS);
    expect(fieldsOf(v3, 'kubectl-client-side-apply')).toBe('{"f:spec":{"f:replicas":{}}}');
  });

  it('force moves ownership to the applier', () => {
    const v2 = update(ssa(undefined, cfg(2)), (o) => (o.spec.replicas = 3), 'kubectl-client-side-apply', T2);
    const v3 = ssa(v2, cfg(5), 'kubectl', T3, true);
    expect(spec(v3).replicas).toBe(5);
    expect(managers(v3)).toEqual(['kubectl/Apply']);
    expect(v3.metadata.managedFields?.[0]?.time).toBe(T3);
    expect(fieldsOf(v3, 'kubectl')).toBe(APPLY_FIELDS);
  });

  it('several conflicts: grouped per manager, sorted, one path per line', () => {
    const v1 = ssa(undefined, cfg(2));
    const v2 = update(v1, (o) => (o.spec.replicas = 3), 'kubectl-scale', T2);
    const v3 = update(v2, (o) => (o.spec.template.spec.containers[0]!.image = 'nginx:1.26'), 'kubectl-edit', T3);
    const err = caught(() => ssa(v3, cfg(5, 'nginx:1.27'), 'kubectl', T3));
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n- .spec.template.spec.containers[name="nginx"].image\nconflicts with "kubectl-scale" using apps/v1:\n- .spec.replicas',
    );
    expect(err.details?.causes?.map((c) => c.field)).toEqual(['.spec.template.spec.containers[name="nginx"].image', '.spec.replicas']);

    const v4 = update(v1, (o) => ((o.spec.replicas = 4), (o.spec.template.spec.containers[0]!.image = 'nginx:1.26')), 'kubectl-edit', T2);
    expect(caught(() => ssa(v4, cfg(5, 'nginx:1.27'))).message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
  });

  it('conflict with another applier names it without a version', () => {
    const v1 = ssa(undefined, cfg(2), 'team-a');
    expect(caught(() => ssa(v1, cfg(4), 'team-b', T2)).message).toBe('Apply failed with 1 conflict: conflict with "team-a": .spec.replicas');
  });

  it('fields dropped from the configuration are pruned unless someone else owns them', () => {
    const v1 = ssa(undefined, cfg(2, 'nginx:1.25', { labels: { app: 'web', tier: 'fe' } }));
    const dropped = ssa(v1, cfg(2), 'kubectl', T2);
    expect(dropped.metadata.labels).toEqual({ app: 'web' });

    const shared = ssa(v1, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { tier: 'fe' } } }, 'ci', T2);
    expect(managers(shared)).toEqual(['kubectl/Apply', 'ci/Apply']);
    const kept = ssa(shared, cfg(2), 'kubectl', T3);
    expect(kept.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
  });

  it('a container dropped from the configuration is removed; a server-added one is kept', () => {
    const two = [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'log', image: 'fluentd' }];
    const v1 = ssa(undefined, cfg(2, '', { containers: two }));
    const v2 = update(v1, (o) => o.spec.template.spec.containers.push({ name: 'proxy', image: 'envoy' }), 'injector', T2);
    const v3 = ssa(v2, cfg(2, 'nginx:1.26'), 'kubectl', T3);
    expect(spec(v3).template.spec.containers).toEqual([{ name: 'nginx', image: 'nginx:1.26' }, { name: 'proxy', image: 'envoy' }]);
  });

  it('kubectl moving from client-side to server-side apply: no conflicts on fields it applied before', () => {
    const csa = deepClone(cfg(2)) as KObj;
    csa.metadata.annotations = { [LAST_APPLIED]: `${sortedJson(cfg(2))}\n` };
    const live = updateManagedFields(undefined, csa, { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', time: T1, schema: deployment });
    const r = ssa(live, cfg(3), 'kubectl', T2);
    expect(spec(r).replicas).toBe(3);
    expect(r.metadata.annotations?.[LAST_APPLIED]).toBe(`${sortedJson(cfg(3))}\n`);
    expect(fieldsOf(r, 'kubectl-client-side-apply')).not.toContain('f:replicas');
    // Another manager name gets no such leniency.
    expect(caught(() => ssa(live, cfg(3), 'other', T2)).code).toBe(409);
  });

  it('status in the configuration is ignored on the main resource', () => {
    const r = ssa(undefined, { ...cfg(1), status: { replicas: 9 } });
    expect(r.status).toBeUndefined();
    expect(fieldsOf(r, 'kubectl')).not.toContain('f:status');
  });

  const invalid: Array<[string, KObj, string]> = [
    ['managedFields in the body', { ...cfg(1), metadata: { name: 'web', managedFields: [] } }, 'metadata.managedFields must be nil'],
    ['another version', { ...cfg(1), apiVersion: 'apps/v1beta1' }, 'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1'],
  ];
  it.each(invalid)('400: %s', (_name, body, message) => {
    expect(caught(() => ssa(undefined, body))).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });
});
