import { describe, expect, it } from 'vitest';
import { HashAggregateExec, type AggregateSpec } from '../../../src/operators/aggregate/index.js';
import { aggregateReturnType } from '../../../src/logical/aggregate-types.js';
import { call, col, lit, type AggregateExpr, type AggregateFn, type Expr } from '../../../src/logical/expr.js';
import type { NamedExpr } from '../../../src/logical/plan.js';
import { BOOL, DATE, FLOAT64, INT32, INT64, UTF8, decimal } from '../../../src/types/data-type.js';
import type { Field } from '../../../src/types/batch.js';
import { createAccumulator } from '../../../src/operators/aggregate/accumulators/index.js';
import { summarize } from '../../../src/operators/aggregate/accumulators/summary.js';
import { makeColumn } from '../../../src/types/column.js';
import { BatchesExec, batch, collect, field, makeCtx, rows, sortedRows } from '../helpers.js';

const D = decimal(10, 2);
const schema: Field[] = [field(1, 'cat', UTF8), field(2, 'amount', D), field(3, 'qty', INT32), field(4, 'x', FLOAT64), field(5, 'flag', BOOL)];
const c = (i: number): Expr => col(schema[i].id!, schema[i].name, schema[i].type);

function agg(fn: AggregateFn, arg: Expr | null, opts: { distinct?: boolean; filter?: Expr } = {}): AggregateExpr {
  return { fn, arg, distinct: opts.distinct ?? false, filter: opts.filter ?? null, type: aggregateReturnType(fn, arg === null ? null : arg.type)! };
}
const gby = (...idx: number[]): NamedExpr[] => idx.map((i) => ({ id: 100 + i, name: schema[i].name, expr: c(i) }));
const aggs = (...a: AggregateExpr[]): AggregateSpec[] => a.map((x, i) => ({ id: 200 + i, name: `a${i}`, agg: x }));

// Two batches; the second uses a different dictionary order (and an unused entry) for the same strings.
const b1 = batch(schema, [
  ['a', 'b', 'a', null, 'c'],
  [100, 250, null, 5, 1],
  [1, 2, 3, 4, 5],
  [1.5, 2.5, 3.5, 4.5, 5.5],
  [true, true, false, null, true],
]);
const b2 = batch(
  schema,
  [
    ['c', 'a', 'b', null],
    [7, 33, 1, 2],
    [6, 7, null, 9],
    [0, -1, 2, 3],
    [true, true, null, false],
  ],
  [['zz', 'c', 'b', 'a']],
);
const input = () => new BatchesExec(schema, [b1, b2]);

