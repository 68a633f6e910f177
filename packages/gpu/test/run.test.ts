import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { loadDataset, readManifest } from '../src/load/dataset.js';
import { runQuery, median } from '../src/run/query.js';
import { compareGpu } from '../src/report.js';
import { ensureReadOnlyRole } from '../src/run/role.js';
import { planToOperators } from '../src/plan/operators.js';
import { GpuError } from '../src/errors.js';
import { probe } from '../src/probe.js';
import { createTestDb, uniqueSchema, type TestDb } from './harness.js';

const GROUP_SQL = 'SELECT category, count(*) AS n, sum(amount) AS total FROM l40s_sales_large GROUP BY category ORDER BY category';

describe('runQuery on plain PostgreSQL', () => {
  let db: TestDb;
  let schema: string;
  let other: string;
  beforeAll(async () => {
    db = await createTestDb();
    schema = db.schema(uniqueSchema('sales'));
    other = db.schema(uniqueSchema('secret'));
    await loadDataset({ url: db.url, datasetDir: inject('salesDir'), schema });
    await db.admin.query(`CREATE SCHEMA ${other}; CREATE TABLE ${other}.t (x int); INSERT INTO ${other}.t VALUES (42)`);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('GPU on and off both run on the CPU here, and the result says so', async () => {
    const on = await runQuery({ url: db.url, sql: GROUP_SQL, schema, gpu: 'on', warmup: 1, runs: 3 });
    expect(on.backend).toBe('postgres');
    expect(on.pgStromInstalled).toBe(false);
    expect(on.gpu.applied).toBe('not available');
    expect(on.gpu.note).toMatch(/ran on plain PostgreSQL \(CPU\)/);
    expect(on.timings.warmupMs).toHaveLength(1);
    expect(on.timings.runsMs).toHaveLength(3);
    expect(on.timings.medianMs).toBe(median(on.timings.runsMs));
    expect(on.plan!.gpuNodes).toBe(0);
    expect(on.plan!.cpuNodes).toBeGreaterThan(0);
    expect(on.plan!.nodes.every((n) => n.device === 'CPU')).toBe(true);
    expect(on.plan!.relations).toEqual(['l40s_sales_large']);
    expect(on.plan!.executionMs).toBeGreaterThan(0);
    expect(on.monitor.available).toBe(false);
    expect(on.rowCount).toBe(100);
    expect(on.columns.map((c) => [c.name, c.type])).toEqual([['category', 'text'], ['n', 'bigint'], ['total', 'numeric']]);
    const total = on.rows.reduce((a, r) => a + Number(r[1]), 0);
    expect(total).toBe(readManifest(inject('salesDir')).tables[0].rows);
    // the settings the runs saw: no pg_strom.* at all on this server
    expect(on.settings['pg_strom.enabled']).toBeUndefined();
    expect(on.settings['statement_timeout']).toBe('1min');

    const { report, cpu } = await compareGpu({ url: db.url, sql: GROUP_SQL, schema, warmup: 0, runs: 2 });
    expect(cpu.gpu.requested).toBe('off');
    expect(report.ranOnGpu).toBe(false);
    expect(report.speedup).toBeNull(); // no GPU ran: the on/off ratio is noise, not a speedup
    expect(report.ratio).toBeCloseTo(cpu.timings.medianMs / report.gpu.medianMs, 9);
    expect(report.summary).toMatch(/^both runs on the CPU \(plain PostgreSQL 1\d/);
    expect(report.recommendations.map((r) => r.code)).toEqual(['no-gpu-backend']);
    expect(report.recommendations[0].reason).toMatch(/both runs used the CPU/);
    expect(report.resultsMatch).toBe(true);
    expect(report.utilization).toEqual({ available: false, reason: expect.stringMatching(/nvidia-smi/) });
  });

  it('maps the EXPLAIN plan to operator metrics (rows per node, self time, device)', async () => {
    const r = await runQuery({ url: db.url, sql: GROUP_SQL, schema, warmup: 0, runs: 1 });
    const op = planToOperators(r.plan!)!;
    expect(op.name).toMatch(/Sort|Aggregate/);
    expect(op.metrics.outputRows).toBe(100);
    expect(op.metrics.extra?.device).toBe('CPU');
    const leaves: typeof op[] = [];
    const walk = (o: typeof op) => (o.children.length ? o.children.forEach(walk) : leaves.push(o));
    walk(op);
    expect(leaves.some((l) => /Seq Scan/.test(l.name) && /on l40s_sales_large/.test(l.description))).toBe(true);
  });

  it('times out with statement_timeout, and cancels through the AbortSignal', async () => {
    const t0 = Date.now();
    const timeout = await runQuery({ url: db.url, sql: 'SELECT pg_sleep(5)', schema, warmup: 0, runs: 1, statementTimeoutMs: 300 }).catch((e) => e);
    expect(timeout).toBeInstanceOf(GpuError);
    expect(timeout.code).toBe('timeout');
    expect(timeout.message).toMatch(/statement timeout/);
    expect(Date.now() - t0).toBeLessThan(4000);

    const ac = new AbortController();
    let t1 = 0;
    // abort once the measured run has started, so the cancel has a running query to stop
    const onProgress = () => {
      t1 = Date.now();
      setTimeout(() => ac.abort(), 500);
    };
    const cancelled = await runQuery({ url: db.url, sql: 'SELECT pg_sleep(20)', schema, warmup: 0, runs: 1, signal: ac.signal, onProgress }).catch((e) => e);
    expect(cancelled).toBeInstanceOf(GpuError);
    expect(cancelled.code).toBe('cancelled');
    expect(Date.now() - t1).toBeLessThan(5000);
    // the backend is gone or idle: nothing of ours still sleeps
    const { rows } = await db.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(20)%' AND state = 'active' AND pid <> pg_backend_pid()`);
    expect(rows[0].n).toBe(0);
  });

  it('runs as a role that reads only the dataset schema and cannot write', async () => {
    const denied = await runQuery({ url: db.url, sql: `SELECT x FROM ${other}.t`, schema, warmup: 0, runs: 1 }).catch((e) => e);
    expect(denied.code).toBe('query');
    expect(denied.message).toMatch(/permission denied for schema/);
    const write = await runQuery({ url: db.url, sql: `DELETE FROM l40s_sales_large`, schema, warmup: 0, runs: 1 }).catch((e) => e);
    expect(write.code).toBe('not_a_query');
    const two = await runQuery({ url: db.url, sql: 'SELECT 1; SELECT 2', schema, warmup: 0, runs: 1 }).catch((e) => e);
    expect(two.code).toBe('not_a_query');
    // set_config('role', …) cannot climb back to the admin: the session user is the role itself
    const climb = await runQuery({ url: db.url, sql: `SELECT set_config('role', 'postgres', false)`, schema, warmup: 0, runs: 1 }).catch((e) => e);
    expect(climb.message).toMatch(/permission denied to set role/);

    // the role itself, outside runQuery: read-only by default, and no INSERT right even when not
    const { role, password } = await ensureReadOnlyRole(db.admin, schema);
    const u = new URL(db.url);
    u.username = role;
    u.password = password;
    const c = new pg.Client({ connectionString: u.toString() });
    await c.connect();
    try {
      await expect(c.query('INSERT INTO l40s_sales_large (id) VALUES (-1)')).rejects.toThrow(/read-only transaction/);
      await c.query('SET default_transaction_read_only = off');
      await expect(c.query('INSERT INTO l40s_sales_large (id) VALUES (-1)')).rejects.toThrow(/permission denied for table/);
      await expect(c.query(`CREATE TABLE ${schema}.x (a int)`)).rejects.toThrow(/permission denied for schema/);
      await expect(c.query(`SELECT * FROM ${other}.t`)).rejects.toThrow(/permission denied/);
      const ok = await c.query('SELECT count(*)::int AS n FROM l40s_sales_large');
      expect(ok.rows[0].n).toBeGreaterThan(0);
    } finally {
      await c.end();
    }
  });

  it('rejects settings that do not exist, and the seed\'s invented PG-Strom names with the reason', async () => {
    await expect(runQuery({ url: db.url, sql: 'SELECT 1', schema, settings: { 'pg_strom.chunk_size': '128MB' } })).rejects.toThrow(/compile-time constant/);
    await expect(runQuery({ url: db.url, sql: 'SELECT 1', schema, settings: { 'pg_strom.gpu_cache_size': '32GB' } })).rejects.toThrow(/gpucache_sync_trigger/);
    await expect(runQuery({ url: db.url, sql: 'SELECT 1', schema, settings: { 'pg_strom.max_async_tasks': '12' } })).rejects.toThrow(/PG-Strom is not installed/);
    await expect(runQuery({ url: db.url, sql: 'SELECT 1', schema, settings: { 'myext.knob': '1' } })).rejects.toThrow(/unknown setting on this server: myext.knob/);
    await expect(runQuery({ url: db.url, sql: 'SELECT 1', schema, cpuFallback: 'off' })).rejects.toThrow(/PG-Strom setting/);
    await expect(runQuery({ url: db.url, sql: 'SELECT 1', schema, runs: 0 })).rejects.toThrow(/runs must be an integer/);
    await expect(runQuery({ url: db.url, sql: '   ', schema })).rejects.toThrow(/missing SQL/);
    await expect(runQuery({ url: db.url, sql: 'SELECT 1', schema: 'no_such_schema' })).rejects.toThrow(/schema "no_such_schema" does not exist/);
    const r = await runQuery({ url: db.url, sql: 'SELECT current_setting($$work_mem$$) AS w', schema, settings: { work_mem: '7MB' }, runs: 1, warmup: 0 });
    expect(r.rows).toEqual([['7MB']]);
  });

  it('a server that cannot be reached is a connection error', async () => {
    const e = await runQuery({ url: 'postgresql://postgres@127.0.0.1:1/x', sql: 'SELECT 1', schema: 'public' }).catch((x) => x);
    expect(e).toBeInstanceOf(GpuError);
    expect(e.code).toBe('connection');
  });
});

describe('runQuery with a non-superuser URL (CREATEROLE)', () => {
  let db: TestDb;
  let user: string;
  beforeAll(async () => {
    db = await createTestDb();
    user = uniqueSchema('gpu_admin');
    await db.admin.query(`CREATE ROLE ${user} LOGIN CREATEROLE`);
    await db.admin.query(`GRANT CREATE ON DATABASE ${db.name} TO ${user}`);
  });
  afterAll(async () => {
    await db?.drop();
    const c = new pg.Client({ connectionString: inject('databaseUrl') });
    await c.connect();
    await c.query(`DROP ROLE IF EXISTS ${user}`).catch(() => {});
    await c.end();
  });

  it('loads, runs as the read-only role, and can still cancel it', async () => {
    const u = new URL(db.url);
    u.username = user;
    const url = u.toString();
    const schema = db.schema(uniqueSchema('nonsu'));
    const p = await probe(url);
    expect(p.superuser).toBe(false);
    expect(p.sharedPreloadLibraries).toBeNull(); // hidden from this user, and the probe still answers
    expect(p.pgStrom).toMatchObject({ installed: false, preloaded: false });
    await loadDataset({ url, datasetDir: inject('salesDir'), schema });
    const r = await runQuery({ url, sql: 'SELECT count(*) AS n FROM l40s_sales_large', schema, warmup: 0, runs: 1 });
    expect(r.rows).toEqual([[String(readManifest(inject('salesDir')).tables[0].rows)]]);
    const ac = new AbortController();
    let t0 = 0;
    const onProgress = () => {
      t0 = Date.now();
      setTimeout(() => ac.abort(), 500);
    };
    const e = await runQuery({ url, sql: 'SELECT pg_sleep(20)', schema, warmup: 0, runs: 1, signal: ac.signal, onProgress }).catch((x) => x);
    expect(e.code).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
