/**
 * Deterministic (seeded mulberry32) generators of the differential tables, shaped like the
 * product's workloads: the sales seed tables, salary, a finance medallion (transactions +
 * accounts/merchants/categories) and music charts (plays + tracks/users).
 *
 * Every table is generated once as CSV (PostgreSQL COPY conventions: unquoted empty = NULL,
 * "" = empty string) and converted to Parquet with explicit types through DuckDB; both are
 * cached under packages/engine/.cache/differential/<GENERATOR_VERSION>/. PostgreSQL loads the
 * CSV with COPY, the engine registers the Parquet file: both sides see identical values.
 * Bump GENERATOR_VERSION whenever a generator changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ColumnDef } from './oracle.js';
import { csvToParquet } from './parquet.js';

export const GENERATOR_VERSION = 'v3';

type Val = string | null;

export interface TableSpec {
  name: string;
  columns: ColumnDef[];
  rows: () => Val[][];
}

export interface GeneratedTable {
  name: string;
  columns: ColumnDef[];
  csvPath: string;
  parquetPath: string;
  numRows: number;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const DAY_MS = 86_400_000;
const BASE_2023 = Date.UTC(2023, 0, 1);

/** 'YYYY-MM-DD' of 2023-01-01 + days. */
export function dateText(days: number): string {
  return new Date(BASE_2023 + days * DAY_MS).toISOString().slice(0, 10);
}
/** 'YYYY-MM-DD HH:MM:SS' of 2023-01-01 + seconds. */
function tsText(seconds: number): string {
  const d = new Date(BASE_2023 + seconds * 1000);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
/** Integer cents → numeric text with 2 decimals ('-3.05'). */
function money(cents: number): string {
  const neg = cents < 0;
  const c = Math.abs(cents);
  return `${neg ? '-' : ''}${Math.floor(c / 100)}.${pad(c % 100, 2)}`;
}

const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN', 'CA', 'ES', 'SE'];
const JOBS = ['engineer', 'analyst', 'manager', 'designer', 'sales', 'support', 'hr', 'legal', 'ops', 'research', 'intern', 'director'];
const CITIES = ['Berlin', 'Paris', 'London', 'Tokyo', 'New York', 'São Paulo', 'Toronto', 'Madrid'];
const GENRES = ['pop', 'rock', 'jazz', 'hip-hop', 'classical', 'electronic', 'folk', 'metal', 'blues', 'country', 'reggae', 'latin'];
const DEVICES = ['mobile', 'desktop', 'tablet', 'speaker', 'tv'];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

function salesRows(withNulls: boolean, seed: number): Val[][] {
  const rnd = mulberry32(seed);
  const out: Val[][] = [];
  const maybe = (v: string): Val => (withNulls && rnd() < 0.05 ? null : v);
  for (let i = 1; i <= 20_000; i++) {
    const cents = Math.floor(rnd() * 1_000_001); // 0.00 .. 10000.00
    out.push([
      maybe(String(i)),
      maybe(`category_${i % 100}`),
      maybe(`region_${i % 20}`),
      maybe(money(cents)),
      maybe(dateText(i % 365)),
      maybe(String(i % 3)),
    ]);
  }
  return out;
}

const SALES_COLUMNS: ColumnDef[] = [
  { name: 'id', type: 'bigint' },
  { name: 'category', type: 'text' },
  { name: 'region', type: 'text' },
  { name: 'amount', type: 'numeric(15,2)' },
  { name: 'order_date', type: 'date' },
  { name: 'partition_key', type: 'integer' },
];

export const TABLES: TableSpec[] = [
  { name: 'sales', columns: SALES_COLUMNS, rows: () => salesRows(false, 3) },
  { name: 'sales_nulls', columns: SALES_COLUMNS, rows: () => salesRows(true, 33) },
  {
    name: 'salary',
    columns: [
      { name: 'country', type: 'text' },
      { name: 'job', type: 'text' },
      { name: 'salary', type: 'integer' },
    ],
    rows: () => {
      const rnd = mulberry32(4);
      const out: Val[][] = [];
      for (let i = 0; i < 5000; i++) {
        out.push([pick(rnd, COUNTRIES), pick(rnd, JOBS), String(30_000 + Math.floor(rnd() * 170_000))]);
      }
      return out;
    },
  },
  {
    name: 'transactions',
    columns: [
      { name: 'id', type: 'bigint' },
      { name: 'account_id', type: 'integer' },
      { name: 'merchant_id', type: 'integer' },
      { name: 'category_id', type: 'integer' },
      { name: 'amount', type: 'numeric(18,2)' },
      { name: 'currency', type: 'text' },
      { name: 'ts', type: 'timestamp' },
      { name: 'status', type: 'text' },
      { name: 'channel', type: 'text' },
    ],
    rows: () => {
      const rnd = mulberry32(5);
      const out: Val[][] = [];
      for (let i = 1; i <= 20_000; i++) {
        // ~1% duplicated ids (re-sent rows of an earlier id).
        const id = i > 100 && rnd() < 0.01 ? i - 1 - Math.floor(rnd() * 100) : i;
        const r = rnd();
        const amount = r < 0.02 ? null : r < 0.05 ? money(-Math.floor(rnd() * 50_000)) : money(1 + Math.floor(rnd() * 500_000));
        const t = rnd();
        const ts = t < 0.005 ? '1970-01-01 00:00:00' : t < 0.01 ? '2099-12-31 23:59:59' : tsText(Math.floor(rnd() * 365 * 86_400));
        const s = rnd();
        const status = s < 0.6 ? 'settled' : s < 0.8 ? 'pending' : s < 0.9 ? 'failed' : s < 0.96 ? 'reversed' : s < 0.98 ? 'SETTLED' : s < 0.99 ? '??' : '';
        const c = rnd();
        const currency = c < 0.5 ? 'USD' : c < 0.75 ? 'EUR' : c < 0.9 ? 'GBP' : c < 0.97 ? 'usd' : null;
        out.push([
          String(id),
          String(rnd() < 0.01 ? 900 + Math.floor(rnd() * 50) : 1 + Math.floor(rnd() * 500)),
          String(rnd() < 0.01 ? 5000 + Math.floor(rnd() * 10) : 1 + Math.floor(rnd() * 300)),
          rnd() < 0.03 ? null : String(1 + Math.floor(rnd() * 22)),
          amount,
          currency,
          ts,
          status,
          pick(rnd, ['web', 'pos', 'mobile', 'atm']),
        ]);
      }
      return out;
    },
  },
  {
    name: 'accounts',
    columns: [
      { name: 'id', type: 'integer' },
      { name: 'customer_name', type: 'text' },
      { name: 'country', type: 'text' },
      { name: 'opened', type: 'date' },
    ],
    rows: () => {
      const rnd = mulberry32(6);
      const out: Val[][] = [];
      for (let i = 1; i <= 500; i++) out.push([String(i), `customer_${pad(i, 4)}`, rnd() < 0.04 ? null : pick(rnd, COUNTRIES), dateText(-Math.floor(rnd() * 3000))]);
      return out;
    },
  },
  {
    name: 'merchants',
    columns: [
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'text' },
      { name: 'mcc', type: 'text' },
      { name: 'city', type: 'text' },
    ],
    rows: () => {
      const rnd = mulberry32(7);
      const out: Val[][] = [];
      const mccs = ['5411', '5812', '5999', '4111', '5732', '7011'];
      for (let i = 1; i <= 300; i++) out.push([String(i), `merchant ${i}`, pick(rnd, mccs), rnd() < 0.05 ? null : pick(rnd, CITIES)]);
      return out;
    },
  },
  {
    name: 'categories',
    columns: [
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'text' },
    ],
    rows: () => {
      const names = ['groceries', 'restaurants', 'travel', 'fuel', 'utilities', 'rent', 'entertainment', 'health', 'education', 'clothing',
        'electronics', 'insurance', 'gifts', 'pets', 'sports', 'books', 'music', 'games', 'home', 'garden'];
      return names.map((n, i) => [String(i + 1), n]);
    },
  },
  {
    name: 'plays',
    columns: [
      { name: 'user_id', type: 'integer' },
      { name: 'track_id', type: 'integer' },
      { name: 'played_at', type: 'timestamp' },
      { name: 'ms_played', type: 'integer' },
      { name: 'device', type: 'text' },
    ],
    rows: () => {
      const rnd = mulberry32(8);
      const out: Val[][] = [];
      for (let i = 0; i < 20_000; i++) {
        // Skewed popularity: low track ids are played much more often.
        const track = rnd() < 0.01 ? 9000 + Math.floor(rnd() * 5) : 1 + Math.floor(Math.pow(rnd(), 2) * 800);
        out.push([
          String(1 + Math.floor(rnd() * 1000)),
          String(track),
          tsText(Math.floor(rnd() * 180 * 86_400)),
          String(Math.floor(rnd() * 400_000)),
          rnd() < 0.03 ? null : pick(rnd, DEVICES),
        ]);
      }
      return out;
    },
  },
  {
    name: 'tracks',
    columns: [
      { name: 'track_id', type: 'integer' },
      { name: 'title', type: 'text' },
      { name: 'artist', type: 'text' },
      { name: 'genre', type: 'text' },
      { name: 'duration_ms', type: 'integer' },
      { name: 'rating', type: 'double precision' },
    ],
    rows: () => {
      const rnd = mulberry32(9);
      const out: Val[][] = [];
      for (let i = 1; i <= 800; i++) {
        out.push([
          String(i),
          `track ${i}`,
          `artist_${pad(1 + Math.floor(rnd() * 100), 3)}`,
          rnd() < 0.02 ? null : pick(rnd, GENRES),
          String(90_000 + Math.floor(rnd() * 300_000)),
          rnd() < 0.05 ? null : String(rnd() * 5),
        ]);
      }
      return out;
    },
  },
  {
    name: 'users',
    columns: [
      { name: 'user_id', type: 'integer' },
      { name: 'birth_year', type: 'integer' },
      { name: 'country', type: 'text' },
    ],
    rows: () => {
      const rnd = mulberry32(10);
      const out: Val[][] = [];
      for (let i = 1; i <= 1000; i++) out.push([String(i), rnd() < 0.05 ? null : String(1950 + Math.floor(rnd() * 60)), pick(rnd, COUNTRIES)]);
      return out;
    },
  },
];

