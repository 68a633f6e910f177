/**
 * Text → value conversions done at bind time, as PostgreSQL's type input functions:
 * numeric constants, and unknown-typed string literals that context turns into dates,
 * timestamps, numbers or booleans. Values are in the column storage domain (types/column.ts).
 */
import { EngineError } from '../errors.js';
import { BOOL, DATE, FLOAT64, INT32, INT64, TIMESTAMP, UTF8, decimal, typeName, type DataType } from '../types/data-type.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_LIMIT = 9223372036854775807; // as a double: 2^63

export interface TypedValue {
  readonly value: number | string | boolean | null;
  readonly type: DataType;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

const TS_RE =
  /^\s*(\d{4,})-(\d{1,2})-(\d{1,2})(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(?:Z|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i;

function invalid(type: string, text: string): EngineError {
  return new EngineError('invalid_text_representation', `invalid input syntax for type ${type}: "${text}"`);
}

function outOfRange(text: string): EngineError {
  return new EngineError('invalid_text_representation', `date/time field value out of range: "${text}"`);
}

/** 'YYYY-MM-DD' (a time part is allowed and ignored, as PostgreSQL) → days since epoch. */
export function parseDate(text: string): number {
  const m = TS_RE.exec(text);
  if (!m) throw invalid('date', text);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw outOfRange(text);
  return daysFromCivil(y, mo, d);
}

/** 'YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]' → microseconds since epoch (a zone suffix is ignored, as for PG's timestamp). */
export function parseTimestamp(text: string): number {
  const m = TS_RE.exec(text);
  if (!m) throw invalid('timestamp', text);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const hh = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const ss = m[6] === undefined ? 0 : Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || hh > 24 || mi > 59 || ss > 60) throw outOfRange(text);
  if (hh === 24 && (mi !== 0 || ss !== 0)) throw outOfRange(text);
  let micros = 0;
  if (m[7] !== undefined) {
    const frac = m[7];
    micros = Math.round(Number(`0.${frac}`) * 1e6);
  }
  const days = daysFromCivil(y, mo, d);
  return days * 86_400_000_000 + ((hh * 60 + mi) * 60 + ss) * 1_000_000 + micros;
}

/** Today's date in the local time zone, as days since epoch (CURRENT_DATE). */
export function currentDateDays(now: Date = new Date()): number {
  return daysFromCivil(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

/** Current local time as a timestamp (LOCALTIMESTAMP / CURRENT_TIMESTAMP, zone dropped). */
export function currentTimestampMicros(now: Date = new Date()): number {
  const days = daysFromCivil(now.getFullYear(), now.getMonth() + 1, now.getDate());
  const ms = ((now.getHours() * 60 + now.getMinutes()) * 60 + now.getSeconds()) * 1000 + now.getMilliseconds();
  return days * 86_400_000_000 + ms * 1000;
}

const NUMERIC_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * A numeric constant's natural type, as PostgreSQL types constants: integers → int4 when they
 * fit, else int8, else numeric; anything with a point or exponent → numeric(p,s) with the
 * literal's own scale. Values beyond exact float64 storage fall back to float64 (documented deviation).
 */
export function parseNumericConstant(text: string): TypedValue | null {
  const t = text.trim();
  const m = NUMERIC_RE.exec(t);
  if (!m) return null;
  const neg = m[1] === '-';
  const intPart = m[2] ?? '';
  const fracPart = m[3];
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (intPart === '' && (fracPart === undefined || fracPart === '')) return null;
  if (fracPart === undefined && m[4] === undefined) {
    const v = Number(t);
    if (v >= INT32_MIN && v <= INT32_MAX) return { value: v === 0 ? 0 : v, type: INT32 };
    if (Math.abs(v) < INT64_LIMIT || (neg && v === -INT64_LIMIT)) return { value: v, type: INT64 };
    const digits = intPart.replace(/^0+/, '');
    return { value: v, type: decimal(Math.max(digits.length, 1), 0) };
  }
  // numeric: digits × 10^(exp - frac.length)
  let digits = intPart + (fracPart ?? '');
  let scale = (fracPart ?? '').length - exp;
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  const stripped = digits.replace(/^0+/, '');
  const intDigits = Math.max(stripped.length - scale, 0);
  const precision = Math.max(intDigits + scale, 1);
  const unscaled = stripped === '' ? 0 : Number(stripped);
  if (!Number.isSafeInteger(unscaled) || precision > 1000) {
    return { value: Number(t), type: FLOAT64 };
  }
  return { value: neg && unscaled !== 0 ? -unscaled : unscaled, type: decimal(Math.max(precision, scale), scale) };
}

function parseIntegerText(text: string, type: DataType): number {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw invalid(typeName(type), text);
  const v = Number(t);
  const ok = type.kind === 'int32' ? v >= INT32_MIN && v <= INT32_MAX : Math.abs(v) < INT64_LIMIT || v === -INT64_LIMIT;
  if (!ok) throw new EngineError('numeric_value_out_of_range', `value "${text}" is out of range for type ${typeName(type)}`);
  return v === 0 ? 0 : v;
}

function parseFloatText(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'nan') return NaN;
  if (t === 'infinity' || t === '+infinity' || t === 'inf' || t === '+inf') return Infinity;
  if (t === '-infinity' || t === '-inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) throw invalid('double precision', text);
  return Number(t);
}

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

export function parseBool(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t.length > 0) {
    if (t === 'on' || t === '1' || t === 't' || t === 'y') return true;
    if (t === 'of' || t === 'o') throw invalid('boolean', text);
    if (t === 'off' || t === '0' || t === 'f' || t === 'n') return false;
    if (TRUE_WORDS.some((w) => w.startsWith(t))) return true;
    if (FALSE_WORDS.some((w) => w.startsWith(t))) return false;
  }
  throw invalid('boolean', text);
}

/** Rounds an unscaled decimal from scale `from` to scale `to`, half away from zero (numeric rounding). */
export function rescaleUnscaled(v: number, from: number, to: number): number {
  if (to >= from) return v * 10 ** (to - from);
  const div = 10 ** (from - to);
  const q = Math.abs(v) / div;
  const r = Math.floor(q + 0.5);
  return v < 0 ? -r : r;
}

/**
 * Converts the text of an unknown-typed literal to `target`, as PostgreSQL's input function of
 * that type would. For decimal targets the literal keeps its own scale unless `exactType`
 * (an explicit cast to numeric(p,s) rounds to s and checks the precision).
 */
export function textToValue(text: string, target: DataType, exactType: boolean): TypedValue {
  switch (target.kind) {
    case 'utf8':
    case 'null':
      return { value: text, type: UTF8 };
    case 'bool':
      return { value: parseBool(text), type: BOOL };
    case 'int32':
    case 'int64':
      return { value: parseIntegerText(text, target), type: target };
    case 'float64':
      return { value: parseFloatText(text), type: FLOAT64 };
    case 'date':
      return { value: parseDate(text), type: DATE };
    case 'timestamp':
      return { value: parseTimestamp(text), type: TIMESTAMP };
    case 'decimal': {
      const t = text.trim();
      const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? parseNumericConstant(t) : null;
      if (n === null) throw invalid('numeric', text);
      let tv: TypedValue = n;
      if (n.type.kind === 'int32' || n.type.kind === 'int64') {
        tv = { value: n.value, type: decimal(Math.max(String(Math.abs(Number(n.value))).length, 1), 0) };
      }
      if (!exactType) return tv;
      return numericToDecimal(tv, target);
    }
  }
}

/** Converts a numeric literal value to decimal(p,s) at bind time (rounding), or throws PG's overflow error. */
export function numericToDecimal(tv: TypedValue, target: DataType & { kind: 'decimal' }): TypedValue {
  const v = Number(tv.value);
  let unscaled: number;
  switch (tv.type.kind) {
    case 'decimal': unscaled = rescaleUnscaled(v, tv.type.scale, target.scale); break;
    case 'float64': unscaled = Math.round(v * 10 ** target.scale); break;
    default: unscaled = v * 10 ** target.scale;
  }
  if (Math.abs(unscaled) >= 10 ** target.precision) {
    throw new EngineError('numeric_value_out_of_range', 'numeric field overflow');
  }
  return { value: unscaled === 0 ? 0 : unscaled, type: target };
}
