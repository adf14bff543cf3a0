// The map's copy of the cluster: one Map per watched resource, updated from watch events. Plain
// (non-reactive) data on purpose: the store bumps one version counter per animation frame instead of
// making 500 pods deeply reactive.
import type { KObject, ResourceRef, WatchEvent } from '../../../../main/bridge/contract.js';

export const WATCHED = {
  nodes: { version: 'v1', resource: 'nodes' },
  pods: { version: 'v1', resource: 'pods' },
  services: { version: 'v1', resource: 'services' },
  endpoints: { version: 'v1', resource: 'endpoints' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  namespaces: { version: 'v1', resource: 'namespaces' },
} as const satisfies Record<string, ResourceRef>;

export type Kind = keyof typeof WATCHED;
export const KINDS = Object.keys(WATCHED) as Kind[];

export function objectKey(o: KObject): string {
  return o.metadata.uid ?? `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

/** namespace/name, the way owners and endpoints refer to objects */
export function nsName(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

function rvNumber(o: KObject | undefined): number | undefined {
  const rv = o?.metadata.resourceVersion;
  if (rv === undefined || !/^\d+$/.test(rv)) return undefined;
  return Number(rv);
}

export class ObjectIndex {
  readonly byKind: Record<Kind, Map<string, KObject>> = {
    nodes: new Map(), pods: new Map(), services: new Map(), endpoints: new Map(),
    deployments: new Map(), replicasets: new Map(), namespaces: new Map(),
  };

  /** Applies one watch event; returns whether anything changed (RESYNC changes nothing by itself). */
  apply(kind: Kind, ev: Pick<WatchEvent, 'type' | 'object'>): boolean {
    const map = this.byKind[kind];
    const obj = ev.object;
    if (ev.type === 'RESYNC' || !obj) return false;
    const key = objectKey(obj);
    if (ev.type === 'DELETED') return map.delete(key);
    const old = map.get(key);
    // a late event must not roll an object back (resourceVersions are opaque in general, but when
    // both are integers, as this engine's are, an older one is certainly stale)
    const a = rvNumber(old);
    const b = rvNumber(obj);
    if (a !== undefined && b !== undefined && b < a) return false;
    map.set(key, obj);
    return true;
  }

  /** Replaces a resource's objects with a fresh list (initial list or after RESYNC). */
  replace(kind: Kind, items: readonly KObject[]): void {
    const map = this.byKind[kind];
    map.clear();
    for (const o of items) map.set(objectKey(o), o);
  }

  clear(): void {
    for (const k of KINDS) this.byKind[k].clear();
  }
}
