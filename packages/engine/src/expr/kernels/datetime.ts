import { EngineError } from '../../errors.js';
import type { Batch } from '../../types/batch.js';
import { allocValues, makeColumn, type Column } from '../../types/column.js';
import { DATE, INT32, TIMESTAMP, type DataType } from '../../types/data-type.js';
import type { PhysicalExpr } from '../physical-expr.js';
import {
  civilFromDays, daysFromCivil, daysInMonth, formatInterval, timestampAddInterval, US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND,
} from '../temporal.js';
import { ConstantExpr, POW10, andValidity, scalarNumber } from '../util.js';
import { castExpr } from './cast.js';
import { genLoop, type Shape } from './gen.js';
import { FnExpr, callLabel, type KernelBuilder } from './kernel.js';

/*
 * Date/time functions: date_trunc (→ timestamp), extract (→ numeric, PostgreSQL 14+),
 * date_part (→ double precision), date ± integer days, date − date.
 */

const ymd = new Int32Array(3);

function unitError(field: string, type: DataType): EngineError {
  const t = type.kind === 'date' ? 'date' : 'timestamp without time zone';
  return new EngineError('invalid_parameter_value', `unit "${field}" not recognized for type ${t}`);
}

function fieldName(e: PhysicalExpr, fn: string): string {
  if (!(e instanceof ConstantExpr) || typeof e.value !== 'string') {
    throw new EngineError('feature_not_supported', `${fn}: the field must be a constant`);
  }
  return e.value.toLowerCase().trim();
}

const floorDiv = (a: number, b: number) => Math.floor(a / b);

/** Truncation of a timestamp (µs) to a unit, as PostgreSQL's date_trunc. */
function truncFn(field: string): ((us: number) => number) | null {
  const fixed = (unit: number) => (us: number) => floorDiv(us, unit) * unit;
  const byDate = (f: (y: number, m: number, d: number) => number) => (us: number) => {
    civilFromDays(floorDiv(us, US_PER_DAY), ymd);
    return f(ymd[0], ymd[1], ymd[2]) * US_PER_DAY;
  };
  switch (field) {
    case 'microseconds': return (us) => us;
    case 'milliseconds': return fixed(1000);
    case 'second': return fixed(US_PER_SECOND);
    case 'minute': return fixed(US_PER_MINUTE);
    case 'hour': return fixed(US_PER_HOUR);
    case 'day': return fixed(US_PER_DAY);
    case 'week': return (us) => {
      const d = floorDiv(us, US_PER_DAY);
      const dowMon0 = ((d + 3) % 7 + 7) % 7; // 1970-01-01 was a Thursday
      return (d - dowMon0) * US_PER_DAY;
    };
    case 'month': return byDate((y, m) => daysFromCivil(y, m, 1));
    case 'quarter': return byDate((y, m) => daysFromCivil(y, m - ((m - 1) % 3), 1));
    case 'year': return byDate((y) => daysFromCivil(y, 1, 1));
    case 'decade': return byDate((y) => daysFromCivil(floorDiv(y, 10) * 10, 1, 1));
    case 'century': return byDate((y) => daysFromCivil(y > 0 ? floorDiv(y - 1, 100) * 100 + 1 : -(floorDiv(-y, 100) * 100) - 99, 1, 1));
    case 'millennium': return byDate((y) => daysFromCivil(y > 0 ? floorDiv(y - 1, 1000) * 1000 + 1 : -(floorDiv(-y, 1000) * 1000) - 999, 1, 1));
  }
  return null;
}

/** Units whose truncation depends only on the day (so one value per distinct day). */
const DAY_ALIGNED = new Set(['day', 'week', 'month', 'quarter', 'year', 'decade', 'century', 'millennium']);

/**
 * f(day) for a range of days, filled on demand: a month of dates is ~30 distinct days across
 * millions of rows, so the calendar arithmetic runs once per day instead of once per row.
 */
