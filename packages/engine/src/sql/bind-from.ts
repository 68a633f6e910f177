/** FROM clause: tables, CTE references, subqueries and joins → plan + name scope. */
import { EngineError } from '../errors.js';
import { call, col, columnsOf, splitConjunction, type Expr } from '../logical/expr.js';
import { outputFields, type JoinNode, type LogicalPlan, type ScanNode } from '../logical/plan.js';
import type { Field } from '../types/batch.js';
import { BOOL, UTF8, typesEqual } from '../types/data-type.js';
import {
  nameList, nodeTag, unwrap,
  type Alias, type JoinExpr, type PgNode, type RangeSubselect, type RangeVar, type SelectStmt,
} from './ast.js';
import { bindBinaryOp, bindExpr, columnRef, plainCtx } from './bind-expr.js';
import { coerceTo, coerceToBool, commonType } from './coerce.js';
import type { BindContext, CteDefinition, CteScope } from './context.js';
import { Scope, type ScopeColumn, type ScopeEntry, type ScopeRelation } from './scope.js';

/** A bound query: its plan (root exposes the output names as Field names). */
export interface BoundQuery {
  readonly plan: LogicalPlan;
  readonly fields: readonly Field[];
}

/** Binds a nested SELECT (subquery, CTE body); provided by bind-select to avoid an import cycle. */
export type QueryBinder = (stmt: SelectStmt, ctx: BindContext, ctes: CteScope | null) => BoundQuery;

export interface FromResult {
  readonly plan: LogicalPlan;
  readonly scope: Scope;
}

const unsupported = (what: string, position: number): EngineError =>
  new EngineError('feature_not_supported', `${what} is not supported`, position);

/** Binds the FROM list; comma-separated items become cross joins (WHERE filters above them). */
export function bindFrom(items: readonly PgNode[] | undefined, ctx: BindContext, ctes: CteScope | null, bindQuery: QueryBinder): FromResult {
  if (!items || items.length === 0) {
    return { plan: { kind: 'values', fields: [], rows: [[]] }, scope: Scope.empty() };
  }
  let acc: FromResult | null = null;
  for (const item of items) {
    const next = bindFromItem(item, ctx, ctes, bindQuery);
    if (acc === null) {
      acc = next;
    } else {
      const join: JoinNode = {
        kind: 'join', joinType: 'cross', left: acc.plan, right: next.plan, on: [], filter: null, strategy: 'auto',
      };
      acc = { plan: join, scope: Scope.join(acc.scope, next.scope, -1) };
    }
  }
  return acc!;
}

function findCte(name: string, ctes: CteScope | null): CteDefinition | undefined {
  for (let s = ctes; s !== null; s = s.parent) {
    const d = s.ctes.get(name);
    if (d) return d;
  }
  return undefined;
}

function aliasColumnNames(alias: Alias | undefined): string[] {
  return nameList(alias?.colnames);
}

/** Scope relation over a query's output fields, renamed by an alias column list. */
function relationOf(
  fields: readonly Field[], relName: string, explicitAlias: boolean, colnames: readonly string[], position: number,
): ScopeRelation {
  if (colnames.length > fields.length) {
    throw new EngineError(
      'syntax_error',
      `table "${relName}" has ${fields.length} columns available but ${colnames.length} columns specified`,
      position,
    );
  }
  const columns: ScopeColumn[] = fields.map((f, i) => {
    const name = colnames[i] ?? f.name;
    return { name, id: f.id!, type: f.type, relName, display: explicitAlias ? `${relName}.${name}` : name };
  });
  return { alias: relName, columns };
}

