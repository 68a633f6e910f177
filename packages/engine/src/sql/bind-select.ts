/**
 * SELECT → logical plan. Plan shape:
 *   Scan/Join → Filter(WHERE) → Aggregate → Filter(HAVING) → Window → Projection(select list +
 *   hidden sort columns) → [Aggregate(DISTINCT)] → Sort → Limit → [final Projection]
 * The final projection is added when hidden sort columns must be dropped or after DISTINCT;
 * otherwise the select-list projection (possibly under Sort/Limit) exposes the output names.
 */
import { EngineError } from '../errors.js';
import { call, col, columnsOf, lit, type Expr, type SortKey } from '../logical/expr.js';
import { outputFields, type LogicalPlan, type NamedExpr } from '../logical/plan.js';
import type { Field } from '../types/batch.js';
import { BOOL, INT64, UTF8, typesEqual } from '../types/data-type.js';
import {
  nameList, nodeLocation, nodeTag, stringValue, unwrap,
  type AConst, type BoolExpr, type SubLink, type ColumnRef, type CommonTableExpr, type ListNode, type PgNode, type ResTarget, type SelectStmt,
  type SortBy, type WindowDef,
} from './ast.js';
import {
  AggregateCollector, WindowCollector, rewriteOverGroups, rewriteWindowOverGroups, type GroupKey,
} from './bind-aggregate.js';
import { bindBinaryOp, bindExpr, columnRef, plainCtx, resolveOutput, sortKeyOf, type ExprCtx } from './bind-expr.js';
import { bindFrom, type BoundQuery } from './bind-from.js';
import { applyAll, splitCorrelation, SubqueryCollector } from './bind-subquery.js';
import { coerceTo, coerceToBool, commonType, isUnknownLiteral } from './coerce.js';
import type { BindContext, CteDefinition, CteScope } from './context.js';
import { exprDisplay, exprKey, figureColname } from './names.js';
import { Scope } from './scope.js';

const unsupported = (what: string, position: number): EngineError =>
  new EngineError('feature_not_supported', `${what} is not supported`, position);

interface Target {
  readonly name: string;
  expr: Expr;
  readonly position: number;
}

type SortItem = { readonly target: number; readonly key: SortBy } | { readonly hidden: number; readonly key: SortBy };

function withClause(stmt: SelectStmt, ctx: BindContext, outer: CteScope | null): CteScope | null {
  const w = stmt.withClause;
  if (!w) return outer;
  const map = new Map<string, CteDefinition>();
  let visible: CteScope | null = outer;
  for (const n of w.ctes) {
    const def = unwrap<CommonTableExpr>(n, 'CommonTableExpr')!;
    if (map.has(def.ctename)) {
      throw new EngineError('syntax_error', `WITH query name "${def.ctename}" specified more than once`, ctx.pos(def.location));
    }
    if (!unwrap<SelectStmt>(def.ctequery, 'SelectStmt')) {
      throw unsupported(`data-modifying statements in WITH`, ctx.pos(def.location));
    }
    if (w.recursive) {
      // a recursive CTE's body sees itself (and the CTEs defined before it)
      const self: CteDefinition = { def, visible: null, recursive: true };
      const scope: CteScope = { ctes: new Map([...map, [def.ctename, self]]), parent: outer };
      (self as { visible: CteScope | null }).visible = scope;
      map.set(def.ctename, self);
    } else {
      map.set(def.ctename, { def, visible });
    }
    visible = { ctes: new Map(map), parent: outer };
  }
  return { ctes: map, parent: outer };
}

function constInt(node: PgNode | undefined): number | null {
  const c = unwrap<AConst>(node, 'A_Const');
  if (!c || c.ival === undefined) return null;
  return c.ival.ival ?? 0;
}

