// Infrastructure controllers against the real engine and the real kubectl, on a fast clock:
// garbage collection (background/foreground/orphan), Endpoints/EndpointSlices, node lifecycle
// (NotReady + taints), and when the kubelets and the eviction route exist, drain and node failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
}, 90_000);
afterAll(async () => {
  await c?.stop();
});

const k = (args: string[], input?: string) => c.ok(args, input);

const until = (args: string[], ok: (out: string) => boolean, timeoutMs = 30_000) => c.waitFor(args, ok, timeoutMs);

const uidOf = async (kind: string, name: string) => (await k(['get', kind, name, '-o', 'jsonpath={.metadata.uid}'])).trim();
const childOf = (name: string, ownerKind: string, ownerName: string, uid: string, apiVersion = 'v1') =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences: [{ apiVersion, kind: ownerKind, name: ownerName, uid, controller: true, blockOwnerDeletion: true }] } });

describe('garbage collector', () => {
  it.each([
    { cascade: 'background', childLeft: false },
    { cascade: 'foreground', childLeft: false },
    { cascade: 'orphan', childLeft: true },
  ])('kubectl delete --cascade=$cascade', async ({ cascade, childLeft }) => {
    const owner = `owner-${cascade}`;
    await k(['create', 'configmap', owner]);
    await k(['apply', '-f', '-'], childOf(`child-${cascade}`, 'ConfigMap', owner, await uidOf('configmap', owner)));
    await k(['delete', 'configmap', owner, `--cascade=${cascade}`]);
    const names = await until(['get', 'configmaps', '-o', 'jsonpath={.items[*].metadata.name}'], (o) => !o.includes(owner) && o.includes(`child-${cascade}`) === childLeft);
    expect(names.includes(`child-${cascade}`)).toBe(childLeft);
    if (childLeft) expect(await k(['get', 'configmap', `child-${cascade}`, '-o', 'jsonpath={.metadata.ownerReferences}'])).toBe('');
  });

  it('kubectl delete deploy --cascade=orphan keeps the ReplicaSet', async () => {
    await k(['create', 'deployment', 'keep', '--image=nginx', '--replicas=0']);
    const uid = await uidOf('deployment', 'keep');
    // the Deployment controller (when running) makes the RS; otherwise make one as it would
    const found = await c.kubectl(['get', 'rs', '-l', 'app=keep', '-o', 'jsonpath={.items[*].metadata.name}']);
    let rs = found.stdout.trim();
    for (let i = 0; !rs && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 250));
      rs = (await k(['get', 'rs', '-l', 'app=keep', '-o', 'jsonpath={.items[*].metadata.name}'])).trim();
    }
    if (!rs) {
      rs = 'keep-manual';
      await k(['apply', '-f', '-'], JSON.stringify({
        apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: { name: rs, labels: { app: 'keep' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'keep', uid, controller: true, blockOwnerDeletion: true }] },
        spec: { replicas: 0, selector: { matchLabels: { app: 'keep' } }, template: { metadata: { labels: { app: 'keep' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
      }));
    }
    await k(['delete', 'deployment', 'keep', '--cascade=orphan']);
    await until(['get', 'rs', rs, '-o', 'jsonpath={.metadata.ownerReferences}'], (o) => o === '');
    expect((await c.kubectl(['get', 'deployment', 'keep'])).code).not.toBe(0);
    await k(['delete', 'rs', rs]);
  });
});

describe('endpoints', () => {
  it('pods with IPs on a node that is not ready are listed as not ready, with the named target port', async () => {
    // a node nobody runs and pods given a status by hand: the node never gets Ready, so the node
    // lifecycle controller marks its pods not ready
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'ep-node' } }));
    for (const [name, ip] of [['ep-1', '10.244.9.5'], ['ep-2', '10.244.9.6']] as const) {
      await k(['apply', '-f', '-'], JSON.stringify({
        apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'ep' } },
        spec: { nodeName: 'ep-node', tolerations: [{ operator: 'Exists' }], containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
      }));
      await k(['patch', 'pod', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] } })]);
    }
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ep' }, spec: { selector: { app: 'ep' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } }));
    await until(['get', 'endpoints', 'ep', '-o', 'jsonpath={.subsets[*].notReadyAddresses[*].ip}'], (o) => o === '10.244.9.5 10.244.9.6');
    expect(await k(['get', 'endpoints', 'ep', '-o', 'jsonpath={.subsets[0].ports[0].name}:{.subsets[0].ports[0].port} {.subsets[0].notReadyAddresses[0].targetRef.name} {.subsets[0].notReadyAddresses[0].nodeName}'])).toBe('web:8080 ep-1 ep-node');
    const slice = await until(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=ep', '-o', 'jsonpath={.items[*].metadata.name}'], (o) => /^ep-[a-z0-9]{5}$/.test(o.trim()));
    await until(['get', 'endpointslice', slice.trim(), '-o', 'jsonpath={.endpoints[*].conditions.ready} {.ports[0].port} {.metadata.ownerReferences[0].kind}'], (o) => o === 'false false 8080 Service');
    await k(['delete', 'service', 'ep']);
    await until(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=ep', '-o', 'name'], (o) => o.trim() === '');
    await until(['get', 'endpoints', '-o', 'jsonpath={.items[*].metadata.name}'], (o) => !o.split(' ').includes('ep'));
  });

  it('a Service in front of running pods lists their IPs (needs kubelets)', async () => {
    await until(['get', 'node', 'node01', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'], (o) => o === 'True');
    await k(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ name: 'http', containerPort: 80 }] }] } } },
    }));
    await k(['expose', 'deployment', 'web', '--port=8080', '--target-port=http']);
    await until(['get', 'deploy', 'web', '-o', 'jsonpath={.status.availableReplicas}'], (o) => o === '2', 60_000);
    const ips = (await k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}'])).trim().split(' ').sort();
    const want = ips.map((ip) => `${ip}:80`).join(',');
    const table = await until(['get', 'endpoints', 'web'], (o) => o.includes(want));
    expect(table).toMatch(new RegExp(`^NAME\\s+ENDPOINTS\\s+AGE\\nweb\\s+${want.replace(/\./g, '\\.')}\\s+\\S+\\n$`));
    await k(['delete', 'deployment', 'web']);
    await until(['get', 'endpoints', 'web', '-o', 'jsonpath={.subsets}'], (o) => o === '', 60_000);
  });
});

