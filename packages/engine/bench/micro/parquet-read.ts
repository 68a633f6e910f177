/**
 * Parquet read micro-benchmark: ParquetTable.scan of one and two columns of a 10M-row file written
 * by DuckDB (id BIGINT, category VARCHAR, region VARCHAR, amount DECIMAL(15,2), order_date DATE,
 * partition_key INT). Usage: npx tsx bench/micro/parquet-read.ts [path] [repeats]
 */
import fs from 'node:fs';
import path from 'node:path';
import { ParquetTable } from '../../src/io/parquet.js';

const file = process.argv[2] ?? '/tmp/pq/sales10m.parquet';
const repeats = Number(process.argv[3] ?? 3);

async function ensureFile(p: string): Promise<void> {
  if (fs.existsSync(p)) return;
  fs.mkdirSync(path.dirname(p), { recursive: true });
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`COPY (
    SELECT i::BIGINT AS id, 'category_' || (i % 100) AS category, 'region_' || (i % 20) AS region,
           (random() * 10000)::DECIMAL(15,2) AS amount, DATE '2023-01-01' + (i % 365)::INT AS order_date,
           (i % 3)::INT AS partition_key
    FROM range(1, 10000001) t(i)) TO '${p}' (FORMAT PARQUET)`);
}

async function timeScan(t: ParquetTable, columns: string[]): Promise<{ ms: number; rows: number }> {
  let best = Infinity;
  let rows = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    rows = 0;
    for await (const b of t.scan({ columns })) rows += b.numRows;
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, rows };
}

await ensureFile(file);
const t = await ParquetTable.open(file);
console.log(`${file}: ${t.statistics().numRows} rows, ${t.rowGroups.length} row groups (best of ${repeats})`);
for (const cols of [['id'], ['category'], ['region'], ['amount'], ['order_date'], ['partition_key'], ['category', 'amount'], ['order_date', 'amount']]) {
  const { ms, rows } = await timeScan(t, cols);
  console.log(`${cols.join(', ').padEnd(22)} ${ms.toFixed(0).padStart(6)} ms  (${(ms / cols.length).toFixed(0)} ms/column, ${rows} rows)`);
}
