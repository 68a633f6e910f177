/**
 * Subquery expressions (SubLinks) → joins. A subquery is bound with the enclosing query's scope
 * visible (ctx.outer), so references to outer columns resolve and are recorded; then it is
 * decorrelated into a join that the enclosing SELECT adds to its plan ("applies"):
 *  - uncorrelated scalar `(SELECT …)`: LEFT JOIN … ON TRUE with the subquery under MaxOneRow
 *    (NULL on zero rows, an error on two); an aggregate without GROUP BY needs no MaxOneRow;
 *  - correlated scalar `(SELECT agg(…) FROM t WHERE t.k = outer.k [AND local conditions])`:
 *    the aggregate grouped by t.k, LEFT JOIN on outer.k = t.k; the value is the select-list
 *    expression over the aggregates with count(…) read as coalesce(count, 0) (no group = empty
 *    input);
 *  - EXISTS / NOT EXISTS, IN as a top-level WHERE conjunct: SEMI / ANTI joins on the correlation
 *    equalities (and `x = y` for IN); other correlated conditions become the join's filter;
 *  - EXISTS and [NOT] IN anywhere else ("mark joins"): a LEFT JOIN with the distinct keys of the
 *    subquery; IN also joins the subquery's row / non-NULL counts for PostgreSQL's three-valued
 *    result (NULL when x is NULL or the subquery has a NULL and nothing matched).
 * Other correlated shapes are a feature_not_supported error naming the construct.
 */
import { EngineError } from '../errors.js';
import { call, col, columnsOf, lit, splitConjunction, transformExpr, type Expr } from '../logical/expr.js';
import { outputFields, type LogicalPlan, type NamedExpr } from '../logical/plan.js';
import { BOOL, INT64 } from '../types/data-type.js';
import { nameList, nodeTag, unwrap, type PgNode, type SelectStmt, type SubLink } from './ast.js';
import type { BoundQuery, QueryBinder } from './bind-from.js';
import type { BindContext, CteScope } from './context.js';
import type { Scope } from './scope.js';

/** A join a subquery expression adds below the node that evaluates the expression. */
export interface PendingApply {
  /** Expressions over the enclosing query's rows (rewritten over the group keys above an Aggregate). */
  outer: Expr[];
  /** Found inside an aggregate's argument or FILTER: must be applied below the Aggregate. */
  readonly belowAggregate: boolean;
  /** Column ids the join adds to the rows. */
  readonly ids: readonly number[];
  apply(input: LogicalPlan, outer: readonly Expr[]): LogicalPlan;
}

const unsupported = (what: string, position: number): EngineError =>
  new EngineError('feature_not_supported', `${what} is not supported`, position);

const and = (xs: readonly Expr[]): Expr | null => (xs.length === 0 ? null : xs.reduce((a, b) => call('and', [a, b], BOOL)));

/** Does any expression of the plan (at any depth) read one of `ids`? */
export function planReads(plan: LogicalPlan, ids: ReadonlySet<number>): boolean {
  const hit = (e: Expr | null | undefined): boolean => {
    if (!e) return false;
    for (const id of columnsOf(e)) if (ids.has(id)) return true;
    return false;
  };
  switch (plan.kind) {
    case 'scan': return plan.filters.some(hit);
    case 'values': return plan.rows.some((r) => r.some(hit));
    case 'projection': if (plan.exprs.some((n) => hit(n.expr))) return true; break;
    case 'filter': if (hit(plan.predicate)) return true; break;
    case 'aggregate':
      if (plan.groupBy.some((g) => hit(g.expr)) || plan.aggregates.some((a) => hit(a.agg.arg) || hit(a.agg.filter))) return true;
      break;
    case 'join':
      if (plan.on.some((k) => hit(k.left) || hit(k.right)) || hit(plan.filter)) return true;
      return planReads(plan.left, ids) || planReads(plan.right, ids);
    case 'sort': if (plan.keys.some((k) => hit(k.expr))) return true; break;
    case 'window':
      if (plan.windows.some((w) => hit(w.window.arg) || hit(w.window.defaultValue) || w.window.partitionBy.some(hit) || w.window.orderBy.some((k) => hit(k.expr)))) return true;
      break;
    case 'set_op': return plan.inputs.some((i) => planReads(i, ids));
    case 'recursive_cte': return planReads(plan.static, ids) || planReads(plan.recursive, ids);
    case 'work_table': return false;
    default: break;
  }
  return planReads(plan.input, ids);
}

