import { columnsOf, splitConjunction, type Expr } from '../logical/expr.js';
import { outputFields, type LogicalPlan } from '../logical/plan.js';
import { typeWidth } from './utils.js';

/**
 * Cardinality estimates for join planning. Deliberately simple (no column statistics):
 *   scan      → source.statistics().numRows, then its filters
 *   filter    → per conjunct: = 0.1, IN (k values) min(0.5, 0.1·k), IS NULL 0.05, IS NOT NULL 0.95,
 *               a ranking window's output (`rn = 1`, `rn <= k`: de-duplication, top-k per group)
 *               0.9, anything else 0.3; conjuncts combined with exponential back-off (most
 *               selective first, the next ones' selectivities taken to the ½, ¼, ⅛ power, as SQL
 *               Server does) because predicates on one table are rarely independent — a plain
 *               product turns six cleaning filters into a 1000× under-estimate and flips join sides
 *   aggregate → 1 without GROUP BY; else min(input, product of per-key distinct estimates), where a
 *               key's distinct estimate is 2 for booleans and input/10 otherwise
 *   limit / sort fetch → capped
 *   join      → max(left, right) with equi keys; left × right without
 * Returns undefined when a source does not know its row count.
 */
export function estimateRows(plan: LogicalPlan): number | undefined {
  switch (plan.kind) {
    case 'scan': {
      const n = plan.source.statistics().numRows;
      return n === undefined ? undefined : applySelectivity(n, plan.filters);
    }
    case 'values':
      return plan.rows.length;
    case 'max_one_row':
      return 1;
    case 'recursive_cte':
    case 'work_table':
      return undefined;
    case 'projection':
    case 'window':
      return estimateRows(plan.input);
    case 'filter': {
      const n = estimateRows(plan.input);
      return n === undefined ? undefined : applySelectivity(n, splitConjunction(plan.predicate), rankingOutputs(plan.input));
    }
    case 'aggregate': {
      if (plan.groupBy.length === 0) return 1;
      const n = estimateRows(plan.input);
      if (n === undefined) return undefined;
      let groups = 1;
      for (const g of plan.groupBy) groups *= g.expr.type.kind === 'bool' ? 3 : Math.max(1, n / 10);
      return Math.max(1, Math.min(n, groups));
    }
    case 'sort': {
      const n = estimateRows(plan.input);
      if (plan.fetch === null) return n;
      return n === undefined ? plan.fetch : Math.min(n, plan.fetch);
    }
    case 'limit': {
      const n = estimateRows(plan.input);
      const afterSkip = n === undefined ? undefined : Math.max(0, n - plan.skip);
      if (plan.fetch === null) return afterSkip;
      return afterSkip === undefined ? plan.fetch : Math.min(afterSkip, plan.fetch);
    }
    case 'set_op': {
      const ns = plan.inputs.map(estimateRows);
      if (ns.some((n) => n === undefined)) return undefined;
      const xs = ns as number[];
      if (plan.op === 'union') return xs.reduce((a, b) => a + b, 0);
      return plan.op === 'intersect' ? Math.min(...xs) : xs[0];
    }
    case 'join': {
      const l = estimateRows(plan.left);
      const r = estimateRows(plan.right);
      if (l === undefined || r === undefined) return undefined;
      const n = plan.on.length > 0 ? Math.max(l, r) : l * r;
      const filtered = plan.filter ? applySelectivity(n, splitConjunction(plan.filter)) : n;
      if (plan.joinType === 'semi' || plan.joinType === 'anti') return plan.joinType === 'semi' ? Math.min(l, filtered) : l;
      if (plan.joinType === 'full') return Math.max(l, r, filtered);
      return plan.joinType === 'left' ? Math.max(l, filtered) : filtered;
    }
  }
}

/** Estimated in-memory size of the plan's output: rows × an average row width from the types. */
export function estimateBytes(plan: LogicalPlan): number | undefined {
  const rows = estimateRows(plan);
  if (rows === undefined) return undefined;
  let width = 0;
  for (const f of outputFields(plan)) width += typeWidth(f.type.kind);
  return rows * Math.max(1, width);
}

function applySelectivity(rows: number, conjuncts: readonly Expr[], ranking: ReadonlySet<number> = new Set()): number {
  const sel = conjuncts.map((c) => conjunctSelectivity(c, ranking)).sort((a, b) => a - b);
  let n = rows;
  for (let i = 0; i < sel.length && i < 4; i++) n *= sel[i]! ** (1 / 2 ** i);
  return n;
}

function conjunctSelectivity(c: Expr, ranking: ReadonlySet<number>): number {
  if (ranking.size > 0 && [...columnsOf(c)].some((id) => ranking.has(id))) return 0.9;
  if (c.kind === 'in_list') {
    const s = Math.min(0.5, 0.1 * c.list.length);
    return c.negated ? 1 - s : s;
  }
  if (c.kind === 'call') {
    if (c.fn === 'eq') return 0.1;
    if (c.fn === 'is_null') return 0.05;
    if (c.fn === 'is_not_null') return 0.95;
  }
  return 0.3;
}

/** Column ids of row_number/rank/dense_rank outputs visible through projections above a window. */
function rankingOutputs(plan: LogicalPlan): ReadonlySet<number> {
  const out = new Set<number>();
  if (plan.kind === 'projection') {
    const inner = rankingOutputs(plan.input);
    for (const e of plan.exprs) if (e.expr.kind === 'column' && inner.has(e.expr.id)) out.add(e.id);
  } else if (plan.kind === 'window') {
    for (const w of plan.windows) if (['row_number', 'rank', 'dense_rank'].includes(w.window.fn)) out.add(w.id);
  }
  return out;
}
