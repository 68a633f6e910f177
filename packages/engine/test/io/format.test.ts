import { describe, expect, it } from 'vitest';
import { formatBatchRows, formatCell, formatDate, formatDecimal, formatFloat8, formatInt64, formatTimestamp } from '../../src/io/format.js';
import { allTypesBatch } from './helpers.js';

describe('format (PostgreSQL text output)', () => {
  it('float8 like PostgreSQL 12+', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'], [1e20, '1e+20'], [1.5e-5, '1.5e-05'], [123456789012345, '123456789012345'],
      [1e15, '1e+15'], [1234567890123456, '1.234567890123456e+15'], [0.0001, '0.0001'], [0.00001, '1e-05'],
      [-0, '-0'], [0, '0'], [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [1 / 3, '0.3333333333333333'],
      [100, '100'], [-2.5, '-2.5'], [1.7976931348623157e308, '1.7976931348623157e+308'], [5e-324, '5e-324'],
      [2 / 3, '0.6666666666666666'], [1e100, '1e+100'], [-1.25e-7, '-1.25e-07'], [0.1 + 0.2, '0.30000000000000004'],
    ];
    for (const [x, s] of cases) expect(formatFloat8(x), String(x)).toBe(s);
  });

  it('numeric exactly with its scale', () => {
    expect(formatDecimal(1250, 2)).toBe('12.50');
    expect(formatDecimal(-5, 2)).toBe('-0.05');
    expect(formatDecimal(0, 2)).toBe('0.00');
    expect(formatDecimal(-0, 2)).toBe('0.00');
    expect(formatDecimal(5, 0)).toBe('5');
    expect(formatDecimal(-123, 1)).toBe('-12.3');
    expect(formatDecimal(999999999999999, 2)).toBe('9999999999999.99');
    expect(formatDecimal(7, 5)).toBe('0.00007');
  });

  it('integers, dates and timestamps', () => {
    expect(formatInt64(-9007199254740991)).toBe('-9007199254740991');
    expect(formatInt64(-0)).toBe('0');
    expect(formatDate(0)).toBe('1970-01-01');
    expect(formatDate(19000)).toBe('2022-01-08');
    expect(formatDate(-719162)).toBe('0001-01-01');
    expect(formatDate(-719163)).toBe('0001-12-31 BC');
    expect(formatDate(-365243219 + 1000)).toMatch(/ BC$/);
    expect(formatDate(2932896)).toBe('9999-12-31');
    expect(formatDate(2932897)).toBe('10000-01-01');
    expect(formatDate(-682944)).toBe('0100-03-01');
    expect(formatTimestamp(1_700_000_000_123_456)).toBe('2023-11-14 22:13:20.123456');
    expect(formatTimestamp(1_500_000)).toBe('1970-01-01 00:00:01.5');
    expect(formatTimestamp(-1)).toBe('1969-12-31 23:59:59.999999');
    expect(formatTimestamp(0)).toBe('1970-01-01 00:00:00');
    expect(formatTimestamp(-62135596800000000 - 1_000_000)).toBe('0001-12-31 23:59:59 BC');
  });

  it('formatCell / formatBatchRows for every type', () => {
    const b = allTypesBatch();
    expect(formatBatchRows(b)).toEqual([
      ['1', '1', '0.1', '12.50', 'a', 't', '1970-01-01', '1970-01-01 00:00:00'],
      [null, null, null, null, null, null, null, null],
      ['-2147483648', '-9007199254740991', '-1.5e+300', '-0.05', 'ünï', 'f', '0000-01-01', '1969-12-31 23:59:59.999999'].map((x, i) =>
        i === 6 ? '0001-01-01 BC' : x),
      ['2147483647', '9007199254740991', 'NaN', '9999999999999.99', 'v0', 't', '2022-01-08', '2023-11-14 22:13:20.123456'],
      ['0', '-5', 'Infinity', '-42949672.96', 'ünï', 't', '9999-12-31', '0001-01-01 00:00:00'],
    ]);
    expect(formatCell(b.columns[4], 1)).toBeNull();
  });
});
