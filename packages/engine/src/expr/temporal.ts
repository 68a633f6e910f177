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

/* ---------------- interval constants ---------------- */

/**
 * A PostgreSQL interval value: months, days and microseconds kept apart (a month is not a fixed
 * number of days). The engine has no interval column type; interval *constants* appear only in
 * `timestamp/date ± INTERVAL '…'` (see timestamp_add_interval).
 */
export interface Interval {
  readonly months: number;
  readonly days: number;
  readonly micros: number;
}

/** Canonical field of each unit word: PostgreSQL rejects a field given twice ('1 hour 1 hours'). */
const UNIT_FIELD: Record<string, string> = {};
for (const [field, words] of Object.entries({
  month: 'month months mon mons', year: 'year years yr yrs y', decade: 'decade decades dec decs',
  century: 'century centuries cent c', millennium: 'millennium millennia millenniums mil mils',
  day: 'day days d', week: 'week weeks w',
  microsecond: 'microsecond microseconds usec usecs us', millisecond: 'millisecond milliseconds msec msecs ms',
  second: 'second seconds sec secs s', minute: 'minute minutes min mins m', hour: 'hour hours hr hrs h',
})) for (const w of words.split(' ')) UNIT_FIELD[w] = field;

const UNIT_MONTHS: Record<string, number> = {
  month: 1, months: 1, mon: 1, mons: 1,
  year: 12, years: 12, yr: 12, yrs: 12, y: 12,
  decade: 120, decades: 120, dec: 120, decs: 120,
  century: 1200, centuries: 1200, cent: 1200, c: 1200,
  millennium: 12000, millennia: 12000, millenniums: 12000, mil: 12000, mils: 12000,
};
const UNIT_DAYS: Record<string, number> = { day: 1, days: 1, d: 1, week: 7, weeks: 7, w: 7 };
const UNIT_MICROS: Record<string, number> = {
  microsecond: 1, microseconds: 1, usec: 1, usecs: 1, us: 1,
  millisecond: 1000, milliseconds: 1000, msec: 1000, msecs: 1000, ms: 1000,
  second: US_PER_SECOND, seconds: US_PER_SECOND, sec: US_PER_SECOND, secs: US_PER_SECOND, s: US_PER_SECOND,
  minute: US_PER_MINUTE, minutes: US_PER_MINUTE, min: US_PER_MINUTE, mins: US_PER_MINUTE, m: US_PER_MINUTE,
  hour: US_PER_HOUR, hours: US_PER_HOUR, hr: US_PER_HOUR, hrs: US_PER_HOUR, h: US_PER_HOUR,
};

/** Interval field bits of a type modifier (`INTERVAL '1' DAY`), as PostgreSQL's INTERVAL_MASK. */
export const INTERVAL_FIELD = { month: 1 << 1, year: 1 << 2, day: 1 << 3, hour: 1 << 10, minute: 1 << 11, second: 1 << 12 } as const;

const TOKEN_RE = /([+-]?\d+:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)|([+-]?(?:\d+\.?\d*|\.\d+))\s*([a-z]*)|(\S+)/gi;

/**
 * PostgreSQL interval input (postgres style): `[@] quantity unit [quantity unit …] [ago]` with
 * optional `[+-]HH:MM[:SS[.ffffff]]`; fractional months spill into days (30 per month) and
 * fractional days into time, as PostgreSQL. `fields` (a type modifier mask) gives the unit of a
 * bare number and truncates lower fields. ISO 8601 (`P1D`) is not accepted.
 */
