import { describe, it, expect } from 'vitest';
import { col, lit, call } from '../../src/logical/expr.js';
import { BOOL, INT32, INT64, FLOAT64, UTF8, DATE, TIMESTAMP, decimal } from '../../src/types/data-type.js';
import { batchOf, column, run, runText } from './helpers.js';
import { likeMatcher, pgSubstring } from '../../src/expr/kernels/string.js';
import { daysFromCivil } from '../../src/expr/temporal.js';

describe('strings', () => {
  const b = batchOf([column(UTF8, ['Ab', 'cd', null, 'Ab']), column(UTF8, ['x', null, 'y', 'z']), column(INT32, [1, 2, 3, null])]);
  const s = col(0, 's', UTF8), t = col(1, 't', UTF8), n = col(2, 'n', INT32);
  it('|| propagates NULL, concat() skips it, non-text operands are cast', () => {
    expect(run(call('concat_op', [s, t], UTF8), b)).toEqual(['Abx', null, null, 'Abz']);
    expect(run(call('concat_op', [s, lit('!', UTF8)], UTF8), b)).toEqual(['Ab!', 'cd!', null, 'Ab!']);
    expect(run(call('concat_op', [lit('<', UTF8), s], UTF8), b)).toEqual(['<Ab', '<cd', null, '<Ab']);
    expect(run(call('concat', [s, t, n], UTF8), b)).toEqual(['Abx1', 'cd2', 'y3', 'Abz']);
    expect(run(call('concat_op', [s, n], UTF8), b)).toEqual(['Ab1', 'cd2', null, null]);
  });
  it('lower upper length (characters)', () => {
    expect(run(call('lower', [s], UTF8), b)).toEqual(['ab', 'cd', null, 'ab']);
    expect(run(call('upper', [s], UTF8), b)).toEqual(['AB', 'CD', null, 'AB']);
    const u = batchOf([column(UTF8, ['héllo', '😀a', ''])]);
    expect(run(call('length', [col(0, 'u', UTF8)], INT32), u)).toEqual([5, 2, 0]);
  });
  it('substring with PG start semantics', () => {
    expect(pgSubstring('hello', 0, 3)).toBe('he');
    expect(pgSubstring('hello', -2, 3)).toBe('');
    expect(pgSubstring('hello', 2, null)).toBe('ello');
    expect(pgSubstring('hello', 2, 100)).toBe('ello');
    expect(pgSubstring('😀ab', 2, 1)).toBe('a');
    expect(() => pgSubstring('x', 1, -1)).toThrowError('negative substring length not allowed');
    expect(run(call('substring', [s, lit(2, INT32)], UTF8), b)).toEqual(['b', 'd', null, 'b']);
    expect(run(call('substring', [s, n, lit(1, INT32)], UTF8), b)).toEqual(['A', 'd', null, null]);
  });
  it('LIKE / ILIKE with % _ and escapes', () => {
    expect(likeMatcher('a%', false)('abc')).toBe(true);
    expect(likeMatcher('%c', false)('abc')).toBe(true);
    expect(likeMatcher('%b%', false)('abc')).toBe(true);
    expect(likeMatcher('a_c', false)('abc')).toBe(true);
    expect(likeMatcher('a_c', false)('abbc')).toBe(false);
    expect(likeMatcher('a\\%', false)('a%')).toBe(true);
    expect(likeMatcher('a\\%', false)('ab')).toBe(false);
    expect(likeMatcher('a.c', false)('abc')).toBe(false);
    expect(likeMatcher('_', false)('😀')).toBe(true);
    expect(likeMatcher('A%', true)('abc')).toBe(true);
    expect(() => likeMatcher('a\\', false)).toThrowError('LIKE pattern must not end with escape character');
    expect(run(call('like', [s, lit('A%', UTF8)], BOOL), b)).toEqual([true, false, null, true]);
    expect(run(call('not_like', [s, lit('A%', UTF8)], BOOL), b)).toEqual([false, true, null, false]);
    expect(run(call('ilike', [s, lit('a%', UTF8)], BOOL), b)).toEqual([true, false, null, true]);
    expect(run(call('like', [s, t], BOOL), batchOf([column(UTF8, ['ab', 'x']), column(UTF8, ['a%', 'y'])]))).toEqual([true, false]);
  });
});

