/**
 * Type coercion for the binder: PostgreSQL's "unknown" string literals, implicit casts to a
 * common type (CASE, COALESCE, IN, VALUES), explicit CAST rules and SQL type names.
 */
import { EngineError } from '../errors.js';
import { lit, type Expr, type LiteralExpr } from '../logical/expr.js';
import {
  BOOL, DATE, FLOAT64, INT32, INT64, NULL, TIMESTAMP, UTF8, decimal, isNumeric, typeName, typesEqual, type DataType,
} from '../types/data-type.js';
import { nameList, unwrap, type AConst, type TypeName, type PgNode } from './ast.js';
import { numericToDecimal, rescaleUnscaled, textToValue } from './literals.js';

/** String literals whose type is still PostgreSQL's `unknown` (typed utf8 until context decides). */
const unknownLiterals = new WeakSet<Expr>();

export function unknownLiteral(text: string): LiteralExpr {
  const e = lit(text, UTF8);
  unknownLiterals.add(e);
  return e;
}

export const isUnknownLiteral = (e: Expr): boolean => unknownLiterals.has(e);
export const isNullLiteral = (e: Expr): boolean => e.kind === 'literal' && e.value === null && e.type.kind === 'null';

/** Type name for error messages: `unknown` for untyped literals. */
export function exprTypeName(e: Expr): string {
  return isUnknownLiteral(e) ? 'unknown' : typeName(e.type);
}

/** Re-throws an EngineError raised without a position with `position`. */
export function withPosition<T>(position: number, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof EngineError && err.position === undefined) throw new EngineError(err.code, err.message, position);
    throw err;
  }
}

/** Types PostgreSQL considers in one category for implicit conversion. */
function category(t: DataType): string {
  switch (t.kind) {
    case 'int32':
    case 'int64':
    case 'float64':
    case 'decimal':
      return 'numeric';
    case 'date':
    case 'timestamp':
      return 'datetime';
    default:
      return t.kind;
  }
}

const intDigits = (t: DataType): number =>
  t.kind === 'int32' ? 10 : t.kind === 'int64' ? 19 : t.kind === 'decimal' ? t.precision - t.scale : 0;

/**
 * The common type of a set of expressions (PostgreSQL's select_common_type): unknown literals
 * and NULLs take the others' type; all-unknown → text; within numerics the widest wins
 * (int4 < int8 < numeric < float8); date < timestamp. Different categories → error.
 */
export function commonType(
  exprs: readonly Expr[],
  context: string,
  position: number,
  /** Source position of an expression (PostgreSQL points at the one that does not match). */
  positionOf?: (e: Expr) => number | undefined,
): DataType {
  let result: DataType | null = null;
  let sawUnknown = false;
  for (const e of exprs) {
    if (isUnknownLiteral(e)) { sawUnknown = true; continue; }
    const t = e.type;
    if (t.kind === 'null') continue;
    if (result === null) { result = t; continue; }
    if (typesEqual(result, t)) continue;
    if (category(result) !== category(t)) {
      const at = positionOf?.(e);
      throw new EngineError('datatype_mismatch', `${context} types ${typeName(result)} and ${typeName(t)} cannot be matched`, at !== undefined && at >= 0 ? at : position);
    }
    result = widen(result, t);
  }
  if (result === null) return sawUnknown ? UTF8 : NULL;
  return result;
}

function widen(a: DataType, b: DataType): DataType {
  if (category(a) === 'datetime') return a.kind === 'timestamp' || b.kind === 'timestamp' ? TIMESTAMP : DATE;
  if (a.kind === 'float64' || b.kind === 'float64') return FLOAT64;
  if (a.kind === 'decimal' || b.kind === 'decimal') {
    const scale = Math.max(a.kind === 'decimal' ? a.scale : 0, b.kind === 'decimal' ? b.scale : 0);
    const digits = Math.max(intDigits(a), intDigits(b));
    return decimal(Math.max(Math.min(digits + scale, 38), scale, 1), scale);
  }
  if (a.kind === 'int64' || b.kind === 'int64') return INT64;
  return INT32;
}