function bindRangeVar(rv: RangeVar, ctx: BindContext, ctes: CteScope | null, bindQuery: QueryBinder): FromResult {
  const pos = ctx.pos(rv.location);
  const alias = rv.alias?.aliasname;
  const colnames = aliasColumnNames(rv.alias);
  if (rv.schemaname === undefined) {
    const cte = findCte(rv.relname, ctes);
    if (cte) {
      // Each reference binds the CTE body again, so every use has its own column ids.
      const q = cte.recursive
        ? bindRecursiveCte(cte, ctx, bindQuery, pos)
        : bindQuery(unwrap<SelectStmt>(cte.def.ctequery, 'SelectStmt')!, ctx, cte.visible);
      const cteCols = nameList(cte.def.aliascolnames);
      if (cteCols.length > q.fields.length) {
        throw new EngineError(
          'syntax_error',
          `WITH query "${cte.def.ctename}" has ${q.fields.length} columns available but ${cteCols.length} columns specified`,
          ctx.pos(cte.def.location),
        );
      }
      const renamed = q.fields.map((f, i) => ({ ...f, name: cteCols[i] ?? f.name }));
      const rel = relationOf(renamed, alias ?? rv.relname, alias !== undefined, colnames, pos);
      return { plan: q.plan, scope: Scope.ofRelation(rel) };
    }
  }
  const source = ctx.catalog.get(rv.relname);
  if (!source) {
    const shown = rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
    throw new EngineError('undefined_table', `relation "${shown}" does not exist`, pos);
  }
  const fields: Field[] = source.schema.map((f) => ({ id: ctx.newId(), name: f.name, type: f.type, nullable: f.nullable }));
  const scan: ScanNode = { kind: 'scan', table: rv.relname, alias: alias ?? rv.relname, source, fields, filters: [] };
  const rel = relationOf(fields, alias ?? rv.relname, alias !== undefined, colnames, pos);
  return { plan: scan, scope: Scope.ofRelation(rel) };
}

function bindRangeSubselect(rs: RangeSubselect, ctx: BindContext, ctes: CteScope | null, bindQuery: QueryBinder): FromResult {
  if (rs.lateral) throw unsupported('LATERAL', -1);
  const stmt = unwrap<SelectStmt>(rs.subquery, 'SelectStmt');
  if (!stmt) throw unsupported(`subquery ${nodeTag(rs.subquery)}`, -1);
  const q = bindQuery(stmt, ctx, ctes);
  const name = rs.alias?.aliasname ?? 'unnamed_subquery';
  const rel = relationOf(q.fields, name, rs.alias !== undefined, aliasColumnNames(rs.alias), -1);
  return {
    plan: q.plan,
    scope: rs.alias ? Scope.ofRelation(rel) : new Scope([{ alias: null, columns: rel.columns }], rel.columns.map((column) => ({ column, visible: true }))),
  };
}

/** Splits a join condition into equi-keys (left-only expr = right-only expr) and a residual. */
export function splitJoinCondition(
  pred: Expr, leftIds: ReadonlySet<number>, rightIds: ReadonlySet<number>,
): { on: { left: Expr; right: Expr }[]; filter: Expr | null } {
  const on: { left: Expr; right: Expr }[] = [];
  const residual: Expr[] = [];
  const within = (ids: Set<number>, side: ReadonlySet<number>): boolean => ids.size > 0 && [...ids].every((id) => side.has(id));
  for (const c of splitConjunction(pred)) {
    if (c.kind === 'call' && c.fn === 'eq' && c.args.length === 2) {
      const a = columnsOf(c.args[0]);
      const b = columnsOf(c.args[1]);
      if (within(a, leftIds) && within(b, rightIds)) { on.push({ left: c.args[0], right: c.args[1] }); continue; }
      if (within(a, rightIds) && within(b, leftIds)) { on.push({ left: c.args[1], right: c.args[0] }); continue; }
    }
    if (c.kind === 'literal' && c.value === true) continue;
    residual.push(c);
  }
  let filter: Expr | null = null;
  for (const r of residual) filter = filter === null ? r : call('and', [filter, r], BOOL);
  return { on, filter };
}

const idsOf = (p: LogicalPlan): Set<number> => new Set(outputFields(p).map((f) => f.id!));

