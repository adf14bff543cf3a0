// The workload controllers driven by the real kubectl on a fast clock: a Deployment's rollout,
// image update, history, undo (reusing the old ReplicaSet), scaling, self-healing and cascading
// deletion, plus the bootstrap kube-proxy DaemonSet on every node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
});
afterAll(async () => {
  await c?.stop();
});

const ok = (args: string[]) => c.ok(args);

const waitFor = (args: string[], want: (out: string) => boolean, timeoutMs = 30_000) => c.waitFor(args, want, timeoutMs);

const jp = (resource: string, path: string, ...more: string[]) => ['get', resource, '-o', `jsonpath=${path}`, ...more];
const rsNames = async () => (await ok(jp('rs', '{.items[*].metadata.name}', '-l', 'app=web'))).split(' ').filter(Boolean).sort();
const cols = (s: string) => s.trim().split('\n').map((l) => l.trim().split(/\s+/));

describe.sequential('workload controllers with real kubectl', () => {
  it('kube-proxy runs on every node and CoreDNS is available', async () => {
    await waitFor(jp('ds/kube-proxy', '{.status.numberReady}', '-n', 'kube-system'), (o) => o === '3', 60_000);
    await waitFor(jp('deploy/coredns', '{.status.availableReplicas}', '-n', 'kube-system'), (o) => o === '2', 60_000);
    const nodes = (await ok(jp('pods', '{.items[*].spec.nodeName}', '-n', 'kube-system', '-l', 'k8s-app=kube-proxy'))).split(' ').sort();
    expect(nodes).toEqual(['controlplane', 'node01', 'node02']);
    expect((await ok(['rollout', 'status', 'ds/kube-proxy', '-n', 'kube-system', '--timeout=30s'])).trim()).toBe('daemon set "kube-proxy" successfully rolled out');
    const table = cols(await ok(['get', 'ds', '-n', 'kube-system']));
    expect(table[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE', 'SELECTOR', 'AGE']);
    expect(table[1]!.slice(0, 7)).toEqual(['kube-proxy', '3', '3', '3', '3', '3', 'kubernetes.io/os=linux']);
  });

  let first = '';
  it('create deployment, rollout status', async () => {
    expect(await ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3'])).toBe('deployment.apps/web created\n');
    const out = await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(out.trim().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
    const names = await rsNames();
    expect(names).toHaveLength(1);
    first = names[0]!;
    expect(first).toMatch(/^web-[4-9bcdf]{9,10}$/);
    const hash = first.slice('web-'.length);
    const podLabels = (await ok(jp('pods', '{.items[*].metadata.labels.pod-template-hash}', '-l', 'app=web'))).split(' ');
    expect(podLabels).toEqual([hash, hash, hash]);
    expect(cols(await ok(['get', 'deploy', 'web']))[1]!.slice(0, 4)).toEqual(['web', '3/3', '3', '3']);
    const conds = await ok(jp('deploy/web', '{range .status.conditions[*]}{.type}={.reason};{end}'));
    expect(conds).toBe('Available=MinimumReplicasAvailable;Progressing=NewReplicaSetAvailable;');
  });

  it('set image makes a second ReplicaSet; history lists both revisions', async () => {
    await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const names = await rsNames();
    expect(names).toHaveLength(2);
    expect(names).toContain(first);
    expect(await ok(jp(`rs/${first}`, '{.spec.replicas}'))).toBe('0');
    const history = cols(await ok(['rollout', 'history', 'deployment/web']));
    expect(history.slice(1)).toEqual([['REVISION', 'CHANGE-CAUSE'], ['1', '<none>'], ['2', '<none>']]);
  });

  it('rollout undo reuses the first ReplicaSet', async () => {
    expect((await ok(['rollout', 'undo', 'deployment/web'])).trim()).toBe('deployment.apps/web rolled back');
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(await rsNames()).toHaveLength(2);
    expect(await ok(jp(`rs/${first}`, '{.spec.replicas}'))).toBe('3');
    expect(await ok(jp(`rs/${first}`, "{.metadata.annotations['deployment\\.kubernetes\\.io/revision']}"))).toBe('3');
    const history = cols(await ok(['rollout', 'history', 'deployment/web']));
    expect(history.slice(2).map((r) => r[0])).toEqual(['2', '3']);
  });

  it('scale, and a deleted pod is replaced', async () => {
    await ok(['scale', 'deployment', 'web', '--replicas=5']);
    await waitFor(jp('deploy/web', '{.status.readyReplicas}'), (o) => o === '5');
    const before = (await ok(jp('pods', '{.items[*].metadata.name}', '-l', 'app=web'))).split(' ');
    expect(before).toHaveLength(5);
    await ok(['delete', 'pod', before[0]!, '--wait=false']);
    await waitFor(jp('pods', '{range .items[*]}{.metadata.name} {.status.phase} {.metadata.deletionTimestamp}{"\\n"}{end}', '-l', 'app=web'), (o) => {
      // name, phase and (for terminating pods) a deletionTimestamp
      const rows = o.split('\n').map((l) => l.trim().split(/\s+/)).filter((r) => r[0]);
      const running = rows.filter((r) => r.length === 2 && r[1] === 'Running');
      return running.length === 5 && !running.some((r) => r[0] === before[0]);
    });
    await waitFor(jp('rs/' + first, '{.status.readyReplicas}'), (o) => o === '5');
  });

  it('deleting the Deployment removes its ReplicaSets and pods (garbage collector)', async () => {
    await ok(['delete', 'deployment', 'web']);
    await waitFor(jp('rs', '{.items[*].metadata.name}', '-l', 'app=web'), (o) => o.trim() === '');
    await waitFor(jp('pods', '{.items[*].metadata.name}', '-l', 'app=web'), (o) => o.trim() === '');
  });
});
