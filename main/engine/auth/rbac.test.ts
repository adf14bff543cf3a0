import { describe, expect, it } from 'vitest';
import type { KObj } from '../store/types.js';
import { forbiddenMessage, RbacAuthorizer, ruleAllows, type Attributes, type PolicyRule, type RbacSource } from './rbac.js';

const jane = { username: 'jane', groups: ['dev', 'system:authenticated'] };
const res = (verb: string, resource: string, o: Partial<Attributes> = {}): Attributes => ({ user: jane, verb, resourceRequest: true, apiGroup: '', resource, namespace: 'default', ...o });
const path = (verb: string, p: string): Attributes => ({ user: jane, verb, resourceRequest: false, path: p });

describe('ruleAllows', () => {
  const cases: Array<[string, PolicyRule, Attributes, boolean]> = [
    ['exact verb/resource', { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }, res('list', 'pods'), true],
    ['verb missing', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('delete', 'pods'), false],
    ['wrong group', { verbs: ['*'], apiGroups: ['apps'], resources: ['pods'] }, res('get', 'pods'), false],
    ['wildcards', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, res('delete', 'deployments', { apiGroup: 'apps' }), true],
    ['subresource needs its own entry', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', 'pods', { subresource: 'log' }), false],
    ['pods/log', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, res('get', 'pods', { subresource: 'log' }), true],
    ['*/scale', { verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }, res('update', 'deployments', { apiGroup: 'apps', subresource: 'scale' }), true],
    ['resourceNames match', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', 'configmaps', { name: 'a' }), true],
    ['resourceNames exclude list', { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('list', 'configmaps'), false],
    ['non-resource exact', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, path('get', '/healthz'), true],
    ['non-resource prefix', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, path('get', '/apis/apps/v1'), true],
    ['resource rule never matches a path', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, path('get', '/healthz'), false],
  ];
  it.each(cases)('%s', (_n, rule, attrs, want) => expect(ruleAllows(attrs, rule)).toBe(want));
});

function source(objs: { crb?: KObj[]; rb?: KObj[]; cr?: KObj[]; r?: KObj[] }): RbacSource {
  return {
    clusterRoleBindings: () => objs.crb ?? [],
    roleBindings: (ns) => (objs.rb ?? []).filter((b) => b.metadata.namespace === ns),
    clusterRole: (n) => (objs.cr ?? []).find((r) => r.metadata.name === n),
    clusterRoles: () => objs.cr ?? [],
    role: (ns, n) => (objs.r ?? []).find((r) => r.metadata.name === n && r.metadata.namespace === ns),
  };
}
const ref = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });

describe('RbacAuthorizer', () => {
  const reader: KObj = { metadata: { name: 'pod-reader', namespace: 'default' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] };
  const view: KObj = { metadata: { name: 'view' }, rules: [{ verbs: ['list'], apiGroups: ['apps'], resources: ['deployments'] }] };
  const extra: KObj = { metadata: { name: 'extra', labels: { 'agg/view': 'true' } }, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['secrets'] }] };
  const agg: KObj = { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'agg/view': 'true' } }] }, rules: [] };
  const a = new RbacAuthorizer(
    source({
      r: [reader],
      cr: [view, extra, agg],
      rb: [
        { metadata: { name: 'b1', namespace: 'default' }, roleRef: ref('Role', 'pod-reader'), subjects: [{ kind: 'User', name: 'jane' }] },
        { metadata: { name: 'b2', namespace: 'dev' }, roleRef: ref('Role', 'ghost'), subjects: [{ kind: 'Group', name: 'dev' }] },
        { metadata: { name: 'b3', namespace: 'dev' }, roleRef: ref('ClusterRole', 'view'), subjects: [{ kind: 'ServiceAccount', name: 'robot' }] },
      ],
      crb: [{ metadata: { name: 'c1' }, roleRef: ref('ClusterRole', 'agg'), subjects: [{ kind: 'Group', name: 'auditors' }] }],
    }),
  );
  const cases: Array<[string, Attributes, boolean, string]> = [
    ['role binding in its namespace', res('list', 'pods'), true, ''],
    ['not in another namespace', res('list', 'pods', { namespace: 'kube-system' }), false, ''],
    ['missing role is the reason', res('list', 'pods', { namespace: 'dev' }), false, 'RBAC: role.rbac.authorization.k8s.io "ghost" not found'],
    ['service account in the binding namespace', { ...res('list', 'deployments', { apiGroup: 'apps', namespace: 'dev' }), user: { username: 'system:serviceaccount:dev:robot', groups: [] } }, true, ''],
    ['aggregated cluster role', { ...res('list', 'secrets', { namespace: 'x' }), user: { username: 'al', groups: ['auditors'] } }, true, ''],
    ['system:masters', { ...res('delete', 'nodes', { namespace: undefined }), user: { username: 'root', groups: ['system:masters'] } }, true, ''],
  ];
  it.each(cases)('%s', (_n, attrs, allowed, reason) => expect(a.authorize(attrs)).toEqual({ allowed, reason }));

  it('lists the rules for a namespace', () => {
    expect(a.rulesFor(jane, 'default').resourceRules).toEqual([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]);
  });
});

describe('forbiddenMessage', () => {
  const cases: Array<[Attributes, string, string]> = [
    [res('list', 'pods'), '', 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"'],
    [res('get', 'pods', { name: 'x' }), '', 'pods "x" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"'],
    [res('list', 'nodes', { namespace: undefined }), '', 'nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope'],
    [res('create', 'pods', { name: 'p', subresource: 'exec' }), '', 'pods "p" is forbidden: User "jane" cannot create resource "pods/exec" in API group "" in the namespace "default"'],
    [res('list', 'deployments', { apiGroup: 'apps' }), 'RBAC: x', 'deployments.apps is forbidden: User "jane" cannot list resource "deployments" in API group "apps" in the namespace "default": RBAC: x'],
    [path('get', '/kubelab/clock'), '', 'forbidden: User "jane" cannot get path "/kubelab/clock"'],
  ];
  it.each(cases)('%#', (attrs, reason, want) => expect(forbiddenMessage(attrs, reason)).toBe(want));
});
