import {
  BOOL, DATE, FLOAT64, INT32, INT64, NULL, TIMESTAMP, UTF8, decimal, isNumeric,
  type DataType,
} from '../types/data-type.js';
import type { Expr } from '../logical/expr.js';
import type { ResolvedScalar, ScalarResolver } from './registry.js';

/**
 * Bind-time resolution of scalar functions and operators following PostgreSQL:
 *   - numeric promotion int4 → int8 → numeric → float8 (the operator runs in the wider type);
 *   - numeric results: + - keep max scale, * adds scales, / gives scale max(s1, s2, 16)
 *     (see DIV_MIN_SCALE), % keeps max scale;
 *   - date ± integer → date, date − date → integer (fn renamed to date_add_days / date_sub_days /
 *     date_diff_days), date vs timestamp compares as timestamp;
 *   - the `null` type (an untyped NULL) coerces to anything;
 *   - a utf8 argument facing another type is cast to that type (PostgreSQL does this for untyped
 *     string literals, e.g. `d > '2024-01-01'`; the binder cannot tell literals apart here, so a
 *     text *column* compared with a date is also accepted — more lenient than PostgreSQL).
 * Decimal precision is capped at 38 (PostgreSQL numeric is unbounded).
 */
export const resolveScalar: ScalarResolver = (fn, argTypes) => resolve(fn, argTypes);

/**
 * Scale of a numeric division result. PostgreSQL picks it per value (select_div_scale: at
 * least 16 significant digits); our decimal type has one scale per column, so we use
 * max(s1, s2, 16) — exact to the 16th decimal place for quotients whose unscaled value stays
 * below 2^53 (|q| < ~0.9), relative error ~1e-16 (float64) above that.
 */
export const DIV_MIN_SCALE = 16;
export const MAX_PRECISION = 38;

const ok = (fn: string, argTypes: readonly DataType[], returnType: DataType): ResolvedScalar => ({ fn, argTypes, returnType });

/** Decimal type that can hold any value of an integer type. */
export function integerAsDecimal(t: DataType): DataType {
  return t.kind === 'int32' ? decimal(10, 0) : decimal(19, 0);
}

/** Widest of two decimals: max scale, max integer digits. */
function widenDecimal(a: DataType & { kind: 'decimal' }, b: DataType & { kind: 'decimal' }): DataType {
  const s = Math.max(a.scale, b.scale);
  const intDigits = Math.max(a.precision - a.scale, b.precision - b.scale);
  return decimal(Math.min(MAX_PRECISION, intDigits + s), s);
}

const NUM_RANK: Record<string, number> = { int32: 1, int64: 2, decimal: 3, float64: 4 };

/**
 * PostgreSQL's common type of two values (CASE/COALESCE/IN/UNION, comparison operands):
 * numeric promotion, date+timestamp → timestamp, NULL → the other type, utf8 with another
 * type → the other type (untyped literal rule). Null when there is none.
 */
export function commonSupertype(a: DataType, b: DataType): DataType | null {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'decimal' && b.kind === 'decimal') return widenDecimal(a, b);
  if (a.kind === b.kind) return a;
  if (isNumeric(a) && isNumeric(b)) {
    const ra = NUM_RANK[a.kind];
    const rb = NUM_RANK[b.kind];
    const hi = ra >= rb ? a : b;
    const lo = ra >= rb ? b : a;
    if (hi.kind === 'decimal') return widenDecimal(hi, integerAsDecimal(lo) as DataType & { kind: 'decimal' });
    return hi;
  }
  if ((a.kind === 'date' && b.kind === 'timestamp') || (a.kind === 'timestamp' && b.kind === 'date')) return TIMESTAMP;
  if (a.kind === 'utf8') return b;
  if (b.kind === 'utf8') return a;
  return null;
}

/** Common type of a list (left to right); null when two types do not meet. All-NULL gives utf8 as PostgreSQL. */
export function commonTypeOf(types: readonly DataType[]): DataType | null {
  let t: DataType = NULL;
  for (const x of types) {
    const c = commonSupertype(t, x);
    if (c === null) return null;
    t = c;
  }
  return t.kind === 'null' ? UTF8 : t;
}

const COMPARISONS = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte']);
const ARITH = new Set(['add', 'sub', 'mul', 'div', 'mod']);