const D = (y: number, m: number, d: number) => daysFromCivil(y, m, d);
const TS = (y: number, m: number, d: number, h = 0, mi = 0, s = 0, us = 0) => D(y, m, d) * 86400e6 + ((h * 60 + mi) * 60 + s) * 1e6 + us;

describe('dates', () => {
  const tb = batchOf([column(TIMESTAMP, [TS(2024, 5, 15, 13, 45, 30, 250000), TS(1969, 12, 31, 23, 59, 59), null])]);
  const ts = col(0, 'ts', TIMESTAMP);
  const trunc = (f: string) => runText(call('date_trunc', [lit(f, UTF8), ts], TIMESTAMP), tb);
  it('date_trunc', () => {
    expect(trunc('second')).toEqual(['2024-05-15 13:45:30', '1969-12-31 23:59:59', null]);
    expect(trunc('minute')[0]).toBe('2024-05-15 13:45:00');
    expect(trunc('hour')[0]).toBe('2024-05-15 13:00:00');
    expect(trunc('day')).toEqual(['2024-05-15 00:00:00', '1969-12-31 00:00:00', null]);
    expect(trunc('week')[0]).toBe('2024-05-13 00:00:00');
    expect(trunc('month')[0]).toBe('2024-05-01 00:00:00');
    expect(trunc('quarter')[0]).toBe('2024-04-01 00:00:00');
    expect(trunc('YEAR')).toEqual(['2024-01-01 00:00:00', '1969-01-01 00:00:00', null]);
    expect(trunc('decade')[0]).toBe('2020-01-01 00:00:00');
    expect(trunc('century')[0]).toBe('2001-01-01 00:00:00');
    expect(trunc('millennium')[0]).toBe('2001-01-01 00:00:00');
    expect(() => trunc('fortnight')).toThrowError('unit "fortnight" not recognized for type timestamp without time zone');
    const db = batchOf([column(DATE, [D(2024, 2, 29)])]);
    expect(runText(call('date_trunc', [lit('month', UTF8), col(0, 'd', DATE)], TIMESTAMP), db)).toEqual(['2024-02-01 00:00:00']);
  });
  it('extract (numeric) and date_part (float8)', () => {
    const ex = (f: string, scale = 0) => runText(call('extract', [lit(f, UTF8), ts], decimal(38, scale)), tb);
    expect(ex('year')).toEqual(['2024', '1969', null]);
    expect(ex('month')[0]).toBe('5');
    expect(ex('day')[0]).toBe('15');
    expect(ex('hour')[0]).toBe('13');
    expect(ex('minute')[0]).toBe('45');
    expect(ex('second', 6)[0]).toBe('30.250000');
    expect(ex('quarter')[0]).toBe('2');
    expect(ex('dow')[0]).toBe('3');
    expect(ex('isodow')[0]).toBe('3');
    expect(ex('doy')[0]).toBe('136');
    expect(ex('week')[0]).toBe('20');
    expect(ex('epoch', 6)).toEqual(['1715780730.250000', '-1.000000', null]);
    expect(run(call('date_part', [lit('second', UTF8), ts], FLOAT64), tb)[0]).toBe(30.25);
    expect(run(call('date_part', [lit('dow', UTF8), ts], FLOAT64), tb)[1]).toBe(3);
    const db = batchOf([column(DATE, [D(2021, 1, 1), D(2020, 12, 31)])]);
    const d = col(0, 'd', DATE);
    expect(runText(call('extract', [lit('week', UTF8), d], decimal(38, 0)), db)).toEqual(['53', '53']);
    expect(runText(call('extract', [lit('isoyear', UTF8), d], decimal(38, 0)), db)).toEqual(['2020', '2020']);
    expect(runText(call('extract', [lit('epoch', UTF8), d], decimal(38, 0)), db)[0]).toBe('1609459200');
    expect(() => run(call('extract', [lit('hour', UTF8), d], decimal(38, 0)), db)).toThrowError('unit "hour" not supported for type date');
    expect(run(call('date_part', [lit('hour', UTF8), d], FLOAT64), db)).toEqual([0, 0]);
  });
  it('date arithmetic', () => {
    const db = batchOf([column(DATE, [D(2024, 2, 28), null]), column(DATE, [D(2024, 1, 1), D(2024, 1, 1)])]);
    const d = col(0, 'd', DATE), e = col(1, 'e', DATE);
    expect(runText(call('date_add_days', [d, lit(2, INT32)], DATE), db)).toEqual(['2024-03-01', null]);
    expect(runText(call('date_add_days', [lit(2, INT32), d], DATE), db)).toEqual(['2024-03-01', null]);
    expect(runText(call('date_sub_days', [d, lit(59, INT32)], DATE), db)).toEqual(['2023-12-31', null]);
    expect(run(call('date_diff_days', [d, e], INT32), db)).toEqual([58, null]);
  });
});

