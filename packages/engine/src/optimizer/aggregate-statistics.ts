import { EXACT_ORDER } from '../expr/compile.js';
import { col, type AggregateExpr, type Expr } from '../logical/expr.js';
import type { AggregateNode, LogicalPlan, NamedExpr, ScanNode } from '../logical/plan.js';
import type { OptimizerRule } from './rule.js';
import { rewriteAggregates } from './utils.js';

/**
 * DataFusion's aggregate_statistics: aggregates without GROUP BY or WHERE answered from what the
 * source knows exactly, without reading it — COUNT(*) from the row count (a Parquet footer, an
 * in-memory table, an Arrow file), MIN/MAX of a column from an exact range (an in-memory table
 * keeps its columns' ranges once computed). When every aggregate is known the node becomes a
 * one-row VALUES; otherwise the rest are still aggregated and a projection above adds the known
 * values. Seed 003's a1 scanned 163 in-memory batches to count them, a2 compared 10M amounts for
 * MIN/MAX (~3 ns a row in V8, three times the SUM beside it).
 *
 * MIN/MAX only for types whose stored values order exactly like SQL's (integers, dates,
 * timestamps, decimals): a float column's NaN sorts above every number in SQL but is skipped by
 * the ranges.
 */
export const aggregateStatistics: OptimizerRule = {
  name: 'aggregate_statistics',
  rewrite(plan) {
    return rewriteAggregates(plan, fromStatistics);
  },
};

/** The aggregate's value over the whole source, from its statistics, or undefined. */
function known(agg: AggregateExpr, scan: ScanNode): number | undefined {
  if (agg.filter !== null) return undefined;
  if (agg.fn === 'count_star') {
    const numRows = scan.source.statistics().numRows;
    return numRows !== undefined && Number.isSafeInteger(numRows) && !agg.distinct ? numRows : undefined;
  }
  // MIN/MAX's type is its argument's, here a column of the scan
  if ((agg.fn === 'min' || agg.fn === 'max') && agg.arg?.kind === 'column' && EXACT_ORDER.has(agg.type.kind)) {
    const arg = agg.arg;
    const field = scan.fields.find((f) => f.id === arg.id);
    if (field === undefined) return undefined;
    const range = scan.source.columnRange?.(field.name);
    if (range === undefined || range.exact !== true) return undefined;
    return agg.fn === 'min' ? range.min : range.max;
  }
  return undefined;
}

function fromStatistics(node: AggregateNode, fresh: () => number): LogicalPlan {
  if (node.groupBy.length !== 0 || node.aggregates.length === 0) return node;
  const scan = node.input;
  if (scan.kind !== 'scan' || scan.filters.length !== 0) return node;
  const values = node.aggregates.map((a) => known(a.agg, scan));
  if (values.every((v) => v === undefined)) return node;
  const literal = (i: number): Expr => ({ kind: 'literal', value: values[i]!, type: node.aggregates[i]!.agg.type });
  if (values.every((v) => v !== undefined)) {
    return {
      kind: 'values',
      // the aggregate's own output fields (ids, names, types), so nothing above it changes
      fields: node.aggregates.map((a) => ({ id: a.id, name: a.name, type: a.agg.type, nullable: true })),
      rows: [node.aggregates.map((_, i) => literal(i))],
    };
  }
  // the rest are aggregated under fresh ids; the projection keeps the original ids
  const rest = node.aggregates.flatMap((a, i) => (values[i] === undefined ? [{ ...a, id: fresh() }] : []));
  let k = 0;
  const exprs: NamedExpr[] = node.aggregates.map((a, i) => {
    if (values[i] !== undefined) return { id: a.id, name: a.name, expr: literal(i) };
    const r = rest[k++]!;
    return { id: a.id, name: a.name, expr: col(r.id, r.name, r.agg.type) };
  });
  return { kind: 'projection', input: { ...node, aggregates: rest }, exprs };
}
