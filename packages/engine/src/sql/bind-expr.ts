/** Binds PostgreSQL expression nodes to typed logical expressions (logical/expr.ts). */
import { EngineError } from '../errors.js';
import { aggregateReturnType } from '../logical/aggregate-types.js';
import { call, lit, type AggregateFn, type Expr, type SortKey, type WindowExpr, type WindowFn } from '../logical/expr.js';
import { BOOL, FLOAT64, INT32, INT64, NULL, TIMESTAMP, DATE, UTF8, isNumeric, typeName, type DataType } from '../types/data-type.js';
import {
  nameList, nodeLocation, nodeTag, stringValue, unwrap,
  type AConst, type AExpr, type BoolExpr, type BooleanTest, type CaseExpr, type CaseWhen, type CoalesceExpr, type ColumnRef,
  type FuncCall, type ListNode, type MinMaxExpr, type NullTest, type PgNode, type SQLValueFunction, type SortBy, type SubLink, type TypeCast, type WindowDef,
} from './ast.js';
import type { AggregateCollector, WindowCollector } from './bind-aggregate.js';
import type { SubqueryCollector } from './bind-subquery.js';
import {
  coerceTo, coerceToBool, commonType, explicitCast, exprTypeName, isNullLiteral, isUnconstrainedNumeric, isUnknownLiteral,
  resolveTypeName, unconstrainedNumericFor, unknownLiteral, unknownText, withPosition,
} from './coerce.js';
import type { BindContext } from './context.js';
import { currentDateDays, currentTimestampMicros, parseNumericConstant, textToValue } from './literals.js';
import { exprDisplay, exprKey } from './names.js';
import { Scope, type ScopeColumn } from './scope.js';
import { parseInterval, type Interval } from '../expr/temporal.js';

/** Where an expression is being bound, and what it may contain. */
export interface ExprCtx {
  readonly ctx: BindContext;
  readonly scope: Scope;
  /** Aggregates found here are collected; null → they are an error with `noAggMessage`. */
  readonly aggs: AggregateCollector | null;
  readonly noAggMessage?: string;
  readonly windows: WindowCollector | null;
  readonly noWindowMessage?: string;
  /** Inside an aggregate's argument (nested aggregates are an error). */
  readonly inAggregate?: boolean;
  /** Inside an aggregate's argument or FILTER (evaluated below the Aggregate node). */
  readonly belowAggregate?: boolean;
  /** Subquery expressions found here become joins (bind-subquery.ts); absent → not allowed here. */
  readonly subqueries?: SubqueryCollector;
}

/** Context for a clause that allows neither aggregates nor window functions. */
export function plainCtx(ctx: BindContext, scope: Scope, clause: string): ExprCtx {
  return {
    ctx, scope, aggs: null, windows: null,
    noAggMessage: `aggregate functions are not allowed in ${clause}`,
    noWindowMessage: `window functions are not allowed in ${clause}`,
  };
}

const unsupported = (what: string, position: number): EngineError =>
  new EngineError('feature_not_supported', `${what} is not supported`, position);

// ---------------------------------------------------------------------------------------------
// column references

/** A reference to a scope column (fresh object, so its position can be remembered). */
export function columnRef(ec: ExprCtx, c: ScopeColumn, qualifier: string | null, position: number): Expr {
  const name = qualifier !== null && !c.display.includes('.') ? `${qualifier}.${c.name}` : c.display;
  const e: Expr = { kind: 'column', id: c.id, name, type: c.type };
  if (position >= 0) ec.ctx.positions.set(e, position);
  if (!ec.ctx.columnOrigin.has(c.id)) ec.ctx.columnOrigin.set(c.id, `${c.relName}.${c.name}`);
  return e;
}

/** A column of an enclosing query's scope (correlated reference), recorded on every level it crosses. */
function outerColumn(ec: ExprCtx, find: (s: Scope) => ScopeColumn[] | null): { column: ScopeColumn; level: number } | null {
  const outer = ec.ctx.outer;
  for (let level = outer.length - 1; level >= 0; level--) {
    const found = find(outer[level].scope);
    if (found === null || found.length === 0) continue;
    if (found.length > 1) throw new EngineError('ambiguous_column', `column reference "${found[0].name}" is ambiguous`, -1);
    for (let l = level; l < outer.length; l++) outer[l].refs.add(found[0].id);
    return { column: found[0], level };
  }
  return null;
}

function bindColumnRef(ref: ColumnRef, ec: ExprCtx): Expr {
  const pos = ec.ctx.pos(ref.location);
  const parts: string[] = [];
  for (const f of ref.fields) {
    const s = stringValue(f);
    if (s === undefined) throw unsupported('row expansion via "*" in an expression', pos);
    parts.push(s);
  }
  if (parts.length === 1) {
    const [name] = parts;
    const found = ec.scope.lookup(name);
    if (found.length === 0 && !ec.scope.findRelation(name)) {
      const o = outerColumn(ec, (s) => s.lookup(name));
      if (o) return columnRef(ec, o.column, null, pos);
    }
    if (found.length === 0) {
      if (ec.scope.findRelation(name)) throw unsupported(`whole-row reference "${name}"`, pos);
      throw new EngineError('undefined_column', `column "${name}" does not exist`, pos);
    }
    if (found.length > 1) throw new EngineError('ambiguous_column', `column reference "${name}" is ambiguous`, pos);
    return columnRef(ec, found[0], null, pos);
  }
  if (parts.length > 3) throw new EngineError('syntax_error', `improper qualified name (too many dotted names): ${parts.join('.')}`, pos);
  const relName = parts[parts.length - 2];
  const colName = parts[parts.length - 1];
  const rel = ec.scope.findRelation(relName);
  if (!rel) {
    const o = outerColumn(ec, (s) => {
      const r = s.findRelation(relName);
      return r ? Scope.lookupIn(r, colName) : null;
    });
    if (o) return columnRef(ec, o.column, relName, pos);
  }
  if (!rel) throw new EngineError('undefined_table', `missing FROM-clause entry for table "${relName}"`, pos);
  const found = Scope.lookupIn(rel, colName);
  if (found.length === 0) throw new EngineError('undefined_column', `column ${relName}.${colName} does not exist`, pos);
  if (found.length > 1) throw new EngineError('ambiguous_column', `column reference "${colName}" is ambiguous`, pos);
  return columnRef(ec, found[0], relName, pos);
}