interface Correlation {
  /** The plan below the WHERE filter, with the correlated conjuncts removed. */
  readonly plan: LogicalPlan;
  /** `inner = outer` equalities (inner over `plan`'s columns, outer over the enclosing rows). */
  readonly keys: { inner: Expr; outer: Expr }[];
  /** Other conjuncts reading outer columns. */
  readonly residual: Expr[];
}

/**
 * Takes the correlated conjuncts out of the Filter at the top of `plan` (the subquery's WHERE);
 * any other reference to an outer column is an unsupported correlated shape.
 */
export function splitCorrelation(plan: LogicalPlan, outer: ReadonlySet<number>, what: string, pos: number): Correlation {
  let rest = plan;
  const keys: { inner: Expr; outer: Expr }[] = [];
  const residual: Expr[] = [];
  if (plan.kind === 'filter') {
    const local: Expr[] = [];
    const innerIds = new Set(outputFields(plan.input).map((f) => f.id!));
    const only = (e: Expr, side: ReadonlySet<number>): boolean => {
      const cs = columnsOf(e);
      return cs.size > 0 && [...cs].every((c) => side.has(c));
    };
    for (const c of splitConjunction(plan.predicate)) {
      const cols = columnsOf(c);
      if (![...cols].some((id) => outer.has(id))) { local.push(c); continue; }
      if (c.kind === 'call' && c.fn === 'eq') {
        const [a, b] = c.args;
        if (only(a, innerIds) && only(b, outer)) { keys.push({ inner: a, outer: b }); continue; }
        if (only(b, innerIds) && only(a, outer)) { keys.push({ inner: b, outer: a }); continue; }
      }
      residual.push(c);
    }
    const l = and(local);
    rest = l === null ? plan.input : { kind: 'filter', input: plan.input, predicate: l };
  }
  if (planReads(rest, outer)) {
    throw unsupported(`${what} with outer references outside its WHERE clause`, pos);
  }
  return { plan: rest, keys, residual };
}

/** Collects the subquery expressions of one clause group of a SELECT (see bind-select.ts). */
export class SubqueryCollector {
  readonly items: PendingApply[] = [];

  constructor(
    private readonly ctx: BindContext,
    /** The enclosing SELECT's FROM scope (what correlated references resolve against). */
    private readonly scope: Scope,
    private readonly ctes: CteScope | null,
    private readonly bindQuery: QueryBinder,
  ) {}

  /** Binds the subquery with the enclosing scope visible; returns it and the outer ids it reads. */
  bindSubquery(sub: SubLink, pos: number): { q: BoundQuery; outer: Set<number> } {
    const select = unwrap<SelectStmt>(sub.subselect, 'SelectStmt');
    if (!select) throw unsupported(`subquery ${nodeTag(sub.subselect)}`, pos);
    const entry = { scope: this.scope, refs: new Set<number>() };
    this.ctx.outer.push(entry);
    try {
      return { q: this.bindQuery(select, this.ctx, this.ctes), outer: entry.refs };
    } finally {
      this.ctx.outer.pop();
    }
  }

