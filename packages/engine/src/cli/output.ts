import type { Batch, Field } from '../types/batch.js';
import { formatCell } from '../io/format.js';

/** CSV per RFC 4180: header, NULL as an empty field, quotes only where needed. */
export function csvLines(fields: readonly Field[], batches: Iterable<Batch>): string[] {
  const lines = [fields.map((f) => csvField(f.name)).join(',')];
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++) {
      const cells: string[] = [];
      for (const c of b.columns) {
        const v = formatCell(c, i);
        cells.push(v === null ? '' : csvField(v));
      }
      lines.push(cells.join(','));
    }
  }
  return lines;
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const NUMERIC_KINDS = new Set(['int32', 'int64', 'float64', 'decimal']);

/**
 * JSON array of row objects. Numbers are written with their exact text (a decimal keeps every
 * digit of its scale), which JSON.stringify cannot do for values beyond float64.
 */
export function jsonText(fields: readonly Field[], batches: Iterable<Batch>): string {
  const keys = fields.map((f) => JSON.stringify(f.name));
  const rows: string[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++) {
      const parts: string[] = [];
      b.columns.forEach((c, j) => {
        const v = formatCell(c, i);
        let out: string;
        if (v === null) out = 'null';
        else if (c.type.kind === 'bool') out = v === 't' ? 'true' : 'false';
        else if (NUMERIC_KINDS.has(c.type.kind) && /^-?\d/.test(v)) out = v;
        else out = JSON.stringify(v);
        parts.push(`${keys[j]}:${out}`);
      });
      rows.push(`{${parts.join(',')}}`);
    }
  }
  return `[${rows.join(',\n')}]`;
}

/** psql-like aligned table: numbers right-aligned, a row count footer. */
export function tableText(fields: readonly Field[], batches: Iterable<Batch>, maxRows = 1000): string {
  const rows: string[][] = [];
  let total = 0;
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++, total++) {
      if (rows.length < maxRows) rows.push(b.columns.map((c) => formatCell(c, i) ?? 'NULL'));
    }
  }
  const widths = fields.map((f, j) => Math.max(f.name.length, ...rows.map((r) => r[j].length)));
  const right = fields.map((f) => NUMERIC_KINDS.has(f.type.kind));
  const fmt = (cells: string[], header = false) =>
    ' ' + cells.map((s, j) => (right[j] && !header ? s.padStart(widths[j]) : s.padEnd(widths[j]))).join(' | ');
  const out = [fmt(fields.map((f) => f.name), true), '-' + widths.map((w) => '-'.repeat(w)).join('-+-') + '-'];
  for (const r of rows) out.push(fmt(r));
  const more = total > rows.length ? `, first ${rows.length} shown` : '';
  out.push(`(${total} row${total === 1 ? '' : 's'}${more})`);
  return out.join('\n');
}
