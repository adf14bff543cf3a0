// What a CustomResourceDefinition turns into: one served ResourceDef per served version, the
// published OpenAPI schemas (so `kubectl explain` and strict field validation work), the custom
// kind's rules (defaults, schema + CEL validation) and its table printer.
import type { ResourceDef, SubresourceDef } from '../api/registry.js';
import type { KindRules } from '../api/validation/types.js';
import type { FieldError } from '../api/errors.js';
import type { JsonSchema } from '../api/openapi/schemas.js';
import type { KObj } from '../store/types.js';
import { applySchemaDefaults, validateSchema } from './schema.js';
import type { CrdSpec, CrdVersion, JSONSchemaProps } from './types.js';
import { cloneJson } from '../store/json.js';

export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS = ['get', 'patch', 'update'];
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const specOf = (crd: KObj): CrdSpec => (crd.spec ?? {}) as CrdSpec;

/** The served ResourceDefs of a CRD, storage version first so it is the preferred one. */
export function defsOf(crd: KObj): ResourceDef[] {
  const s = specOf(crd);
  const names = s.names;
  const versions = [...(s.versions ?? [])].filter((v) => v.served).sort((a, b) => Number(b.storage) - Number(a.storage));
  return versions.map((v) => {
    const subs: SubresourceDef[] = [];
    if (v.subresources?.status) subs.push({ name: 'status', group: s.group, version: v.name, kind: names.kind, verbs: SUB_VERBS });
    if (v.subresources?.scale) subs.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: SUB_VERBS });
    return {
      group: s.group,
      version: v.name,
      resource: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(),
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      namespaced: s.scope !== 'Cluster',
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      verbs: CRUD,
      subresources: subs,
      custom: true,
      // conversion strategy None: an object read through another served version only changes apiVersion
      fromStored: (o: KObj): KObj => ({ ...o, apiVersion: `${s.group}/${v.name}` }),
    };
  });
}

/** Upstream's component name for a custom kind: the group reversed, `com.example.stable.v1.CronTab`. */
export function schemaName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

const API_VERSION_DESC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DESC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** The published schemas of one version: the kind and its list. */
export function publishedSchemas(crd: KObj, v: CrdVersion): Record<string, JsonSchema> {
  const s = specOf(crd);
  const kind = s.names.kind;
  const listKind = s.names.listKind ?? `${kind}List`;
  const own = cloneJson(v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as JsonSchema;
  const props = { ...(own.properties ?? {}) } as Record<string, JsonSchema>;
  props.apiVersion = { description: API_VERSION_DESC, type: 'string' };
  props.kind = { description: KIND_DESC, type: 'string' };
  props.metadata = { allOf: [{ $ref: `#/components/schemas/${META}.ObjectMeta` }], description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" };
  const kindName = schemaName(s.group, v.name, kind);
  return {
    [kindName]: { ...own, type: 'object', properties: props, 'x-kubernetes-group-version-kind': [{ group: s.group, kind, version: v.name }] },
    [schemaName(s.group, v.name, listKind)]: {
      description: `${kind}List is a list of ${kind}`,
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { description: API_VERSION_DESC, type: 'string' },
        items: { description: `List of ${s.names.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`, type: 'array', items: { $ref: `#/components/schemas/${kindName}` } },
        kind: { description: KIND_DESC, type: 'string' },
        metadata: { allOf: [{ $ref: `#/components/schemas/${META}.ListMeta` }], description: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds' },
      },
      'x-kubernetes-group-version-kind': [{ group: s.group, kind: listKind, version: v.name }],
    },
  };
}

function versionOf(crd: KObj, obj: KObj): CrdVersion | undefined {
  const s = specOf(crd);
  const v = String(obj.apiVersion ?? '').split('/')[1];
  return s.versions.find((x) => x.name === v) ?? s.versions.find((x) => x.storage);
}

/** The custom kind's write rules, following apiextensions' customResourceStrategy. */
export function customKindRules(crd: KObj): KindRules {
  const s = specOf(crd);
  const schemaFor = (o: KObj): JSONSchemaProps | undefined => versionOf(crd, o)?.schema?.openAPIV3Schema;
  const hasStatus = s.versions.some((v) => v.subresources?.status);
  const validate = (o: KObj, old?: KObj): FieldError[] => validateSchema(schemaFor(o), o, { old });
  return {
    namespaced: s.scope !== 'Cluster',
    nameRule: 'subdomain',
    hasStatus,
    generation: 'spec',
    defaults(o) {
      const meta = o.metadata;
      applySchemaDefaults(o, schemaFor(o));
      o.metadata = meta;
    },
    prepareForCreate(o) {
      // with a status subresource, status is written only through it
      if (hasStatus) delete o.status;
    },
    validate: (o) => validate(o),
    validateUpdate: (n, o) => validate(n, o),
  };
}
