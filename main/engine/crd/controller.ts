// The CRD controller (apiextensions-apiserver's naming, establishing and finalizing controllers in
// one): accepts a CRD's names when nothing else uses them, serves the new resource (discovery,
// routing, OpenAPI, validation, printing) and marks the CRD Established; on deletion it removes
// every custom object, stops serving, and lifts the cleanup finalizer.
import type { LocalClient } from '../api/client.js';
import { registerSchemas, unregisterSchemas } from '../api/openapi/schemas.js';
import { registerPrinter, unregisterPrinter } from '../api/printers/index.js';
import { builtin, type Registry } from '../api/registry.js';
import { registerKindRules, unregisterKindRules } from '../api/validation/registry.js';
import type { ComponentEnv } from '../components.js';
import type { Controller } from '../controllers/controller.js';
import { trackGeneration, type Store } from '../store/store.js';
import type { KObj, StoreEvent } from '../store/types.js';
import { CLEANUP_FINALIZER, customKindRules, defsOf, publishedSchemas, specOf } from './crd.js';
import { customPrinter } from './printer.js';

const CRDS = builtin('apiextensions.k8s.io', 'customresourcedefinitions');
const RESOURCE = 'customresourcedefinitions.apiextensions.k8s.io';

interface Served {
  group: string;
  plural: string;
  kind: string;
  schemas: string[];
  /** the spec we serve, to skip re-registering on status-only changes */
  specJson: string;
}

type Condition = { type: string; status: 'True' | 'False'; lastTransitionTime?: string; reason: string; message: string };

