#!/usr/bin/env node
/**
 * `npm run db:diff -- <name>`: writes prisma/migrations/<UTC timestamp>_<name>/migration.sql with the
 * SQL that takes the schema of the latest migration to prisma/schema.prisma, offline (Prisma 6.19's
 * WebAssembly schema engine; no database, no shadow database).
 *
 * Each migration folder keeps `schema.prisma`, the datamodel it was generated from, so the next diff
 * starts from it (`--from-schema-datamodel`); the first one starts `--from-empty`. Prisma ignores
 * files other than migration.sql. Prints "no changes" and writes nothing when the diff is empty.
 * `--check` exits 1 when the schema has changes without a migration (for CI).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = path.join(ROOT, 'prisma', 'schema.prisma');
const MIGRATIONS = path.join(ROOT, 'prisma', 'migrations');

const args = process.argv.slice(2);
const check = args.includes('--check');
const name = (args.find((a) => !a.startsWith('--')) ?? 'migration').toLowerCase().replace(/[^a-z0-9_]+/g, '_');

const dirs = fs.existsSync(MIGRATIONS)
  ? fs.readdirSync(MIGRATIONS).filter((d) => fs.existsSync(path.join(MIGRATIONS, d, 'migration.sql'))).sort()
  : [];
const last = dirs.at(-1);
let from = ['--from-empty'];
if (last) {
  const snapshot = path.join(MIGRATIONS, last, 'schema.prisma');
  if (!fs.existsSync(snapshot)) {
    process.stderr.write(`error: ${path.relative(ROOT, snapshot)} is missing: cannot tell the schema the migrations build\n`);
    process.exit(1);
  }
  from = ['--from-schema-datamodel', snapshot];
}

const prisma = path.join(ROOT, 'node_modules', '.bin', 'prisma');
const r = spawnSync(prisma, ['migrate', 'diff', ...from, '--to-schema-datamodel', SCHEMA, '--script'], {
  cwd: ROOT,
  encoding: 'utf8',
  env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
if (r.status !== 0) {
  process.stderr.write(`error: prisma migrate diff failed (exit ${r.status ?? r.signal})\n${r.stdout}${r.stderr}`);
  process.exit(1);
}
const sql = r.stdout;
if (!/^\s*[A-Z]/m.test(sql.replace(/^--.*$/gm, ''))) {
  process.stdout.write('no changes: prisma/schema.prisma matches the latest migration\n');
  process.exit(0);
}
if (check) {
  process.stderr.write('error: prisma/schema.prisma has changes that no migration covers; run `npm run db:diff -- <name>`\n');
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = path.join(MIGRATIONS, `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
fs.copyFileSync(SCHEMA, path.join(dir, 'schema.prisma'));
process.stdout.write(`wrote ${path.relative(ROOT, path.join(dir, 'migration.sql'))}\n`);