/** Explicit casts the engine supports (PostgreSQL allows these with CAST). */
export function canCast(from: DataType, to: DataType): boolean {
  if (from.kind === 'null' || typesEqual(from, to)) return true;
  if (from.kind === 'utf8' || to.kind === 'utf8') return true;
  if (isNumeric(from) && isNumeric(to)) return true;
  if ((from.kind === 'date' || from.kind === 'timestamp') && (to.kind === 'date' || to.kind === 'timestamp')) return true;
  if ((from.kind === 'bool' && to.kind === 'int32') || (from.kind === 'int32' && to.kind === 'bool')) return true;
  return false;
}

/**
 * Folds a cast of a literal when it is lossless and trivially computed (widening numerics,
 * NULL, date → timestamp); otherwise returns null and the caller emits a CastExpr.
 */
function foldLiteralCast(e: LiteralExpr, to: DataType): LiteralExpr | null {
  if (e.value === null) return lit(null, to);
  const v = e.value;
  if (typeof v !== 'number') return null;
  const from = e.type;
  switch (to.kind) {
    case 'int64':
      return from.kind === 'int32' ? lit(v, to) : null;
    case 'float64':
      if (from.kind === 'int32' || from.kind === 'int64') return lit(v, to);
      if (from.kind === 'decimal') return lit(v / 10 ** from.scale, to);
      return null;
    case 'decimal':
      if (from.kind === 'int32' || from.kind === 'int64' || from.kind === 'decimal') {
        try {
          return lit(numericToDecimal({ value: v, type: from }, to).value, to);
        } catch {
          return null; // overflow: leave it to the runtime cast, which raises the error
        }
      }
      return null;
    case 'timestamp':
      return from.kind === 'date' ? lit(v * 86_400_000_000, to) : null;
    default:
      return null;
  }
}

/**
 * Implicit coercion of `e` to `to` (types already agreed by resolution rules): unknown literals
 * are parsed now, NULL literals retyped, simple literal widenings folded, else a CastExpr.
 */
export function coerceTo(e: Expr, to: DataType, position: number): Expr {
  if (isUnknownLiteral(e)) {
    if (to.kind === 'utf8' || to.kind === 'null') return e;
    const tv = withPosition(position, () => textToValue(String((e as LiteralExpr).value), to, false));
    const l = lit(tv.value, tv.type);
    return typesEqual(tv.type, to) ? l : coerceTo(l, to, position);
  }
  if (typesEqual(e.type, to)) return e;
  if (e.kind === 'literal') {
    const folded = foldLiteralCast(e, to);
    if (folded) return folded;
  }
  return { kind: 'cast', expr: e, type: to };
}

/** Explicit CAST(e AS to). `varcharLength` truncates string literals as `::varchar(n)` does. */
export function explicitCast(e: Expr, to: DataType, position: number, varcharLength?: number): Expr {
  if (isUnknownLiteral(e)) {
    let text = String((e as LiteralExpr).value);
    if (to.kind === 'utf8') {
      if (varcharLength !== undefined) text = text.slice(0, varcharLength);
      return lit(text, UTF8);
    }
    const tv = withPosition(position, () => textToValue(text, to, true));
    return typesEqual(tv.type, to) ? lit(tv.value, tv.type) : explicitCast(lit(tv.value, tv.type), to, position);
  }
  if (typesEqual(e.type, to)) return e;
  if (!canCast(e.type, to)) {
    throw new EngineError('datatype_mismatch', `cannot cast type ${typeName(e.type)} to ${typeName(to)}`, position);
  }
  if (e.kind === 'literal') {
    if (e.value === null) return lit(null, to);
    if (to.kind === 'decimal' && typeof e.value === 'number' && (e.type.kind === 'int32' || e.type.kind === 'int64' || e.type.kind === 'decimal')) {
      return lit(withPosition(position, () => numericToDecimal({ value: e.value, type: e.type }, to)).value, to);
    }
    const folded = foldLiteralCast(e, to);
    if (folded) return folded;
  }
  return { kind: 'cast', expr: e, type: to };
}

/** Coerces a condition (WHERE, AND arguments, CASE WHEN …) to boolean, as PostgreSQL's coerce_to_boolean. */
export function coerceToBool(e: Expr, context: string, position: number): Expr {
  if (isUnknownLiteral(e) || isNullLiteral(e)) return coerceTo(e, BOOL, position);
  if (e.type.kind !== 'bool') {
    throw new EngineError('datatype_mismatch', `argument of ${context} must be type boolean, not type ${typeName(e.type)}`, position);
  }
  return e;
}

