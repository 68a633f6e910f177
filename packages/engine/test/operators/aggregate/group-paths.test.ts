import { describe, expect, it } from 'vitest';
import { HashAggregateExec, MultiGroupValues, PerfectHashGroupValues, type AggregateSpec } from '../../../src/operators/aggregate/index.js';
import { aggregateReturnType } from '../../../src/logical/aggregate-types.js';
import { call, col, lit, type AggregateExpr, type AggregateFn, type Expr } from '../../../src/logical/expr.js';
import type { NamedExpr } from '../../../src/logical/plan.js';
import { BOOL, DATE, FLOAT64, INT32, INT64, UTF8, decimal } from '../../../src/types/data-type.js';
import type { Batch, Field } from '../../../src/types/batch.js';
import { makeColumn, valueAt } from '../../../src/types/column.js';
import { BatchesExec, batch, collect, field, makeCtx, rows } from '../helpers.js';

type Val = number | string | boolean | null;

const D = decimal(12, 2);
const schema: Field[] = [
  field(1, 's1', UTF8), field(2, 's2', UTF8), field(3, 'i', INT32), field(4, 'd', DATE),
  field(5, 'f', FLOAT64), field(6, 'b', BOOL), field(7, 'v', D), field(8, 'big', INT64),
];
const c = (i: number): Expr => col(schema[i].id!, schema[i].name, schema[i].type);
function agg(fn: AggregateFn, arg: Expr | null, opts: { distinct?: boolean; filter?: Expr } = {}): AggregateExpr {
  return { fn, arg, distinct: opts.distinct ?? false, filter: opts.filter ?? null, type: aggregateReturnType(fn, arg === null ? null : arg.type)! };
}
const gby = (...idx: number[]): NamedExpr[] => idx.map((i) => ({ id: 100 + i, name: schema[i].name, expr: c(i) }));
const aggs = (...a: AggregateExpr[]): AggregateSpec[] => a.map((x, i) => ({ id: 200 + i, name: `a${i}`, agg: x }));
const STD = () => aggs(agg('count_star', null), agg('count', c(6)), agg('sum', c(6)), agg('min', c(6)), agg('max', c(6)));

/** Key text that tells NULL, NaN, -0/0 and strings apart the way GROUP BY does. */
const keyText = (vals: Val[]): string => vals.map((v) => (v === null ? 'N' : typeof v === 'number' ? (Number.isNaN(v) ? 'nan' : `#${v === 0 ? 0 : v}`) : `${typeof v}:${String(v)}`)).join('|');

interface Gen { s1: number; s2: number; i: [number, number]; d: [number, number]; f: number; big: number; nulls: number }

/** Random batches; utf8 columns get a fresh (shuffled, padded) dictionary per batch. */
function gen(seed: number, nb: number, rowsPer: number, g: Gen): Batch[] {
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pick = (n: number) => (rnd() * n) | 0;
  const maybe = (v: Val): Val => (rnd() < g.nulls ? null : v);
  const out: Batch[] = [];
  for (let b = 0; b < nb; b++) {
    const cols: Val[][] = schema.map(() => []);
    for (let r = 0; r < rowsPer; r++) {
      cols[0].push(maybe(`a${pick(g.s1)}`));
      cols[1].push(maybe(`b${pick(g.s2)}`));
      cols[2].push(maybe(g.i[0] + pick(g.i[1] - g.i[0] + 1)));
      cols[3].push(maybe(g.d[0] + pick(g.d[1] - g.d[0] + 1)));
      const fv = [0, -0, 1.5, NaN, -2.25, Infinity][pick(Math.min(6, g.f))];
      cols[4].push(maybe(fv));
      cols[5].push(maybe(rnd() < 0.5));
      cols[6].push(maybe(pick(100000) - 50000));
      cols[7].push(maybe(pick(g.big) * 1_000_003));
    }
    const dict = (prefix: string, n: number) => {
      const d = Array.from({ length: n + 2 }, (_, k) => `${prefix}${k}`);
      for (let k = d.length - 1; k > 0; k--) { const j = pick(k + 1); [d[k], d[j]] = [d[j], d[k]]; }
      return d;
    };
    out.push(batch(schema, cols, [dict('a', g.s1), dict('b', g.s2)]));
  }
  return out;
}

