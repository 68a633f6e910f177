import type { Batch } from '../../types/batch.js';
import { makeColumn, type Column } from '../../types/column.js';
import { BOOL, typesEqual, type DataType } from '../../types/data-type.js';
import type { PhysicalExpr } from '../physical-expr.js';
import { commonSupertype } from '../resolve.js';
import { ConstantExpr, andValidity, POW10, scalarNumber } from '../util.js';
import { castExpr } from './cast.js';
import { genLoop, type Shape } from './gen.js';
import { FnExpr, callLabel, type KernelBuilder } from './kernel.js';

/**
 * Comparisons eq neq lt lte gt gte on every type. Strings compare in code-point order
 * (PostgreSQL's C collation = UTF-8 byte order); a string column against a constant is compared
 * once per dictionary entry. float8 follows PostgreSQL: NaN equals NaN and sorts above every
 * other value. Decimals of different scales are aligned by exact multiplication.
 */

const JS_OP: Record<string, string> = { eq: '===', neq: '!==', lt: '<', lte: '<=', gt: '>', gte: '>=' };
const FLIP: Record<string, string> = { eq: 'eq', neq: 'neq', lt: 'gt', lte: 'gte', gt: 'lt', gte: 'lte' };

/** Code-point order comparison (UTF-16 code unit order differs only around surrogates). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // surrogates (D800–DFFF) encode code points above FFFF: they sort after E000–FFFF
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length;
}

function testCmp(op: string, c: number): boolean {
  switch (op) {
    case 'eq': return c === 0;
    case 'neq': return c !== 0;
    case 'lt': return c < 0;
    case 'lte': return c <= 0;
    case 'gt': return c > 0;
    default: return c >= 0;
  }
}

function floatBody(op: string): string {
  switch (op) {
    case 'eq': return 'out[i] = (a === b || (a !== a && b !== b)) ? 1 : 0;';
    case 'neq': return 'out[i] = (a === b || (a !== a && b !== b)) ? 0 : 1;';
    case 'lt': return 'out[i] = (a < b || (b !== b && a === a)) ? 1 : 0;';
    case 'lte': return 'out[i] = (a <= b || b !== b) ? 1 : 0;';
    case 'gt': return 'out[i] = (a > b || (a !== a && b === b)) ? 1 : 0;';
    default: return 'out[i] = (a >= b || a !== a) ? 1 : 0;';
  }
}

/** Result column: values from the kernel, validity = AND of inputs. */
function boolResult(out: Uint8Array, validity: Uint8Array | null): Column {
  return makeColumn(BOOL, out, validity);
}