function csvCell(v: Val, type: string): string {
  if (v === null) return '';
  if (type === 'text') return `"${v.replace(/"/g, '""')}"`;
  return v;
}

export function toCsv(spec: TableSpec, rows: Val[][]): string {
  const lines = [spec.columns.map((c) => c.name).join(',')];
  for (const r of rows) lines.push(r.map((v, i) => csvCell(v, spec.columns[i]!.type)).join(','));
  return lines.join('\n') + '\n';
}

export const CACHE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.cache/differential', GENERATOR_VERSION);

/** Generates (or reuses the cached) CSV + Parquet of every table. */
export async function ensureDataset(dir: string = CACHE_DIR): Promise<GeneratedTable[]> {
  fs.mkdirSync(dir, { recursive: true });
  const out: GeneratedTable[] = [];
  for (const spec of TABLES) {
    const csvPath = path.join(dir, `${spec.name}.csv`);
    const parquetPath = path.join(dir, `${spec.name}.parquet`);
    const metaPath = path.join(dir, `${spec.name}.rows`);
    if (!fs.existsSync(parquetPath) || !fs.existsSync(csvPath) || !fs.existsSync(metaPath)) {
      const rows = spec.rows();
      const tmp = `${csvPath}.tmp-${process.pid}`;
      fs.writeFileSync(tmp, toCsv(spec, rows));
      fs.renameSync(tmp, csvPath);
      await csvToParquet(csvPath, spec.columns, parquetPath);
      fs.writeFileSync(metaPath, String(rows.length));
    }
    out.push({ name: spec.name, columns: spec.columns, csvPath, parquetPath, numRows: Number(fs.readFileSync(metaPath, 'utf8')) });
  }
  return out;
}
