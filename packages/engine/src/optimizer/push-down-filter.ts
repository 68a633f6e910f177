import { col, columnsOf, splitConjunction, type Expr, type WindowExpr } from '../logical/expr.js';
import { outputFields, type JoinNode, type LogicalPlan } from '../logical/plan.js';
import { typesEqual } from '../types/data-type.js';
import type { OptimizerRule } from './rule.js';
import { changedOrNull, conjunction, exprEquals, isSubset, substituteColumns } from './utils.js';

/**
 * Predicate pushdown (DataFusion's PushDownFilter, which also eliminates cross joins).
 * Filters are split into conjuncts and moved as close to the scans as results allow:
 *  - through Projection (column references replaced by the projected expressions),
 *    Sort without fetch, and Window (only conjuncts over columns every window partitions by);
 *  - into an Aggregate's input when a conjunct reads only group keys (keys substituted);
 *  - through joins: left-only conjuncts to the left input (inner, cross, left joins), right-only
 *    to the right input (inner and cross only), `left-expr = right-expr` conjuncts of inner/cross
 *    joins become equi keys (a cross join that gains keys becomes an inner join); the rest stay
 *    above the join. A LEFT join's own ON condition: right-only conjuncts go into the right input,
 *    equalities become keys, the rest stays in the join filter;
 *  - a LEFT join under a conjunct that rejects NULL-extended rows (e.g. `right.x = 5`) becomes an
 *    INNER join first (outer join elimination);
 *  - SEMI / ANTI joins: conjuncts from above go to the left input; in their ON condition
 *    right-only conjuncts go into the right input and equalities become keys. Nothing moves
 *    through a FULL join;
 *  - into every input of a set operation (UNION [ALL], INTERSECT, EXCEPT), columns mapped by
 *    position;
 *  - into ScanNode.filters.
 * Never below a Limit or a Sort with fetch (top-k), never into a Values node.
 */
export const pushDownFilter: OptimizerRule = {
  name: 'push_down_filter',
  rewrite(plan) {
    return changedOrNull(plan, push(plan, []));
  },
};

/** `plan` with the conjuncts `preds` (over plan's output) applied, pushed as deep as possible. */
function push(plan: LogicalPlan, preds: readonly Expr[]): LogicalPlan {
  switch (plan.kind) {
    case 'filter':
      // Deeper conjuncts first: the order the query's author saw them applied.
      return push(plan.input, [...splitConjunction(plan.predicate), ...preds]);

    case 'scan': {
      const have = new Set(outputFields(plan).map((f) => f.id!));
      const into: Expr[] = [...plan.filters];
      const above: Expr[] = [];
      for (const p of preds) {
        if (!isSubset(columnsOf(p), have)) above.push(p);
        else if (!into.some((q) => exprEquals(p, q))) into.push(p);
      }
      const scan = into.length === plan.filters.length ? plan : { ...plan, filters: into };
      return wrap(scan, above);
    }

    case 'values':
    case 'work_table':
      return wrap(plan, preds);

    case 'recursive_cte':
      // rows of later steps depend on earlier ones: nothing moves into the recursion
      return wrap({ ...plan, static: push(plan.static, []), recursive: push(plan.recursive, []) }, preds);

    case 'projection': {
      const map = new Map<number, Expr>(plan.exprs.map((n) => [n.id, n.expr]));
      const below = preds.map((p) => substituteColumns(p, map));
      return { ...plan, input: push(plan.input, below) };
    }

    case 'sort':
      if (plan.fetch !== null) return wrap({ ...plan, input: push(plan.input, []) }, preds);
      return { ...plan, input: push(plan.input, preds) };

    case 'limit':
    case 'max_one_row':
      return wrap({ ...plan, input: push(plan.input, []) }, preds);

    case 'window': {
      // A conjunct over columns every window partitions by removes whole partitions: safe below.
      const common = commonPartitionColumns(plan.windows.map((w) => w.window));
      const below: Expr[] = [];
      const above: Expr[] = [];
      for (const p of preds) {
        const cols = columnsOf(p);
        if (cols.size > 0 && isSubset(cols, common)) below.push(p);
        else above.push(p);
      }
      return wrap({ ...plan, input: push(plan.input, below) }, above);
    }

    case 'aggregate': {
      const keyIds = new Set(plan.groupBy.map((g) => g.id));
      const map = new Map<number, Expr>(plan.groupBy.map((g) => [g.id, g.expr]));
      const below: Expr[] = [];
      const above: Expr[] = [];
      for (const p of preds) {
        const cols = columnsOf(p);
        // A column-free conjunct must stay: without GROUP BY the aggregate emits a row even for no input.
        if (cols.size > 0 && isSubset(cols, keyIds)) below.push(substituteColumns(p, map));
        else above.push(p);
      }
      return wrap({ ...plan, input: push(plan.input, below) }, above);
    }

    case 'join':
      return pushJoin(plan, preds);

    case 'set_op': {
      // A predicate on the output values holds for a row exactly when it holds for the equal
      // input rows: every conjunct goes into every input (columns mapped by position).
      const inputs = plan.inputs.map((input) => {
        const fs = outputFields(input);
        const map = new Map<number, Expr>(plan.fields.map((f, j) => [f.id!, col(fs[j].id!, fs[j].name, fs[j].type)]));
        return push(input, preds.map((p) => substituteColumns(p, map)));
      });
      return { ...plan, inputs };
    }
  }
}