function bindJoin(j: JoinExpr, ctx: BindContext, ctes: CteScope | null, bindQuery: QueryBinder): FromResult {
  if (j.alias) throw unsupported('an alias on a JOIN', -1);
  if (j.join_using_alias) throw unsupported('USING … AS alias', -1);
  const left = bindFromItem(j.larg, ctx, ctes, bindQuery);
  const right = bindFromItem(j.rarg, ctx, ctes, bindQuery);
  let joinType: 'inner' | 'left' | 'right' | 'full';
  switch (j.jointype) {
    case 'JOIN_INNER': joinType = 'inner'; break;
    case 'JOIN_LEFT': joinType = 'left'; break;
    case 'JOIN_RIGHT': joinType = 'right'; break;
    case 'JOIN_FULL': joinType = 'full'; break;
    default: throw unsupported(`join type ${j.jointype}`, -1);
  }
  let scope = Scope.join(left.scope, right.scope, -1);
  let on: { left: Expr; right: Expr }[] = [];
  let filter: Expr | null = null;
  let usingNames: string[] | null = null;
  // FULL JOIN … USING: the merged column is COALESCE(left, right), computed above the join.
  const coalesced: { id: number; left: ScopeColumn; right: ScopeColumn }[] = [];
  if (j.isNatural) {
    const rightNames = new Set(right.scope.starColumns().map((c) => c.name));
    usingNames = [...new Set(left.scope.starColumns().map((c) => c.name).filter((n) => rightNames.has(n)))];
  } else if (j.usingClause) {
    usingNames = nameList(j.usingClause);
  }
  if (usingNames !== null) {
    const ec = plainCtx(ctx, scope, 'JOIN conditions');
    const leftEntries: ScopeEntry[] = [...left.scope.entries];
    const rightEntries: ScopeEntry[] = [...right.scope.entries];
    const merged: ScopeEntry[] = [];
    for (const name of usingNames) {
      const pick = (side: Scope, entries: ScopeEntry[], which: string): ScopeColumn => {
        const found = side.lookup(name);
        if (found.length === 0) {
          throw new EngineError('undefined_column', `column "${name}" specified in USING clause does not exist in ${which} table`, -1);
        }
        if (found.length > 1) {
          throw new EngineError('ambiguous_column', `common column name "${name}" appears more than once in ${which} table`, -1);
        }
        const idx = entries.findIndex((e) => e.visible && e.column === found[0]);
        if (idx >= 0) entries.splice(idx, 1);
        return found[0];
      };
      const lc = pick(left.scope, leftEntries, 'left');
      const rc = pick(right.scope, rightEntries, 'right');
      const eq = bindBinaryOp('=', columnRef(ec, lc, null, -1), columnRef(ec, rc, null, -1), ec, -1);
      if (eq.kind === 'call' && eq.fn === 'eq') on.push({ left: eq.args[0], right: eq.args[1] });
      else filter = filter === null ? eq : call('and', [filter, eq], BOOL);
      if (joinType === 'full') {
        const u = commonType([columnRef(ec, lc, null, -1), columnRef(ec, rc, null, -1)], 'JOIN/USING', -1);
        const id = ctx.newId();
        coalesced.push({ id, left: lc, right: rc });
        const column: ScopeColumn = { name, id, type: u.kind === 'null' ? lc.type : u, relName: lc.relName, display: name };
        merged.push({ column, visible: true });
        merged.push({ column: lc, visible: false });
        merged.push({ column: rc, visible: false });
        continue;
      }
      const keep = joinType === 'right' ? rc : lc;
      merged.push({ column: keep, visible: true });
      merged.push({ column: keep === lc ? rc : lc, visible: false });
    }
    scope = new Scope(scope.relations, [...merged, ...leftEntries, ...rightEntries]);
  } else if (j.quals) {
    const ec = plainCtx(ctx, scope, 'JOIN conditions');
    const pred = coerceToBool(bindExpr(j.quals, ec), 'JOIN/ON', -1);
    const split = splitJoinCondition(pred, idsOf(left.plan), idsOf(right.plan));
    on = split.on;
    filter = split.filter;
  }
  if (joinType === 'full' && on.length === 0 && filter !== null) {
    throw new EngineError('feature_not_supported', 'FULL JOIN is only supported with merge-joinable or hash-joinable join conditions', -1);
  }
  let plan: LogicalPlan;
  if (joinType === 'right') {
    plan = {
      kind: 'join', joinType: 'left', left: right.plan, right: left.plan,
      on: on.map((k) => ({ left: k.right, right: k.left })), filter, strategy: 'auto',
    };
  } else {
    const cross = joinType === 'inner' && on.length === 0 && filter === null;
    plan = { kind: 'join', joinType: cross ? 'cross' : joinType, left: left.plan, right: right.plan, on, filter, strategy: 'auto' };
  }
  if (coalesced.length > 0) {
    const ec = plainCtx(ctx, scope, 'JOIN conditions');
    const pass = outputFields(plan).map((f) => ({ id: f.id!, name: f.name, expr: col(f.id!, f.name, f.type) }));
    const merged = coalesced.map((c) => {
      const t = scope.entries.find((e) => e.column.id === c.id)!.column.type;
      const args = [columnRef(ec, c.left, null, -1), columnRef(ec, c.right, null, -1)].map((a) => coerceTo(a, t, -1));
      return { id: c.id, name: c.left.name, expr: call('coalesce', args, t) };
    });
    plan = { kind: 'projection', input: plan, exprs: [...merged, ...pass] };
  }
  return { plan, scope };
}

