import { describe, it, expect } from 'vitest';
import { col, lit, type Expr } from '../../src/logical/expr.js';
import { BOOL, INT32, INT64, FLOAT64, UTF8, DATE, TIMESTAMP, decimal, type DataType } from '../../src/types/data-type.js';
import { batchOf, column, run, runText, type V } from './helpers.js';
import { formatFloat8, formatDecimal, formatValue } from '../../src/expr/format.js';

const cast = (e: Expr, type: DataType): Expr => ({ kind: 'cast', expr: e, type });
const castCol = (from: DataType, vals: V[], to: DataType) => run(cast(col(0, 'x', from), to), batchOf([column(from, vals)]));
const castText = (from: DataType, vals: V[], to: DataType) => runText(cast(col(0, 'x', from), to), batchOf([column(from, vals)]));

describe('numeric casts', () => {
  it('numeric → int rounds half away from zero', () => {
    expect(castCol(decimal(10, 1), [25, -25, 24, -26, null], INT32)).toEqual([3, -3, 2, -3, null]);
    expect(castCol(decimal(10, 2), [250, -250], INT64)).toEqual([3, -3]);
  });
  it('float8 → int rounds half to even', () => {
    expect(castCol(FLOAT64, [2.5, 3.5, -2.5, -0.5, 1.4999], INT32)).toEqual([2, 4, -2, 0, 1]);
    expect(() => castCol(FLOAT64, [3e9], INT32)).toThrowError('integer out of range');
    expect(() => castCol(FLOAT64, [NaN], INT32)).toThrowError('integer out of range');
    expect(() => castCol(INT64, [3e9], INT32)).toThrowError('integer out of range');
    const g = column(INT64, [3e9, 1]);
    const gb = batchOf([{ ...g, validity: new Uint8Array([0, 1]) }]);
    expect(run(cast(col(0, 'x', INT64), INT32), gb)).toEqual([null, 1]); // NULL slot garbage never raises
  });
  it('decimal rescale with rounding and overflow', () => {
    expect(castText(decimal(10, 3), [1235, -1235, 1234], decimal(10, 2))).toEqual(['1.24', '-1.24', '1.23']);
    expect(castText(decimal(10, 1), [15], decimal(10, 3))).toEqual(['1.500']);
    expect(() => castCol(decimal(10, 2), [100000], decimal(4, 2))).toThrowError('numeric field overflow');
    expect(() => castCol(INT32, [100], decimal(3, 1))).toThrowError('numeric field overflow');
    expect(castText(INT32, [99, -7], decimal(3, 1))).toEqual(['99.0', '-7.0']);
  });
  it('float8 → numeric goes through 15 digits', () => {
    expect(castText(FLOAT64, [0.1 + 0.2, 2.675, -1.005], decimal(10, 2))).toEqual(['0.30', '2.68', '-1.01']);
  });
  it('numeric → float8, int → float8, int ↔ bool', () => {
    expect(castCol(decimal(10, 2), [150], FLOAT64)).toEqual([1.5]);
    expect(castCol(INT32, [0, 5], BOOL)).toEqual([false, true]);
    expect(castCol(BOOL, [true, false], INT32)).toEqual([1, 0]);
  });
});

