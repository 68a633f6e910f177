import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { batchFromArrow, batchToArrow, fieldsFromArrowSchema, tableToArrow } from '../../src/io/arrow-convert.js';
import { MemoryTable } from '../../src/io/memory-table.js';
import { ALL_FIELDS, allTypesBatch, rowsOf } from './helpers.js';

describe('arrow-convert', () => {
  it('round-trips every type with NULLs (in memory and through IPC)', () => {
    const b = allTypesBatch();
    const rb = batchToArrow(b);
    expect(rb.schema.fields.map((f) => String(f.type))).toEqual([
      'Int32', 'Int64', 'Float64', 'Decimal[15e+2]', 'Dictionary<Int32, Utf8>', 'Bool', 'Date32<DAY>', 'Timestamp<MICROSECOND>',
    ]);
    const fields = fieldsFromArrowSchema(rb.schema);
    expect(fields).toEqual(ALL_FIELDS);
    expect(rowsOf([batchFromArrow(rb, fields)])).toEqual(rowsOf([b]));
    const t = tableToArrow(ALL_FIELDS, [b, allTypesBatch(7)]);
    const back = arrow.tableFromIPC(arrow.tableToIPC(t, 'stream'));
    expect(back.numRows).toBe(10);
    const conv = back.batches.map((x) => batchFromArrow(x, fieldsFromArrowSchema(back.schema)));
    expect(rowsOf(conv)).toEqual(rowsOf([b, allTypesBatch(7)]));
    // arrow's own view of the values
    expect(back.getChild('i64')!.get(2)).toBe(-9007199254740991n);
    expect(String(back.getChild('dec')!.get(2))).toBe('-5');
    expect(back.getChild('s')!.get(1)).toBe(null);
    expect(back.getChild('s')!.get(8)).toBe('v7');
  });

  it('dictionary-encodes plain Utf8 whose first value is the empty string', () => {
    // the run-of-equal-values shortcut once took a leading '' for "same as the previous value"
    const rb = new arrow.Table({ s: arrow.vectorFromArray(['', 'a', '', 'b', 'b'], new arrow.Utf8()) }).batches[0];
    expect(String(rb.schema.fields[0].type)).toBe('Utf8');
    const b = batchFromArrow(rb);
    expect(rowsOf([b])).toEqual([[''], ['a'], [''], ['b'], ['b']]);
    expect(b.columns[0].dict).toEqual(['', 'a', 'b']);
  });

  it('reads zero-copy where the layout matches', () => {
    const t = arrow.tableFromArrays({ a: Int32Array.from([1, 2, 3]), b: Float64Array.from([1.5, 2, 3]) });
    const b = batchFromArrow(t.batches[0]);
    expect(b.columns[0].values.buffer).toBe(t.getChild('a')!.data[0].values.buffer);
    expect(b.columns[1].values.buffer).toBe(t.getChild('b')!.data[0].values.buffer);
    expect(b.columns[0].validity).toBeNull();
  });

  it('converts narrow, unsigned, float32, plain utf8, Date64 and timestamp units', () => {
    const t = arrow.tableFromArrays({
      i8: Int8Array.from([-1, 2]),
      u16: Uint16Array.from([65535, 0]),
      u32: Uint32Array.from([4294967295, 1]),
      f32: Float32Array.from([0.5, -2]),
      s: ['héllo', 'x'],
    });
    const fields = fieldsFromArrowSchema(t.schema);
    expect(fields.map((f) => f.type.kind)).toEqual(['int32', 'int32', 'int64', 'float64', 'utf8']);
    expect(rowsOf([batchFromArrow(t.batches[0], fields)])).toEqual([
      [-1, 65535, 4294967295, 0.5, 'héllo'],
      [2, 0, 1, -2, 'x'],
    ]);
    const ts = arrow.makeVector(arrow.makeData({ type: new arrow.TimestampNanosecond(), length: 2, data: BigInt64Array.from([1_700_000_000_123_456_789n, -1n]) }));
    const ms = arrow.makeVector(arrow.makeData({ type: new arrow.TimestampMillisecond(), length: 2, data: BigInt64Array.from([-1500n, 0n]) }));
    const d64 = arrow.makeVector(arrow.makeData({ type: new arrow.DateMillisecond(), length: 2, data: BigInt64Array.from([-86_400_000n * 3n, 1n]) }));
    const t2 = new arrow.Table({ ts, ms, d64 } as never) as arrow.Table;
    const b2 = batchFromArrow(t2.batches[0], fieldsFromArrowSchema(t2.schema), ['ts']);
    expect(Array.from(b2.columns[0].values)).toEqual([1_700_000_000_123_456, -1]);
    const b3 = batchFromArrow(t2.batches[0], undefined, ['ms', 'd64']);
    expect(b3.columns[0].values[0]).toBe(-1_500_000);
    expect(b3.columns[1].values[0]).toBe(-3);
  });

  it('dictionary-encodes plain Utf8 with NULLs and many distinct values', () => {
    const vals = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? null : `k${i % 1500}`));
    const t = arrow.tableFromArrays({ s: vals as string[] });
    const b = batchFromArrow(t.batches[0]);
    const c = b.columns[0];
    expect(c.dict!.length).toBe(new Set(vals.filter((x) => x !== null)).size);
    expect(rowsOf([b]).map((r) => r[0])).toEqual(vals);
  });

  it('rejects unsupported Arrow types naming the column', () => {
    const schema = new arrow.Schema([new arrow.Field('l', new arrow.List(new arrow.Field('x', new arrow.Int32())))]);
    expect(() => fieldsFromArrowSchema(schema)).toThrow(/column "l" has unsupported Arrow type/);
  });

  it('MemoryTable converts once and scans requested columns', async () => {
    const t = tableToArrow(ALL_FIELDS, [allTypesBatch(), allTypesBatch(1)]);
    const m = MemoryTable.fromArrow(t);
    expect(m.statistics().numRows).toBe(10);
    expect(m.statistics().bytes).toBeGreaterThan(0);
    const out = [];
    for await (const b of m.scan({ columns: ['s', 'i32'], batchSize: 3 })) out.push(b);
    expect(out.map((b) => b.numRows)).toEqual([3, 2, 3, 2]);
    expect(out[0].schema.map((f) => f.name)).toEqual(['s', 'i32']);
    expect(rowsOf(out)[4]).toEqual(['ünï', 0]);
    await expect(async () => {
      for await (const _ of m.scan({ columns: ['nope'] })) void _;
    }).rejects.toThrow(/column "nope" does not exist/);
  });
});
