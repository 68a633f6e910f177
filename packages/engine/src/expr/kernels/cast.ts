import { EngineError } from '../../errors.js';
import { allocValues, makeColumn, nullColumn, valueAt, type Column } from '../../types/column.js';
import { typeName, typesEqual, type DataType } from '../../types/data-type.js';
import type { PhysicalExpr } from '../physical-expr.js';
import { formatDecimal, formatFloat8, formatInteger, formatValue } from '../format.js';
import { parseDateText, parseTimestampText, US_PER_DAY } from '../temporal.js';
import { ConstantExpr, POW10, retype, type Scalar } from '../util.js';
import { genLoop } from './gen.js';
import { FnExpr } from './kernel.js';

/*
 * CAST between all types, as PostgreSQL:
 *   numeric → int rounds half away from zero; float8 → int rounds half to even (rint);
 *   range errors "integer out of range" / "bigint out of range"; decimal(p,s) targets round
 *   half away from zero and raise "numeric field overflow" when the precision is exceeded;
 *   float8 → numeric goes through 15 significant digits (DBL_DIG) as PostgreSQL does;
 *   text → X parses once per *used* dictionary entry, with PostgreSQL's error messages;
 *   X → text uses PostgreSQL's output format (bool → 'true'/'false').
 */

const OVF_NUMERIC = "fail('numeric_value_out_of_range', 'numeric field overflow')";
const OVF_INT = "fail('numeric_value_out_of_range', 'integer out of range')";
const OVF_BIGINT = "fail('numeric_value_out_of_range', 'bigint out of range')";

const RINT = 'let r = Math.round(a); if (r - a === 0.5 && r % 2 !== 0) r -= 1;';
// round half away from zero of a / k1 (k1 = 10^d), exact for |a| < 2^53
const DIV_ROUND = `let q = Math.trunc(a / k1); let rem = a - q * k1;
  if (rem !== 0 && ((rem < 0) !== (a < 0))) { q += a < 0 ? 1 : -1; rem = a - q * k1; }
  if (rem >= k1 || rem <= -k1) { q += a < 0 ? -1 : 1; rem = a - q * k1; }
  if (2 * Math.abs(rem) >= k1) q += a < 0 ? -1 : 1;
  const r = q + 0;`;

/** Loop body converting numeric storage `a` to `to`; k1/k2 are scale/precision factors. */
function numericBody(from: DataType, to: DataType): { body: string; k1: number; k2: number } | null {
  const f = from.kind;
  const t = to.kind;
  const fs = from.kind === 'decimal' ? from.scale : 0;
  switch (t) {
    case 'int32':
      if (f === 'int64') return { body: `if (a > 2147483647 || a < -2147483648) ${OVF_INT}; out[i] = a;`, k1: 1, k2: 1 };
      if (f === 'bool') return { body: 'out[i] = a;', k1: 1, k2: 1 };
      if (f === 'float64') return { body: `${RINT} if (!(r <= 2147483647 && r >= -2147483648)) ${OVF_INT}; out[i] = r;`, k1: 1, k2: 1 };
      if (f === 'decimal') return { body: `${DIV_ROUND} if (r > 2147483647 || r < -2147483648) ${OVF_INT}; out[i] = r;`, k1: POW10[fs], k2: 1 };
      return null;
    case 'int64':
      if (f === 'int32' || f === 'bool') return { body: 'out[i] = a;', k1: 1, k2: 1 };
      if (f === 'float64') return { body: `${RINT} if (!(r < 9223372036854775808 && r >= -9223372036854775808)) ${OVF_BIGINT}; out[i] = r + 0;`, k1: 1, k2: 1 };
      if (f === 'decimal') return { body: `${DIV_ROUND} if (r >= 9223372036854775808 || r < -9223372036854775808) ${OVF_BIGINT}; out[i] = r;`, k1: POW10[fs], k2: 1 };
      return null;
    case 'float64':
      if (f === 'int32' || f === 'int64') return { body: 'out[i] = a;', k1: 1, k2: 1 };
      if (f === 'decimal') return { body: 'out[i] = a / k1;', k1: POW10[fs], k2: 1 };
      return null;
    case 'decimal': {
      const ts = to.scale;
      const limit = POW10[to.precision];
      if (f === 'int32' || f === 'int64') {
        return { body: `const r = a * k1; if (r >= k2 || r <= -k2) ${OVF_NUMERIC}; out[i] = r;`, k1: POW10[ts], k2: limit };
      }
      if (f === 'decimal') {
        if (ts >= fs) return { body: `const r = a * k1; if (r >= k2 || r <= -k2) ${OVF_NUMERIC}; out[i] = r + 0;`, k1: POW10[ts - fs], k2: limit };
        return { body: `${DIV_ROUND} if (r >= k2 || r <= -k2) ${OVF_NUMERIC}; out[i] = r;`, k1: POW10[fs - ts], k2: limit };
      }
      return null;
    }
    case 'bool':
      if (f === 'int32' || f === 'int64') return { body: 'out[i] = a !== 0 ? 1 : 0;', k1: 1, k2: 1 };
      return null;
    case 'timestamp':
      if (f === 'date') return { body: 'out[i] = a * k1;', k1: US_PER_DAY, k2: 1 };
      return null;
    case 'date':
      if (f === 'timestamp') return { body: 'out[i] = Math.floor(a / k1);', k1: US_PER_DAY, k2: 1 };
      return null;
  }
  return null;
}