// ---------------------------------------------------------------------------------------------
// constants

function bindConst(c: AConst, ec: ExprCtx): Expr {
  const pos = ec.ctx.pos(c.location);
  // positions are remembered for error messages that point at an operand (common-type errors)
  const at = <T extends Expr>(e: T): T => { if (pos >= 0) ec.ctx.positions.set(e, pos); return e; };
  if (c.isnull) return at(lit(null, NULL));
  if (c.ival !== undefined) return at(lit(c.ival.ival ?? 0, { kind: 'int32' }));
  if (c.fval !== undefined) {
    const text = c.fval.fval ?? '0';
    const tv = parseNumericConstant(text);
    if (!tv) throw new EngineError('syntax_error', `invalid numeric constant ${text}`, pos);
    return at(lit(tv.value, tv.type));
  }
  if (c.sval !== undefined) {
    const e = unknownLiteral(c.sval.sval ?? '');
    if (pos >= 0) ec.ctx.positions.set(e, pos);
    return e;
  }
  if (c.boolval !== undefined) return at(lit(c.boolval.boolval === true, BOOL));
  throw unsupported('bit string constants', pos);
}

// ---------------------------------------------------------------------------------------------
// operators

const BINARY_OPS: Record<string, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod',
  '=': 'eq', '<>': 'neq', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte',
  '||': 'concat_op', '~~': 'like', '!~~': 'not_like', '~~*': 'ilike', '!~~*': 'not_ilike',
};

const posOf = (ec: ExprCtx, e: Expr, fallback: number): number => ec.ctx.positions.get(e) ?? fallback;

/** An unknown literal or NULL next to a typed operand takes (the category of) that operand's type. */
function typeAgainst(e: Expr, other: Expr, ec: ExprCtx, pos: number): Expr {
  if (isNullLiteral(e)) {
    if (isNullLiteral(other) || isUnknownLiteral(other)) return lit(null, UTF8);
    return lit(null, other.type);
  }
  if (isUnknownLiteral(e) && !isUnknownLiteral(other) && !isNullLiteral(other)) {
    const target = other.type;
    const at = posOf(ec, e, pos);
    if (target.kind === 'decimal') {
      // compare with the literal's own value (PostgreSQL coerces to unconstrained numeric)
      const tv = withPosition(at, () => textToValue(unknownText(e)!, target, false));
      return lit(tv.value, tv.type);
    }
    return coerceTo(e, target, at);
  }
  return e;
}

/** Binary operator over bound operands, resolved with resolveScalar. */
export function bindBinaryOp(sym: string, left: Expr, right: Expr, ec: ExprCtx, pos: number): Expr {
  const fn = BINARY_OPS[sym];
  let l = left;
  let r = right;
  if (fn === 'concat_op') {
    if (isNullLiteral(l)) l = lit(null, UTF8);
    if (isNullLiteral(r)) r = lit(null, UTF8);
    if (l.type.kind === 'utf8' && r.type.kind !== 'utf8') r = explicitCast(r, UTF8, pos);
    else if (r.type.kind === 'utf8' && l.type.kind !== 'utf8') l = explicitCast(l, UTF8, pos);
  } else if (fn === 'like' || fn === 'not_like' || fn === 'ilike' || fn === 'not_ilike') {
    if (isNullLiteral(l)) l = lit(null, UTF8);
    if (isNullLiteral(r)) r = lit(null, UTF8);
  } else {
    l = typeAgainst(left, right, ec, pos);
    r = typeAgainst(right, left, ec, pos);
  }
  if (fn === 'concat_op' && l.type.kind !== 'utf8' && r.type.kind !== 'utf8') {
    throw new EngineError('undefined_function', `operator does not exist: ${exprTypeName(l)} ${sym} ${exprTypeName(r)}`, pos);
  }
  const resolved = fn === undefined ? null : ec.ctx.resolveCall(fn, [l, r]);
  if (!resolved || textCoerced([l, r], resolved.argTypes)) {
    throw new EngineError('undefined_function', `operator does not exist: ${exprTypeName(l)} ${sym} ${exprTypeName(r)}`, pos);
  }
  return call(resolved.fn, [coerceTo(l, resolved.argTypes[0], pos), coerceTo(r, resolved.argTypes[1], pos)], resolved.returnType);
}

function bindUnaryOp(sym: string, operand: Expr, ec: ExprCtx, pos: number): Expr {
  if (sym === '-' && operand.kind === 'literal' && typeof operand.value === 'number' && isNumeric(operand.type)) {
    return lit(operand.value === 0 ? 0 : -operand.value, operand.type);
  }
  if (sym === '+' && isNumeric(operand.type)) return operand;
  const resolved = sym === '-' ? ec.ctx.resolveCall('neg', [operand]) : null;
  if (!resolved) throw new EngineError('undefined_function', `operator does not exist: ${sym} ${exprTypeName(operand)}`, pos);
  return call(resolved.fn, [coerceTo(operand, resolved.argTypes[0], pos)], resolved.returnType);
}

/**
 * `INTERVAL '…'` / `'…'::interval` constant (the engine has no interval type: such constants are
 * only understood as an operand of `timestamp/date ± interval`). Null when `node` is not one.
 */
function intervalConstant(node: PgNode, ec: ExprCtx): Interval | null {
  const tc = unwrap<TypeCast>(node, 'TypeCast');
  if (!tc) return null;
  const names = nameList(tc.typeName.names);
  if ((names[names.length - 1] ?? '').toLowerCase() !== 'interval' || (names.length > 1 && names[0] !== 'pg_catalog')) return null;
  const c = unwrap<AConst>(tc.arg, 'A_Const');
  if (!c || c.sval === undefined) return null;
  const mods = (tc.typeName.typmods ?? []).map((m) => unwrap<AConst>(m, 'A_Const')?.ival?.ival ?? 0);
  // typmod 0x7FFF = all fields (no restriction); a second modifier is the seconds precision
  const fields = mods.length > 0 && mods[0] !== 0x7fff ? mods[0] : undefined;
  return withPosition(ec.ctx.pos(c.location), () => parseInterval(c.sval!.sval ?? '', fields));
}

