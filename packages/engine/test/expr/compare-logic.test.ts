import { describe, it, expect } from 'vitest';
import { col, lit, call } from '../../src/logical/expr.js';
import { BOOL, INT32, INT64, FLOAT64, UTF8, DATE, TIMESTAMP, decimal } from '../../src/types/data-type.js';
import { batchOf, column, run } from './helpers.js';
import { compareStrings } from '../../src/expr/kernels/compare.js';

describe('comparisons', () => {
  it('int col-col and col-scalar with NULLs', () => {
    const b = batchOf([column(INT32, [1, 2, null, 4]), column(INT32, [1, 3, 3, null])]);
    const a = col(0, 'a', INT32), c = col(1, 'c', INT32);
    expect(run(call('eq', [a, c], BOOL), b)).toEqual([true, false, null, null]);
    expect(run(call('lt', [a, c], BOOL), b)).toEqual([false, true, null, null]);
    expect(run(call('gte', [a, lit(2, INT32)], BOOL), b)).toEqual([false, true, null, true]);
    expect(run(call('gt', [lit(2, INT32), a], BOOL), b)).toEqual([true, false, null, false]);
    expect(run(call('neq', [a, lit(null, INT32)], BOOL), b)).toEqual([null, null, null, null]);
  });
  it('mixed int32/int64 operands are promoted', () => {
    const b = batchOf([column(INT32, [1, 5]), column(INT64, [1, 4])]);
    expect(run(call('gt', [col(0, 'a', INT32), col(1, 'b', INT64)], BOOL), b)).toEqual([false, true]);
  });
  it('decimals of different scales', () => {
    const b = batchOf([column(decimal(15, 2), [10050, 10012, null])]);
    const a = col(0, 'a', decimal(15, 2));
    expect(run(call('gt', [a, lit(100125, decimal(6, 3))], BOOL), b)).toEqual([true, false, null]);
    expect(run(call('eq', [a, lit(1005, decimal(4, 1))], BOOL), b)).toEqual([true, false, null]);
  });
  it('float8 NaN equals NaN and sorts last', () => {
    const b = batchOf([column(FLOAT64, [NaN, 1, NaN])]);
    const a = col(0, 'a', FLOAT64);
    expect(run(call('eq', [a, lit(NaN, FLOAT64)], BOOL), b)).toEqual([true, false, true]);
    expect(run(call('gt', [a, lit(1e308, FLOAT64)], BOOL), b)).toEqual([true, false, true]);
    expect(run(call('lt', [a, lit(Infinity, FLOAT64)], BOOL), b)).toEqual([false, true, false]);
  });
  it('strings: dictionary column vs literal, col vs col, C collation', () => {
    const b = batchOf([column(UTF8, ['b', 'a', null, 'B', 'b']), column(UTF8, ['b', 'c', 'x', 'a', 'a'])]);
    const s = col(0, 's', UTF8), t = col(1, 't', UTF8);
    expect(run(call('eq', [s, lit('b', UTF8)], BOOL), b)).toEqual([true, false, null, false, true]);
    expect(run(call('lt', [s, lit('b', UTF8)], BOOL), b)).toEqual([false, true, null, true, false]);
    expect(run(call('gt', [lit('b', UTF8), s], BOOL), b)).toEqual([false, true, null, true, false]);
    expect(run(call('eq', [s, t], BOOL), b)).toEqual([true, false, null, false, false]);
    expect(run(call('gte', [s, t], BOOL), b)).toEqual([true, false, null, false, true]);
    expect(compareStrings('\uffff', '\u{10000}')).toBeLessThan(0);
    expect(compareStrings('abc', 'ab')).toBeGreaterThan(0);
  });
  it('date vs timestamp promotes the date', () => {
    const b = batchOf([column(DATE, [0, 1])]);
    expect(run(call('lt', [col(0, 'd', DATE), lit(3600e6, TIMESTAMP)], BOOL), b)).toEqual([true, false]);
  });
  it('bool comparison', () => {
    const b = batchOf([column(BOOL, [true, false])]);
    expect(run(call('gt', [col(0, 'x', BOOL), lit(false, BOOL)], BOOL), b)).toEqual([true, false]);
  });
});

describe('three-valued logic', () => {
  const T = true, F = false, N = null;
  const b = batchOf([column(BOOL, [T, T, T, F, F, F, N, N, N]), column(BOOL, [T, F, N, T, F, N, T, F, N])]);
  const x = col(0, 'x', BOOL), y = col(1, 'y', BOOL);
  it('and / or / not', () => {
    expect(run(call('and', [x, y], BOOL), b)).toEqual([T, F, N, F, F, F, N, F, N]);
    expect(run(call('or', [x, y], BOOL), b)).toEqual([T, T, T, T, F, N, T, N, N]);
    expect(run(call('not', [x], BOOL), b)).toEqual([F, F, F, T, T, T, N, N, N]);
    expect(run(call('and', [x, lit(null, BOOL)], BOOL), b)).toEqual([N, N, N, F, F, F, N, N, N]);
    expect(run(call('or', [x, lit(true, BOOL)], BOOL), b)).toEqual([T, T, T, T, T, T, T, T, T]);
  });
  it('null tests', () => {
    expect(run(call('is_null', [y], BOOL), b)).toEqual([F, F, T, F, F, T, F, F, T]);
    expect(run(call('is_not_null', [y], BOOL), b)).toEqual([T, T, F, T, T, F, T, T, F]);
    expect(run(call('is_true', [y], BOOL), b)).toEqual([T, F, F, T, F, F, T, F, F]);
    expect(run(call('is_false', [y], BOOL), b)).toEqual([F, T, F, F, T, F, F, T, F]);
  });
  it('AND short-circuits a right side that may raise', () => {
    const bb = batchOf([column(INT32, [0, 2, null, 1])]);
    const v = col(0, 'v', INT32);
    const pred = call('and', [call('neq', [v, lit(0, INT32)], BOOL), call('gt', [call('div', [lit(4, INT32), v], INT32), lit(1, INT32)], BOOL)], BOOL);
    expect(run(pred, bb)).toEqual([false, true, null, true]);
    const pred2 = call('or', [call('eq', [v, lit(0, INT32)], BOOL), call('gt', [call('div', [lit(4, INT32), v], INT32), lit(2, INT32)], BOOL)], BOOL);
    expect(run(pred2, bb)).toEqual([true, false, null, true]);
  });
});
