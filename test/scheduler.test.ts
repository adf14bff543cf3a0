// The scheduler seen through the real kubectl: a pod too big for any node stays Pending with the
// upstream FailedScheduling message (condition and event), a normal pod gets a node.
// Nodes come from the simulated kubelets; when none register (kubelets not wired), the test
// registers three Node objects itself. Those never turn Ready, so the node lifecycle controller
// taints them; the pods tolerate the not-ready/unreachable NoSchedule taints so that the message
// is the same either way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

const BIG_MSG =
  '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';

const TOLERATE_UNREADY = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({ key, operator: 'Exists', effect: 'NoSchedule' }));

let c: RunningCluster;
beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
});
afterAll(async () => {
  await c?.stop();
});

const ok = (args: string[], input?: string) => c.ok(args, input);

/** poll `kubectl get … -o jsonpath` until `done` holds (bounded), returning the last output */
async function poll(args: string[], done: (out: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let out = '';
  while (Date.now() < end) {
    const r = await c.kubectl(args);
    out = r.stdout;
    if (r.code === 0 && done(out)) return out;
    await new Promise((r) => setTimeout(r, 200));
  }
  return out;
}

const nodeYaml = (name: string, controlPlane: boolean) => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
    kubernetes.io/hostname: ${name}${controlPlane ? "\n    node-role.kubernetes.io/control-plane: ''" : ''}
spec:${controlPlane ? '\n  taints:\n  - key: node-role.kubernetes.io/control-plane\n    effect: NoSchedule' : ' {}'}
`;

describe.sequential('scheduler with real kubectl', () => {
  it('has nodes to schedule onto', async () => {
    const names = await poll(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'], (o) => o.trim().split(/\s+/).length >= 3, 10_000);
    if (names.trim() !== 'controlplane node01 node02') {
      for (const [n, cp] of [['controlplane', true], ['node01', false], ['node02', false]] as const) {
        await ok(['apply', '-f', '-'], nodeYaml(n, cp));
        const alloc = '{"status":{"capacity":{"cpu":"2","memory":"4010048Ki","pods":"110"},"allocatable":{"cpu":"2","memory":"3907648Ki","pods":"110"}}}';
        await ok(['patch', 'node', n, '--subresource=status', '--type=merge', '-p', alloc]);
      }
    }
    expect((await ok(['get', 'nodes', '-o', 'name'])).trim().split('\n').length).toBeGreaterThanOrEqual(3);
  });

  it('a pod requesting 100 CPUs stays Pending with the upstream message', async () => {
    const spec = { tolerations: TOLERATE_UNREADY, containers: [{ name: 'big', image: 'nginx', resources: { requests: { cpu: '100' } } }] };
    await ok(['run', 'big', '--image=nginx', '--overrides', JSON.stringify({ spec })]);
    const msg = await poll(['get', 'pod', 'big', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}'], (o) => o.length > 0);
    expect(msg).toBe(BIG_MSG);
    expect(await ok(['get', 'pod', 'big', '-o', 'jsonpath={.status.phase} {.spec.nodeName} {.status.conditions[?(@.type=="PodScheduled")].reason}'])).toBe('Pending  Unschedulable');
    const describe = await ok(['describe', 'pod', 'big']);
    // under load the scheduler may retry before describe runs: the Age column then reads "5s (x2 over 9s)"
    expect(describe).toMatch(/Warning\s+FailedScheduling\s+\S+(?: \(x\d+ over \S+\))?\s+default-scheduler\s+0\/3 nodes are available: /);
    expect(describe.replace(/\s+/g, ' ')).toContain(BIG_MSG);
  });

  it('a normal pod is bound to a worker with the Scheduled event', async () => {
    await ok(['run', 'web', '--image=nginx', '--overrides', JSON.stringify({ spec: { tolerations: TOLERATE_UNREADY } })]);
    const node = await poll(['get', 'pod', 'web', '-o', 'jsonpath={.spec.nodeName}'], (o) => o.length > 0);
    expect(['node01', 'node02']).toContain(node);
    expect(await ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status}'])).toBe('True');
    const describe = await ok(['describe', 'pod', 'web']);
    expect(describe).toMatch(new RegExp(`Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned default/web to ${node}`));
  });
});