export function parseInterval(text: string, fields?: number): Interval {
  const bad = () => new EngineError('invalid_text_representation', `invalid input syntax for type interval: "${text}"`);
  let s = text.trim().toLowerCase();
  if (s.startsWith('@')) s = s.slice(1);
  let ago = false;
  if (/\bago$/.test(s)) { ago = true; s = s.slice(0, -3); }
  let months = 0, days = 0, micros = 0;
  let any = false;
  const seen = new Set<string>();
  const claim = (field: string): void => {
    if (seen.has(field)) throw bad();
    seen.add(field);
  };
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(s); m !== null; m = TOKEN_RE.exec(s)) {
    any = true;
    if (m[4] !== undefined) throw bad();
    if (m[1] !== undefined) {
      const t = /^([+-]?)(\d+):(\d{1,2})(?::(\d{1,2})(\.\d+)?)?$/.exec(m[1])!;
      claim('hour'); claim('minute'); claim('second');
      const sign = t[1] === '-' ? -1 : 1;
      const mi = Number(t[3]);
      const sec = t[4] === undefined ? 0 : Number(t[4]);
      if (mi > 59 || sec > 59) throw new EngineError('invalid_parameter_value', `interval field value out of range: "${text}"`);
      micros += sign * (Number(t[2]) * US_PER_HOUR + mi * US_PER_MINUTE + sec * US_PER_SECOND + Math.round(Number(t[5] ?? '0') * US_PER_SECOND));
      continue;
    }
    const v = Number(m[2]);
    let unit = m[3];
    if (unit === '') {
      // a bare number: seconds, or the lowest field of the type modifier
      if (fields !== undefined && fields !== 0) {
        unit = fields & INTERVAL_FIELD.second ? 'second' : fields & INTERVAL_FIELD.minute ? 'minute' : fields & INTERVAL_FIELD.hour ? 'hour'
          : fields & INTERVAL_FIELD.day ? 'day' : fields & INTERVAL_FIELD.month ? 'month' : 'year';
      } else unit = 'second';
    }
    if (UNIT_FIELD[unit] === undefined) throw bad();
    claim(UNIT_FIELD[unit]);
    const whole = Math.trunc(v);
    const frac = v - whole;
    if (UNIT_MONTHS[unit] !== undefined) {
      const k = UNIT_MONTHS[unit];
      if (k === 1) {
        months += whole;
        const fd = frac * 30;
        days += Math.trunc(fd);
        micros += Math.round((fd - Math.trunc(fd)) * US_PER_DAY);
      } else {
        months += whole * k + Math.round(frac * k);
      }
    } else if (UNIT_DAYS[unit] !== undefined) {
      const fd = v * UNIT_DAYS[unit];
      days += Math.trunc(fd);
      micros += Math.round((fd - Math.trunc(fd)) * US_PER_DAY);
    } else if (UNIT_MICROS[unit] !== undefined) {
      micros += Math.round(v * UNIT_MICROS[unit]);
    } else {
      throw bad();
    }
  }
  if (!any) throw bad();
  if (fields !== undefined && fields !== 0) {
    // truncate fields below the lowest one named (INTERVAL '1 day 2 hours' DAY = 1 day)
    if (!(fields & (INTERVAL_FIELD.month | INTERVAL_FIELD.day | INTERVAL_FIELD.hour | INTERVAL_FIELD.minute | INTERVAL_FIELD.second))) {
      months = Math.trunc(months / 12) * 12; days = 0; micros = 0;
    } else if (!(fields & (INTERVAL_FIELD.day | INTERVAL_FIELD.hour | INTERVAL_FIELD.minute | INTERVAL_FIELD.second))) {
      days = 0; micros = 0;
    } else if (!(fields & (INTERVAL_FIELD.hour | INTERVAL_FIELD.minute | INTERVAL_FIELD.second))) {
      micros = 0;
    } else if (!(fields & (INTERVAL_FIELD.minute | INTERVAL_FIELD.second))) {
      micros = Math.trunc(micros / US_PER_HOUR) * US_PER_HOUR;
    } else if (!(fields & INTERVAL_FIELD.second)) {
      micros = Math.trunc(micros / US_PER_MINUTE) * US_PER_MINUTE;
    }
  }
  const sign = ago ? -1 : 1;
  return { months: sign * months + 0, days: sign * days + 0, micros: sign * micros + 0 };
}

/** PostgreSQL interval output (postgres style): `1 year 2 mons 3 days 04:05:06.5`, `00:00:00` when zero. */
export function formatInterval(iv: Interval): string {
  const parts: string[] = [];
  const y = Math.trunc(iv.months / 12);
  const mo = iv.months - y * 12;
  if (y !== 0) parts.push(`${y} year${Math.abs(y) === 1 ? '' : 's'}`);
  if (mo !== 0) parts.push(`${mo} mon${Math.abs(mo) === 1 ? '' : 's'}`);
  if (iv.days !== 0) parts.push(`${iv.days} day${Math.abs(iv.days) === 1 ? '' : 's'}`);
  if (iv.micros !== 0 || parts.length === 0) {
    let us = Math.abs(iv.micros);
    const h = Math.floor(us / US_PER_HOUR); us -= h * US_PER_HOUR;
    const mi = Math.floor(us / US_PER_MINUTE); us -= mi * US_PER_MINUTE;
    const sec = Math.floor(us / US_PER_SECOND); us -= sec * US_PER_SECOND;
    let t = `${iv.micros < 0 ? '-' : ''}${pad2(h)}:${pad2(mi)}:${pad2(sec)}`;
    if (us > 0) t += '.' + String(us).padStart(6, '0').replace(/0+$/, '');
    parts.push(t);
  }
  return parts.join(' ');
}

const ymdI = [0, 0, 0];

/**
 * timestamp + interval as PostgreSQL's timestamp_pl_interval: months first (calendar-wise, the
 * day clamped to the target month's length: Jan 31 + 1 month = Feb 28), then days, then time.
 */
export function timestampAddInterval(us: number, months: number, days: number, micros: number): number {
  if (months !== 0) {
    const d = Math.floor(us / US_PER_DAY);
    const time = us - d * US_PER_DAY;
    civilFromDays(d, ymdI);
    const total = ymdI[0] * 12 + (ymdI[1] - 1) + months;
    const y = Math.floor(total / 12);
    const m = total - y * 12 + 1;
    const day = Math.min(ymdI[2], daysInMonth(y, m));
    us = daysFromCivil(y, m, day) * US_PER_DAY + time;
  }
  return us + days * US_PER_DAY + micros;
}
