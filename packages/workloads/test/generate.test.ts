import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATASETS, DATASET_NAMES, generateDataset, planDataset, tableBatches, type Manifest } from '../src/index.js';
import type { Batch } from '@phaselab/engine';
import { readManifest, rowsOf, scalar, sessionFor, sha256, tmpDir } from './helpers.js';

const dirs: string[] = [];
const fresh = (p: string) => {
  const d = tmpDir(p);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Decoded rows of a batch stream (strings through the dictionary, NULL as null). */
function decode(batches: Iterable<Batch>): unknown[][] {
  const out: unknown[][] = [];
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++) {
      out.push(
        b.columns.map((c) => {
          if (c.validity !== null && c.validity[i] === 0) return null;
          return c.dict ? c.dict[c.values[i]] : c.values[i];
        }),
      );
    }
  }
  return out;
}

const stable = (m: Manifest) => ({ ...m, createdAt: undefined, elapsedMs: undefined });

describe('catalog', () => {
  it('describes every dataset as data', () => {
    expect([...DATASET_NAMES].sort()).toEqual(['finance', 'music', 'salary', 'sales']);
    for (const d of Object.values(DATASETS)) {
      expect(d.tables.some((t) => t.name === d.factTable)).toBe(true);
      const plan = d.plan({ seed: 1, rows: 1000, dirt: {} });
      expect(plan.tables.map((t) => t.name)).toEqual(d.tables.map((t) => t.name));
      for (const t of plan.tables) {
        const def = d.tables.find((x) => x.name === t.name)!;
        expect(t.fields.map((f) => [f.name, f.type])).toEqual(def.columns.map((c) => [c.name, c.type]));
      }
    }
    expect(DATASETS.sales.tables[0].name).toBe('l40s_sales_large');
  });
});

describe('determinism', () => {
  it('same seed and rows → byte-identical files and equal manifests', async () => {
    const a = fresh('det-a');
    const b = fresh('det-b');
    const ma = await generateDataset({ dataset: 'finance', rows: 20_000, outDir: a, seed: 7 });
    const mb = await generateDataset({ dataset: 'finance', rows: 20_000, outDir: b, seed: 7 });
    expect(stable(ma)).toEqual(stable(mb));
    expect(stable(readManifest(a))).toEqual(stable(ma));
    for (const t of ma.tables) expect(sha256(path.join(a, t.file))).toBe(sha256(path.join(b, t.file)));
  });

  it('a different seed gives different data', async () => {
    const a = planDataset('sales', 1000, 1).plan.tables[0];
    const b = planDataset('sales', 1000, 2).plan.tables[0];
    expect(decode(tableBatches(a))).not.toEqual(decode(tableBatches(b)));
  });

  for (const name of ['finance', 'music', 'sales', 'salary']) {
    it(`${name}: content does not depend on the batch size`, () => {
      const { plan } = planDataset(name, 12_345, 99);
      for (const t of plan.tables) {
        const whole = decode(tableBatches(t, 1 << 20));
        expect(whole.length).toBe(t.rows);
        expect(decode(tableBatches(t, 1000))).toEqual(whole);
        expect(decode(tableBatches(t, 4097))).toEqual(whole);
      }
    });
  }

  it('CSV files are byte-identical across batch sizes', async () => {
    const a = fresh('bs-a');
    const b = fresh('bs-b');
    await generateDataset({ dataset: 'finance', rows: 10_000, outDir: a, format: 'csv', batchRows: 999 });
    await generateDataset({ dataset: 'finance', rows: 10_000, outDir: b, format: 'csv', batchRows: 65_536 });
    for (const f of ['transactions.csv', 'accounts.csv', 'merchants.csv', 'categories.csv']) {
      expect(sha256(path.join(a, f))).toBe(sha256(path.join(b, f)));
    }
  });
});

