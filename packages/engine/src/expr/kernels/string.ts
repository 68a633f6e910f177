import { EngineError } from '../../errors.js';
import type { Batch } from '../../types/batch.js';
import { makeColumn, type Column } from '../../types/column.js';
import { BOOL, INT32, UTF8, type DataType } from '../../types/data-type.js';
import type { PhysicalExpr } from '../physical-expr.js';
import {
  ConstantExpr, andValidity, mapDictStrings, mapDictToValues, utf8FromStrings,
} from '../util.js';
import { castExpr } from './cast.js';
import { FnExpr, callLabel, type KernelBuilder } from './kernel.js';

/*
 * String functions. utf8 columns are dictionary-encoded: unary functions and predicates run
 * once per dictionary entry and keep the codes; concatenation of two columns builds a new
 * dictionary keyed by the pair of codes.
 */

const toText = (e: PhysicalExpr): PhysicalExpr => (e.type.kind === 'utf8' || e.type.kind === 'null' ? e : castExpr(e, UTF8));

/** Code points in s (PostgreSQL length() counts characters). */
export function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) { n--; i++; }
  }
  return n;
}

const hasSurrogates = (s: string) => /[\ud800-\udfff]/.test(s);

/** PostgreSQL substring(s from start [for count]) on characters; start may be < 1. */
export function pgSubstring(s: string, start: number, count: number | null): string {
  if (count !== null && count < 0) throw new EngineError('invalid_parameter_value', 'negative substring length not allowed');
  const from = Math.max(start, 1);
  const end = count === null ? Infinity : start + count; // exclusive, 1-based
  if (end <= from) return '';
  if (!hasSurrogates(s)) return s.slice(from - 1, end === Infinity ? undefined : end - 1);
  const chars = Array.from(s);
  return chars.slice(from - 1, end === Infinity ? undefined : end - 1).join('');
}

/** A dictionary column whose NULL rows point at an extra '' entry (concat() skips NULLs). */
function nullsAsEmpty(c: Column): Column {
  if (c.type.kind === 'null') return makeColumn(UTF8, new Int32Array(c.length), null, ['']);
  if (c.validity === null) return c;
  const dict = c.dict!.concat(['']);
  const e = dict.length - 1;
  const codes = new Int32Array(c.values as Int32Array);
  const v = c.validity;
  for (let i = 0; i < codes.length; i++) if (v[i] === 0) codes[i] = e;
  return makeColumn(UTF8, codes, null, dict);
}

/** Concatenation of two dictionary columns: one new entry per distinct pair of codes. */
export function concatColumns(a: Column, b: Column): Column {
  const n = a.length;
  const validity = andValidity(a.validity, b.validity, n);
  const ad = a.dict!, bd = b.dict!;
  const ac = a.values as Int32Array, bc = b.values as Int32Array;
  const out = new Int32Array(n);
  const dict: string[] = [];
  const width = bd.length + 1;
  if (ad.length * width < 1 << 22) {
    // dense pair table
    const table = new Int32Array(ad.length * width).fill(-1);
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const key = ac[i] * width + bc[i];
      let k = table[key];
      if (k < 0) { k = dict.length; dict.push(ad[ac[i]] + bd[bc[i]]); table[key] = k; }
      out[i] = k;
    }
  } else {
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const key = ac[i] * width + bc[i];
      let k = map.get(key);
      if (k === undefined) { k = dict.length; dict.push(ad[ac[i]] + bd[bc[i]]); map.set(key, k); }
      out[i] = k;
    }
  }
  return makeColumn(UTF8, out, validity, dict);
}

/** `a || b`: NULL if either side is NULL. Non-text operands are cast to text. */
export const concatOp: KernelBuilder = (rawArgs, _type, fn) => {
  const label = callLabel(fn, rawArgs);
  if (rawArgs.some((a) => a.type.kind === 'null' || (a instanceof ConstantExpr && a.value === null))) return new ConstantExpr(null, UTF8);
  const args = rawArgs.map(toText);
  return concatN(args, label, false);
};

/** concat(a, b, …): NULL arguments are skipped; never NULL. */
export const concatFn: KernelBuilder = (rawArgs, _type, fn) => {
  const label = callLabel(fn, rawArgs);
  const args = rawArgs.filter((a) => !(a.type.kind === 'null' || (a instanceof ConstantExpr && a.value === null))).map(toText);
  if (args.length === 0) return new ConstantExpr('', UTF8);
  return concatN(args, label, true);
};

