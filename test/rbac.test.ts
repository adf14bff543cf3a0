// RBAC and identity with the real kubectl: the CKA "create a user" flow (openssl key + CSR,
// approve, issued certificate, user kubeconfig), forbidden until a Role/RoleBinding allows it,
// impersonation, ServiceAccount tokens, `auth can-i [--list]` and `auth whoami`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, tempDir, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
let dir: string;
let userKubeconfig: string;

async function ok(args: string[], env?: Record<string, string>): Promise<string> {
  const r = await c.kubectl(args, { env });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function until(args: string[], pred: (out: string) => boolean, what: string): Promise<string> {
  let last = '';
  for (let i = 0; i < 100; i++) {
    const r = await c.kubectl(args);
    last = r.stdout + r.stderr;
    if (r.code === 0 && pred(r.stdout)) return r.stdout;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${last}`);
}

beforeAll(async () => {
  c = await startCluster({ extraArgs: ['--speed', '600'] });
  dir = tempDir('kubelab-rbac-');
  userKubeconfig = path.join(dir, 'kubeconfig');
  copyFileSync(c.kubeconfig, userKubeconfig);
}, 90_000);

afterAll(async () => {
  await c?.stop();
});

describe('users by client certificate (CSR flow)', () => {
  it('creates, approves and issues a CSR, then the user is forbidden until bound', async () => {
    const key = path.join(dir, 'jane.key');
    const csrFile = path.join(dir, 'jane.csr');
    execFileSync('openssl', ['genrsa', '-out', key, '2048'], { stdio: 'ignore' });
    execFileSync('openssl', ['req', '-new', '-key', key, '-out', csrFile, '-subj', '/CN=jane/O=developers'], { stdio: 'ignore' });
    const request = Buffer.from(execFileSync('cat', [csrFile])).toString('base64');
    const manifest = `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: jane
spec:
  request: ${request}
  signerName: kubernetes.io/kube-apiserver-client
  expirationSeconds: 86400
  usages:
  - client auth
`;
    expect(await c.kubectl(['create', '-f', '-'], { input: manifest })).toMatchObject({ code: 0, stdout: 'certificatesigningrequest.certificates.k8s.io/jane created\n' });
    const table = await ok(['get', 'csr']);
    expect(table).toMatch(/^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION\n/);
    expect(table).toMatch(/jane\s+\S+\s+kubernetes\.io\/kube-apiserver-client\s+kubernetes-admin\s+24h\s+Pending/);

    expect(await ok(['certificate', 'approve', 'jane'])).toBe('certificatesigningrequest.certificates.k8s.io/jane approved\n');
    const cert64 = await until(['get', 'csr', 'jane', '-o', 'jsonpath={.status.certificate}'], (o) => o.length > 0, 'the issued certificate');
    expect(await ok(['get', 'csr', 'jane'])).toMatch(/Approved,Issued/);
    const crt = path.join(dir, 'jane.crt');
    writeFileSync(crt, Buffer.from(cert64, 'base64'));
    expect(execFileSync('openssl', ['x509', '-in', crt, '-noout', '-subject']).toString()).toMatch(/CN\s*=\s*jane/);

    const env = { KUBECONFIG: userKubeconfig };
    await ok(['config', 'set-credentials', 'jane', `--client-key=${key}`, `--client-certificate=${crt}`, '--embed-certs=true'], env);
    await ok(['config', 'set-context', 'jane', '--cluster=kubelab', '--user=jane'], env);

    const denied = await c.kubectl(['--context=jane', 'get', 'pods'], { env });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n');
    const byName = await c.kubectl(['--context=jane', 'get', 'pod', 'x'], { env });
    expect(byName.stderr).toBe('Error from server (Forbidden): pods "x" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"\n');
    const nodes = await c.kubectl(['--context=jane', 'get', 'nodes'], { env });
    expect(nodes.stderr).toBe('Error from server (Forbidden): nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope\n');
    expect((await c.kubectl(['--context=jane', 'auth', 'whoami'], { env })).stdout).toMatch(/Username\s+jane\nGroups\s+\[developers system:authenticated\]/);

    expect(await ok(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods'])).toBe('role.rbac.authorization.k8s.io/pod-reader created\n');
    expect(await ok(['create', 'rolebinding', 'jane-reads', '--role=pod-reader', '--user=jane'])).toBe('rolebinding.rbac.authorization.k8s.io/jane-reads created\n');
    expect(await ok(['get', 'rolebinding', 'jane-reads', '-o', 'wide'])).toMatch(/jane-reads\s+Role\/pod-reader\s+\S+\s+jane/);
    const allowed = await c.kubectl(['--context=jane', 'get', 'pods'], { env });
    expect(allowed.code).toBe(0);
    const other = await c.kubectl(['--context=jane', 'get', 'pods', '-n', 'kube-system'], { env });
    expect(other.stderr).toContain('User "jane" cannot list resource "pods" in API group "" in the namespace "kube-system"');
    const del = await c.kubectl(['--context=jane', 'delete', 'pod', 'nope'], { env });
    expect(del.stderr).toContain('pods "nope" is forbidden: User "jane" cannot delete resource "pods" in API group "" in the namespace "default"');
  }, 120_000);

  it('rejects a malformed request and a missing usage in upstream words', async () => {
    const bad = `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: broken
spec:
  request: ${Buffer.from('not a pem').toString('base64')}
  signerName: kubernetes.io/kube-apiserver-client
`;
    const r = await c.kubectl(['create', '-f', '-'], { input: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The CertificateSigningRequest "broken" is invalid: ');
    expect(r.stderr).toContain('spec.request: Invalid value: []byte{0x6e, 0x6f, 0x74');
    expect(r.stderr).toContain('PEM block type must be CERTIFICATE REQUEST');
    expect(r.stderr).toContain('spec.usages: Required value');
  });
});

describe('authorization checks', () => {
  it('answers auth can-i with and without --as, and --list', async () => {
    expect((await c.kubectl(['auth', 'can-i', 'list', 'pods'])).stdout).toBe('yes\n');
    expect((await c.kubectl(['auth', 'can-i', 'list', 'pods', '--as=jane'])).stdout).toBe('yes\n');
    const no = await c.kubectl(['auth', 'can-i', 'create', 'deployments', '--as=jane']);
    expect(no.stdout).toBe('no\n');
    expect(no.code).toBe(1);
    expect((await c.kubectl(['auth', 'can-i', 'list', 'pods', '--as=bob'])).stdout).toBe('no\n');
    const list = await ok(['auth', 'can-i', '--list', '--as=jane']);
    expect(list).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/);
    expect(list).toMatch(/\npods\s+\[\]\s+\[\]\s+\[get list\]/);
    expect(list).toMatch(/selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
  });

  it('impersonates with --as and shows it in whoami and errors', async () => {
    expect(await ok(['auth', 'whoami', '--as=jane'])).toMatch(/Username\s+jane\nGroups\s+\[system:authenticated\]/);
    const r = await c.kubectl(['get', 'secrets', '--as=jane']);
    expect(r.stderr).toBe('Error from server (Forbidden): secrets is forbidden: User "jane" cannot list resource "secrets" in API group "" in the namespace "default"\n');
  });

  it('a ClusterRoleBinding to view lets a user list across namespaces', async () => {
    await ok(['create', 'clusterrolebinding', 'carol-view', '--clusterrole=view', '--user=carol']);
    expect((await c.kubectl(['get', 'pods', '-A', '--as=carol'])).code).toBe(0);
    expect((await c.kubectl(['get', 'deployments', '-n', 'kube-system', '--as=carol'])).code).toBe(0);
    expect((await c.kubectl(['get', 'secrets', '-A', '--as=carol'])).stderr).toContain('User "carol" cannot list resource "secrets" in API group "" at the cluster scope');
  });

  it('reports a binding to a missing role in the reason', async () => {
    await ok(['create', 'rolebinding', 'dave-ghost', '--role=ghost', '--user=dave']);
    const r = await c.kubectl(['get', 'pods', '--as=dave']);
    expect(r.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "dave" cannot list resource "pods" in API group "" in the namespace "default": RBAC: role.rbac.authorization.k8s.io "ghost" not found\n');
  });
});

describe('ServiceAccount tokens', () => {
  it('kubectl create token gives a token that authenticates as the ServiceAccount', async () => {
    const token = (await ok(['create', 'token', 'default'])).trim();
    expect(token.split('.')).toHaveLength(3);
    const ca = path.join(dir, 'ca.crt');
    const cfg = await ok(['config', 'view', '--raw', '-o', 'jsonpath={.clusters[0].cluster.certificate-authority-data}']);
    writeFileSync(ca, Buffer.from(cfg, 'base64'));
    const asSa = ['--kubeconfig=/dev/null', `--server=${c.url}`, `--certificate-authority=${ca}`, `--token=${token}`];
    const r = await c.kubectl([...asSa, 'get', 'pods']);
    expect(r.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"\n');
    expect((await c.kubectl([...asSa, 'auth', 'whoami'])).stdout).toMatch(/Username\s+system:serviceaccount:default:default\nUID\s+\S+\nGroups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]/);
    await ok(['create', 'rolebinding', 'sa-view', '--clusterrole=view', '--serviceaccount=default:default']);
    expect((await c.kubectl([...asSa, 'get', 'pods'])).code).toBe(0);
    const bogus = await c.kubectl(['--kubeconfig=/dev/null', `--server=${c.url}`, `--certificate-authority=${ca}`, `--token=${token.slice(0, -4)}AAAA`, 'get', 'pods']);
    expect(bogus.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  });
});