describe('finance', () => {
  const n = 20_000;
  let dir = '';
  let manifest: Manifest;

  it('writes every table with the planned row counts, readable by the engine', async () => {
    dir = fresh('fin');
    manifest = await generateDataset({ dataset: 'finance', rows: n, outDir: dir, seed: 42 });
    expect(manifest.tables.map((t) => [t.name, t.rows])).toEqual([
      ['transactions', n],
      ['accounts', 200],
      ['merchants', 70],
      ['categories', 30],
    ]);
    const ctx = await sessionFor(dir);
    for (const t of manifest.tables) {
      expect(fs.existsSync(path.join(dir, t.file))).toBe(true);
      expect(await scalar(ctx, `SELECT count(*) FROM ${t.name}`)).toBe(String(t.rows));
    }
    const tx = manifest.tables[0];
    expect(tx.columns).toContainEqual({ name: 'amount', type: 'numeric(18,2)' });
    expect(tx.columns).toContainEqual({ name: 'ts', type: 'timestamp' });
    // every fact row joins to its dimensions (NULL account_id aside)
    expect(
      await scalar(ctx, `SELECT count(*) FROM transactions t JOIN merchants m ON t.merchant_id = m.merchant_id JOIN categories c ON t.category_id = c.category_id`),
    ).toBe(String(n));
    expect(await scalar(ctx, `SELECT count(*) FROM transactions t JOIN accounts a ON t.account_id = a.account_id`)).toBe(String(n - manifest.dirt.injectedCounts.null_account_id));
    expect(await scalar(ctx, `SELECT count(*) FROM transactions t JOIN merchants m ON t.merchant_id = m.merchant_id WHERE t.category_id <> m.category_id`)).toBe('0');
    const groups = await rowsOf(ctx, `SELECT channel, count(*) FROM transactions GROUP BY channel ORDER BY channel`);
    expect(groups.map((r) => r[0])).toEqual(['ATM', 'CARD', 'MOBILE', 'ONLINE']);
  });

  it('injected dirt: counts in the manifest match the data, rates within tolerance', async () => {
    const ctx = await sessionFor(dir);
    const c = manifest.dirt.injectedCounts;
    expect(manifest.dirt.rates).toEqual({ duplicate: 0.01, null: 0.005, nonpositive: 0.005, invalid_status: 0.003, bad_timestamp: 0.002 });
    const q = async (sql: string) => Number(await scalar(ctx, sql));
    expect(await q(`SELECT count(*) - count(DISTINCT transaction_id) FROM transactions`)).toBe(c.duplicate_transaction_id);
    expect(await q(`SELECT count(*) - count(amount) FROM transactions`)).toBe(c.null_amount);
    expect(await q(`SELECT count(*) - count(account_id) FROM transactions`)).toBe(c.null_account_id);
    expect(await q(`SELECT count(*) - count(status) FROM transactions`)).toBe(c.null_status);
    expect(await q(`SELECT count(*) FROM transactions WHERE amount <= 0`)).toBe(c.nonpositive_amount);
    expect(await q(`SELECT count(*) FROM transactions WHERE status NOT IN ('APPROVED', 'DECLINED', 'PENDING', 'REFUNDED')`)).toBe(c.invalid_status);
    expect(await q(`SELECT count(*) FROM transactions WHERE ts < '2024-01-01' OR ts >= '2025-01-01'`)).toBe(c.bad_timestamp);
    const within = (count: number, rate: number) => {
      const mean = n * rate;
      expect(Math.abs(count - mean)).toBeLessThanOrEqual(5 * Math.sqrt(mean) + 1);
    };
    within(c.duplicate_transaction_id, 0.01);
    within(c.null_amount, 0.005);
    within(c.null_account_id, 0.005);
    within(c.null_status, 0.005);
    within(c.nonpositive_amount, 0.005);
    within(c.invalid_status, 0.003);
    within(c.bad_timestamp, 0.002);
    // duplicates are exact copies of an earlier row
    expect(await q(`SELECT count(*) FROM (SELECT transaction_id, count(DISTINCT ts) AS v FROM transactions GROUP BY transaction_id) s WHERE v > 1`)).toBe(0);
  });

  it('--dirt 0 gives clean data; per-kind rates override the defaults', async () => {
    const clean = fresh('fin-clean');
    const m = await generateDataset({ dataset: 'finance', rows: 5000, outDir: clean, dirt: 0 });
    expect(Object.values(m.dirt.injectedCounts).every((v) => v === 0)).toBe(true);
    const ctx = await sessionFor(clean);
    const r = await rowsOf(ctx, `SELECT count(*), count(DISTINCT transaction_id), count(amount), min(amount) > 0, min(ts) >= '2024-01-01', max(ts) < '2025-01-01' FROM transactions`);
    expect(r[0]).toEqual(['5000', '5000', '5000', 't', 't', 't']);

    const dup = fresh('fin-dup');
    const m2 = await generateDataset({ dataset: 'finance', rows: 20_000, outDir: dup, dirt: { duplicate: 0.1, null: 0 } });
    expect(m2.dirt.rates.duplicate).toBe(0.1);
    expect(m2.dirt.rates.bad_timestamp).toBe(0.002);
    expect(m2.dirt.injectedCounts.null_amount).toBe(0);
    expect(Math.abs(m2.dirt.injectedCounts.duplicate_transaction_id - 2000)).toBeLessThan(250);
  });
});

