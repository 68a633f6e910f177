/** The CLI contract, through the same bundle `npm run --silent gpu` runs (scripts/run.mjs). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadDataset } from '../src/load/dataset.js';
import { createTestDb, uniqueSchema, type TestDb } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const exec = promisify(execFile);

async function cli(entry: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, ['scripts/run.mjs', entry, ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}
const gpu = (...args: string[]) => cli('packages/gpu/src/cli/gpu.ts', args);
const sql = (...args: string[]) => cli('packages/engine/src/cli/sql.ts', args);

describe('gpu CLI', () => {
  let db: TestDb;
  let schema: string;
  beforeAll(async () => {
    db = await createTestDb();
    schema = db.schema(uniqueSchema('cli'));
    await loadDataset({ url: db.url, datasetDir: inject('salesDir'), schema });
    await gpu('--help'); // builds the bundle once, outside the timed tests
  }, 180_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('probe prints honest JSON with pgStrom.installed', async () => {
    const r = await gpu('probe', '--url', db.url);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.pgStrom.installed).toBe(false);
    expect(j.pgStrom.reason).toMatch(/shared_preload_libraries/);
    expect(j.server.versionNum).toBeGreaterThanOrEqual(150000);
    expect(j.settings['pg_strom.enabled']).toBeNull();
    expect(j.settings.work_mem).toMatch(/B$/);
  });

  it('run prints the same CSV as the engine sql CLI over the same file', async () => {
    const file = path.join(inject('salesDir'), 'l40s_sales_large.parquet');
    for (const q of [
      'SELECT category, count(*) AS n, sum(amount) AS total, min(order_date) AS first FROM l40s_sales_large GROUP BY category ORDER BY category',
      'SELECT id, region, amount, order_date, partition_key FROM l40s_sales_large WHERE id <= 25 ORDER BY id',
      "SELECT 'a,b' AS s, NULL::int AS n, 1.5::float8 AS f, true AS b",
      // 30,000 rows: several FETCH chunks streamed out
      'SELECT a.id AS a, b.id AS b FROM l40s_sales_large a JOIN l40s_sales_large b ON a.partition_key = b.partition_key WHERE a.id <= 30 ORDER BY a.id, b.id',
      'SELECT id FROM l40s_sales_large WHERE id < 0',
    ]) {
      const [ours, engine] = await Promise.all([gpu('run', '--url', db.url, '--schema', schema, '--gpu', 'off', q), sql('--table', `l40s_sales_large=${file}`, '--format', 'csv', q)]);
      expect(ours.stderr).toBe('');
      expect(engine.code).toBe(0);
      expect(ours.code).toBe(0);
      expect(ours.stdout).toBe(engine.stdout);
    }
    expect((await gpu('run', '--url', db.url, '--schema', schema, '--gpu', 'off', 'SELECT a.id FROM l40s_sales_large a JOIN l40s_sales_large b ON a.partition_key = b.partition_key WHERE a.id <= 30')).stdout.split('\n')).toHaveLength(30_002);
  });

  it('--analyze prints a plan summary on stderr saying where it ran', async () => {
    const r = await gpu('run', '--url', db.url, '--schema', schema, '--gpu', 'on', '--analyze', 'SELECT region, count(*) FROM l40s_sales_large GROUP BY region');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('region,count');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^backend: postgres \| gpu: on → not available \| 0 GPU nodes, \d+ CPU nodes? \| fallback: none$/);
    expect(lines[1]).toMatch(/^note: GPU on requested, but .*ran on plain PostgreSQL \(CPU\)$/);
    expect(r.stderr).toMatch(/\[CPU\] .*Seq Scan on l40s_sales_large/);
    expect(r.stderr).toMatch(/timings: planning .* ms, execution .* ms \(EXPLAIN ANALYZE\), median wall .* ms over 1 run/);
    expect(r.stderr).toMatch(/gpu monitor: unavailable \(nvidia-smi/);
  });

  it('errors: exit 1 and one `error:` line', async () => {
    for (const args of [
      ['run', '--gpu', 'on', 'SELECT 1'],
      ['run', '--url', db.url, '--schema', schema, '--gpu', 'sideways', 'SELECT 1'],
      ['run', '--url', db.url, '--schema', schema, 'SELECT nope FROM l40s_sales_large'],
      ['run', '--url', db.url, '--schema', schema, 'DROP TABLE l40s_sales_large'],
      ['probe', '--url', 'postgresql://postgres@127.0.0.1:1/x'],
      ['probe', '--url', 'mysql://x'],
      ['frobnicate'],
      ['run', '--bogus'],
    ]) {
      const r = await gpu(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(/^error: (?!internal)[^\n]+\n$/);
    }
  });

  it('load, sweep and report print JSON', async () => {
    const s2 = db.schema(uniqueSchema('cli2'));
    const load = await gpu('load', '--url', db.url, '--dataset', inject('salesDir'), '--schema', s2, '--brin');
    expect(load.code, load.stderr).toBe(0);
    expect(JSON.parse(load.stdout).tables[0]).toMatchObject({ name: 'l40s_sales_large', rows: 3000, brinIndexes: expect.arrayContaining(['l40s_sales_large_order_date_brin']) });
    const sw = await gpu('sweep', '--url', db.url, '--schema', s2, '--set', 'work_mem=1MB,2MB', '--runs', '1', '--warmup', '0', 'SELECT count(*) FROM l40s_sales_large');
    expect(sw.code, sw.stderr).toBe(0);
    expect(JSON.parse(sw.stdout).rows.map((r: { effective: unknown }) => r.effective)).toEqual([{ work_mem: '1MB' }, { work_mem: '2MB' }]);
    const rep = await gpu('report', '--url', db.url, '--schema', s2, '--runs', '1', '--warmup', '0', 'SELECT count(*) FROM l40s_sales_large', 'SELECT max(amount) FROM l40s_sales_large');
    expect(rep.code, rep.stderr).toBe(0);
    const reports = JSON.parse(rep.stdout);
    expect(reports).toHaveLength(2);
    expect(reports.map((r: { label: string }) => r.label)).toEqual(['query 1', 'query 2']);
    for (const r of reports) {
      expect(r.ranOnGpu).toBe(false);
      expect(r.summary).toMatch(/^both runs on the CPU/);
      expect(r.recommendations[0].code).toBe('no-gpu-backend');
    }
  });
});
