// The seam between the OpenAPI schemas (api/openapi) and the code that needs type knowledge
// (strategic merge patch, server-side apply, strict field validation). Kept tiny so either side can change.

export interface SchemaNode {
  /** 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'map' (additionalProperties) | 'any' (IntOrString, RawExtension, preserve-unknown) */
  readonly type: 'object' | 'array' | 'map' | 'string' | 'integer' | 'number' | 'boolean' | 'any';
  /** the schema name, e.g. 'io.k8s.api.core.v1.Container', when this node is a named definition */
  readonly name?: string;
  /** object: a known property, or undefined when unknown */
  property(name: string): SchemaNode | undefined;
  /** object: every known property name */
  propertyNames(): string[];
  /** array: the element schema; map: the value schema */
  elements(): SchemaNode | undefined;
  /** x-kubernetes-patch-merge-key on the list that holds this node's elements (set on the array node) */
  readonly patchMergeKey?: string;
  /** x-kubernetes-patch-strategy on the array/map node, e.g. 'merge', 'retainKeys', 'merge,retainKeys', 'replace' */
  readonly patchStrategy?: string;
  /** x-kubernetes-list-type ('atomic' | 'set' | 'map') and its keys, used by server-side apply */
  readonly listType?: 'atomic' | 'set' | 'map';
  readonly listMapKeys?: string[];
  /** x-kubernetes-map-type ('atomic' | 'granular') */
  readonly mapType?: 'atomic' | 'granular';
  /** required property names (for validation messages) */
  readonly required?: string[];
}

/** Looks up the schema of a top-level kind; undefined for kinds without a schema (then no strict checks). */
export type SchemaLookup = (group: string, version: string, kind: string) => SchemaNode | undefined;