describe('sales (seed 003 l40s_sales_large)', () => {
  it('matches the INSERT … generate_series formula exactly', async () => {
    const dir = fresh('sales');
    const m = await generateDataset({ dataset: 'sales', rows: 20_000, outDir: dir });
    expect(m.tables.map((t) => [t.name, t.file, t.rows])).toEqual([['l40s_sales_large', 'l40s_sales_large.parquet', 20_000]]);
    expect(m.tables[0].columns).toEqual([
      { name: 'id', type: 'bigint' },
      { name: 'category', type: 'text' },
      { name: 'region', type: 'text' },
      { name: 'amount', type: 'numeric(15,2)' },
      { name: 'order_date', type: 'date' },
      { name: 'partition_key', type: 'integer' },
    ]);
    const ctx = await sessionFor(dir);
    const rows = await rowsOf(ctx, `SELECT id, category, region, amount, order_date, partition_key FROM l40s_sales_large ORDER BY id`);
    expect(rows.length).toBe(20_000);
    const day0 = Date.UTC(2023, 0, 1);
    for (let k = 0; k < rows.length; k++) {
      const i = k + 1;
      const [id, cat, reg, amount, date, pk] = rows[k];
      expect(id).toBe(String(i));
      expect(cat).toBe(`category_${i % 100}`);
      expect(reg).toBe(`region_${i % 20}`);
      expect(date).toBe(new Date(day0 + (i % 365) * 86_400_000).toISOString().slice(0, 10));
      expect(pk).toBe(String(i % 3));
      expect(amount).toMatch(/^\d{1,5}\.\d\d$/);
      const a = Number(amount);
      expect(a >= 0 && a <= 10_000).toBe(true);
    }
    expect(rows[6].slice(0, 3)).toEqual(['7', 'category_7', 'region_7']);
    const agg = await rowsOf(ctx, `SELECT count(DISTINCT category), count(DISTINCT region), avg(amount) FROM l40s_sales_large`);
    expect(agg[0].slice(0, 2)).toEqual(['100', '20']);
    expect(Math.abs(Number(agg[0][2]) - 5000)).toBeLessThan(150);
  });
});

