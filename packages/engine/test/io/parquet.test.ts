import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnStats } from '../../src/catalog.js';
import { formatBatchRows } from '../../src/io/format.js';
import { openTableFile, writeTable } from '../../src/io/open.js';
import { ParquetTable, parquetMetadataSummary, writeParquet } from '../../src/io/parquet.js';
import { readParquetFooter } from '../../src/io/parquet-footer.js';
import type { Batch } from '../../src/types/batch.js';
import { ALL_FIELDS, allTypesBatch, rowsOf } from './helpers.js';

let dir: string;
let duckFile: string;

async function collect(t: { scan: ParquetTable['scan'] }, columns: string[], keepRowGroup?: (s: ReadonlyMap<string, ColumnStats>, n: number) => boolean): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of t.scan({ columns, keepRowGroup })) out.push(b);
  return out;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phaselab-io-'));
  duckFile = path.join(dir, 'duck.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run('SET threads = 1');
  await con.run(`COPY (
    SELECT i::BIGINT AS id,
           CASE WHEN i % 10 = 0 THEN NULL ELSE 'cat_' || (i % 7) END AS category,
           (i * 1.25 - 500)::DECIMAL(15,2) AS amount,
           DATE '2023-01-01' + (i // 100)::INT AS d,
           TIMESTAMP '2023-01-01 00:00:00' + INTERVAL (i) SECOND + INTERVAL (i % 3 * 1000) MICROSECOND AS ts,
           (i % 2 = 0) AS flag,
           (i / 8)::DOUBLE AS f,
           (i % 5)::INTEGER AS small
    FROM range(10000) t(i)
  ) TO '${duckFile}' (FORMAT PARQUET, ROW_GROUP_SIZE 2048)`);
  con.closeSync?.();
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ParquetTable', () => {
  it('reads a DuckDB file: schema, values, NULLs', async () => {
    const t = await ParquetTable.open(duckFile);
    expect(t.schema.map((f) => `${f.name}:${f.type.kind}`)).toEqual([
      'id:int64', 'category:utf8', 'amount:decimal', 'd:date', 'ts:timestamp', 'flag:bool', 'f:float64', 'small:int32',
    ]);
    expect(t.schema[2].type).toEqual({ kind: 'decimal', precision: 15, scale: 2 });
    expect(t.statistics().numRows).toBe(10000);
    expect(t.rowGroups.length).toBe(5);
    const batches = await collect(t, t.schema.map((f) => f.name));
    const rows = batches.flatMap(formatBatchRows);
    expect(rows.length).toBe(10000);
    expect(rows[0]).toEqual(['0', null, '-500.00', '2023-01-01', '2023-01-01 00:00:00', 't', '0', '0']);
    expect(rows[1]).toEqual(['1', 'cat_1', '-498.75', '2023-01-01', '2023-01-01 00:00:01.001', 'f', '0.125', '1']);
    expect(rows[999]).toEqual(['999', 'cat_5', '748.75', '2023-01-10', '2023-01-01 00:16:39', 'f', '124.875', '4']);
  });

  it('reads only the requested columns, in the requested order', async () => {
    const t = await ParquetTable.open(duckFile);
    const batches = await collect(t, ['small', 'category']);
    expect(batches[0].schema.map((f) => f.name)).toEqual(['small', 'category']);
    expect(batches[0].columns.length).toBe(2);
    expect(rowsOf(batches)[3]).toEqual([3, 'cat_3']);
    const none = await collect(t, []);
    expect(none.reduce((n, b) => n + b.numRows, 0)).toBe(10000);
  });

  it('exposes row-group statistics in the storage domain and skips row groups', async () => {
    const t = await ParquetTable.open(duckFile);
    const s0 = t.rowGroups[0].stats;
    expect(s0.get('id')).toEqual({ min: 0, max: 2047, nullCount: 0 });
    expect(s0.get('amount')!.min).toBe(-50000); // unscaled
    expect(s0.get('d')!.min).toBe(19358); // 2023-01-01 in days
    expect(s0.get('ts')!.min).toBe(1672531200000000); // µs
    expect(s0.get('category')).toEqual({ min: 'cat_0', max: 'cat_6', nullCount: 205 });
    const seen: number[] = [];
    const batches = await collect(t, ['id'], (stats, n) => {
      seen.push(n);
      const s = stats.get('id')!;
      return (s.max as number) >= 6000 && (s.min as number) < 7000;
    });
    expect(seen).toEqual([2048, 2048, 2048, 2048, 1808]);
    const ids = rowsOf(batches).map((r) => r[0] as number);
    expect(ids.length).toBe(4096);
    expect(ids[0]).toBe(4096);
  });

  it('round-trips every type with NULLs through writeParquet (several row groups)', async () => {
    const p = path.join(dir, 'rt.parquet');
    const input = [allTypesBatch(), allTypesBatch(1), allTypesBatch(2)];
    await writeParquet(p, ALL_FIELDS, input, { rowGroupSize: 4, compression: 'zstd' });
    const t = await ParquetTable.open(p);
    // the schema comes from the footer's ARROW:schema (DuckDB's file above has none: parquet-wasm derives it)
    expect((await readParquetFooter(p)).arrowSchema).toBeTruthy();
    expect((await readParquetFooter(duckFile)).arrowSchema).toBeUndefined();
    expect(t.schema).toEqual(ALL_FIELDS);
    expect(t.rowGroups.length).toBe(4);
    const got = await collect(t, ALL_FIELDS.map((f) => f.name));
    expect(rowsOf(got)).toEqual(rowsOf(input));
    // strings written from dictionaries come back as dictionaries (no re-encoding on read)
    expect(got[0].columns[4].dict).toBeDefined();
    const summary = await parquetMetadataSummary(p);
    expect(summary).toMatchObject({ numRows: 15, numRowGroups: 4, numColumns: 8 });
  });

  it('writes an empty table with its schema, and async batches via writeTable', async () => {
    const p = path.join(dir, 'empty.parquet');
    await writeParquet(p, ALL_FIELDS, []);
    const t = await ParquetTable.open(p);
    expect(t.schema).toEqual(ALL_FIELDS);
    expect(await collect(t, ['s'])).toEqual([]);
    const p2 = path.join(dir, 'async.parquet');
    async function* gen() {
      yield allTypesBatch(3);
      yield allTypesBatch(4);
    }
    await writeTable(p2, ALL_FIELDS, gen());
    const t2 = await openTableFile(p2);
    expect(t2.kind).toBe('parquet');
    expect(rowsOf(await collect(t2 as ParquetTable, ['i32', 's']))).toEqual(rowsOf([allTypesBatch(3), allTypesBatch(4)]).map((r) => [r[0], r[4]]));
  });

  it('names the file for missing and corrupt files', async () => {
    const missing = path.join(dir, 'nope.parquet');
    await expect(ParquetTable.open(missing)).rejects.toMatchObject({ code: 'io_error', message: `file "${missing}" does not exist` });
    const bad = path.join(dir, 'bad.parquet');
    fs.writeFileSync(bad, 'this is not parquet at all, just text');
    await expect(ParquetTable.open(bad)).rejects.toMatchObject({ code: 'invalid_file' });
    await expect(ParquetTable.open(bad)).rejects.toThrow(`file "${bad}" is not valid Parquet: `);
    // valid footer, damaged data pages
    const buf = fs.readFileSync(duckFile);
    const broken = Buffer.from(buf);
    for (let i = 100; i < 2000; i++) broken[i] = (broken[i] * 31 + 7) & 255;
    const bp = path.join(dir, 'broken.parquet');
    fs.writeFileSync(bp, broken);
    const t = await ParquetTable.open(bp);
    await expect(collect(t, ['id', 'category'])).rejects.toThrow(`file "${bp}" is not valid Parquet`);
  });
});
