import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadDataset } from '../src/load/dataset.js';
import { gridPoints, parseGridSpecs, sweep } from '../src/sweep.js';
import { readOnlyRoleName } from '../src/run/role.js';
import { createTestDb, uniqueSchema, type TestDb } from './harness.js';

const SQL = 'SELECT region, count(*) AS n FROM l40s_sales_large GROUP BY region';

describe('sweep', () => {
  let db: TestDb;
  let schema: string;
  beforeAll(async () => {
    db = await createTestDb();
    schema = db.schema(uniqueSchema('sweep'));
    await loadDataset({ url: db.url, datasetDir: inject('salesDir'), schema });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('on plain PostgreSQL sweeps the CPU settings that exist, and each point really ran with its values', async () => {
    const r = await sweep({ url: db.url, sql: SQL, schema, runs: 1, warmup: 0 });
    expect(r.backend).toBe('postgres');
    expect(Object.keys(r.grid)).toEqual(['max_parallel_workers_per_gather', 'work_mem', 'jit']);
    expect(r.rows).toHaveLength(8);
    expect(r.note).toMatch(/CPU settings only; every point ran on the CPU/);
    for (const row of r.rows) {
      expect(row.error).toBeNull();
      expect(row.effective).toEqual(row.settings);
      expect(row.gpuNodes).toBe(0);
      expect(row.rowCount).toBe(20);
      expect(row.medianMs).toBeGreaterThan(0);
    }
    expect(r.best).not.toBeNull();
    expect(r.rows[r.best!].medianMs).toBe(Math.min(...r.rows.map((x) => x.medianMs!)));
  });

  it('sets superuser-only settings on the role for the run, then resets them', async () => {
    const r = await sweep({ url: db.url, sql: SQL, schema, runs: 1, warmup: 0, explain: true, grid: { session_replication_role: ['origin', 'replica'], work_mem: ['1MB'] } });
    expect(r.rows.map((x) => x.effective)).toEqual([
      { session_replication_role: 'origin', work_mem: '1MB' },
      { session_replication_role: 'replica', work_mem: '1MB' },
    ]);
    const { rows } = await db.admin.query(
      `SELECT count(*)::int AS n FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = $1 AND array_to_string(s.setconfig, ',') LIKE '%session_replication_role%'`,
      [readOnlyRoleName(schema)],
    );
    expect(rows[0].n).toBe(0);
  });

  it('refuses grids that cannot mean anything', async () => {
    await expect(sweep({ url: db.url, sql: SQL, schema, grid: { 'pg_strom.chunk_size': ['64MB', '128MB'] } })).rejects.toThrow(/compile-time constant/);
    await expect(sweep({ url: db.url, sql: SQL, schema, grid: { 'pg_strom.max_async_tasks': ['6'] } })).rejects.toThrow(/unknown setting on this server: pg_strom.max_async_tasks \(PG-Strom is not installed\)/);
    await expect(sweep({ url: db.url, sql: SQL, schema, grid: { shared_buffers: ['1GB'] } })).rejects.toThrow(/cannot change per query \(context postmaster/);
    expect(() => gridPoints({ a: ['1', '2', '3', '4'], b: ['1', '2', '3', '4'], c: ['1', '2', '3', '4', '5'] })).toThrow(/80 combinations/);
    expect(parseGridSpecs(['work_mem=4MB, 64MB', 'jit=off'])).toEqual({ work_mem: ['4MB', '64MB'], jit: ['off'] });
    expect(() => parseGridSpecs(['work_mem'])).toThrow(/NAME=VALUE/);
  });
});