/** days[i] = the day of timestamp v[i] (valid rows); returns the span of days seen (lo > hi: none). */
const DAY_SPAN = { lo: Infinity, hi: -Infinity };
function daysOf(v: Float64Array, valid: Uint8Array | null, days: Int32Array, n: number): typeof DAY_SPAN {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const d = Math.floor(v[i] / US_PER_DAY);
    days[i] = d;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  DAY_SPAN.lo = lo;
  DAY_SPAN.hi = hi;
  return DAY_SPAN;
}

/**
 * out[i] = t[days[i] - base] for valid rows. daysOf and this are functions of their own, not loops
 * in the kernel: code after a long loop made V8's cached on-stack (OSR) code deoptimize per batch.
 */
function gatherDays(t: Float64Array, base: number, days: Int32Array, valid: Uint8Array | null, out: Float64Array, n: number): void {
  if (valid === null) for (let i = 0; i < n; i++) out[i] = t[days[i] - base];
  else for (let i = 0; i < n; i++) if (valid[i] !== 0) out[i] = t[days[i] - base];
}

class DayMemo {
  private lo = 0;
  private table = new Float64Array(0);
  constructor(private readonly f: (day: number) => number, private readonly maxSpan = 1 << 20) {}

  /** The table covering [lo, hi], or null when the span is too wide to be worth it. */
  cover(lo: number, hi: number): { table: Float64Array; lo: number } | null {
    const curHi = this.lo + this.table.length - 1;
    if (this.table.length > 0 && lo >= this.lo && hi <= curHi) return { table: this.table, lo: this.lo };
    const nlo = this.table.length > 0 ? Math.min(lo, this.lo) : lo;
    const nhi = this.table.length > 0 ? Math.max(hi, curHi) : hi;
    if (nhi - nlo + 1 > this.maxSpan) return null;
    const t = new Float64Array(nhi - nlo + 1);
    for (let d = nlo; d <= nhi; d++) t[d - nlo] = this.f(d);
    this.lo = nlo;
    this.table = t;
    return { table: t, lo: nlo };
  }
}

export const dateTrunc: KernelBuilder = (args, _type, fn) => {
  const label = callLabel(fn, args);
  const field = fieldName(args[0], fn);
  const f = truncFn(field);
  if (f === null) throw unitError(field, TIMESTAMP);
  const x = args[1].type.kind === 'timestamp' ? args[1] : castExpr(args[1], TIMESTAMP);
  // day-aligned units: the result depends on the day only, so truncate once per distinct day
  const memo = DAY_ALIGNED.has(field) ? new DayMemo((day) => f(day * US_PER_DAY)) : null;
  return new FnExpr(TIMESTAMP, label, (batch) => {
    const c = x.evaluate(batch);
    const n = c.length;
    const out = new Float64Array(n);
    const v = c.values, valid = c.validity;
    if (c.type.kind === 'null') return makeColumn(TIMESTAMP, out, new Uint8Array(n));
    if (memo !== null && n > 0) {
      const days = new Int32Array(n);
      const span = daysOf(v as Float64Array, valid, days, n);
      const m = span.lo <= span.hi ? memo.cover(span.lo, span.hi) : null;
      if (m !== null) {
        gatherDays(m.table, m.lo, days, valid, out, n);
        return makeColumn(TIMESTAMP, out, valid);
      }
    }
    if (valid === null) for (let i = 0; i < n; i++) out[i] = f(v[i]);
    else for (let i = 0; i < n; i++) if (valid[i] !== 0) out[i] = f(v[i]);
    return makeColumn(TIMESTAMP, out, valid);
  });
};

/**
 * Field value of a timestamp in µs, times 10^6 for the fractional fields (second, milliseconds,
 * microseconds, epoch) so that they stay exact; `frac` tells which.
 */