function unsupported(from: DataType, to: DataType): EngineError {
  return new EngineError('datatype_mismatch', `cannot cast type ${typeName(from)} to ${typeName(to)}`);
}

/** Whether CAST(from AS to) exists (for the binder). */
export function canCast(from: DataType, to: DataType): boolean {
  if (from.kind === to.kind || from.kind === 'null' || to.kind === 'utf8' || from.kind === 'utf8') return true;
  if (to.kind === 'float64' && from.kind === 'decimal') return true;
  return numericBody(from, to) !== null || (from.kind === 'float64' && to.kind === 'decimal');
}

/** Casts a column to `to`. */
export function castColumn(c: Column, to: DataType): Column {
  const from = c.type;
  if (typesEqual(from, to)) return c;
  if (from.kind === 'null') return nullColumn(to, c.length);
  if (to.kind === 'utf8') return castToText(c, to);
  if (from.kind === 'utf8') return castFromText(c, to);
  if (from.kind === to.kind && from.kind !== 'decimal') return retype(c, to);
  if (from.kind === 'float64' && to.kind === 'decimal') return floatToDecimal(c, to);
  const spec = numericBody(from, to);
  if (spec === null) throw unsupported(from, to);
  const n = c.length;
  const out = allocValues(to, n);
  if (c.validity === null) genLoop(spec.body, 'c', false)(c.values, 0, out, n, null, spec.k1, spec.k2);
  else genLoop(spec.body, 'c', true)(c.values, 0, out, n, c.validity, spec.k1, spec.k2);
  return makeColumn(to, out, c.validity);
}

function floatToDecimal(c: Column, to: DataType & { kind: 'decimal' }): Column {
  const n = c.length;
  const out = new Float64Array(n);
  const v = c.values;
  const valid = c.validity;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const x = v[i];
    if (!Number.isFinite(x)) {
      throw new EngineError('numeric_value_out_of_range', x !== x ? 'cannot convert NaN to numeric' : 'cannot convert infinity to numeric');
    }
    out[i] = parseNumericText(x.toPrecision(15), to.scale, to.precision, x);
  }
  return makeColumn(to, out, valid);
}