  /** A SubLink inside an expression: adds its join, returns the expression that reads its result. */
  bind(sub: SubLink, pos: number, bindTest: (n: PgNode) => Expr, belowAggregate: boolean): Expr {
    switch (sub.subLinkType) {
      case 'EXPR_SUBLINK': return this.scalar(sub, pos, belowAggregate);
      case 'EXISTS_SUBLINK': return this.existsMark(sub, pos, belowAggregate);
      case 'ANY_SUBLINK': {
        const op = nameList(sub.operName);
        if (!sub.testexpr || nodeTag(sub.testexpr) === 'RowExpr' || (op.length > 0 && op[op.length - 1] !== '=')) {
          throw unsupported(`${op.length > 0 ? op[op.length - 1] : '='} ANY (subquery) with this operand`, pos);
        }
        return this.inMark(sub, pos, bindTest(sub.testexpr), belowAggregate);
      }
      case 'ALL_SUBLINK': throw unsupported('ALL (subquery)', pos);
      case 'ARRAY_SUBLINK': throw unsupported('ARRAY (subquery)', pos);
      default: throw unsupported(`subquery type ${sub.subLinkType}`, pos);
    }
  }

  private oneColumn(q: BoundQuery, pos: number, scalar: boolean): void {
    if (q.fields.length === 1) return;
    if (scalar) throw new EngineError('syntax_error', 'subquery must return only one column', pos);
    throw new EngineError('syntax_error', q.fields.length > 1 ? 'subquery has too many columns' : 'subquery has too few columns', pos);
  }

  private scalar(sub: SubLink, pos: number, belowAggregate: boolean): Expr {
    const { q, outer } = this.bindSubquery(sub, pos);
    this.oneColumn(q, pos, true);
    const f = q.fields[0];
    if (outer.size === 0) {
      // one row, or NULLs when the subquery returns none
      const single = (p: LogicalPlan): boolean =>
        (p.kind === 'aggregate' && p.groupBy.length === 0) || (p.kind === 'projection' && single(p.input));
      const right: LogicalPlan = single(q.plan) ? q.plan : { kind: 'max_one_row', input: q.plan };
      this.items.push({
        outer: [], belowAggregate, ids: [f.id!],
        apply: (input) => ({ kind: 'join', joinType: 'left', left: input, right, on: [], filter: null, strategy: 'auto' }),
      });
      return col(f.id!, f.name, f.type);
    }
    // correlated: Projection(value) over Aggregate(no GROUP BY) over Filter(WHERE)
    const what = 'a correlated scalar subquery that is not (SELECT agg(…) | expr FROM … WHERE inner = outer [AND …])';
    const p = q.plan;
    if (p.kind === 'projection' && p.exprs.length === 1 && p.input.kind !== 'aggregate') return this.correlatedRow(p, outer, what, pos, belowAggregate);
    if (p.kind !== 'projection' || p.input.kind !== 'aggregate' || p.input.groupBy.length > 0 || p.exprs.length !== 1) throw unsupported(what, pos);
    const aggNode = p.input;
    const corr = splitCorrelation(aggNode.input, outer, 'a correlated scalar subquery', pos);
    if (corr.residual.length > 0 || corr.keys.length === 0) throw unsupported(what, pos);
    const value = p.exprs[0].expr;
    if ([...columnsOf(value)].some((id) => outer.has(id))) throw unsupported('a correlated scalar subquery whose select list reads outer columns', pos);
    const groupBy: NamedExpr[] = corr.keys.map((k, i) => ({ id: this.ctx.newId(), name: `key${i + 1}`, expr: k.inner }));
    const right: LogicalPlan = { ...aggNode, input: corr.plan, groupBy };
    // no group for an outer row = the aggregate over no rows: count is 0, the others NULL
    const counts = new Map<number, Expr>();
    for (const a of aggNode.aggregates) {
      if (a.agg.fn === 'count' || a.agg.fn === 'count_star') {
        counts.set(a.id, call('coalesce', [col(a.id, a.name, a.agg.type), lit(0, a.agg.type)], a.agg.type));
      }
    }
    const expr = transformExpr(value, (x) => (x.kind === 'column' ? counts.get(x.id) ?? x : x));
    this.items.push({
      outer: corr.keys.map((k) => k.outer), belowAggregate, ids: [...groupBy.map((g) => g.id), ...aggNode.aggregates.map((a) => a.id)],
      apply: (input, outerExprs) => ({
        kind: 'join', joinType: 'left', left: input, right,
        on: groupBy.map((g, i) => ({ left: outerExprs[i], right: col(g.id, g.name, g.expr.type) })), filter: null, strategy: 'auto',
      }),
    });
    return expr;
  }

