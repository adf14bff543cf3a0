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
  const metadata: TableJson['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continueToken) metadata.continue = opts.continueToken;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.noHeaders ? null : printer.columns,
    rows,
  };
}