/** LIMIT / OFFSET value: a constant (null = no limit). */
function bindLimitValue(node: PgNode | undefined, what: 'LIMIT' | 'OFFSET', ctx: BindContext): number | null {
  if (node === undefined) return null;
  const pos = ctx.pos(nodeLocation(node));
  const e = bindExpr(node, plainCtx(ctx, Scope.empty(), what));
  if (e.kind !== 'literal') throw unsupported(`non-constant ${what}`, pos);
  if (e.value === null) return null;
  let v: number;
  if (typeof e.value === 'number' && (e.type.kind === 'int32' || e.type.kind === 'int64')) v = e.value;
  else if (typeof e.value === 'number' && e.type.kind === 'decimal') v = Math.round(e.value / 10 ** e.type.scale);
  else if (typeof e.value === 'number' && e.type.kind === 'float64') v = Math.round(e.value);
  else if (typeof e.value === 'string' && /^\s*[+-]?\d+\s*$/.test(e.value)) v = Number(e.value);
  else throw new EngineError('datatype_mismatch', `argument of ${what} must be type bigint, not type ${e.type.kind === 'utf8' ? 'text' : e.type.kind}`, pos);
  if (v < 0) throw new EngineError('invalid_parameter_value', `${what} must not be negative`, pos);
  return v;
}


/** VALUES (…), (…) → Values node (columns column1, column2, …, typed by their common type). */
function bindValues(stmt: SelectStmt, ctx: BindContext): BoundQuery {
  const rowsAst = (stmt.valuesLists ?? []).map((n) => unwrap<ListNode>(n, 'List')?.items ?? []);
  const ec = plainCtx(ctx, Scope.empty(), 'VALUES');
  const rows = rowsAst.map((items) => items.map((n) => bindExpr(n, ec)));
  const width = rows[0]?.length ?? 0;
  rows.forEach((r, i) => {
    if (r.length !== width) {
      throw new EngineError('syntax_error', 'VALUES lists must all be the same length', ctx.pos(nodeLocation(rowsAst[i][0])));
    }
  });
  const fields: Field[] = [];
  const typed: Expr[][] = rows.map(() => []);
  for (let c = 0; c < width; c++) {
    const column = rows.map((r) => r[c]);
    let t = commonType(column, 'VALUES', ctx.pos(nodeLocation(rowsAst[0][c])));
    if (t.kind === 'null') t = UTF8;
    fields.push({ id: ctx.newId(), name: `column${c + 1}`, type: t, nullable: true });
    rows.forEach((r, i) => typed[i].push(coerceTo(r[c], t, ctx.pos(nodeLocation(rowsAst[i][c])))));
  }
  const values: LogicalPlan = { kind: 'values', fields, rows: typed };
  const exprs: NamedExpr[] = fields.map((f) => ({ id: ctx.newId(), name: f.name, expr: col(f.id!, f.name, f.type) }));
  const plan: LogicalPlan = { kind: 'projection', input: values, exprs };
  return { plan, fields: outputFields(plan) };
}

function checkUnsupported(stmt: SelectStmt, ctx: BindContext): void {
  if (stmt.intoClause) throw unsupported('SELECT INTO', -1);
  if (stmt.lockingClause && stmt.lockingClause.length > 0) throw unsupported('FOR UPDATE/SHARE', -1);
  if (stmt.groupDistinct) throw unsupported('GROUP BY DISTINCT', -1);
  if (stmt.limitOption === 'LIMIT_OPTION_WITH_TIES') throw unsupported('FETCH … WITH TIES', -1);
  if (stmt.distinctClause && stmt.distinctClause.some((n) => Object.keys(n).length > 0)) {
    throw unsupported('SELECT DISTINCT ON', ctx.pos(nodeLocation(stmt.distinctClause.find((n) => Object.keys(n).length > 0))));
  }
}

/** Contains an aggregate or window output (for GROUP BY references to select-list items). */
function checkNoAggOrWindow(e: Expr, aggs: AggregateCollector, windows: WindowCollector, pos: number): void {
  for (const id of columnsOf(e)) {
    const a = aggs.items.find((x) => x.id === id);
    if (a) throw new EngineError('grouping_error', 'aggregate functions are not allowed in GROUP BY', a.position >= 0 ? a.position : pos);
    const w = windows.items.find((x) => x.id === id);
    if (w) throw new EngineError('grouping_error', 'window functions are not allowed in GROUP BY', w.position >= 0 ? w.position : pos);
  }
}

