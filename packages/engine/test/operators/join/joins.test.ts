import { describe, expect, it } from 'vitest';
import { HashJoinExec, NestedLoopJoinExec } from '../../../src/operators/join/index.js';
import { call, col, lit, type Expr } from '../../../src/logical/expr.js';
import { BOOL, DATE, FLOAT64, INT32, INT64, UTF8, decimal } from '../../../src/types/data-type.js';
import type { Field } from '../../../src/types/batch.js';
import { BatchesExec, batch, collect, field, makeCtx, rows, sortedRows } from '../helpers.js';

const L: Field[] = [field(1, 'id', INT32), field(2, 'name', UTF8), field(3, 'amt', decimal(10, 2))];
const R: Field[] = [field(11, 'rid', INT32), field(12, 'label', UTF8), field(13, 'w', FLOAT64)];
const lc = (i: number): Expr => col(L[i].id!, L[i].name, L[i].type);
const rc = (i: number): Expr => col(R[i].id!, R[i].name, R[i].type);

const left = () =>
  new BatchesExec(L, [
    batch(L, [[1, 2, null, 4], ['x', 'y', 'z', 'x'], [100, 200, 300, 400]]),
    batch(L, [[2, 5, 1], ['q', 'y', 'x'], [1, 2, 3]], [['unused', 'y', 'q', 'x']]),
  ]);
const right = () =>
  new BatchesExec(R, [
    batch(R, [[1, 2, 2, null], ['one', 'two', 'two-b', 'nil'], [1.5, 2.5, 3.5, 4.5]]),
    batch(R, [[4, 9], ['four', 'nine'], [0, 9]], [['nine', 'four']]),
  ]);

