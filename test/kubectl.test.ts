// The most important external check: the real kubectl (the dispatcher on PATH, which picks the
// binary matching the server's minor version) against a fresh `npm run cluster`, comparing what
// a learner would see with what real Kubernetes prints.
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startCluster, tempDir, type RunningCluster } from './helpers/cluster.js';

const FIX = path.join(ROOT, 'test/fixtures');
const fx = (f: string) => path.join(FIX, f);

let c: RunningCluster;
beforeAll(async () => {
  // real speed: kubectl computes some ages (describe) against the real clock
  c = await startCluster();
});
afterAll(async () => {
  await c?.stop();
});

/** Collapse column padding and ages so a table compares by content, not by timing. */
function norm(s: string): string {
  return s
    .trim()
    .split('\n')
    .map((l) => l.replace(/\b\d+(s|m\d+s|m|h\d+m|h|d\d+h|d)\b/g, '<age>').replace(/\s+/g, ' ').trim())
    .join('\n');
}

async function ok(args: string[], opts: Parameters<RunningCluster['kubectl']>[1] = {}): Promise<string> {
  const r = await c.kubectl(args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function fails(args: string[], opts: Parameters<RunningCluster['kubectl']>[1] = {}): Promise<string> {
  const r = await c.kubectl(args, opts);
  expect(r.code, `kubectl ${args.join(' ')} should fail; stdout:\n${r.stdout}`).not.toBe(0);
  return r.stderr.trim();
}

describe.sequential('kubectl against KubeLab', () => {
  it('version, health and discovery', async () => {
    expect(await ok(['version'])).toMatch(/^Server Version: v1\.32\.0$/m);
    expect(await ok(['get', '--raw', '/healthz'])).toBe('ok');
    expect(await ok(['get', '--raw', '/readyz?verbose'])).toMatch(/readyz check passed/);
    const resources = norm(await ok(['api-resources']));
    expect(resources.split('\n')[0]).toBe('NAME SHORTNAMES APIVERSION NAMESPACED KIND');
    expect(resources).toContain('pods po v1 true Pod');
    expect(resources).toContain('namespaces ns v1 false Namespace');
    expect(resources).toContain('deployments deploy apps/v1 true Deployment');
    expect(resources).toContain('ingresses ing networking.k8s.io/v1 true Ingress');
    expect(await ok(['api-versions'])).toContain('apps/v1\n');
  });

  it('explain reads the OpenAPI schemas', async () => {
    const pod = await ok(['explain', 'pod']);
    expect(pod).toMatch(/^KIND:\s+Pod\nVERSION:\s+v1\n\nDESCRIPTION:\n\s+Pod is a collection of containers that can run on a host\./);
    expect(pod).toMatch(/FIELDS:\n\s+apiVersion\t<string>/);
    expect(pod).toMatch(/\n\s+spec\t<PodSpec>\n/);
    const strategy = await ok(['explain', 'deployment.spec.strategy']);
    expect(strategy).toMatch(/GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: strategy <DeploymentStrategy>/);
    expect(strategy).toMatch(/rollingUpdate\t<RollingUpdateDeployment>/);
    expect(strategy).toMatch(/\n\s+type\t<string>/);
  });

  it('namespaces exist like on a kubeadm cluster', async () => {
    expect(norm(await ok(['get', 'namespaces']))).toBe(
      ['NAME STATUS AGE', 'default Active <age>', 'kube-node-lease Active <age>', 'kube-public Active <age>', 'kube-system Active <age>'].join('\n'),
    );
  });

  it('create -f, get in every output format', async () => {
    expect(await ok(['create', '-f', fx('pod.yaml')])).toBe('pod/mypod created\n');
    await until(async () => (await ok(['get', 'pod', 'mypod', '-o', 'jsonpath={.status.phase}'])) === 'Running');
    expect(norm(await ok(['get', 'pods']))).toBe('NAME READY STATUS RESTARTS AGE\nmypod 1/1 Running 0 <age>');
    expect(norm(await ok(['get', 'pods', '-o', 'wide']))).toMatch(
      /^NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES\nmypod 1\/1 Running 0 <age> 10\.244\.[12]\.\d+ node0[12] <none> <none>$/,
    );
    expect(await ok(['get', 'pods', '-o', 'name'])).toBe('pod/mypod\n');
    expect(await ok(['get', 'pods', '-o', 'jsonpath={.items[0].spec.containers[0].image}'])).toBe('busybox:1.36');
    expect(norm(await ok(['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image']))).toBe('NAME IMAGE\nmypod busybox:1.36');
    const yaml = await ok(['get', 'pod', 'mypod', '-o', 'yaml']);
    for (const line of ['kind: Pod', 'imagePullPolicy: IfNotPresent', 'terminationMessagePath: /dev/termination-log', 'restartPolicy: Always', 'phase: Running', 'qosClass: BestEffort', 'dnsPolicy: ClusterFirst', 'schedulerName: default-scheduler']) {
      expect(yaml).toContain(line);
    }
    const json = JSON.parse(await ok(['get', 'pods', '-o', 'json']));
    expect(json.kind).toBe('List');
    expect(json.items[0].metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(norm(await ok(['get', 'pods', '--show-labels']))).toBe('NAME READY STATUS RESTARTS AGE LABELS\nmypod 1/1 Running 0 <age> app=demo,tier=frontend');
    expect(norm(await ok(['get', 'pods', '-l', 'tier=frontend', '-o', 'name']))).toBe('pod/mypod');
    const none = await c.kubectl(['get', 'pods', '-l', 'tier=backend']);
    expect(none.stderr.trim()).toBe('No resources found in default namespace.');
    const all = norm(await ok(['get', 'pods', '-A']));
    expect(all.split('\n')[0]).toBe('NAMESPACE NAME READY STATUS RESTARTS AGE');
    expect(all).toContain('default mypod 1/1 Running 0 <age>');
    expect(all).toMatch(/^kube-system kube-apiserver-controlplane [01]\/1 \S+ 0 <age>$/m);
  });

  it('sort-by and describe', async () => {
    for (const n of ['zeta', 'alpha', 'mid']) await ok(['create', 'configmap', n, '--from-literal=k=v']);
    const sorted = norm(await ok(['get', 'configmaps', '--sort-by=.metadata.name', '-o', 'custom-columns=NAME:.metadata.name']));
    expect(sorted).toBe('NAME\nalpha\nkube-root-ca.crt\nmid\nzeta');
    const described = await ok(['describe', 'pod', 'mypod']);
    expect(described).toMatch(/^Name:\s+mypod$/m);
    expect(described).toMatch(/^Namespace:\s+default$/m);
    expect(described).toMatch(/^Labels:\s+app=demo\n\s+tier=frontend$/m);
    expect(described).toMatch(/^Status:\s+Running$/m);
    expect(described).toMatch(/^QoS Class:\s+BestEffort$/m);
    const events = norm(described.slice(described.indexOf('Events:')));
    expect(events).toMatch(/^Events:\nType Reason Age From Message\n---- ------ ---- ---- -------\nNormal Scheduled <age> default-scheduler Successfully assigned default\/mypod to node0[12]\n/);
    expect(events).toMatch(/Normal Started <age> kubelet Started container app$/);
  });

  it('get -w streams changes', async () => {
    const proc = spawn('kubectl', ['get', 'configmaps', '-w', '--no-headers'], { env: { ...process.env, KUBECONFIG: c.kubeconfig } });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    await waitFor(() => out.includes('zeta'));
    await ok(['create', 'configmap', 'watched', '--from-literal=a=b']);
    await waitFor(() => out.includes('watched'));
    proc.kill();
    expect(norm(out)).toMatch(/^watched 1 <age>$/m);
  });

  it('apply: created, unchanged, configured; replace; delete -f', async () => {
    expect(await ok(['apply', '-f', fx('deploy-web.yaml')])).toBe('deployment.apps/web created\n');
    expect(await ok(['apply', '-f', fx('deploy-web.yaml')])).toBe('deployment.apps/web unchanged\n');
    expect(await ok(['apply', '-f', fx('deploy-web-3.yaml')])).toBe('deployment.apps/web configured\n');
    expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}'])).toBe('3 2');
    expect(norm(await ok(['get', 'deployments']))).toMatch(/^NAME READY UP-TO-DATE AVAILABLE AGE\nweb [0-3]\/3 [0-3] [0-3] <age>$/);
    expect(await ok(['replace', '-f', fx('deploy-web.yaml')])).toBe('deployment.apps/web replaced\n');
    expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
    expect(await ok(['delete', '-f', fx('deploy-web.yaml')])).toBe('deployment.apps "web" deleted\n');
    expect(await fails(['get', 'deploy', 'web'])).toBe('Error from server (NotFound): deployments.apps "web" not found');
  });

  it('server-side apply with field managers and conflicts', async () => {
    expect(await ok(['apply', '--server-side', '-f', fx('ssa.yaml')])).toBe('deployment.apps/ssa serverside-applied\n');
    expect(await ok(['apply', '--server-side', '-f', fx('ssa.yaml')])).toBe('deployment.apps/ssa serverside-applied\n');
    await ok(['patch', 'deployment', 'ssa', '-p', '{"spec":{"replicas":5}}']);
    const conflict = await fails(['apply', '--server-side', '-f', fx('ssa.yaml')]);
    expect(conflict).toMatch(/^error: Apply failed with 1 conflict: conflict with "kubectl-patch" using apps\/v1: \.spec\.replicas/);
    expect(await ok(['apply', '--server-side', '--force-conflicts', '-f', fx('ssa.yaml')])).toBe('deployment.apps/ssa serverside-applied\n');
    expect(await ok(['get', 'deploy', 'ssa', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
    const managers = JSON.parse(await ok(['get', 'deploy', 'ssa', '-o', 'json', '--show-managed-fields'])).metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`);
    expect(managers).toContain('kubectl/Apply');
  });

  it('create generators send protobuf and work', async () => {
    expect(await ok(['create', 'namespace', 'dev'])).toBe('namespace/dev created\n');
    expect(await ok(['create', 'configmap', 'cm1', '--from-literal=a=b', '-n', 'dev'])).toBe('configmap/cm1 created\n');
    expect(await ok(['create', 'secret', 'generic', 's1', '--from-literal=password=s3cr3t', '-n', 'dev'])).toBe('secret/s1 created\n');
    expect(await ok(['get', 'secret', 's1', '-n', 'dev', '-o', 'jsonpath={.data.password}'])).toBe(Buffer.from('s3cr3t').toString('base64'));
    expect(await ok(['create', 'deployment', 'd1', '--image=nginx:1.27', '--replicas=2'])).toBe('deployment.apps/d1 created\n');
    expect(await ok(['get', 'deploy', 'd1', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.replicas} {.spec.strategy.type}'])).toBe('nginx:1.27 2 RollingUpdate');
    expect(await ok(['create', 'service', 'clusterip', 's1', '--tcp=80:8080'])).toBe('service/s1 created\n');
    const svc = norm(await ok(['get', 'service', 's1']));
    expect(svc).toMatch(/^NAME TYPE CLUSTER-IP EXTERNAL-IP PORT\(S\) AGE\ns1 ClusterIP 10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+ <none> 80\/TCP <age>$/);
    expect(await ok(['create', 'deployment', 'dry', '--image=nginx', '--dry-run=server', '-o', 'jsonpath={.metadata.name}'])).toBe('dry');
    expect(await fails(['get', 'deploy', 'dry'])).toContain('not found');
  });

  it('label, annotate, patch (strategic, merge, json), scale, edit', async () => {
    expect(await ok(['label', 'pod', 'mypod', 'env=dev'])).toBe('pod/mypod labeled\n');
    expect(await fails(['label', 'pod', 'mypod', 'env=prod'])).toBe("error: 'env' already has a value (dev), and --overwrite is false");
    expect(await ok(['label', 'pod', 'mypod', 'env-'])).toBe('pod/mypod unlabeled\n');
    expect(await ok(['annotate', 'deploy', 'd1', 'note=hello'])).toBe('deployment.apps/d1 annotated\n');
    expect(await ok(['patch', 'deploy', 'd1', '-p', '{"spec":{"replicas":3}}'])).toBe('deployment.apps/d1 patched\n');
    expect(await ok(['patch', 'deploy', 'd1', '-p', '{"spec":{"replicas":3}}'])).toBe('deployment.apps/d1 patched (no change)\n');
    expect(await ok(['patch', 'deploy', 'd1', '--type=merge', '-p', '{"metadata":{"labels":{"team":"a"}}}'])).toBe('deployment.apps/d1 patched\n');
    expect(await ok(['patch', 'deploy', 'd1', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":1}]'])).toBe('deployment.apps/d1 patched\n');
    expect(await ok(['set', 'image', 'deploy/d1', 'nginx=nginx:1.28'])).toBe('deployment.apps/d1 image updated\n');
    expect(await ok(['get', 'deploy', 'd1', '-o', 'jsonpath={.spec.replicas} {.metadata.labels.team} {.spec.template.spec.containers[0].image}'])).toBe('1 a nginx:1.28');
    expect(await ok(['scale', 'deploy', 'd1', '--replicas=4'])).toBe('deployment.apps/d1 scaled\n');
    expect(await ok(['get', 'deploy', 'd1', '-o', 'jsonpath={.spec.replicas}'])).toBe('4');

    const dir = tempDir('kubelab-editor-');
    const editor = path.join(dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/replicas: 4/replicas: 6/" "$1"\n');
    chmodSync(editor, 0o755);
    expect(await ok(['edit', 'deploy', 'd1'], { env: { KUBE_EDITOR: editor } })).toBe('deployment.apps/d1 edited\n');
    expect(await ok(['get', 'deploy', 'd1', '-o', 'jsonpath={.spec.replicas}'])).toBe('6');
  });

  it('field validation Warn/Ignore, status ignored on writes, status subresource', async () => {
    const warned = await c.kubectl(['apply', '--validate=warn', '-f', fx('deploy-extra.yaml')]);
    expect(warned.stdout).toBe('deployment.apps/extra created\n');
    expect(warned.stderr.trim()).toBe('Warning: unknown field "spec.foo"');
    expect(await ok(['get', 'deploy', 'extra', '-o', 'jsonpath={.spec.replicas}|{.status.replicas}'])).toMatch(/^1\|(?!7)/);
    await ok(['delete', 'deploy', 'extra']);
    const ignored = await c.kubectl(['create', '--validate=false', '-f', fx('deploy-extra.yaml')]);
    expect([ignored.stdout, ignored.stderr]).toEqual(['deployment.apps/extra created\n', '']);
    expect(await ok(['patch', 'svc', 's1', '--subresource=status', '--type=merge', '-p', '{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.7"}]}}}'])).toBe('service/s1 patched\n');
    expect(await ok(['get', 'svc', 's1', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])).toBe('192.0.2.7');
    // a main-resource write cannot change status, a status write cannot change spec
    await ok(['patch', 'svc', 's1', '--type=merge', '-p', '{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.8"}]}}}']);
    await ok(['patch', 'svc', 's1', '--subresource=status', '--type=merge', '-p', '{"spec":{"type":"NodePort"}}']);
    expect(await ok(['get', 'svc', 's1', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip} {.spec.type}'])).toBe('192.0.2.7 ClusterIP');
  });

  it('auth can-i and whoami', async () => {
    expect(await ok(['auth', 'can-i', 'create', 'pods'])).toBe('yes\n');
    expect(await ok(['auth', 'can-i', '*', '*', '--all-namespaces'])).toBe('yes\n');
    const list = norm(await ok(['auth', 'can-i', '--list']));
    expect(list.split('\n')[0]).toBe('Resources Non-Resource URLs Resource Names Verbs');
    expect(list).toContain('*.* [] [] [*]');
    const who = norm(await ok(['auth', 'whoami']));
    expect(who).toContain('Username kubernetes-admin');
    expect(who).toContain('Groups [system:masters system:authenticated]');
  });

  it('namespace deletion removes what is inside', async () => {
    expect(await ok(['delete', 'namespace', 'dev'])).toBe('namespace "dev" deleted\n');
    expect(await fails(['get', 'namespace', 'dev'])).toBe('Error from server (NotFound): namespaces "dev" not found');
    // kubectl itself looks up the namespace after a 404 and reports that instead
    expect(await fails(['get', 'configmap', 'cm1', '-n', 'dev'])).toBe('Error from server (NotFound): namespaces "dev" not found');
    expect(await ok(['get', 'configmaps', '-A', '-o', 'jsonpath={.items[*].metadata.namespace}'])).not.toContain('dev');
  });
});

describe.sequential('bad input gets the upstream error and the server keeps serving', () => {
  const stillServing = async () => expect(await ok(['get', 'ns', 'default', '-o', 'name'])).toBe('namespace/default\n');

  it.each([
    ['malformed YAML', ['apply', '-f', fx('bad-yaml.yaml')], /^error: error parsing .*bad-yaml\.yaml: error converting YAML to JSON: yaml: line \d+: mapping values are not allowed in this context$/],
    ['unknown kind', ['apply', '-f', fx('unknown-kind.yaml')], /^error: resource mapping not found for name: "x" namespace: "" from ".*unknown-kind\.yaml": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first$/],
    ['unknown field', ['create', '-f', fx('unknown-field.yaml')], /^Error from server \(BadRequest\): error when creating ".*unknown-field\.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.imagee"$/],
    ['missing required field', ['create', '-f', fx('missing-required.yaml')], /^The Pod "nocontainers" is invalid: spec\.containers: Required value$/],
    ['invalid name', ['create', '-f', fx('invalid-name.yaml')], /^The ConfigMap "My_Config" is invalid: metadata\.name: Invalid value: "My_Config": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '\.', and must start and end with an alphanumeric character \(e\.g\. 'example\.com', regex used for validation is '\[a-z0-9\]\(\[-a-z0-9\]\*\[a-z0-9\]\)\?\(\\\.\[a-z0-9\]\(\[-a-z0-9\]\*\[a-z0-9\]\)\?\)\*'\)$/],
    ['duplicate create', ['create', '-f', fx('pod.yaml')], /^Error from server \(AlreadyExists\): error when creating ".*pod\.yaml": pods "mypod" already exists$/],
    ['wrong namespace (client check)', ['create', '-f', fx('wrong-namespace.yaml'), '-n', 'default'], /^error: the namespace from the provided object "other" does not match the namespace "default"\. You must pass '--namespace=other' to perform this operation\.$/],
    ['wrong namespace (server check)', ['create', '--raw', '/api/v1/namespaces/default/configmaps', '-f', fx('wrong-namespace.json')], /^Error from server \(BadRequest\): the namespace of the provided object does not match the namespace sent on the request$/],
    ['unknown resource type', ['get', 'foos'], /^error: the server doesn't have a resource type "foos"$/],
    ['missing object', ['get', 'pod', 'nope'], /^Error from server \(NotFound\): pods "nope" not found$/],
    ['bad label selector', ['get', 'pods', '-l', 'a=b=c'], /^Error from server \(BadRequest\): Unable to find "\/v1, Resource=pods" that match label selector "a=b=c", field selector "": unable to parse requirement/],
    ['bad field selector', ['get', 'pods', '--field-selector', 'spec.foo=bar'], /^Error from server \(BadRequest\): Unable to find "\/v1, Resource=pods" that match label selector "", field selector "spec\.foo=bar": field label not supported: spec\.foo$/],
  ])('%s', async (_name, args, want) => {
    expect(await fails(args)).toMatch(want);
    await stillServing();
  });

  it('stale resourceVersion on replace', async () => {
    await ok(['apply', '-f', fx('deploy-web.yaml')]);
    const stale = await ok(['get', 'deploy', 'web', '-o', 'yaml']);
    await ok(['scale', 'deploy', 'web', '--replicas=5']);
    const file = path.join(tempDir('kubelab-stale-'), 'web.yaml');
    writeFileSync(file, stale);
    expect(await fails(['replace', '-f', file])).toMatch(
      /^Error from server \(Conflict\): error when replacing ".*web\.yaml": Operation cannot be fulfilled on deployments\.apps "web": the object has been modified; please apply your changes to the latest version and try again$/,
    );
    await stillServing();
    expect(readFileSync(file, 'utf8')).toContain('resourceVersion');
  });

  it('refuses requests without credentials', async () => {
    const r = await c.kubectl(['get', 'pods', '--server', c.url, '--insecure-skip-tls-verify', '--kubeconfig', '/dev/null', '--token', 'not-a-real-token']);
    expect(r.stderr.trim()).toBe('error: You must be logged in to the server (Unauthorized)');
    await stillServing();
  });
});

async function until(cond: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const start = performance.now();
  while (!(await cond())) {
    if (performance.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitFor(cond: () => boolean, ms = 15_000): Promise<void> {
  const start = performance.now();
  while (!cond()) {
    if (performance.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