/**
 * `timestamp ± interval`, `date ± interval`, `interval + timestamp/date` with an interval
 * constant → timestamp_add_interval(ts, months, days, µs) (PostgreSQL: the result is a
 * timestamp; months are added calendar-wise). Null when neither operand is an interval constant.
 */
function bindIntervalArith(sym: string, lnode: PgNode, rnode: PgNode, ec: ExprCtx, pos: number): Expr | null {
  const li = intervalConstant(lnode, ec);
  const ri = intervalConstant(rnode, ec);
  if (li === null && ri === null) return null;
  if (li !== null && ri !== null) throw unsupported('interval arithmetic', pos);
  const other = bindExpr(li !== null ? rnode : lnode, ec);
  const iv = (li ?? ri)!;
  const otherName = exprTypeName(other) === 'timestamp' ? 'timestamp without time zone' : exprTypeName(other);
  const noOp = (): EngineError => new EngineError(
    'undefined_function',
    `operator does not exist: ${li !== null ? `interval ${sym} ${otherName}` : `${otherName} ${sym} interval`}`,
    pos,
  );
  if (li !== null && sym === '-') throw noOp();
  const k = other.type.kind;
  if (!(k === 'timestamp' || k === 'date' || k === 'null' || isUnknownLiteral(other))) throw noOp();
  const ts = isNullLiteral(other) ? lit(null, TIMESTAMP) : coerceTo(other, TIMESTAMP, posOf(ec, other, pos));
  const sign = sym === '-' ? -1 : 1;
  return call('timestamp_add_interval', [
    ts, lit(sign * iv.months + 0, INT32), lit(sign * iv.days + 0, INT32), lit(sign * iv.micros + 0, INT64),
  ], TIMESTAMP);
}

const and2 = (a: Expr, b: Expr): Expr => call('and', [a, b], BOOL);
const or2 = (a: Expr, b: Expr): Expr => call('or', [a, b], BOOL);
const not1 = (a: Expr): Expr => call('not', [a], BOOL);

function bindAExpr(a: AExpr, ec: ExprCtx): Expr {
  const pos = ec.ctx.pos(a.location);
  const names = nameList(a.name);
  const sym = names[names.length - 1] ?? '';
  switch (a.kind) {
    case 'AEXPR_OP': {
      if (names.length > 1 && names[0] !== 'pg_catalog') throw unsupported(`operator ${names.join('.')}`, pos);
      if (a.lexpr === undefined) return bindUnaryOp(sym, bindExpr(a.rexpr!, ec), ec, pos);
      if (sym === '+' || sym === '-') {
        const withInterval = bindIntervalArith(sym, a.lexpr, a.rexpr!, ec, pos);
        if (withInterval !== null) return withInterval;
      }
      return bindBinaryOp(sym, bindExpr(a.lexpr, ec), bindExpr(a.rexpr!, ec), ec, pos);
    }
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
      return bindBinaryOp(sym, bindExpr(a.lexpr!, ec), bindExpr(a.rexpr!, ec), ec, pos);
    case 'AEXPR_NULLIF': {
      const l = bindExpr(a.lexpr!, ec);
      const r = bindExpr(a.rexpr!, ec);
      const eq = bindBinaryOp('=', l, r, ec, pos);
      if (eq.kind !== 'call') return eq;
      const [cl, cr] = eq.args;
      return call('nullif', [cl, cr], cl.type);
    }
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT': {
      const l = bindExpr(a.lexpr!, ec);
      const r = bindExpr(a.rexpr!, ec);
      const distinct = a.kind === 'AEXPR_DISTINCT';
      const cmp = bindBinaryOp(distinct ? '<>' : '=', l, r, ec, pos);
      const lNull = call('is_null', [l], BOOL);
      const rNull = call('is_null', [r], BOOL);
      return {
        kind: 'case',
        whens: [
          { when: lNull, then: distinct ? call('is_not_null', [r], BOOL) : rNull },
          { when: rNull, then: lit(distinct, BOOL) },
        ],
        otherwise: cmp,
        type: BOOL,
      };
    }
    case 'AEXPR_IN': {
      const items = unwrap<ListNode>(a.rexpr, 'List')?.items;
      if (!items) throw unsupported('subquery expressions', pos);
      const l = bindExpr(a.lexpr!, ec);
      const list = items.map((n) => bindExpr(n, ec));
      const all = [l, ...list];
      let t: DataType;
      try {
        t = commonType(all, 'IN', pos);
      } catch (err) {
        if (err instanceof EngineError) {
          const other = list.find((x) => !isUnknownLiteral(x) && !isNullLiteral(x) && x.type.kind !== l.type.kind) ?? list[0];
          throw new EngineError('undefined_function', `operator does not exist: ${exprTypeName(l)} = ${exprTypeName(other)}`, pos);
        }
        throw err;
      }
      if (t.kind === 'null') t = UTF8;
      return {
        kind: 'in_list',
        expr: coerceTo(l, t, posOf(ec, l, pos)),
        list: list.map((x) => coerceTo(x, t, posOf(ec, x, pos))),
        negated: sym === '<>',
        type: BOOL,
      };
    }
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN': {
      const bounds = unwrap<ListNode>(a.rexpr, 'List')?.items ?? [];
      const x = bindExpr(a.lexpr!, ec);
      const lo = bindExpr(bounds[0], ec);
      const hi = bindExpr(bounds[1], ec);
      if (a.kind === 'AEXPR_BETWEEN') return and2(bindBinaryOp('>=', x, lo, ec, pos), bindBinaryOp('<=', x, hi, ec, pos));
      return or2(bindBinaryOp('<', x, lo, ec, pos), bindBinaryOp('>', x, hi, ec, pos));
    }
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM':
      throw unsupported('BETWEEN SYMMETRIC', pos);
    case 'AEXPR_SIMILAR':
      throw unsupported('SIMILAR TO', pos);
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      throw unsupported('ANY/ALL (array)', pos);
    default:
      throw unsupported(`operator kind ${a.kind}`, pos);
  }
}

// ---------------------------------------------------------------------------------------------
// boolean, CASE, COALESCE, CAST

