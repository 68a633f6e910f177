import { describe, expect, it } from 'vitest';
import { batch, field } from '../operators/helpers.js';
import { BOOL, FLOAT64, INT32, INT64, UTF8 } from '../../src/types/data-type.js';
import { call, col, lit } from '../../src/logical/expr.js';
import type { LogicalPlan, ScanNode } from '../../src/logical/plan.js';
import { createPhysicalPlan } from '../../src/physical/planner.js';
import { formatPhysicalPlan, physicalPlanToJson } from '../../src/physical/display.js';
import { createExecContext } from '../../src/physical/context.js';
import type { ExecContext, PhysicalOperator } from '../../src/physical/operator.js';
import { valueAt } from '../../src/types/column.js';
import { FakeSource } from './fake-source.js';

const srcSchema = [{ name: 'id', type: INT32, nullable: true }, { name: 'cat', type: UTF8, nullable: true }, { name: 'amount', type: FLOAT64, nullable: true }];
const groups = [
  batch(srcSchema, [[1, 2, 3], ['a', 'b', 'a'], [10, 20, 30]]),
  batch(srcSchema, [[4, 5, 6], ['c', 'c', null], [40, 50, 60]]),
];
const scan = (): ScanNode => ({
  kind: 'scan', table: 'sales', alias: 'sales', source: new FakeSource(srcSchema, groups),
  fields: [field(1, 'id', INT32), field(2, 'cat', UTF8), field(3, 'amount', FLOAT64)], filters: [],
});
const id = col(1, 'id', INT32);
const cat = col(2, 'cat', UTF8);
const amount = col(3, 'amount', FLOAT64);

async function run(op: PhysicalOperator, ctx: ExecContext = createExecContext()): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const b of op.execute(ctx)) for (let i = 0; i < b.numRows; i++) out.push(b.columns.map((c) => valueAt(c, i)));
  return out;
}

