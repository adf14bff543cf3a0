// RBAC evaluation as the apiserver's RBAC authorizer does it: every ClusterRoleBinding, then the
// RoleBindings of the request's namespace, each rule matched on verb, API group, resource
// (incl. `pods/log` and `*/scale`), resourceNames and non-resource URLs. A binding whose role is
// missing is skipped, and the miss is reported in the 403's reason (`RBAC: role... not found`).
import type { UserInfo } from '../api/context.js';
import type { KObj } from '../store/types.js';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

/** What is being asked: authorizer.Attributes. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** non-resource requests */
  path?: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

/** Where the evaluator reads RBAC objects (the store in the server; plain arrays in tests). */
export interface RbacSource {
  clusterRoleBindings(): KObj[];
  roleBindings(namespace: string): KObj[];
  clusterRole(name: string): KObj | undefined;
  clusterRoles(): KObj[];
  role(namespace: string, name: string): KObj | undefined;
}

export const MASTERS = 'system:masters';
const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

export function ruleAllows(a: Attributes, r: PolicyRule): boolean {
  if (!has(r.verbs, a.verb)) return false;
  if (!a.resourceRequest) return nonResourceURLMatches(r, a.path ?? '');
  if (!has(r.apiGroups, a.apiGroup ?? '')) return false;
  if (!resourceMatches(r, a.resource ?? '', a.subresource ?? '')) return false;
  return !r.resourceNames?.length || r.resourceNames.includes(a.name ?? '');
}

function resourceMatches(r: PolicyRule, resource: string, sub: string): boolean {
  const combined = sub ? `${resource}/${sub}` : resource;
  for (const rr of r.resources ?? []) {
    if (rr === '*' || rr === combined) return true;
    if (sub && rr === `*/${sub}`) return true;
  }
  return false;
}

function nonResourceURLMatches(r: PolicyRule, path: string): boolean {
  for (const u of r.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

/** serviceaccount.MakeUsername */
export const saUsername = (ns: string, name: string) => `system:serviceaccount:${ns}:${name}`;

export function subjectApplies(s: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === user.username;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return !!ns && saUsername(ns, s.name) === user.username;
    }
    default:
      return false;
  }
}

const rulesOf = (o: KObj | undefined): PolicyRule[] => (Array.isArray(o?.rules) ? (o.rules as PolicyRule[]) : []);

export class RbacAuthorizer {
  constructor(private readonly src: RbacSource) {}

  /** A ClusterRole's rules; an aggregated one also gathers the rules of the roles its selectors pick. */
  clusterRoleRules(role: KObj): PolicyRule[] {
    const agg = role.aggregationRule as { clusterRoleSelectors?: Array<{ matchLabels?: Record<string, string> }> } | undefined;
    const rules = [...rulesOf(role)];
    if (!agg?.clusterRoleSelectors?.length) return rules;
    for (const other of this.src.clusterRoles()) {
      if (other.metadata.name === role.metadata.name) continue;
      const labels = other.metadata.labels ?? {};
      const picked = agg.clusterRoleSelectors.some((sel) => Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v) && Object.keys(sel.matchLabels ?? {}).length > 0);
      if (!picked) continue;
      for (const r of rulesOf(other)) if (!rules.some((x) => JSON.stringify(x) === JSON.stringify(r))) rules.push(r);
    }
    return rules;
  }

  /**
   * Walk the rules that apply to `user` in `namespace` ('' = cluster scope only); `visit` returns
   * true to stop. Errors name roles that bindings refer to but that do not exist.
   */
  visit(user: UserInfo, namespace: string, visit: (r: PolicyRule) => boolean): string[] {
    const errors: string[] = [];
    for (const b of this.src.clusterRoleBindings()) {
      if (!((b.subjects as Subject[] | undefined) ?? []).some((s) => subjectApplies(s, user, ''))) continue;
      const ref = b.roleRef as { kind?: string; name?: string } | undefined;
      const role = this.src.clusterRole(ref?.name ?? '');
      if (!role) {
        errors.push(`clusterrole.rbac.authorization.k8s.io "${ref?.name ?? ''}" not found`);
        continue;
      }
      for (const r of this.clusterRoleRules(role)) if (visit(r)) return errors;
    }
    if (!namespace) return errors;
    for (const b of this.src.roleBindings(namespace)) {
      if (!((b.subjects as Subject[] | undefined) ?? []).some((s) => subjectApplies(s, user, namespace))) continue;
      const ref = b.roleRef as { kind?: string; name?: string } | undefined;
      const name = ref?.name ?? '';
      let rules: PolicyRule[] | undefined;
      if (ref?.kind === 'ClusterRole') {
        const role = this.src.clusterRole(name);
        if (role) rules = this.clusterRoleRules(role);
        else errors.push(`clusterrole.rbac.authorization.k8s.io "${name}" not found`);
      } else {
        const role = this.src.role(namespace, name);
        if (role) rules = rulesOf(role);
        else errors.push(`role.rbac.authorization.k8s.io "${name}" not found`);
      }
      for (const r of rules ?? []) if (visit(r)) return errors;
    }
    return errors;
  }

  authorize(a: Attributes): Decision {
    if (a.user.groups.includes(MASTERS)) return { allowed: true, reason: '' };
    let allowed = false;
    const errors = this.visit(a.user, a.resourceRequest ? (a.namespace ?? '') : '', (r) => (allowed = ruleAllows(a, r)));
    if (allowed) return { allowed: true, reason: '' };
    return { allowed: false, reason: errors.length ? `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}` : '' };
  }

  /** Everything the user may do in the namespace (SelfSubjectRulesReview). */
  rulesFor(user: UserInfo, namespace: string): { resourceRules: PolicyRule[]; nonResourceRules: PolicyRule[]; errors: string[] } {
    const resourceRules: PolicyRule[] = [];
    const nonResourceRules: PolicyRule[] = [];
    const errors = this.visit(user, namespace, (r) => {
      if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
      if (r.resources?.length) {
        const rr: PolicyRule = { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources };
        if (r.resourceNames?.length) rr.resourceNames = r.resourceNames;
        resourceRules.push(rr);
      }
      return false;
    });
    if (user.groups.includes(MASTERS)) {
      // the privileged-group authorizer answers for system:masters before RBAC
      resourceRules.unshift({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
      nonResourceRules.unshift({ verbs: ['*'], nonResourceURLs: ['*'] });
    }
    return { resourceRules, nonResourceRules, errors };
  }
}

/** The 403 text of responsewriters.Forbidden + errors.NewForbidden. */
export function forbiddenMessage(a: Attributes, reason: string): string {
  let why: string;
  const user = a.user.username;
  if (!a.resourceRequest) why = `User "${user}" cannot ${a.verb} path "${a.path}"`;
  else {
    const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    why = a.namespace
      ? `User "${user}" cannot ${a.verb} resource "${res}" in API group "${a.apiGroup ?? ''}" in the namespace "${a.namespace}"`
      : `User "${user}" cannot ${a.verb} resource "${res}" in API group "${a.apiGroup ?? ''}" at the cluster scope`;
  }
  if (reason) why += `: ${reason}`;
  if (!a.resourceRequest) return `forbidden: ${why}`;
  const qr = a.apiGroup ? `${a.resource}.${a.apiGroup}` : (a.resource ?? '');
  return a.name ? `${qr} "${a.name}" is forbidden: ${why}` : `${qr} is forbidden: ${why}`;
}