function arithResult(fn: string, a: DataType, b: DataType): DataType | null {
  const c = commonSupertype(a, b);
  if (c === null || !isNumeric(c)) return null;
  if (c.kind !== 'decimal') return c;
  const asDec = (x: DataType): DataType & { kind: 'decimal' } =>
    (x.kind === 'decimal' ? x : isInt(x) ? integerAsDecimal(x) : c) as DataType & { kind: 'decimal' };
  const da2 = asDec(a);
  const db2 = asDec(b);
  const ia = da2.precision - da2.scale;
  const ib = db2.precision - db2.scale;
  switch (fn) {
    case 'add':
    case 'sub': {
      const s = Math.max(da2.scale, db2.scale);
      return decimal(Math.min(MAX_PRECISION, Math.max(ia, ib) + 1 + s), s);
    }
    case 'mul': {
      const s = Math.min(MAX_PRECISION, da2.scale + db2.scale);
      return decimal(Math.min(MAX_PRECISION, ia + ib + s), s);
    }
    case 'div': {
      const s = Math.max(da2.scale, db2.scale, DIV_MIN_SCALE);
      return decimal(Math.min(MAX_PRECISION, ia + db2.scale + s), s);
    }
    case 'mod': {
      const s = Math.max(da2.scale, db2.scale);
      return decimal(Math.min(MAX_PRECISION, Math.min(ia, ib) + s), s);
    }
  }
  return null;
}

/** Argument type for an arithmetic operand given the operation's common type. */
function operandType(t: DataType, common: DataType): DataType {
  if (common.kind === 'decimal') {
    if (t.kind === 'decimal') return t; // kernels align scales themselves
    if (t.kind === 'int32' || t.kind === 'int64') return integerAsDecimal(t);
    return common;
  }
  return common;
}

const isInt = (t: DataType) => t.kind === 'int32' || t.kind === 'int64';
/** An argument of a double precision parameter: numbers, NULL, and unknown literals. */
const floatArg = (t: DataType) => isNumeric(t) || t.kind === 'null' || t.kind === 'utf8';
const isText = (t: DataType) => t.kind === 'utf8' || t.kind === 'null';
/** integer parameters (PostgreSQL int4: no implicit bigint → int cast). */
const isInt4 = (t: DataType) => t.kind === 'int32' || t.kind === 'null';
const dateLike = (t: DataType) => t.kind === 'date' || t.kind === 'timestamp' || t.kind === 'null' || t.kind === 'utf8';

const EXTRACT_FIELDS = new Set([
  'microseconds', 'milliseconds', 'second', 'minute', 'hour', 'day', 'dow', 'isodow', 'doy', 'week',
  'month', 'quarter', 'year', 'isoyear', 'decade', 'century', 'millennium', 'epoch', 'julian',
]);

