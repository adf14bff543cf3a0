// The RBAC objects a kubeadm v1.32 cluster starts with (the apiserver's bootstrap policy plus what
// kubeadm adds), reconciled at every API server start like the rbac/bootstrap-roles post-start hook:
// missing ones are created, existing ones (perhaps edited by a learner) are left alone.
import type { ApiContext } from '../api/context.js';
import type { KObj } from '../store/types.js';
import type { PolicyRule, Subject } from './rbac.js';
import { cloneJson } from '../store/json.js';

const RO = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule =>
  resourceNames ? { apiGroups, resources, resourceNames, verbs } : { apiGroups, resources, verbs };
const nonResource = (verbs: string[], urls: string[]): PolicyRule => ({ nonResourceURLs: urls, verbs });

const VIEW: PolicyRule[] = [
  rule(RO, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']),
  rule(RO, [''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
  rule(RO, [''], ['namespaces']),
  rule(RO, ['discovery.k8s.io'], ['endpointslices']),
  rule(RO, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
  rule(RO, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(RO, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(RO, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale']),
  rule(RO, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(RO, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
];
const EDIT: PolicyRule[] = [
  rule(RO, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  rule(['create'], [''], ['pods/eviction']),
  rule(WRITE, [''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(WRITE, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
  rule(WRITE, ['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  rule(RO, ['coordination.k8s.io'], ['leases']),
  rule(WRITE, ['coordination.k8s.io'], ['leases']),
];
const ADMIN: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule(ALL, ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
];
const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];
const PUBLIC_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

const DEFAULTS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
const AGG = 'rbac.authorization.k8s.io/aggregate-to-';

function clusterRole(name: string, rules: PolicyRule[], labels: Record<string, string> = {}, aggregateFrom?: string): KObj {
  const o: KObj = { metadata: { name, labels: { ...DEFAULTS, ...labels }, annotations: { ...AUTOUPDATE } }, rules };
  if (aggregateFrom) o.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [`${AGG}${aggregateFrom}`]: 'true' } }] };
  return o;
}
const user = (name: string): Subject => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name });
const group = (name: string): Subject => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name });
const sa = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });
function binding(name: string, role: string, subjects: Subject[], opts: { kind?: 'Role' | 'ClusterRole'; namespace?: string; kubeadm?: boolean } = {}): KObj {
  const metadata: KObj['metadata'] = opts.kubeadm ? { name } : { name, labels: { ...DEFAULTS }, annotations: { ...AUTOUPDATE } };
  if (opts.namespace) metadata.namespace = opts.namespace;
  return { metadata, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: opts.kind ?? 'ClusterRole', name: role }, subjects };
}

export function defaultClusterRoles(): KObj[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), nonResource(['*'], ['*'])]),
    clusterRole('admin', [...ADMIN, ...EDIT, ...VIEW], {}, 'admin'),
    clusterRole('edit', [...EDIT, ...VIEW], { [`${AGG}admin`]: 'true' }, 'edit'),
    clusterRole('view', VIEW, { [`${AGG}edit`]: 'true' }, 'view'),
    clusterRole('system:aggregate-to-admin', ADMIN, { [`${AGG}admin`]: 'true' }),
    clusterRole('system:aggregate-to-edit', EDIT, { [`${AGG}edit`]: 'true' }),
    clusterRole('system:aggregate-to-view', VIEW, { [`${AGG}view`]: 'true' }),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    clusterRole('system:discovery', [nonResource(['get'], DISCOVERY_URLS)]),
    clusterRole('system:public-info-viewer', [nonResource(['get'], PUBLIC_URLS)]),
    clusterRole('system:monitoring', [nonResource(['get'], ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'])]),
    clusterRole('system:auth-delegator', [rule(['create'], ['authentication.k8s.io'], ['tokenreviews']), rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews'])]),
    clusterRole('system:service-account-issuer-discovery', [nonResource(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'])]),
    clusterRole('system:node', [
      rule(['create', 'get', 'list', 'watch', 'patch', 'update', 'delete'], [''], ['nodes', 'nodes/status', 'pods', 'pods/status', 'events']),
      rule(['get', 'list', 'watch'], [''], ['services', 'endpoints', 'configmaps', 'secrets', 'persistentvolumeclaims', 'persistentvolumes']),
      rule(['create', 'delete', 'get', 'patch', 'update'], ['coordination.k8s.io'], ['leases']),
      rule(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
      rule(['create'], [''], ['serviceaccounts/token']),
    ]),
    clusterRole('system:node-proxier', [
      rule(['list', 'watch'], [''], ['endpoints', 'services']),
      rule(['get', 'list', 'watch'], [''], ['nodes']),
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ]),
    clusterRole('system:kube-dns', [rule(['list', 'watch'], [''], ['endpoints', 'services'])]),
    clusterRole('system:kube-scheduler', [
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
      rule(['create'], ['coordination.k8s.io'], ['leases']),
      rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-scheduler']),
      rule(['delete', 'get', 'list', 'watch'], [''], ['pods']),
      rule(['create'], [''], ['bindings', 'pods/binding']),
      rule(['patch', 'update'], [''], ['pods/status']),
      rule(RO, ['', 'apps', 'policy', 'storage.k8s.io'], ['nodes', 'namespaces', 'persistentvolumeclaims', 'persistentvolumes', 'replicationcontrollers', 'services', 'replicasets', 'statefulsets', 'poddisruptionbudgets', 'csinodes', 'csidrivers', 'csistoragecapacities', 'storageclasses']),
    ]),
    clusterRole('system:kube-controller-manager', [
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
      rule(['create'], ['coordination.k8s.io'], ['leases']),
      rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-controller-manager']),
      rule(['create'], [''], ['secrets', 'serviceaccounts']),
      rule(['delete'], [''], ['secrets']),
      rule(['get'], [''], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts']),
      rule(['update'], [''], ['secrets', 'serviceaccounts']),
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      rule(['list', 'watch'], ['*'], ['*']),
      rule(['create'], [''], ['serviceaccounts/token']),
    ]),
    clusterRole('system:coredns', [
      rule(['list', 'watch'], [''], ['endpoints', 'services', 'pods', 'namespaces']),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [rule(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'])]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [rule(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'])]),
    clusterRole('system:certificates.k8s.io:kube-apiserver-client-approver', [rule(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client'])]),
    clusterRole('system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', [rule(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet'])]),
    clusterRole('system:certificates.k8s.io:kubelet-serving-approver', [rule(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kubelet-serving'])]),
    clusterRole('system:certificates.k8s.io:legacy-unknown-approver', [rule(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/legacy-unknown'])]),
    { metadata: { name: 'kubeadm:get-nodes' }, rules: [rule(['get'], [''], ['nodes'])] },
  ];
}

export function defaultClusterRoleBindings(): KObj[] {
  return [
    binding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    binding('kubeadm:cluster-admins', 'cluster-admin', [group('kubeadm:cluster-admins')], { kubeadm: true }),
    binding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
    binding('system:discovery', 'system:discovery', [group('system:authenticated')]),
    binding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    binding('system:monitoring', 'system:monitoring', [group('system:monitoring')]),
    binding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
    binding('system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')]),
    binding('system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')]),
    binding('system:kube-dns', 'system:kube-dns', [sa('kube-system', 'kube-dns')]),
    binding('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')]),
    binding('system:coredns', 'system:coredns', [sa('kube-system', 'coredns')], { kubeadm: true }),
    binding('kubeadm:node-proxier', 'system:node-proxier', [sa('kube-system', 'kube-proxy')], { kubeadm: true }),
    binding('kubeadm:get-nodes', 'kubeadm:get-nodes', [group('system:bootstrappers:kubeadm:default-node-token')], { kubeadm: true }),
    binding('kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [group('system:nodes')], { kubeadm: true }),
  ];
}

export function defaultRoles(): KObj[] {
  const ks = 'kube-system';
  return [
    { metadata: { name: 'kube-proxy', namespace: ks }, rules: [rule(['get'], [''], ['configmaps'], ['kube-proxy'])] },
    { metadata: { name: 'kubeadm:kubelet-config', namespace: ks }, rules: [rule(['get'], [''], ['configmaps'], ['kubelet-config'])] },
    { metadata: { name: 'kubeadm:nodes-kubeadm-config', namespace: ks }, rules: [rule(['get'], [''], ['configmaps'], ['kubeadm-config'])] },
    {
      metadata: { name: 'extension-apiserver-authentication-reader', namespace: ks, labels: { ...DEFAULTS }, annotations: { ...AUTOUPDATE } },
      rules: [rule(['get', 'list', 'watch'], [''], ['configmaps'], ['extension-apiserver-authentication'])],
    },
  ];
}

export function defaultRoleBindings(): KObj[] {
  const ks = 'kube-system';
  return [
    binding('kube-proxy', 'kube-proxy', [group('system:bootstrappers:kubeadm:default-node-token')], { kind: 'Role', namespace: ks, kubeadm: true }),
    binding('kubeadm:kubelet-config', 'kubeadm:kubelet-config', [group('system:nodes'), group('system:bootstrappers:kubeadm:default-node-token')], { kind: 'Role', namespace: ks, kubeadm: true }),
    binding('kubeadm:nodes-kubeadm-config', 'kubeadm:nodes-kubeadm-config', [group('system:bootstrappers:kubeadm:default-node-token'), group('system:nodes')], { kind: 'Role', namespace: ks, kubeadm: true }),
  ];
}

/** Create the default objects that are missing. */
export function ensureDefaultRbac(ctx: ApiContext): void {
  const def = (r: string) => ctx.registry.lookup('rbac.authorization.k8s.io', 'v1', r);
  const put = (resource: string, objs: KObj[]) => {
    const d = def(resource);
    if (!d) return;
    for (const o of objs) {
      if (ctx.store.get(d, o.metadata.namespace, o.metadata.name!)) continue;
      ctx.store.create(d, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: d.kind, ...cloneJson(o) });
    }
  };
  put('clusterroles', defaultClusterRoles());
  put('clusterrolebindings', defaultClusterRoleBindings());
  put('roles', defaultRoles());
  put('rolebindings', defaultRoleBindings());
}