/** Formatting of value → text, deduplicated through a Map so repeated values share an entry. */
function castToText(c: Column, to: DataType): Column {
  const from = c.type;
  const n = c.length;
  if (from.kind === 'bool') {
    const codes = new Int32Array(n);
    const v = c.values;
    for (let i = 0; i < n; i++) codes[i] = v[i];
    return makeColumn(to, codes, c.validity, ['false', 'true']);
  }
  const fmt: (x: number) => string =
    from.kind === 'float64' ? formatFloat8
      : from.kind === 'decimal' ? ((s) => (x: number) => formatDecimal(x, s))(from.scale)
        : from.kind === 'int32' ? String
          : from.kind === 'int64' ? formatInteger
            : (x: number) => formatValue(x, from) ?? '';
  const codes = new Int32Array(n);
  const dict: string[] = [];
  const seen = new Map<number, number>();
  const v = c.values;
  const valid = c.validity;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const x = v[i];
    let k = seen.get(x);
    if (k === undefined || (x === 0 && from.kind === 'float64')) {
      if (x === 0 && from.kind === 'float64') {
        // Map keys merge -0 and 0; keep them apart for float8 ('-0')
        const s = fmt(x);
        k = dict.indexOf(s);
        if (k < 0) { k = dict.length; dict.push(s); }
      } else {
        k = dict.length;
        dict.push(fmt(x));
        seen.set(x, k);
      }
    }
    codes[i] = k;
  }
  return makeColumn(to, codes, valid, dict);
}

/** Parses each dictionary entry used by a non-NULL row (unused entries never raise). */
function castFromText(c: Column, to: DataType): Column {
  const dict = c.dict!;
  const codes = c.values as Int32Array;
  const n = c.length;
  const valid = c.validity;
  const used = new Uint8Array(dict.length);
  if (valid === null) for (let i = 0; i < n; i++) used[codes[i]] = 1;
  else for (let i = 0; i < n; i++) if (valid[i] !== 0) used[codes[i]] = 1;
  const parse = textParser(to);
  const per = allocValues(to, dict.length);
  for (let k = 0; k < dict.length; k++) if (used[k] === 1) per[k] = parse(dict[k]);
  const out = allocValues(to, n);
  if (valid === null) for (let i = 0; i < n; i++) out[i] = per[codes[i]];
  else for (let i = 0; i < n; i++) if (valid[i] !== 0) out[i] = per[codes[i]];
  return makeColumn(to, out, valid);
}

function badInput(type: string, s: string): EngineError {
  return new EngineError('invalid_text_representation', `invalid input syntax for type ${type}: "${s}"`);
}

const INT_RE = /^\s*[+-]?\d+\s*$/;
const FLOAT_RE = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const NUMERIC_RE = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

export function parseIntText(s: string, type: 'integer' | 'bigint'): number {
  if (!INT_RE.test(s)) throw badInput(type, s);
  const x = Number(s.trim());
  const ok = type === 'integer' ? x <= 2147483647 && x >= -2147483648 : x < 9223372036854775808 && x >= -9223372036854775808;
  if (!ok) throw new EngineError('numeric_value_out_of_range', `value "${s}" is out of range for type ${type}`);
  return x + 0;
}

export function parseFloatText(s: string): number {
  const t = s.trim().toLowerCase();
  switch (t) {
    case 'nan': case '+nan': case '-nan': return NaN;
    case 'infinity': case '+infinity': case 'inf': case '+inf': return Infinity;
    case '-infinity': case '-inf': return -Infinity;
  }
  if (!FLOAT_RE.test(s)) throw badInput('double precision', s);
  const x = Number(t);
  if (!Number.isFinite(x) || (x === 0 && /[1-9]/.test(t.split('e')[0]))) {
    throw new EngineError('numeric_value_out_of_range', `"${s}" is out of range for type double precision`);
  }
  return x;
}

/**
 * Exact numeric text → unscaled integer at `scale`, rounded half away from zero; raises
 * "numeric field overflow" beyond `precision` digits. `orig` is used in the error message.
 */