function pushJoin(plan: JoinNode, preds: readonly Expr[]): LogicalPlan {
  const leftIds = new Set(outputFields(plan.left).map((f) => f.id!));
  const rightIds = new Set(outputFields(plan.right).map((f) => f.id!));
  const toLeft: Expr[] = [];
  const toRight: Expr[] = [];
  const above: Expr[] = [];
  const on = [...plan.on];
  let filter: Expr[] = [];

  const asEquiKey = (p: Expr): { left: Expr; right: Expr } | null => {
    if (p.kind !== 'call' || p.fn !== 'eq' || p.args.length !== 2) return null;
    const [a, b] = p.args;
    if (!typesEqual(a.type, b.type)) return null;
    const ca = columnsOf(a);
    const cb = columnsOf(b);
    if (ca.size === 0 || cb.size === 0) return null;
    if (isSubset(ca, leftIds) && isSubset(cb, rightIds)) return { left: a, right: b };
    if (isSubset(ca, rightIds) && isSubset(cb, leftIds)) return { left: b, right: a };
    return null;
  };
  const addKey = (k: { left: Expr; right: Expr }): void => {
    if (!on.some((o) => exprEquals(o.left, k.left) && exprEquals(o.right, k.right))) on.push(k);
  };

  if (plan.joinType === 'left' && preds.some((p) => nullRejecting(p, rightIds))) {
    // A conjunct above that can't be TRUE on a NULL-extended row makes the LEFT join an INNER one.
    return pushJoin({ ...plan, joinType: 'inner' }, preds);
  }

  if (plan.joinType === 'full') {
    // Both sides are preserved: nothing moves through a FULL join, and its ON condition stays.
    return wrap({ ...plan, left: push(plan.left, []), right: push(plan.right, []) }, preds);
  }

  if (plan.joinType === 'semi' || plan.joinType === 'anti') {
    // The output is the left rows: every conjunct from above reads left columns only. The ON
    // condition decides matching: right-only conjuncts filter the right input first.
    for (const p of preds) {
      const cols = columnsOf(p);
      if (isSubset(cols, leftIds) && cols.size > 0) toLeft.push(p);
      else above.push(p);
    }
    for (const c of plan.filter ? splitConjunction(plan.filter) : []) {
      const cols = columnsOf(c);
      const key = asEquiKey(c);
      if (cols.size > 0 && isSubset(cols, rightIds)) toRight.push(c);
      else if (key) addKey(key);
      else filter.push(c);
    }
  } else if (plan.joinType === 'left') {
    // Conjuncts from above: only those over the preserved (left) side can move down.
    for (const p of preds) {
      const cols = columnsOf(p);
      if (cols.size > 0 && isSubset(cols, leftIds)) toLeft.push(p);
      else above.push(p);
    }
    // The ON condition: right-only conjuncts filter the right input before matching; left-only
    // ones must stay (they decide matching, not which left rows survive).
    for (const c of plan.filter ? splitConjunction(plan.filter) : []) {
      const cols = columnsOf(c);
      const key = asEquiKey(c);
      if (cols.size > 0 && isSubset(cols, rightIds)) toRight.push(c);
      else if (key) addKey(key);
      else filter.push(c);
    }
  } else {
    // Inner / cross: the join filter is equivalent to a filter above; treat both alike.
    const own = plan.filter ? splitConjunction(plan.filter) : [];
    const all = [...own, ...preds];
    for (const p of all) {
      const cols = columnsOf(p);
      if (cols.size > 0 && isSubset(cols, leftIds)) toLeft.push(p);
      else if (cols.size > 0 && isSubset(cols, rightIds)) toRight.push(p);
      else {
        const key = asEquiKey(p);
        if (key) addKey(key);
        else if (own.some((f) => exprEquals(f, p))) filter.push(p);
        else above.push(p);
      }
    }
    filter = dedupe(filter);
  }

  const joinType = plan.joinType === 'cross' && on.length > 0 ? 'inner' : plan.joinType;
  const join: JoinNode = {
    ...plan,
    joinType,
    left: push(plan.left, toLeft),
    right: push(plan.right, toRight),
    on,
    filter: filter.length > 0 ? conjunction(filter) : null,
  };
  return wrap(join, above);
}

