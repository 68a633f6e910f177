import { describe, it, expect } from 'vitest';
import { col, lit, call, type Expr } from '../../src/logical/expr.js';
import { BOOL, INT32, INT64, UTF8, FLOAT64, NULL, decimal } from '../../src/types/data-type.js';
import { batchOf, column, run, values } from './helpers.js';
import { compileExpr } from '../../src/expr/compile.js';
import { evaluateConstant } from '../../src/expr/constant.js';
import { selectionFromBool, filterBatch } from '../../src/expr/selection.js';
import { makeColumn } from '../../src/types/column.js';

describe('compileExpr', () => {
  it('resolves column ids to positions and rejects unknown ids', () => {
    const b = batchOf([column(INT32, [1]), column(INT32, [2])]);
    expect(run(col(1, 'b', INT32), b)).toEqual([2]);
    expect(() => compileExpr(col(9, 'zz', INT32), b.schema)).toThrowError(/zz/);
    expect(compileExpr(call('add', [col(1, 'b', INT32), lit(1, INT32)], INT32), b.schema).toString()).toBe('b@1 + 1');
  });
  it('literals broadcast, constant calls fold', () => {
    const b = batchOf([column(INT32, [1, 2, 3])]);
    expect(run(lit('x', UTF8), b)).toEqual(['x', 'x', 'x']);
    expect(run(lit(null, INT32), b)).toEqual([null, null, null]);
    const e = compileExpr(call('add', [lit(1, INT32), lit(2, INT32)], INT32), []);
    expect(e.toString()).toBe('3');
  });
});

describe('CASE', () => {
  const b = batchOf([column(INT32, [0, 2, null, 4])]);
  const x = col(0, 'x', INT32);
  it('evaluates branches only on the rows that reach them', () => {
    const e: Expr = {
      kind: 'case', type: INT32,
      whens: [{ when: call('eq', [x, lit(0, INT32)], BOOL), then: lit(0, INT32) }],
      otherwise: call('div', [lit(8, INT32), x], INT32),
    };
    expect(run(e, b)).toEqual([0, 4, null, 2]);
  });
  it('first matching WHEN wins, no ELSE gives NULL, strings merge dictionaries', () => {
    const e: Expr = {
      kind: 'case', type: UTF8,
      whens: [
        { when: call('gt', [x, lit(1, INT32)], BOOL), then: lit('big', UTF8) },
        { when: call('gte', [x, lit(0, INT32)], BOOL), then: lit('small', UTF8) },
      ],
      otherwise: null,
    };
    expect(run(e, b)).toEqual(['small', 'big', null, 'big']);
  });
  it('branch reading a column on a subset', () => {
    const bb = batchOf([column(INT32, [1, 2, 3]), column(UTF8, ['a', 'b', 'c'])]);
    const e: Expr = {
      kind: 'case', type: UTF8,
      whens: [{ when: call('eq', [col(0, 'x', INT32), lit(2, INT32)], BOOL), then: call('upper', [col(1, 's', UTF8)], UTF8) }],
      otherwise: col(1, 's', UTF8),
    };
    expect(run(e, bb)).toEqual(['a', 'B', 'c']);
  });
  it('int branch in a bigint CASE is cast', () => {
    const e: Expr = { kind: 'case', type: INT64, whens: [{ when: lit(true, BOOL), then: lit(1, INT32) }], otherwise: null };
    expect(run(e, b)).toEqual([1, 1, 1, 1]);
  });
});