describe('node lifecycle', () => {
  it('a node whose heartbeats stop goes NotReady after 40 s with the unreachable taints', async () => {
    const now = () => new Date().toISOString(); // the engine runs ahead at 600×; any recent heartbeat starts the grace period
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'silent' } }));
    const conds = ['MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => ({ type, status: 'False', reason: 'ok', message: 'ok', lastHeartbeatTime: now(), lastTransitionTime: now() }));
    conds.push({ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now(), lastTransitionTime: now() });
    await k(['patch', 'node', 'silent', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions: conds } })]);
    // 40 s simulated is ~70 ms at 600×
    await until(['get', 'node', 'silent', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'], (o) => o === 'Unknown');
    expect(await k(['get', 'node', 'silent', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}|{.status.conditions[?(@.type=="Ready")].message}'])).toBe('NodeStatusUnknown|Kubelet stopped posting node status.');
    const taints = await until(['get', 'node', 'silent', '-o', 'jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}'], (o) => o.includes('unreachable:NoExecute') && o.includes('unreachable:NoSchedule'));
    expect(taints.trim().split(' ').sort()).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(await k(['get', 'node', 'silent', '--no-headers'])).toMatch(/^silent\s+NotReady\s/);
    const events = await until(['get', 'events', '--field-selector', 'involvedObject.name=silent', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}|{end}'], (o) => o.includes('NodeNotReady'));
    expect(events).toContain('RegisteredNode:Node silent event: Registered Node silent in Controller|');
    expect(events).toContain('NodeNotReady:Node silent status is now: NodeNotReady|');
  });

  it('cordon/uncordon adds and removes the unschedulable taint', async () => {
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'cordoned' } }));
    await k(['cordon', 'cordoned']);
    await until(['get', 'node', 'cordoned', '-o', 'jsonpath={.spec.taints[*].key}'], (o) => o.split(' ').includes('node.kubernetes.io/unschedulable'));
    await k(['uncordon', 'cordoned']);
    await until(['get', 'node', 'cordoned', '-o', 'jsonpath={.spec.taints[*].key}'], (o) => !o.split(' ').includes('node.kubernetes.io/unschedulable'));
  });
});