function singleName(node: PgNode): string | null {
  const ref = unwrap<ColumnRef>(node, 'ColumnRef');
  if (!ref || ref.fields.length !== 1) return null;
  return stringValue(ref.fields[0]) ?? null;
}

function whereConjuncts(n: PgNode): PgNode[] {
  const b = unwrap<BoolExpr>(n, 'BoolExpr');
  if (b && b.boolop === 'AND_EXPR') return b.args.flatMap(whereConjuncts);
  return [n];
}

/** `expr IN (SELECT …)` / `expr = ANY (SELECT …)` with one test expression. */
function inSubquery(n: PgNode): SubLink | null {
  const s = unwrap<SubLink>(n, 'SubLink');
  if (!s || s.subLinkType !== 'ANY_SUBLINK' || !s.testexpr || nodeTag(s.testexpr) === 'RowExpr') return null;
  const op = nameList(s.operName);
  if (op.length > 0 && op[op.length - 1] !== '=') return null;
  return s;
}

/**
 * A top-level WHERE conjunct `[NOT] EXISTS (…)` or `x IN (SELECT …)` → SEMI / ANTI join of the
 * rows so far with the subquery (correlation equalities as keys, other correlated conditions as
 * the join filter; see bind-subquery.ts). Null when the conjunct is not of that form (NOT IN
 * takes the general path: its NULL semantics are not an anti join's).
 */
function whereSubqueryJoin(
  input: LogicalPlan, node: PgNode, scope: Scope, ctx: BindContext, subs: SubqueryCollector,
): { plan: LogicalPlan; predicate?: Expr } | null {
  let n = node;
  let negated = false;
  const b = unwrap<BoolExpr>(n, 'BoolExpr');
  if (b && b.boolop === 'NOT_EXPR' && b.args.length === 1) { negated = true; n = b.args[0]; }
  const s = unwrap<SubLink>(n, 'SubLink');
  if (!s) return null;
  const pos = ctx.pos(s.location);
  if (s.subLinkType === 'EXISTS_SUBLINK') {
    const { q, outer } = subs.bindSubquery(s, pos);
    const body = q.plan.kind === 'projection' ? q.plan.input : q.plan;
    const joinType = negated ? 'anti' : 'semi';
    if (outer.size === 0) return { plan: { kind: 'join', joinType, left: input, right: body, on: [], filter: null, strategy: 'auto' } };
    const corr = splitCorrelation(body, outer, `a correlated ${negated ? 'NOT ' : ''}EXISTS subquery`, pos);
    let filter: Expr | null = null;
    for (const r of corr.residual) filter = filter === null ? r : call('and', [filter, r], BOOL);
    return {
      plan: {
        kind: 'join', joinType, left: input, right: corr.plan,
        on: corr.keys.map((k) => ({ left: k.outer, right: k.inner })), filter, strategy: 'auto',
      },
    };
  }
  const sub = inSubquery(n);
  if (!sub) return null;
  const { q, outer } = subs.bindSubquery(sub, pos);
  if (negated) {
    // NOT IN: TRUE when nothing matches and neither x nor any y is NULL, or when the subquery is
    // empty. ANTI join on x = y (keeps unmatched and NULL x), then the subquery's row and
    // non-NULL counts decide.
    if (outer.size > 0) throw unsupported('a correlated NOT IN subquery', pos);
    if (q.fields.length !== 1) {
      throw new EngineError('syntax_error', q.fields.length > 1 ? 'subquery has too many columns' : 'subquery has too few columns', pos);
    }
    const test = bindExpr(sub.testexpr!, { ...plainCtx(ctx, scope, 'WHERE'), subqueries: subs });
    const { left, right } = subs.inEquality(test, q, pos);
    const again = subs.bindSubquery(sub, pos).q;
    const { right: y2 } = subs.inEquality(test, again, pos);
    const c = ctx.newId();
    const cy = ctx.newId();
    const stats: LogicalPlan = {
      kind: 'aggregate', input: again.plan, groupBy: [],
      aggregates: [
        { id: c, name: 'count', agg: { fn: 'count_star', arg: null, distinct: false, filter: null, type: INT64 } },
        { id: cy, name: 'count', agg: { fn: 'count', arg: y2, distinct: false, filter: null, type: INT64 } },
      ],
    };
    const anti: LogicalPlan = { kind: 'join', joinType: 'anti', left: input, right: q.plan, on: [{ left, right }], filter: null, strategy: 'auto' };
    const plan: LogicalPlan = { kind: 'join', joinType: 'left', left: anti, right: stats, on: [], filter: null, strategy: 'auto' };
    const cCol = col(c, 'count', INT64);
    const predicate = call('or', [
      call('eq', [cCol, lit(0, INT64)], BOOL),
      call('and', [call('is_not_null', [left], BOOL), call('eq', [col(cy, 'count', INT64), cCol], BOOL)], BOOL),
    ], BOOL);
    return { plan, predicate };
  }
  if (q.fields.length !== 1) {
    throw new EngineError('syntax_error', q.fields.length > 1 ? 'subquery has too many columns' : 'subquery has too few columns', pos);
  }
  const test = bindExpr(sub.testexpr!, { ...plainCtx(ctx, scope, 'WHERE'), subqueries: subs });
  const { left, right } = subs.inEquality(test, q, pos);
  if (outer.size === 0) {
    return { plan: { kind: 'join', joinType: 'semi', left: input, right: q.plan, on: [{ left, right }], filter: null, strategy: 'auto' } };
  }
  // correlated IN: the correlation keys join too (the inner key expressions are added to the select list)
  const p = q.plan;
  const what = 'a correlated IN subquery';
  if (p.kind !== 'projection') throw unsupported(`${what} with DISTINCT, ORDER BY or LIMIT`, pos);
  const corr = splitCorrelation(p.input, outer, what, pos);
  if (corr.residual.length > 0) throw unsupported(`${what} with correlated conditions other than equalities`, pos);
  if (p.exprs.some((e) => [...columnsOf(e.expr)].some((id) => outer.has(id)))) throw unsupported(`${what} whose select list reads outer columns`, pos);
  const extra = corr.keys.map((k, i) => ({ id: ctx.newId(), name: `key${i + 1}`, expr: k.inner }));
  const right2: LogicalPlan = { ...p, input: corr.plan, exprs: [...p.exprs, ...extra] };
  return {
    plan: {
      kind: 'join', joinType: 'semi', left: input, right: right2,
      on: [{ left, right }, ...corr.keys.map((k, i) => ({ left: k.outer, right: col(extra[i].id, extra[i].name, k.inner.type) }))],
      filter: null, strategy: 'auto',
    },
  };
}

