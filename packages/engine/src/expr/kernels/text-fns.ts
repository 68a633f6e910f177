import { EngineError } from '../../errors.js';
import type { Batch } from '../../types/batch.js';
import { allocValues, makeColumn, nullColumn, type Column } from '../../types/column.js';
import { UTF8, type DataType } from '../../types/data-type.js';
import type { PhysicalExpr } from '../physical-expr.js';
import { ConstantExpr, constantColumn, mapDictStrings, mapDictToValues, utf8FromStrings } from '../util.js';
import { FnExpr, callLabel, type KernelBuilder } from './kernel.js';
import { initcap, likeEscape } from './string.js';

/*
 * PostgreSQL string functions beyond the basics in string.ts: btrim/ltrim/rtrim, replace, strpos
 * (position), left, right, repeat, reverse, initcap, lpad, rpad, split_part, starts_with,
 * like_escape, concat_ws. Lengths and positions count characters (code points), as PostgreSQL
 * in a UTF8 database. Arguments arrive already typed by the resolver (text / integer).
 *
 * Evaluation: when the only non-constant argument is a text column, the function runs once per
 * dictionary entry and the codes are kept; any other shape runs once per row (slow path).
 */

type Arg = string | number | boolean | null;

const SURROGATE = /[\ud800-\udfff]/;

/** The characters of s (code points); null when s has none outside the BMP (indices = chars). */
function codePoints(s: string): string[] | null {
  return SURROGATE.test(s) ? Array.from(s) : null;
}

function charCount(s: string): number {
  const cp = codePoints(s);
  return cp === null ? s.length : cp.length;
}

/** First n characters of s (n ≥ 0). */
function headChars(s: string, n: number): string {
  const cp = codePoints(s);
  return cp === null ? s.slice(0, n) : cp.slice(0, n).join('');
}

/** Characters of s from index k (0-based) on. */
function tailFrom(s: string, k: number): string {
  const cp = codePoints(s);
  return cp === null ? s.slice(k) : cp.slice(k).join('');
}

function trimChars(s: string, set: string, leading: boolean, trailing: boolean): string {
  if (set === '') return s;
  const chars = Array.from(s);
  const drop = new Set(Array.from(set));
  let lo = 0;
  let hi = chars.length;
  if (leading) while (lo < hi && drop.has(chars[lo])) lo++;
  if (trailing) while (hi > lo && drop.has(chars[hi - 1])) hi--;
  return lo === 0 && hi === chars.length ? s : chars.slice(lo, hi).join('');
}

/** strpos(s, sub): 1-based character position of the first occurrence, 0 when absent. */
function strpos(s: string, sub: string): number {
  const k = s.indexOf(sub);
  if (k <= 0) return k + 1;
  return charCount(s.slice(0, k)) + 1;
}

function left(s: string, n: number): string {
  if (n >= 0) return headChars(s, n);
  const len = charCount(s);
  return headChars(s, Math.max(0, len + n));
}

function right(s: string, n: number): string {
  const len = charCount(s);
  if (n >= 0) return tailFrom(s, Math.max(0, len - n));
  return tailFrom(s, Math.min(len, -n));
}

/** PostgreSQL refuses results over 1 GB; keep well below what a JS string can hold. */
const MAX_RESULT_CHARS = 256 * 1024 * 1024;

function tooLong(): never {
  throw new EngineError('invalid_parameter_value', 'requested length too large');
}

function repeat(s: string, n: number): string {
  if (n <= 0 || s === '') return '';
  if (s.length * n > MAX_RESULT_CHARS) tooLong();
  return s.repeat(n);
}

function reverse(s: string): string {
  const cp = codePoints(s);
  if (cp !== null) return cp.reverse().join('');
  let r = '';
  for (let i = s.length - 1; i >= 0; i--) r += s[i];
  return r;
}

/** lpad/rpad: fill (or truncate) s to n characters. */
function pad(s: string, n: number, fill: string, leftSide: boolean): string {
  if (n <= 0) return '';
  if (n > MAX_RESULT_CHARS) tooLong();
  const len = charCount(s);
  if (len >= n) return headChars(s, n);
  if (fill === '') return s;
  const need = n - len;
  const fc = Array.from(fill);
  let p: string;
  if (fc.length === fill.length) p = fill.repeat(Math.ceil(need / fill.length)).slice(0, need);
  else {
    const parts: string[] = [];
    for (let i = 0; i < need; i++) parts.push(fc[i % fc.length]);
    p = parts.join('');
  }
  return leftSide ? p + s : s + p;
}

function splitPart(s: string, delim: string, field: number): string {
  if (field === 0) throw new EngineError('invalid_parameter_value', 'field position must not be zero');
  if (s === '') return '';
  if (delim === '') return field === 1 || field === -1 ? s : '';
  const parts = s.split(delim);
  const k = field > 0 ? field - 1 : parts.length + field;
  return k >= 0 && k < parts.length ? parts[k] : '';
}

