import { describe, expect, it } from 'vitest';
import { builtin } from '../api/registry.js';
import type { KObj } from '../store/types.js';
import { Harness } from '../testing/harness.js';
import { computeSubsets, EndpointsController, findPort, TRIGGER_TIME } from './endpoints.js';
import { computeSlices, EndpointSliceController } from './endpointslice.js';
import { GarbageCollector } from './garbagecollector.js';

const SVC = builtin('', 'services');
const PODS = builtin('', 'pods');

function setup() {
  const h = new Harness({ bootstrap: false });
  h.add(new EndpointsController(h.client, h.clock), new EndpointSliceController(h.client, h.clock), new GarbageCollector(h.client, () => h.ctx.registry.defs.filter((d) => !d.virtual)));
  return h;
}

function mkPod(h: Harness, name: string, ip: string | undefined, ready: boolean, labels: Record<string, string> = { app: 'web' }): KObj {
  h.client.create(PODS, {
    metadata: { name, namespace: 'default', labels },
    spec: { nodeName: 'node01', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
  return h.client.modifyStatus(PODS, 'default', name, (p) => {
    p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T12:00:05Z' }], ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}) };
  });
}

const svc = (name: string, spec: Record<string, unknown>) => ({ metadata: { name, namespace: 'default', labels: { team: 'a' } }, spec });

describe('endpoint computation', () => {
  const pod = (over: Record<string, unknown> = {}) =>
    ({ metadata: { name: 'p', namespace: 'default', uid: 'u', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }] }, ...over }) as KObj;
  it.each([
    { sp: { port: 80 }, want: 80 },
    { sp: { port: 80, targetPort: 9090 }, want: 9090 },
    { sp: { port: 80, targetPort: 'http' }, want: 8080 },
    { sp: { port: 80, targetPort: 'dns' }, want: undefined },
    { sp: { port: 53, targetPort: 'dns', protocol: 'UDP' }, want: 53 },
  ])('findPort $sp', ({ sp, want }) => expect(findPort(pod(), sp)).toBe(want));

  it('groups addresses by port set, sorted by IP, ready apart from not ready', () => {
    const s = { metadata: { name: 's', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } } as KObj;
    const mk = (name: string, ip: string, ready: boolean, extra: Record<string, unknown> = {}) =>
      pod({ metadata: { name, namespace: 'default', uid: name, labels: { app: 'web' }, ...extra }, status: { podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
    const subsets = computeSubsets(s, [mk('b', '10.0.0.9', true), mk('a', '10.0.0.10', true), mk('c', '10.0.0.5', false), mk('d', '10.0.0.6', true, { deletionTimestamp: 'x' })]);
    expect(subsets).toEqual([
      {
        addresses: [
          { ip: '10.0.0.10', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'a' } },
          { ip: '10.0.0.9', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'b' } },
        ],
        notReadyAddresses: [{ ip: '10.0.0.5', targetRef: { kind: 'Pod', namespace: 'default', name: 'c', uid: 'c' } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    // slices keep terminating pods, with conditions
    const slices = computeSlices(s, [mk('d', '10.0.0.6', true, { deletionTimestamp: 'x' })]);
    expect(slices[0]!.endpoints[0]!.conditions).toEqual({ ready: false, serving: true, terminating: true });
    expect(slices[0]!.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
  });
});

describe('EndpointsController + EndpointSliceController', () => {
  it('publishes ready and not-ready pods with IPs, and follows changes', async () => {
    const h = setup();
    h.client.create(SVC, svc('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
    mkPod(h, 'web-1', '10.244.1.5', true);
    mkPod(h, 'web-2', '10.244.1.6', false);
    mkPod(h, 'web-3', undefined, false);
    mkPod(h, 'other', '10.244.1.7', true, { app: 'other' });
    await h.settle();
    const ep = h.get('', 'endpoints', 'default', 'web')!;
    expect(ep.metadata.labels).toEqual({ team: 'a' });
    expect(ep.metadata.annotations?.[TRIGGER_TIME]).toBe('2026-01-01T12:00:05Z');
    expect(ep.subsets).toEqual([
      {
        addresses: [{ ip: '10.244.1.5', nodeName: 'node01', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: h.get('', 'pods', 'default', 'web-1')!.metadata.uid } }],
        notReadyAddresses: [{ ip: '10.244.1.6', nodeName: 'node01', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-2', uid: h.get('', 'pods', 'default', 'web-2')!.metadata.uid } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    const slices = h.list('discovery.k8s.io', 'endpointslices', 'default');
    expect(slices).toHaveLength(1);
    const sl = slices[0]!;
    expect(sl.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(sl.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(sl.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: h.get('', 'services', 'default', 'web')!.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(sl.addressType).toBe('IPv4');
    expect(sl.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect((sl.endpoints as Array<Record<string, unknown>>).map((e) => [e.addresses, e.conditions, e.nodeName])).toEqual([
      [['10.244.1.5'], { ready: true, serving: true, terminating: false }, 'node01'],
      [['10.244.1.6'], { ready: false, serving: false, terminating: false }, 'node01'],
    ]);
    const rv = sl.metadata.resourceVersion;
    await h.settle();
    expect(h.list('discovery.k8s.io', 'endpointslices', 'default')[0]!.metadata.resourceVersion).toBe(rv); // stable

    // pods go: the Endpoints empties, the slice becomes a placeholder
    for (const p of ['web-1', 'web-2', 'web-3']) h.client.delete(PODS, 'default', p, { gracePeriodSeconds: 0 });
    await h.settle();
    expect(h.get('', 'endpoints', 'default', 'web')!.subsets).toBeUndefined();
    const ph = h.list('discovery.k8s.io', 'endpointslices', 'default');
    expect(ph.map((s) => [s.metadata.name, s.endpoints, s.ports])).toEqual([[sl.metadata.name, [], undefined]]);

    // the Service goes: its Endpoints and slices too
    h.client.delete(SVC, 'default', 'web');
    await h.settle();
    expect(h.get('', 'endpoints', 'default', 'web')).toBeUndefined();
    expect(h.list('discovery.k8s.io', 'endpointslices', 'default')).toEqual([]);
    expect(h.errors).toEqual([]);
  });

  it('leaves services without a selector alone', async () => {
    const h = setup();
    h.client.create(SVC, svc('ext', { ports: [{ port: 80 }] }));
    h.client.create(builtin('', 'endpoints'), { metadata: { name: 'ext', namespace: 'default' }, subsets: [{ addresses: [{ ip: '1.2.3.4' }], ports: [{ port: 80 }] }] });
    await h.settle();
    expect(h.get('', 'endpoints', 'default', 'ext')!.subsets).toEqual([{ addresses: [{ ip: '1.2.3.4' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(h.list('discovery.k8s.io', 'endpointslices', 'default')).toEqual([]);
  });

  it('marks headless services', async () => {
    const h = setup();
    h.client.create(SVC, svc('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] }));
    await h.settle();
    expect(h.get('', 'endpoints', 'default', 'db')!.metadata.labels).toEqual({ team: 'a', 'service.kubernetes.io/headless': '' });
  });
});