  /**
   * Correlated `(SELECT expr FROM … WHERE inner = outer …)` without an aggregate: LEFT JOIN on the
   * keys with the subquery's rows, each key allowed at most one row (MaxOneRow per key).
   */
  private correlatedRow(p: Extract<LogicalPlan, { kind: 'projection' }>, outer: ReadonlySet<number>, what: string, pos: number, belowAggregate: boolean): Expr {
    const corr = splitCorrelation(p.input, outer, 'a correlated scalar subquery', pos);
    if (corr.residual.length > 0 || corr.keys.length === 0) throw unsupported(what, pos);
    if (p.exprs.some((n) => [...columnsOf(n.expr)].some((id) => outer.has(id)))) {
      throw unsupported('a correlated scalar subquery whose select list reads outer columns', pos);
    }
    const extra: NamedExpr[] = corr.keys.map((k, i) => ({ id: this.ctx.newId(), name: `key${i + 1}`, expr: k.inner }));
    const keyCols = extra.map((e) => col(e.id, e.name, e.expr.type));
    const right: LogicalPlan = { kind: 'max_one_row', input: { ...p, input: corr.plan, exprs: [...p.exprs, ...extra] }, keys: keyCols };
    const v = p.exprs[0];
    this.items.push({
      outer: corr.keys.map((k) => k.outer), belowAggregate, ids: [v.id, ...extra.map((e) => e.id)],
      apply: (input, outerExprs) => ({
        kind: 'join', joinType: 'left', left: input, right,
        on: keyCols.map((k, i) => ({ left: outerExprs[i], right: k })), filter: null, strategy: 'auto',
      }),
    });
    return col(v.id, v.name, v.expr.type);
  }

  /** EXISTS in an expression: LEFT JOIN with the distinct correlation keys (or the row count). */
  private existsMark(sub: SubLink, pos: number, belowAggregate: boolean): Expr {
    const { q, outer } = this.bindSubquery(sub, pos);
    const body = q.plan.kind === 'projection' ? q.plan.input : q.plan;
    if (outer.size === 0) {
      const id = this.ctx.newId();
      const right: LogicalPlan = {
        kind: 'aggregate', input: body, groupBy: [],
        aggregates: [{ id, name: 'count', agg: { fn: 'count_star', arg: null, distinct: false, filter: null, type: INT64 } }],
      };
      this.items.push({
        outer: [], belowAggregate, ids: [id],
        apply: (input) => ({ kind: 'join', joinType: 'left', left: input, right, on: [], filter: null, strategy: 'auto' }),
      });
      return call('gt', [col(id, 'count', INT64), lit(0, INT64)], BOOL);
    }
    const corr = splitCorrelation(body, outer, 'a correlated EXISTS subquery', pos);
    if (corr.residual.length > 0 || corr.keys.length === 0) {
      throw unsupported('a correlated EXISTS subquery without equality conditions outside a top-level WHERE condition', pos);
    }
    const groupBy: NamedExpr[] = corr.keys.map((k, i) => ({ id: this.ctx.newId(), name: `key${i + 1}`, expr: k.inner }));
    const right: LogicalPlan = { kind: 'aggregate', input: corr.plan, groupBy, aggregates: [] };
    this.items.push({
      outer: corr.keys.map((k) => k.outer), belowAggregate, ids: groupBy.map((g) => g.id),
      apply: (input, outerExprs) => ({
        kind: 'join', joinType: 'left', left: input, right,
        on: groupBy.map((g, i) => ({ left: outerExprs[i], right: col(g.id, g.name, g.expr.type) })), filter: null, strategy: 'auto',
      }),
    });
    // a matched key is never NULL (NULL keys never join)
    return call('is_not_null', [col(groupBy[0].id, groupBy[0].name, groupBy[0].expr.type)], BOOL);
  }

