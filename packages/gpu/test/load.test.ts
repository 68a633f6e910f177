import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { SessionContext, openTableFile } from '@phaselab/engine';
import * as arrow from 'apache-arrow';
import { loadDataset, loadedKey, readManifest } from '../src/load/dataset.js';
import { writePlainArrow } from '../src/load/arrow-plain.js';
import { batchToCopyText, copyTextValue } from '../src/load/copy-text.js';
import { createTestDb, uniqueSchema, type TestDb } from './harness.js';

describe('loadDataset', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('loads every table of a Parquet dataset by COPY, with row counts, BRIN indexes and progress', async () => {
    const dir = inject('salesDir');
    const manifest = readManifest(dir);
    const schema = uniqueSchema('sales');
    const progress: number[] = [];
    const r = await loadDataset({ url: db.url, datasetDir: dir, schema, brin: { l40s_sales_large: ['order_date', 'partition_key'] }, key: 'k1', onProgress: (p) => progress.push(p.totalRowsDone) });
    expect(r.tables.map((t) => t.name)).toEqual(manifest.tables.map((t) => t.name));
    for (const t of manifest.tables) {
      const { rows } = await db.admin.query(`SELECT count(*)::int AS n FROM ${schema}.${t.name}`);
      expect(rows[0].n).toBe(t.rows);
    }
    expect(progress.at(-1)).toBe(manifest.tables.reduce((a, t) => a + t.rows, 0));
    const idx = await db.admin.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY 1`, [schema]);
    expect(idx.rows.map((x) => x.indexname)).toEqual(['l40s_sales_large_order_date_brin', 'l40s_sales_large_partition_key_brin']);
    expect(idx.rows.every((x) => / USING brin /.test(x.indexdef))).toBe(true);
    // no Arrow_fdw here: the load says why instead of pretending
    expect(r.arrowFdw.available).toBe(false);
    expect(r.tables[0].arrow).toEqual({ skipped: expect.stringMatching(/arrow_fdw/) });
    expect(await loadedKey(db.admin, schema)).toBe('k1');
    expect(await loadedKey(db.admin, 'no_such_schema')).toBeNull();
  });

  it('loads values exactly: aggregates over the loaded table equal the engine over the file', async () => {
    const dir = inject('financeDir'); // CSV: strings (hangul), NULLs, timestamps, numeric(18,2)
    const schema = uniqueSchema('fin');
    await loadDataset({ url: db.url, datasetDir: dir, schema });
    const ctx = new SessionContext();
    const manifest = readManifest(dir);
    for (const t of manifest.tables) await ctx.registerFile(t.name, path.join(dir, t.file));
    const sql = `SELECT count(*) AS n, count(amount) AS amounts, sum(amount) AS total, min(ts) AS first, max(ts) AS last,
                        count(DISTINCT status) AS statuses, sum(length(currency)) AS chars FROM transactions`;
    const df = await ctx.sql(sql);
    const engineRows: string[][] = [];
    const { formatBatchRows } = await import('@phaselab/engine');
    for await (const b of df.streamBatches()) engineRows.push(...(formatBatchRows(b) as string[][]));
    await db.admin.query(`SET search_path = ${schema}`);
    const pgRows = await db.admin.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } as never });
    expect(pgRows.rows).toEqual(engineRows);
    const names = await db.admin.query(`SELECT customer_name FROM ${schema}.accounts ORDER BY account_id LIMIT 3`);
    const engineNames = await ctx.sql('SELECT customer_name FROM accounts ORDER BY account_id LIMIT 3');
    const en: string[] = [];
    for await (const b of engineNames.streamBatches()) en.push(...formatBatchRows(b).map((r) => r[0]!));
    expect(names.rows.map((r) => r.customer_name)).toEqual(en);
  });

  it('replaces an earlier load of the same schema, and rejects a bad directory or table', async () => {
    const dir = inject('salesDir');
    const schema = uniqueSchema('again');
    await loadDataset({ url: db.url, datasetDir: dir, schema, key: 'a' });
    await loadDataset({ url: db.url, datasetDir: dir, schema, key: 'b' });
    expect(await loadedKey(db.admin, schema)).toBe('b');
    const reused = await loadDataset({ url: db.url, datasetDir: dir, schema, key: 'b', reuse: true });
    expect(reused).toMatchObject({ reused: true, tables: [] });
    expect((await loadDataset({ url: db.url, datasetDir: dir, schema, key: 'c', reuse: true })).reused).toBe(false);
    const { rows } = await db.admin.query(`SELECT count(*)::int AS n FROM ${schema}.l40s_sales_large`);
    expect(rows[0].n).toBe(readManifest(dir).tables[0].rows);
    await expect(loadDataset({ url: db.url, datasetDir: '/nonexistent/dir', schema })).rejects.toThrow(/cannot read .*manifest\.json/);
    await expect(loadDataset({ url: db.url, datasetDir: dir, schema, tables: ['nope'] })).rejects.toThrow(/has no table "nope"/);
    await expect(loadDataset({ url: db.url, datasetDir: dir, schema: 'Bad-Name' })).rejects.toThrow(/schema must be lower-case/);
  });
});

describe('COPY text encoding', () => {
  it('escapes backslash, tab, newline, CR and writes NULL as \\N', () => {
    expect(copyTextValue(null)).toBe('\\N');
    expect(copyTextValue('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyTextValue('plain')).toBe('plain');
  });

  it('formats a batch as PostgreSQL text (numeric with its scale, ISO dates)', async () => {
    const source = await openTableFile(path.join(inject('salesDir'), 'l40s_sales_large.parquet'));
    for await (const b of source.scan({ columns: source.schema.map((f) => f.name) })) {
      const first = batchToCopyText(b).split('\n')[0].split('\t');
      expect(first[0]).toBe('1');
      expect(first[1]).toBe('category_1');
      expect(first[3]).toMatch(/^\d+\.\d{2}$/);
      expect(first[4]).toBe('2023-01-02');
      break;
    }
  });
});

describe('Arrow files for Arrow_fdw', () => {
  it('writes strings as plain Utf8 (no DictionaryBatch, which Arrow_fdw rejects) and reads back equal', async () => {
    const source = await openTableFile(path.join(inject('financeDir'), 'transactions.csv'));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gpu-arrow-')), 'transactions.arrow');
    const rows = await writePlainArrow(file, source.schema, source.scan({ columns: source.schema.map((f) => f.name) }));
    const table = arrow.tableFromIPC(fs.readFileSync(file));
    expect(table.numRows).toBe(rows);
    for (const f of table.schema.fields) expect(arrow.DataType.isDictionary(f.type)).toBe(false);
    expect(String(table.schema.fields.find((f) => f.name === 'status')!.type)).toBe('Utf8');
    // the engine reads it back to the same answers as the original file
    const ctx = new SessionContext();
    await ctx.registerFile('a', file);
    await ctx.registerFile('b', path.join(inject('financeDir'), 'transactions.csv'));
    const q = async (t: string) => {
      const df = await ctx.sql(`SELECT status, count(*) AS n, sum(amount) AS s FROM ${t} GROUP BY status ORDER BY status`);
      const { formatBatchRows } = await import('@phaselab/engine');
      const out: unknown[] = [];
      for await (const b of df.streamBatches()) out.push(...formatBatchRows(b));
      return out;
    };
    expect(await q('a')).toEqual(await q('b'));
  });
});
