// Shapes of meta.k8s.io/v1 Table pieces, and the contract each per-kind printer fulfils.
import type { KObj } from '../../store/types.js';

/** A Table cell: kubectl prints it with fmt.Sprint, so the JSON type matters (int64 → number). */
export type Cell = string | number | boolean | null;

/** metav1.TableColumnDefinition; every field is serialised (none is omitempty upstream). */
export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** metav1.TableRowCondition (upstream only emits `Completed` for finished pods). */
export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Printer {
  columns: ColumnDefinition[];
  /** Cells for every column: the API server always prints wide and lets kubectl drop priority>0. */
  cells(obj: KObj, now: number): Cell[];
  conditions?(obj: KObj): RowCondition[] | undefined;
}

/** Loose JSON access: printers read user-supplied objects whose shape is not guaranteed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
