/**
 * Test helpers for optimizer tests: a fake TableSource with controllable statistics, small plan
 * builders that hand out column ids, and a naive row-at-a-time reference interpreter of logical
 * plans used to check that rewrites preserve results.
 */
import type { TableSource } from '../../src/catalog.js';
import { call, col, lit, type AggregateExpr, type ColumnExpr, type Expr, type SortKey, type WindowExpr } from '../../src/logical/expr.js';
import {
  outputFields,
  type AggregateNode,
  type JoinNode,
  type JoinType,
  type LimitNode,
  type LogicalPlan,
  type ProjectionNode,
  type ScanNode,
  type SortNode,
  type ValuesNode,
  type WindowNode,
} from '../../src/logical/plan.js';
import { aggregateReturnType } from '../../src/logical/aggregate-types.js';
import { optimize, type OptimizerConfig } from '../../src/optimizer/optimize.js';
import { validatePlan } from '../../src/optimizer/validate.js';
import type { Field } from '../../src/types/batch.js';
export { evalExpr, execute, results, type Value, type Row } from './interp.js';
import type { Row, Value } from './interp.js';
import { BOOL, FLOAT64, INT32, INT64, UTF8, type DataType } from '../../src/types/data-type.js';


export class FakeTable implements TableSource {
  readonly kind = 'memory' as const;
  readonly schema: Field[];
  constructor(
    columns: [string, DataType][],
    readonly rows: Row[] = [],
    private readonly stats: { numRows?: number; bytes?: number } = { numRows: rows.length },
  ) {
    this.schema = columns.map(([name, type]) => ({ name, type, nullable: true }));
  }
  statistics() {
    return this.stats;
  }
  // eslint-disable-next-line require-yield
  async *scan() {
    throw new Error('FakeTable.scan is not used in optimizer tests');
  }
}

/** Hands out query-unique column ids. */
export class Ids {
  private next = 1;
  id(): number {
    return this.next++;
  }
}

export type Cols = Record<string, ColumnExpr>;

export function scan(ids: Ids, table: string, source: TableSource, alias = table): { plan: ScanNode; c: Cols } {
  const fields = source.schema.map((f) => ({ ...f, id: ids.id() }));
  const c: Cols = {};
  for (const f of fields) c[f.name] = col(f.id, `${alias}.${f.name}`, f.type);
  return { plan: { kind: 'scan', table, alias, source, fields, filters: [] }, c };
}

export function project(ids: Ids, input: LogicalPlan, exprs: [string, Expr][]): { plan: ProjectionNode; c: Cols } {
  const c: Cols = {};
  const named = exprs.map(([name, expr]) => {
    const id = ids.id();
    c[name] = col(id, name, expr.type);
    return { id, name, expr };
  });
  return { plan: { kind: 'projection', input, exprs: named }, c };
}

export const filter = (input: LogicalPlan, predicate: Expr): LogicalPlan => ({ kind: 'filter', input, predicate });

export function aggregate(
  ids: Ids,
  input: LogicalPlan,
  groupBy: [string, Expr][],
  aggs: [string, AggregateExpr][],
): { plan: AggregateNode; c: Cols } {
  const c: Cols = {};
  const g = groupBy.map(([name, expr]) => {
    const id = ids.id();
    c[name] = col(id, name, expr.type);
    return { id, name, expr };
  });
  const a = aggs.map(([name, agg]) => {
    const id = ids.id();
    c[name] = col(id, name, agg.type);
    return { id, name, agg };
  });
  return { plan: { kind: 'aggregate', input, groupBy: g, aggregates: a }, c };
}

export function agg(fn: AggregateExpr['fn'], arg: Expr | null, opts: { distinct?: boolean; filter?: Expr } = {}): AggregateExpr {
  return { fn, arg, distinct: opts.distinct ?? false, filter: opts.filter ?? null, type: aggregateReturnType(fn, arg ? arg.type : null)! };
}

export function join(
  joinType: JoinType,
  left: LogicalPlan,
  right: LogicalPlan,
  on: [Expr, Expr][] = [],
  filter: Expr | null = null,
): JoinNode {
  return { kind: 'join', joinType, left, right, on: on.map(([l, r]) => ({ left: l, right: r })), filter, strategy: 'auto' };
}

export const asc = (expr: Expr): SortKey => ({ expr, ascending: true, nullsFirst: false });
export const desc = (expr: Expr): SortKey => ({ expr, ascending: false, nullsFirst: true });
export const sort = (input: LogicalPlan, keys: SortKey[], fetch: number | null = null): SortNode => ({ kind: 'sort', input, keys, fetch });
export const limit = (input: LogicalPlan, skip: number, fetch: number | null): LimitNode => ({ kind: 'limit', input, skip, fetch });

export function window(ids: Ids, input: LogicalPlan, wins: [string, WindowExpr][]): { plan: WindowNode; c: Cols } {
  const c: Cols = {};
  const windows = wins.map(([name, w]) => {
    const id = ids.id();
    c[name] = col(id, name, w.type);
    return { id, name, window: w };
  });
  return { plan: { kind: 'window', input, windows }, c };
}

export function values(ids: Ids, names: [string, DataType][], rows: Value[][]): { plan: ValuesNode; c: Cols } {
  const c: Cols = {};
  const fields = names.map(([name, type]) => {
    const id = ids.id();
    c[name] = col(id, name, type);
    return { id, name, type, nullable: true };
  });
  return { plan: { kind: 'values', fields, rows: rows.map((r) => r.map((v, i) => lit(v, fields[i].type))) }, c };
}

// Expression shorthands.
export const i32 = (v: number | null) => lit(v, INT32);
export const i64 = (v: number | null) => lit(v, INT64);
export const f64 = (v: number | null) => lit(v, FLOAT64);
export const str = (v: string | null) => lit(v, UTF8);
export const bool = (v: boolean | null) => lit(v, BOOL);
export const eq = (a: Expr, b: Expr) => call('eq', [a, b], BOOL);
export const neq = (a: Expr, b: Expr) => call('neq', [a, b], BOOL);
export const gt = (a: Expr, b: Expr) => call('gt', [a, b], BOOL);
export const lt = (a: Expr, b: Expr) => call('lt', [a, b], BOOL);
export const and = (a: Expr, b: Expr) => call('and', [a, b], BOOL);
export const or = (a: Expr, b: Expr) => call('or', [a, b], BOOL);
export const not = (a: Expr) => call('not', [a], BOOL);
export const isNull = (a: Expr) => call('is_null', [a], BOOL);
export const add = (a: Expr, b: Expr) => call('add', [a, b], a.type);
export const mul = (a: Expr, b: Expr) => call('mul', [a, b], a.type);

/** Runs the optimizer, validating the plan after every rule that changed it. */
export function optimizeChecked(plan: LogicalPlan, config: Partial<OptimizerConfig> = {}) {
  validatePlan(plan);
  const rulesApplied: string[] = [];
  const out = optimize(plan, config, {
    afterRule: (rule, p) => {
      rulesApplied.push(rule);
      try {
        validatePlan(p);
      } catch (e) {
        throw new Error(`after rule ${rule}: ${(e as Error).message}`);
      }
    },
  });
  const before = outputFields(plan).map((f) => [f.id, f.name]);
  const after = outputFields(out.plan).map((f) => [f.id, f.name]);
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    throw new Error(`root output changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  }
  return { ...out, rulesApplied };
}