describe('math', () => {
  it('round', () => {
    const f = batchOf([column(FLOAT64, [2.5, 3.5, -2.5, 0.4, null])]);
    expect(run(call('round', [col(0, 'x', FLOAT64)], FLOAT64), f)).toEqual([2, 4, -2, 0, null]);
    const d = batchOf([column(decimal(10, 2), [250, -250, 249, 12345])]);
    const x = col(0, 'x', decimal(10, 2));
    expect(runText(call('round', [x], decimal(9, 0)), d)).toEqual(['3', '-3', '2', '123']);
    expect(runText(call('round', [x, lit(1, INT32)], decimal(10, 1)), d)).toEqual(['2.5', '-2.5', '2.5', '123.5']);
    expect(runText(call('round', [x, lit(1, INT32)], decimal(10, 2)), d)).toEqual(['2.50', '-2.50', '2.50', '123.50']);
    expect(runText(call('round', [x, lit(-1, INT32)], decimal(10, 0)), d)).toEqual(['0', '0', '0', '120']);
    expect(runText(call('round', [x, lit(4, INT32)], decimal(12, 4)), d)).toEqual(['2.5000', '-2.5000', '2.4900', '123.4500']);
  });
  it('abs floor ceil', () => {
    const i = batchOf([column(INT32, [-3, 4, null])]);
    expect(run(call('abs', [col(0, 'x', INT32)], INT32), i)).toEqual([3, 4, null]);
    expect(() => run(call('abs', [col(0, 'x', INT32)], INT32), batchOf([column(INT32, [-2147483648])]))).toThrowError('integer out of range');
    const d = batchOf([column(decimal(10, 2), [250, -250, 200])]);
    const x = col(0, 'x', decimal(10, 2));
    expect(runText(call('floor', [x], decimal(9, 0)), d)).toEqual(['2', '-3', '2']);
    expect(runText(call('ceil', [x], decimal(9, 0)), d)).toEqual(['3', '-2', '2']);
    expect(runText(call('abs', [x], decimal(10, 2)), d)).toEqual(['2.50', '2.50', '2.00']);
    const f = batchOf([column(FLOAT64, [-1.5, 1.5])]);
    expect(run(call('floor', [col(0, 'x', FLOAT64)], FLOAT64), f)).toEqual([-2, 1]);
    expect(run(call('ceil', [col(0, 'x', FLOAT64)], FLOAT64), f)).toEqual([-1, 2]);
    expect(run(call('floor', [col(0, 'x', INT64)], FLOAT64), batchOf([column(INT64, [5])]))).toEqual([5]);
  });
});