describe('HashAggregateExec', () => {
  it('groups a dictionary key across batches with different dictionaries; NULL is one group', async () => {
    const op = new HashAggregateExec({
      input: input(),
      mode: 'Single',
      groupBy: gby(0),
      aggregates: aggs(agg('count_star', null), agg('count', c(1)), agg('sum', c(1)), agg('min', c(1)), agg('max', c(1)), agg('sum', c(2)), agg('avg', c(1))),
    });
    expect(op.schema.map((f) => [f.id, f.name, f.type.kind])).toEqual([
      [100, 'cat', 'utf8'], [200, 'a0', 'int64'], [201, 'a1', 'int64'], [202, 'a2', 'decimal'], [203, 'a3', 'decimal'], [204, 'a4', 'decimal'], [205, 'a5', 'int64'], [206, 'a6', 'float64'],
    ]);
    expect(await sortedRows(op)).toEqual([
      ['a', 3, 2, 133, 33, 100, 11, 0.665],
      ['b', 2, 2, 251, 1, 250, 2, 1.255],
      ['c', 2, 2, 8, 1, 7, 11, 0.04],
      [null, 2, 2, 7, 2, 5, 13, 0.035],
    ]);
    expect(op.describe()).toBe(
      'mode=Single, gby=[cat@0 as cat], aggr=[count(*), count(amount@1), sum(amount@1), min(amount@1), max(amount@1), sum(qty@2), avg(amount@1)], keys=dictionary',
    );
    expect(op.metrics.outputRows).toBe(4);
    expect(op.metrics.extra.groups).toBe(4);
  });

  it('min/max over strings, bool_and/bool_or, float min/max', async () => {
    const op = new HashAggregateExec({
      input: input(),
      mode: 'Single',
      groupBy: gby(4),
      aggregates: aggs(agg('min', c(0)), agg('max', c(0)), agg('min', c(3)), agg('max', c(3))),
    });
    expect(await sortedRows(op)).toEqual([
      [false, 'a', 'a', 3, 3.5],
      [null, 'b', 'b', 2, 4.5],
      [true, 'a', 'c', -1, 5.5],
    ]);
    const op2 = new HashAggregateExec({ input: input(), mode: 'Single', groupBy: gby(0), aggregates: aggs(agg('bool_and', c(4)), agg('bool_or', c(4))) });
    expect(await sortedRows(op2)).toEqual([
      ['a', false, true],
      ['b', true, true],
      ['c', true, true],
      [null, false, false],
    ]);
  });

  it('no GROUP BY: one row even for empty input; GROUP BY over empty input: no rows', async () => {
    const empty = () => new BatchesExec(schema, []);
    const all = aggs(agg('count_star', null), agg('count', c(1)), agg('sum', c(1)), agg('avg', c(1)), agg('min', c(0)), agg('max', c(3)), agg('var_samp', c(3)), agg('bool_or', c(4)));
    expect(await rows(new HashAggregateExec({ input: empty(), mode: 'Single', groupBy: [], aggregates: all }))).toEqual([[0, 0, null, null, null, null, null, null]]);
    expect(await rows(new HashAggregateExec({ input: empty(), mode: 'Single', groupBy: gby(0), aggregates: all }))).toEqual([]);
    const op = new HashAggregateExec({ input: input(), mode: 'Single', groupBy: [], aggregates: aggs(agg('count_star', null), agg('sum', c(2)), agg('max', c(0))) });
    expect(await rows(op)).toEqual([[9, 37, 'c']]);
    expect(op.describe()).toContain('keys=none');
  });

  it('sums of int64/decimal stay exact past 2^53 (BigInt per group)', async () => {
    const s = [field(1, 'k', INT32), field(2, 'v', INT64), field(3, 'd', decimal(18, 2))];
    const big = 2 ** 53 - 1;
    const data = new BatchesExec(s, [
      batch(s, [[1, 1, 2], [big, 2, big], [big, 2, 1]]),
      batch(s, [[1, 2, 1], [-3, -big, 1], [-big, -1, 5]]),
    ]);
    const op = new HashAggregateExec({
      input: data,
      mode: 'Single',
      groupBy: [{ id: 10, name: 'k', expr: col(1, 'k', INT32) }],
      aggregates: aggs(agg('sum', col(2, 'v', INT64)), agg('sum', col(3, 'd', decimal(18, 2))), agg('avg', col(2, 'v', INT64))),
    });
    const r = await sortedRows(op);
    // group 1: big + 2 - 3 + 1 = 2^53 - 1 exactly, although the running sum passed 2^53.
    expect(r).toEqual([
      [1, big, 7, big / 4],
      [2, 0, 0, 0],
    ]);
    expect(op.schema[1].type).toEqual(decimal(38, 0));
    expect(op.schema[2].type).toEqual(decimal(38, 2));
  });

  it('ungrouped sums stay exact past 2^53 with and without a MIN/MAX beside them (Σ|x| or the range proves exactness)', async () => {
    const s = [field(1, 'v', INT64)];
    const big = 2 ** 53 - 1;
    const data = () => new BatchesExec(s, [batch(s, [[big, 2, -3, 1]]), batch(s, [[4, -4]])]);
    const sumAvg = new HashAggregateExec({ input: data(), mode: 'Single', groupBy: [], aggregates: aggs(agg('sum', col(1, 'v', INT64)), agg('avg', col(1, 'v', INT64))) });
    expect(await rows(sumAvg)).toEqual([[big, big / 6]]);
    const withMax = new HashAggregateExec({ input: data(), mode: 'Single', groupBy: [], aggregates: aggs(agg('sum', col(1, 'v', INT64)), agg('max', col(1, 'v', INT64)), agg('min', col(1, 'v', INT64))) });
    expect(await rows(withMax)).toEqual([[big, big, -4]]);
  });

  it('a summary without its range computes no extremes and MIN/MAX do not take it', () => {
    const v = makeColumn(INT64, Float64Array.from([3, -7, 5]), null);
    const ranged = summarize(v);
    expect([ranged.ranged, ranged.min, ranged.max, ranged.sum, ranged.exactSum]).toEqual([true, -7, 5, 1, true]);
    const bare = summarize(v, false);
    expect([bare.ranged, bare.min, bare.max, bare.sum, bare.count, bare.exactSum]).toEqual([false, NaN, NaN, 1, 3, true]);
    expect(summarize(makeColumn(INT64, Float64Array.from([2 ** 52, 2 ** 52, -(2 ** 52)]), null), false).exactSum).toBe(false);
    expect(summarize(makeColumn(INT64, Float64Array.from([1, NaN]), null), false).exactSum).toBe(false);
    expect(summarize(makeColumn(INT64, Float64Array.from([1, 2, 99]), Uint8Array.from([1, 1, 0])), false)).toMatchObject({ count: 2, sum: 3, exactSum: true });
    const max = createAccumulator(agg('max', col(1, 'v', INT64)));
    expect(max.updateSummary!(bare)).toBe(false);
    expect(max.updateSummary!(ranged)).toBe(true);
    expect(Array.from(max.evaluate().values as Float64Array)).toEqual([5]);
  });

  it('int32 sum result is int64; primitive keys: wide span switches to hash, NULL group, -0 = 0', async () => {
    const s = [field(1, 'k', INT32), field(2, 'v', INT32), field(3, 'f', FLOAT64)];
    const data = new BatchesExec(s, [
      batch(s, [[5, 7, null, 5], [2147483647, 2147483647, 1, 1], [0, -0, 1.5, NaN]]),
      batch(s, [[2_000_000_000, -2_000_000_000, null, 7], [1, 2, 3, 4], [NaN, 0, 2, 1.5]]),
    ]);
    const op = new HashAggregateExec({ input: data, mode: 'Single', groupBy: [{ id: 10, name: 'k', expr: col(1, 'k', INT32) }], aggregates: aggs(agg('sum', col(2, 'v', INT32))) });
    expect(await sortedRows(op)).toEqual([
      [-2_000_000_000, 2],
      [2_000_000_000, 1],
      [5, 2147483648],
      [7, 2147483651],
      [null, 4],
    ]);
    expect(op.describe()).toContain('keys=primitive(hash)');
    const op2 = new HashAggregateExec({ input: data, mode: 'Single', groupBy: [{ id: 11, name: 'f', expr: col(3, 'f', FLOAT64) }], aggregates: aggs(agg('count_star', null)) });
    const r2 = await rows(op2);
    expect(r2.length).toBe(4); // 0 (incl. -0), 1.5, NaN, 2
    expect(r2.find((x) => x[0] === 0)![1]).toBe(3);
    expect(r2.find((x) => Number.isNaN(x[0]))![1]).toBe(2);
    const op3 = new HashAggregateExec({ input: data, mode: 'Single', groupBy: [{ id: 12, name: 'v', expr: col(2, 'v', INT32) }], aggregates: aggs(agg('count_star', null)) });
    expect(await sortedRows(op3)).toEqual([[1, 3], [2147483647, 2], [2, 1], [3, 1], [4, 1]].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)));
    expect(op3.describe()).toContain('keys=primitive(hash)');
  });

  it('multi-column keys (dictionary + int + NULLs)', async () => {
    const op = new HashAggregateExec({ input: input(), mode: 'Single', groupBy: gby(0, 4), aggregates: aggs(agg('count_star', null), agg('sum', c(2))) });
    expect(await sortedRows(op)).toEqual([
      ['a', false, 1, 3],
      ['a', true, 2, 8],
      ['b', null, 1, null],
      ['b', true, 1, 2],
      ['c', true, 2, 11],
      [null, false, 1, 9],
      [null, null, 1, 4],
    ]);
    expect(op.describe()).toContain('keys=perfect_hash');
  });

  it('variance family (Welford), NULL for too few rows', async () => {
    const s = [field(1, 'k', UTF8), field(2, 'v', FLOAT64)];
    const vals = [2, 4, 4, 4, 5, 5, 7, 9];
    const data = () => new BatchesExec(s, [batch(s, [['a', 'a', 'a', 'a', 'b'], [2, 4, 4, 4, 1]]), batch(s, [['a', 'a', 'a', 'a', 'c'], [5, 5, 7, 9, null]])]);
    const op = new HashAggregateExec({
      input: data(),
      mode: 'Single',
      groupBy: [{ id: 10, name: 'k', expr: col(1, 'k', UTF8) }],
      aggregates: aggs(...(['var_pop', 'var_samp', 'stddev_pop', 'stddev_samp'] as const).map((f) => agg(f, col(2, 'v', FLOAT64)))),
    });
    const r = await sortedRows(op);
    expect(vals.reduce((a, b) => a + b) / 8).toBe(5);
    expect(r[0][0]).toBe('a');
    expect(r[0][1]).toBeCloseTo(4, 12);
    expect(r[0][2]).toBeCloseTo(32 / 7, 12);
    expect(r[0][3]).toBeCloseTo(2, 12);
    expect(r[0][4]).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(r[1]).toEqual(['b', 0, null, 0, null]);
    expect(r[2]).toEqual(['c', null, null, null, null]);
  });

  it('DISTINCT (strings across dictionaries, numbers) and FILTER', async () => {
    const gt = (e: Expr, v: number) => call('gt', [e, lit(v, e.type)], BOOL);
    const op = new HashAggregateExec({
      input: input(),
      mode: 'Single',
      groupBy: gby(4),
      aggregates: aggs(
        agg('count', c(0), { distinct: true }),
        agg('sum', c(1), { distinct: true }),
        agg('count_star', null, { filter: gt(c(2), 2) }),
        agg('sum', c(2), { filter: gt(c(2), 2) }),
        agg('count', c(0), { distinct: true, filter: gt(c(2), 5) }),
        agg('avg', c(2), { distinct: true }),
      ),
    });
    expect(await sortedRows(op)).toEqual([
      [false, 1, 2, 2, 12, 0, 6],
      [null, 1, 6, 1, 4, 0, 4],
      [true, 3, 391, 3, 18, 2, 4.2],
    ]);
    expect(op.describe()).toContain('count(DISTINCT cat@0)');
    expect(op.describe()).toContain('count(*) FILTER (WHERE');
  });

  it('Partial → Final gives the same result as Single', async () => {
    const all = aggs(
      agg('count_star', null), agg('count', c(1)), agg('sum', c(1)), agg('sum', c(2)), agg('sum', c(3)), agg('avg', c(1)), agg('avg', c(3)),
      agg('min', c(0)), agg('max', c(1)), agg('var_samp', c(3)), agg('stddev_pop', c(1)), agg('bool_and', c(4)),
    );
    for (const keys of [[], [0], [2], [0, 4]]) {
      const single = await sortedRows(new HashAggregateExec({ input: input(), mode: 'Single', groupBy: gby(...keys), aggregates: all }));
      const p1 = new HashAggregateExec({ input: new BatchesExec(schema, [b1]), mode: 'Partial', groupBy: gby(...keys), aggregates: all });
      const p2 = new HashAggregateExec({ input: new BatchesExec(schema, [b2]), mode: 'Partial', groupBy: gby(...keys), aggregates: all });
      const parts = [...(await collect(p1)), ...(await collect(p2))];
      const fin = new HashAggregateExec({ input: new BatchesExec(p1.schema, parts), mode: 'Final', groupBy: gby(...keys), aggregates: all });
      expect(fin.schema).toEqual(new HashAggregateExec({ input: input(), mode: 'Single', groupBy: gby(...keys), aggregates: all }).schema);
      const final = await sortedRows(fin);
      expect(final.length).toBe(single.length);
      for (let r = 0; r < final.length; r++) {
        for (let k = 0; k < final[r].length; k++) {
          const a = final[r][k], b = single[r][k];
          if (typeof a === 'number' && typeof b === 'number') expect(a).toBeCloseTo(b, 9);
          else expect(a).toEqual(b);
        }
      }
    }
  });

  it('Partial state keeps sums past 2^53 exact through Final', async () => {
    const s = [field(1, 'v', INT64)];
    const big = 2 ** 53 - 1;
    const all = aggs(agg('sum', col(1, 'v', INT64)));
    const p1 = new HashAggregateExec({ input: new BatchesExec(s, [batch(s, [[big, big, 7]])]), mode: 'Partial', groupBy: [], aggregates: all });
    const p2 = new HashAggregateExec({ input: new BatchesExec(s, [batch(s, [[-big, -big, 2]])]), mode: 'Partial', groupBy: [], aggregates: all });
    const parts = [...(await collect(p1)), ...(await collect(p2))];
    const fin = new HashAggregateExec({ input: new BatchesExec(p1.schema, parts), mode: 'Final', groupBy: [], aggregates: all });
    expect(await rows(fin)).toEqual([[9]]);
  });

  it('output is split into batches of batchSize; memory is reserved and released', async () => {
    const s = [field(1, 'k', DATE)];
    const n = 5000;
    const keys = Array.from({ length: n }, (_, i) => i * 3);
    const ctx = makeCtx({ batchSize: 1024 });
    const op = new HashAggregateExec({ input: new BatchesExec(s, [batch(s, [keys])]), mode: 'Single', groupBy: [{ id: 9, name: 'k', expr: col(1, 'k', DATE) }], aggregates: aggs(agg('count_star', null)) });
    const out = await collect(op, ctx);
    expect(out.map((b) => b.numRows)).toEqual([1024, 1024, 1024, 1024, 904]);
    expect(op.metrics.outputBatches).toBe(5);
    expect(op.describe()).toContain('keys=primitive(direct)');
    expect(op.metrics.peakMemoryBytes).toBeGreaterThan(0);
    expect(ctx.reserved).toBe(0);
  });

  it('larger input: many groups, matches a plain JS reference', async () => {
    const s = [field(1, 'k', UTF8), field(2, 'g', INT32), field(3, 'v', decimal(12, 2))];
    const batches = [];
    const ref = new Map<string, { n: number; sum: number; min: number }>();
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let b = 0; b < 4; b++) {
      const k: string[] = [], g: number[] = [], v: number[] = [];
      for (let i = 0; i < 10000; i++) {
        const key = `s${(rnd() * 3000) | 0}`;
        const gg = (rnd() * 3) | 0;
        const vv = Math.round(rnd() * 1e6) - 5e5;
        k.push(key); g.push(gg); v.push(vv);
        const id = `${key}|${gg}`;
        const e = ref.get(id);
        if (e) { e.n++; e.sum += vv; e.min = Math.min(e.min, vv); } else ref.set(id, { n: 1, sum: vv, min: vv });
      }
      batches.push(batch(s, [k, g, v]));
    }
    const op = new HashAggregateExec({
      input: new BatchesExec(s, batches),
      mode: 'Single',
      groupBy: [{ id: 10, name: 'k', expr: col(1, 'k', UTF8) }, { id: 11, name: 'g', expr: col(2, 'g', INT32) }],
      aggregates: aggs(agg('count_star', null), agg('sum', col(3, 'v', decimal(12, 2))), agg('min', col(3, 'v', decimal(12, 2)))),
    });
    const r = await rows(op, makeCtx({ batchSize: 4096 }));
    expect(r.length).toBe(ref.size);
    for (const [k, g, n, sum, min] of r) {
      const e = ref.get(`${k}|${g}`)!;
      expect([n, sum, min]).toEqual([e.n, e.sum, e.min]);
    }
  });
});
