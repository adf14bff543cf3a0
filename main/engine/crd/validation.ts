// Defaults and validation of CustomResourceDefinition objects themselves (the checks learners meet:
// name = plural.group, one storage version, a schema per version, valid scope, CEL that compiles).
import type { FieldError } from '../api/errors.js';
import { invalid, notSupported, required, raw, FIELD_IMMUTABLE } from '../api/validation/format.js';
import type { KindRules } from '../api/validation/types.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../api/validation/names.js';
import type { KObj } from '../store/types.js';
import { compile } from './cel.js';
import { CLEANUP_FINALIZER, specOf } from './crd.js';
import { parseJsonPath } from './printer.js';
import type { JSONSchemaProps } from './types.js';

function schemaErrors(s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  (s['x-kubernetes-validations'] ?? []).forEach((r, i) => {
    const p = `${path}.x-kubernetes-validations[${i}].rule`;
    if (!r.rule) {
      errs.push(required(p, ''));
      return;
    }
    const c = compile(r.rule);
    if (c instanceof Error) errs.push(invalid(p, raw(`apiextensions.ValidationRule{Rule:"${r.rule}", Message:"${r.message ?? ''}"}`), `compilation failed: ${c.message.split('\n')[0]}`));
  });
  for (const [k, sub] of Object.entries(s.properties ?? {})) schemaErrors(sub, `${path}.properties[${k}]`, errs);
  if (s.items) schemaErrors(s.items, `${path}.items`, errs);
  if (typeof s.additionalProperties === 'object') schemaErrors(s.additionalProperties, `${path}.additionalProperties`, errs);
  if (s.properties && !s.type) errs.push(required(`${path}.type`, 'must not be empty for specified object fields'));
}

export function validateCrd(crd: KObj): FieldError[] {
  const errs: FieldError[] = [];
  const s = specOf(crd);
  const names = s.names ?? ({} as typeof s.names);
  const name = crd.metadata.name ?? '';
  if (name !== `${names.plural}.${s.group}`) errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  if (!s.group) errs.push(required('spec.group', ''));
  else if (!s.group.includes('.')) errs.push(invalid('spec.group', s.group, 'should be a domain with at least one dot'));
  else for (const m of isDNS1123Subdomain(s.group)) errs.push(invalid('spec.group', s.group, m));
  if (s.scope !== 'Namespaced' && s.scope !== 'Cluster') errs.push(s.scope ? notSupported('spec.scope', s.scope, ['Cluster', 'Namespaced']) : required('spec.scope', ''));
  if (!names.plural) errs.push(required('spec.names.plural', ''));
  else for (const m of isDNS1035Label(names.plural)) errs.push(invalid('spec.names.plural', names.plural, m));
  if (!names.kind) errs.push(required('spec.names.kind', ''));
  const versions = s.versions ?? [];
  if (!versions.length) errs.push(invalid('spec.versions', raw('[]apiextensions.CustomResourceDefinitionVersion(nil)'), 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => v.storage).length !== 1) {
    errs.push(invalid('spec.versions', raw(`[]apiextensions.CustomResourceDefinitionVersion{${versions.map((v) => `{Name:"${v.name}"}`).join(', ')}}`), 'must have exactly one version marked as storage version'));
  }
  versions.forEach((v, i) => {
    const base = `spec.versions[${i}]`;
    if (!v.name) errs.push(required(`${base}.name`, ''));
    const root = v.schema?.openAPIV3Schema;
    if (!root) errs.push(required(`${base}.schema.openAPIV3Schema`, 'schemas are required'));
    else {
      if (root.type !== 'object') errs.push(root.type ? invalid(`${base}.schema.openAPIV3Schema.type`, root.type, 'must be object at the root') : required(`${base}.schema.openAPIV3Schema.type`, 'must not be empty at the root'));
      schemaErrors(root, `${base}.schema.openAPIV3Schema`, errs);
    }
    (v.additionalPrinterColumns ?? []).forEach((c, j) => {
      try {
        parseJsonPath(c.jsonPath);
      } catch (e) {
        errs.push(invalid(`${base}.additionalPrinterColumns[${j}].JSONPath`, c.jsonPath, (e as Error).message));
      }
    });
  });
  return errs;
}

export const crdRules: KindRules = {
  namespaced: false,
  nameRule: 'subdomain',
  hasStatus: true,
  generation: 'spec',
  defaults(crd) {
    const s = specOf(crd);
    if (!s || typeof s !== 'object') return;
    if (s.names?.kind) {
      s.names.singular ??= s.names.kind.toLowerCase();
      s.names.listKind ??= `${s.names.kind}List`;
    }
    s.conversion ??= { strategy: 'None' };
  },
  prepareForCreate(crd) {
    delete crd.status;
    // the cleanup finalizer lets the controller delete every custom object before the CRD goes
    const f = crd.metadata.finalizers ?? [];
    if (!f.includes(CLEANUP_FINALIZER)) crd.metadata.finalizers = [...f, CLEANUP_FINALIZER];
  },
  validate: validateCrd,
  validateUpdate(n, o) {
    const errs = validateCrd(n);
    if (specOf(n).scope !== specOf(o).scope) errs.push(invalid('spec.scope', specOf(n).scope, FIELD_IMMUTABLE));
    return errs;
  },
};
