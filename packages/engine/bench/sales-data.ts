/**
 * Seed 003's `l40s_sales_large` table, generated deterministically and streamed to Parquet:
 * id, 'category_' || (i % 100), 'region_' || (i % 20), amount numeric(15,2) random 0-10000,
 * order_date '2023-01-01' + i % 365, partition_key i % 3.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeTable } from '../src/io/open.js';
import type { Batch, Field } from '../src/types/batch.js';
import { makeColumn } from '../src/types/column.js';
import { DATE, INT32, INT64, UTF8, decimal } from '../src/types/data-type.js';

export const SALES_FIELDS: Field[] = [
  { name: 'id', type: INT64, nullable: false },
  { name: 'category', type: UTF8, nullable: false },
  { name: 'region', type: UTF8, nullable: false },
  { name: 'amount', type: decimal(15, 2), nullable: false },
  { name: 'order_date', type: DATE, nullable: false },
  { name: 'partition_key', type: INT32, nullable: false },
];

const CATEGORIES = Array.from({ length: 100 }, (_, i) => `category_${i}`);
const REGIONS = Array.from({ length: 20 }, (_, i) => `region_${i}`);
const EPOCH_2023 = Date.UTC(2023, 0, 1) / 86_400_000;

/** mulberry32: small, fast, deterministic for a seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function* salesBatches(rows: number, seed = 42, batchRows = 1 << 20): AsyncGenerator<Batch> {
  const rand = rng(seed);
  for (let start = 1; start <= rows; start += batchRows) {
    const n = Math.min(batchRows, rows - start + 1);
    const id = new Float64Array(n);
    const cat = new Int32Array(n);
    const reg = new Int32Array(n);
    const amount = new Float64Array(n);
    const date = new Int32Array(n);
    const pk = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const i = start + j;
      id[j] = i;
      cat[j] = i % 100;
      reg[j] = i % 20;
      amount[j] = Math.round(rand() * 1_000_000);
      date[j] = EPOCH_2023 + (i % 365);
      pk[j] = i % 3;
    }
    yield {
      schema: SALES_FIELDS,
      numRows: n,
      columns: [
        makeColumn(INT64, id),
        makeColumn(UTF8, cat, null, CATEGORIES),
        makeColumn(UTF8, reg, null, REGIONS),
        makeColumn(decimal(15, 2), amount),
        makeColumn(DATE, date),
        makeColumn(INT32, pk),
      ],
    };
  }
}

/** Path of the cached Parquet file for `rows`, generating it on first use. */
export async function ensureSalesParquet(cacheDir: string, rows: number, seed = 42): Promise<string> {
  const file = path.join(cacheDir, `sales-${rows}-s${seed}.parquet`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeTable(tmp, SALES_FIELDS, salesBatches(rows, seed), 'parquet');
  fs.renameSync(tmp, file);
  return file;
}