/** Unscaled value of a decimal literal at another scale (exported for tests / callers). */
export { rescaleUnscaled };

export interface ResolvedTypeName {
  readonly type: DataType;
  /** varchar(n) / char(n) length (string literals are cut to it). */
  readonly length?: number;
  /** varchar(n): explicit casts of non-literals truncate to n characters. */
  readonly truncate?: number;
}

function typmodInts(mods: readonly PgNode[] | undefined, position: number): number[] {
  return (mods ?? []).map((m) => {
    const c = unwrap<AConst>(m, 'A_Const');
    if (!c || !c.ival) throw new EngineError('syntax_error', 'type modifiers must be simple constants or identifiers', position);
    return c.ival.ival ?? 0;
  });
}

/** SQL type name (as the parser gives it: `pg_catalog.int4`, `numeric(10,2)`, …) → engine type. */
export function resolveTypeName(tn: TypeName, position: number): ResolvedTypeName {
  const names = nameList(tn.names);
  const name = (names[names.length - 1] ?? '').toLowerCase();
  const display = names.length > 1 && names[0] === 'pg_catalog' ? name : names.join('.');
  if (tn.arrayBounds && tn.arrayBounds.length > 0) {
    throw new EngineError('feature_not_supported', `array type ${display}[] is not supported`, position);
  }
  const mods = typmodInts(tn.typmods, position);
  switch (name) {
    case 'int4': case 'int': case 'integer': case 'int2': case 'smallint':
      return { type: INT32 };
    case 'int8': case 'bigint':
      return { type: INT64 };
    case 'float8': case 'float4': case 'real': case 'float': case 'double precision':
      return { type: FLOAT64 };
    case 'numeric': case 'decimal': {
      if (mods.length === 0) return { type: decimal(38, -1) };
      const p = mods[0];
      const s = mods[1] ?? 0;
      if (p < 1 || p > 1000) throw new EngineError('syntax_error', `NUMERIC precision ${p} must be between 1 and 1000`, position);
      if (s < 0 || s > p) throw new EngineError('syntax_error', `NUMERIC scale ${s} must be between 0 and precision ${p}`, position);
      return { type: decimal(p, s) };
    }
    case 'varchar': case 'character varying':
      return mods.length > 0 ? { type: UTF8, length: mods[0], truncate: mods[0] } : { type: UTF8 };
    case 'text': case 'bpchar': case 'char': case 'character': case 'name':
      return mods.length > 0 ? { type: UTF8, length: mods[0] } : { type: UTF8 };
    case 'bool': case 'boolean':
      return { type: BOOL };
    case 'date':
      return { type: DATE };
    case 'timestamp': case 'timestamptz':
      return { type: TIMESTAMP };
    case 'interval': case 'time': case 'timetz': case 'json': case 'jsonb': case 'bytea': case 'uuid':
      throw new EngineError('feature_not_supported', `type ${name} is not supported`, position);
    default:
      throw new EngineError('feature_not_supported', `type "${display}" does not exist`, position);
  }
}

/**
 * `numeric` without a type modifier: PostgreSQL's unconstrained numeric. The engine needs a
 * scale, so it keeps the input's: integers → scale 0, numeric(p,s) unchanged, float → scale 6
 * (documented deviation), text literals → their own scale.
 */
export function unconstrainedNumericFor(from: Expr): DataType {
  const t = from.type;
  if (isUnknownLiteral(from)) {
    const tv = textToValue(String((from as LiteralExpr).value), decimal(38, 0), false);
    return tv.type;
  }
  switch (t.kind) {
    case 'int32': return decimal(10, 0);
    case 'int64': return decimal(19, 0);
    case 'decimal': return t;
    case 'bool': return decimal(1, 0);
    default: return decimal(38, 6);
  }
}

export const isUnconstrainedNumeric = (t: DataType): boolean => t.kind === 'decimal' && t.scale === -1;

/** The text of an unknown-typed literal (null for anything else). */
export function unknownText(e: Expr): string | null {
  return isUnknownLiteral(e) && e.kind === 'literal' ? String(e.value) : null;
}
