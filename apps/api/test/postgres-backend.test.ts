/**
 * The postgres / pgstrom backends of the job runner (src/jobs/backends/postgres.ts) against the real
 * local PostgreSQL: the dataset is loaded into the server once, the job's rows equal the engine's,
 * and the run lands in Run / OperatorMetric / StageMetric like an engine run.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetSchema } from '../src/jobs/backends/postgres.js';
import { createStack, dropRoles, TERMINAL, type Stack } from './harness.js';

const SQL = 'SELECT category, count(*) AS n, sum(amount) AS total, min(order_date) AS first_day FROM l40s_sales_large GROUP BY category ORDER BY category LIMIT 20';

describe('postgres backend', () => {
  let s: Stack;
  const roles: string[] = [];
  beforeAll(async () => {
    s = await createStack();
    await s.startWorker();
  });
  afterAll(async () => {
    await s?.close();
    await dropRoles(roles);
  });

  it('a postgres job succeeds and returns the same rows as the engine, with operator and stage metrics', async () => {
    const eng = await s.request('POST', '/api/v1/jobs', { body: { sql: SQL, backend: 'engine', dataset: 'sales' } });
    const pgj = await s.request('POST', '/api/v1/jobs', { body: { sql: SQL, backend: 'postgres', dataset: 'sales' } });
    expect(pgj.status, JSON.stringify(pgj.body)).toBe(200);
    const [e, p] = await Promise.all([
      s.waitForJob(eng.body.id, (j) => TERMINAL.includes(j.status), 90_000),
      s.waitForJob(pgj.body.id, (j) => TERMINAL.includes(j.status), 90_000),
    ]);
    expect(e.status, e.error).toBe('succeeded');
    expect(p.status, p.error).toBe('succeeded');
    expect(p.rows).toHaveLength(20);
    expect(p.rows).toEqual(e.rows);
    expect(p.rows[0]).toEqual({ category: 'category_0', n: expect.any(Number), total: expect.stringMatching(/^\d+\.\d\d$/), first_day: expect.stringMatching(/^2023-\d\d-\d\d$/) });

    const run = (await s.request('GET', `/api/v1/runs/${p.run.id}`)).body;
    const ds = await s.db.prisma.dataset.findFirstOrThrow({ where: { workspaceId: s.workspaceA, name: 'sales' }, select: { id: true } });
    roles.push(`phaselab_ro_${datasetSchema(ds.id)}`);
    expect(run.backend).toBe('postgres');
    expect(run.backendVersion).toMatch(/^PostgreSQL 1\d/);
    expect(run.metrics.resultRows).toBe(20);
    expect(run.operators.length).toBeGreaterThan(1);
    expect(run.operators[0].parentIndex).toBeNull();
    expect(run.operators.some((o: { name: string; description: string }) => o.name === 'Seq Scan' && /on l40s_sales_large/.test(o.description))).toBe(true);
    expect(run.operators.every((o: { extra: { device?: string } }) => o.extra?.device === 'CPU')).toBe(true);
    expect(run.stages.map((x: { stage: string }) => x.stage)).toEqual(['register', 'plan', 'execute', 'output']);
    expect(run.stages[0].rowsOut).toBe(50_000); // loaded on first use
    expect(run.explain).toMatch(/0 GPU nodes/);
    expect(run.explain).toMatch(/gpu monitor: unavailable \(nvidia-smi/);
    expect(run.explain).toMatch(/"Node Type": "Seq Scan"/);

    // second job on the same dataset: the loaded schema is reused
    const again = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT count(*) AS n FROM l40s_sales_large', backend: 'postgres', dataset: 'sales' } });
    const a = await s.waitForJob(again.body.id, (j) => TERMINAL.includes(j.status), 60_000);
    expect(a.status, a.error).toBe('succeeded');
    expect(a.rows).toEqual([{ n: 50_000 }]);
    const run2 = (await s.request('GET', `/api/v1/runs/${a.run.id}`)).body;
    expect(run2.stages[0]).toMatchObject({ stage: 'register', rowsOut: 0 });
  });

  it('cancelling a running postgres job also stops its query on the server', async () => {
    const j = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT pg_sleep(60) AS slept', backend: 'postgres', dataset: 'sales' } });
    await s.waitForJob(j.body.id, (x) => x.status === 'running' && x.progress?.stage === 'execute', 60_000);
    const c = new pg.Client({ connectionString: s.url });
    await c.connect();
    // the query runs as FETCH from a cursor, so it is found by its connection's application_name
    const active = async () => Number((await c.query(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'phaselab-gpu-query' AND state = 'active' AND datname = current_database()`)).rows[0].count);
    try {
      for (let i = 0; i < 50 && (await active()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await active()).toBe(1);
      await s.request('POST', `/api/v1/jobs/${j.body.id}/cancel`, { body: {} });
      const done = await s.waitForJob(j.body.id, (x) => TERMINAL.includes(x.status), 20_000);
      expect(done.status).toBe('cancelled');
      // the killed runner's backend notices the lost client (client_connection_check_interval = 1 s)
      let left = 1;
      for (let i = 0; i < 50 && left > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        left = await active();
      }
      expect(left).toBe(0);
    } finally {
      await c.end();
    }
  });

  it('a pgstrom job on a server without PG-Strom fails and says why; bad SQL fails with the server message', async () => {
    const j = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT 1 AS x', backend: 'pgstrom', dataset: 'sales' } });
    const done = await s.waitForJob(j.body.id, (x) => TERMINAL.includes(x.status), 60_000);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/backend "pgstrom": pg_strom is not in shared_preload_libraries.*use backend "postgres"/);
    const bad = await s.request('POST', '/api/v1/jobs', { body: { sql: 'SELECT nope FROM l40s_sales_large', backend: 'postgres', dataset: 'sales' } });
    const b = await s.waitForJob(bad.body.id, (x) => TERMINAL.includes(x.status), 60_000);
    expect(b.status).toBe('failed');
    expect(b.error).toMatch(/column "nope" does not exist/);
  });
});