/** Plain JS GROUP BY: count(*), count(v), sum(v), min(v), max(v). */
function reference(batches: Batch[], keys: number[]): Map<string, Val[]> {
  const m = new Map<string, Val[]>();
  for (const b of batches) {
    for (let r = 0; r < b.numRows; r++) {
      // GROUP BY keeps one 0 for 0 and -0 and emits it as 0.
      const k = keys.map((i) => { const x = valueAt(b.columns[i], r); return x === 0 ? 0 : x; });
      const t = keyText(k);
      let e = m.get(t);
      if (!e) m.set(t, (e = [...k, 0, 0, null, null, null]));
      const v = valueAt(b.columns[6], r) as number | null;
      const n = keys.length;
      (e[n] as number)++;
      if (v !== null) {
        (e[n + 1] as number)++;
        e[n + 2] = ((e[n + 2] as number | null) ?? 0) + v;
        e[n + 3] = e[n + 3] === null ? v : Math.min(e[n + 3] as number, v);
        e[n + 4] = e[n + 4] === null ? v : Math.max(e[n + 4] as number, v);
      }
    }
  }
  return m;
}

async function check(batches: Batch[], keys: number[], expectKeys: string, batchSize = 4096): Promise<HashAggregateExec> {
  const op = new HashAggregateExec({ input: new BatchesExec(schema, batches), mode: 'Single', groupBy: gby(...keys), aggregates: STD() });
  const got = await rows(op, makeCtx({ batchSize }));
  const ref = reference(batches, keys);
  expect(got.length).toBe(ref.size);
  const seen = new Set<string>();
  for (const row of got) {
    const t = keyText(row.slice(0, keys.length));
    expect(seen.has(t)).toBe(false);
    seen.add(t);
    expect(row).toEqual(ref.get(t));
  }
  expect(op.describe()).toContain(`keys=${expectKeys}`);
  return op;
}