export function parseNumericText(s: string, scale: number, precision: number, orig: string | number = s): number {
  const m = NUMERIC_RE.exec(s);
  if (m === null || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) {
    const t = s.trim().toLowerCase();
    if (t === 'nan' || t === 'infinity' || t === '-infinity' || t === 'inf' || t === '-inf') {
      throw new EngineError('feature_not_supported', `numeric value "${s.trim()}" is not supported (decimal columns hold finite values only)`);
    }
    throw badInput('numeric', String(orig));
  }
  const neg = m[1] === '-';
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  const exp = m[4] ? Number(m[4]) : 0;
  let digits = (intPart + frac).replace(/^0+/, '');
  // value = digits × 10^(exp − frac.length); unscaled = digits × 10^(exp − frac.length + scale)
  const shift = exp - frac.length + scale;
  let big: bigint;
  if (digits === '') big = 0n;
  else if (shift >= 0) big = BigInt(digits + '0'.repeat(shift));
  else {
    const keep = digits.length + shift;
    if (keep < 0) big = 0n;
    else {
      const head = digits.slice(0, keep);
      const next = digits.charCodeAt(keep) - 48;
      big = BigInt(head === '' ? '0' : head) + (next >= 5 ? 1n : 0n);
    }
  }
  digits = big.toString();
  if (big !== 0n && digits.length > precision) {
    throw new EngineError('numeric_value_out_of_range', 'numeric field overflow');
  }
  const x = Number(big);
  return neg ? -x + 0 : x;
}

const BOOL_TRUE = ['true', 'yes', 'on', '1'];
const BOOL_FALSE = ['false', 'no', 'off', '0'];

/** PostgreSQL boolin: t/true/y/yes/on/1 and f/false/n/no/off/0, unique prefixes, case-insensitive. */
export function parseBoolText(s: string): number {
  const t = s.trim().toLowerCase();
  if (t.length > 0) {
    if (t === 'o') throw badInput('boolean', s); // ambiguous: on/off
    if (BOOL_TRUE.some((w) => w.startsWith(t)) && (t.length > 1 || t === 't' || t === 'y' || t === '1')) return 1;
    if (BOOL_FALSE.some((w) => w.startsWith(t)) && (t.length > 1 || t === 'f' || t === 'n' || t === '0')) return 0;
  }
  throw badInput('boolean', s);
}

function textParser(to: DataType): (s: string) => number {
  switch (to.kind) {
    case 'int32': return (s) => parseIntText(s, 'integer');
    case 'int64': return (s) => parseIntText(s, 'bigint');
    case 'float64': return parseFloatText;
    case 'decimal': return (s) => parseNumericText(s, to.scale, to.precision);
    case 'bool': return parseBoolText;
    case 'date': return parseDateText;
    case 'timestamp': return (s) => parseTimestampText(s, 'timestamp');
    default: throw unsupported({ kind: 'utf8' }, to);
  }
}

/** CAST(child AS target). */
export function compileCast(child: PhysicalExpr, target: DataType): PhysicalExpr {
  if (typesEqual(child.type, target)) return child;
  if (child.type.kind === 'null' || (child instanceof ConstantExpr && child.value === null)) return new ConstantExpr(null, target);
  if (!canCast(child.type, target)) throw unsupported(child.type, target);
  return new FnExpr(target, `CAST(${child} AS ${typeName(target)})`, (batch) => castColumn(child.evaluate(batch), target));
}

const ONE_ROW = { schema: [], columns: [], numRows: 1 };

/** compileCast, evaluated once when the input is a constant (errors are left to run time). */
export function castExpr(e: PhysicalExpr, target: DataType): PhysicalExpr {
  const c = compileCast(e, target);
  if (c === e || !(e instanceof ConstantExpr)) return c;
  try {
    return new ConstantExpr(valueAt(c.evaluate(ONE_ROW), 0) as Scalar, target);
  } catch {
    return c;
  }
}