function replaceAll(s: string, from: string, to: string): string {
  if (from === '') return s;
  return s.split(from).join(to);
}

const str = (a: Arg): string => a as string;
const num = (a: Arg): number => a as number;

/** Strict functions (NULL argument → NULL result) by name: result type and body. */
const STRICT: Record<string, { readonly type: 'text' | 'int' | 'bool'; readonly f: (a: readonly Arg[]) => Arg }> = {
  btrim: { type: 'text', f: (a) => trimChars(str(a[0]), a.length > 1 ? str(a[1]) : ' ', true, true) },
  ltrim: { type: 'text', f: (a) => trimChars(str(a[0]), a.length > 1 ? str(a[1]) : ' ', true, false) },
  rtrim: { type: 'text', f: (a) => trimChars(str(a[0]), a.length > 1 ? str(a[1]) : ' ', false, true) },
  replace: { type: 'text', f: (a) => replaceAll(str(a[0]), str(a[1]), str(a[2])) },
  strpos: { type: 'int', f: (a) => strpos(str(a[0]), str(a[1])) },
  left: { type: 'text', f: (a) => left(str(a[0]), num(a[1])) },
  right: { type: 'text', f: (a) => right(str(a[0]), num(a[1])) },
  repeat: { type: 'text', f: (a) => repeat(str(a[0]), num(a[1])) },
  reverse: { type: 'text', f: (a) => reverse(str(a[0])) },
  initcap: { type: 'text', f: (a) => initcap(str(a[0])) },
  lpad: { type: 'text', f: (a) => pad(str(a[0]), num(a[1]), a.length > 2 ? str(a[2]) : ' ', true) },
  rpad: { type: 'text', f: (a) => pad(str(a[0]), num(a[1]), a.length > 2 ? str(a[2]) : ' ', false) },
  split_part: { type: 'text', f: (a) => splitPart(str(a[0]), str(a[1]), num(a[2])) },
  starts_with: { type: 'bool', f: (a) => str(a[0]).startsWith(str(a[1])) },
  like_escape: { type: 'text', f: (a) => likeEscape(str(a[0]), str(a[1])) },
};

export const STRICT_TEXT_FUNCTIONS: readonly string[] = Object.keys(STRICT);

/** Value of row i of a column as a function argument. */
function argAt(c: Column, i: number): Arg {
  switch (c.type.kind) {
    case 'utf8': return c.dict![c.values[i]];
    case 'bool': return c.values[i] === 1;
    default: return c.values[i];
  }
}

const toStorage = (v: Arg): number => (typeof v === 'boolean' ? (v ? 1 : 0) : (v as number));

/** Kernel builder of one strict function over text/integer arguments. */
export const strictTextFn: KernelBuilder = (args, type, fn) => {
  const spec = STRICT[fn];
  if (spec === undefined) throw new EngineError('undefined_function', `function ${fn} is not implemented`);
  const f = spec.f;
  const label = callLabel(fn, args);
  const consts: Arg[] = new Array<Arg>(args.length).fill(null);
  let colIdx = -1;
  let numCols = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof ConstantExpr) {
      if (a.value === null || a.type.kind === 'null') return new ConstantExpr(null, type);
      consts[i] = a.value;
    } else if (a.type.kind === 'null') {
      return new ConstantExpr(null, type);
    } else {
      numCols++;
      colIdx = i;
    }
  }
  if (numCols === 0) {
    // evaluated lazily: an error (split_part(…, 0)) is raised only if a row arrives
    return new FnExpr(type, label, (batch) => constantColumn(f(consts), type, batch.numRows));
  }
  if (numCols === 1 && args[colIdx].type.kind === 'utf8') {
    const e = args[colIdx];
    const k = colIdx;
    return new FnExpr(type, label, (batch) => {
      const c = e.evaluate(batch);
      if (c.type.kind === 'null') return nullColumn(type, c.length);
      const vals = consts.slice();
      if (type.kind === 'utf8') return mapDictStrings(c, type, (x) => { vals[k] = x; return f(vals) as string; });
      return mapDictToValues(c, type, (x) => { vals[k] = x; return toStorage(f(vals)); });
    });
  }
  return new FnExpr(type, label, (batch) => perRow(args, type, f, batch));
};