describe('HashJoinExec', () => {
  it('inner join on an int key: duplicates on both sides, NULL keys never match', async () => {
    const op = new HashJoinExec({ left: left(), right: right(), joinType: 'inner', on: [{ left: lc(0), right: rc(0) }], filter: null, partitionMode: 'broadcast' });
    expect(op.schema.map((f) => f.id)).toEqual([1, 2, 3, 11, 12, 13]);
    expect(await sortedRows(op)).toEqual([
      [1, 'x', 100, 1, 'one', 1.5],
      [1, 'x', 3, 1, 'one', 1.5],
      [2, 'q', 1, 2, 'two', 2.5],
      [2, 'q', 1, 2, 'two-b', 3.5],
      [2, 'y', 200, 2, 'two', 2.5],
      [2, 'y', 200, 2, 'two-b', 3.5],
      [4, 'x', 400, 4, 'four', 0],
    ]);
    expect(op.describe()).toBe('mode=broadcast, join_type=Inner, on=[(id@0, rid@0)]');
    expect(op.metrics.extra.buildRows).toBe(6);
    expect(op.metrics.outputRows).toBe(7);
    expect(typeof op.metrics.extra.buildTimeMs).toBe('number');
  });

  it('left join keeps unmatched left rows (incl. NULL keys) with NULL right columns', async () => {
    const op = new HashJoinExec({ left: left(), right: right(), joinType: 'left', on: [{ left: lc(0), right: rc(0) }], filter: null, partitionMode: 'partitioned' });
    const r = await sortedRows(op);
    expect(r.length).toBe(9);
    expect(r).toContainEqual([5, 'y', 2, null, null, null]);
    expect(r).toContainEqual([null, 'z', 300, null, null, null]);
    expect(op.schema[3].nullable).toBe(true);
    expect(op.describe()).toBe('mode=partitioned, join_type=Left, on=[(id@0, rid@0)]');
  });

  it('left join with a residual filter: the filter decides what matched', async () => {
    const filter = call('gt', [rc(2), lit(3, FLOAT64)], BOOL);
    const op = new HashJoinExec({ left: left(), right: right(), joinType: 'left', on: [{ left: lc(0), right: rc(0) }], filter, partitionMode: 'broadcast' });
    expect(await sortedRows(op)).toEqual([
      [1, 'x', 100, null, null, null],
      [1, 'x', 3, null, null, null],
      [2, 'q', 1, 2, 'two-b', 3.5],
      [2, 'y', 200, 2, 'two-b', 3.5],
      [4, 'x', 400, null, null, null],
      [5, 'y', 2, null, null, null],
      [null, 'z', 300, null, null, null],
    ]);
    const inner = new HashJoinExec({ left: left(), right: right(), joinType: 'inner', on: [{ left: lc(0), right: rc(0) }], filter, partitionMode: 'broadcast' });
    expect((await rows(inner)).length).toBe(2);
  });

  it('utf8 keys across different dictionaries on both sides, and multi-column keys', async () => {
    const S: Field[] = [field(21, 'k', UTF8), field(22, 'n', INT64)];
    const T: Field[] = [field(31, 'k2', UTF8), field(32, 'n2', INT64), field(33, 'd', DATE)];
    const s = new BatchesExec(S, [batch(S, [['a', 'b', null, 'c'], [1, 2, 3, 4]]), batch(S, [['c', 'a', 'zz'], [4, 9, 1]], [['q', 'a', 'c']])]);
    const t = () => new BatchesExec(T, [batch(T, [['c', 'a'], [4, 1], [10, 11]]), batch(T, [['a', null, 'b'], [9, 3, 2], [12, 13, 14]], [['b', 'a']])]);
    const one = new HashJoinExec({ left: s, right: t(), joinType: 'inner', on: [{ left: col(21, 'k', UTF8), right: col(31, 'k2', UTF8) }], filter: null, partitionMode: 'broadcast' });
    const r1 = await sortedRows(one);
    expect(r1.map((x) => `${x[0]}${x[1]}-${x[2]}${x[3]}`).sort()).toEqual(['a1-a1', 'a1-a9', 'a9-a1', 'a9-a9', 'b2-b2', 'c4-c4', 'c4-c4'].sort());
    const s2 = new BatchesExec(S, [batch(S, [['a', 'b', null, 'c'], [1, 2, 3, 4]]), batch(S, [['c', 'a', 'zz'], [4, 9, 1]], [['q', 'a', 'c']])]);
    const two = new HashJoinExec({
      left: s2,
      right: t(),
      joinType: 'left',
      on: [{ left: col(21, 'k', UTF8), right: col(31, 'k2', UTF8) }, { left: col(22, 'n', INT64), right: col(32, 'n2', INT64) }],
      filter: null,
      partitionMode: 'broadcast',
    });
    expect(await sortedRows(two)).toEqual([
      ['a', 1, 'a', 1, 11],
      ['a', 9, 'a', 9, 12],
      ['b', 2, 'b', 2, 14],
      ['c', 4, 'c', 4, 10],
      ['c', 4, 'c', 4, 10],
      ['zz', 1, null, null, null],
      [null, 3, null, null, null],
    ]);
  });

  it('output batches respect batchSize (one probe row with many matches spans batches); dictionaries kept', async () => {
    const n = 3000;
    const P: Field[] = [field(1, 'k', INT32)];
    const B: Field[] = [field(2, 'k2', INT32), field(3, 's', UTF8)];
    const build = new BatchesExec(B, [batch(B, [Array.from({ length: n }, (_, i) => i % 3), Array.from({ length: n }, (_, i) => `s${i % 7}`)])]);
    const probe = new BatchesExec(P, [batch(P, [[0, 1, 5, 2]])]);
    const ctx = makeCtx({ batchSize: 256 });
    const op = new HashJoinExec({ left: probe, right: build, joinType: 'left', on: [{ left: col(1, 'k', INT32), right: col(2, 'k2', INT32) }], filter: null, partitionMode: 'broadcast' });
    const out = await collect(op, ctx);
    expect(out.every((b) => b.numRows <= 256)).toBe(true);
    expect(out.reduce((a, b) => a + b.numRows, 0)).toBe(n + 1);
    expect(out[0].columns[2].dict).toHaveLength(7);
    expect(ctx.reserved).toBe(0);
    expect(op.metrics.peakMemoryBytes).toBeGreaterThan(0);
  });

  it('empty build side: inner → nothing, left → all left rows', async () => {
    const empty = () => new BatchesExec(R, []);
    const inner = new HashJoinExec({ left: left(), right: empty(), joinType: 'inner', on: [{ left: lc(0), right: rc(0) }], filter: null, partitionMode: 'broadcast' });
    expect(await rows(inner)).toEqual([]);
    const lj = new HashJoinExec({ left: left(), right: empty(), joinType: 'left', on: [{ left: lc(0), right: rc(0) }], filter: null, partitionMode: 'broadcast' });
    const r = await rows(lj);
    expect(r.length).toBe(7);
    expect(r.every((x) => x[3] === null && x[4] === null && x[5] === null)).toBe(true);
  });
});