describe('text output', () => {
  it('float8 like PostgreSQL 12+', () => {
    expect(formatFloat8(1e20)).toBe('1e+20');
    expect(formatFloat8(1e15)).toBe('1e+15');
    expect(formatFloat8(123456789012345)).toBe('123456789012345');
    expect(formatFloat8(0.0001)).toBe('0.0001');
    expect(formatFloat8(0.00001)).toBe('1e-05');
    expect(formatFloat8(-0)).toBe('-0');
    expect(formatFloat8(NaN)).toBe('NaN');
    expect(formatFloat8(-Infinity)).toBe('-Infinity');
    expect(formatFloat8(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatFloat8(1.5e-7)).toBe('1.5e-07');
    expect(formatFloat8(100)).toBe('100');
  });
  it('decimal keeps its scale', () => {
    expect(formatDecimal(5, 2)).toBe('0.05');
    expect(formatDecimal(-5, 2)).toBe('-0.05');
    expect(formatDecimal(-0, 2)).toBe('0.00');
    expect(formatDecimal(12345, 0)).toBe('12345');
  });
  it('casts to text', () => {
    expect(castCol(BOOL, [true, false, null], UTF8)).toEqual(['true', 'false', null]);
    expect(castCol(INT32, [1, -2, 1], UTF8)).toEqual(['1', '-2', '1']);
    expect(castCol(decimal(10, 2), [100, -5], UTF8)).toEqual(['1.00', '-0.05']);
    expect(castCol(FLOAT64, [0, -0, 2.5], UTF8)).toEqual(['0', '-0', '2.5']);
    expect(castCol(DATE, [0, 19723, -1], UTF8)).toEqual(['1970-01-01', '2024-01-01', '1969-12-31']);
    expect(castCol(TIMESTAMP, [1704067200e6 + 3723e6, 500000, 1], UTF8))
      .toEqual(['2024-01-01 01:02:03', '1970-01-01 00:00:00.5', '1970-01-01 00:00:00.000001']);
    expect(formatValue(true, BOOL)).toBe('t');
  });
});

describe('text input', () => {
  it('integers', () => {
    expect(castCol(UTF8, [' 42 ', '-7', null], INT32)).toEqual([42, -7, null]);
    expect(() => castCol(UTF8, ['abc'], INT32)).toThrowError('invalid input syntax for type integer: "abc"');
    expect(() => castCol(UTF8, ['1.5'], INT64)).toThrowError('invalid input syntax for type bigint: "1.5"');
    expect(() => castCol(UTF8, ['99999999999'], INT32)).toThrowError('value "99999999999" is out of range for type integer');
  });
  it('only dictionary entries used by non-NULL rows are parsed', () => {
    const c = column(UTF8, ['1', 'x']);
    const b = batchOf([{ ...c, validity: new Uint8Array([1, 0]) }]);
    expect(run(cast(col(0, 'x', UTF8), INT32), b)).toEqual([1, null]);
  });
  it('numeric, float, bool', () => {
    expect(castText(UTF8, ['1.005', '-1.005', '1e2', '.5'], decimal(10, 2))).toEqual(['1.01', '-1.01', '100.00', '0.50']);
    expect(() => castCol(UTF8, ['1.2.3'], decimal(10, 2))).toThrowError('invalid input syntax for type numeric: "1.2.3"');
    expect(() => castCol(UTF8, ['12345'], decimal(5, 2))).toThrowError('numeric field overflow');
    expect(castCol(UTF8, ['1.5', 'NaN', '-Infinity', '1e3'], FLOAT64)).toEqual([1.5, NaN, -Infinity, 1000]);
    expect(() => castCol(UTF8, ['x1'], FLOAT64)).toThrowError('invalid input syntax for type double precision: "x1"');
    expect(castCol(UTF8, ['t', 'TRUE', 'no', 'off', '1', 'y'], BOOL)).toEqual([true, true, false, false, true, true]);
    expect(() => castCol(UTF8, ['maybe'], BOOL)).toThrowError('invalid input syntax for type boolean: "maybe"');
  });
  it('date and timestamp', () => {
    expect(castCol(UTF8, ['2024-01-01', '1970-01-02'], DATE)).toEqual([19723, 1]);
    expect(castCol(UTF8, ['2024-01-01 01:02:03.5'], TIMESTAMP)).toEqual([1704067200e6 + 3723.5e6]);
    expect(() => castCol(UTF8, ['2024-02-30'], DATE)).toThrowError('date/time field value out of range: "2024-02-30"');
    expect(() => castCol(UTF8, ['hello'], DATE)).toThrowError('invalid input syntax for type date: "hello"');
  });
  it('date ↔ timestamp', () => {
    expect(castCol(DATE, [1], TIMESTAMP)).toEqual([86400e6]);
    expect(castCol(TIMESTAMP, [86400e6 + 5, -1], DATE)).toEqual([1, -1]);
  });
  it('literal casts fold', () => {
    expect(run(cast(lit('12', UTF8), INT32), batchOf([column(INT32, [0, 0])]))).toEqual([12, 12]);
  });
});
