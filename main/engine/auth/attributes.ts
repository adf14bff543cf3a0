// The authorizer's view of a request (apiserver RequestInfo): the verb from the method, the
// collection/name, watch, and subresource; paths that name no resource are non-resource requests.
import type { UserInfo } from '../api/context.js';
import type { Attributes } from './rbac.js';

export interface ResourceTarget {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** ?watch=true or the /watch/ prefix */
  watch: boolean;
  /** fieldSelector, for `metadata.name=x` on list/watch */
  fieldSelector?: string | null;
}

export function resourceVerb(method: string, t: { name?: string; watch: boolean }): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return t.watch ? 'watch' : t.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return t.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

export function resourceAttributes(user: UserInfo, method: string, t: ResourceTarget): Attributes {
  const verb = resourceVerb(method, t);
  let name = t.name;
  // a list/watch narrowed to one name by field selector is authorized as that name
  if (!name && (verb === 'list' || verb === 'watch') && t.fieldSelector) {
    const m = /(?:^|,)metadata\.name==?([^,]+)/.exec(t.fieldSelector);
    if (m) name = m[1];
  }
  return {
    user,
    verb,
    resourceRequest: true,
    apiGroup: t.group,
    apiVersion: t.version,
    resource: t.resource,
    subresource: t.subresource,
    namespace: t.namespace,
    name,
  };
}

export function nonResourceAttributes(user: UserInfo, method: string, path: string): Attributes {
  return { user, verb: method === 'HEAD' ? 'get' : method.toLowerCase(), resourceRequest: false, path };
}