function bindBoolExpr(b: BoolExpr, ec: ExprCtx): Expr {
  const pos = ec.ctx.pos(b.location);
  const word = b.boolop === 'AND_EXPR' ? 'AND' : b.boolop === 'OR_EXPR' ? 'OR' : 'NOT';
  const args = b.args.map((n) => coerceToBool(bindExpr(n, ec), word, ec.ctx.pos(nodeLocation(n)) >= 0 ? ec.ctx.pos(nodeLocation(n)) : pos));
  if (word === 'NOT') return not1(args[0]);
  let acc = args[0];
  for (let i = 1; i < args.length; i++) acc = word === 'AND' ? and2(acc, args[i]) : or2(acc, args[i]);
  return acc;
}

function bindBooleanTest(t: BooleanTest, ec: ExprCtx): Expr {
  const pos = ec.ctx.pos(t.location);
  const label = t.booltesttype.replace(/_/g, ' ');
  const arg = coerceToBool(bindExpr(t.arg, ec), label, pos);
  switch (t.booltesttype) {
    case 'IS_TRUE': return call('is_true', [arg], BOOL);
    case 'IS_NOT_TRUE': return not1(call('is_true', [arg], BOOL));
    case 'IS_FALSE': return call('is_false', [arg], BOOL);
    case 'IS_NOT_FALSE': return not1(call('is_false', [arg], BOOL));
    case 'IS_UNKNOWN': return call('is_null', [arg], BOOL);
    case 'IS_NOT_UNKNOWN': return call('is_not_null', [arg], BOOL);
    default: throw unsupported(label, pos);
  }
}

/** Coerces result expressions (CASE, COALESCE) to their common type. */
function unify(exprs: readonly Expr[], context: string, ec: ExprCtx, pos: number, resolveOrder: readonly Expr[] = exprs): { type: DataType; exprs: Expr[] } {
  let t = commonType(resolveOrder, context, pos, (e) => ec.ctx.positions.get(e));
  if (t.kind === 'null') t = UTF8;
  return { type: t, exprs: exprs.map((e) => coerceTo(e, t, posOf(ec, e, pos))) };
}

function bindCase(c: CaseExpr, ec: ExprCtx): Expr {
  const pos = ec.ctx.pos(c.location);
  const operand = c.arg ? bindExpr(c.arg, ec) : null;
  const conds: Expr[] = [];
  const results: Expr[] = [];
  for (const w of c.args) {
    const cw = unwrap<CaseWhen>(w, 'CaseWhen')!;
    const wpos = ec.ctx.pos(cw.location);
    const when = bindExpr(cw.expr, ec);
    conds.push(operand ? bindBinaryOp('=', operand, when, ec, wpos) : coerceToBool(when, 'CASE/WHEN', wpos));
    results.push(bindExpr(cw.result, ec));
  }
  const otherwise = c.defresult ? bindExpr(c.defresult, ec) : null;
  // PostgreSQL resolves the ELSE result first ("the most significant type"), so errors name it first
  const all = otherwise ? [...results, otherwise] : results;
  const u = unify(all, 'CASE', ec, pos, otherwise ? [otherwise, ...results] : results);
  return {
    kind: 'case',
    whens: conds.map((when, i) => ({ when, then: u.exprs[i] })),
    otherwise: otherwise ? u.exprs[results.length] : null,
    type: u.type,
  };
}

function bindTypeCast(tc: TypeCast, ec: ExprCtx): Expr {
  const castPos = ec.ctx.pos(tc.location !== undefined && tc.location >= 0 ? tc.location : tc.typeName.location);
  const resolved = resolveTypeName(tc.typeName, ec.ctx.pos(tc.typeName.location));
  const arg = bindExpr(tc.arg, ec);
  const at = isUnknownLiteral(arg) ? posOf(ec, arg, castPos) : castPos;
  const target = isUnconstrainedNumeric(resolved.type) ? withPosition(at, () => unconstrainedNumericFor(arg)) : resolved.type;
  const cast = explicitCast(arg, target, at, resolved.length);
  if (resolved.truncate !== undefined && cast.kind !== 'literal') {
    // varchar(n): an explicit cast truncates to n characters
    const r = resolveCall('substring', [cast, lit(1, INT32), lit(resolved.truncate, INT32)], ec);
    if (r) return r;
  }
  return cast;
}

// ---------------------------------------------------------------------------------------------
// functions

const AGGREGATES: Record<string, AggregateFn> = {
  count: 'count', sum: 'sum', avg: 'avg', min: 'min', max: 'max',
  stddev: 'stddev_samp', stddev_samp: 'stddev_samp', stddev_pop: 'stddev_pop',
  variance: 'var_samp', var_samp: 'var_samp', var_pop: 'var_pop',
  bool_and: 'bool_and', bool_or: 'bool_or', every: 'bool_and',
  string_agg: 'string_agg',
};

const WINDOW_ONLY = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value']);
const WINDOW_FNS: Record<string, WindowFn> = {
  row_number: 'row_number', rank: 'rank', dense_rank: 'dense_rank', sum: 'sum', avg: 'avg', count: 'count', min: 'min', max: 'max',
  lag: 'lag', lead: 'lead', first_value: 'first_value', last_value: 'last_value', nth_value: 'nth_value',
  ntile: 'ntile', percent_rank: 'percent_rank', cume_dist: 'cume_dist',
};

/** Window functions whose result does not depend on the frame (ranking and offset functions). */
const FRAMELESS = new Set<WindowFn>(['row_number', 'rank', 'dense_rank', 'ntile', 'percent_rank', 'cume_dist', 'lag', 'lead']);

/** A constant integer argument of a window function (lag/lead offset, nth_value n, ntile buckets). */
function constWindowInt(e: Expr, what: string, ec: ExprCtx, pos: number): number | null {
  const at = posOf(ec, e, pos);
  if (e.kind === 'literal' && e.value === null) return null;
  if (e.kind === 'literal' && typeof e.value === 'number' && (e.type.kind === 'int32' || e.type.kind === 'int64')) return e.value;
  if (isUnknownLiteral(e) && /^\s*[+-]?\d+\s*$/.test(unknownText(e) ?? '')) return Number(unknownText(e));
  if (e.type.kind !== 'int32' && e.type.kind !== 'int64' && !isUnknownLiteral(e)) {
    throw new EngineError('undefined_function', `${what} must be an integer, not type ${exprTypeName(e)}`, at);
  }
  throw unsupported(`a non-constant ${what}`, at);
}

