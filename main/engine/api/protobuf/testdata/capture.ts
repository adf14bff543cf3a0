// Throwaway HTTP stub used to capture the protobuf bodies real kubectl sends (the *.bin fixtures).
// Not part of the product. Run:  npx tsx main/engine/api/protobuf/testdata/capture.ts PORT OUTDIR
// then point `kubectl --server=http://127.0.0.1:PORT --validate=false ...` at it. Every POST body is
// written to OUTDIR/NNN.bin and a line "NNN METHOD PATH CONTENT-TYPE" is appended to OUTDIR/log.txt.
import { createServer } from 'node:http';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProtobufObject } from '../decode.js';

const port = Number(process.argv[2] ?? 18080);
const outDir = process.argv[3] ?? '/tmp/pb-capture';
mkdirSync(outDir, { recursive: true });

type R = [resource: string, kind: string, namespaced: boolean, verbs?: string[], sub?: [string, string, string, string][]];
const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
// group, version, resources
const GROUPS: [string, string, R[]][] = [
  ['', 'v1', [
    ['pods', 'Pod', true], ['services', 'Service', true], ['configmaps', 'ConfigMap', true],
    ['secrets', 'Secret', true], ['namespaces', 'Namespace', false], ['resourcequotas', 'ResourceQuota', true],
    ['serviceaccounts', 'ServiceAccount', true, CRUD, [['token', 'authentication.k8s.io', 'v1', 'TokenRequest']]],
  ]],
  ['apps', 'v1', [['deployments', 'Deployment', true, CRUD, [['scale', 'autoscaling', 'v1', 'Scale']]], ['replicasets', 'ReplicaSet', true]]],
  ['batch', 'v1', [['jobs', 'Job', true], ['cronjobs', 'CronJob', true]]],
  ['autoscaling', 'v1', [['horizontalpodautoscalers', 'HorizontalPodAutoscaler', true]]],
  ['networking.k8s.io', 'v1', [['ingresses', 'Ingress', true]]],
  ['rbac.authorization.k8s.io', 'v1', [
    ['roles', 'Role', true], ['rolebindings', 'RoleBinding', true],
    ['clusterroles', 'ClusterRole', false], ['clusterrolebindings', 'ClusterRoleBinding', false],
  ]],
  ['authorization.k8s.io', 'v1', [
    ['selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, ['create']],
    ['selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, ['create']],
  ]],
  ['authentication.k8s.io', 'v1', [['selfsubjectreviews', 'SelfSubjectReview', false, ['create']], ['tokenreviews', 'TokenReview', false, ['create']]]],
  ['policy', 'v1', [['poddisruptionbudgets', 'PodDisruptionBudget', true]]],
  ['scheduling.k8s.io', 'v1', [['priorityclasses', 'PriorityClass', false]]],
];

function aggregated(core: boolean) {
  const items = GROUPS.filter(([g]) => (g === '') === core).map(([group, version, rs]) => ({
    metadata: core ? { creationTimestamp: null } : { name: group, creationTimestamp: null },
    versions: [{
      version, freshness: 'Current',
      resources: rs.map(([resource, kind, ns, verbs = CRUD, sub = []]) => ({
        resource, singularResource: kind.toLowerCase(), scope: ns ? 'Namespaced' : 'Cluster',
        responseKind: { group, version, kind }, verbs,
        subresources: sub.map(([subresource, g, v, k]) => ({ subresource, responseKind: { group: g, version: v, kind: k }, verbs: ['create', 'get'] })),
      })),
    }],
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

function legacyCore() {
  const [, , rs] = GROUPS[0]!;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1',
    resources: rs.map(([name, kind, namespaced, verbs = CRUD]) => ({ name, singularName: kind.toLowerCase(), namespaced, kind, verbs })),
  };
}

/** Echo the object back like an API server would, with answers for the review-style kinds. */
function reply(obj: Record<string, unknown>): Record<string, unknown> {
  const meta = { ...((obj['metadata'] as object) ?? {}), uid: '00000000-0000-0000-0000-000000000001', resourceVersion: '1', creationTimestamp: '2025-01-01T00:00:00Z' };
  const out: Record<string, unknown> = { ...obj, metadata: meta };
  switch (obj['kind']) {
    case 'SelfSubjectAccessReview': out['status'] = { allowed: true }; break;
    case 'SelfSubjectRulesReview': out['status'] = { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [], incomplete: false }; break;
    case 'SelfSubjectReview': out['status'] = { userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } }; break;
    case 'TokenRequest': out['status'] = { token: 'captured.token.value', expirationTimestamp: '2025-01-01T01:00:00Z' }; break;
  }
  return out;
}

/** Objects that `autoscale` and `create job --from=cronjob/x` read before they POST. */
function existing(resource: string, namespace: string, name: string): unknown {
  const metadata = { name, namespace, uid: '00000000-0000-0000-0000-00000000000a', resourceVersion: '7', creationTimestamp: '2025-01-01T00:00:00Z', labels: { app: name } };
  const podSpec = { restartPolicy: 'OnFailure', containers: [{ name, image: 'busybox', command: ['date'], resources: {} }] };
  if (resource === 'cronjobs') {
    return { apiVersion: 'batch/v1', kind: 'CronJob', metadata, spec: { schedule: '*/1 * * * *', jobTemplate: { metadata: { name }, spec: { template: { metadata: {}, spec: podSpec } } } } };
  }
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata,
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
  };
}

let seq = 0;
createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const path = (req.url ?? '/').split('?')[0]!;
    const send = (code: number, obj: unknown, ct = 'application/json') => {
      res.writeHead(code, { 'Content-Type': ct });
      res.end(JSON.stringify(obj));
    };
    if (req.method === 'GET' && path === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
    const aggCT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
    if (req.method === 'GET' && path === '/api') return send(200, aggregated(true), aggCT);
    if (req.method === 'GET' && path === '/apis') return send(200, aggregated(false), aggCT);
    if (req.method === 'GET' && path === '/api/v1') return send(200, legacyCore());
    const got = /^\/apis\/(apps|batch)\/v1\/namespaces\/([^/]+)\/(deployments|cronjobs)\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && got) return send(200, existing(got[3]!, got[2]!, got[4]!));
    if (req.method === 'POST') {
      const id = String(++seq).padStart(3, '0');
      writeFileSync(join(outDir, `${id}.bin`), body);
      appendFileSync(join(outDir, 'log.txt'), `${id} ${req.method} ${req.url} ${req.headers['content-type']}\n`);
      let obj: Record<string, unknown> = {};
      try {
        obj = req.headers['content-type']?.includes('protobuf') ? decodeProtobufObject(body) : (JSON.parse(body.toString()) as Record<string, unknown>);
      } catch (e) {
        appendFileSync(join(outDir, 'log.txt'), `${id} decode error: ${(e as Error).message}\n`);
      }
      return send(201, reply(obj));
    }
    appendFileSync(join(outDir, 'log.txt'), `--- ${req.method} ${req.url} 404\n`);
    send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 });
  });
}).listen(port, '127.0.0.1', () => console.log(`capture stub on http://127.0.0.1:${port} -> ${outDir}`));
