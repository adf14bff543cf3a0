// The apiserver's etcd key layout (/registry/<prefix>/[<namespace>/]<name>) for the store's objects,
// with upstream's historical prefixes: nodes are "minions", services "services/specs", endpoints
// "services/endpoints", ingresses "ingress"; CRDs, custom resources and APIServices are stored
// under their group ("/registry/stable.example.com/crontabs/default/x").
import type { ResourceDef } from '../api/registry.js';
import { qualify } from '../store/store.js';

const OVERRIDES: Record<string, string> = {
  nodes: 'minions',
  services: 'services/specs',
  endpoints: 'services/endpoints',
  'ingresses.networking.k8s.io': 'ingress',
  'customresourcedefinitions.apiextensions.k8s.io': 'apiextensions.k8s.io/customresourcedefinitions',
  'apiservices.apiregistration.k8s.io': 'apiregistration.k8s.io/apiservices',
};

/** The key prefix (without the trailing slash) under which a type's objects live. */
export function keyPrefix(def: ResourceDef): string {
  const q = qualify(def);
  if (OVERRIDES[q]) return `/registry/${OVERRIDES[q]}`;
  if (def.custom) return `/registry/${def.group}/${def.resource}`;
  return `/registry/${def.resource}`;
}

export function objectKey(def: ResourceDef, namespace: string | undefined, name: string): string {
  return def.namespaced && namespace ? `${keyPrefix(def)}/${namespace}/${name}` : `${keyPrefix(def)}/${name}`;
}

/** One stored def per qualified resource (versions share storage), for the key mapping. */
export function storedDefs(defs: ResourceDef[]): ResourceDef[] {
  const seen = new Set<string>();
  const out: ResourceDef[] = [];
  for (const d of defs) {
    if (d.virtual || d.computed || seen.has(qualify(d))) continue;
    seen.add(qualify(d));
    out.push(d);
  }
  return out;
}

/** Which type, namespace and name a /registry key names; undefined for keys outside the layout. */
export function parseKey(defs: ResourceDef[], key: string): { def: ResourceDef; namespace?: string; name: string } | undefined {
  // longest prefix first: "/registry/services/specs" before "/registry/services"
  const candidates = storedDefs(defs)
    .map((def) => ({ def, prefix: keyPrefix(def) }))
    .filter((c) => key.startsWith(c.prefix + '/'))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const c = candidates[0];
  if (!c) return undefined;
  const rest = key.slice(c.prefix.length + 1).split('/');
  if (c.def.namespaced && rest.length === 2 && rest[0] && rest[1]) return { def: c.def, namespace: rest[0], name: rest[1] };
  if (!c.def.namespaced && rest.length === 1 && rest[0]) return { def: c.def, name: rest[0] };
  return undefined;
}