const FN_ALIASES: Record<string, string> = {
  ceiling: 'ceil', substr: 'substring', char_length: 'length', character_length: 'length',
};

function fnDisplayName(fc: FuncCall): string {
  const names = nameList(fc.funcname);
  return names.join('.');
}

function noSuchFunction(fc: FuncCall, args: readonly Expr[], pos: number): EngineError {
  return new EngineError('undefined_function', `function ${fnDisplayName(fc)}(${args.map(exprTypeName).join(', ')}) does not exist`, pos);
}

/** Lower-cases a literal field argument (`extract(YEAR …)`, `date_trunc('Month', …)`) into a utf8 literal. */
function fieldArg(e: Expr): Expr {
  if (e.kind === 'literal' && typeof e.value === 'string') return lit(e.value.toLowerCase(), UTF8);
  return e;
}

/**
 * PostgreSQL never casts a typed text value implicitly to another type (only untyped literals
 * adapt); the resolver is more lenient, so such a resolution counts as no match.
 */
function textCoerced(args: readonly Expr[], argTypes: readonly DataType[]): boolean {
  return args.some((a, i) => a.type.kind === 'utf8' && !isUnknownLiteral(a) && argTypes[i] !== undefined && argTypes[i].kind !== 'utf8');
}

function resolveCall(fn: string, args: readonly Expr[], ec: ExprCtx): Expr | null {
  const resolved = ec.ctx.resolveCall(fn, args);
  if (!resolved || textCoerced(args, resolved.argTypes)) return null;
  return call(resolved.fn, args.map((a, i) => coerceTo(a, resolved.argTypes[i] ?? a.type, posOf(ec, a, -1))), resolved.returnType);
}

/**
 * A value as its type's output function writes it (concat / concat_ws take "any"): as the
 * ::text cast, except booleans, which print as t / f (the cast gives true / false).
 */
function outputText(e: Expr, pos: number): Expr {
  if (e.type.kind !== 'bool') return explicitCast(e, UTF8, pos);
  if (e.kind === 'literal') return lit(e.value === null ? null : e.value === true ? 't' : 'f', UTF8);
  return { kind: 'case', whens: [{ when: e, then: lit('t', UTF8) }, { when: not1(e), then: lit('f', UTF8) }], otherwise: null, type: UTF8 };
}

function bindScalarFunction(fc: FuncCall, name: string, ec: ExprCtx, pos: number): Expr {
  let args = (fc.args ?? []).map((n) => bindExpr(n, ec));
  const fn = FN_ALIASES[name] ?? name;
  if (fn === 'concat') {
    if (args.length === 0) throw noSuchFunction(fc, args, pos);
    // concat() skips NULLs (unlike ||): coalesce each argument's text with ''
    const texts = args.map((a) => {
      if (isNullLiteral(a)) return lit('', UTF8);
      const t = a.type.kind === 'utf8' ? a : outputText(a, pos);
      return t.kind === 'literal' && t.value !== null ? t : call('coalesce', [t, lit('', UTF8)], UTF8);
    });
    const r = resolveCall('concat', texts, ec);
    if (!r) throw noSuchFunction(fc, args, pos);
    return r;
  }
  if (fn === 'concat_ws') {
    // concat_ws(text, VARIADIC "any"): the separator must be text; other arguments are output as text
    if (args.length < 2 || !(args[0].type.kind === 'utf8' || isNullLiteral(args[0]))) throw noSuchFunction(fc, args, pos);
    const texts = args.map((a) => (isNullLiteral(a) ? lit(null, UTF8) : a.type.kind === 'utf8' ? a : outputText(a, pos)));
    const r = resolveCall('concat_ws', texts, ec);
    if (!r) throw noSuchFunction(fc, args, pos);
    return r;
  }
  if ((fn === 'extract' || fn === 'date_part' || fn === 'date_trunc') && args.length > 0) {
    args = [fieldArg(args[0]), ...args.slice(1)];
  }
  if (fn === 'date_part') {
    const direct = resolveCall('date_part', args, ec);
    if (direct) return direct;
    const ex = resolveCall('extract', args, ec);
    if (!ex) throw noSuchFunction(fc, args, pos);
    return ex.type.kind === 'float64' ? ex : { kind: 'cast', expr: ex, type: FLOAT64 };
  }
  if (fn === 'now') {
    if (args.length > 0) throw noSuchFunction(fc, args, pos);
    return lit(currentTimestampMicros(), TIMESTAMP);
  }
  const r = resolveCall(fn, args, ec);
  if (!r) throw noSuchFunction(fc, args, pos);
  return r;
}

function bindAggregate(fc: FuncCall, name: string, ec: ExprCtx, pos: number): Expr {
  if (ec.inAggregate) throw new EngineError('grouping_error', 'aggregate function calls cannot be nested', pos);
  if (!ec.aggs) throw new EngineError('grouping_error', ec.noAggMessage ?? 'aggregate functions are not allowed here', pos);
  if (fc.agg_within_group) throw unsupported('WITHIN GROUP', pos);
  let fn = AGGREGATES[name];
  const argCtx: ExprCtx = {
    ...ec, inAggregate: true, belowAggregate: true, windows: null, noWindowMessage: 'aggregate function calls cannot contain window function calls',
  };
  let arg: Expr | null = null;
  const rawArgs = fc.args ?? [];
  if (fc.agg_star) {
    if (fn !== 'count') throw new EngineError('undefined_function', `${name}(*) specified, but ${name} is not an aggregate function`, pos);
    fn = 'count_star';
  } else if (fn === 'string_agg') {
    arg = bindStringAggArgs(fc, argCtx, ec, pos);
  } else {
    const args = rawArgs.map((n) => bindExpr(n, argCtx));
    if (args.length !== 1) throw noSuchFunction(fc, args, pos);
    arg = args[0];
    if (isNullLiteral(arg)) arg = lit(null, fn === 'bool_and' || fn === 'bool_or' ? BOOL : fn === 'count' ? UTF8 : arg.type);
  }
  const type = aggregateReturnType(fn, arg ? arg.type : null);
  if (!type) throw noSuchFunction(fc, arg ? [arg] : [], pos);
  let filter: Expr | null = null;
  if (fc.agg_filter) {
    const fctx: ExprCtx = {
      ...argCtx, aggs: null, inAggregate: false, noAggMessage: 'aggregate functions are not allowed in FILTER',
    };
    filter = coerceToBool(bindExpr(fc.agg_filter, fctx), 'FILTER', ec.ctx.pos(nodeLocation(fc.agg_filter)));
  }
  const distinct = fc.agg_distinct === true;
  const argText = arg ? `${distinct ? 'DISTINCT ' : ''}${aggArgDisplay(arg)}` : '*';
  const display = `${name}(${argText})${filter ? ` FILTER (WHERE ${exprDisplay(filter)})` : ''}`;
  return ec.aggs.add({ fn, arg, distinct, filter, type }, display, pos);
}

