import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../testing/harness.js';
import { goDuration, microTime, rfc3339Nano } from './format.js';
import { KubeletPool } from './pool.js';
import { FakeRuntime } from './testutil.js';

type Obj = Record<string, any>;
let h: Harness;
afterEach(() => h?.stop());

function setup(workers = 1) {
  h = new Harness({ workers });
  const pool = new KubeletPool(h.env, new FakeRuntime());
  h.startAgents(...pool.agents);
  return pool;
}
const node = (name: string) => h.get('', 'nodes', undefined, name) as Obj;
const lease = (name: string) => h.get('coordination.k8s.io', 'leases', 'kube-node-lease', name) as Obj;

describe('formatting', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [2345, '2.345s'],
    [10_000, '10s'],
    [80_000, '1m20s'],
    [300_000, '5m0s'],
  ])('goDuration(%i) = %s', (ms, s) => expect(goDuration(ms)).toBe(s));
  it('prints MicroTime and RFC3339Nano like Go', () => {
    expect(microTime(Date.UTC(2026, 0, 1, 12, 0, 0, 5))).toBe('2026-01-01T12:00:00.005000Z');
    expect(rfc3339Nano(Date.UTC(2026, 0, 1, 12, 0, 0, 120), 0)).toBe('2026-01-01T12:00:00.12Z');
    expect(rfc3339Nano(Date.UTC(2026, 0, 1, 12), 0)).toBe('2026-01-01T12:00:00Z');
  });
});

describe('node registration and heartbeats', () => {
  it('registers kubeadm-like nodes with status, events and a lease', async () => {
    setup();
    await h.settle();
    const cp = node('controlplane');
    expect(cp.metadata.labels).toEqual({
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'controlplane',
      'kubernetes.io/os': 'linux',
      'node-role.kubernetes.io/control-plane': '',
      'node.kubernetes.io/exclude-from-external-load-balancers': '',
    });
    expect(cp.spec).toMatchObject({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    expect(cp.metadata.annotations['node.alpha.kubernetes.io/ttl']).toBe('0');
    const w = node('node01');
    expect(w.spec.taints).toBeUndefined();
    expect(w.status.addresses).toEqual([
      { type: 'InternalIP', address: '172.30.2.2' },
      { type: 'Hostname', address: 'node01' },
    ]);
    expect(w.status.conditions.map((c: Obj) => `${c.type}=${c.status} ${c.reason}: ${c.message}`)).toEqual([
      'MemoryPressure=False KubeletHasSufficientMemory: kubelet has sufficient memory available',
      'DiskPressure=False KubeletHasNoDiskPressure: kubelet has no disk pressure',
      'PIDPressure=False KubeletHasSufficientPID: kubelet has sufficient PID available',
      'Ready=True KubeletReady: kubelet is posting ready status',
    ]);
    expect(w.status.nodeInfo.kubeletVersion).toBe('v1.32.0');
    expect(h.eventsFor('node01')).toEqual([
      'Normal Starting: Starting kubelet.',
      'Normal NodeHasSufficientMemory: Node node01 status is now: NodeHasSufficientMemory',
      'Normal NodeHasNoDiskPressure: Node node01 status is now: NodeHasNoDiskPressure',
      'Normal NodeHasSufficientPID: Node node01 status is now: NodeHasSufficientPID',
      'Normal NodeAllocatableEnforced: Updated Node Allocatable limit across pods',
      'Normal NodeReady: Node node01 status is now: NodeReady',
    ]);
    expect(lease('node01').spec).toEqual({ holderIdentity: 'node01', leaseDurationSeconds: 40, renewTime: microTime(h.clock.now()) });
    expect(lease('node01').metadata.ownerReferences[0]).toMatchObject({ kind: 'Node', name: 'node01', uid: w.metadata.uid });
  });

  it('renews the lease every 10 s and posts an unchanged status only every 5 min', async () => {
    setup();
    await h.settle();
    const t0 = h.clock.now();
    const renewals: number[] = [];
    const posts: string[] = [];
    for (let i = 0; i < 330; i++) {
      await h.advance(1000);
      const r = Date.parse(lease('node01').spec.renewTime);
      if (r !== renewals.at(-1)) renewals.push(r);
      const hb = node('node01').status.conditions.find((c: Obj) => c.type === 'Ready').lastHeartbeatTime;
      if (hb !== posts.at(-1)) posts.push(hb);
    }
    expect(renewals.slice(0, 3).map((r) => r - t0)).toEqual([0, 10_000, 20_000]);
    expect(posts.map((p) => Date.parse(p) - t0)).toEqual([0, 300_000]);
  });

  it('a stopped kubelet stops heartbeating and its pods freeze; started again it catches up', async () => {
    const pool = setup();
    await h.settle();
    pool.stopKubelet('node01');
    const renewed = lease('node01').spec.renewTime;
    h.client.create(h.client.def('', 'pods'), { metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'node01', containers: [{ name: 'nginx', image: 'nginx' }] } });
    await h.advance(60_000);
    expect(lease('node01').spec.renewTime).toBe(renewed);
    expect((h.get('', 'pods', 'default', 'p') as Obj).status.containerStatuses).toBeUndefined();
    pool.startKubelet('node01');
    await h.advance(10_000, 100);
    expect((h.get('', 'pods', 'default', 'p') as Obj).status.phase).toBe('Running');
    expect(lease('node01').spec.renewTime).not.toBe(renewed);
  });

  it('runs the control plane as mirror pods and recreates a deleted one', async () => {
    setup(0);
    await h.advance(30_000, 500);
    const pods = h.list('', 'pods', 'kube-system').map((p) => p.metadata.name).sort();
    expect(pods).toEqual(['etcd-controlplane', 'kube-apiserver-controlplane', 'kube-controller-manager-controlplane', 'kube-scheduler-controlplane']);
    const api = h.get('', 'pods', 'kube-system', 'kube-apiserver-controlplane') as Obj;
    expect(api.metadata.annotations['kubernetes.io/config.source']).toBe('file');
    expect(api.metadata.ownerReferences[0]).toMatchObject({ kind: 'Node', name: 'controlplane' });
    expect(api.spec.priority).toBe(2000001000);
    expect(api.status.podIP).toBe('172.30.1.2');
    expect(api.status.phase).toBe('Running');
    expect(api.status.containerStatuses[0].image).toBe('registry.k8s.io/kube-apiserver:v1.32.0');
    const uid = api.metadata.uid;
    h.client.delete(h.client.def('', 'pods'), 'kube-system', 'kube-apiserver-controlplane');
    await h.advance(2_000, 100);
    const again = h.get('', 'pods', 'kube-system', 'kube-apiserver-controlplane') as Obj;
    expect(again.metadata.uid).not.toBe(uid);
    expect(again.status.phase).toBe('Running');
  });
});