describe('music and salary', () => {
  it('music: dimensions join, popularity is skewed, charts differ by age group', async () => {
    const dir = fresh('music');
    const m = await generateDataset({ dataset: 'music', rows: 20_000, outDir: dir });
    expect(m.tables.map((t) => t.name)).toEqual(['plays', 'tracks', 'users']);
    const ctx = await sessionFor(dir);
    expect(await scalar(ctx, `SELECT count(*) FROM plays p JOIN tracks t ON p.track_id = t.track_id JOIN users u ON p.user_id = u.user_id`)).toBe('20000');
    const top = await rowsOf(ctx, `SELECT track_id, count(*) AS c FROM plays GROUP BY track_id ORDER BY c DESC, track_id LIMIT 1`);
    expect(top[0][0]).toBe('1');
    expect(Number(top[0][1])).toBeGreaterThan(20_000 / 200 * 5); // ≥ 5× a uniform share
    const teen = await rowsOf(ctx, `SELECT p.track_id, count(*) AS c FROM plays p JOIN users u ON p.user_id = u.user_id WHERE u.birth_year >= 2005 GROUP BY p.track_id ORDER BY c DESC, p.track_id LIMIT 5`);
    const old = await rowsOf(ctx, `SELECT p.track_id, count(*) AS c FROM plays p JOIN users u ON p.user_id = u.user_id WHERE u.birth_year < 1975 GROUP BY p.track_id ORDER BY c DESC, p.track_id LIMIT 5`);
    expect(teen.map((r) => r[0])).not.toEqual(old.map((r) => r[0]));
    expect(await scalar(ctx, `SELECT count(*) FROM plays WHERE skipped <> (ms_played < 30000)`)).toBe('0');
  });

  it('salary: low- and high-cardinality group keys', async () => {
    const dir = fresh('salary');
    await generateDataset({ dataset: 'salary', rows: 20_000, outDir: dir });
    const ctx = await sessionFor(dir);
    const r = await rowsOf(ctx, `SELECT count(DISTINCT country), count(DISTINCT job), count(DISTINCT employee_id), min(salary) > 0 FROM salary`);
    expect(r[0]).toEqual(['20', '40', '20000', 't']);
    const g = await rowsOf(ctx, `SELECT country, job, min(salary), avg(salary) FROM salary GROUP BY country, job`);
    expect(g.length).toBeGreaterThan(400);
  });
});

describe('formats', () => {
  for (const format of ['csv', 'arrow'] as const) {
    it(`${format}: same content as Parquet`, async () => {
      const pq = fresh(`fmt-pq-${format}`);
      const other = fresh(`fmt-${format}`);
      await generateDataset({ dataset: 'finance', rows: 5000, outDir: pq, seed: 3 });
      const m = await generateDataset({ dataset: 'finance', rows: 5000, outDir: other, seed: 3, format });
      expect(m.format).toBe(format);
      expect(m.tables.map((t) => t.file)).toEqual(['transactions', 'accounts', 'merchants', 'categories'].map((t) => `${t}.${format}`));
      const a = await sessionFor(pq);
      const b = await sessionFor(other);
      // (amount is compared through the file text for CSV: the engine's CSV reader infers
      // numeric(p,2) from its first 1000 rows and rejects wider values later on)
      const q = `SELECT transaction_id, account_id, ${format === 'csv' ? '' : 'amount, '}currency, ts, status, channel FROM transactions ORDER BY transaction_id, ts`;
      expect(await rowsOf(b, q)).toEqual(await rowsOf(a, q));
      const amounts = (await rowsOf(a, `SELECT amount FROM transactions`)).map((r) => r[0] ?? '');
      if (format === 'csv') {
        const lines = fs.readFileSync(path.join(other, 'transactions.csv'), 'utf8').trimEnd().split('\n').slice(1);
        expect(lines.map((l) => l.split(',')[4])).toEqual(amounts);
      } else {
        expect((await rowsOf(b, `SELECT amount FROM transactions`)).map((r) => r[0] ?? '')).toEqual(amounts);
      }
      const q2 = `SELECT customer_name, count(*) FROM accounts GROUP BY customer_name ORDER BY 2 DESC, 1 LIMIT 10`;
      expect(await rowsOf(b, q2)).toEqual(await rowsOf(a, q2));
    });
  }
});

describe('errors', () => {
  it('rejects bad options with a WorkloadError', async () => {
    const dir = fresh('err');
    await expect(generateDataset({ dataset: 'nope', rows: 10, outDir: dir })).rejects.toThrow(/unknown dataset "nope"/);
    await expect(generateDataset({ dataset: 'sales', rows: 0, outDir: dir })).rejects.toThrow(/rows must be an integer/);
    await expect(generateDataset({ dataset: 'sales', rows: 1.5, outDir: dir })).rejects.toThrow(/rows must be an integer/);
    await expect(generateDataset({ dataset: 'finance', rows: 10, outDir: dir, dirt: { bogus: 0.1 } })).rejects.toThrow(/no dirt kind "bogus"/);
    await expect(generateDataset({ dataset: 'finance', rows: 10, outDir: dir, dirt: 2 })).rejects.toThrow(/between 0 and 0.5/);
    await expect(generateDataset({ dataset: 'sales', rows: 10, outDir: dir, format: 'xls' as never })).rejects.toThrow(/unknown format/);
  });
});
