// Table columns of a custom resource: Name, then the version's additionalPrinterColumns (or Age
// when it declares none), each cell found by a simple JSONPath as the apiextensions table
// convertor does: `.spec.replicas`, `.items[0].x`, `.status.conditions[?(@.type=="Ready")].status`.
import { translateTimestampSince } from '../api/printers/duration.js';
import type { Cell, Printer } from '../api/printers/types.js';
import { col, CREATED_DESC, nameCol } from '../api/printers/util.js';
import type { KObj } from '../store/types.js';
import type { PrinterColumn } from './types.js';

type Step = { key: string } | { index: number | '*' } | { filter: { path: string[]; op: '==' | '!='; value: unknown } };

/** Split a CRD jsonPath into steps; throws on syntax we do not support (the CRD is rejected then). */
export function parseJsonPath(p: string): Step[] {
  const src = p.trim().replace(/^\{(.*)\}$/, '$1');
  const steps: Step[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '.') {
      i++;
      let key = '';
      while (i < src.length && src[i] !== '.' && src[i] !== '[') {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        key += src[i++];
      }
      if (key) steps.push({ key });
    } else if (c === '[') {
      const end = src.indexOf(']', i);
      if (end < 0) throw new Error(`unterminated array notation in ${p}`);
      const inner = src.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ index: '*' });
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else {
        const m = /^\?\(@((?:\.[\w-]+)+)\s*(==|!=)\s*(.+)\)$/.exec(inner);
        if (!m) throw new Error(`unsupported JSONPath expression ${inner}`);
        let value: unknown = m[3]!.trim();
        if (/^".*"$|^'.*'$/.test(value as string)) value = (value as string).slice(1, -1);
        else if (value === 'true' || value === 'false') value = value === 'true';
        else if (!Number.isNaN(Number(value))) value = Number(value);
        steps.push({ filter: { path: m[1]!.slice(1).split('.'), op: m[2] as '==' | '!=', value } });
      }
    } else throw new Error(`unexpected ${c} in JSONPath ${p}`);
  }
  return steps;
}

/** Every value the path reaches, in document order. */
export function findResults(obj: unknown, steps: Step[]): unknown[] {
  let cur: unknown[] = [obj];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if ('key' in s) {
        if (v && typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>)[s.key] !== undefined) next.push((v as Record<string, unknown>)[s.key]);
      } else if ('index' in s) {
        if (!Array.isArray(v)) continue;
        if (s.index === '*') next.push(...v);
        else {
          const idx = s.index < 0 ? v.length + s.index : s.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else if (Array.isArray(v)) {
        for (const el of v) {
          let x: unknown = el;
          for (const k of s.filter.path) x = x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined;
          const eq = x === s.filter.value || (x !== undefined && String(x) === String(s.filter.value));
          if (s.filter.op === '==' ? eq : !eq) next.push(el);
        }
      }
    }
    cur = next;
  }
  return cur;
}

function cellFor(type: string, v: unknown, now: number): Cell {
  switch (type) {
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date':
      return typeof v === 'string' ? translateTimestampSince(v, now) : null;
    default:
      if (v === null || v === undefined) return null;
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

const AGE: PrinterColumn = { name: 'Age', type: 'date', description: CREATED_DESC, jsonPath: '.metadata.creationTimestamp' };

export function customPrinter(columns: PrinterColumn[] | undefined): Printer {
  const cols = columns?.length ? columns : [AGE];
  const paths = cols.map((c) => {
    try {
      return parseJsonPath(c.jsonPath);
    } catch {
      return undefined;
    }
  });
  return {
    columns: [nameCol(), ...cols.map((c) => col(c.name, c.description ?? '', { type: c.type, format: c.format ?? '', priority: c.priority ?? 0 }))],
    cells(obj: KObj, now: number): Cell[] {
      const cells: Cell[] = [obj.metadata.name ?? ''];
      cols.forEach((c, i) => {
        const found = paths[i] ? findResults(obj, paths[i]!) : [];
        cells.push(found.length ? cellFor(c.type, found[0], now) : null);
      });
      return cells;
    },
  };
}