function concatN(args: readonly PhysicalExpr[], label: string, skipNulls: boolean): PhysicalExpr {
  // merge adjacent constants
  const parts: PhysicalExpr[] = [];
  for (const a of args) {
    const prev = parts[parts.length - 1];
    if (a instanceof ConstantExpr && prev instanceof ConstantExpr) parts[parts.length - 1] = new ConstantExpr(String(prev.value) + String(a.value), UTF8);
    else parts.push(a);
  }
  if (parts.length === 1 && parts[0] instanceof ConstantExpr) return parts[0];
  return new FnExpr(UTF8, label, (batch: Batch) => {
    let acc: Column | null = null;
    let prefix = '';
    let k = 0;
    // leading constant becomes a prefix of the first column's dictionary
    if (parts[0] instanceof ConstantExpr) { prefix = String(parts[0].value); k = 1; }
    for (; k < parts.length; k++) {
      const p = parts[k];
      if (p instanceof ConstantExpr) {
        const s = String(p.value);
        acc = mapDictStrings(acc!, UTF8, (x) => x + s);
        continue;
      }
      let c = p.evaluate(batch);
      if (skipNulls) c = nullsAsEmpty(c);
      if (acc === null) {
        acc = prefix === '' ? c : mapDictStrings(c, UTF8, (x) => prefix + x);
      } else {
        acc = concatColumns(acc, c);
      }
    }
    return acc!;
  });
}

/** Unary string → string function, once per dictionary entry. */
function unaryText(name: string, f: (s: string) => string): KernelBuilder {
  return (args, _type, fn) => {
    const a = toText(args[0]);
    if (a instanceof ConstantExpr) return new ConstantExpr(a.value === null ? null : f(String(a.value)), UTF8);
    return new FnExpr(UTF8, callLabel(fn || name, args), (batch) => {
      const c = a.evaluate(batch);
      if (c.type.kind === 'null') return c;
      return mapDictStrings(c, UTF8, f);
    });
  };
}

/*
 * Case mapping follows PostgreSQL under the C collation (the engine's collation): only ASCII
 * letters change (upper('straße') = 'STRAßE', upper('héllo') = 'HéLLO').
 */
const NON_ASCII = /[^\x00-\x7f]/;

export function asciiLower(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export function asciiUpper(s: string): string {
  if (!NON_ASCII.test(s)) return s.toUpperCase();
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** initcap under the C collation: a letter after an ASCII alphanumeric is lowered, else raised; non-ASCII is kept. */
export function initcap(s: string): string {
  let r = '';
  let wasAlnum = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const upperC = c >= 65 && c <= 90;
    const lowerC = c >= 97 && c <= 122;
    if (upperC || lowerC) r += String.fromCharCode(wasAlnum ? (upperC ? c + 32 : c) : (lowerC ? c - 32 : c));
    else r += s[i];
    wasAlnum = upperC || lowerC || (c >= 48 && c <= 57);
  }
  return r;
}

export const lower = unaryText('lower', asciiLower);
export const upper = unaryText('upper', asciiUpper);

export const length: KernelBuilder = (args, _type, fn) => {
  const a = toText(args[0]);
  if (a instanceof ConstantExpr) return new ConstantExpr(a.value === null ? null : charLength(String(a.value)), INT32);
  return new FnExpr(INT32, callLabel(fn, args), (batch) => {
    const c = a.evaluate(batch);
    if (c.type.kind === 'null') return makeColumn(INT32, new Int32Array(c.length), c.validity);
    return mapDictToValues(c, INT32, charLength);
  });
};

const intScalar = (e: PhysicalExpr): number | null | undefined =>
  e instanceof ConstantExpr ? (e.value === null ? null : Number(e.value)) : undefined;

export const substring: KernelBuilder = (args, _type, fn) => {
  const label = callLabel(fn, args);
  const s = toText(args[0]);
  const start = args[1];
  const count = args.length > 2 ? args[2] : null;
  const st = intScalar(start);
  const ct = count === null ? undefined : intScalar(count);
  if (st === null || ct === null) return new ConstantExpr(null, UTF8);
  if (st !== undefined && (count === null || ct !== undefined)) {
    const cnt = count === null ? null : (ct as number);
    // evaluate the error eagerly only at run time (a row may never arrive)
    const f = (x: string) => pgSubstring(x, st, cnt);
    if (s instanceof ConstantExpr) {
      if (s.value === null) return new ConstantExpr(null, UTF8);
      try { return new ConstantExpr(f(String(s.value)), UTF8); } catch { /* raise at run time */ }
    }
    return new FnExpr(UTF8, label, (batch) => {
      const c = s.evaluate(batch);
      if (c.type.kind === 'null') return c;
      if (c.length > 0 && cnt !== null && cnt < 0) f('');
      return mapDictStrings(c, UTF8, f);
    });
  }
  // per-row arguments (slow path)
  return new FnExpr(UTF8, label, (batch) => {
    const c = s.evaluate(batch);
    const sc = start.evaluate(batch);
    const cc = count === null ? null : count.evaluate(batch);
    const n = batch.numRows;
    const out: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      if ((c.validity !== null && c.validity[i] === 0) || c.type.kind === 'null'
        || (sc.validity !== null && sc.validity[i] === 0) || sc.type.kind === 'null'
        || (cc !== null && ((cc.validity !== null && cc.validity[i] === 0) || cc.type.kind === 'null'))) { out[i] = null; continue; }
      out[i] = pgSubstring(c.dict![c.values[i]], sc.values[i], cc === null ? null : cc.values[i]);
    }
    return utf8FromStrings(UTF8, out);
  });
};

/* ---------------- LIKE ---------------- */

