import type { ColumnStats, TableSource } from '../catalog.js';
import { splitConjunction, type Expr } from '../logical/expr.js';
import { makeBatch, type Batch, type Field, type Schema } from '../types/batch.js';
import { makeColumn, type Column } from '../types/column.js';
import { BOOL } from '../types/data-type.js';
import type { DataType } from '../types/data-type.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';
import type { PhysicalExpr } from '../expr/physical-expr.js';
import { cannotRaise, compileExpr } from '../expr/compile.js';
import { filterBatch, selectionFromBool } from '../expr/selection.js';
import { compareStrings } from '../expr/kernels/compare.js';

export interface ScanExecOptions {
  /** Registered table name (for EXPLAIN). */
  readonly table: string;
  readonly source: TableSource;
  /** Columns read, with their plan ids; `name` is the source column name. */
  readonly fields: readonly Field[];
  /** Pushed-down conjuncts, applied exactly; simple ones also prune row groups by min/max. */
  readonly filters: readonly Expr[];
  /** See ScanOptions.consumerWaits. */
  readonly consumerWaits?: boolean;
}

const SCAN_NAMES: Record<TableSource['kind'], string> = {
  memory: 'MemoryScanExec',
  parquet: 'ParquetScanExec',
  arrow: 'ArrowScanExec',
  csv: 'CsvScanExec',
};

type Scalar = number | string | boolean;

/** A pushed conjunct in a form row-group statistics can refute. */
interface CmpPrunable { readonly column: string; readonly op: 'eq' | 'lt' | 'lte' | 'gt' | 'gte'; readonly value: Scalar; readonly float: boolean }
export type Prunable =
  | CmpPrunable
  | { readonly column: string; readonly op: 'in'; readonly values: readonly Scalar[]; readonly float: boolean }
  | { readonly column: string; readonly op: 'is_null' | 'is_not_null' }
  | { readonly op: 'never' };

const FLIP: Record<string, 'eq' | 'lt' | 'lte' | 'gt' | 'gte'> = { eq: 'eq', lt: 'gt', lte: 'gte', gt: 'lt', gte: 'lte' };

/**
 * Reads a table source: only the planned columns, row groups whose statistics refute a pushed
 * conjunct are skipped (advisory; rows are still filtered exactly, vectorized). Output batches
 * carry the plan's field ids.
 */
export class ScanExec implements PhysicalOperator {
  readonly name: string;
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[] = [];
  readonly metrics = new OperatorMetrics();
  readonly table: string;
  readonly source: TableSource;
  readonly filters: readonly Expr[];
  private readonly consumerWaits: boolean;
  private readonly predicates: PhysicalExpr[];
  /** The first `safeCount` predicates of `execOrder` cannot raise (expr/compile.ts cannotRaise). */
  private readonly safeCount: number;
  /** `predicates` in evaluation order: the ones that cannot fail first. */
  private readonly execOrder: PhysicalExpr[];
  private readonly prunable: Prunable[];

  constructor(opts: ScanExecOptions) {
    this.name = SCAN_NAMES[opts.source.kind] ?? 'ScanExec';
    this.table = opts.table;
    this.source = opts.source;
    this.schema = [...opts.fields];
    this.filters = opts.filters;
    this.consumerWaits = opts.consumerWaits === true;
    const conjuncts = opts.filters.flatMap((f) => splitConjunction(f));
    // Conjuncts that cannot raise an error are evaluated on the whole batch and combined into one
    // selection (one gather of the columns); the others run after them, each on the rows the
    // previous ones kept, so `x <> 0 AND 10 / x > 1` never divides by zero.
    this.predicates = conjuncts.map((c) => compileExpr(c, this.schema));
    const safe = conjuncts.map((c) => cannotRaise(c));
    this.execOrder = [...this.predicates.filter((_, i) => safe[i]), ...this.predicates.filter((_, i) => !safe[i])];
    this.safeCount = safe.filter(Boolean).length;
    this.prunable = [];
    for (const c of conjuncts) {
      const p = toPrunable(c, this.schema);
      if (p !== null) this.prunable.push(p);
    }
  }

