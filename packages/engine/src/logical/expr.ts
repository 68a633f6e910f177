import type { DataType } from '../types/data-type.js';

/**
 * Bound (typed, resolved) expressions. Columns are referenced by a numeric id that the binder
 * gives every column a plan node produces; ids are unique within one query, so optimizer rules
 * can move expressions between nodes without renumbering. The physical planner maps ids to
 * positions (see expr/compile.ts).
 *
 * Literal values use the column storage domain (types/column.ts): date → days, timestamp →
 * microseconds, decimal → unscaled integer, utf8 → string, bool → boolean, NULL → null.
 */
export type Expr =
  | ColumnExpr
  | LiteralExpr
  | CallExpr
  | CastExpr
  | CaseExpr
  | InListExpr;

export interface ColumnExpr {
  readonly kind: 'column';
  readonly id: number;
  /** Display name (`t.amount` or `amount`), for EXPLAIN and errors only. */
  readonly name: string;
  readonly type: DataType;
}

export interface LiteralExpr {
  readonly kind: 'literal';
  readonly value: number | string | boolean | null;
  readonly type: DataType;
}

/**
 * Scalar function or operator. Operators use these names:
 *   arithmetic: add sub mul div mod neg
 *   comparison: eq neq lt lte gt gte
 *   logic:      and or not
 *   predicates: is_null is_not_null like not_like ilike not_ilike is_true is_false
 *   strings:    concat (both `||` and concat()), lower upper length substring
 *   dates:      date_trunc extract date_add_days date_sub_days date_diff_days
 *   math:       round abs floor ceil
 *   other:      coalesce nullif
 * `fn` is always lower case. Argument types have already been coerced by the binder: the kernel
 * for (fn, arg types) exists (expr/registry.ts decides, at bind time, via resolveScalar).
 */
export interface CallExpr {
  readonly kind: 'call';
  readonly fn: string;
  readonly args: readonly Expr[];
  readonly type: DataType;
}

export interface CastExpr {
  readonly kind: 'cast';
  readonly expr: Expr;
  readonly type: DataType;
}

/** Searched CASE (operand folded in by the binder as `operand = when`). */
export interface CaseExpr {
  readonly kind: 'case';
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly otherwise: Expr | null;
  readonly type: DataType;
}

export interface InListExpr {
  readonly kind: 'in_list';
  readonly expr: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
  readonly type: DataType;
}

export type AggregateFn =
  | 'count_star'
  | 'count'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'stddev_samp'
  | 'stddev_pop'
  | 'var_samp'
  | 'var_pop'
  | 'bool_and'
  | 'bool_or'
  /** string_agg(value, sep [ORDER BY …]): `arg` is agg_args(value, sep, directions, keys…) (expr/kernels/agg-args.ts) */
  | 'string_agg';

/** An aggregate call inside an Aggregate node. `arg` is null only for count_star. */
export interface AggregateExpr {
  readonly fn: AggregateFn;
  readonly arg: Expr | null;
  readonly distinct: boolean;
  /** FILTER (WHERE …) */
  readonly filter: Expr | null;
  readonly type: DataType;
}

export interface SortKey {
  readonly expr: Expr;
  readonly ascending: boolean;
  /** PostgreSQL default: NULLS LAST for ASC, NULLS FIRST for DESC. The binder fills it in. */
  readonly nullsFirst: boolean;
}

export type WindowFn =
  | 'row_number' | 'rank' | 'dense_rank' | 'sum' | 'avg' | 'count' | 'count_star' | 'min' | 'max'
  | 'lag' | 'lead' | 'first_value' | 'last_value' | 'nth_value' | 'ntile' | 'percent_rank' | 'cume_dist';

/**
 * Window frame in ROWS units relative to the current row. PostgreSQL's default frame with an
 * ORDER BY is RANGE UNBOUNDED PRECEDING → CURRENT ROW (peers included): `{ mode: 'range' }`.
 * Without ORDER BY the frame is the whole partition: `{ mode: 'partition' }`.
 * `ROWS BETWEEN n PRECEDING AND CURRENT ROW` is `{ mode: 'rows', preceding: n, following: 0 }`;
 * preceding = null means UNBOUNDED PRECEDING.
 */
export type WindowFrame =
  | { readonly mode: 'range' }
  | { readonly mode: 'partition' }
  | { readonly mode: 'rows'; readonly preceding: number | null; readonly following: number };

export interface WindowExpr {
  readonly fn: WindowFn;
  readonly arg: Expr | null;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortKey[];
  readonly frame: WindowFrame;
  readonly type: DataType;
  /** lag/lead: the (constant) offset; nth_value: n; ntile: the number of buckets. */
  readonly offset?: number;
  /** lag/lead: the default for rows whose offset row is outside the partition (null: NULL). */
  readonly defaultValue?: Expr | null;
}

/** Every expression a window expression reads (argument, default, partition and order keys). */
export function windowExprs(w: WindowExpr): Expr[] {
  const out: Expr[] = [];
  if (w.arg) out.push(w.arg);
  if (w.defaultValue) out.push(w.defaultValue);
  out.push(...w.partitionBy, ...w.orderBy.map((k) => k.expr));
  return out;
}

export const col = (id: number, name: string, type: DataType): ColumnExpr => ({ kind: 'column', id, name, type });
export const lit = (value: LiteralExpr['value'], type: DataType): LiteralExpr => ({ kind: 'literal', value, type });
export const call = (fn: string, args: readonly Expr[], type: DataType): CallExpr => ({ kind: 'call', fn, args, type });

/** Ids of every column an expression reads. */
export function columnsOf(e: Expr, out: Set<number> = new Set()): Set<number> {
  switch (e.kind) {
    case 'column': out.add(e.id); break;
    case 'literal': break;
    case 'call': for (const a of e.args) columnsOf(a, out); break;
    case 'cast': columnsOf(e.expr, out); break;
    case 'case':
      for (const w of e.whens) { columnsOf(w.when, out); columnsOf(w.then, out); }
      if (e.otherwise) columnsOf(e.otherwise, out);
      break;
    case 'in_list': columnsOf(e.expr, out); for (const a of e.list) columnsOf(a, out); break;
  }
  return out;
}

/** Rebuilds an expression bottom-up; `f` may return a replacement for each node. */
export function transformExpr(e: Expr, f: (e: Expr) => Expr): Expr {
  let next: Expr;
  switch (e.kind) {
    case 'column':
    case 'literal':
      next = e; break;
    case 'call': next = { ...e, args: e.args.map((a) => transformExpr(a, f)) }; break;
    case 'cast': next = { ...e, expr: transformExpr(e.expr, f) }; break;
    case 'case':
      next = {
        ...e,
        whens: e.whens.map((w) => ({ when: transformExpr(w.when, f), then: transformExpr(w.then, f) })),
        otherwise: e.otherwise ? transformExpr(e.otherwise, f) : null,
      };
      break;
    case 'in_list': next = { ...e, expr: transformExpr(e.expr, f), list: e.list.map((a) => transformExpr(a, f)) }; break;
  }
  return f(next);
}

/** Splits `a AND b AND c` into [a, b, c]. */
export function splitConjunction(e: Expr): Expr[] {
  if (e.kind === 'call' && e.fn === 'and') return e.args.flatMap(splitConjunction);
  return [e];
}