/** Slow path: arguments vary per row. */
function perRow(args: readonly PhysicalExpr[], type: DataType, f: (a: readonly Arg[]) => Arg, batch: Batch): Column {
  const n = batch.numRows;
  const cols = args.map((a) => a.evaluate(batch));
  if (cols.some((c) => c.type.kind === 'null')) return nullColumn(type, n);
  const vals: Arg[] = new Array<Arg>(args.length).fill(null);
  const isText = type.kind === 'utf8';
  const strs: (string | null)[] = isText ? new Array<string | null>(n) : [];
  const out = isText ? null : allocValues(type, n);
  let validity: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    let isNull = false;
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j];
      if (c.validity !== null && c.validity[i] === 0) { isNull = true; break; }
      vals[j] = argAt(c, i);
    }
    if (isNull) {
      if (isText) strs[i] = null;
      else { validity ??= new Uint8Array(n).fill(1); validity[i] = 0; }
      continue;
    }
    const r = f(vals);
    if (isText) strs[i] = r as string;
    else out![i] = toStorage(r);
  }
  return isText ? utf8FromStrings(type, strs) : makeColumn(type, out!, validity);
}

/**
 * Row-wise combination of two dictionary columns: `f` runs once per distinct pair of codes
 * (NULL as its own code) and may return NULL.
 */
export function combineDicts(a: Column, b: Column, f: (x: string | null, y: string | null) => string | null): Column {
  const n = a.length;
  const ad = a.dict!, bd = b.dict!;
  const ac = a.values as Int32Array, bc = b.values as Int32Array;
  const av = a.validity, bv = b.validity;
  const width = bd.length + 1;
  const out = new Int32Array(n);
  const dict: string[] = [];
  let validity: Uint8Array | null = null;
  const dense = (ad.length + 1) * width < 1 << 22;
  const table = dense ? new Int32Array((ad.length + 1) * width).fill(-2) : null;
  const map = dense ? null : new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const ka = av !== null && av[i] === 0 ? 0 : ac[i] + 1;
    const kb = bv !== null && bv[i] === 0 ? 0 : bc[i] + 1;
    const key = ka * width + kb;
    let k = table !== null ? table[key] : (map!.get(key) ?? -2);
    if (k === -2) {
      const r = f(ka === 0 ? null : ad[ka - 1], kb === 0 ? null : bd[kb - 1]);
      if (r === null) k = -1;
      else { k = dict.length; dict.push(r); }
      if (table !== null) table[key] = k; else map!.set(key, k);
    }
    if (k < 0) { validity ??= new Uint8Array(n).fill(1); validity[i] = 0; }
    else out[i] = k;
  }
  return makeColumn(UTF8, out, validity, dict);
}

/** NULL rows → '' (concat_ws of only NULLs is the empty string). */
function nullsToEmpty(c: Column): Column {
  if (c.validity === null) return c;
  const dict = c.dict!.concat(['']);
  const e = dict.length - 1;
  const codes = new Int32Array(c.values as Int32Array);
  const v = c.validity;
  for (let i = 0; i < codes.length; i++) if (v[i] === 0) codes[i] = e;
  return makeColumn(UTF8, codes, null, dict);
}

/**
 * concat_ws(sep, a, b, …): the non-NULL arguments joined by sep; NULL only when sep is NULL.
 * With a constant separator the arguments are combined dictionary-wise (one string per
 * distinct combination of codes); a per-row separator takes the slow path.
 */
export const concatWs: KernelBuilder = (args, type, fn) => {
  const label = callLabel(fn, args);
  const sep = args[0];
  if (sep.type.kind === 'null' || (sep instanceof ConstantExpr && sep.value === null)) return new ConstantExpr(null, UTF8);
  const parts = args.slice(1).filter((a) => a.type.kind !== 'null' && !(a instanceof ConstantExpr && a.value === null));
  if (parts.length === 0) {
    if (sep instanceof ConstantExpr) return new ConstantExpr('', UTF8);
    return new FnExpr(UTF8, label, (batch) => {
      const s = sep.evaluate(batch);
      return makeColumn(UTF8, new Int32Array(s.length), s.validity, ['']);
    });
  }
  if (sep instanceof ConstantExpr) {
    const sv = String(sep.value);
    const join = (x: string | null, y: string | null): string | null => (x === null ? y : y === null ? x : x + sv + y);
    return new FnExpr(UTF8, label, (batch) => {
      let acc: Column | null = null;
      for (const p of parts) {
        const c = p.evaluate(batch);
        acc = acc === null ? c : combineDicts(acc, c, join);
      }
      return nullsToEmpty(acc!);
    });
  }
  return new FnExpr(UTF8, label, (batch) => {
    const s = sep.evaluate(batch);
    const cols = parts.map((p) => p.evaluate(batch));
    const n = batch.numRows;
    const strs = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      if (s.validity !== null && s.validity[i] === 0) { strs[i] = null; continue; }
      const sv = s.dict![s.values[i]];
      let r: string | null = null;
      for (const c of cols) {
        if (c.validity !== null && c.validity[i] === 0) continue;
        const x = c.dict![c.values[i]];
        r = r === null ? x : r + sv + x;
      }
      strs[i] = r ?? '';
    }
    return utf8FromStrings(type, strs);
  });
};
