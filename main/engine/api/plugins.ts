// One place where the REST layer meets the per-kind knowledge (schemas, defaults, validation,
// patch algorithms), so the handlers read as the apiserver's request flow.
import type { KObj } from '../store/types.js';
import * as openapi from './openapi/openapi.js';
import { applyJsonPatch as jsonPatch } from './patch/jsonpatch.js';
import { applyMergePatch as mergePatch } from './patch/mergepatch.js';
import { applyStrategicMergePatch as smp } from './patch/strategic.js';
import { serverSideApply as ssa } from './patch/apply.js';
import { managedFieldsAfterUpdate } from './patch/managedfields.js';
import type { ResourceDef } from './registry.js';
import type { SchemaNode } from './schema-types.js';
export { applyDefaults, applyStatusDefaults, prepareForCreate, prepareForUpdate, prepareForStatusUpdate, validateCreate, validateUpdate, validateStatusUpdate } from './validation/index.js';

export const openapiIndex = openapi.openapiIndex;
export const openapiDocument = openapi.openapiDocument;
export const unknownFields = openapi.unknownFields;
export const strictDecodingMessage = openapi.strictDecodingMessage;
export const schemaLookup = (group: string, version: string, kind: string): SchemaNode | undefined => openapi.schemaLookup(group, version, kind);

export const applyJsonPatch = (doc: unknown, ops: unknown): unknown => jsonPatch(doc as never, ops as never);
export const applyMergePatch = (doc: unknown, patch: unknown): unknown => mergePatch(doc as never, patch as never);
export const applyStrategicMergePatch = (doc: unknown, patch: unknown, schema: SchemaNode | undefined): unknown => smp(doc as never, patch as never, schema);

export function serverSideApply(live: KObj | undefined, applied: KObj, o: { manager: string; force: boolean; apiVersion: string; time: string; def: ResourceDef }): KObj {
  return ssa(live, applied, { manager: o.manager, force: o.force, apiVersion: o.apiVersion, time: o.time, schema: schemaLookup(o.def.group, o.def.version, o.def.kind) });
}

/** Records the write's field ownership in obj.metadata.managedFields (obj is changed in place). */
export function updateManagedFields(old: KObj | undefined, obj: KObj, manager: string, _operation: 'Update', apiVersion: string, time: string, def: ResourceDef, subresource?: string): void {
  const entries = managedFieldsAfterUpdate(old, obj, { manager, apiVersion, time, subresource, schema: schemaLookup(def.group, def.version, def.kind) });
  if (entries) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/** Remove fields named the way unknownFields names them: `spec.template.spec.containers[0].foo`. */
export function pruneFields(obj: KObj, paths: string[]): void {
  for (const p of paths) {
    const steps = p.replace(/\[(\d+)\]/g, '.$1').split('.');
    let cur: unknown = obj;
    for (let i = 0; i < steps.length - 1 && cur && typeof cur === 'object'; i++) cur = (cur as Record<string, unknown>)[steps[i]!];
    if (cur && typeof cur === 'object') delete (cur as Record<string, unknown>)[steps[steps.length - 1]!];
  }
}
