import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, migrate, migrationsDir } from '../src/db/migrate.js';
import { createDatabase } from './harness.js';

describe('migrations', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  beforeAll(async () => {
    database = await createDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('apply on an empty database, recorded in _prisma_migrations as Prisma does, and are idempotent', async () => {
    const all = listMigrations();
    expect(all.length).toBeGreaterThan(0);
    const first = await migrate(database.url);
    expect(first.applied).toEqual(all.map((m) => m.name));
    expect(first.skipped).toEqual([]);

    const again = await migrate(database.url);
    expect(again.applied).toEqual([]);
    expect(again.skipped).toEqual(all.map((m) => m.name));

    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    try {
      const { rows } = await c.query('SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
      expect(rows).toHaveLength(all.length);
      for (const [i, m] of all.entries()) {
        const file = fs.readFileSync(path.join(migrationsDir(), m.name, 'migration.sql'));
        expect(rows[i]).toMatchObject({ migration_name: m.name, checksum: crypto.createHash('sha256').update(file).digest('hex'), applied_steps_count: 1, logs: null, rolled_back_at: null });
        expect(rows[i].finished_at).toBeInstanceOf(Date);
        expect(rows[i].id).toMatch(/^[0-9a-f-]{36}$/);
      }
      const tables = await c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      const names = tables.rows.map((r) => r.table_name);
      for (const t of ['workspaces', 'api_keys', 'datasets', 'jobs', 'runs', 'operator_metrics', 'stage_metrics', 'workloads', 'phases', 'cost_models', 'instance_types', 'schedules', 'regressions']) {
        expect(names).toContain(t);
      }
      // 20261123022202: the peers a benchmark can post runs for
      const backends = await c.query(`SELECT unnest(enum_range(NULL::"Backend"))::text AS b`);
      expect(backends.rows.map((r) => r.b)).toEqual(['engine', 'postgres', 'pgstrom', 'duckdb', 'polars']);
    } finally {
      await c.end();
    }
  });
});
