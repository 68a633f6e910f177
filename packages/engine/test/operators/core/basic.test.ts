import { describe, expect, it } from 'vitest';
import { BatchesExec, batch, collect, field, makeCtx, rows } from '../helpers.js';
import { BOOL, INT32, INT64, UTF8 } from '../../../src/types/data-type.js';
import { call, col, lit } from '../../../src/logical/expr.js';
import { FilterExec } from '../../../src/operators/filter.js';
import { ProjectionExec } from '../../../src/operators/projection.js';
import { ValuesExec } from '../../../src/operators/values.js';
import { LimitExec } from '../../../src/operators/limit.js';
import { CoalesceBatchesExec } from '../../../src/operators/coalesce-batches.js';
import type { Batch, Schema } from '../../../src/types/batch.js';
import type { ExecContext, PhysicalOperator } from '../../../src/physical/operator.js';
import { OperatorMetrics } from '../../../src/physical/metrics.js';

const schema: Schema = [field(1, 'a', INT32), field(2, 's', UTF8)];
const a = col(1, 'a', INT32);

/** Counts pulls and whether the generator was closed. */
class CountingExec implements PhysicalOperator {
  readonly name = 'CountingExec';
  readonly children = [];
  readonly metrics = new OperatorMetrics();
  pulled = 0;
  closed = false;
  constructor(readonly schema: Schema, private readonly make: (i: number) => Batch, private readonly count: number) {}
  describe(): string { return ''; }
  async *execute(_ctx: ExecContext): AsyncGenerator<Batch> {
    try {
      for (let i = 0; i < this.count; i++) { this.pulled++; yield this.make(i); }
    } finally { this.closed = true; }
  }
}

describe('FilterExec', () => {
  it('filters with NULLs, drops empty batches, passes full batches without copying', async () => {
    const b1 = batch(schema, [[1, 5, null, 7], ['x', 'y', 'z', null]]);
    const b2 = batch(schema, [[0, 1], ['p', 'q']]);
    const b3 = batch(schema, [[10, 11], ['p', 'q']]);
    const f = new FilterExec({ input: new BatchesExec(schema, [b1, b2, b3]), predicate: call('gt', [a, lit(2, INT32)], BOOL) });
    const out = await collect(f);
    expect(out.length).toBe(2);
    expect(out[1]).toBe(b3);
    expect(await rows(new FilterExec({ input: new BatchesExec(schema, [b1, b2, b3]), predicate: call('gt', [a, lit(2, INT32)], BOOL) }))).toEqual([[5, 'y'], [7, null], [10, 'p'], [11, 'q']]);
    expect(f.metrics.outputRows).toBe(4);
    expect(f.metrics.outputBatches).toBe(2);
    expect(f.describe()).toContain('predicate=');
  });
});

describe('ProjectionExec', () => {
  it('computes expressions and carries ids', async () => {
    const b1 = batch(schema, [[1, 2], ['x', 'y']]);
    const p = new ProjectionExec({
      input: new BatchesExec(schema, [b1]),
      exprs: [
        { id: 10, name: 's', expr: col(2, 's', UTF8) },
        { id: 11, name: 'a2', expr: call('add', [a, a], INT32) },
        { id: 12, name: 'k', expr: lit(7, INT64) },
      ],
    });
    expect(p.schema.map((f) => f.id)).toEqual([10, 11, 12]);
    expect(await rows(p)).toEqual([['x', 2, 7], ['y', 4, 7]]);
    expect(p.describe()).toMatch(/expr=\[s@1 as s, .* as a2, 7 as k\]/);
  });
});

describe('ValuesExec', () => {
  it('evaluates literal rows, including NULL and zero-column rows', async () => {
    const v = new ValuesExec({
      fields: [field(1, 'x', INT64), field(2, 'y', UTF8)],
      rows: [[lit(1, INT64), lit('a', UTF8)], [lit(null, INT64), lit('b', UTF8)], [call('add', [lit(2, INT64), lit(3, INT64)], INT64), lit(null, UTF8)]],
    });
    expect(await rows(v)).toEqual([[1, 'a'], [null, 'b'], [5, null]]);
    const empty = new ValuesExec({ fields: [], rows: [[]] });
    const out = await collect(empty);
    expect(out.length).toBe(1);
    expect(out[0].numRows).toBe(1);
  });
});

describe('LimitExec', () => {
  const mk = (i: number) => batch(schema, [[i * 3, i * 3 + 1, i * 3 + 2], ['a', 'b', 'c']]);
  it('applies skip and fetch across batches', async () => {
    const l = new LimitExec({ input: new BatchesExec(schema, [0, 1, 2, 3].map(mk)), skip: 4, fetch: 4 });
    expect((await rows(l)).map((r) => r[0])).toEqual([4, 5, 6, 7]);
    const l2 = new LimitExec({ input: new BatchesExec(schema, [0, 1].map(mk)), skip: 2, fetch: null });
    expect((await rows(l2)).map((r) => r[0])).toEqual([2, 3, 4, 5]);
  });
  it('stops pulling its input once satisfied and closes it', async () => {
    const src = new CountingExec(schema, mk, 1000);
    const l = new LimitExec({ input: src, skip: 1, fetch: 3 });
    expect((await rows(l)).map((r) => r[0])).toEqual([1, 2, 3]);
    expect(src.pulled).toBe(2);
    expect(src.closed).toBe(true);
    const src0 = new CountingExec(schema, mk, 1000);
    expect(await rows(new LimitExec({ input: src0, skip: 0, fetch: 0 }))).toEqual([]);
    expect(src0.pulled).toBe(0);
  });
  it('does no work before the first pull', async () => {
    const src = new CountingExec(schema, mk, 10);
    const l = new LimitExec({ input: src, skip: 0, fetch: 1 });
    const it = l.execute(makeCtx())[Symbol.asyncIterator]();
    expect(src.pulled).toBe(0);
    await it.next();
    expect(src.pulled).toBe(1);
  });
});

describe('CoalesceBatchesExec', () => {
  it('merges small batches with different dictionaries', async () => {
    const bs = [batch(schema, [[1], ['x']]), batch(schema, [[2], ['y']]), batch(schema, [[3], ['x']]), batch(schema, [[4], [null]])];
    const c = new CoalesceBatchesExec({ input: new BatchesExec(schema, bs), targetBatchSize: 3 });
    const out = await collect(c);
    expect(out.map((b) => b.numRows)).toEqual([3, 1]);
    expect(await rows(new CoalesceBatchesExec({ input: new BatchesExec(schema, bs), targetBatchSize: 3 }))).toEqual([[1, 'x'], [2, 'y'], [3, 'x'], [4, null]]);
  });
});