function resolve(fn: string, t: readonly DataType[]): ResolvedScalar | null {
  const n = t.length;
  if (COMPARISONS.has(fn)) {
    if (n !== 2) return null;
    let c = commonSupertype(t[0], t[1]);
    if (c === null) return null;
    if (c.kind === 'null') c = UTF8; // NULL = NULL: unknown = unknown resolves as text
    return ok(fn, [c, c], BOOL);
  }
  if (ARITH.has(fn)) {
    if (n !== 2) return null;
    const [a, b] = t;
    // date arithmetic
    if (fn === 'add' && a.kind === 'date' && (isInt(b) || b.kind === 'null')) return ok('date_add_days', [DATE, INT32], DATE);
    if (fn === 'add' && (isInt(a) || a.kind === 'null') && b.kind === 'date') return ok('date_add_days', [INT32, DATE], DATE);
    if (fn === 'sub' && a.kind === 'date' && (isInt(b))) return ok('date_sub_days', [DATE, INT32], DATE);
    if (fn === 'sub' && a.kind === 'date' && (b.kind === 'date' || b.kind === 'null')) return ok('date_diff_days', [DATE, DATE], INT32);
    if (fn === 'sub' && a.kind === 'null' && b.kind === 'date') return ok('date_diff_days', [DATE, DATE], INT32);
    if (a.kind === 'null' && b.kind === 'null') return null; // PG: operator is not unique: unknown + unknown
    const c = commonSupertype(a, b);
    if (c === null || !isNumeric(c)) return null;
    const r = arithResult(fn, a, b);
    if (r === null) return null;
    return ok(fn, [operandType(a, c), operandType(b, c)], r);
  }
  switch (fn) {
    case 'neg':
    case 'abs': {
      if (n !== 1) return null;
      const a = t[0].kind === 'null' ? (fn === 'abs' ? FLOAT64 : INT32) : t[0];
      if (!isNumeric(a)) return null;
      return ok(fn, [a], a);
    }
    case 'and':
    case 'or':
      if (n < 2 || !t.every((x) => x.kind === 'bool' || x.kind === 'null' || x.kind === 'utf8')) return null;
      return ok(fn, t.map(() => BOOL), BOOL);
    case 'not':
    case 'is_true':
    case 'is_false':
      if (n !== 1 || !(t[0].kind === 'bool' || t[0].kind === 'null' || t[0].kind === 'utf8')) return null;
      return ok(fn, [BOOL], BOOL);
    case 'is_null':
    case 'is_not_null':
      if (n !== 1) return null;
      return ok(fn, [t[0]], BOOL);
    case 'like':
    case 'not_like':
    case 'ilike':
    case 'not_ilike':
      if (n !== 2 || !isText(t[0]) || !isText(t[1])) return null;
      return ok(fn, [UTF8, UTF8], BOOL);
    case 'concat_op':
      if (n !== 2) return null;
      return ok(fn, t.map(() => UTF8), UTF8);
    case 'concat':
      return ok(fn, t.map(() => UTF8), UTF8);
    case 'lower':
    case 'upper':
    case 'reverse':
    case 'initcap':
      if (n !== 1 || !isText(t[0])) return null;
      return ok(fn, [UTF8], UTF8);
    case 'btrim':
    case 'ltrim':
    case 'rtrim':
      if ((n !== 1 && n !== 2) || !t.every(isText)) return null;
      return ok(fn, t.map(() => UTF8), UTF8);
    case 'replace':
      if (n !== 3 || !t.every(isText)) return null;
      return ok(fn, [UTF8, UTF8, UTF8], UTF8);
    case 'strpos':
    case 'position':
      if (n !== 2 || !t.every(isText)) return null;
      return ok('strpos', [UTF8, UTF8], INT32);
    case 'starts_with':
      if (n !== 2 || !t.every(isText)) return null;
      return ok(fn, [UTF8, UTF8], BOOL);
    case 'like_escape':
      if (n !== 2 || !t.every(isText)) return null;
      return ok(fn, [UTF8, UTF8], UTF8);
    case 'left':
    case 'right':
    case 'repeat':
      if (n !== 2 || !isText(t[0]) || !isInt4(t[1])) return null;
      return ok(fn, [UTF8, INT32], UTF8);
    case 'lpad':
    case 'rpad':
      if ((n !== 2 && n !== 3) || !isText(t[0]) || !isInt4(t[1]) || (n === 3 && !isText(t[2]))) return null;
      return ok(fn, n === 2 ? [UTF8, INT32] : [UTF8, INT32, UTF8], UTF8);
    case 'split_part':
      if (n !== 3 || !isText(t[0]) || !isText(t[1]) || !isInt4(t[2])) return null;
      return ok(fn, [UTF8, UTF8, INT32], UTF8);
    case 'concat_ws':
      // the binder casts the variadic "any" arguments to text
      if (n < 1 || !t.every(isText)) return null;
      return ok(fn, t.map(() => UTF8), UTF8);
    case 'length':
    case 'char_length':
    case 'character_length':
      if (n !== 1 || !isText(t[0])) return null;
      return ok('length', [UTF8], INT32);
    case 'substring':
    case 'substr':
      if ((n !== 2 && n !== 3) || !isText(t[0])) return null;
      for (let i = 1; i < n; i++) if (!(t[i].kind === 'int32' || t[i].kind === 'int64' || t[i].kind === 'null')) return null;
      return ok('substring', n === 2 ? [UTF8, INT32] : [UTF8, INT32, INT32], UTF8);
    case 'date_trunc':
      if (n !== 2 || !isText(t[0]) || !dateLike(t[1])) return null;
      return ok(fn, [UTF8, TIMESTAMP], TIMESTAMP);
    case 'extract':
      if (n !== 2 || !isText(t[0]) || !dateLike(t[1])) return null;
      return ok(fn, [UTF8, t[1].kind === 'date' ? DATE : TIMESTAMP], decimal(MAX_PRECISION, 0));
    case 'date_part':
      if (n !== 2 || !isText(t[0]) || !dateLike(t[1])) return null;
      return ok(fn, [UTF8, t[1].kind === 'date' ? DATE : TIMESTAMP], FLOAT64);
    case 'agg_args':
      // an aggregate's bundled arguments (kernels/agg-args.ts): typed as the first
      if (n < 1) return null;
      return ok(fn, t, t[0]);
    case 'make_date':
      if (n !== 3 || !t.every(isInt4)) return null;
      return ok(fn, [INT32, INT32, INT32], DATE);
    case 'timestamp_add_interval':
      // (timestamp, months, days, microseconds): `ts ± INTERVAL '…'` as bound by the binder
      if (n !== 4 || !dateLike(t[0])) return null;
      return ok(fn, [TIMESTAMP, INT32, INT32, INT64], TIMESTAMP);
    case 'date_add_days':
    case 'date_sub_days':
      if (n !== 2) return null;
      return ok(fn, [DATE, INT32], DATE);
    case 'date_diff_days':
      if (n !== 2) return null;
      return ok(fn, [DATE, DATE], INT32);
    case 'sqrt':
    case 'cbrt':
    case 'exp':
    case 'ln':
    case 'log10':
    case 'log':
      // float8 variants; numeric arguments are computed in double precision too (documented
      // deviation: PostgreSQL's numeric variants pick a per-value result scale)
      if (n === 1 && floatArg(t[0])) return ok(fn === 'log' ? 'log10' : fn, [FLOAT64], FLOAT64);
      if (n === 2 && fn === 'log' && floatArg(t[0]) && floatArg(t[1])) return ok('log_base', [FLOAT64, FLOAT64], FLOAT64);
      return null;
    case 'power':
    case 'pow':
      if (n !== 2 || !floatArg(t[0]) || !floatArg(t[1])) return null;
      return ok('power', [FLOAT64, FLOAT64], FLOAT64);
    case 'sign':
      if (n !== 1) return null;
      if (t[0].kind === 'decimal') return ok(fn, [t[0]], decimal(1, 0));
      if (!floatArg(t[0])) return null;
      return ok(fn, [FLOAT64], FLOAT64);
    case 'pi':
      return n === 0 ? ok(fn, [], FLOAT64) : null;
    case 'trunc':
    case 'round': {
      if (n === 1) {
        const a = t[0];
        // round may carry into one more digit; trunc cannot
        const carry = fn === 'round' ? 1 : 0;
        if (a.kind === 'decimal') return ok(fn, [a], decimal(Math.max(1, Math.min(MAX_PRECISION, a.precision - a.scale + carry)), 0));
        if (a.kind === 'float64' || isInt(a) || a.kind === 'null') return ok(fn, [FLOAT64], FLOAT64);
        return null;
      }
      if (n === 2) {
        const a = t[0];
        if (!(isInt(t[1]) || t[1].kind === 'null')) return null;
        // round(numeric, int): the result scale depends on the value of n — see resolveScalarCall.
        if (a.kind === 'decimal') return ok(fn, [a, INT32], a);
        if (isInt(a)) return ok(fn, [integerAsDecimal(a), INT32], integerAsDecimal(a));
        if (a.kind === 'null') return ok(fn, [decimal(MAX_PRECISION, 0), INT32], decimal(MAX_PRECISION, 0));
        return null; // round(double precision, integer) does not exist in PostgreSQL
      }
      return null;
    }
    case 'floor':
    case 'ceil':
    case 'ceiling': {
      if (n !== 1) return null;
      const a = t[0];
      const name = fn === 'ceiling' ? 'ceil' : fn;
      if (a.kind === 'decimal') return ok(name, [a], decimal(Math.min(MAX_PRECISION, a.precision - a.scale + 1), 0));
      if (a.kind === 'float64' || isInt(a) || a.kind === 'null') return ok(name, [FLOAT64], FLOAT64);
      return null;
    }
    case 'coalesce': {
      if (n < 1) return null;
      const c = commonTypeOf(t);
      if (c === null) return null;
      return ok(fn, t.map(() => c), c);
    }
    case 'nullif': {
      if (n !== 2) return null;
      let c = commonSupertype(t[0], t[1]);
      if (c === null) return null;
      if (c.kind === 'null') c = UTF8;
      return ok(fn, [c, c], c);
    }
  }
  return null;
}