/**
 * string_agg(value text, delimiter text [ORDER BY …]): both arguments and the ORDER BY keys are
 * bundled into one agg_args(value, delimiter, directions, keys…) expression (the aggregate
 * operator evaluates one argument per aggregate; see expr/kernels/agg-args.ts). `directions`
 * holds per key A/D (ASC/DESC) and F/L (NULLS FIRST/LAST).
 */
function bindStringAggArgs(fc: FuncCall, argCtx: ExprCtx, ec: ExprCtx, pos: number): Expr {
  const raw = (fc.args ?? []).map((n) => bindExpr(n, argCtx));
  if (raw.length !== 2) throw noSuchFunction(fc, raw, pos);
  const asText = (e: Expr): Expr => (isNullLiteral(e) ? lit(null, UTF8) : isUnknownLiteral(e) ? lit(unknownText(e), UTF8) : e);
  const [value, sep] = raw.map(asText);
  if (value.type.kind !== 'utf8' || sep.type.kind !== 'utf8') throw noSuchFunction(fc, raw, pos);
  const keys = (fc.agg_order ?? []).map((n) => {
    const sb = unwrap<SortBy>(n, 'SortBy')!;
    const e = bindExpr(sb.node, argCtx);
    return sortKeyOf(sb, isUnknownLiteral(e) ? lit(unknownText(e), UTF8) : e, ec);
  });
  if (fc.agg_distinct) {
    const allowed = new Set([exprKey(value), exprKey(sep)]);
    const bad = keys.find((k) => !allowed.has(exprKey(k.expr)));
    if (bad) {
      throw new EngineError('syntax_error', 'in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list', posOf(ec, bad.expr, pos));
    }
  }
  const dirs = keys.map((k) => `${k.ascending ? 'A' : 'D'}${k.nullsFirst ? 'F' : 'L'}`).join(',');
  return call('agg_args', [value, sep, lit(dirs, UTF8), ...keys.map((k) => k.expr)], UTF8);
}

/** Display text of an aggregate's argument (agg_args bundles shown as `v, sep ORDER BY k`). */
function aggArgDisplay(arg: Expr): string {
  if (arg.kind !== 'call' || arg.fn !== 'agg_args') return exprDisplay(arg);
  const d = arg.args[2];
  const dirs = d.kind === 'literal' && typeof d.value === 'string' && d.value !== '' ? d.value.split(',') : [];
  const keys = arg.args.slice(3).map((k, i) => `${exprDisplay(k)}${dirs[i]?.[0] === 'D' ? ' DESC' : ''}`);
  return `${exprDisplay(arg.args[0])}, ${exprDisplay(arg.args[1])}${keys.length > 0 ? ` ORDER BY ${keys.join(', ')}` : ''}`;
}

// window frame option bits (PostgreSQL's nodes/parsenodes.h)
const F_NONDEFAULT = 0x1;
const F_RANGE = 0x2;
const F_GROUPS = 0x8;
const F_START_UNBOUNDED_PRECEDING = 0x20;
const F_START_CURRENT_ROW = 0x200;
const F_END_UNBOUNDED_FOLLOWING = 0x100;
const F_END_CURRENT_ROW = 0x400;
const F_START_OFFSET_PRECEDING = 0x800;
const F_END_OFFSET_FOLLOWING = 0x4000;
const F_EXCLUDE = 0x8000 | 0x10000 | 0x20000;

function frameOffset(n: PgNode | undefined, which: string, ec: ExprCtx, pos: number): number {
  const c = unwrap<AConst>(n, 'A_Const');
  if (!c || c.ival === undefined) throw unsupported(`non-constant frame ${which} offset`, pos);
  const v = c.ival.ival ?? 0;
  if (v < 0) throw new EngineError('invalid_parameter_value', `frame ${which} offset must not be negative`, ec.ctx.pos(c.location));
  return v;
}

function bindFrame(def: WindowDef, hasOrder: boolean, ec: ExprCtx, pos: number): WindowExpr['frame'] {
  const o = def.frameOptions ?? 0;
  const dflt: WindowExpr['frame'] = hasOrder ? { mode: 'range' } : { mode: 'partition' };
  if (!(o & F_NONDEFAULT)) return dflt;
  if (o & F_EXCLUDE) throw unsupported('frame EXCLUDE', pos);
  if (o & F_GROUPS) throw unsupported('GROUPS frame mode', pos);
  if (o & F_RANGE) {
    if (o & F_START_UNBOUNDED_PRECEDING) {
      if (o & F_END_CURRENT_ROW) return dflt;
      if (o & F_END_UNBOUNDED_FOLLOWING) return { mode: 'partition' };
    }
    throw unsupported('this RANGE window frame', pos);
  }
  // ROWS
  let preceding: number | null;
  if (o & F_START_UNBOUNDED_PRECEDING) preceding = null;
  else if (o & F_START_OFFSET_PRECEDING) preceding = frameOffset(def.startOffset, 'starting', ec, pos);
  else if (o & F_START_CURRENT_ROW) preceding = 0;
  else throw unsupported('this ROWS window frame', pos);
  if (o & F_END_CURRENT_ROW) return { mode: 'rows', preceding, following: 0 };
  if (o & F_END_OFFSET_FOLLOWING) return { mode: 'rows', preceding, following: frameOffset(def.endOffset, 'ending', ec, pos) };
  if (o & F_END_UNBOUNDED_FOLLOWING && preceding === null) return { mode: 'partition' };
  throw unsupported('this ROWS window frame', pos);
}