  /**
   * `x IN (SELECT y …)` in an expression (uncorrelated): LEFT JOIN with the distinct y on x = y,
   * and with (count(*), count(y)) of the subquery. TRUE on a match; else FALSE when the subquery
   * is empty; else NULL when x is NULL or some y is NULL; else FALSE.
   */
  private inMark(sub: SubLink, pos: number, test: Expr, belowAggregate: boolean): Expr {
    const first = this.bindSubquery(sub, pos);
    this.oneColumn(first.q, pos, false);
    if (first.outer.size > 0) throw unsupported('a correlated IN subquery outside a top-level WHERE condition', pos);
    const second = this.bindSubquery(sub, pos);
    const { left, right: y } = this.inEquality(test, first.q, pos);
    const keyId = this.ctx.newId();
    const distinct: LogicalPlan = { kind: 'aggregate', input: first.q.plan, groupBy: [{ id: keyId, name: 'in_key', expr: y }], aggregates: [] };
    const f2 = second.q.fields[0];
    const { right: y2 } = this.inEquality(test, second.q, pos);
    const c = this.ctx.newId();
    const cy = this.ctx.newId();
    const stats: LogicalPlan = {
      kind: 'aggregate', input: second.q.plan, groupBy: [],
      aggregates: [
        { id: c, name: 'count', agg: { fn: 'count_star', arg: null, distinct: false, filter: null, type: INT64 } },
        { id: cy, name: `count(${f2.name})`, agg: { fn: 'count', arg: y2, distinct: false, filter: null, type: INT64 } },
      ],
    };
    this.items.push({
      outer: [left], belowAggregate, ids: [keyId, c, cy],
      apply: (input, outerExprs) => {
        const marked: LogicalPlan = {
          kind: 'join', joinType: 'left', left: input, right: distinct,
          on: [{ left: outerExprs[0], right: col(keyId, 'in_key', y.type) }], filter: null, strategy: 'auto',
        };
        return { kind: 'join', joinType: 'left', left: marked, right: stats, on: [], filter: null, strategy: 'auto' };
      },
    });
    const cCol = col(c, 'count', INT64);
    return {
      kind: 'case',
      whens: [
        { when: call('is_not_null', [col(keyId, 'in_key', y.type)], BOOL), then: lit(true, BOOL) },
        { when: call('eq', [cCol, lit(0, INT64)], BOOL), then: lit(false, BOOL) },
        { when: call('or', [call('is_null', [left], BOOL), call('lt', [col(cy, 'count', INT64), cCol], BOOL)], BOOL), then: lit(null, BOOL) },
      ],
      otherwise: lit(false, BOOL),
      type: BOOL,
    };
  }

  /** `test = y` bound as the `=` operator would be (common type); returns both coerced sides. */
  inEquality(test: Expr, q: BoundQuery, pos: number): { left: Expr; right: Expr } {
    const f = q.fields[0];
    const eq = this.equals(test, col(f.id!, f.name, f.type), pos);
    if (eq.kind !== 'call' || eq.fn !== 'eq') throw unsupported('IN (subquery) over these types', pos);
    return { left: eq.args[0], right: eq.args[1] };
  }

  /** Set by bind-select (bindBinaryOp lives in bind-expr, which imports this module). */
  equals: (l: Expr, r: Expr, pos: number) => Expr = () => {
    throw new Error('SubqueryCollector.equals not set');
  };
}

/** Applies pending joins to `plan` in order (their outer expressions possibly rewritten). */
export function applyAll(plan: LogicalPlan, items: readonly PendingApply[], rewrite: (e: Expr) => Expr = (e) => e): LogicalPlan {
  let p = plan;
  for (const it of items) p = it.apply(p, it.outer.map(rewrite));
  return p;
}