describe('with kubelets', () => {
  it('cordon, drain --ignore-daemonsets (pods evicted and replaced elsewhere), uncordon', async () => {
    await k(['create', 'deployment', 'drainme', '--image=nginx', '--replicas=4']);
    const running = (o: string) => o.trim().split(' ').filter((p) => p === 'Running').length === 4;
    await until(['get', 'pods', '-l', 'app=drainme', '-o', 'jsonpath={.items[*].status.phase}'], running, 60_000);
    const r = await c.kubectl(['drain', 'node02', '--ignore-daemonsets', '--timeout=120s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('node/node02 cordoned');
    expect(r.stderr).toMatch(/Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-[a-z0-9]{5}/);
    expect(r.stdout).toContain('node/node02 drained');
    expect(await k(['get', 'node', 'node02', '-o', 'jsonpath={.spec.unschedulable}'])).toBe('true');
    expect((await k(['get', 'nodes', 'node02'])).split('\n')[1]).toMatch(/^node02\s+Ready,SchedulingDisabled\s+<none>/);
    const placed = await until(
      ['get', 'pods', '-l', 'app=drainme', '--field-selector', 'status.phase=Running', '-o', 'jsonpath={.items[*].spec.nodeName}'],
      (o) => o.trim().split(' ').length === 4 && !o.includes('node02'),
      60_000,
    );
    expect(placed.trim().split(' ').every((n) => n === 'node01')).toBe(true);
    expect(await k(['uncordon', 'node02'])).toBe('node/node02 uncordoned\n');
    expect(await k(['get', 'node', 'node02', '-o', 'jsonpath={.spec.unschedulable}'])).toBe('');
  });

  it('stopping a kubelet: node NotReady, then its pods are replaced elsewhere after 5 min', async () => {
    await k(['create', 'deployment', 'spread', '--image=nginx', '--replicas=4']);
    await until(['get', 'deploy', 'spread', '-o', 'jsonpath={.status.availableReplicas}'], (o) => o === '4', 60_000);
    // the node that runs some of them (the scheduler spreads by free resources)
    const nodes = (await k(['get', 'pods', '-l', 'app=spread', '-o', 'jsonpath={.items[*].spec.nodeName}'])).trim().split(' ');
    const node = nodes[0]!;
    const victims = (await k(['get', 'pods', '-l', 'app=spread', '--field-selector', `spec.nodeName=${node}`, '-o', 'jsonpath={.items[*].metadata.name}'])).trim().split(' ');
    expect(victims.length).toBeGreaterThan(0);
    await k(['create', '--raw', `/kubelab/v1alpha1/nodes/${node}/stop`, '-f', '-'], '{}');
    await until(['get', 'node', node, '--no-headers'], (o) => /\sNotReady\s/.test(o), 30_000);
    expect(await k(['get', 'node', node, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}'])).toBe('NodeStatusUnknown');
    // 300 s toleration, then the victims are Terminating and replacements run on other nodes
    await until(['get', 'pods', '-l', 'app=spread', '-o', 'jsonpath={range .items[?(@.metadata.deletionTimestamp)]}{.metadata.name} {end}'], (o) => victims.every((v) => o.includes(v)), 60_000);
    await until(['get', 'deploy', 'spread', '-o', 'jsonpath={.status.availableReplicas}'], (o) => o === '4', 60_000);
    const live = await k(['get', 'pods', '-l', 'app=spread', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.nodeName} {end}']);
    for (const entry of live.trim().split(' ')) {
      const [name, on] = entry.split('=');
      if (!victims.includes(name!)) expect(on).not.toBe(node);
    }
    await k(['create', '--raw', `/kubelab/v1alpha1/nodes/${node}/start`, '-f', '-'], '{}');
    // back: Ready again, and its kubelet finishes the pods it was told to stop
    await until(['get', 'node', node, '--no-headers'], (o) => /\sReady\s/.test(o), 30_000);
    await until(['get', 'pods', '-l', 'app=spread', '-o', 'jsonpath={.items[*].metadata.name}'], (o) => victims.every((v) => !o.includes(v)), 60_000);
  });
});