/**
 * Like resolveScalar, but may look at constant arguments where PostgreSQL's result type
 * depends on a value: round(numeric, n) has scale n; extract(field FROM timestamp) has scale 6
 * for second/epoch (3 for milliseconds), scale 0 otherwise. The binder should prefer this
 * when it has the argument expressions.
 */
export function resolveScalarCall(fn: string, args: readonly Expr[]): ResolvedScalar | null {
  const r = resolve(fn, args.map((a) => a.type));
  if (r === null) return null;
  if ((r.fn === 'round' || r.fn === 'trunc') && args.length === 2 && r.returnType.kind === 'decimal') {
    const a = args[1];
    if (a.kind === 'literal' && typeof a.value === 'number') {
      const s = Math.max(0, Math.min(MAX_PRECISION, Math.trunc(a.value)));
      const p = r.argTypes[0] as DataType & { kind: 'decimal' };
      return { ...r, returnType: decimal(Math.min(MAX_PRECISION, p.precision - p.scale + 1 + s), s) };
    }
  }
  if (r.fn === 'extract') {
    const f = args[0];
    if (f.kind === 'literal' && typeof f.value === 'string') {
      const field = f.value.toLowerCase();
      if (!EXTRACT_FIELDS.has(field)) return r;
      const ts = r.argTypes[1].kind === 'timestamp';
      const scale = ts && (field === 'second' || field === 'epoch') ? 6 : ts && field === 'milliseconds' ? 3 : field === 'julian' && ts ? 6 : 0;
      return { ...r, returnType: decimal(MAX_PRECISION, scale) };
    }
  }
  return r;
}

