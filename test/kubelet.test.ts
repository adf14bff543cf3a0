// The simulated kubelets seen through the real kubectl, on a fast clock (600×): nodes Ready, pods
// running, image pull and crash-loop back-offs, logs, and `run -i` printing a container's output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
}, 90_000);
afterAll(async () => {
  await c?.stop();
});

const ok = (args: string[]) => c.ok(args);

/** poll a jsonpath until it matches (bounded: the clock runs 600× so simulated minutes pass in well under a second) */
async function until(args: string[], want: RegExp, timeoutMs = 30_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    const r = await c.kubectl(args);
    last = r.stdout + r.stderr;
    if (r.code === 0 && want.test(r.stdout)) return r.stdout;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`timed out waiting for ${want} from kubectl ${args.join(' ')}; last:\n${last}`);
}

describe('kubelets with the real kubectl', () => {
  it('registers the nodes Ready with kubeadm roles', async () => {
    const out = await until(['get', 'nodes', '--no-headers'], /controlplane\s+Ready\s+control-plane/);
    expect(out).toMatch(/node01\s+Ready\s+<none>/);
    expect(out).toMatch(/node02\s+Ready\s+<none>/);
    await until(['get', 'pods', '-n', 'kube-system', 'kube-apiserver-controlplane', '-o', 'jsonpath={.status.phase}'], /^Running$/);
  });

  it('kubectl run t --image=ngnix ends in ImagePullBackOff', async () => {
    await ok(['run', 't', '--image=ngnix']);
    await until(['get', 'pod', 't', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.reason}'], /^ImagePullBackOff$/);
    const describe = await ok(['describe', 'pod', 't']);
    expect(describe).toMatch(/Normal\s+Pulling\s+.*kubelet\s+Pulling image "ngnix"/);
    expect(describe).toMatch(/Warning\s+Failed\s+.*kubelet\s+Error: ErrImagePull/);
    expect(describe).toMatch(/Normal\s+BackOff\s+.*kubelet\s+Back-off pulling image "ngnix"/);
  });

  it('a busybox `sh -c "exit 1"` pod crash-loops with growing back-off', async () => {
    await ok(['run', 'crash', '--image=busybox', '--', 'sh', '-c', 'exit 1']);
    await until(['get', 'pod', 'crash', '-o', 'jsonpath={.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].state.waiting.message}'], /^([2-9]|\d\d+) back-off (\d+s|\d+m\d+s) restarting failed container=crash pod=crash_default\(/);
    // (the exact 10 s, 20 s, 40 s… sequence is checked with the manual clock in main/engine/kubelet)
    const row = await ok(['get', 'pod', 'crash', '--no-headers']);
    expect(row).toMatch(/crash\s+0\/1\s+(CrashLoopBackOff|Error|Completed|Running)\s+\d+/);
  });

  it('kubectl logs shows nginx startup lines', async () => {
    await ok(['run', 'web', '--image=nginx']);
    await until(['get', 'pod', 'web', '-o', 'jsonpath={.status.phase}'], /^Running$/);
    const logs = await ok(['logs', 'web']);
    expect(logs).toMatch(/nginx/);
    const ts = await ok(['logs', 'web', '--timestamps', '--tail=1']);
    expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /);
    const r = await c.kubectl(['logs', 'web', '--previous']);
    expect(r.stderr.trim()).toBe('Error from server (BadRequest): previous terminated container "web" in pod "web" not found');
  });

  it('kubectl run -i --rm --restart=Never prints the output and returns', async () => {
    const r = await c.kubectl(['run', '-i', '--rm', '--restart=Never', 'b', '--image=busybox', '--', 'echo', 'hi'], { timeoutMs: 60_000 });
    expect(r.stdout).toContain('hi');
    expect(r.code).toBe(0);
  });
});
