import { describe, expect, it } from 'vitest';
import { batch, collect, field, makeCtx, rows } from '../operators/helpers.js';
import { BOOL, FLOAT64, INT32, INT64, UTF8 } from '../../src/types/data-type.js';
import { call, col, lit } from '../../src/logical/expr.js';
import { ScanExec } from '../../src/operators/scan.js';
import { LimitExec } from '../../src/operators/limit.js';
import { FakeSource } from './fake-source.js';

const srcSchema = [field(0, 'id', INT32), field(0, 'cat', UTF8), field(0, 'amount', FLOAT64)].map(({ id: _id, ...f }) => f);
const groups = [
  batch(srcSchema, [[1, 2, 3], ['a', 'b', 'a'], [10, 20, 30]]),
  batch(srcSchema, [[4, 5, 6], ['c', 'c', null], [40, NaN, 60]]),
  batch(srcSchema, [[7, 8, 9], ['d', 'e', 'f'], [70, 80, null]]),
];
const fields = [field(11, 'cat', UTF8), field(12, 'id', INT32)];
const id = col(12, 'id', INT32);
const cat = col(11, 'cat', UTF8);

describe('ScanExec', () => {
  it('reads only planned columns, relabels ids, and names itself after the source kind', async () => {
    const src = new FakeSource(srcSchema, groups);
    const scan = new ScanExec({ table: 'sales', source: src, fields, filters: [] });
    expect(scan.name).toBe('ParquetScanExec');
    const out = await collect(scan, makeCtx({ batchSize: 123 }));
    expect(src.lastOptions!.columns).toEqual(['cat', 'id']);
    expect(src.lastOptions!.batchSize).toBe(123);
    expect(out[0].schema.map((f) => f.id)).toEqual([11, 12]);
    expect(scan.metrics.outputRows).toBe(9);
    expect(scan.metrics.extra.rowsRead).toBe(9);
    expect(scan.metrics.extra.bytesRead).toBeGreaterThan(0);
    expect(scan.describe()).toBe('table=sales, projection=[cat, id], file=/data/t.parquet');
    expect(new ScanExec({ table: 'm', source: new FakeSource(srcSchema, groups, 'memory'), fields, filters: [] }).name).toBe('MemoryScanExec');
  });

  it('skips row groups refuted by statistics and filters rows exactly', async () => {
    const src = new FakeSource(srcSchema, groups);
    let read = 0;
    const ctx = { ...makeCtx(), reportRead: (r: number) => { read += r; } };
    const scan = new ScanExec({ table: 't', source: src, fields, filters: [call('and', [call('gte', [id, lit(2, INT32)], BOOL), call('lte', [id, lit(5, INT32)], BOOL)], BOOL)] });
    expect(await rows(scan, ctx)).toEqual([['b', 2], ['a', 3], ['c', 4], ['c', 5]]);
    expect(src.groupsRead).toBe(2);
    expect(scan.metrics.extra.rowGroupsSkipped).toBe(1);
    expect(read).toBe(6);
    expect(scan.describe()).toContain('filters=[id@1 >= 2, id@1 <= 5]');
  });

  it('prunes with flipped literals, strings, IN lists and IS NULL; never prunes float > on NaN', async () => {
    const run = async (pred: Parameters<typeof call>[1] extends never ? never : ReturnType<typeof call>, f = fields) => {
      const src = new FakeSource(srcSchema, groups);
      const scan = new ScanExec({ table: 't', source: src, fields: f, filters: [pred] });
      const r = await rows(scan);
      return { groups: src.groupsRead, rows: r.length };
    };
    expect(await run(call('gt', [lit(4, INT32), id], BOOL))).toEqual({ groups: 1, rows: 3 });
    expect(await run(call('eq', [cat, lit('c', UTF8)], BOOL))).toEqual({ groups: 1, rows: 2 });
    expect(await run({ kind: 'in_list', expr: id, list: [lit(8, INT32), lit(100, INT32)], negated: false, type: BOOL } as never)).toEqual({ groups: 1, rows: 1 });
    expect(await run(call('is_null', [cat], BOOL))).toEqual({ groups: 1, rows: 1 });
    expect(await run(call('eq', [id, lit(null, INT32)], BOOL))).toEqual({ groups: 0, rows: 0 });
    const amount = col(13, 'amount', FLOAT64);
    const withAmount = [...fields, field(13, 'amount', FLOAT64)];
    // NaN is greater than everything (PostgreSQL): the group with max 40 (stats ignore NaN) must be read
    expect(await run(call('gt', [amount, lit(65, FLOAT64)], BOOL), withAmount)).toEqual({ groups: 3, rows: 3 });
    expect(await run(call('lt', [amount, lit(15, FLOAT64)], BOOL), withAmount)).toEqual({ groups: 1, rows: 1 });
    expect(await run(call('gt', [{ kind: 'cast', expr: id, type: INT64 }, lit(7, INT64)], BOOL))).toEqual({ groups: 1, rows: 2 });
  });

  it('closes the source when a parent stops early', async () => {
    const src = new FakeSource(srcSchema, groups);
    const scan = new ScanExec({ table: 't', source: src, fields, filters: [] });
    expect((await rows(new LimitExec({ input: scan, skip: 0, fetch: 2 }))).length).toBe(2);
    expect(src.groupsRead).toBe(1);
    expect(src.closed).toBe(true);
  });
});

describe('scans under a sort or window', () => {
  it('are told the plan above holds every row (consumerWaits), through filters and projections only', async () => {
    const { SessionContext } = await import('../../src/index.js');
    const ask = async (sql: string): Promise<boolean | undefined> => {
      const src = new FakeSource(srcSchema, groups);
      const ctx = new SessionContext({ partitions: 1 });
      ctx.registerSource('t', src);
      await (await ctx.sql(sql)).collectBatches();
      return src.lastOptions!.consumerWaits;
    };
    expect(await ask('SELECT id FROM t WHERE amount > 1 ORDER BY amount DESC LIMIT 2')).toBe(true);
    expect(await ask('SELECT id, rank() OVER (ORDER BY amount) FROM t WHERE id > 1')).toBe(true);
    expect(await ask('SELECT sum(r) FROM (SELECT rank() OVER (ORDER BY amount) AS r FROM t) w')).toBe(true);
    expect(await ask('SELECT cat, count(*) FROM t GROUP BY cat')).toBeUndefined();
    expect(await ask('SELECT id FROM t WHERE id > 3')).toBeUndefined();
    // a sort over an aggregate: the aggregate streams its input, the scan is not told
    expect(await ask('SELECT cat, count(*) FROM t GROUP BY cat ORDER BY 2')).toBeUndefined();
  });
});