function fieldFn(field: string, isDate: boolean): { f: (us: number) => number; frac: boolean } | null {
  const date = (g: (y: number, m: number, d: number, days: number) => number) => (us: number) => {
    const days = floorDiv(us, US_PER_DAY);
    civilFromDays(days, ymd);
    return g(ymd[0], ymd[1], ymd[2], days);
  };
  const isoWeek = (days: number): [number, number] => {
    const isodow = ((days + 3) % 7 + 7) % 7 + 1;
    const thursday = days - isodow + 4;
    civilFromDays(thursday, ymd);
    const y = ymd[0];
    return [Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1, y];
  };
  switch (field) {
    case 'year': case 'years': return { f: date((y) => (y > 0 ? y : y - 1)), frac: false };
    case 'month': case 'months': return { f: date((_y, m) => m), frac: false };
    case 'day': case 'days': return { f: date((_y, _m, d) => d), frac: false };
    case 'quarter': return { f: date((_y, m) => Math.floor((m - 1) / 3) + 1), frac: false };
    case 'dow': return { f: (us) => ((floorDiv(us, US_PER_DAY) + 4) % 7 + 7) % 7, frac: false };
    case 'isodow': return { f: (us) => ((floorDiv(us, US_PER_DAY) + 3) % 7 + 7) % 7 + 1, frac: false };
    case 'doy': return { f: date((y, _m, _d, days) => days - daysFromCivil(y, 1, 1) + 1), frac: false };
    case 'week': return { f: (us) => isoWeek(floorDiv(us, US_PER_DAY))[0], frac: false };
    case 'isoyear': return { f: (us) => isoWeek(floorDiv(us, US_PER_DAY))[1], frac: false };
    case 'decade': return { f: date((y) => (y > 0 ? floorDiv(y, 10) : -floorDiv(-y + 1 + 9, 10) + 0)), frac: false };
    case 'century': return { f: date((y) => (y > 0 ? floorDiv(y + 99, 100) : -floorDiv(-y + 1 + 99, 100))), frac: false };
    case 'millennium': return { f: date((y) => (y > 0 ? floorDiv(y + 999, 1000) : -floorDiv(-y + 1 + 999, 1000))), frac: false };
    case 'epoch': return { f: (us) => us, frac: true };
    case 'julian': return { f: (us) => (floorDiv(us, US_PER_DAY) + 2440588), frac: false };
  }
  if (isDate) return null;
  switch (field) {
    case 'hour': case 'hours': return { f: (us) => Math.floor((us - floorDiv(us, US_PER_DAY) * US_PER_DAY) / US_PER_HOUR), frac: false };
    case 'minute': case 'minutes': return { f: (us) => Math.floor((us - floorDiv(us, US_PER_HOUR) * US_PER_HOUR) / US_PER_MINUTE), frac: false };
    case 'second': case 'seconds': return { f: (us) => us - floorDiv(us, US_PER_MINUTE) * US_PER_MINUTE, frac: true };
    case 'milliseconds': return { f: (us) => (us - floorDiv(us, US_PER_MINUTE) * US_PER_MINUTE) * 1000, frac: true };
    case 'microseconds': return { f: (us) => (us - floorDiv(us, US_PER_MINUTE) * US_PER_MINUTE) * 1e6, frac: true };
  }
  return null;
}