export const comparison: KernelBuilder = (rawArgs, _type, fn) => {
  const label = callLabel(fn, rawArgs);
  let a = rawArgs[0];
  let b = rawArgs[1];
  if ((a instanceof ConstantExpr && a.value === null) || (b instanceof ConstantExpr && b.value === null)
    || a.type.kind === 'null' || b.type.kind === 'null') {
    return new ConstantExpr(null, BOOL);
  }
  if (a.type.kind !== b.type.kind) {
    const c = commonSupertype(a.type, b.type);
    if (c === null) throw new Error(`cannot compare ${a.type.kind} with ${b.type.kind}`);
    a = castExpr(a, c);
    b = castExpr(b, c);
  }
  if (a.type.kind === 'utf8') return stringComparison(a, b, fn, label);
  // Numeric storage: align decimal scales.
  let k1 = 1, k2 = 1;
  if (a.type.kind === 'decimal' && b.type.kind === 'decimal' && !typesEqual(a.type, b.type)) {
    const s = Math.max(a.type.scale, b.type.scale);
    k1 = POW10[s - a.type.scale];
    k2 = POW10[s - b.type.scale];
  }
  let aConst = a instanceof ConstantExpr ? scalarNumber(a.value) : null;
  let bConst = b instanceof ConstantExpr ? scalarNumber(b.value) : null;
  if (aConst !== null) aConst *= k1;
  if (bConst !== null) bConst *= k2;
  const shape: Shape = aConst !== null && bConst === null ? 'sc' : bConst !== null && aConst === null ? 'cs' : 'cc';
  const isFloat = a.type.kind === 'float64';
  const av = shape === 'sc' || k1 === 1 ? 'a' : 'a * k1';
  const bv = shape === 'cs' || k2 === 1 ? 'b' : 'b * k2';
  let code = isFloat ? floatBody(fn) : `out[i] = (${av} ${JS_OP[fn]} ${bv}) ? 1 : 0;`;
  if (!isFloat && (av !== 'a' || bv !== 'b')) code = `const x = ${av}; const y = ${bv}; out[i] = (x ${JS_OP[fn]} y) ? 1 : 0;`;
  const loop = genLoop(code, shape, false);
  return new FnExpr(BOOL, label, (batch: Batch): Column => {
    const n = batch.numRows;
    const out = new Uint8Array(n);
    if (shape === 'sc') {
      const bc = b.evaluate(batch);
      loop(aConst as number, bc.values, out, n, null, k1, k2);
      return boolResult(out, bc.validity);
    }
    if (shape === 'cs') {
      const ac = a.evaluate(batch);
      loop(ac.values, bConst as number, out, n, null, k1, k2);
      return boolResult(out, ac.validity);
    }
    const ac = a.evaluate(batch);
    const bc = b.evaluate(batch);
    loop(ac.values, bc.values, out, n, null, k1, k2);
    return boolResult(out, andValidity(ac.validity, bc.validity, n));
  });
};

function stringComparison(a: PhysicalExpr, b: PhysicalExpr, fn: string, label: string): PhysicalExpr {
  // constant on the left: flip so the column is on the left
  if (a instanceof ConstantExpr && !(b instanceof ConstantExpr)) {
    [a, b] = [b, a];
    fn = FLIP[fn];
  }
  if (b instanceof ConstantExpr) {
    const s = String(b.value);
    const col = a;
    const op = fn;
    return new FnExpr(BOOL, label, (batch) => {
      const c = col.evaluate(batch);
      const dict = c.dict!;
      const per = new Uint8Array(dict.length);
      if (op === 'eq') for (let k = 0; k < dict.length; k++) per[k] = dict[k] === s ? 1 : 0;
      else if (op === 'neq') for (let k = 0; k < dict.length; k++) per[k] = dict[k] === s ? 0 : 1;
      else for (let k = 0; k < dict.length; k++) per[k] = testCmp(op, compareStrings(dict[k], s)) ? 1 : 0;
      const codes = c.values as Int32Array;
      const n = c.length;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = per[codes[i]];
      return boolResult(out, c.validity);
    });
  }
  const left = a;
  const right = b;
  const op = fn;
  return new FnExpr(BOOL, label, (batch) => {
    const ac = left.evaluate(batch);
    const bc = right.evaluate(batch);
    const n = ac.length;
    const out = new Uint8Array(n);
    const ad = ac.dict!, bd = bc.dict!;
    const ax = ac.values as Int32Array, bx = bc.values as Int32Array;
    const validity = andValidity(ac.validity, bc.validity, n);
    if (op === 'eq' || op === 'neq') {
      const t = op === 'eq' ? 1 : 0;
      if (ad === bd) {
        // same dictionary: equal codes are equal strings; unequal codes may still repeat a string
        for (let i = 0; i < n; i++) {
          const x = ax[i], y = bx[i];
          out[i] = (x === y || ad[x] === ad[y]) ? t : 1 - t;
        }
      } else {
        for (let i = 0; i < n; i++) out[i] = ad[ax[i]] === bd[bx[i]] ? t : 1 - t;
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (validity !== null && validity[i] === 0) continue;
        out[i] = testCmp(op, compareStrings(ad[ax[i]], bd[bx[i]])) ? 1 : 0;
      }
    }
    return boolResult(out, validity);
  });
}

export type { DataType };