/** Options of bindSelect. */
export interface SelectOptions {
  /**
   * A branch of a set operation: untyped literals in the select list stay untyped, so that the
   * set operation resolves them against the other branches' types (`SELECT 1 UNION SELECT '2'`).
   */
  readonly setOpBranch?: boolean;
}

const targetPosition = (s: SelectStmt, i: number, ctx: BindContext): number => {
  if (s.op && s.op !== 'SETOP_NONE') return targetPosition(s.larg!, i, ctx);
  const n = s.targetList?.[i] ?? s.targetList?.[0];
  const rt = n ? unwrap<ResTarget>(n, 'ResTarget') : undefined;
  return rt ? ctx.pos(nodeLocation(rt.val) ?? rt.location) : -1;
};

/**
 * UNION / INTERSECT / EXCEPT [ALL]: both sides bound as queries, column types unified per
 * position as PostgreSQL (select_common_type; untyped literals take the other side's type), each
 * side coerced by a projection, then one set_op node (nested UNION ALLs flattened into one).
 * ORDER BY / LIMIT of the statement apply to the whole result and may name result columns only.
 */
function bindSetOp(stmt: SelectStmt, ctx: BindContext, ctes: CteScope | null): BoundQuery {
  const opName = stmt.op!.replace('SETOP_', '');
  const op = opName.toLowerCase() as 'union' | 'intersect' | 'except';
  const all = stmt.all === true;
  const sides = [stmt.larg!, stmt.rarg!].map((s) => ({ stmt: s, q: bindSelect(s, ctx, ctes, { setOpBranch: true }) }));
  const [l, r] = sides;
  if (l.q.fields.length !== r.q.fields.length) {
    throw new EngineError('syntax_error', `each ${opName} query must have the same number of columns`, targetPosition(r.stmt, 0, ctx));
  }
  // the expression behind each output column (an untyped literal stays recognisable)
  const exprsOf = (q: BoundQuery): Expr[] => {
    const p = q.plan;
    if (p.kind === 'projection' && p.exprs.length === q.fields.length) return p.exprs.map((n) => n.expr);
    return q.fields.map((f) => col(f.id!, f.name, f.type));
  };
  const le = exprsOf(l.q);
  const re = exprsOf(r.q);
  const types = le.map((e, i) => {
    const t = commonType([e, re[i]], opName, targetPosition(r.stmt, i, ctx), (x) => (x === re[i] ? targetPosition(r.stmt, i, ctx) : targetPosition(l.stmt, i, ctx)));
    return t.kind === 'null' ? UTF8 : t;
  });
  const coerceSide = (side: { stmt: SelectStmt; q: BoundQuery }, exprs: Expr[]): LogicalPlan => {
    const p = side.q.plan;
    const same = side.q.fields.every((f, i) => typesEqual(f.type, types[i])) && !exprs.some(isUnknownLiteral);
    if (same) return p;
    if (p.kind === 'projection' && p.exprs.length === types.length) {
      return { ...p, exprs: p.exprs.map((n, i) => ({ ...n, expr: coerceTo(n.expr, types[i], targetPosition(side.stmt, i, ctx)) })) };
    }
    return {
      kind: 'projection',
      input: p,
      exprs: side.q.fields.map((f, i) => ({ id: ctx.newId(), name: f.name, expr: coerceTo(col(f.id!, f.name, f.type), types[i], -1) })),
    };
  };
  const inputs: LogicalPlan[] = [];
  for (const [i, side] of sides.entries()) {
    const p = coerceSide(side, i === 0 ? le : re);
    // (a UNION ALL b) UNION ALL c, (a UNION b) UNION c: one node with three inputs
    if (op === 'union' && p.kind === 'set_op' && p.op === 'union' && p.all === all) inputs.push(...p.inputs);
    else inputs.push(p);
  }
  const fields: Field[] = l.q.fields.map((f, i) => ({ id: ctx.newId(), name: f.name, type: types[i], nullable: true }));
  let plan: LogicalPlan = { kind: 'set_op', op, all, inputs, fields };

  // ORDER BY / LIMIT over the whole result
  if (stmt.sortClause && stmt.sortClause.length > 0) {
    const ec = plainCtx(ctx, Scope.empty(), 'ORDER BY');
    const keys: SortKey[] = [];
    for (const n of stmt.sortClause) {
      const sb = unwrap<SortBy>(n, 'SortBy')!;
      const pos = ctx.pos(nodeLocation(sb.node));
      const k = constInt(sb.node);
      let fi: number;
      if (k !== null) {
        if (k < 1 || k > fields.length) throw new EngineError('undefined_column', `ORDER BY position ${k} is not in select list`, pos);
        fi = k - 1;
      } else {
        const name = singleName(sb.node);
        fi = name === null ? -1 : fields.findIndex((f) => f.name === name);
        if (fi < 0 && name !== null) fi = fields.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
        if (fi < 0) {
          if (name !== null) throw new EngineError('undefined_column', `column "${name}" does not exist`, pos);
          throw new EngineError('feature_not_supported', `invalid ${'UNION/INTERSECT/EXCEPT'} ORDER BY clause`, pos);
        }
      }
      const f = fields[fi];
      keys.push(sortKeyOf(sb, col(f.id!, f.name, f.type), ec));
    }
    plan = { kind: 'sort', input: plan, keys, fetch: null };
  }
  const fetch = bindLimitValue(stmt.limitCount, 'LIMIT', ctx);
  const skip = bindLimitValue(stmt.limitOffset, 'OFFSET', ctx) ?? 0;
  if (fetch !== null || skip > 0) plan = { kind: 'limit', input: plan, skip, fetch };
  return { plan, fields: outputFields(plan) };
}