/** extract(field FROM x) → numeric at the result type's scale; date_part(field, x) → float8. */
export const extract: KernelBuilder = (args, type, fn) => {
  const label = callLabel(fn, args);
  const field = fieldName(args[0], fn);
  let x = args[1];
  const isDate = x.type.kind === 'date';
  // date_part(text, date) runs on timestamp in PostgreSQL; extract has date-only fields
  if (isDate && fn === 'date_part') x = castExpr(x, TIMESTAMP);
  if (x.type.kind === 'utf8') x = castExpr(x, TIMESTAMP);
  const spec = fieldFn(field, isDate && fn !== 'date_part');
  if (spec === null) {
    if (isDate && fn !== 'date_part' && fieldFn(field, false) !== null) {
      throw new EngineError('feature_not_supported', `unit "${field}" not supported for type date`);
    }
    throw unitError(field, x.type);
  }
  const { f, frac } = spec;
  const toFloat = type.kind !== 'decimal';
  const scale = type.kind === 'decimal' ? type.scale : 0;
  return new FnExpr(type, label, (batch: Batch): Column => {
    const c = x.evaluate(batch);
    const n = c.length;
    const out = allocValues(type, n);
    if (c.type.kind === 'null') return makeColumn(type, out, new Uint8Array(n));
    const dateIn = c.type.kind === 'date';
    const v = c.values, valid = c.validity;
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const us = dateIn ? v[i] * US_PER_DAY : v[i];
      const raw = f(us); // ×10^6 when frac
      if (toFloat) out[i] = frac ? raw / 1e6 : raw;
      else if (frac) out[i] = scale >= 6 ? raw * POW10[scale - 6] : Math.round(raw / POW10[6 - scale]);
      else out[i] = raw * POW10[scale];
    }
    return makeColumn(type, out, valid);
  });
};

/** date + int, int + date, date − int (days) → date; date − date → integer. */
export const dateArith: KernelBuilder = (rawArgs, type, fn) => {
  const label = callLabel(fn, rawArgs);
  let a = rawArgs[0];
  let b = rawArgs[1];
  if (fn === 'date_add_days' && a.type.kind !== 'date' && b.type.kind === 'date') [a, b] = [b, a];
  a = a.type.kind === 'date' ? a : castExpr(a, DATE);
  if (fn === 'date_diff_days') b = b.type.kind === 'date' ? b : castExpr(b, DATE);
  else b = b.type.kind === 'int32' ? b : castExpr(b, INT32);
  if ((a instanceof ConstantExpr && a.value === null) || (b instanceof ConstantExpr && b.value === null)) return new ConstantExpr(null, type);
  const body = fn === 'date_add_days' ? 'out[i] = a + b;' : 'out[i] = a - b;';
  const aConst = a instanceof ConstantExpr ? scalarNumber(a.value) : null;
  const bConst = b instanceof ConstantExpr ? scalarNumber(b.value) : null;
  const shape: Shape = aConst !== null ? 'sc' : bConst !== null ? 'cs' : 'cc';
  const loop = genLoop(body, shape, false);
  const ea = a, eb = b;
  return new FnExpr(type, label, (batch) => {
    const n = batch.numRows;
    const out = new Int32Array(n);
    if (shape === 'sc') { const c = eb.evaluate(batch); loop(aConst as number, c.values, out, n, null); return makeColumn(type, out, c.validity); }
    if (shape === 'cs') { const c = ea.evaluate(batch); loop(c.values, bConst as number, out, n, null); return makeColumn(type, out, c.validity); }
    const ca = ea.evaluate(batch), cb = eb.evaluate(batch);
    loop(ca.values, cb.values, out, n, null);
    return makeColumn(type, out, andValidity(ca.validity, cb.validity, n));
  });
};

/* ---------------- timestamp ± interval constant, make_date ---------------- */

/**
 * timestamp_add_interval(ts, months, days, micros): `ts + INTERVAL '…'` (the binder folds the
 * interval constant into its three components; date operands arrive cast to timestamp).
 * Constant components (the normal case) take a loop specialised for a month-free interval.
 */