/** Status conditions and accepted names for a CRD, given whether its names are free. */
export function crdStatus(crd: KObj, conflict: string | undefined, terminating: boolean, now: string): Record<string, unknown> {
  const s = specOf(crd);
  const old = ((crd.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[];
  const keep = (c: Condition): Condition => {
    const prev = old.find((o) => o.type === c.type);
    return { type: c.type, status: c.status, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now, reason: c.reason, message: c.message };
  };
  const conditions: Condition[] = [];
  if (conflict) {
    conditions.push(keep({ type: 'NamesAccepted', status: 'False', reason: conflict.startsWith('"') && /^"[a-z]/.test(conflict) ? 'PluralConflict' : 'KindConflict', message: conflict }));
    conditions.push(keep({ type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' }));
  } else {
    conditions.push(keep({ type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }));
    conditions.push(keep({ type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }));
  }
  if (terminating) conditions.push(keep({ type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }));
  const names = s.names;
  const acceptedNames: Record<string, unknown> = conflict
    ? { plural: '', kind: '' }
    : { plural: names.plural, singular: names.singular ?? names.kind.toLowerCase(), kind: names.kind, listKind: names.listKind ?? `${names.kind}List` };
  if (!conflict && names.shortNames?.length) acceptedNames.shortNames = names.shortNames;
  if (!conflict && names.categories?.length) acceptedNames.categories = names.categories;
  const storage = s.versions.find((v) => v.storage)?.name;
  const prevStored = ((crd.status as { storedVersions?: string[] } | undefined)?.storedVersions ?? []).filter((v) => v !== storage);
  return { conditions, acceptedNames, storedVersions: [...prevStored, ...(storage ? [storage] : [])] };
}

export class CrdController implements Controller {
  readonly name = 'crd-controller';
  private readonly store: Store;
  private readonly registry: Registry;
  private readonly client: LocalClient;
  private readonly served = new Map<string, Served>();

  constructor(env: ComponentEnv) {
    this.store = env.store;
    this.registry = env.ctx.registry;
    this.client = env.client('kube-apiserver');
  }

  keysFor(ev: StoreEvent): string[] {
    if (ev.resource === RESOURCE) return [ev.object.metadata.name!];
    // a terminating CRD waits for custom objects held by finalizers
    if (ev.type === 'DELETED') for (const [name, s] of this.served) if (ev.resource === `${s.plural}.${s.group}`) return [name];
    return [];
  }

  initialKeys(): string[] {
    return this.store.list(CRDS).map((c) => c.metadata.name!);
  }

  reconcile(name: string): void {
    const crd = this.store.get(CRDS, undefined, name);
    if (!crd) return this.unserve(name);
    if (crd.metadata.deletionTimestamp) return this.finalize(crd);
    const conflict = this.conflict(crd);
    if (conflict) this.unserve(name);
    else this.serve(crd);
    this.writeStatus(crd, conflict, false);
  }

  /** Why the CRD's names cannot be used, worded as upstream's naming controller; undefined when free. */
  private conflict(crd: KObj): string | undefined {
    const s = specOf(crd);
    for (const other of this.store.list(CRDS)) {
      if (other.metadata.name === crd.metadata.name || specOf(other).group !== s.group) continue;
      const o = specOf(other).names;
      if (o.kind === s.names.kind && (other.metadata.creationTimestamp ?? '') <= (crd.metadata.creationTimestamp ?? '')) return `"${s.names.kind}" is already in use`;
    }
    const builtinClash = this.registry.defs.find((d) => !d.custom && d.group === s.group && (d.resource === s.names.plural || d.kind === s.names.kind));
    if (builtinClash) return builtinClash.resource === s.names.plural ? `"${s.names.plural}" is already in use` : `"${s.names.kind}" is already in use`;
    return undefined;
  }

  private serve(crd: KObj): void {
    const s = specOf(crd);
    const specJson = JSON.stringify(s);
    const prev = this.served.get(crd.metadata.name!);
    if (prev?.specJson === specJson) return;
    if (prev) this.unserve(crd.metadata.name!);
    const schemas: Record<string, Record<string, unknown>> = {};
    for (const v of s.versions.filter((x) => x.served)) Object.assign(schemas, publishedSchemas(crd, v));
    registerSchemas(schemas);
    registerKindRules(s.group, s.names.kind, customKindRules(crd));
    const shown = s.versions.find((v) => v.storage) ?? s.versions[0];
    registerPrinter(s.group, s.names.kind, customPrinter(shown?.additionalPrinterColumns));
    const defs = defsOf(crd);
    this.registry.remove((d) => !!d.custom && d.group === s.group && d.resource === s.names.plural);
    for (const d of defs) this.registry.add(d);
    trackGeneration(`${s.names.plural}.${s.group}`, true);
    this.served.set(crd.metadata.name!, { group: s.group, plural: s.names.plural, kind: s.names.kind, schemas: Object.keys(schemas), specJson });
  }

  private unserve(name: string): void {
    const s = this.served.get(name);
    if (!s) return;
    this.served.delete(name);
    this.registry.remove((d) => !!d.custom && d.group === s.group && d.resource === s.plural);
    unregisterSchemas(s.schemas);
    unregisterKindRules(s.group, s.kind);
    unregisterPrinter(s.group, s.kind);
    trackGeneration(`${s.plural}.${s.group}`, false);
  }

  private finalize(crd: KObj): void {
    this.writeStatus(crd, undefined, true);
    const def = defsOf(crd)[0];
    if (def) {
      for (const o of this.store.list(def)) {
        if (o.metadata.deletionTimestamp) continue; // already going, held by someone else's finalizer
        this.client.deleteIfExists(def, o.metadata.namespace, o.metadata.name!, { gracePeriodSeconds: 0 });
      }
      // objects held by their own finalizers: their deletion events bring us back
      if (this.store.list(def).length) return;
    }
    this.unserve(crd.metadata.name!);
    if ((crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) {
      this.client.modify(CRDS, undefined, crd.metadata.name!, (o) => {
        o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
      });
    }
  }

  private writeStatus(crd: KObj, conflict: string | undefined, terminating: boolean): void {
    const next = crdStatus(crd, conflict, terminating, this.client.now());
    if (JSON.stringify(next) === JSON.stringify(crd.status ?? {})) return;
    this.client.modifyStatus(CRDS, undefined, crd.metadata.name!, (o) => {
      o.status = next;
    });
  }
}
