import { describe, it, expect } from 'vitest';
import { col, lit, call } from '../../src/logical/expr.js';
import { INT32, INT64, FLOAT64, decimal } from '../../src/types/data-type.js';
import { EngineError } from '../../src/errors.js';
import { batchOf, column, run, runText } from './helpers.js';

const i32 = (vals: (number | null)[]) => column(INT32, vals);

describe('integer arithmetic', () => {
  const b = batchOf([i32([7, -7, null, 0]), i32([2, 2, 5, 3])]);
  const a = col(0, 'a', INT32), c = col(1, 'b', INT32);
  it('add/sub/mul col-col with NULLs', () => {
    expect(run(call('add', [a, c], INT32), b)).toEqual([9, -5, null, 3]);
    expect(run(call('sub', [a, c], INT32), b)).toEqual([5, -9, null, -3]);
    expect(run(call('mul', [a, c], INT32), b)).toEqual([14, -14, null, 0]);
  });
  it('div truncates toward zero, mod has the sign of the dividend', () => {
    expect(run(call('div', [a, c], INT32), b)).toEqual([3, -3, null, 0]);
    expect(run(call('mod', [a, c], INT32), b)).toEqual([1, -1, null, 0]);
  });
  it('column op scalar and scalar op column', () => {
    expect(run(call('sub', [a, lit(1, INT32)], INT32), b)).toEqual([6, -8, null, -1]);
    expect(run(call('sub', [lit(10, INT32), a], INT32), b)).toEqual([3, 17, null, 10]);
    expect(run(call('add', [a, lit(null, INT32)], INT32), b)).toEqual([null, null, null, null]);
  });
  it('division by zero raises, but not on NULL rows', () => {
    expect(() => run(call('div', [c, a], INT32), b)).toThrowError(new EngineError('division_by_zero', 'division by zero'));
    expect(() => run(call('mod', [c, lit(0, INT32)], INT32), b)).toThrowError('division by zero');
    const nb = batchOf([i32([1, null]), i32([1, 0])]);
    // row 1: b = 0 but a is NULL → NULL, no error
    const nb2 = batchOf([i32([1, 1]), column(INT32, [1, null])]);
    expect(run(call('div', [col(0, 'a', INT32), col(1, 'b', INT32)], INT32), nb2)).toEqual([1, null]);
    expect(nb.numRows).toBe(2);
  });
  it('int4 overflow', () => {
    const ob = batchOf([i32([2147483647, -2147483648])]);
    const x = col(0, 'x', INT32);
    expect(() => run(call('add', [x, lit(1, INT32)], INT32), batchOf([i32([2147483647])]))).toThrowError('integer out of range');
    expect(() => run(call('mul', [x, lit(2, INT32)], INT32), ob)).toThrowError(/integer out of range/);
    expect(() => run(call('div', [x, lit(-1, INT32)], INT32), batchOf([i32([-2147483648])]))).toThrowError('integer out of range');
    expect(() => run(call('neg', [x], INT32), batchOf([i32([-2147483648])]))).toThrowError('integer out of range');
    expect(run(call('mod', [x, lit(-1, INT32)], INT32), batchOf([i32([-2147483648])]))).toEqual([0]);
  });
  it('int8 arithmetic and overflow', () => {
    const x = col(0, 'x', INT64);
    const bb = batchOf([column(INT64, [9e18, -5, null])]);
    expect(() => run(call('add', [x, lit(9e18, INT64)], INT64), bb)).toThrowError('bigint out of range');
    expect(run(call('div', [x, lit(2, INT64)], INT64), batchOf([column(INT64, [-5, 5])]))).toEqual([-2, 2]);
  });
  it('empty batch', () => {
    const eb = batchOf([i32([]), i32([])], 0);
    expect(run(call('div', [a, c], INT32), eb)).toEqual([]);
  });
});

describe('float arithmetic', () => {
  const x = col(0, 'x', FLOAT64);
  const b = batchOf([column(FLOAT64, [1.5, -2, null, 1e308])]);
  it('basic ops', () => {
    expect(run(call('mul', [x, lit(2, FLOAT64)], FLOAT64), batchOf([column(FLOAT64, [1.5, -2, null])]))).toEqual([3, -4, null]);
    expect(run(call('div', [lit(1, FLOAT64), x], FLOAT64), batchOf([column(FLOAT64, [4, null])]))).toEqual([0.25, null]);
  });
  it('overflow and division by zero', () => {
    expect(() => run(call('mul', [x, lit(10, FLOAT64)], FLOAT64), b)).toThrowError('value out of range: overflow');
    expect(() => run(call('div', [x, lit(0, FLOAT64)], FLOAT64), b)).toThrowError('division by zero');
    expect(run(call('add', [x, lit(Infinity, FLOAT64)], FLOAT64), batchOf([column(FLOAT64, [1])]))).toEqual([Infinity]);
  });
});

describe('numeric arithmetic', () => {
  const d2 = decimal(15, 2), d3 = decimal(10, 3);
  const b = batchOf([column(d2, [1050, -250, null]), column(d3, [1, 2500, 1000])]);
  const a = col(0, 'a', d2), c = col(1, 'c', d3);
  it('add/sub align scales (max scale)', () => {
    expect(runText(call('add', [a, c], decimal(17, 3)), b)).toEqual(['10.501', '0.000', null]);
    expect(runText(call('sub', [a, c], decimal(17, 3)), b)).toEqual(['10.499', '-5.000', null]);
  });
  it('mul adds scales', () => {
    expect(runText(call('mul', [a, c], decimal(25, 5)), b)).toEqual(['0.01050', '-6.25000', null]);
  });
  it('div rounds half away from zero at the result scale', () => {
    const q = call('div', [col(0, 'a', decimal(10, 0)), col(1, 'b', decimal(10, 0))], decimal(38, 16));
    const bb = batchOf([column(decimal(10, 0), [1, 2, -2, 10]), column(decimal(10, 0), [3, 3, 3, 4])]);
    expect(runText(q, bb)).toEqual(['0.3333333333333333', '0.6666666666666667', '-0.6666666666666667', '2.5000000000000000']);
    expect(() => run(call('div', [a, lit(0, decimal(1, 0))], decimal(38, 16)), b)).toThrowError('division by zero');
  });
  it('mod', () => {
    expect(runText(call('mod', [a, lit(300, d2)], d2), b)).toEqual(['1.50', '-2.50', null]);
  });
  it('int operand is cast to decimal', () => {
    expect(runText(call('add', [a, lit(1, INT32)], decimal(16, 2)), b)).toEqual(['11.50', '-1.50', null]);
  });
  it('neg', () => {
    expect(runText(call('neg', [a], d2), b)).toEqual(['-10.50', '2.50', null]);
  });
});