/** Binds one SELECT (any nesting level). */
export function bindSelect(stmt: SelectStmt, ctx: BindContext, outerCtes: CteScope | null, opts: SelectOptions = {}): BoundQuery {
  const ctes = withClause(stmt, ctx, outerCtes);
  if (stmt.op && stmt.op !== 'SETOP_NONE') {
    if (stmt.intoClause) throw unsupported('SELECT INTO', -1);
    if (stmt.lockingClause && stmt.lockingClause.length > 0) throw unsupported('FOR UPDATE/SHARE', -1);
    return bindSetOp(stmt, ctx, ctes);
  }
  if (stmt.valuesLists) {
    if (stmt.sortClause || stmt.limitCount || stmt.limitOffset) throw unsupported('ORDER BY/LIMIT on VALUES', -1);
    return bindValues(stmt, ctx);
  }
  checkUnsupported(stmt, ctx);

  // FROM, WHERE
  const from = bindFrom(stmt.fromClause, ctx, ctes, bindSelect);
  const scope = from.scope;
  let plan: LogicalPlan = from.plan;
  const newSubqueries = (): SubqueryCollector => {
    const c = new SubqueryCollector(ctx, scope, ctes, bindSelect);
    c.equals = (l, r, pos) => bindBinaryOp('=', l, r, plainCtx(ctx, scope, 'WHERE'), pos);
    return c;
  };
  if (stmt.whereClause) {
    // top-level `[NOT] EXISTS (…)` / `x IN (SELECT …)` conjuncts become semi / anti joins; the rest is the filter
    const conjuncts = whereConjuncts(stmt.whereClause);
    const rest: PgNode[] = [];
    const whereSubs = newSubqueries();
    const joinPredicates: Expr[] = [];
    for (const c of conjuncts) {
      const joined = whereSubqueryJoin(plan, c, scope, ctx, whereSubs);
      if (joined) {
        plan = joined.plan;
        if (joined.predicate) joinPredicates.push(joined.predicate);
      } else {
        rest.push(c);
      }
    }
    const wctx: ExprCtx = { ...plainCtx(ctx, scope, 'WHERE'), subqueries: whereSubs };
    let predicate: Expr | null = null;
    const whole = rest.length === conjuncts.length;
    for (const n of whole ? [stmt.whereClause] : rest) {
      const e = coerceToBool(bindExpr(n, wctx), whole ? 'WHERE' : 'AND', ctx.pos(nodeLocation(n)));
      predicate = predicate === null ? e : call('and', [predicate, e], BOOL);
    }
    plan = applyAll(plan, whereSubs.items);
    for (const e of joinPredicates) predicate = predicate === null ? e : call('and', [predicate, e], BOOL);
    if (predicate) plan = { kind: 'filter', input: plan, predicate };
  }

  // select list (aggregates and windows are collected as they are found)
  const windowDefs = new Map<string, WindowDef>();
  for (const n of stmt.windowClause ?? []) {
    const d = unwrap<WindowDef>(n, 'WindowDef')!;
    if (d.name) windowDefs.set(d.name, d);
  }
  const aggs = new AggregateCollector(ctx);
  const windows = new WindowCollector(ctx, windowDefs);
  const subs = newSubqueries();
  const selectCtx: ExprCtx = { ctx, scope, aggs, windows, subqueries: subs };
  const targets: Target[] = [];
  for (const n of stmt.targetList ?? []) {
    const rt = unwrap<ResTarget>(n, 'ResTarget')!;
    const pos = ctx.pos(rt.location);
    const ref = unwrap<ColumnRef>(rt.val, 'ColumnRef');
    const last = ref?.fields[ref.fields.length - 1];
    if (ref && last && nodeTag(last) === 'A_Star') {
      if (ref.fields.length === 1) {
        if (scope.relations.length === 0) throw new EngineError('syntax_error', 'SELECT * with no tables specified is not valid', pos);
        for (const c of scope.starColumns()) targets.push({ name: c.name, expr: columnRef(selectCtx, c, null, pos), position: pos });
      } else {
        const relName = stringValue(ref.fields[ref.fields.length - 2]) ?? '';
        const rel = scope.findRelation(relName);
        if (!rel) throw new EngineError('undefined_table', `missing FROM-clause entry for table "${relName}"`, pos);
        for (const c of rel.columns) targets.push({ name: c.name, expr: columnRef(selectCtx, c, relName, pos), position: pos });
      }
      continue;
    }
    const bound = bindExpr(rt.val!, selectCtx);
    const keepUnknown = opts.setOpBranch === true && stmt.distinctClause === undefined && !stmt.sortClause && !stmt.limitCount && !stmt.limitOffset;
    const expr = keepUnknown ? bound : resolveOutput(bound);
    targets.push({ name: rt.name ?? figureColname(rt.val), expr, position: pos });
  }

  // GROUP BY
  const groupExprs: Expr[] = [];
  const groupCtx = plainCtx(ctx, scope, 'GROUP BY');
  for (const g of stmt.groupClause ?? []) {
    const pos = ctx.pos(nodeLocation(g));
    const tag = nodeTag(g);
    if (tag === 'GroupingSet') throw unsupported('GROUPING SETS, ROLLUP and CUBE', pos);
    let e: Expr;
    const ordinal = constInt(g);
    const name = singleName(g);
    if (ordinal !== null) {
      if (ordinal < 1 || ordinal > targets.length) {
        throw new EngineError('undefined_column', `GROUP BY position ${ordinal} is not in select list`, pos);
      }
      e = targets[ordinal - 1].expr;
      checkNoAggOrWindow(e, aggs, windows, pos);
    } else if (name !== null && scope.lookup(name).length === 0 && targets.some((t) => t.name === name)) {
      const matches = targets.filter((t) => t.name === name);
      if (new Set(matches.map((t) => exprKey(t.expr))).size > 1) {
        throw new EngineError('ambiguous_column', `GROUP BY "${name}" is ambiguous`, pos);
      }
      e = matches[0].expr;
      checkNoAggOrWindow(e, aggs, windows, pos);
    } else {
      e = resolveOutput(bindExpr(g, groupCtx));
    }
    if (!groupExprs.some((x) => exprKey(x) === exprKey(e))) groupExprs.push(e);
  }

  // HAVING
  let having: Expr | null = null;
  if (stmt.havingClause) {
    const hctx: ExprCtx = { ctx, scope, aggs, windows: null, noWindowMessage: 'window functions are not allowed in HAVING', subqueries: subs };
    having = coerceToBool(bindExpr(stmt.havingClause, hctx), 'HAVING', ctx.pos(nodeLocation(stmt.havingClause)));
  }

  // ORDER BY
  const distinct = stmt.distinctClause !== undefined;
  const hidden: Expr[] = [];
  const sortItems: SortItem[] = [];
  for (const n of stmt.sortClause ?? []) {
    const sb = unwrap<SortBy>(n, 'SortBy')!;
    const node = sb.node;
    const pos = ctx.pos(nodeLocation(node));
    const c = unwrap<AConst>(node, 'A_Const');
    if (c) {
      if (c.ival === undefined) {
        if (c.isnull) continue; // ORDER BY NULL: a constant, no effect
        throw new EngineError('syntax_error', 'non-integer constant in ORDER BY', pos);
      }
      const k = c.ival.ival ?? 0;
      if (k < 1 || k > targets.length) throw new EngineError('undefined_column', `ORDER BY position ${k} is not in select list`, pos);
      sortItems.push({ target: k - 1, key: sb });
      continue;
    }
    const name = singleName(node);
    if (name !== null) {
      const matches = targets.map((t, i) => [t, i] as const).filter(([t]) => t.name === name);
      if (matches.length > 0) {
        if (new Set(matches.map(([t]) => exprKey(t.expr))).size > 1) {
          throw new EngineError('ambiguous_column', `ORDER BY "${name}" is ambiguous`, pos);
        }
        sortItems.push({ target: matches[0][1], key: sb });
        continue;
      }
    }
    const e = resolveOutput(bindExpr(node, selectCtx));
    const k = exprKey(e);
    const ti = targets.findIndex((t) => exprKey(t.expr) === k);
    if (ti >= 0) { sortItems.push({ target: ti, key: sb }); continue; }
    if (distinct) {
      throw new EngineError('undefined_column', 'for SELECT DISTINCT, ORDER BY expressions must appear in select list', pos);
    }
    let hi = hidden.findIndex((h) => exprKey(h) === k);
    if (hi < 0) { hidden.push(e); hi = hidden.length - 1; }
    sortItems.push({ hidden: hi, key: sb });
  }

  // Aggregate + HAVING
  const grouped = groupExprs.length > 0 || aggs.items.length > 0 || having !== null;
  // subquery joins: below the Aggregate those inside aggregate arguments (all when not grouped),
  // the others above it (their outer expressions rewritten over the group keys)
  const below = subs.items.filter((it) => it.belowAggregate || !grouped);
  const above = subs.items.filter((it) => !(it.belowAggregate || !grouped));
  plan = applyAll(plan, below);
  if (grouped) {
    const groups: GroupKey[] = groupExprs.map((e) => ({ id: ctx.newId(), name: exprDisplay(e), expr: e, key: exprKey(e) }));
    plan = {
      kind: 'aggregate',
      input: plan,
      groupBy: groups.map((g) => ({ id: g.id, name: g.name, expr: g.expr })),
      aggregates: aggs.items.map((a) => ({ id: a.id, name: a.name, agg: a.agg })),
    };
    const allowed = new Set<number>([...aggs.ids, ...windows.ids, ...above.flatMap((it) => it.ids)]);
    plan = applyAll(plan, above, (e) => rewriteOverGroups(e, groups, allowed, ctx));
    for (const t of targets) t.expr = rewriteOverGroups(t.expr, groups, allowed, ctx);
    for (let i = 0; i < hidden.length; i++) hidden[i] = rewriteOverGroups(hidden[i], groups, allowed, ctx);
    if (having) having = rewriteOverGroups(having, groups, allowed, ctx);
    for (const w of windows.items) w.window = rewriteWindowOverGroups(w.window, groups, allowed, ctx);
    if (having) plan = { kind: 'filter', input: plan, predicate: having };
  }

  // Window
  if (windows.items.length > 0) {
    plan = { kind: 'window', input: plan, windows: windows.items.map((w) => ({ id: w.id, name: w.name, window: w.window })) };
  }

  // Projection (select list + hidden sort columns)
  const projected: NamedExpr[] = targets.map((t) => ({ id: ctx.newId(), name: t.name, expr: t.expr }));
  const hiddenExprs: NamedExpr[] = hidden.map((h, i) => ({ id: ctx.newId(), name: `?sort${i + 1}?`, expr: h }));
  plan = { kind: 'projection', input: plan, exprs: [...projected, ...hiddenExprs] };
  let outputs: { id: number; name: string; expr: Expr }[] = projected;

  // DISTINCT
  if (distinct) {
    const groupBy: NamedExpr[] = projected.map((p) => ({ id: ctx.newId(), name: p.name, expr: col(p.id, p.name, p.expr.type) }));
    plan = { kind: 'aggregate', input: plan, groupBy, aggregates: [] };
    outputs = groupBy;
  }

  // ORDER BY, LIMIT
  if (sortItems.length > 0) {
    const keys: SortKey[] = sortItems.map((s) => {
      const ne = 'target' in s ? outputs[s.target] : hiddenExprs[s.hidden];
      return sortKeyOf(s.key, col(ne.id, ne.name, ne.expr.type), selectCtx);
    });
    plan = { kind: 'sort', input: plan, keys, fetch: null };
  }
  const fetch = bindLimitValue(stmt.limitCount, 'LIMIT', ctx);
  const skip = bindLimitValue(stmt.limitOffset, 'OFFSET', ctx) ?? 0;
  if (fetch !== null || skip > 0) plan = { kind: 'limit', input: plan, skip, fetch };

  // final projection: drop hidden sort columns / expose names after DISTINCT
  if (hiddenExprs.length > 0 || distinct) {
    plan = {
      kind: 'projection',
      input: plan,
      exprs: outputs.map((o) => ({ id: ctx.newId(), name: o.name, expr: col(o.id, o.name, o.expr.type) })),
    };
  }
  return { plan, fields: outputFields(plan) };
}

