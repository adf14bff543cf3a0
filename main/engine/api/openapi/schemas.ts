// Runtime access to the generated component schemas (see scripts/gen-openapi.ts): loading, the
// SchemaNode view used by patch/apply/validation code, and strict-decoding unknown-field detection.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SchemaLookup, SchemaNode } from '../schema-types.js';

export type JsonSchema = Record<string, unknown> & {
  $ref?: string;
  allOf?: JsonSchema[];
  type?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  description?: string;
};

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const REF_PREFIX = '#/components/schemas/';
const DEFAULT_PATH = fileURLToPath(new URL('./generated/schemas.json', import.meta.url));

let loaded: Record<string, JsonSchema> | undefined;
let byGvk: Map<string, string> | undefined;

/** The generated schemas by upstream name. Throws a clear instruction when they were never built. */
export function componentSchemas(): Record<string, JsonSchema> {
  loaded ??= readSchemaFile(process.env.KUBELAB_OPENAPI_SCHEMAS ?? DEFAULT_PATH);
  return loaded;
}

export function readSchemaFile(path: string): Record<string, JsonSchema> {
  if (!existsSync(path)) {
    throw new Error(
      `KubeLab OpenAPI schemas not found at ${path}. They are generated from @kubernetes/client-node ` +
        'when dependencies are installed: run `npm install` (or `npx tsx scripts/gen-openapi.ts`).',
    );
  }
  const body = JSON.parse(readFileSync(path, 'utf8')) as { schemas?: Record<string, JsonSchema> };
  if (!body.schemas) throw new Error(`KubeLab OpenAPI schemas at ${path} are malformed: run \`npm install\` to regenerate them.`);
  return body.schemas;
}

const gvkKey = (g: string, v: string, k: string): string => `${g}/${v}/${k}`;

/** Upstream schema name of a top-level kind, from its x-kubernetes-group-version-kind. */
export function schemaNameForKind(group: string, version: string, kind: string): string | undefined {
  if (!byGvk) {
    byGvk = new Map();
    for (const [name, s] of Object.entries(componentSchemas())) {
      for (const gvk of (s['x-kubernetes-group-version-kind'] as Gvk[] | undefined) ?? []) byGvk.set(gvkKey(gvk.group, gvk.version, gvk.kind), name);
    }
  }
  return byGvk.get(gvkKey(group, version, kind));
}

export function refName(s: JsonSchema): string | undefined {
  return s.$ref?.startsWith(REF_PREFIX) ? s.$ref.slice(REF_PREFIX.length) : undefined;
}

/** Every schema name reachable from `roots` through $ref (including the roots). */
export function reachableSchemas(roots: Iterable<string>): Set<string> {
  const all = componentSchemas();
  const seen = new Set<string>();
  const stack = [...roots];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string' && x.startsWith(REF_PREFIX)) stack.push(x.slice(REF_PREFIX.length));
        else visit(x);
      }
    }
  };
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name) || !all[name]) continue;
    seen.add(name);
    visit(all[name]);
  }
  return seen;
}

/**
 * Schemas served at runtime (CustomResourceDefinitions): added to the component set so documents,
 * schema lookups and strict field validation see them like built-in kinds.
 */
export function registerSchemas(entries: Record<string, JsonSchema>): void {
  const all = componentSchemas();
  schemaNameForKind('', '', ''); // build the GVK index before adding to it
  for (const [name, s] of Object.entries(entries)) {
    unregisterSchemas([name]);
    all[name] = s;
    for (const gvk of (s['x-kubernetes-group-version-kind'] as Gvk[] | undefined) ?? []) {
      byGvk!.set(gvkKey(gvk.group, gvk.version, gvk.kind), name);
      rootCache.delete(gvkKey(gvk.group, gvk.version, gvk.kind));
    }
  }
}

export function unregisterSchemas(names: string[]): void {
  const all = componentSchemas();
  for (const name of names) {
    const s = all[name];
    if (!s) continue;
    for (const gvk of (s['x-kubernetes-group-version-kind'] as Gvk[] | undefined) ?? []) {
      const key = gvkKey(gvk.group, gvk.version, gvk.kind);
      if (byGvk?.get(key) === name) byGvk.delete(key);
      rootCache.delete(key);
    }
    delete all[name];
  }
}

