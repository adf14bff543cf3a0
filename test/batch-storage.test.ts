// Jobs, CronJobs, StatefulSets, storage and config consumption driven by the real kubectl on a
// fast clock (600×): completion and backoff failure, cron history, ordered StatefulSet pods with
// dynamically provisioned claims, static binding, a claim left Pending, and the upstream errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
});
afterAll(async () => {
  await c?.stop();
});

const ok = (args: string[], input?: string) => c.ok(args, input);

const waitFor = (args: string[], want: (out: string) => boolean, timeoutMs = 60_000) => c.waitFor(args, want, timeoutMs);

const jp = (resource: string, path: string, ...more: string[]) => ['get', resource, '-o', `jsonpath=${path}`, ...more];
const header = (s: string) => s.trim().split('\n')[0]!.trim().split(/\s{2,}/);

describe.sequential('batch and storage with real kubectl', () => {
  it('a Job with completions 3 and parallelism 2 completes', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: busybox, command: [sh, -c, "echo done"]}]
`);
    await ok(['wait', '--for=condition=complete', 'job/pi', '--timeout=60s']);
    expect(await ok(jp('job/pi', '{.status.succeeded}'))).toBe('3');
    const table = await ok(['get', 'jobs']);
    expect(header(table)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(table).toMatch(/pi\s+Complete\s+3\/3/);
    expect(await ok(jp('pods', '{.items[*].metadata.labels.job-name}', '-l', 'batch.kubernetes.io/job-name=pi'))).toBe('pi pi pi');
  });

  it('a failing Job exceeds its backoffLimit', async () => {
    await ok(['create', 'job', 'bad', '--image=busybox', '--', 'sh', '-c', 'exit 1']);
    await ok(['patch', 'job/bad', '--type=merge', '-p', '{"spec":{"backoffLimit":1}}']);
    await ok(['wait', '--for=condition=failed', 'job/bad', '--timeout=90s']);
    expect(await ok(jp('job/bad', '{.status.conditions[?(@.type=="Failed")].reason}'))).toBe('BackoffLimitExceeded');
    expect(await ok(jp('job/bad', '{.status.conditions[?(@.type=="Failed")].message}'))).toBe('Job has reached the specified backoff limit');
  });

  it('a CronJob runs every minute, keeps 3 successful jobs, and can be started by hand', async () => {
    await ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/1 * * * *', '--', 'echo', 'tick']);
    const table = await ok(['get', 'cj']);
    expect(header(table)).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    await waitFor(jp('cj/tick', '{.status.lastSuccessfulTime}'), (o) => o !== '', 90_000);
    // 5 simulated minutes pass in ~0.5 s; wait for history pruning to show
    await waitFor(jp('jobs', '{range .items[*]}{.metadata.ownerReferences[0].name}{" "}{.status.succeeded}{"\\n"}{end}'), (o) => o.split('\n').filter((l) => l === 'tick 1').length === 3, 90_000);
    await ok(['create', 'job', '--from=cronjob/tick', 'manual']);
    expect(await ok(jp('job/manual', '{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}'))).toBe('manual');
    await ok(['patch', 'cj/tick', '--type=merge', '-p', '{"spec":{"suspend":true}}']);
  });

  it('a StatefulSet starts web-0..2 in order with bound claims, scales down from the top and keeps claims', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx, volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]}]}
  volumeClaimTemplates:
  - metadata: {name: www}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
    await ok(['rollout', 'status', 'sts/web', '--timeout=90s']);
    const created = (await ok(jp('pods', '{range .items[*]}{.metadata.creationTimestamp}{" "}{.metadata.name}{"\\n"}{end}', '-l', 'app=web'))).trim().split('\n').sort();
    expect(created.map((l) => l.split(' ')[1])).toEqual(['web-0', 'web-1', 'web-2']);
    expect(await ok(jp('pod/web-1', '{.spec.hostname}.{.spec.subdomain}'))).toBe('web-1.web');
    expect(await ok(jp('pvc', '{.items[*].status.phase}'))).toBe('Bound Bound Bound');
    expect((await ok(jp('pvc/www-web-0', '{.spec.volumeName}'))).startsWith('pvc-')).toBe(true);
    expect(header(await ok(['get', 'sts']))).toEqual(['NAME', 'READY', 'AGE']);
    await ok(['scale', 'sts/web', '--replicas=2']);
    await waitFor(jp('pods', '{.items[*].metadata.name}', '-l', 'app=web'), (o) => o === 'web-0 web-1');
    expect(await ok(jp('pvc/www-web-2', '{.status.phase}'))).toBe('Bound');
  });

  it('static binding, a Pending claim and the pv,pvc,sc columns', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-static}
spec: {capacity: {storage: 2Gi}, accessModes: [ReadWriteOnce], storageClassName: manual, hostPath: {path: /data/static}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: claim-static}
spec: {storageClassName: manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: claim-pending}
spec: {storageClassName: local, accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
`);
    await waitFor(jp('pvc/claim-static', '{.status.phase}'), (o) => o === 'Bound');
    expect(await ok(jp('pv/pv-static', '{.spec.claimRef.name} {.status.phase}'))).toBe('claim-static Bound');
    const out = await ok(['get', 'pv,pvc,sc']);
    expect(out).toMatch(/NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE/);
    expect(out).toMatch(/persistentvolume\/pv-static\s+2Gi\s+RWO\s+Retain\s+Bound\s+default\/claim-static\s+manual\s+<unset>/);
    expect(out).toMatch(/NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE/);
    expect(out).toMatch(/persistentvolumeclaim\/claim-pending\s+Pending\s+local\s+<unset>/);
    expect(out).toMatch(/NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE/);
    expect(out).toMatch(/storageclass.storage.k8s.io\/standard \(default\)\s+rancher.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false/);
    // still Pending after simulated minutes
    await ok(['run', 'user', '--image=nginx', '--overrides', '{"spec":{"volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"claim-pending"}}]}}']);
    const ev = await waitFor(['get', 'events', '--field-selector', 'involvedObject.name=user', '-o', 'jsonpath={.items[*].message}'], (o) => o.includes('unbound'));
    expect(ev).toContain('0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    expect(await ok(jp('pvc/claim-pending', '{.status.phase}'))).toBe('Pending');
  });

  it('a missing ConfigMap key gives CreateContainerConfigError; an immutable ConfigMap refuses edits', async () => {
    await ok(['create', 'configmap', 'cfg', '--from-literal=a=1']);
    await ok(['run', 'cfguser', '--image=busybox', '--overrides', '{"spec":{"containers":[{"name":"cfguser","image":"busybox","command":["sleep","3600"],"env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"missing"}}}]}]}}']);
    const reason = await waitFor(jp('pod/cfguser', '{.status.containerStatuses[0].state.waiting.reason}|{.status.containerStatuses[0].state.waiting.message}'), (o) => o.startsWith('CreateContainerConfigError'));
    expect(reason).toBe("CreateContainerConfigError|couldn't find key missing in ConfigMap default/cfg");
    await ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: frozen}\nimmutable: true\ndata: {a: "1"}\n');
    const r = await c.kubectl(['patch', 'cm/frozen', '--type=merge', '-p', '{"data":{"a":"2"}}']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set');
  });
});