/** ORDER BY item → sort key (PostgreSQL defaults: NULLS LAST for ASC, NULLS FIRST for DESC). */
export function sortKeyOf(sb: SortBy, expr: Expr, ec: ExprCtx): SortKey {
  if (sb.sortby_dir === 'SORTBY_USING') throw unsupported('ORDER BY … USING', ec.ctx.pos(sb.location));
  const ascending = sb.sortby_dir !== 'SORTBY_DESC';
  const nullsFirst = sb.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sb.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : !ascending;
  return { expr, ascending, nullsFirst };
}

function effectiveWindowDef(over: WindowDef, ec: ExprCtx, pos: number): WindowDef {
  const defs = ec.windows!.defs;
  if (over.name !== undefined && over.name !== '' && over.partitionClause === undefined && over.orderClause === undefined && over.refname === undefined) {
    const d = defs.get(over.name);
    if (!d) throw new EngineError('syntax_error', `window "${over.name}" does not exist`, pos);
    return d;
  }
  if (over.refname) {
    const base = defs.get(over.refname);
    if (!base) throw new EngineError('syntax_error', `window "${over.refname}" does not exist`, pos);
    return {
      ...over,
      partitionClause: base.partitionClause,
      orderClause: over.orderClause ?? base.orderClause,
    };
  }
  return over;
}

function bindWindow(fc: FuncCall, name: string, ec: ExprCtx, pos: number): Expr {
  if (!ec.windows) throw new EngineError('grouping_error', ec.noWindowMessage ?? 'window functions are not allowed here', pos);
  const fn0 = WINDOW_FNS[name];
  if (fn0 === undefined) {
    if (WINDOW_ONLY.has(name) || AGGREGATES[name] !== undefined) throw unsupported(`window function ${name}`, pos);
    throw new EngineError('undefined_function', `OVER specified, but ${name} is not a window function nor an aggregate function`, pos);
  }
  if (fc.agg_distinct) throw new EngineError('feature_not_supported', 'DISTINCT is not implemented for window functions', pos);
  if (fc.agg_filter) throw unsupported('FILTER in window functions', pos);
  const def = effectiveWindowDef(fc.over!, ec, pos);
  const inner: ExprCtx = { ...ec, windows: null, noWindowMessage: 'window function calls cannot be nested' };
  let fn: WindowFn = fn0;
  let arg: Expr | null = null;
  let offset: number | undefined;
  let defaultValue: Expr | null = null;
  let nullResult = false; // a NULL offset / n: the result is NULL on every row
  const args = (fc.args ?? []).map((n) => bindExpr(n, inner));
  if (fn === 'row_number' || fn === 'rank' || fn === 'dense_rank' || fn === 'percent_rank' || fn === 'cume_dist') {
    if (args.length > 0 || fc.agg_star) throw noSuchFunction(fc, args, pos);
  } else if (fn === 'ntile') {
    if (args.length !== 1 || fc.agg_star) throw noSuchFunction(fc, args, pos);
    const k = constWindowInt(args[0], 'ntile argument', ec, pos);
    if (k === null) nullResult = true;
    else if (k <= 0) throw new EngineError('invalid_parameter_value', 'argument of ntile must be greater than zero', pos);
    offset = k ?? 1;
  } else if (fn === 'lag' || fn === 'lead' || fn === 'first_value' || fn === 'last_value' || fn === 'nth_value') {
    const max = fn === 'lag' || fn === 'lead' ? 3 : fn === 'nth_value' ? 2 : 1;
    const min = fn === 'nth_value' ? 2 : 1;
    if (fc.agg_star || args.length < min || args.length > max) throw noSuchFunction(fc, args, pos);
    arg = isUnknownLiteral(args[0]) ? lit(unknownText(args[0]), UTF8) : args[0];
    if (fn === 'nth_value') {
      const k = constWindowInt(args[1], 'nth_value argument', ec, pos);
      if (k === null) nullResult = true;
      else if (k <= 0) throw new EngineError('invalid_parameter_value', 'argument of nth_value must be greater than zero', pos);
      offset = k ?? 1;
    } else if (fn === 'lag' || fn === 'lead') {
      const k = args.length >= 2 ? constWindowInt(args[1], `${fn} offset`, ec, pos) : 1;
      if (k === null) nullResult = true;
      offset = k ?? 1;
      if (args.length === 3 && !isNullLiteral(args[2])) {
        const u = unify([arg, args[2]], fn, ec, pos);
        arg = u.exprs[0];
        defaultValue = u.exprs[1];
      }
    }
    if (arg.type.kind === 'null') arg = lit(null, UTF8);
  } else if (fc.agg_star) {
    if (fn !== 'count') throw new EngineError('undefined_function', `${name}(*) specified, but ${name} is not an aggregate function`, pos);
    fn = 'count_star';
  } else {
    if (args.length !== 1) throw noSuchFunction(fc, args, pos);
    arg = args[0];
  }
  let type: DataType | null;
  switch (fn) {
    case 'row_number': case 'rank': case 'dense_rank': case 'count': case 'count_star': type = INT64; break;
    case 'sum': type = aggregateReturnType('sum', arg!.type); break;
    case 'avg': type = aggregateReturnType('avg', arg!.type); break;
    case 'min': case 'max': type = arg!.type.kind === 'null' ? null : arg!.type; break;
    case 'ntile': type = INT32; break;
    case 'percent_rank': case 'cume_dist': type = FLOAT64; break;
    case 'lag': case 'lead': case 'first_value': case 'last_value': case 'nth_value': type = arg!.type; break;
  }
  if (!type) throw noSuchFunction(fc, args, pos);
  const partitionBy = (def.partitionClause ?? []).map((n) => {
    const e = bindExpr(n, inner);
    return isUnknownLiteral(e) ? lit(unknownText(e), UTF8) : e;
  });
  const orderBy = (def.orderClause ?? []).map((n) => {
    const sb = unwrap<SortBy>(n, 'SortBy')!;
    return sortKeyOf(sb, bindExpr(sb.node, inner), ec);
  });
  const frameless = FRAMELESS.has(fn);
  const frame = frameless ? (orderBy.length > 0 ? { mode: 'range' as const } : { mode: 'partition' as const }) : bindFrame(def, orderBy.length > 0, ec, pos);
  if (nullResult) return lit(null, type);
  const w: WindowExpr = { fn, arg, partitionBy, orderBy, frame, type, ...(offset !== undefined ? { offset } : {}), ...(defaultValue ? { defaultValue } : {}) };
  return ec.windows.add(w, name, pos);
}

