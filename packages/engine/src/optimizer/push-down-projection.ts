import { col, columnsOf, transformExpr, windowExprs, type Expr } from '../logical/expr.js';
import type { Field } from '../types/batch.js';
import { outputFields, type LogicalPlan, type NamedExpr, type ProjectionNode } from '../logical/plan.js';
import type { OptimizerRule } from './rule.js';
import { changedOrNull, exprColumns, substituteColumns, typeWidth } from './utils.js';

/**
 * Projection pushdown (column pruning). Walks the plan top-down with the set of column ids the
 * parents read and:
 *  - prunes ScanNode.fields to the columns read above or by the scan's own filters (when nothing
 *    is read, e.g. COUNT(*), keeps the narrowest column, fixed-width preferred);
 *  - drops projection expressions, aggregates and window expressions no parent reads (a window
 *    node left with none disappears; an aggregate without GROUP BY keeps one aggregate so it
 *    still emits its row);
 *  - removes projections that only pass columns through where their column order is not visible
 *    at the root (parents address columns by id);
 *  - merges a Projection directly over another Projection (when that computes nothing twice);
 *  - prunes unread columns of Values nodes and of UNION ALL (in every input; inputs keep their
 *    column order, since set operations match columns by position).
 * The root's output (ids, names, order) never changes.
 */
export const pushDownProjection: OptimizerRule = {
  name: 'push_down_projection',
  rewrite(plan) {
    const all = new Set(outputFields(plan).map((f) => f.id!));
    return changedOrNull(plan, prune(plan, all, true));
  },
};

function fieldWidth(f: Field): number {
  // Strings cost their dictionary too: prefer any fixed-width column.
  return f.type.kind === 'utf8' ? 1000 : typeWidth(f.type.kind);
}

/** Index of the cheapest field to keep when a node must produce at least one column. */
function narrowest(fields: readonly Field[]): number {
  let best = 0;
  for (let i = 1; i < fields.length; i++) if (fieldWidth(fields[i]) < fieldWidth(fields[best])) best = i;
  return best;
}

/**
 * `required`: ids the parent reads. `ordered`: whether this node's output column order is visible
 * at the root (true from the root down through filter/sort/limit/window/join, false below a
 * projection or aggregate, which pick their inputs by id).
 */
/**
 * Projection over Projection → one Projection, inner expressions substituted into the outer ones
 * (the outer ids and names are kept). Only when no non-trivial inner expression would be
 * computed more than once.
 */
function mergeProjections(outer: readonly NamedExpr[], inner: ProjectionNode): LogicalPlan | null {
  const uses = new Map<number, number>();
  const count = (e: Expr): Expr => {
    if (e.kind === 'column') uses.set(e.id, (uses.get(e.id) ?? 0) + 1);
    return e;
  };
  for (const n of outer) transformExpr(n.expr, count);
  const map = new Map<number, Expr>();
  for (const n of inner.exprs) {
    const trivial = n.expr.kind === 'column' || n.expr.kind === 'literal';
    if (!trivial && (uses.get(n.id) ?? 0) > 1) return null;
    map.set(n.id, n.expr);
  }
  return { kind: 'projection', input: inner.input, exprs: outer.map((n) => ({ ...n, expr: substituteColumns(n.expr, map) })) };
}

