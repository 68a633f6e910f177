import { EngineError } from '../errors.js';

/** Calendar helpers (proleptic Gregorian, as PostgreSQL). Dates are days since 1970-01-01, timestamps microseconds. */

export const US_PER_SECOND = 1_000_000;
export const US_PER_MINUTE = 60 * US_PER_SECOND;
export const US_PER_HOUR = 60 * US_PER_MINUTE;
export const US_PER_DAY = 24 * US_PER_HOUR;

/** Days since 1970-01-01 of a civil date (month 1..12). Howard Hinnant's algorithm. */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Writes [year, month, day] of a day number into `out` (no allocation on hot paths). */
export function civilFromDays(z: number, out: Int32Array | number[]): void {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = m <= 2 ? y + 1 : y;
  out[1] = m;
  out[2] = d;
}

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export const daysInMonth = (y: number, m: number): number => (m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1]);

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
function padYear(y: number): string {
  if (y <= 0) return `${String(1 - y).padStart(4, '0')}`;
  return String(y).padStart(4, '0');
}

const ymd = [0, 0, 0];

/** PostgreSQL date output (ISO): 'YYYY-MM-DD', ' BC' for years ≤ 0. */
export function formatDate(days: number): string {
  civilFromDays(days, ymd);
  const y = ymd[0];
  return `${padYear(y)}-${pad2(ymd[1])}-${pad2(ymd[2])}${y <= 0 ? ' BC' : ''}`;
}

/** PostgreSQL timestamp output: 'YYYY-MM-DD HH:MM:SS[.ffffff]' (trailing fraction zeros dropped). */
export function formatTimestamp(us: number): string {
  const days = Math.floor(us / US_PER_DAY);
  let rem = us - days * US_PER_DAY;
  civilFromDays(days, ymd);
  const y = ymd[0];
  const h = Math.floor(rem / US_PER_HOUR); rem -= h * US_PER_HOUR;
  const mi = Math.floor(rem / US_PER_MINUTE); rem -= mi * US_PER_MINUTE;
  const s = Math.floor(rem / US_PER_SECOND); rem -= s * US_PER_SECOND;
  let out = `${padYear(y)}-${pad2(ymd[1])}-${pad2(ymd[2])} ${pad2(h)}:${pad2(mi)}:${pad2(s)}`;
  if (rem > 0) out += '.' + String(Math.round(rem)).padStart(6, '0').replace(/0+$/, '');
  return y <= 0 ? out + ' BC' : out;
}

const DATE_RE = /^\s*(\d{1,7})-(\d{1,2})-(\d{1,2})(?:\s+BC)?(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?)?\s*(BC)?\s*$/i;

function badInput(typeName: string, s: string): EngineError {
  return new EngineError('invalid_text_representation', `invalid input syntax for type ${typeName}: "${s}"`);
}

function outOfRange(s: string): EngineError {
  return new EngineError('invalid_parameter_value', `date/time field value out of range: "${s}"`);
}

/** Parses PostgreSQL ISO date/timestamp text to microseconds; `typeName` names the type in errors. */
export function parseTimestampText(s: string, typeName: string): number {
  const m = DATE_RE.exec(s);
  if (m === null) {
    const t = s.trim().toLowerCase();
    if (t === 'epoch') return 0;
    throw badInput(typeName, s);
  }
  let y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (/\bBC\b/i.test(s)) y = 1 - y;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw outOfRange(s);
  const h = m[4] ? Number(m[4]) : 0;
  const mi = m[5] ? Number(m[5]) : 0;
  const sec = m[6] ? Number(m[6]) : 0;
  if (h > 24 || mi > 59 || sec > 60 || (h === 24 && (mi > 0 || sec > 0))) throw outOfRange(s);
  let frac = 0;
  if (m[7]) {
    // round to microseconds, as PostgreSQL
    const digits = m[7];
    frac = digits.length <= 6 ? Number(digits.padEnd(6, '0')) : Math.round(Number(digits.slice(0, 6) + '.' + digits.slice(6)));
  }
  return daysFromCivil(y, mo, d) * US_PER_DAY + h * US_PER_HOUR + mi * US_PER_MINUTE + sec * US_PER_SECOND + frac;
}

/** Parses date text ('YYYY-MM-DD', a time part is accepted and ignored) to days. */
export function parseDateText(s: string): number {
  return Math.floor(parseTimestampText(s, 'date') / US_PER_DAY);
}