describe('IN list, coalesce, nullif', () => {
  it('IN with constants: three-valued', () => {
    const b = batchOf([column(INT32, [1, 2, null, 5])]);
    const x = col(0, 'x', INT32);
    const inl = (list: Expr[], negated = false): Expr => ({ kind: 'in_list', expr: x, list, negated, type: BOOL });
    expect(run(inl([lit(1, INT32), lit(5, INT32)]), b)).toEqual([true, false, null, true]);
    expect(run(inl([lit(1, INT32), lit(5, INT32)], true), b)).toEqual([false, true, null, false]);
    expect(run(inl([lit(1, INT32), lit(null, INT32)]), b)).toEqual([true, null, null, null]);
    expect(run(inl([lit(1, INT32), lit(null, INT32)], true), b)).toEqual([false, null, null, null]);
  });
  it('IN on strings and decimals', () => {
    const b = batchOf([column(UTF8, ['a', 'b', null]), column(decimal(10, 2), [150, 200, 1])]);
    expect(run({ kind: 'in_list', expr: col(0, 's', UTF8), list: [lit('b', UTF8), lit('z', UTF8)], negated: false, type: BOOL }, b))
      .toEqual([false, true, null]);
    expect(run({ kind: 'in_list', expr: col(1, 'd', decimal(10, 2)), list: [lit(15, decimal(2, 1)), lit(2, INT32)], negated: false, type: BOOL }, b))
      .toEqual([true, true, false]);
  });
  it('IN with a column in the list', () => {
    const b = batchOf([column(INT32, [1, 2]), column(INT32, [2, 2])]);
    expect(run({ kind: 'in_list', expr: col(0, 'x', INT32), list: [col(1, 'y', INT32), lit(7, INT32)], negated: false, type: BOOL }, b))
      .toEqual([false, true]);
  });
  it('coalesce evaluates later arguments only where needed', () => {
    const b = batchOf([column(INT32, [1, null, null]), column(INT32, [0, 2, null])]);
    const e = call('coalesce', [col(0, 'a', INT32), call('div', [lit(10, INT32), col(1, 'b', INT32)], INT32), lit(-1, INT32)], INT32);
    expect(run(e, b)).toEqual([1, 5, -1]);
    const s = batchOf([column(UTF8, ['x', null])]);
    expect(run(call('coalesce', [col(0, 's', UTF8), lit('dflt', UTF8)], UTF8), s)).toEqual(['x', 'dflt']);
  });
  it('nullif', () => {
    const b = batchOf([column(INT32, [1, 0, null])]);
    expect(run(call('nullif', [col(0, 'a', INT32), lit(0, INT32)], INT32), b)).toEqual([1, null, null]);
  });
});

describe('evaluateConstant', () => {
  it('folds column-free expressions', () => {
    expect(evaluateConstant(call('mul', [lit(6, INT32), lit(7, INT32)], INT32))).toEqual({ kind: 'literal', value: 42, type: INT32 });
    expect(evaluateConstant(call('upper', [lit('ab', UTF8)], UTF8))?.value).toBe('AB');
    expect(evaluateConstant(call('eq', [lit(1, INT32), lit(null, NULL)], BOOL))?.value).toBe(null);
  });
  it('returns null for columns and for errors', () => {
    expect(evaluateConstant(call('add', [col(0, 'a', INT32), lit(1, INT32)], INT32))).toBeNull();
    expect(evaluateConstant(call('div', [lit(1, INT32), lit(0, INT32)], INT32))).toBeNull();
    expect(evaluateConstant({ kind: 'cast', expr: lit('x', UTF8), type: FLOAT64 })).toBeNull();
  });
});

describe('selection', () => {
  it('selects true, non-NULL rows', () => {
    const c = makeColumn(BOOL, new Uint8Array([1, 0, 1, 1]), new Uint8Array([1, 1, 0, 1]));
    expect(Array.from(selectionFromBool(c))).toEqual([0, 3]);
    expect(Array.from(selectionFromBool(makeColumn(BOOL, new Uint8Array(0))))).toEqual([]);
  });
  it('filterBatch gathers and keeps dictionaries', () => {
    const b = batchOf([column(UTF8, ['a', 'b', 'c']), column(INT32, [1, null, 3])]);
    const f = filterBatch(b, new Int32Array([1, 2]));
    expect(f.numRows).toBe(2);
    expect(f.columns[0].dict).toBe(b.columns[0].dict);
    expect(values(f.columns[0])).toEqual(['b', 'c']);
    expect(values(f.columns[1])).toEqual([null, 3]);
    expect(filterBatch(b, new Int32Array([0, 1, 2]))).toBe(b);
  });
});