function prune(plan: LogicalPlan, required: ReadonlySet<number>, ordered: boolean): LogicalPlan {
  switch (plan.kind) {
    case 'scan': {
      const need = new Set(required);
      for (const f of plan.filters) columnsOf(f, need);
      let fields = plan.fields.filter((f) => need.has(f.id!));
      // Parquet answers a column-less scan from its footer's row counts (nothing decoded) and an
      // in-memory table from its batches' lengths; other sources still read their cheapest column.
      const rowCountsOnly = plan.source.kind === 'parquet' || plan.source.kind === 'memory';
      if (fields.length === 0 && plan.fields.length > 0 && !rowCountsOnly) fields = [plan.fields[narrowest(plan.fields)]];
      return fields.length === plan.fields.length ? plan : { ...plan, fields };
    }

    case 'values': {
      if (plan.fields.length === 0) return plan;
      let keep = plan.fields.map((f, i) => (required.has(f.id!) ? i : -1)).filter((i) => i >= 0);
      if (keep.length === 0) keep = [narrowest(plan.fields)];
      if (keep.length === plan.fields.length) return plan;
      return { ...plan, fields: keep.map((i) => plan.fields[i]), rows: plan.rows.map((r) => keep.map((i) => r[i])) };
    }

    case 'projection': {
      let exprs = plan.exprs.filter((n) => required.has(n.id));
      if (exprs.length === 0) {
        // Nothing read (e.g. count(*) above): keep one cheap expression so rows still flow.
        const cols = plan.exprs.filter((n) => n.expr.kind === 'column' || n.expr.kind === 'literal');
        exprs = [cols.length > 0 ? cols[0] : plan.exprs[0]];
      }
      const input = prune(plan.input, exprColumns(exprs.map((n) => n.expr)), false);
      if (!ordered && exprs.every((n) => n.expr.kind === 'column' && n.expr.id === n.id)) {
        // Pure pass-through: the input already produces these ids.
        const have = new Set(outputFields(input).map((f) => f.id));
        if (exprs.every((n) => have.has(n.id))) return input;
      }
      if (input.kind === 'projection') {
        const merged = mergeProjections(exprs, input);
        if (merged) return merged;
      }
      return exprs.length === plan.exprs.length && input === plan.input ? plan : { ...plan, exprs, input };
    }

    case 'filter': {
      const need = new Set(required);
      columnsOf(plan.predicate, need);
      return { ...plan, input: prune(plan.input, need, ordered) };
    }

    case 'sort': {
      const need = new Set(required);
      exprColumns(plan.keys.map((k) => k.expr), need);
      return { ...plan, input: prune(plan.input, need, ordered) };
    }

    case 'limit':
      return { ...plan, input: prune(plan.input, required, ordered) };

    case 'max_one_row':
      return { ...plan, input: prune(plan.input, exprColumns(plan.keys ?? [], new Set(required)), ordered) };

    case 'aggregate': {
      let aggregates = plan.aggregates.filter((a) => required.has(a.id));
      if (aggregates.length === 0 && plan.groupBy.length === 0 && plan.aggregates.length > 0) {
        aggregates = [plan.aggregates.find((a) => a.agg.fn === 'count_star') ?? plan.aggregates[0]];
      }
      const need = exprColumns(plan.groupBy.map((g) => g.expr));
      for (const a of aggregates) exprColumns([a.agg.arg, a.agg.filter], need);
      return { ...plan, aggregates, input: prune(plan.input, need, false) };
    }

    case 'window': {
      const windows = plan.windows.filter((w) => required.has(w.id));
      const windowIds = new Set(plan.windows.map((w) => w.id));
      const need = new Set([...required].filter((id) => !windowIds.has(id)));
      if (windows.length === 0) return prune(plan.input, need, ordered);
      for (const w of windows) {
        exprColumns(windowExprs(w.window), need);
      }
      return { ...plan, windows, input: prune(plan.input, need, ordered) };
    }

    case 'work_table':
      return plan;

    case 'recursive_cte': {
      // every column feeds the next step: the terms keep all their columns, in position
      const keepAll = (input: LogicalPlan): LogicalPlan => {
        const want = outputFields(input);
        const pruned = prune(input, new Set(want.map((f) => f.id!)), true);
        const got = outputFields(pruned);
        if (got.length === want.length && got.every((f, j) => f.id === want[j].id)) return pruned;
        return { kind: 'projection', input: pruned, exprs: want.map((f) => ({ id: f.id!, name: f.name, expr: col(f.id!, f.name, f.type) })) };
      };
      return { ...plan, static: keepAll(plan.static), recursive: keepAll(plan.recursive) };
    }

    case 'set_op': {
      // UNION ALL drops unread columns from every input; the other operations compare whole rows.
      let keep = plan.fields.map((_, j) => j);
      if (plan.op === 'union' && plan.all) {
        keep = keep.filter((j) => required.has(plan.fields[j].id!));
        if (keep.length === 0) keep = [narrowest(plan.fields)];
      }
      const inputs = plan.inputs.map((input) => {
        const fs = outputFields(input);
        const want = keep.map((j) => fs[j]);
        const pruned = prune(input, new Set(want.map((f) => f.id!)), true);
        const got = outputFields(pruned);
        if (got.length === want.length && got.every((f, j) => f.id === want[j].id)) return pruned;
        // the input's columns must stay in position: select them in order
        return { kind: 'projection', input: pruned, exprs: want.map((f) => ({ id: f.id!, name: f.name, expr: col(f.id!, f.name, f.type) })) } as LogicalPlan;
      });
      const fields = keep.length === plan.fields.length ? plan.fields : keep.map((j) => plan.fields[j]);
      return { ...plan, fields, inputs };
    }

    case 'join': {
      const need = new Set(required);
      for (const k of plan.on) {
        columnsOf(k.left, need);
        columnsOf(k.right, need);
      }
      if (plan.filter) columnsOf(plan.filter, need);
      const leftIds = new Set(outputFields(plan.left).map((f) => f.id!));
      const rightIds = new Set(outputFields(plan.right).map((f) => f.id!));
      const leftNeed = new Set([...need].filter((id) => leftIds.has(id)));
      const rightNeed = new Set([...need].filter((id) => rightIds.has(id)));
      return { ...plan, left: prune(plan.left, leftNeed, ordered), right: prune(plan.right, rightNeed, ordered) };
    }
  }
}