const OPAQUE = new Set(['io.k8s.apimachinery.pkg.runtime.RawExtension', 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1']);

/**
 * A lazily-resolved view of one schema position. `site` is the schema as written at the use site
 * (it carries the list/patch extensions); `target` is what it refers to (via $ref or a lone allOf).
 */
class Node implements SchemaNode {
  readonly type: SchemaNode['type'];
  readonly name?: string;
  readonly patchMergeKey?: string;
  readonly patchStrategy?: string;
  readonly listType?: 'atomic' | 'set' | 'map';
  readonly listMapKeys?: string[];
  readonly mapType?: 'atomic' | 'granular';
  readonly required?: string[];
  private readonly target: JsonSchema;
  private props?: Map<string, Node>;
  private elem?: Node | null;

  constructor(site: JsonSchema) {
    let target = site;
    let name: string | undefined;
    for (let i = 0; i < 8; i++) {
      const single = target.allOf?.length === 1 && !target.properties ? target.allOf[0]! : undefined;
      const r = refName(single ?? target);
      if (r) {
        name = r;
        target = componentSchemas()[r] ?? {};
      } else if (single) target = single;
      else break;
    }
    this.target = target;
    if (name) this.name = name;
    this.type = nodeType(target, name);
    const ext = (k: string): unknown => site[k] ?? target[k];
    this.patchMergeKey = ext('x-kubernetes-patch-merge-key') as string | undefined;
    this.patchStrategy = ext('x-kubernetes-patch-strategy') as string | undefined;
    this.listType = ext('x-kubernetes-list-type') as Node['listType'];
    this.listMapKeys = ext('x-kubernetes-list-map-keys') as string[] | undefined;
    this.mapType = ext('x-kubernetes-map-type') as Node['mapType'];
    if (target.required) this.required = target.required;
  }

  property(name: string): SchemaNode | undefined {
    if (this.type !== 'object') return undefined;
    this.props ??= new Map();
    let n = this.props.get(name);
    const s = this.target.properties?.[name];
    if (!n && s) this.props.set(name, (n = new Node(s)));
    return n;
  }

  propertyNames(): string[] {
    return Object.keys(this.target.properties ?? {});
  }

  elements(): SchemaNode | undefined {
    if (this.elem === undefined) {
      const s = this.type === 'array' ? this.target.items : this.type === 'map' ? this.target.additionalProperties : undefined;
      this.elem = s && typeof s === 'object' ? new Node(s) : null;
    }
    return this.elem ?? undefined;
  }
}

function nodeType(s: JsonSchema, name: string | undefined): SchemaNode['type'] {
  if (s['x-kubernetes-int-or-string'] || s.format === 'int-or-string') return 'any';
  if (s['x-kubernetes-preserve-unknown-fields'] || (name && OPAQUE.has(name))) return 'any';
  if (s.properties) return 'object';
  if (s.type === 'array') return 'array';
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return 'map';
  if (s.type === 'string' || s.type === 'integer' || s.type === 'number' || s.type === 'boolean') return s.type;
  return 'any';
}

const rootCache = new Map<string, SchemaNode | null>();

/** SchemaNode tree of a top-level kind; undefined when no schema carries that GVK. */
export const schemaLookup: SchemaLookup = (group, version, kind) => {
  const key = gvkKey(group, version, kind);
  let n = rootCache.get(key);
  if (n === undefined) {
    const name = schemaNameForKind(group, version, kind);
    n = name ? new Node({ $ref: REF_PREFIX + name }) : null;
    rootCache.set(key, n);
  }
  return n ?? undefined;
};

/** A SchemaNode for any component by upstream name (e.g. 'io.k8s.api.core.v1.PodSpec'). */
export function schemaNodeByName(name: string): SchemaNode | undefined {
  return componentSchemas()[name] ? new Node({ $ref: REF_PREFIX + name }) : undefined;
}

/**
 * Field paths in `obj` that the kind's schema does not know, named the way upstream's strict
 * JSON decoder (sigs.k8s.io/json) reports them: `spec.template.spec.containers[0].imagee`.
 * Maps, IntOrString, RawExtension and preserve-unknown-fields values are not descended into.
 */
export function unknownFields(group: string, version: string, kind: string, obj: unknown): string[] {
  const root = schemaLookup(group, version, kind);
  const out: string[] = [];
  if (!root || !isObject(obj)) return out;
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    walk(root, k, v, k, out);
  }
  return out;
}

function walk(parent: SchemaNode, key: string, value: unknown, path: string, out: string[]): void {
  const node = parent.property(key);
  if (!node) {
    out.push(path);
    return;
  }
  descend(node, value, path, out);
}

function descend(node: SchemaNode, value: unknown, path: string, out: string[]): void {
  if (node.type === 'object' && isObject(value)) {
    for (const [k, v] of Object.entries(value)) walk(node, k, v, `${path}.${k}`, out);
  } else if (node.type === 'array' && Array.isArray(value)) {
    const el = node.elements();
    if (el) value.forEach((v, i) => descend(el, v, `${path}[${i}]`, out));
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** apimachinery's strictDecodingError text: the causes joined by ", " after one prefix. */
export function strictDecodingMessage(fields: string[]): string {
  return `strict decoding error: ${fields.map((f) => `unknown field "${f}"`).join(', ')}`;
}
