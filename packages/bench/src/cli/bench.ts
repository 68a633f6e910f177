/**
 * `npm run --silent bench -- --suite NAME --rows N [--engines engine,duckdb,polars,postgres]
 *   [--modes cold,hot] [--runs K] [--warmup W] [--out FILE.json] [--post URL]`
 * Prints progress on stderr and the table of medians and ratios on stdout; exit status 1 when a
 * result mismatched or a query failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, parseBenchArgs } from '../args.js';
import { postRuns } from '../post.js';
import { runBench } from '../run.js';
import { formatTable } from '../table.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

async function databaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  // scripts/pg.mjs starts (or finds) the project's PostgreSQL; from a bundle, resolve it from the cwd.
  const candidates = [path.join(ROOT, 'scripts/pg.mjs'), path.join(process.cwd(), 'scripts/pg.mjs')];
  const script = candidates.find((p) => fs.existsSync(p));
  if (!script) throw new Error('DATABASE_URL is not set and scripts/pg.mjs was not found');
  const pg = (await import(script)) as { ensurePostgres(): Promise<string> };
  return pg.ensurePostgres();
}

async function main(argv: string[]): Promise<void> {
  const args = parseBenchArgs(argv);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const report = await runBench(args, { log, databaseUrl, progress: true });
  process.stdout.write(formatTable(report) + '\n');
  if (args.out) {
    fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    fs.writeFileSync(args.out, JSON.stringify(report, null, 2) + '\n');
    log(`wrote ${args.out}`);
  }
  if (args.post) {
    const ids = await postRuns(args.post, report);
    log(`posted ${ids.length} runs to ${args.post}/api/v1/runs`);
  }
  if (report.results.some((r) => r.mismatch || r.error)) process.exitCode = 1;
}

main(process.argv.slice(2)).then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof UsageError ? e.message : e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
