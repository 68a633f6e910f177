import { makeColumn, valueAt, allocValues, type Column } from '../../src/types/column.js';
import type { Batch, Field } from '../../src/types/batch.js';
import type { DataType } from '../../src/types/data-type.js';
import type { Expr } from '../../src/logical/expr.js';
import { compileExpr } from '../../src/expr/compile.js';
import { formatColumnValue } from '../../src/expr/format.js';

export type V = number | string | boolean | null;

/** Column from JS values (storage domain); strings are dictionary-encoded. */
export function column(type: DataType, vals: readonly V[]): Column {
  const n = vals.length;
  const hasNull = vals.some((v) => v === null);
  const validity = hasNull ? new Uint8Array(vals.map((v) => (v === null ? 0 : 1))) : null;
  if (type.kind === 'utf8') {
    const dict: string[] = [];
    const codes = new Int32Array(n);
    vals.forEach((v, i) => {
      if (v === null) return;
      let k = dict.indexOf(String(v));
      if (k < 0) { k = dict.length; dict.push(String(v)); }
      codes[i] = k;
    });
    return makeColumn(type, codes, validity, dict);
  }
  const values = allocValues(type, n);
  vals.forEach((v, i) => { if (v !== null) values[i] = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v); });
  return makeColumn(type, values, validity);
}

/** A batch with columns c0, c1, … (field ids 0, 1, …). */
export function batchOf(cols: readonly Column[], numRows?: number): Batch {
  const schema: Field[] = cols.map((c, i) => ({ name: `c${i}`, type: c.type, nullable: true, id: i }));
  return { schema, columns: cols, numRows: numRows ?? (cols[0]?.length ?? 1) };
}

export function values(c: Column): V[] {
  const out: V[] = [];
  for (let i = 0; i < c.length; i++) out.push(valueAt(c, i));
  return out;
}

export function texts(c: Column): (string | null)[] {
  const out: (string | null)[] = [];
  for (let i = 0; i < c.length; i++) out.push(formatColumnValue(c, i));
  return out;
}

/** Compiles and evaluates an expression on a batch; returns decoded values. */
export function run(e: Expr, b: Batch): V[] {
  return values(compileExpr(e, b.schema).evaluate(b));
}

export function runText(e: Expr, b: Batch): (string | null)[] {
  return texts(compileExpr(e, b.schema).evaluate(b));
}

export const ONE: Batch = { schema: [], columns: [], numRows: 1 };
