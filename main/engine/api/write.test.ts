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
