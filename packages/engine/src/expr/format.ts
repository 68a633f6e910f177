import type { DataType } from '../types/data-type.js';
import type { Column } from '../types/column.js';
import { formatDate, formatTimestamp } from './temporal.js';

/**
 * PostgreSQL text output of a storage-domain value (as psql shows it): bool 't'/'f' (a cast to
 * text gives 'true'/'false', see castBoolText), decimals with exactly `scale` digits, float8
 * shortest round-trip in PostgreSQL 12+ style ('1e+20', 'NaN', 'Infinity', '-0'), dates
 * 'YYYY-MM-DD', timestamps 'YYYY-MM-DD HH:MM:SS[.ffffff]'. Returns null for NULL.
 */
export function formatValue(value: number | string | boolean | null, type: DataType): string | null {
  if (value === null) return null;
  switch (type.kind) {
    case 'null': return null;
    case 'bool': return value === true || value === 1 ? 't' : 'f';
    case 'utf8': return String(value);
    case 'int32': return String(value);
    case 'int64': return formatInteger(Number(value));
    case 'float64': return formatFloat8(Number(value));
    case 'decimal': return formatDecimal(Number(value), type.scale);
    case 'date': return formatDate(Number(value));
    case 'timestamp': return formatTimestamp(Number(value));
  }
}

/** Text of row i of a column (null for NULL). */
export function formatColumnValue(c: Column, i: number): string | null {
  if (c.validity !== null && c.validity[i] === 0) return null;
  if (c.type.kind === 'utf8') return c.dict![c.values[i]];
  return formatValue(c.values[i], c.type);
}

/** Decimal digits of a non-negative integer-valued float (no exponent, shortest digits above 2^53). */
export function integerDigits(x: number): string {
  if (x < 1e21) return String(x); // shortest round-trip digits, zero-filled above 2^53
  const [mant, exp] = x.toExponential().split('e');
  return mant.replace('.', '').padEnd(Number(exp) + 1, '0');
}

export function formatInteger(x: number): string {
  if (x < 0) return '-' + integerDigits(-x);
  return integerDigits(x + 0);
}

/** Unscaled integer with `scale` digits after the point (numeric output). */
export function formatDecimal(unscaled: number, scale: number): string {
  if (!Number.isFinite(unscaled)) return unscaled !== unscaled ? 'NaN' : unscaled > 0 ? 'Infinity' : '-Infinity';
  const neg = unscaled < 0;
  let digits = integerDigits(Math.round(Math.abs(unscaled)));
  if (scale > 0) {
    if (digits.length <= scale) digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }
  return neg && /[1-9]/.test(digits) ? '-' + digits : digits;
}

/** float8 output as PostgreSQL 12+ (shortest round-trip digits; exponent when exp < -4 or ≥ 15). */
export function formatFloat8(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 15) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let s: string;
  if (exp < 0) s = '0.' + '0'.repeat(-exp - 1) + digits;
  else if (digits.length <= exp + 1) s = digits.padEnd(exp + 1, '0');
  else s = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  return neg ? '-' + s : s;
}