function bindFuncCall(fc: FuncCall, ec: ExprCtx): Expr {
  const pos = ec.ctx.pos(fc.location);
  const names = nameList(fc.funcname);
  if (names.length > 2 || (names.length === 2 && names[0] !== 'pg_catalog')) {
    throw noSuchFunction(fc, (fc.args ?? []).map((n) => bindExpr(n, ec)), pos);
  }
  const name = names[names.length - 1].toLowerCase();
  if (fc.over) return bindWindow(fc, name, ec, pos);
  if (AGGREGATES[name] !== undefined) return bindAggregate(fc, name, ec, pos);
  if (WINDOW_ONLY.has(name)) throw new EngineError('undefined_function', `window function ${name} requires an OVER clause`, pos);
  if (fc.agg_star) throw new EngineError('undefined_function', `${name}(*) specified, but ${name} is not an aggregate function`, pos);
  if (fc.agg_distinct) throw new EngineError('undefined_function', `DISTINCT specified, but ${name} is not an aggregate function`, pos);
  if (fc.agg_filter) throw new EngineError('undefined_function', `FILTER specified, but ${name} is not an aggregate function`, pos);
  if (fc.agg_order) throw new EngineError('undefined_function', `ORDER BY specified, but ${name} is not an aggregate function`, pos);
  return bindScalarFunction(fc, name, ec, pos);
}

function bindSqlValueFunction(f: SQLValueFunction, ec: ExprCtx): Expr {
  const pos = ec.ctx.pos(f.location);
  switch (f.op) {
    case 'SVFOP_CURRENT_DATE': return lit(currentDateDays(), DATE);
    case 'SVFOP_CURRENT_TIMESTAMP':
    case 'SVFOP_CURRENT_TIMESTAMP_N':
    case 'SVFOP_LOCALTIMESTAMP':
    case 'SVFOP_LOCALTIMESTAMP_N':
      return lit(currentTimestampMicros(), TIMESTAMP);
    default:
      throw unsupported(f.op.replace(/^SVFOP_/, '').toLowerCase(), pos);
  }
}

/**
 * GREATEST/LEAST(a, b, …): NULL arguments are ignored (NULL only when all are NULL), as
 * PostgreSQL. Folded pairwise into CASE expressions over the common type.
 */
function bindGreatestLeast(m: MinMaxExpr, ec: ExprCtx): Expr {
  const pos = ec.ctx.pos(m.location);
  const greatest = m.op === 'IS_GREATEST';
  const u = unify(m.args.map((n) => bindExpr(n, ec)), greatest ? 'GREATEST' : 'LEAST', ec, pos);
  let acc = u.exprs[0];
  for (let i = 1; i < u.exprs.length; i++) {
    const b = u.exprs[i];
    const cmp = bindBinaryOp(greatest ? '>=' : '<=', acc, b, ec, pos);
    // acc when (acc ≥ b) or b is null — a NULL acc makes the condition NULL (→ b) unless b is NULL too
    acc = { kind: 'case', whens: [{ when: or2(cmp, call('is_null', [b], BOOL)), then: acc }], otherwise: b, type: u.type };
  }
  return acc;
}

// ---------------------------------------------------------------------------------------------

/** Binds one expression node. */
export function bindExpr(node: PgNode, ec: ExprCtx): Expr {
  const tag = nodeTag(node);
  const pos = ec.ctx.pos(nodeLocation(node));
  switch (tag) {
    case 'ColumnRef': return bindColumnRef(unwrap<ColumnRef>(node, tag)!, ec);
    case 'A_Const': return bindConst(unwrap<AConst>(node, tag)!, ec);
    case 'A_Expr': return bindAExpr(unwrap<AExpr>(node, tag)!, ec);
    case 'BoolExpr': return bindBoolExpr(unwrap<BoolExpr>(node, tag)!, ec);
    case 'NullTest': {
      const t = unwrap<NullTest>(node, tag)!;
      return call(t.nulltesttype === 'IS_NULL' ? 'is_null' : 'is_not_null', [bindExpr(t.arg, ec)], BOOL);
    }
    case 'BooleanTest': return bindBooleanTest(unwrap<BooleanTest>(node, tag)!, ec);
    case 'TypeCast': return bindTypeCast(unwrap<TypeCast>(node, tag)!, ec);
    case 'CaseExpr': return bindCase(unwrap<CaseExpr>(node, tag)!, ec);
    case 'CoalesceExpr': {
      const c = unwrap<CoalesceExpr>(node, tag)!;
      const u = unify(c.args.map((n) => bindExpr(n, ec)), 'COALESCE', ec, pos);
      return call('coalesce', u.exprs, u.type);
    }
    case 'FuncCall': return bindFuncCall(unwrap<FuncCall>(node, tag)!, ec);
    case 'SQLValueFunction': return bindSqlValueFunction(unwrap<SQLValueFunction>(node, tag)!, ec);
    case 'SubLink': {
      if (!ec.subqueries) throw new EngineError('feature_not_supported', 'subquery expressions are not supported here', pos);
      return ec.subqueries.bind(unwrap<SubLink>(node, tag)!, pos, (n) => bindExpr(n, ec), ec.belowAggregate === true);
    }
    case 'ParamRef': throw unsupported('query parameters', pos);
    case 'CollateClause': throw unsupported('COLLATE', pos);
    case 'MinMaxExpr': return bindGreatestLeast(unwrap<MinMaxExpr>(node, tag)!, ec);
    case 'A_ArrayExpr': throw unsupported('ARRAY', pos);
    case 'RowExpr': throw unsupported('ROW expressions', pos);
    case 'A_Indirection': throw unsupported('subscripts and field selection', pos);
    case 'GroupingFunc': throw unsupported('GROUPING()', pos);
    default: throw unsupported(`expression ${tag}`, pos);
  }
}

/** Final type of a select-list expression: a bare unknown literal becomes text (as PostgreSQL ≥ 10). */
export function resolveOutput(e: Expr): Expr {
  return isUnknownLiteral(e) ? lit(unknownText(e), UTF8) : e;
}

/** Display name of a type for messages. */
export { typeName };