type Matcher = (s: string) => boolean;

/** A LIKE pattern token: a literal run, or a wildcard (`%` any sequence, `_` one character). */
type LikeToken = { readonly lit: string } | '%' | '_';

/** Compiles a PostgreSQL LIKE pattern (% _ and backslash escape) to a matcher. */
export function likeMatcher(pattern: string, caseInsensitive: boolean): Matcher {
  if (caseInsensitive) {
    // ILIKE under the C collation folds ASCII letters only (PostgreSQL lower()s both sides)
    const m = likeMatcher(asciiLower(pattern), false);
    return (s) => m(asciiLower(s));
  }
  // parse into literal runs and wildcards (an escaped % or _ is part of a literal run)
  let literalOnly = true;
  let lit = '';
  const tokens: LikeToken[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      if (i + 1 >= pattern.length) throw new EngineError('invalid_parameter_value', 'LIKE pattern must not end with escape character');
      lit += pattern[++i];
    } else if (ch === '%' || ch === '_') {
      if (lit) { tokens.push({ lit }); lit = ''; }
      // consecutive % collapse into one
      if (!(ch === '%' && tokens[tokens.length - 1] === '%')) tokens.push(ch);
      literalOnly = false;
    } else lit += ch;
  }
  if (lit) tokens.push({ lit });
  const litOf = (t: LikeToken | undefined): string | null => (t !== undefined && typeof t === 'object' ? t.lit : null);
  // fast paths: exact, prefix%, %suffix, %infix%
  if (literalOnly) { const t = litOf(tokens[0]) ?? ''; return (s) => s === t; }
  if (tokens.length === 1 && tokens[0] === '%') return () => true;
  const l0 = litOf(tokens[0]);
  const l1 = litOf(tokens[1]);
  if (tokens.length === 2 && l0 !== null && tokens[1] === '%') return (s) => s.startsWith(l0);
  if (tokens.length === 2 && tokens[0] === '%' && l1 !== null) return (s) => s.endsWith(l1);
  if (tokens.length === 3 && tokens[0] === '%' && l1 !== null && tokens[2] === '%') return (s) => s.includes(l1);
  let re = '';
  for (const t of tokens) {
    if (t === '%') re += '[\\s\\S]*';
    else if (t === '_') re += '[\\s\\S]';
    else re += t.lit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const rx = new RegExp(`^${re}$`, 'u');
  return (s) => rx.test(s);
}

/**
 * PostgreSQL's like_escape(pattern, escape) (`LIKE … ESCAPE …`): rewrites a pattern with a custom
 * escape character into one using backslash; an empty escape disables escaping.
 */
export function likeEscape(pattern: string, esc: string): string {
  if (esc === '') return pattern.replace(/\\/g, '\\\\');
  const e = Array.from(esc);
  if (e.length !== 1) throw new EngineError('invalid_parameter_value', 'invalid escape string');
  if (esc === '\\') return pattern;
  let r = '';
  let afterEscape = false;
  for (const ch of pattern) {
    if (ch === esc && !afterEscape) { r += '\\'; afterEscape = true; }
    else if (ch === '\\') { r += afterEscape ? '\\' : '\\\\'; afterEscape = false; }
    else { r += ch; afterEscape = false; }
  }
  return r;
}

export const like: KernelBuilder = (args, _type, fn) => {
  const label = callLabel(fn, args);
  const negated = fn === 'not_like' || fn === 'not_ilike';
  const ci = fn === 'ilike' || fn === 'not_ilike';
  const s = toText(args[0]);
  const p = toText(args[1]);
  if ((s instanceof ConstantExpr && s.value === null) || (p instanceof ConstantExpr && p.value === null)) return new ConstantExpr(null, BOOL);
  if (p instanceof ConstantExpr) {
    let m: Matcher;
    try { m = likeMatcher(String(p.value), ci); } catch (e) {
      return new FnExpr(BOOL, label, () => { throw e; });
    }
    const t = negated ? 0 : 1;
    return new FnExpr(BOOL, label, (batch) => {
      const c = s.evaluate(batch);
      if (c.type.kind === 'null') return makeColumn(BOOL, new Uint8Array(c.length), c.validity);
      return mapDictToValues(c, BOOL, (x) => (m(x) ? t : 1 - t));
    });
  }
  const cache = new Map<string, Matcher>();
  return new FnExpr(BOOL, label, (batch) => {
    const c = s.evaluate(batch);
    const pc = p.evaluate(batch);
    const n = batch.numRows;
    const out = new Uint8Array(n);
    if (c.type.kind === 'null' || pc.type.kind === 'null') return makeColumn(BOOL, out, new Uint8Array(n));
    const validity = andValidity(c.validity, pc.validity, n);
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const pat = pc.dict![pc.values[i]];
      let m = cache.get(pat);
      if (m === undefined) { m = likeMatcher(pat, ci); cache.set(pat, m); }
      out[i] = m(c.dict![c.values[i]]) !== negated ? 1 : 0;
    }
    return makeColumn(BOOL, out, validity);
  });
};

export type { DataType };
