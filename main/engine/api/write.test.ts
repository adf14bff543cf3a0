import { describe, expect, it } from 'vitest';
import { Harness } from '../testing/harness.js';
import type { KObj } from '../store/types.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('status writes', () => {
  // a status write keeps the stored spec, so only kinds whose defaults fill in status run them
  it.each([
    {
      name: 'Node: allocatable defaults to capacity',
      group: '', resource: 'nodes', obj: { metadata: { name: 'extra' } },
      status: { capacity: { cpu: '4', memory: '8Gi' } },
      want: (o: Obj) => expect(o.status.allocatable).toEqual({ cpu: '4', memory: '8Gi' }),
    },
    {
      name: 'Namespace: phase defaults to Active',
      group: '', resource: 'namespaces', obj: { metadata: { name: 'team' } },
      status: {},
      want: (o: Obj) => expect(o.status).toEqual({ phase: 'Active' }),
    },
    {
      name: 'Pod: the stored spec is kept as it is, not defaulted again',
      group: '', resource: 'pods', obj: { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      status: { phase: 'Running' },
      want: (o: Obj, before: Obj) => {
        expect(o.spec).toBe(before.spec);
        expect(o.status.phase).toBe('Running');
      },
    },
  ])('$name', ({ group, resource, obj, status, want }) => {
    const h = new Harness({ workers: 1 });
    const def = h.client.def(group, resource);
    const before = h.client.create(def, obj as KObj) as Obj;
    const ns = before.metadata.namespace;
    const after = h.client.replaceStatus(def, ns, before.metadata.name, before.metadata.uid, status) as Obj;
    want(h.store.get(def, ns, before.metadata.name) as Obj, before);
    expect(after).toBe(h.store.get(def, ns, before.metadata.name));
  });
});

describe('managedFields of a create', () => {
  // as upstream records it: the body decoded and defaulted, before admission plugins add the
  // service account volume, tolerations and priority; ownerReferences items are atomic
  it('kubectl run: the defaulted spec, nothing admission added', () => {
    const h = new Harness({ workers: 1 });
    const client = h.env.client('kubectl-run');
    const pod = client.create(client.def('', 'pods'), { metadata: { name: 'nginx', namespace: 'default', labels: { run: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } }) as Obj;
    expect(pod.spec.volumes?.[0]?.name).toMatch(/^kube-api-access-/);
    expect(pod.spec.tolerations).toHaveLength(2);
    expect(pod.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-run',
        operation: 'Update',
        apiVersion: 'v1',
        time: pod.metadata.creationTimestamp,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:run': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {}, 'f:terminationMessagePath': {}, 'f:terminationMessagePolicy': {} },
            },
            'f:dnsPolicy': {},
            'f:enableServiceLinks': {},
            'f:restartPolicy': {},
            'f:schedulerName': {},
            'f:securityContext': {},
            'f:terminationGracePeriodSeconds': {},
          },
        },
      },
    ]);
  });

  it('an owner reference is one atomic item', () => {
    const h = new Harness({ workers: 1 });
    const client = h.env.client('kube-controller-manager');
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u-1', controller: true, blockOwnerDeletion: true };
    const cm = client.create(client.def('', 'configmaps'), { metadata: { name: 'c', namespace: 'default', ownerReferences: [ref] }, data: { a: 'b' } }) as Obj;
    expect(cm.metadata.managedFields[0].fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:ownerReferences': { '.': {}, 'k:{"uid":"u-1"}': {} } } });
  });
});
