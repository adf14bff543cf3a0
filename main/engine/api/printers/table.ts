// Builds the meta.k8s.io/v1 Table the API server answers with when kubectl asks for
// `application/json;as=Table;v=v1;g=meta.k8s.io`.
import { badRequest } from '../errors.js';
import { RESOURCES, groupVersion } from '../registry.js';
import type { KObj } from '../../store/types.js';
import { printerFor } from './index.js';
import type { Cell, ColumnDefinition, RowCondition } from './types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  group: string;
  kind: string;
  objects: KObj[];
  /** ms since epoch; every age cell is computed against it */
  now: number;
  includeObject?: IncludeObject;
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
  /** watch events after the first carry no column definitions */
  noHeaders?: boolean;
}

export interface TableRowJson {
  cells: Cell[];
  conditions?: RowCondition[];
  /** PartialObjectMetadata, the full object, or null for includeObject=None (as upstream serialises it) */
  object: Record<string, unknown> | null;
}

export interface TableJson {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** null when noHeaders, exactly as upstream leaves the slice nil */
  columnDefinitions: ColumnDefinition[] | null;
  rows: TableRowJson[];
}

/** Validates the `includeObject` query parameter; the message is the apiserver's. */
export function parseIncludeObject(v: string | null | undefined): IncludeObject {
  if (v === undefined || v === null || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw badRequest(`unrecognized includeObject value: ${JSON.stringify(v)}`);
}

function rowObject(obj: KObj, mode: IncludeObject, group: string, kind: string): Record<string, unknown> | null {
  if (mode === 'None') return null;
  if (mode === 'Metadata') {
    return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { ...obj.metadata } };
  }
  if (obj.apiVersion && obj.kind) return obj;
  // Stored objects may lack TypeMeta; upstream converts to the request's version, which sets it.
  const def = RESOURCES.find((d) => d.group === group && d.kind === kind);
  const { kind: k, apiVersion: v, ...rest } = obj;
  return { kind: k ?? kind, apiVersion: v ?? (def ? groupVersion(def) : undefined), ...rest };
}

export function toTable(opts: TableOptions): TableJson {
  const printer = printerFor(opts.group, opts.kind);
  const mode = opts.includeObject ?? 'Metadata';
  const rows = opts.objects.map((obj): TableRowJson => {
    const row: Partial<TableRowJson> = { cells: printer.cells(obj, opts.now) };
    const conditions = printer.conditions?.(obj);
    if (conditions && conditions.length > 0) row.conditions = conditions;
    row.object = rowObject(obj, mode, opts.group, opts.kind);
    return row as TableRowJson;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetadata(opts),
    columnDefinitions: opts.noHeaders ? null : printer.columns,
    rows,
  };
}

function listMetadata(opts: TableOptions): TableJson['metadata'] {
  const metadata: TableJson['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continueToken) metadata.continue = opts.continueToken;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return metadata;
}

// A list page of 500 pods is ~1.3 MB of JSON, mostly managedFields; serialising it was the largest
// cost of `kubectl get pods -A`. Stored objects are replaced, never edited, on every write (which
// also moves resourceVersion), so an object's metadata text can be kept while both stay the same.
const metadataText = new WeakMap<object, { rv: unknown; json: string }>();

/** JSON.stringify(metadata), remembered per stored metadata object and resourceVersion. */
export function metadataJson(metadata: KObj['metadata']): string {
  const hit = metadataText.get(metadata);
  if (hit && hit.rv === metadata.resourceVersion) return hit.json;
  const json = JSON.stringify(metadata);
  metadataText.set(metadata, { rv: metadata.resourceVersion, json });
  return json;
}

const PARTIAL_PREFIX = '{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":';

/**
 * The Table as JSON text: exactly JSON.stringify(toTable(opts)), written row by row so that the
 * PartialObjectMetadata of each row can reuse its metadata's text.
 */
export function toTableJson(opts: TableOptions): string {
  const printer = printerFor(opts.group, opts.kind);
  const mode = opts.includeObject ?? 'Metadata';
  const parts: string[] = [];
  for (const obj of opts.objects) {
    let row = '{"cells":' + JSON.stringify(printer.cells(obj, opts.now));
    const conditions = printer.conditions?.(obj);
    if (conditions && conditions.length > 0) row += ',"conditions":' + JSON.stringify(conditions);
    if (mode === 'Metadata' && obj.metadata) row += ',"object":' + PARTIAL_PREFIX + metadataJson(obj.metadata) + '}}';
    else row += ',"object":' + JSON.stringify(rowObject(obj, mode, opts.group, opts.kind)) + '}';
    parts.push(row);
  }
  return (
    '{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":' +
    JSON.stringify(listMetadata(opts)) +
    ',"columnDefinitions":' +
    JSON.stringify(opts.noHeaders ? null : printer.columns) +
    ',"rows":[' +
    parts.join(',') +
    ']}'
  );
}