export function bindFromItem(node: PgNode, ctx: BindContext, ctes: CteScope | null, bindQuery: QueryBinder): FromResult {
  const tag = nodeTag(node);
  switch (tag) {
    case 'RangeVar': return bindRangeVar(unwrap<RangeVar>(node, tag)!, ctx, ctes, bindQuery);
    case 'RangeSubselect': return bindRangeSubselect(unwrap<RangeSubselect>(node, tag)!, ctx, ctes, bindQuery);
    case 'JoinExpr': return bindJoin(unwrap<JoinExpr>(node, tag)!, ctx, ctes, bindQuery);
    case 'RangeFunction': throw unsupported('functions in FROM', -1);
    default: throw unsupported(`FROM item ${tag}`, -1);
  }
}

/**
 * A CTE of WITH RECURSIVE: inside its own recursive term a reference reads the work table (the
 * previous step's rows); elsewhere it binds `static UNION [ALL] recursive` into a recursive_cte
 * node (or a plain query when the body does not reference itself). Column types come from the
 * non-recursive term, as in PostgreSQL.
 */
function bindRecursiveCte(cte: CteDefinition, ctx: BindContext, bindQuery: QueryBinder, pos: number): BoundQuery {
  const def = cte.def;
  const name = def.ctename;
  const state = ctx.recursiveCtes.get(def);
  if (state === null) {
    throw new EngineError('invalid_parameter_value', `recursive reference to query "${name}" must not appear within its non-recursive term`, pos);
  }
  if (state !== undefined) {
    state.referenced = true;
    const fields: Field[] = state.fields.map((f) => ({ id: ctx.newId(), name: f.name, type: f.type, nullable: true }));
    const plan: LogicalPlan = { kind: 'work_table', name, workTable: state.id, fields };
    return { plan, fields };
  }
  const stmt = unwrap<SelectStmt>(def.ctequery, 'SelectStmt')!;
  if (!stmt.op || stmt.op !== 'SETOP_UNION' || !stmt.larg || !stmt.rarg) {
    ctx.recursiveCtes.set(def, null);
    try {
      return bindQuery(stmt, ctx, cte.visible);
    } catch (e) {
      if (e instanceof EngineError && /recursive reference/.test(e.message)) {
        throw new EngineError('invalid_parameter_value', `recursive query "${name}" does not have the form non-recursive-term UNION [ALL] recursive-term`, ctx.pos(def.location));
      }
      throw e;
    } finally {
      ctx.recursiveCtes.delete(def);
    }
  }
  if ((stmt.sortClause && stmt.sortClause.length > 0) || stmt.limitCount || stmt.limitOffset) {
    throw unsupported('ORDER BY/LIMIT in a recursive query', ctx.pos(def.location));
  }
  ctx.recursiveCtes.set(def, null);
  let staticQ: BoundQuery;
  try {
    staticQ = bindQuery(stmt.larg, ctx, cte.visible);
  } finally {
    ctx.recursiveCtes.delete(def);
  }
  const binding = { id: ctx.newId(), fields: staticQ.fields.map((f) => ({ name: f.name, type: f.type.kind === 'null' ? UTF8 : f.type })), referenced: false };
  ctx.recursiveCtes.set(def, binding);
  let recQ: BoundQuery;
  try {
    recQ = bindQuery(stmt.rarg, ctx, cte.visible);
  } finally {
    ctx.recursiveCtes.delete(def);
  }
  if (recQ.fields.length !== staticQ.fields.length) {
    throw new EngineError('syntax_error', 'each UNION query must have the same number of columns', ctx.pos(def.location));
  }
  const types = binding.fields.map((f) => f.type);
  /** A term with its columns coerced to the output types (a projection when any differs). */
  const coerced = (q: BoundQuery): LogicalPlan => {
    if (q.fields.every((f, i) => typesEqual(f.type, types[i]))) return q.plan;
    return {
      kind: 'projection', input: q.plan,
      exprs: q.fields.map((f, i) => ({ id: ctx.newId(), name: f.name, expr: coerceTo(col(f.id!, f.name, f.type), types[i], ctx.pos(def.location)) })),
    };
  };
  const fields: Field[] = binding.fields.map((f) => ({ id: ctx.newId(), name: f.name, type: f.type, nullable: true }));
  const all = stmt.all === true;
  const plan: LogicalPlan = binding.referenced
    ? { kind: 'recursive_cte', name, all, static: coerced(staticQ), recursive: coerced(recQ), workTable: binding.id, fields }
    : { kind: 'set_op', op: 'union', all, inputs: [coerced(staticQ), coerced(recQ)], fields };
  return { plan, fields };
}
