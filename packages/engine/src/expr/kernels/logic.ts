import type { Batch } from '../../types/batch.js';
import { makeColumn, type Column } from '../../types/column.js';
import { BOOL } from '../../types/data-type.js';
import type { PhysicalExpr } from '../physical-expr.js';
import { ConstantExpr, normalizeValidity } from '../util.js';
import { comparison } from './compare.js';
import { castExpr } from './cast.js';
import { FnExpr, callLabel, type KernelBuilder } from './kernel.js';

/*
 * Boolean logic with SQL three-valued semantics, NULL tests, nullif.
 * AND: false if any input is false, else NULL if any is NULL, else true. OR: dual.
 */

/** Combines two bool columns with AND (isAnd) or OR, three-valued. */
export function andOrColumns(a: Column, b: Column, isAnd: boolean): Column {
  const n = a.length;
  if (a.type.kind === 'null') a = makeColumn(BOOL, new Uint8Array(n), new Uint8Array(n));
  if (b.type.kind === 'null') b = makeColumn(BOOL, new Uint8Array(n), new Uint8Array(n));
  const av = a.values, bv = b.values;
  const out = new Uint8Array(n);
  const va = a.validity, vb = b.validity;
  if (va === null && vb === null) {
    if (isAnd) for (let i = 0; i < n; i++) out[i] = av[i] & bv[i];
    else for (let i = 0; i < n; i++) out[i] = av[i] | bv[i];
    return makeColumn(BOOL, out, null);
  }
  const validity = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const ka = va === null ? 1 : va[i];
    const kb = vb === null ? 1 : vb[i];
    const x = av[i] & ka; // definitely true
    const y = bv[i] & kb;
    if (isAnd) {
      const fa = ka & (1 - av[i]); // definitely false
      const fb = kb & (1 - bv[i]);
      out[i] = x & y;
      validity[i] = (ka & kb) | fa | fb;
    } else {
      out[i] = x | y;
      validity[i] = (ka & kb) | x | y;
    }
  }
  return makeColumn(BOOL, out, normalizeValidity(validity));
}

/** AND / OR of already compiled operands (all evaluated on every row). */
export const andOr: KernelBuilder = (args, _type, fn) => {
  const isAnd = fn === 'and';
  const label = callLabel(fn, args);
  // constant folding of identity / dominating constants
  const live: PhysicalExpr[] = [];
  let sawNull = false;
  for (const a of args) {
    if (a instanceof ConstantExpr) {
      if (a.value === null) { sawNull = true; continue; }
      if (Boolean(a.value) === !isAnd) return new ConstantExpr(!isAnd, BOOL); // false AND …, true OR …
      continue; // true AND x = x
    }
    live.push(a);
  }
  if (live.length === 0) return new ConstantExpr(sawNull ? null : isAnd, BOOL);
  if (sawNull) live.push(new ConstantExpr(null, BOOL));
  if (live.length === 1) return live[0];
  return new FnExpr(BOOL, label, (batch) => {
    let acc = live[0].evaluate(batch);
    for (let k = 1; k < live.length; k++) acc = andOrColumns(acc, live[k].evaluate(batch), isAnd);
    return acc;
  });
};

export const not: KernelBuilder = (args, _type, fn) => {
  const a = args[0];
  if (a instanceof ConstantExpr) return new ConstantExpr(a.value === null ? null : !a.value, BOOL);
  return new FnExpr(BOOL, callLabel(fn, args), (batch) => {
    const c = a.evaluate(batch);
    const n = c.length;
    if (c.type.kind === 'null') return c;
    const v = c.values;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = 1 - v[i];
    return makeColumn(BOOL, out, c.validity);
  });
};

/** is_null / is_not_null / is_true / is_false / is_not_true / is_not_false: never NULL. */
export const nullTest: KernelBuilder = (args, _type, fn) => {
  const a = args[0];
  return new FnExpr(BOOL, callLabel(fn, args), (batch: Batch): Column => {
    const c = a.evaluate(batch);
    const n = c.length;
    const out = new Uint8Array(n);
    const valid = c.type.kind === 'null' ? new Uint8Array(n) : c.validity;
    const v = c.values;
    switch (fn) {
      case 'is_null':
        if (valid !== null) for (let i = 0; i < n; i++) out[i] = 1 - valid[i];
        break;
      case 'is_not_null':
        if (valid === null) out.fill(1);
        else for (let i = 0; i < n; i++) out[i] = valid[i];
        break;
      case 'is_true':
        if (valid === null) for (let i = 0; i < n; i++) out[i] = v[i];
        else for (let i = 0; i < n; i++) out[i] = v[i] & valid[i];
        break;
      case 'is_false':
        if (valid === null) for (let i = 0; i < n; i++) out[i] = 1 - v[i];
        else for (let i = 0; i < n; i++) out[i] = (1 - v[i]) & valid[i];
        break;
      case 'is_not_true':
        if (valid === null) for (let i = 0; i < n; i++) out[i] = 1 - v[i];
        else for (let i = 0; i < n; i++) out[i] = 1 - (v[i] & valid[i]);
        break;
      case 'is_not_false':
        if (valid === null) for (let i = 0; i < n; i++) out[i] = v[i];
        else for (let i = 0; i < n; i++) out[i] = 1 - ((1 - v[i]) & valid[i]);
        break;
    }
    return makeColumn(BOOL, out, null);
  });
};

/** Evaluates its input once per batch even when used twice (nullif). */
class Memo implements PhysicalExpr {
  private lastBatch: Batch | null = null;
  private lastCol: Column | null = null;
  constructor(private readonly inner: PhysicalExpr) {}
  get type() { return this.inner.type; }
  evaluate(batch: Batch): Column {
    if (this.lastBatch !== batch) { this.lastCol = this.inner.evaluate(batch); this.lastBatch = batch; }
    return this.lastCol!;
  }
  toString(): string { return this.inner.toString(); }
}

/** nullif(a, b): NULL where a = b, else a. */
export const nullif: KernelBuilder = (args, type, fn) => {
  const a = new Memo(castExpr(args[0], type));
  const eq = comparison([a, args[1]], BOOL, 'eq');
  return new FnExpr(type, callLabel(fn, args), (batch) => {
    const c = a.evaluate(batch);
    const e = eq.evaluate(batch);
    const n = c.length;
    if (c.type.kind === 'null') return c;
    const validity = new Uint8Array(n);
    const ev = e.values, evalid = e.validity, cv = c.validity;
    for (let i = 0; i < n; i++) {
      const same = ev[i] === 1 && (evalid === null || evalid[i] === 1);
      validity[i] = same ? 0 : cv === null ? 1 : cv[i];
    }
    return makeColumn(c.type, c.values, normalizeValidity(validity), c.dict);
  });
};
