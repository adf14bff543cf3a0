// Discovery documents, aggregated (apidiscovery.k8s.io/v2) and legacy, built from the registry.
import { groupVersion, type ResourceDef } from './registry.js';

export const AGGREGATED_CT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

function versionsOf(defs: ResourceDef[], group: string): string[] {
  const vs: string[] = [];
  for (const d of defs) if (d.group === group && !vs.includes(d.version)) vs.push(d.version);
  return vs;
}

// The apiserver lists groups by its own priority (apps first…), and resources in a group-version
// alphabetically; kubectl's `get all` and `api-resources` follow that order.
const GROUP_ORDER = [
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'metrics.k8s.io',
];

function groupsOf(defs: ResourceDef[]): string[] {
  const gs: string[] = [];
  for (const d of defs) if (d.group && !gs.includes(d.group)) gs.push(d.group);
  const rank = (g: string) => (GROUP_ORDER.includes(g) ? GROUP_ORDER.indexOf(g) : GROUP_ORDER.length);
  return gs.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function byName(defs: ResourceDef[]): ResourceDef[] {
  return [...defs].sort((a, b) => a.resource.localeCompare(b.resource));
}

function aggregatedResource(d: ResourceDef) {
  const r: Record<string, unknown> = {
    resource: d.resource,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: d.verbs,
  };
  if (d.shortNames.length) r.shortNames = d.shortNames;
  if (d.categories.length) r.categories = d.categories;
  const subs = d.subresources.filter((s) => s.name !== ('finalize' as string));
  if (subs.length) {
    r.subresources = subs.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return r;
}

function aggregatedGroup(defs: ResourceDef[], group: string) {
  return {
    metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
    versions: versionsOf(defs, group).map((version) => ({
      version,
      resources: byName(defs.filter((d) => d.group === group && d.version === version)).map(aggregatedResource),
      freshness: 'Current',
    })),
  };
}

export function aggregatedCore(defs: ResourceDef[]) {
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items: [aggregatedGroup(defs, '')] };
}

export function aggregatedApis(defs: ResourceDef[]) {
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items: groupsOf(defs).map((g) => aggregatedGroup(defs, g)) };
}

export function legacyApiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(defs: ResourceDef[], group: string) {
  const versions = versionsOf(defs, group).map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function legacyApiGroupList(defs: ResourceDef[]) {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupsOf(defs).map((g) => apiGroup(defs, g)) };
}

export function legacyApiGroup(defs: ResourceDef[], group: string) {
  if (!groupsOf(defs).includes(group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(defs, group) };
}

export function legacyResourceList(defs: ResourceDef[], group: string, version: string) {
  const mine = byName(defs.filter((d) => d.group === group && d.version === version));
  if (!mine.length) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const d of mine) {
    const r: Record<string, unknown> = { name: d.resource, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs };
    if (d.shortNames.length) r.shortNames = d.shortNames;
    if (d.categories.length) r.categories = d.categories;
    resources.push(r);
    for (const s of d.subresources) {
      const sr: Record<string, unknown> = { name: `${d.resource}/${s.name}`, singularName: '', namespaced: d.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== d.group || s.version !== d.version) {
        sr.group = s.group;
        sr.version = s.version;
      }
      resources.push(sr);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
}
