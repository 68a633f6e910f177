import { describe, it, expect } from 'vitest';
import { resolveScalar, resolveScalarCall, commonSupertype } from '../../src/expr/resolve.js';
import { lit, col } from '../../src/logical/expr.js';
import { BOOL, INT32, INT64, FLOAT64, UTF8, DATE, TIMESTAMP, NULL, decimal } from '../../src/types/data-type.js';

describe('resolveScalar', () => {
  it('arithmetic result types', () => {
    expect(resolveScalar('add', [INT32, INT32])).toEqual({ fn: 'add', argTypes: [INT32, INT32], returnType: INT32 });
    expect(resolveScalar('mul', [INT32, INT64])?.returnType).toEqual(INT64);
    expect(resolveScalar('div', [INT64, FLOAT64])).toEqual({ fn: 'div', argTypes: [FLOAT64, FLOAT64], returnType: FLOAT64 });
    expect(resolveScalar('add', [decimal(15, 2), decimal(10, 3)])?.returnType).toEqual(decimal(17, 3));
    expect(resolveScalar('mul', [decimal(15, 2), decimal(10, 3)])?.returnType).toEqual(decimal(25, 5));
    expect(resolveScalar('add', [INT32, decimal(10, 2)])).toEqual({ fn: 'add', argTypes: [decimal(10, 0), decimal(10, 2)], returnType: decimal(13, 2) });
    expect(resolveScalar('div', [decimal(15, 2), INT64])?.returnType.kind).toBe('decimal');
    expect(resolveScalar('add', [NULL, INT32])?.returnType).toEqual(INT32);
    expect(resolveScalar('add', [UTF8, BOOL])).toBeNull();
    expect(resolveScalar('neg', [INT64])?.returnType).toEqual(INT64);
  });
  it('date arithmetic renames', () => {
    expect(resolveScalar('add', [DATE, INT32])).toEqual({ fn: 'date_add_days', argTypes: [DATE, INT32], returnType: DATE });
    expect(resolveScalar('add', [INT32, DATE])?.fn).toBe('date_add_days');
    expect(resolveScalar('sub', [DATE, INT32])?.fn).toBe('date_sub_days');
    expect(resolveScalar('sub', [DATE, DATE])).toEqual({ fn: 'date_diff_days', argTypes: [DATE, DATE], returnType: INT32 });
  });
  it('comparison coercions', () => {
    expect(resolveScalar('eq', [INT32, INT64])?.argTypes).toEqual([INT64, INT64]);
    expect(resolveScalar('eq', [INT32, decimal(10, 2)])?.argTypes).toEqual([decimal(12, 2), decimal(12, 2)]);
    expect(resolveScalar('lt', [decimal(15, 2), decimal(10, 3)])?.argTypes).toEqual([decimal(16, 3), decimal(16, 3)]);
    expect(resolveScalar('eq', [DATE, TIMESTAMP])?.argTypes).toEqual([TIMESTAMP, TIMESTAMP]);
    expect(resolveScalar('eq', [NULL, UTF8])?.argTypes).toEqual([UTF8, UTF8]);
    expect(resolveScalar('eq', [DATE, UTF8])?.argTypes).toEqual([DATE, DATE]);
    expect(resolveScalar('eq', [BOOL, INT32])).toBeNull();
    expect(resolveScalar('eq', [INT32, INT32])?.returnType).toEqual(BOOL);
  });
  it('functions', () => {
    expect(resolveScalar('concat_op', [UTF8, INT32])).toEqual({ fn: 'concat_op', argTypes: [UTF8, UTF8], returnType: UTF8 });
    expect(resolveScalar('length', [UTF8])?.returnType).toEqual(INT32);
    expect(resolveScalar('substring', [UTF8, INT64, INT32])?.argTypes).toEqual([UTF8, INT32, INT32]);
    expect(resolveScalar('date_trunc', [UTF8, DATE])).toEqual({ fn: 'date_trunc', argTypes: [UTF8, TIMESTAMP], returnType: TIMESTAMP });
    expect(resolveScalar('date_part', [UTF8, TIMESTAMP])?.returnType).toEqual(FLOAT64);
    expect(resolveScalar('round', [decimal(10, 2)])?.returnType).toEqual(decimal(9, 0));
    expect(resolveScalar('round', [FLOAT64])?.returnType).toEqual(FLOAT64);
    expect(resolveScalar('round', [FLOAT64, INT32])).toBeNull();
    expect(resolveScalar('ceiling', [decimal(10, 2)])?.fn).toBe('ceil');
    expect(resolveScalar('coalesce', [NULL, INT32, INT64])?.returnType).toEqual(INT64);
    expect(resolveScalar('coalesce', [INT32, BOOL])).toBeNull();
    expect(resolveScalar('nullif', [INT32, INT32])?.returnType).toEqual(INT32);
    expect(resolveScalar('no_such_fn', [INT32])).toBeNull();
  });
  it('value-dependent result types via resolveScalarCall', () => {
    expect(resolveScalarCall('round', [col(0, 'x', decimal(10, 4)), lit(2, INT32)])?.returnType).toEqual(decimal(9, 2));
    expect(resolveScalarCall('extract', [lit('second', UTF8), col(0, 't', TIMESTAMP)])?.returnType).toEqual(decimal(38, 6));
    expect(resolveScalarCall('extract', [lit('year', UTF8), col(0, 't', TIMESTAMP)])?.returnType).toEqual(decimal(38, 0));
  });
  it('commonSupertype', () => {
    expect(commonSupertype(INT32, FLOAT64)).toEqual(FLOAT64);
    expect(commonSupertype(decimal(5, 2), INT64)).toEqual(decimal(21, 2));
    expect(commonSupertype(UTF8, BOOL)).toEqual(BOOL);
  });
});
