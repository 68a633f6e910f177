import { describe, expect, it } from 'vitest';
import { diffRows, median, ratio, summarize, SUITES } from '../src/index.js';

describe('run statistics', () => {
  it('median of odd and even counts, min and max', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(summarize([30, 10, 20, 100])).toEqual({ runsMs: [30, 10, 20, 100], medianMs: 25, minMs: 10, maxMs: 100 });
  });

  it('ratio to the engine, null when it cannot be formed', () => {
    expect(ratio(30, 10)).toBe(3);
    expect(ratio(5, 10)).toBe(0.5);
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(NaN, 10)).toBeNull();
    expect(ratio(undefined, 10)).toBeNull();
  });
});

describe('result comparison', () => {
  it('ignores row order, number formatting and float noise', () => {
    expect(diffRows([['a', '1.50'], ['b', '2']], [['b', '2.0'], ['a', '1.5']])).toBeNull();
    expect(diffRows([['x', '0.1']], [['x', '0.10000000000000002']])).toBeNull();
    expect(diffRows([['2024-01-01', '1']], [['2024-01-01 00:00:00', '1']])).toBeNull();
  });

  it('flags a different value, row count, NULL or column count', () => {
    expect(diffRows([['a', '1']], [['a', '1.001']])).toMatch(/row 0/);
    expect(diffRows([['a', '1']], [['a', '1'], ['b', '2']])).toMatch(/row count 2 vs 1/);
    expect(diffRows([['a', null]], [['a', '0']])).toMatch(/row 0/);
    expect(diffRows([['a', '1']], [['a', '1', 'x']])).toMatch(/column count/);
  });
});

describe('suites', () => {
  it('cover the catalog workloads and seed 003 query groups', () => {
    expect(Object.keys(SUITES)).toEqual(['medallion', 'charts_by_age', 'pgstrom_suite', 'aggregation_modes', 'groupby', 'aggregates', 'windows']);
    expect(SUITES.pgstrom_suite.queries).toHaveLength(14);
    expect(SUITES.windows.queries.every((q) => /^SELECT COUNT\(\*\)/.test(q.sql))).toBe(true);
    expect(SUITES.aggregation_modes.dataset).toBe('salary');
  });
});