export const timestampAddIntervalKernel: KernelBuilder = (args, _type, fn) => {
  const x = args[0].type.kind === 'timestamp' ? args[0] : castExpr(args[0], TIMESTAMP);
  const comps = args.slice(1);
  if (comps.some((c) => c instanceof ConstantExpr && c.value === null)) return new ConstantExpr(null, TIMESTAMP);
  const allConst = comps.every((c) => c instanceof ConstantExpr);
  const label = allConst
    ? `${x.toString()} + INTERVAL '${formatInterval({
      months: scalarNumber((comps[0] as ConstantExpr).value)!, days: scalarNumber((comps[1] as ConstantExpr).value)!, micros: scalarNumber((comps[2] as ConstantExpr).value)!,
    })}'`
    : callLabel(fn, args);
  if (allConst) {
    const months = scalarNumber((comps[0] as ConstantExpr).value)!;
    const shift = scalarNumber((comps[1] as ConstantExpr).value)! * US_PER_DAY + scalarNumber((comps[2] as ConstantExpr).value)!;
    return new FnExpr(TIMESTAMP, label, (batch) => {
      const c = x.evaluate(batch);
      const n = c.length;
      const out = new Float64Array(n);
      if (c.type.kind === 'null') return makeColumn(TIMESTAMP, out, new Uint8Array(n));
      const v = c.values, valid = c.validity;
      if (months === 0) {
        if (valid === null) for (let i = 0; i < n; i++) out[i] = v[i] + shift;
        else for (let i = 0; i < n; i++) if (valid[i] !== 0) out[i] = v[i] + shift;
      } else if (valid === null) {
        for (let i = 0; i < n; i++) out[i] = timestampAddInterval(v[i], months, 0, shift);
      } else {
        for (let i = 0; i < n; i++) if (valid[i] !== 0) out[i] = timestampAddInterval(v[i], months, 0, shift);
      }
      return makeColumn(TIMESTAMP, out, valid);
    });
  }
  return new FnExpr(TIMESTAMP, label, (batch) => {
    const cols = [x, ...comps].map((e) => e.evaluate(batch));
    const n = batch.numRows;
    const out = new Float64Array(n);
    if (cols.some((c) => c.type.kind === 'null')) return makeColumn(TIMESTAMP, out, new Uint8Array(n));
    let valid: Uint8Array | null = null;
    for (const c of cols) valid = andValidity(valid, c.validity, n);
    const [t, mo, d, us] = cols.map((c) => c.values);
    for (let i = 0; i < n; i++) if (valid === null || valid[i] !== 0) out[i] = timestampAddInterval(t[i], mo[i], d[i], us[i]);
    return makeColumn(TIMESTAMP, out, valid);
  });
};

/** PostgreSQL's valid date range: 4714-11-24 BC .. 5874897-12-31. */
const MIN_DATE_DAYS = daysFromCivil(-4713, 11, 24);
const MAX_DATE_DAYS = daysFromCivil(5874897, 12, 31);

const pad2 = (v: number) => (v >= 0 && v < 10 ? '0' : '') + v;

/** make_date(year, month, day); negative years are BC (there is no year 0), as PostgreSQL. */
function makeDateValue(year: number, month: number, day: number): number {
  const y = year < 0 ? year + 1 : year;
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) {
    throw new EngineError('invalid_parameter_value', `date field value out of range: ${year}-${pad2(month)}-${pad2(day)}`);
  }
  const days = daysFromCivil(y, month, day);
  if (days < MIN_DATE_DAYS || days > MAX_DATE_DAYS) {
    throw new EngineError('numeric_value_out_of_range', `date out of range: ${year}-${pad2(month)}-${pad2(day)}`);
  }
  return days;
}

export const makeDate: KernelBuilder = (args, _type, fn) => {
  const label = callLabel(fn, args);
  if (args.some((c) => c.type.kind === 'null' || (c instanceof ConstantExpr && c.value === null))) return new ConstantExpr(null, DATE);
  return new FnExpr(DATE, label, (batch) => {
    const cols = args.map((e) => e.evaluate(batch));
    const n = batch.numRows;
    const out = new Int32Array(n);
    let valid: Uint8Array | null = null;
    for (const c of cols) valid = andValidity(valid, c.validity, n);
    const [y, m, d] = cols.map((c) => c.values);
    for (let i = 0; i < n; i++) if (valid === null || valid[i] !== 0) out[i] = makeDateValue(y[i], m[i], d[i]);
    return makeColumn(DATE, out, valid);
  });
};