describe('createPhysicalPlan', () => {
  it('maps filter/projection/sort(fetch)/limit and runs', async () => {
    const plan: LogicalPlan = {
      kind: 'limit', skip: 1, fetch: 2,
      input: {
        kind: 'projection', exprs: [{ id: 10, name: 'cat', expr: cat }, { id: 11, name: 'amt', expr: amount }],
        input: {
          kind: 'sort', fetch: 3, keys: [{ expr: amount, ascending: false, nullsFirst: true }],
          input: { kind: 'filter', predicate: call('gt', [id, lit(1, INT32)], BOOL), input: scan() },
        },
      },
    };
    const op = createPhysicalPlan(plan);
    expect(formatPhysicalPlan(op, { analyze: false })).toBe([
      'LimitExec: skip=1, fetch=2',
      '  ProjectionExec: expr=[cat@1 as cat, amount@2 as amt]',
      '    TopKExec: expr=[amount@2 DESC], fetch=3',
      '      FilterExec: predicate=id@0 > 1',
      '        ParquetScanExec: table=sales, projection=[id, cat, amount], file=/data/t.parquet',
    ].join('\n'));
    expect(await run(op)).toEqual([['c', 50], ['c', 40]]);
    const analyzed = formatPhysicalPlan(op, { analyze: true });
    expect(analyzed).toMatch(/^LimitExec: skip=1, fetch=2, metrics=\[output_rows=2, output_batches=1, elapsed_compute=[\d.]+(ms|µs), peak_mem=0 B\]/);
    expect(analyzed).toMatch(/ParquetScanExec: .*metrics=\[output_rows=6, .*rows_read=6, bytes_read=/);
    const json = physicalPlanToJson(op);
    expect(json.name).toBe('LimitExec');
    expect(json.children[0].children[0].name).toBe('TopKExec');
    expect(json.children[0].children[0].metrics.outputRows).toBe(3);
    expect(json.children[0].children[0].children[0].children[0].metrics.extra?.rowsRead).toBe(6);
  });

  it('maps sort without fetch, aggregate, joins, values and window', async () => {
    const sortPlan: LogicalPlan = { kind: 'sort', fetch: null, keys: [{ expr: cat, ascending: true, nullsFirst: false }, { expr: id, ascending: false, nullsFirst: true }], input: scan() };
    const sortOp = createPhysicalPlan(sortPlan);
    expect(sortOp.name).toBe('SortExec');
    expect((await run(sortOp)).map((r) => r[0])).toEqual([3, 1, 2, 5, 4, 6]);

    const agg: LogicalPlan = { kind: 'aggregate', input: scan(), groupBy: [{ id: 20, name: 'cat', expr: cat }], aggregates: [{ id: 21, name: 'n', agg: { fn: 'count_star', arg: null, distinct: false, filter: null, type: INT64 } }] };
    expect(createPhysicalPlan(agg).name).toBe('HashAggregateExec');

    const values: LogicalPlan = { kind: 'values', fields: [field(30, 'k', INT32), field(31, 'label', UTF8)], rows: [[lit(1, INT32), lit('one', UTF8)], [lit(3, INT32), lit('three', UTF8)]] };
    const k = col(30, 'k', INT32);
    const join: LogicalPlan = { kind: 'join', joinType: 'inner', left: scan(), right: values, on: [{ left: id, right: k }], filter: null, strategy: 'broadcast' };
    const joinOp = createPhysicalPlan(join);
    expect(joinOp.name).toBe('HashJoinExec');
    expect(joinOp.children[1].name).toBe('ValuesExec');
    expect((await run(joinOp)).map((r) => [r[0], r[4]]).sort()).toEqual([[1, 'one'], [3, 'three']]);
    const cross: LogicalPlan = { ...join, joinType: 'cross', on: [] };
    expect(createPhysicalPlan(cross).name).toBe('NestedLoopJoinExec');
    expect((await run(createPhysicalPlan(cross))).length).toBe(12);

    const win: LogicalPlan = { kind: 'window', input: scan(), windows: [{ id: 40, name: 'rn', window: { fn: 'row_number', arg: null, partitionBy: [cat], orderBy: [{ expr: amount, ascending: false, nullsFirst: true }], frame: { mode: 'range' }, type: INT64 } }] };
    const winOp = createPhysicalPlan(win);
    expect(winOp.name).toBe('WindowExec');
    expect(winOp.schema.map((f) => f.id)).toEqual([1, 2, 3, 40]);
    expect((await run(winOp)).map((r) => r[3])).toEqual([2, 1, 1, 2, 1, 1]);
  });
});

describe('createExecContext', () => {
  it('enforces the memory limit naming the operator', () => {
    const ctx = createExecContext({ config: { memoryLimit: 100 } });
    ctx.reserve('SortExec', 60);
    ctx.reserve('SortExec', -20);
    expect(() => ctx.reserve('HashJoinExec', 61)).toThrowError('memory limit of 100 bytes exceeded in HashJoinExec');
    expect(ctx.peakReservedBytes).toBe(60);
  });

  it('cancels and counts reads', async () => {
    const ac = new AbortController();
    const reads: number[] = [];
    const ctx = createExecContext({ signal: ac.signal, onRead: (r) => reads.push(r) });
    ctx.checkCancelled();
    ctx.reportRead(5, 100);
    expect(ctx.rowsRead).toBe(5);
    expect(reads).toEqual([5]);
    ac.abort();
    expect(() => ctx.checkCancelled()).toThrow(expect.objectContaining({ code: 'cancelled', message: 'query cancelled' }));
    // a running plan stops at the next batch
    const op = createPhysicalPlan(scan());
    await expect(run(op, ctx)).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('a sort over the limit fails with resources_exhausted', async () => {
    const op = createPhysicalPlan({ kind: 'sort', fetch: null, keys: [{ expr: id, ascending: true, nullsFirst: false }], input: scan() });
    await expect(run(op, createExecContext({ config: { memoryLimit: 50 } }))).rejects.toMatchObject({ code: 'resources_exhausted', message: expect.stringContaining('SortExec') });
  });
});