  describe(): string {
    const parts = [`table=${this.table}`, `projection=[${this.schema.map((f) => f.name).join(', ')}]`];
    if (this.predicates.length > 0) parts.push(`filters=[${this.predicates.map((p) => p.toString()).join(', ')}]`);
    if (this.prunable.length > 0) parts.push(`pruning_predicates=${this.prunable.length}`);
    if (this.source.location !== undefined) parts.push(`file=${this.source.location}`);
    const detail = this.source.scanDetail?.(this.schema.map((f) => f.name));
    if (detail !== undefined) parts.push(detail);
    return parts.join(', ');
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const m = this.metrics;
    m.extra.rowGroupsSkipped = 0;
    m.extra.rowsRead = 0;
    m.extra.bytesRead = 0;
    let groups = 0;
    let skipped = 0;
    let rowsRead = 0;
    let bytesRead = 0;
    const prunable = this.prunable;
    const keepRowGroup = prunable.length === 0
      ? undefined
      : (stats: ReadonlyMap<string, ColumnStats>, numRows: number): boolean => {
        groups++;
        const keep = keepGroup(prunable, stats, numRows);
        if (!keep) { skipped++; m.extra.rowGroupsSkipped = skipped; }
        m.extra.rowGroups = groups;
        return keep;
      };
    const stream = this.source.scan({
      columns: this.schema.map((f) => f.name),
      ...(keepRowGroup ? { keepRowGroup } : {}),
      batchSize: ctx.config.batchSize,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.partition ? { partition: ctx.partition } : {}),
      ...(this.consumerWaits ? { consumerWaits: true } : {}),
      onRead: (rows: number, bytes: number) => {
        rowsRead += rows;
        bytesRead += bytes;
        m.extra.rowsRead = rowsRead;
        m.extra.bytesRead = bytesRead;
        ctx.reportRead(rows, bytes);
      },
    });
    const it = stream[Symbol.asyncIterator]();
    const preds = this.execOrder;
    try {
      for (;;) {
        const t0 = performance.now();
        const r = await it.next();
        if (r.done) { m.elapsedComputeMs += performance.now() - t0; return; }
        ctx.checkCancelled();
        let b: Batch = makeBatch(this.schema, r.value.columns, r.value.numRows);
        if (this.safeCount > 1 && b.numRows > 0) {
          const mask = new Uint8Array(b.numRows).fill(1);
          for (let i = 0; i < this.safeCount; i++) andInto(mask, preds[i].evaluate(b));
          const sel = selectionFromBool(makeColumn(BOOL, mask));
          if (sel.length !== b.numRows) b = filterBatch(b, sel);
        }
        for (let i = this.safeCount > 1 ? this.safeCount : 0; i < preds.length && b.numRows > 0; i++) {
          const sel = selectionFromBool(preds[i].evaluate(b));
          if (sel.length !== b.numRows) b = filterBatch(b, sel);
        }
        m.elapsedComputeMs += performance.now() - t0;
        if (b.numRows === 0) continue;
        m.outputRows += b.numRows;
        m.outputBatches++;
        yield b;
      }
    } finally {
      // early termination (LIMIT): let the source release files
      if (typeof it.return === 'function') await it.return();
    }
  }
}

function columnOf(e: Expr, schema: Schema): { name: string; type: DataType } | null {
  if (e.kind === 'column') {
    const f = schema.find((x) => x.id === e.id);
    return f ? { name: f.name, type: f.type } : null;
  }
  // value-preserving casts of a column (storage values unchanged)
  if (e.kind === 'cast' && e.expr.kind === 'column') {
    const from = e.expr.type.kind;
    const to = e.type.kind;
    const ok = (from === 'int32' && (to === 'int64' || to === 'float64')) || (from === 'int64' && to === 'float64');
    if (!ok) return null;
    const inner = columnOf(e.expr, schema);
    return inner ? { name: inner.name, type: inner.type } : null;
  }
  return null;
}

/** Whether a literal of type `lit` is comparable with stats of a column of type `col` in storage units. */
function comparable(col: DataType, lit: DataType): boolean {
  const numeric = (k: string) => k === 'int32' || k === 'int64' || k === 'float64';
  if (numeric(col.kind) && numeric(lit.kind)) return true;
  if (col.kind === 'decimal' && lit.kind === 'decimal') return col.scale === lit.scale;
  return col.kind === lit.kind && col.kind !== 'null';
}