describe('multi-key GROUP BY paths', () => {
  const small: Gen = { s1: 7, s2: 5, i: [-3, 4], d: [19000, 19010], f: 6, big: 5, nulls: 0.1 };

  it('perfect hash: two dictionary keys, per-batch dictionaries, NULL keys', async () => {
    await check(gen(1, 5, 300, small), [0, 1], 'perfect_hash');
    await check(gen(2, 3, 300, { ...small, nulls: 0 }), [0, 1], 'perfect_hash');
  });

  it('perfect hash: every key type (utf8, int32, date, float64 with NaN/-0, bool, int64) with NULLs', async () => {
    const data = gen(3, 4, 400, small);
    await check(data, [0, 2], 'perfect_hash');
    await check(data, [2, 3], 'perfect_hash');
    await check(data, [4, 5], 'perfect_hash');
    await check(data, [0, 1, 2], 'perfect_hash');
    await check(data, [5, 7, 0, 4], 'perfect_hash');
  });

  it('perfect hash: domains grow across batches (re-keying keeps groups)', async () => {
    const batches = [
      ...gen(4, 2, 200, { ...small, s1: 2, s2: 2, i: [0, 1], nulls: 0 }),
      ...gen(5, 2, 500, { ...small, s1: 60, s2: 40, i: [-500, 300], nulls: 0.05 }),
      ...gen(6, 1, 500, { ...small, s1: 200, s2: 3, i: [-900, 900] }),
    ];
    await check(batches, [0, 1], 'perfect_hash');
    await check(batches, [0, 2], 'perfect_hash');
    await check(batches, [2, 1, 5], 'perfect_hash');
    // 1801 × ~200 × 12 passes the direct array's limit: the growth ends with one packed key.
    await check(batches, [2, 0, 3], 'packed_hash');
  });

  it('past the direct limit: one packed key, then the hash path past 2^53 (groups before and after)', async () => {
    const batches = [
      ...gen(7, 2, 300, small),
      ...gen(8, 2, 3000, { ...small, s1: 3000, i: [-2_000_000_000, 2_000_000_000], big: 1e9 }),
      ...gen(9, 1, 300, small),
    ];
    await check(batches, [2, 0], 'packed_hash');
    await check(batches, [7, 0], 'packed_hash');
    await check(batches, [0, 4, 2], 'packed_hash');
    // A wide int32 span alone is fine (the column maps its ~6000 values through a hash table).
    await check(batches, [2, 1], 'perfect_hash');
    // Two columns whose product (not each alone) is too large for the direct array.
    await check([...gen(10, 1, 2000, small), ...gen(11, 2, 20000, { ...small, s1: 3000, s2: 3000, nulls: 0.01 })], [0, 1], 'packed_hash');
    // ~40000 × ~40000 × 3000 × 3000 ids pass 2^53: no exact packed key, the general hash path.
    const wide = [...gen(12, 1, 2000, small), ...gen(13, 2, 20000, { ...small, s1: 3000, s2: 3000, i: [-2_000_000_000, 2_000_000_000], big: 1e9, nulls: 0.01 })];
    await check(wide, [2, 7, 0, 1], 'hash');
  });

  it('general hash path directly: float64 (NaN, -0, NULL), utf8, int64 keys', () => {
    const s = [field(1, 'f', FLOAT64), field(2, 's', UTF8), field(3, 'n', INT64)];
    const gv = new MultiGroupValues([FLOAT64, UTF8, INT64]);
    const out = new Int32Array(6);
    gv.intern(batch(s, [[0, -0, NaN, null, NaN, 0.5], ['x', 'x', 'y', 'y', 'y', null], [1, 1, 2, 2, 2, 0.5 * 0]]).columns, 6, out);
    expect([...out]).toEqual([0, 0, 1, 2, 1, 3]);
    gv.intern(batch(s, [[NaN, null, 0, 0.5], ['y', 'y', 'x', null], [2, 2, 1, 0]], [undefined, ['q', 'y', 'x']]).columns, 4, out);
    expect([...out.subarray(0, 4)]).toEqual([1, 2, 0, 3]);
    const cols = gv.emit();
    expect([0, 1, 2, 3].map((g) => cols.map((k) => valueAt(k, g)))).toEqual([[0, 'x', 1], [NaN, 'y', 2], [null, 'y', 2], [0.5, null, 0]]);
    expect(gv.name).toBe('hash');
  });

  it('perfect hash group values: NULL as its own id, first-seen group order, re-key', () => {
    const s = [field(1, 's', UTF8), field(2, 'k', INT32)];
    const gv = new PerfectHashGroupValues([UTF8, INT32]);
    const out = new Int32Array(5);
    gv.intern(batch(s, [['a', null, 'a', 'b', null], [1, 1, null, 1, 1]]).columns, 5, out);
    expect([...out]).toEqual([0, 1, 2, 3, 1]);
    gv.intern(batch(s, [['c', 'a', 'b', 'a', 'z'], [500, 1, 1, null, 1]], [['z', 'b', 'a', 'c']]).columns, 5, out);
    expect([...out]).toEqual([4, 0, 3, 2, 5]);
    const cols = gv.emit();
    expect(Array.from({ length: 6 }, (_, g) => cols.map((k) => valueAt(k, g)))).toEqual([['a', 1], [null, 1], ['a', null], ['b', 1], ['c', 500], ['z', 1]]);
    expect(gv.name).toBe('perfect_hash');
  });

  it('Partial → Final over multi-key paths (perfect hash and hash), NULL keys', async () => {
    const all = aggs(agg('count_star', null), agg('sum', c(6)), agg('avg', c(6)), agg('min', c(0)), agg('max', c(6)), agg('sum', c(4)));
    const parts1 = gen(12, 3, 300, small);
    const parts2 = gen(13, 3, 300, { ...small, s1: 30, i: [-2_000_000_000, 2_000_000_000] });
    for (const keys of [[0, 1], [0, 2, 5], [2, 4], [7, 3]]) {
      const single = await rows(new HashAggregateExec({ input: new BatchesExec(schema, [...parts1, ...parts2]), mode: 'Single', groupBy: gby(...keys), aggregates: all }));
      const p1 = new HashAggregateExec({ input: new BatchesExec(schema, parts1), mode: 'Partial', groupBy: gby(...keys), aggregates: all });
      const p2 = new HashAggregateExec({ input: new BatchesExec(schema, parts2), mode: 'Partial', groupBy: gby(...keys), aggregates: all });
      const parts = [...(await collect(p1)), ...(await collect(p2))];
      const fin = new HashAggregateExec({ input: new BatchesExec(p1.schema, parts), mode: 'Final', groupBy: gby(...keys), aggregates: all });
      const final = await rows(fin);
      expect(final.length).toBe(single.length);
      const byKey = new Map(single.map((r) => [keyText(r.slice(0, keys.length)), r]));
      for (const r of final) {
        const s = byKey.get(keyText(r.slice(0, keys.length)))!;
        expect(s).toBeDefined();
        for (let k = 0; k < r.length; k++) {
          if (typeof r[k] === 'number' && typeof s[k] === 'number' && Number.isFinite(r[k]) && !Number.isInteger(r[k])) expect(r[k]).toBeCloseTo(s[k] as number, 9);
          else expect(r[k]).toEqual(s[k]);
        }
      }
    }
  });
});

