/**
 * Applies prisma/migrations/<name>/migration.sql in name order, each in its own transaction together
 * with its row in `_prisma_migrations`, written exactly as `prisma migrate deploy` writes it (id,
 * checksum = sha256 hex of the file, started_at, finished_at, applied_steps_count = 1), so Prisma's
 * own tooling elsewhere sees the same history. Why not `prisma migrate deploy`: through the pg driver
 * adapter it fails on PostgreSQL (prisma/orm#27403), and the binary engine cannot be downloaded here.
 *
 *   node scripts/run.mjs apps/api/src/db/migrate.ts        (npm run db:migrate)
 *
 * Idempotent: applied migrations are skipped. Serialised with Prisma's own advisory lock key.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { databaseUrl, repoRoot } from '../env.js';

const PRISMA_ADVISORY_LOCK = 72707369; // the key Prisma's schema engine locks on

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateResult {
  applied: string[];
  skipped: string[];
}

export function migrationsDir(): string {
  return path.join(repoRoot(), 'prisma', 'migrations');
}

export function listMigrations(dir = migrationsDir()): { name: string; sql: string; checksum: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const buf = fs.readFileSync(path.join(dir, name, 'migration.sql'));
      return { name, sql: buf.toString('utf8'), checksum: crypto.createHash('sha256').update(buf).digest('hex') };
    });
}

export async function migrate(url: string, { log = (_: string) => {}, dir }: { log?: (line: string) => void; dir?: string } = {}): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const result: MigrateResult = { applied: [], skipped: [] };
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    for (const m of listMigrations(dir)) {
      const records = rows.filter((r) => r.migration_name === m.name && r.rolled_back_at === null);
      const done = records.find((r) => r.finished_at !== null);
      if (done) {
        if (done.checksum !== m.checksum) log(`warning: migration ${m.name} was modified after it was applied`);
        result.skipped.push(m.name);
        continue;
      }
      if (records.length > 0) {
        // What Prisma calls P3009: a failed migration must be resolved by hand before going on.
        throw new Error(
          `migration ${m.name} started but did not finish; fix the database, then mark it rolled back ` +
            `(UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${m.name}') and migrate again`,
        );
      }
      log(`applying ${m.name}`);
      try {
        await client.query('BEGIN');
        const id = crypto.randomUUID();
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
          [id, m.checksum, m.name],
        );
        await client.query(m.sql);
        await client.query('UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(`migration ${m.name} failed (rolled back): ${err instanceof Error ? err.message : err}`);
      }
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => {});
    await client.end();
  }
}

const isMain = !!process.argv[1] && /migrate\.(ts|mjs|js)$/.test(process.argv[1]);
if (isMain) {
  migrate(databaseUrl(), { log: (l) => process.stderr.write(`[migrate] ${l}\n`) }).then(
    (r) => {
      process.stdout.write(`migrations: ${r.applied.length} applied, ${r.skipped.length} already applied\n`);
    },
    (err) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : err}\n`);
      process.exit(1);
    },
  );
}
