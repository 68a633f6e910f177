/**
 * PostgreSQL text output of engine values (what psql / COPY TO show).
 *   integers        '42', '-7'
 *   numeric(p,s)    exactly s digits after the point: '12.50', '-0.05', '0.00'
 *   float8          PG 12+ shortest round-trip digits; exponent form when exp < -4 or ≥ 15:
 *                   '0.1', '1e+20', '1.5e-05', '-0', 'NaN', 'Infinity', '-Infinity'
 *   bool            't' / 'f'
 *   date            'YYYY-MM-DD' (year zero-padded to 4 digits, 'YYYY-MM-DD BC' for years ≤ 0)
 *   timestamp       'YYYY-MM-DD HH:MM:SS[.ffffff]' (fraction trimmed of trailing zeros)
 *   utf8            the string;  NULL → null
 */
import type { Batch } from '../types/batch.js';
import type { Column } from '../types/column.js';

/** Digits of a non-negative integer-valued float (no exponent even above 1e21). */
function integerDigits(x: number): string {
  if (x < 1e21) return String(x);
  const [mant, exp] = x.toExponential().split('e');
  return mant.replace('.', '').padEnd(Number(exp) + 1, '0');
}

export function formatInt64(x: number): string {
  if (x < 1e21 && x > -1e21) return String(x + 0); // + 0 turns -0 into 0
  return x < 0 ? '-' + integerDigits(-x) : integerDigits(x);
}

const ZEROS = '000000000000000000000000000000000000000';

/** numeric output of an unscaled integer with `scale` digits after the point. */
export function formatDecimal(unscaled: number, scale: number): string {
  if (unscaled !== unscaled) return 'NaN';
  if (unscaled === Infinity) return 'Infinity';
  if (unscaled === -Infinity) return '-Infinity';
  const neg = unscaled < 0;
  let digits = integerDigits(Math.round(neg ? -unscaled : unscaled));
  if (scale > 0) {
    if (digits.length <= scale) digits = (scale + 1 - digits.length <= ZEROS.length ? ZEROS.slice(0, scale + 1 - digits.length) : '0'.repeat(scale + 1 - digits.length)) + digits;
    const cut = digits.length - scale;
    digits = digits.slice(0, cut) + '.' + digits.slice(cut);
  }
  return neg && unscaled <= -0.5 ? '-' + digits : digits;
}

/** float8 output as PostgreSQL ≥ 12 (extra_float_digits = 1: shortest exact round-trip). */
export function formatFloat8(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return 1 / x < 0 ? '-0' : '0';
  const ax = x < 0 ? -x : x;
  if (ax >= 1e-4 && ax < 1e15) {
    // JS's shortest representation is positional in this range, exactly PG's output
    return String(x);
  }
  const s = x.toExponential(); // shortest digits, e.g. '1.5e-5', '1e+20'
  const e = s.indexOf('e');
  const expSign = s[e + 1];
  const expDigits = s.slice(e + 2);
  return s.slice(0, e) + 'e' + expSign + (expDigits.length < 2 ? '0' + expDigits : expDigits);
}

const US_PER_DAY = 86_400_000_000;

function pad2(n: number): string {
  return n < 10 ? '0' + n : '' + n;
}

/** [year, month, day] of days since 1970-01-01 (proleptic Gregorian, Hinnant's algorithm). */
const ymd = new Int32Array(3);
function civil(z: number): void {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  ymd[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  ymd[1] = m;
  ymd[2] = d;
}

function datePart(days: number): string {
  civil(days);
  let y = ymd[0];
  if (y <= 0) y = 1 - y; // 0 → 1 BC
  const ys = y >= 1000 ? '' + y : y >= 100 ? '0' + y : y >= 10 ? '00' + y : '000' + y;
  return ys + '-' + pad2(ymd[1]) + '-' + pad2(ymd[2]);
}

export function formatDate(days: number): string {
  if (days === 2147483647) return 'infinity';
  if (days === -2147483648) return '-infinity';
  const s = datePart(days);
  return ymd[0] <= 0 ? s + ' BC' : s;
}

export function formatTimestamp(us: number): string {
  if (us === Infinity) return 'infinity';
  if (us === -Infinity) return '-infinity';
  const days = Math.floor(us / US_PER_DAY);
  let rem = us - days * US_PER_DAY;
  const date = datePart(days);
  const bc = ymd[0] <= 0;
  const secs = Math.floor(rem / 1_000_000);
  rem -= secs * 1_000_000;
  const h = Math.floor(secs / 3600);
  const mi = Math.floor((secs - h * 3600) / 60);
  const s = secs - h * 3600 - mi * 60;
  let out = date + ' ' + pad2(h) + ':' + pad2(mi) + ':' + pad2(s);
  if (rem > 0) {
    let f = '' + Math.round(rem);
    f = ZEROS.slice(0, 6 - f.length) + f;
    let end = 6;
    while (f.charCodeAt(end - 1) === 48) end--;
    out += '.' + f.slice(0, end);
  }
  return bc ? out + ' BC' : out;
}

/** Text of row i of a column as PostgreSQL prints it; null for NULL. */
export function formatCell(col: Column, i: number): string | null {
  if (col.validity !== null && col.validity[i] === 0) return null;
  const t = col.type;
  switch (t.kind) {
    case 'utf8': return col.dict![col.values[i]];
    case 'int32': return '' + col.values[i];
    case 'int64': return formatInt64(col.values[i]);
    case 'float64': return formatFloat8(col.values[i]);
    case 'decimal': return formatDecimal(col.values[i], t.scale);
    case 'bool': return col.values[i] ? 't' : 'f';
    case 'date': return formatDate(col.values[i]);
    case 'timestamp': return formatTimestamp(col.values[i]);
    case 'null': return null;
  }
}

/** All cells of a column, formatted (dates and dictionary strings once per distinct value). */
export function formatColumn(col: Column): (string | null)[] {
  const n = col.length;
  const out = new Array<string | null>(n);
  const v = col.values;
  const valid = col.validity;
  const k = col.type.kind;
  if (k === 'utf8') {
    const dict = col.dict!;
    for (let i = 0; i < n; i++) out[i] = valid !== null && valid[i] === 0 ? null : dict[v[i]];
    return out;
  }
  if (k === 'date') {
    const cache = new Map<number, string>();
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) {
        out[i] = null;
        continue;
      }
      let s = cache.get(v[i]);
      if (s === undefined) {
        s = formatDate(v[i]);
        cache.set(v[i], s);
      }
      out[i] = s;
    }
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = formatCell(col, i);
  return out;
}

/** Rows of a batch as PostgreSQL text (NULL → null). */
export function formatBatchRows(batch: Batch): (string | null)[][] {
  const n = batch.numRows;
  const cols = batch.columns.map(formatColumn);
  const rows = new Array<(string | null)[]>(n);
  const w = cols.length;
  for (let i = 0; i < n; i++) {
    const r = new Array<string | null>(w);
    for (let j = 0; j < w; j++) r[j] = cols[j][i];
    rows[i] = r;
  }
  return rows;
}