describe('single-group fast paths and COUNT(DISTINCT) over dictionaries', () => {
  it('no GROUP BY: count/sum/avg/min/max with and without NULLs, across batches', async () => {
    const data = gen(20, 4, 500, { s1: 5, s2: 5, i: [0, 9], d: [0, 9], f: 6, big: 5, nulls: 0.1 });
    const noNull = gen(21, 4, 500, { s1: 5, s2: 5, i: [0, 9], d: [0, 9], f: 5, big: 5, nulls: 0 });
    for (const batches of [data, noNull, [...noNull, ...data]]) {
      const op = new HashAggregateExec({
        input: new BatchesExec(schema, batches),
        mode: 'Single',
        groupBy: [],
        aggregates: aggs(agg('count_star', null), agg('count', c(6)), agg('sum', c(6)), agg('min', c(6)), agg('max', c(6)), agg('avg', c(6)), agg('sum', c(2)), agg('min', c(4)), agg('max', c(4))),
      });
      const [r] = await rows(op);
      const ref = reference(batches, []).get('')!;
      expect(r.slice(0, 5)).toEqual(ref);
      expect(r[5]).toBeCloseTo((ref[2] as number) / 100 / (ref[1] as number), 9);
      let si = 0, mn = Infinity, mx = -Infinity, any = false;
      for (const b of batches) for (let k = 0; k < b.numRows; k++) {
        const x = valueAt(b.columns[2], k);
        if (x !== null) si += x as number;
        const f = valueAt(b.columns[4], k) as number | null;
        if (f !== null && !Number.isNaN(f)) { any = true; mn = Math.min(mn, f); mx = Math.max(mx, f); }
      }
      expect(r[6]).toBe(si);
      if (any) { expect(r[7]).toBe(mn); }
      void mx;
    }
  });

  it('no GROUP BY: exact int32 and decimal sums running past 2^53', async () => {
    const s = [field(1, 'x', INT32), field(2, 'd', decimal(18, 0))];
    const big = 2 ** 53 - 1;
    const op = new HashAggregateExec({
      input: new BatchesExec(s, [batch(s, [[2147483647, 1], [big, 5]]), batch(s, [[5, -3], [-big, 3]])]),
      mode: 'Single',
      groupBy: [],
      aggregates: aggs(agg('sum', col(1, 'x', INT32)), agg('sum', col(2, 'd', decimal(18, 0))), agg('avg', col(2, 'd', decimal(18, 0)))),
    });
    expect(await rows(op)).toEqual([[2147483650, 8, 2]]);
  });

  it('no GROUP BY shares one summary pass per column: same answers as the per-row grouped loops', async () => {
    // ungrouped (summary.ts) against GROUP BY a constant column (each accumulator's own row loop)
    const s = [field(1, 'k', INT32), field(2, 'v', decimal(18, 2)), field(3, 'f', FLOAT64), field(4, 'i', INT32)];
    const big = 2 ** 52;
    const mk = (v: Val[], f: Val[], i: Val[]) => batch(s, [v.map(() => 7), v, f, i]);
    const batches = [
      mk([150, null, -275, 99], [1.5, null, -2.25, Infinity], [3, null, -4, 10]),
      mk([null, null], [null, null], [null, null]), // a batch with no values at all
      mk([big, big, 12], [0.1, 0.2, 0.3], [2147483647, 2147483647, 1]), // its sum is not provably exact
      mk([-big, 5, 1, 1, 1], [NaN, 1, 2, 3, 4], [0, 0, 0, 0, 0]),
    ];
    const v = col(2, 'v', decimal(18, 2)), f = col(3, 'f', FLOAT64), i = col(4, 'i', INT32);
    const all = aggs(
      agg('count', v), agg('sum', v), agg('avg', v), agg('min', v), agg('max', v), agg('var_samp', v), agg('stddev_pop', v),
      agg('sum', f), agg('min', f), agg('max', f), agg('var_pop', f),
      agg('sum', i), agg('avg', i), agg('min', i), agg('max', i), agg('stddev_samp', i), agg('count_star', null),
    );
    const ungrouped = await rows(new HashAggregateExec({ input: new BatchesExec(s, batches), mode: 'Single', groupBy: [], aggregates: all }));
    const grouped = await rows(new HashAggregateExec({ input: new BatchesExec(s, batches), mode: 'Single', groupBy: [{ id: 9, name: 'k', expr: col(1, 'k', INT32) }], aggregates: all }));
    expect(ungrouped).toHaveLength(1);
    const [u] = ungrouped;
    const g = grouped[0].slice(1);
    const approximate = new Set([2, 5, 6, 10, 12, 15]); // avg and the variance family: float results
    for (let k = 0; k < u.length; k++) {
      const a = u[k], b = g[k];
      if (approximate.has(k) && typeof a === 'number' && typeof b === 'number' && !Number.isNaN(b)) expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.abs(b) * 1e-9);
      else expect(a).toEqual(b);
    }
    // exact sums across the batch that could not be proven exact
    expect(u[1]).toBe(150 - 275 + 99 + big + big + 12 - big + 5 + 1 + 1 + 1); // unscaled
    expect(u[11]).toBe(3 - 4 + 10 + 2147483647 * 2 + 1);
  });

  it('COUNT(DISTINCT) of dictionary columns: per-batch dictionaries, NULLs, FILTER, unused entries', async () => {
    const batches = gen(30, 5, 200, { s1: 40, s2: 3, i: [0, 9], d: [0, 9], f: 6, big: 5, nulls: 0.2 });
    const gt = (e: Expr, v: number) => call('gt', [e, lit(v, e.type)], BOOL);
    const op = new HashAggregateExec({
      input: new BatchesExec(schema, batches),
      mode: 'Single',
      groupBy: [],
      aggregates: aggs(agg('count', c(0), { distinct: true }), agg('count', c(1), { distinct: true }), agg('count', c(0), { distinct: true, filter: gt(c(2), 6) }), agg('min', c(0), { distinct: true })),
    });
    const all = new Set<string>(), two = new Set<string>(), filtered = new Set<string>();
    let min: string | null = null;
    for (const b of batches) for (let k = 0; k < b.numRows; k++) {
      const a = valueAt(b.columns[0], k) as string | null;
      const s2 = valueAt(b.columns[1], k) as string | null;
      const i = valueAt(b.columns[2], k) as number | null;
      if (a !== null) { all.add(a); if (min === null || a < min) min = a; if (i !== null && i > 6) filtered.add(a); }
      if (s2 !== null) two.add(s2);
    }
    expect(await rows(op)).toEqual([[all.size, two.size, filtered.size, min]]);
    // Same dictionary array shared by consecutive batches.
    const s = [field(1, 's', UTF8)];
    const dict = ['p', 'q', 'r', 's'];
    const mk = (codes: number[], validity: number[] | null) => ({ schema: s, numRows: codes.length, columns: [makeColumn(UTF8, Int32Array.from(codes), validity ? Uint8Array.from(validity) : null, dict)] });
    const op2 = new HashAggregateExec({
      input: new BatchesExec(s, [mk([0, 0, 1], null), mk([1, 2, 3], [1, 1, 0]), mk([3, 0], null)]),
      mode: 'Single',
      groupBy: [],
      aggregates: aggs(agg('count', col(1, 's', UTF8), { distinct: true })),
    });
    expect(await rows(op2)).toEqual([[4]]);
  });

  it('COUNT(DISTINCT) when a later batch brings more groups (single-group bitmap → (group, value) set)', async () => {
    const s = [field(1, 'k', INT32), field(2, 's', UTF8)];
    const op = new HashAggregateExec({
      input: new BatchesExec(s, [batch(s, [[1, 1, 1], ['x', 'y', 'x']]), batch(s, [[2, 1, 2, 1], ['x', 'z', 'x', 'y']], [['z', 'y', 'x']])]),
      mode: 'Single',
      groupBy: [{ id: 10, name: 'k', expr: col(1, 'k', INT32) }],
      aggregates: aggs(agg('count', col(2, 's', UTF8), { distinct: true })),
    });
    expect((await rows(op)).sort()).toEqual([[1, 3], [2, 1]]);
  });
});

void DATE; void INT32;