function toPrunable(e: Expr, schema: Schema): Prunable | null {
  if (e.kind === 'literal') return e.value === null || e.value === false ? { op: 'never' } : null;
  if (e.kind === 'in_list') {
    if (e.negated) return null;
    const c = columnOf(e.expr, schema);
    if (c === null) return null;
    const values: Scalar[] = [];
    for (const x of e.list) {
      if (x.kind !== 'literal' || !comparable(c.type, x.type)) return null;
      if (x.value !== null) values.push(x.value);
    }
    return { column: c.name, op: 'in', values, float: c.type.kind === 'float64' };
  }
  if (e.kind !== 'call') return null;
  if ((e.fn === 'is_null' || e.fn === 'is_not_null') && e.args.length === 1) {
    const c = columnOf(e.args[0], schema);
    return c ? { column: c.name, op: e.fn } : null;
  }
  const op = FLIP[e.fn];
  if (op === undefined || e.args.length !== 2) return null;
  let [a, b] = e.args;
  let fn = e.fn as 'eq' | 'lt' | 'lte' | 'gt' | 'gte';
  if (a.kind === 'literal' && b.kind !== 'literal') { [a, b] = [b, a]; fn = FLIP[fn]; }
  if (b.kind !== 'literal') return null;
  const c = columnOf(a, schema);
  if (c === null) return null;
  if (b.value === null) return { op: 'never' };
  if (!comparable(c.type, b.type)) return null;
  return { column: c.name, op: fn, value: b.value, float: c.type.kind === 'float64' };
}

/** -1/0/1, or null when the two cannot be compared. */
function cmp(a: Scalar, b: Scalar): number | null {
  if (typeof a === 'string' || typeof b === 'string') {
    if (typeof a !== 'string' || typeof b !== 'string') return null;
    return compareStrings(a, b);
  }
  const x = typeof a === 'boolean' ? (a ? 1 : 0) : a;
  const y = typeof b === 'boolean' ? (b ? 1 : 0) : b;
  if (x !== x || y !== y) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** False when the statistics prove no row of the group satisfies every prunable conjunct. */
export function keepGroup(preds: readonly Prunable[], stats: ReadonlyMap<string, ColumnStats>, numRows: number): boolean {
  for (const p of preds) {
    if (p.op === 'never') return false;
    const s = stats.get(p.column);
    if (s === undefined) continue;
    const allNull = s.nullCount !== undefined && s.nullCount >= numRows && numRows > 0;
    if (p.op === 'is_null' || p.op === 'is_not_null') {
      if (p.op === 'is_null' ? s.nullCount === 0 : allNull) return false;
      continue;
    }
    if (allNull) return false; // comparisons with NULL are never true
    const { min, max } = s;
    if (p.op === 'in') {
      if (min === undefined || max === undefined) continue;
      let any = false;
      for (const v of p.values) {
        if (p.float && typeof v === 'number' && v !== v) { any = true; break; }
        const lo = cmp(v, min);
        const hi = cmp(v, max);
        if (lo === null || hi === null || (lo >= 0 && hi <= 0)) { any = true; break; }
      }
      if (!any) return false;
      continue;
    }
    const q = p as CmpPrunable;
    const v = q.value;
    // float8 statistics leave NaN out, and NaN is greater than everything in PostgreSQL
    if (q.float && (q.op === 'gt' || q.op === 'gte' || (typeof v === 'number' && v !== v))) continue;
    switch (q.op) {
      case 'eq': {
        if (min !== undefined) { const c = cmp(v, min); if (c !== null && c < 0) return false; }
        if (max !== undefined) { const c = cmp(v, max); if (c !== null && c > 0) return false; }
        break;
      }
      case 'lt': if (min !== undefined) { const c = cmp(min, v); if (c !== null && c >= 0) return false; } break;
      case 'lte': if (min !== undefined) { const c = cmp(min, v); if (c !== null && c > 0) return false; } break;
      case 'gt': if (max !== undefined) { const c = cmp(max, v); if (c !== null && c <= 0) return false; } break;
      case 'gte': if (max !== undefined) { const c = cmp(max, v); if (c !== null && c < 0) return false; } break;
    }
  }
  return true;
}

/** mask[i] &= (pred[i] is true and not NULL). */
function andInto(mask: Uint8Array, pred: Column): void {
  const n = mask.length;
  if (pred.type.kind === 'null') { mask.fill(0); return; }
  const v = pred.values;
  const valid = pred.validity;
  if (valid === null) for (let i = 0; i < n; i++) mask[i] &= v[i] === 0 ? 0 : 1;
  else for (let i = 0; i < n; i++) mask[i] &= v[i] !== 0 && valid[i] !== 0 ? 1 : 0;
}