describe('HashJoinExec direct probes (one integer key, a direct table)', () => {
  const F: Field[] = [field(1, 'k', INT32), field(2, 'v', FLOAT64)];
  const D: Field[] = [field(11, 'dk', INT32), field(12, 'attr', UTF8)];
  const fk = col(1, 'k', INT32);
  const dk = col(11, 'dk', INT32);

  it('a dimension lookup (unique keys, every fact row matches): build key equals probe key, rows in order', async () => {
    const facts = new BatchesExec(F, [batch(F, [[3, 1, 2, 3], [0.5, 1.5, 2.5, 3.5]]), batch(F, [[2, 2], [4, 5]])]);
    const dims = new BatchesExec(D, [batch(D, [[1, 2, 3], ['a', 'b', 'c']])]);
    const op = new HashJoinExec({ left: facts, right: dims, joinType: 'inner', on: [{ left: fk, right: dk }], filter: null, partitionMode: 'broadcast' });
    expect(await rows(op)).toEqual([
      [3, 0.5, 3, 'c'],
      [1, 1.5, 1, 'a'],
      [2, 2.5, 2, 'b'],
      [3, 3.5, 3, 'c'],
      [2, 4, 2, 'b'],
      [2, 5, 2, 'b'],
    ]);
  });

  it('probe keys outside the span, NULL probe keys, and a cap smaller than the batch', async () => {
    const facts = new BatchesExec(F, [batch(F, [[1, 99, null, 2, -5, 3, 1], [1, 2, 3, 4, 5, 6, 7]])]);
    const dims = new BatchesExec(D, [batch(D, [[3, 1, 2], ['c', 'a', 'b']])]);
    const op = new HashJoinExec({ left: facts, right: dims, joinType: 'inner', on: [{ left: fk, right: dk }], filter: null, partitionMode: 'broadcast' });
    const out = await collect(op, makeCtx({ batchSize: 2 }));
    expect(out.every((b) => b.numRows <= 2)).toBe(true);
    expect(await rows(new BatchesExec(op.schema, out))).toEqual([
      [1, 1, 1, 'a'],
      [2, 4, 2, 'b'],
      [3, 6, 3, 'c'],
      [1, 7, 1, 'a'],
    ]);
  });

  it('duplicate build keys and a LEFT join go through the chained loop', async () => {
    const facts = new BatchesExec(F, [batch(F, [[1, 4, 2], [1, 2, 3]])]);
    const dims = new BatchesExec(D, [batch(D, [[1, 1, 2], ['a', 'a2', 'b']])]);
    const inner = new HashJoinExec({ left: facts, right: dims, joinType: 'inner', on: [{ left: fk, right: dk }], filter: null, partitionMode: 'broadcast' });
    expect(await sortedRows(inner)).toEqual([
      [1, 1, 1, 'a'],
      [1, 1, 1, 'a2'],
      [2, 3, 2, 'b'],
    ]);
    const facts2 = new BatchesExec(F, [batch(F, [[1, 4, 2], [1, 2, 3]])]);
    const dims2 = new BatchesExec(D, [batch(D, [[1, 2], ['a', 'b']])]);
    const left = new HashJoinExec({ left: facts2, right: dims2, joinType: 'left', on: [{ left: fk, right: dk }], filter: null, partitionMode: 'broadcast' });
    expect(await sortedRows(left)).toEqual([
      [1, 1, 1, 'a'],
      [2, 3, 2, 'b'],
      [4, 2, null, null],
    ]);
  });

  it('float64 keys: only integral values can match a direct table', async () => {
    const G: Field[] = [field(1, 'k', FLOAT64)];
    const H: Field[] = [field(11, 'hk', FLOAT64), field(12, 'attr', UTF8)];
    const facts = new BatchesExec(G, [batch(G, [[1, 1.5, 2, Number.NaN]])]);
    const dims = new BatchesExec(H, [batch(H, [[1, 2], ['a', 'b']])]);
    const op = new HashJoinExec({ left: facts, right: dims, joinType: 'inner', on: [{ left: col(1, 'k', FLOAT64), right: col(11, 'hk', FLOAT64) }], filter: null, partitionMode: 'broadcast' });
    expect(await rows(op)).toEqual([
      [1, 1, 'a'],
      [2, 2, 'b'],
    ]);
  });
});

describe('NestedLoopJoinExec', () => {
  it('cross join pairs every row', async () => {
    const op = new NestedLoopJoinExec({ left: left(), right: right(), joinType: 'cross', filter: null });
    expect((await rows(op, makeCtx({ batchSize: 5 }))).length).toBe(7 * 6);
    expect(op.describe()).toBe('join_type=Cross');
  });

  it('non-equi inner and left joins', async () => {
    const filter = call('lt', [lc(0), rc(0)], BOOL);
    const inner = new NestedLoopJoinExec({ left: left(), right: right(), joinType: 'inner', filter });
    const r = await sortedRows(inner, makeCtx({ batchSize: 3 }));
    // id < rid: 1<2,2,4,9 (x2 rows of id 1) ; 2<4,9 (x2) ; 4<9 ; 5<9
    expect(r.length).toBe(4 * 2 + 2 * 2 + 1 + 1);
    const lj = new NestedLoopJoinExec({ left: left(), right: right(), joinType: 'left', filter: call('gt', [lc(0), rc(0)], BOOL) });
    const r2 = await sortedRows(lj);
    expect(r2).toContainEqual([1, 'x', 100, null, null, null]);
    expect(r2).toContainEqual([null, 'z', 300, null, null, null]);
    expect(r2.filter((x) => x[0] === 5).length).toBe(4); // 5 > 1, 2, 2, 4
  });
});

