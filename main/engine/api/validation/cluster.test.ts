import { describe, expect, it } from 'vitest';
import { applyDefaults, nameValidationErrors, prepareForCreate, prepareForUpdate, validateCreate, validateStatusUpdate, validateUpdate } from './index.js';
import { clone } from './format.js';
import { lines } from './testutil.js';
import type { KObj } from '../../store/types.js';

describe('Namespace', () => {
  const ns = (name: string): KObj => {
    const o: KObj = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    applyDefaults('', 'Namespace', o);
    prepareForCreate('', 'Namespace', o);
    return o;
  };
  it('gets the name label, kubernetes finalizer and Active phase', () => {
    const o = ns('dev');
    expect(o.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'dev' });
    expect(o.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(o.status).toEqual({ phase: 'Active' });
    expect(validateCreate('', 'Namespace', o)).toEqual([]);
  });
  it.each([
    ['my.ns', 'metadata.name: Invalid value: "my.ns": must not contain dots'],
    ['Dev', "metadata.name: Invalid value: \"Dev\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
  ])('name %s', (name, want) => expect(lines(validateCreate('', 'Namespace', ns(name)))).toContain(want));

  it('ignores namespace on cluster-scoped objects and keeps finalizers on update', () => {
    const old = ns('dev');
    const next = clone(old);
    next.metadata.namespace = 'default';
    (next.spec as any).finalizers = [];
    next.status = { phase: 'Terminating' };
    prepareForUpdate('', 'Namespace', next, old);
    expect(next.metadata.namespace).toBeUndefined();
    expect(next.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(next.status).toEqual({ phase: 'Active' });
    expect(validateUpdate('', 'Namespace', next, old)).toEqual([]);
  });
  it('status phase must agree with deletion', () => {
    const old = ns('dev');
    const next = clone(old);
    next.status = { phase: 'Terminating' };
    expect(lines(validateStatusUpdate('', 'Namespace', next, old))).toEqual(["status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"]);
  });
});

describe('Node', () => {
  it('keeps status on create and defaults allocatable', () => {
    const n: KObj = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' }, status: { capacity: { cpu: '2' } } };
    applyDefaults('', 'Node', n);
    prepareForCreate('', 'Node', n);
    expect(n.status).toEqual({ capacity: { cpu: '2' }, allocatable: { cpu: '2' } });
  });
  it('validates taints', () => {
    const n: KObj = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w' }, spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } };
    expect(lines(validateCreate('', 'Node', n))).toEqual(['spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']);
  });
});

describe('Event and Lease', () => {
  it('events only check namespaces', () => {
    const e: KObj = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.17f', namespace: 'default' }, involvedObject: { namespace: 'other' } };
    expect(lines(validateCreate('', 'Event', e))).toEqual(['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  });
  it('lease duration must be positive', () => {
    const l: KObj = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { leaseDurationSeconds: 0 } };
    expect(lines(validateCreate('coordination.k8s.io', 'Lease', l))).toEqual(['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
  });
});

describe('nameValidationErrors', () => {
  it.each([
    ['', 'Service', 'web-1', false, 0],
    ['', 'Service', '1web', false, 1],
    ['apps', 'Deployment', 'web.v1', false, 0],
    ['', 'Namespace', 'web.v1', false, 1],
    ['apps', 'Deployment', 'web-', true, 0],
  ])('%s/%s %s', (g, k, name, prefix, n) => expect(nameValidationErrors(g, k, name, prefix)).toHaveLength(n));
});
