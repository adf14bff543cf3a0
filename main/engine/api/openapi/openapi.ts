// /openapi/v3: the index of group-version documents and the documents themselves. Documents are
// built once per registry (they are fetched by every kubectl apply/create/explain) and cached
// together with their serialized body and content hash.

import { createHash } from 'node:crypto';
import type { ResourceDef } from '../registry.js';
import { resourcePaths } from './paths.js';
import { componentSchemas, reachableSchemas, schemaNameForKind, type Gvk, type JsonSchema } from './schemas.js';

export { schemaLookup, schemaNodeByName, strictDecodingMessage, unknownFields } from './schemas.js';

/** 'api/v1' for the core group, 'apis/<group>/<version>' otherwise: the index key and URL suffix. */
export function gvPathOf(d: { group: string; version: string }): string {
  return d.group ? `apis/${d.group}/${d.version}` : `api/${d.version}`;
}

export interface OpenAPIDocumentEntry {
  doc: Record<string, unknown>;
  /** JSON body, ready to serve with Content-Type application/json */
  body: string;
  /** upper-case hex SHA-512 of body, like the apiserver's ETag/hash */
  hash: string;
}

// Always part of a document: operations refer to them whatever the kinds are.
const COMMON = [
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
  'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent',
];

const cache = new WeakMap<ResourceDef[], Map<string, OpenAPIDocumentEntry | null>>();

function schemaOf(gvk: Gvk): string | undefined {
  return schemaNameForKind(gvk.group, gvk.version, gvk.kind);
}

function build(defs: ResourceDef[], gvPath: string): OpenAPIDocumentEntry | null {
  const mine = defs.filter((d) => gvPathOf(d) === gvPath);
  if (!mine.length) return null;
  const paths: Record<string, unknown> = {};
  const roots = new Set(COMMON);
  for (const d of mine) {
    Object.assign(paths, resourcePaths(d, schemaOf));
    for (const kind of [d.kind, d.listKind]) {
      const n = schemaOf({ group: d.group, version: d.version, kind });
      if (n) roots.add(n);
    }
    for (const s of d.subresources) {
      const n = schemaOf({ group: s.group, version: s.version, kind: s.kind });
      if (n) roots.add(n);
    }
  }
  const all = componentSchemas();
  const schemas: Record<string, JsonSchema> = {};
  for (const name of [...reachableSchemas(roots)].sort()) schemas[name] = all[name]!;
  const sortedPaths: Record<string, unknown> = {};
  for (const p of Object.keys(paths).sort()) sortedPaths[p] = paths[p];
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: sortedPaths,
    components: {
      schemas,
      securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    },
    security: [{ BearerToken: [] }],
  };
  const body = JSON.stringify(doc);
  const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
  return { doc, body, hash };
}

/** The cached document entry for one group-version path, or undefined when no resource is served there. */
export function openapiDocumentEntry(defs: ResourceDef[], gvPath: string): OpenAPIDocumentEntry | undefined {
  let perDefs = cache.get(defs);
  if (!perDefs) cache.set(defs, (perDefs = new Map()));
  let e = perDefs.get(gvPath);
  if (e === undefined) perDefs.set(gvPath, (e = build(defs, gvPath.replace(/^\/+|\/+$/g, ''))));
  return e ?? undefined;
}

/** OpenAPI 3.0 document for 'api/v1' or 'apis/<group>/<version>'; undefined for an unknown path. */
export function openapiDocument(defs: ResourceDef[], gvPath: string): object | undefined {
  return openapiDocumentEntry(defs, gvPath)?.doc;
}

/** GET /openapi/v3: one entry per served group-version, each URL pinned by its content hash. */
export function openapiIndex(defs: ResourceDef[]): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of [...new Set(defs.map(gvPathOf))].sort()) {
    const e = openapiDocumentEntry(defs, gv);
    if (e) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${e.hash}` };
  }
  return { paths };
}