describe('FULL / SEMI / ANTI joins', () => {
  const key = [{ left: lc(0), right: rc(0) }];
  it('hash FULL join: matched pairs, unmatched left rows, then unmatched build rows (NULL keys on both sides)', async () => {
    const op = new HashJoinExec({ left: left(), right: right(), joinType: 'full', on: key, filter: null, partitionMode: 'partitioned' });
    const r = await sortedRows(op);
    expect(r.length).toBe(7 + 2 + 2); // 7 pairs; left 5 and NULL; right NULL and 9
    expect(r).toContainEqual([5, 'y', 2, null, null, null]);
    expect(r).toContainEqual([null, 'z', 300, null, null, null]);
    expect(r).toContainEqual([null, null, null, null, 'nil', 4.5]);
    expect(r).toContainEqual([null, null, null, 9, 'nine', 9]);
    expect(op.schema.every((f) => f.nullable)).toBe(true);
    expect(op.describe()).toBe('mode=partitioned, join_type=Full, on=[(id@0, rid@0)]');
  });

  it('hash FULL join with a residual filter: a build row matched only by failing pairs is unmatched', async () => {
    const filter = call('gt', [rc(2), lit(3, FLOAT64)], BOOL);
    const op = new HashJoinExec({ left: left(), right: right(), joinType: 'full', on: key, filter, partitionMode: 'broadcast' });
    const r = await sortedRows(op);
    expect(r).toContainEqual([null, null, null, 1, 'one', 1.5]);
    expect(r).toContainEqual([null, null, null, 2, 'two', 2.5]);
    expect(r).toContainEqual([2, 'q', 1, 2, 'two-b', 3.5]);
    expect(r).not.toContainEqual([null, null, null, 2, 'two-b', 3.5]);
  });

  it('hash SEMI / ANTI: left rows once each, NULL keys never match (ANTI keeps them)', async () => {
    const semi = new HashJoinExec({ left: left(), right: right(), joinType: 'semi', on: key, filter: null, partitionMode: 'broadcast' });
    expect(semi.schema.map((f) => f.id)).toEqual([1, 2, 3]);
    const sr = await sortedRows(semi);
    expect(sr.length).toBe(5); // duplicate build keys (2, 2) do not duplicate left rows
    for (const row of [[1, 'x', 3], [1, 'x', 100], [2, 'q', 1], [2, 'y', 200], [4, 'x', 400]]) expect(sr).toContainEqual(row);
    const anti = new HashJoinExec({ left: left(), right: right(), joinType: 'anti', on: key, filter: null, partitionMode: 'broadcast' });
    expect(await sortedRows(anti)).toEqual(await sortedRows(new BatchesExec(L, [batch(L, [[null, 5], ['z', 'y'], [300, 2]])])));
    expect(anti.describe()).toBe('mode=broadcast, join_type=LeftAnti, on=[(id@0, rid@0)]');
  });

  it('SEMI / ANTI with a residual filter over both sides (hash and nested loop agree)', async () => {
    const filter = call('gt', [rc(2), lit(3, FLOAT64)], BOOL);
    const eqf = call('and', [call('eq', [lc(0), rc(0)], BOOL), filter], BOOL);
    for (const joinType of ['semi', 'anti'] as const) {
      const h = new HashJoinExec({ left: left(), right: right(), joinType, on: key, filter, partitionMode: 'broadcast' });
      const n = new NestedLoopJoinExec({ left: left(), right: right(), joinType, filter: eqf });
      const hr = await sortedRows(h);
      expect(hr).toEqual(await sortedRows(n));
      expect(hr.length).toBe(joinType === 'semi' ? 2 : 5);
    }
  });

  it('nested-loop FULL join emits unmatched right rows at the end', async () => {
    const filter = call('lt', [lc(0), rc(0)], BOOL);
    const op = new NestedLoopJoinExec({ left: left(), right: right(), joinType: 'full', filter });
    const r = await sortedRows(op);
    expect(r).toContainEqual([null, null, null, 1, 'one', 1.5]);
    expect(r).toContainEqual([null, null, null, null, 'nil', 4.5]);
    expect(r).toContainEqual([null, 'z', 300, null, null, null]);
    expect(r).toContainEqual([5, 'y', 2, 9, 'nine', 9]);
  });
});