/** Column ids that every window expression partitions by (as a bare column). */
function commonPartitionColumns(windows: readonly WindowExpr[]): Set<number> {
  const sets = windows.map((w) => {
    const keys = new Set<number>();
    for (const e of w.partitionBy) if (e.kind === 'column') keys.add(e.id);
    return keys;
  });
  if (sets.length === 0) return new Set();
  return new Set([...sets[0]].filter((id) => sets.every((s) => s.has(id))));
}

/** Functions that return NULL whenever any argument is NULL. */
const STRICT_FNS = new Set([
  'add', 'sub', 'mul', 'div', 'mod', 'neg', 'eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'like', 'not_like', 'ilike', 'not_ilike',
  'lower', 'upper', 'length', 'substring', 'round', 'abs', 'floor', 'ceil', 'not',
  'date_trunc', 'extract', 'date_add_days', 'date_sub_days', 'date_diff_days',
]);

/** True when `e` is certainly NULL once every column in `nullIds` is NULL. */
function nullIfNull(e: Expr, nullIds: ReadonlySet<number>): boolean {
  switch (e.kind) {
    case 'column': return nullIds.has(e.id);
    case 'cast': return nullIfNull(e.expr, nullIds);
    case 'call': return STRICT_FNS.has(e.fn) && e.args.some((a) => nullIfNull(a, nullIds));
    case 'in_list': return nullIfNull(e.expr, nullIds);
    default: return false;
  }
}

/** True when the predicate `e` is NULL or FALSE (never TRUE) once every column in `nullIds` is NULL. */
export function nullRejecting(e: Expr, nullIds: ReadonlySet<number>): boolean {
  if (e.kind === 'call') {
    if (e.fn === 'and') return e.args.some((a) => nullRejecting(a, nullIds));
    if (e.fn === 'or') return e.args.every((a) => nullRejecting(a, nullIds));
    if (e.fn === 'is_not_null' || e.fn === 'is_true') return nullIfNull(e.args[0], nullIds);
    if (e.fn === 'is_false') return nullIfNull(e.args[0], nullIds);
  }
  return nullIfNull(e, nullIds);
}

function dedupe(exprs: Expr[]): Expr[] {
  const out: Expr[] = [];
  for (const e of exprs) if (!out.some((o) => exprEquals(o, e))) out.push(e);
  return out;
}

function wrap(plan: LogicalPlan, preds: readonly Expr[]): LogicalPlan {
  if (preds.length === 0) return plan;
  return { kind: 'filter', input: plan, predicate: conjunction(dedupe([...preds])) };
}
