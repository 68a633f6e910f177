// Prisma 6.19 offline: the JavaScript schema engine (WebAssembly) through the pg driver adapter, so
// `prisma generate` and `prisma migrate diff` need no downloaded binary. `prisma migrate deploy`
// through the adapter fails on PostgreSQL (prisma/orm#27403): scripts/migrate.mjs applies the
// generated migration.sql files instead and records them in `_prisma_migrations` as Prisma does.
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

// The schema's datasource reads env("DATABASE_URL"); offline commands (generate, migrate diff) never
// connect, but fail without the variable, so give them the local server's URL (scripts/pg.mjs).
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:54329/phaselab';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
