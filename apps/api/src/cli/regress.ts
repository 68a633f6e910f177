/**
 * npm run --silent regress -- --workload NAME --backend engine --rows N [--runs K] [options]
 *
 * CI-style regression check: generates (or reuses) the workload's dataset at N rows, runs every phase
 * K times on the backend (each run in its own child process, as the worker does), records the runs
 * in the store as one batch, compares each phase with the baseline window of earlier batches of the
 * same series and prints the comparison table. Exit status 1 on a confirmed regression, 2 on bad
 * input or a failed run, 0 otherwise (including "insufficient baseline" on the first calls).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveRule, type RegressionRule } from '../analysis/regression-detect.js';
import { CATALOG, syncCatalog } from '../catalog.js';
import { createDb, transaction } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { config, repoRoot } from '../env.js';
import { executeJob, prepareRunner } from '../jobs/execute.js';
import { keepWarmRunners, stopWarmRunners, waitForWarmRunner } from '../jobs/warm-runners.js';
import { insertRun, machineInfo } from '../jobs/record.js';
import type { ClaimedJob } from '../jobs/store.js';
import { analyzeBatch, type BatchAnalysis } from '../schedules/batches.js';
import { ensureGenerated, registerDataset } from '../seed.js';

const USAGE = `usage: npm run --silent regress -- --workload NAME --backend engine --rows N [options]

  --workload NAME     catalog key: ${CATALOG.map((w) => w.key).join(' | ')}
  --backend B         engine (the backend that runs in-process today)
  --rows N            dataset scale (e.g. 100000, 1e6, 10M)
  --runs K            repetitions of every phase (default 3; the U test needs 3 or more)
  --workspace SLUG    workspace the runs are recorded in (default demo; created if missing)
  --threshold PCT     minimum slowdown of the median to count (default 10)
  --z Z               minimum lookback z-score (default 4)
  --alpha A           Mann-Whitney U significance (default 0.01)
  --window W          earlier batches in the baseline window (default 10)
  --min-baseline N    earlier batches needed for a verdict (default 3)
  --timeout-ms MS     per-run time limit (default 600000)`;

export class UsageError extends Error {}

export function parseCount(what: string, s: string | undefined): number {
  if (s === undefined) throw new UsageError(`${what} needs a value`);
  const m = /^([0-9][0-9_,]*(?:\.[0-9]+)?(?:e[0-9]+)?)([kmg]?)$/i.exec(s.trim());
  const v = m ? Number(m[1].replace(/[_,]/g, '')) * { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'] : NaN;
  if (!Number.isInteger(v) || v <= 0) throw new UsageError(`${what} must be a positive integer (e.g. 100000, 1e6, 10M), got "${s}"`);
  return v;
}

function parseNumber(what: string, s: string | undefined): number {
  const v = Number(s);
  if (s === undefined || !Number.isFinite(v) || v < 0) throw new UsageError(`${what} must be a non-negative number, got "${s ?? ''}"`);
  return v;
}

interface Args {
  workload: string;
  backend: string;
  rows: number;
  runs: number;
  workspace: string;
  timeoutMs: number;
  rule: Partial<RegressionRule>;
}

export function parseArgs(argv: string[]): Args {
  const a: Partial<Args> & { rule: Partial<RegressionRule> } = { runs: 3, workspace: 'demo', timeoutMs: 600_000, rule: {} };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const val = () => argv[++i];
    switch (flag) {
      case '--workload': a.workload = val(); break;
      case '--backend': a.backend = val(); break;
      case '--rows': a.rows = parseCount('--rows', val()); break;
      case '--runs': a.runs = parseCount('--runs', val()); break;
      case '--workspace': a.workspace = val(); break;
      case '--timeout-ms': a.timeoutMs = parseCount('--timeout-ms', val()); break;
      case '--threshold': a.rule.thresholdPct = parseNumber('--threshold', val()); break;
      case '--z': a.rule.zThreshold = parseNumber('--z', val()); break;
      case '--alpha': a.rule.alpha = parseNumber('--alpha', val()); break;
      case '--window': a.rule.window = parseCount('--window', val()); break;
      case '--min-baseline': a.rule.minBaselineBatches = parseCount('--min-baseline', val()); break;
      default: throw new UsageError(`unknown argument "${flag}"`);
    }
  }
  if (!a.workload) throw new UsageError('--workload is required');
  if (!CATALOG.some((w) => w.key === a.workload)) throw new UsageError(`--workload: "${a.workload}" is not in the catalog (${CATALOG.map((w) => w.key).join(', ')})`);
  a.backend ??= 'engine';
  if (a.backend !== 'engine') throw new UsageError(`--backend: "${a.backend}" cannot run from this CLI yet (engine only)`);
  if (!a.rows) throw new UsageError('--rows is required');
  if (a.workspace && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(a.workspace)) throw new UsageError('--workspace: lower-case letters, digits and dashes');
  return a as Args;
}

const fmtMs = (v: number | null) => (v === null ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const fmt = (v: number | null, digits: number) => (v === null ? '-' : v.toFixed(digits));

export function comparisonTable(a: BatchAnalysis): string {
  const header = ['phase', 'runs', 'baseline batches', 'baseline median ms', 'median ms', 'change %', 'z', 'p (U)', 'verdict'];
  const rows = a.comparisons.map((c) => [
    `${c.phaseOrder} ${c.phase}`,
    String(c.contenderRuns),
    String(c.baselineBatches),
    fmtMs(c.baselineMedian),
    fmtMs(c.contenderMedian),
    c.changePct === null ? '-' : `${c.changePct >= 0 ? '+' : ''}${c.changePct.toFixed(1)}`,
    fmt(c.z, 2),
    c.pValue === null ? '-' : c.pValue < 0.0001 ? c.pValue.toExponential(1) : c.pValue.toFixed(4),
    c.verdict + (c.severity ? ` (${c.severity})` : ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export async function databaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  // Resolved at run time: the script computes the repository root from its own location.
  const pg = (await import(pathToFileURL(path.join(repoRoot(), 'scripts', 'pg.mjs')).href)) as { ensurePostgres(): Promise<string> };
  return pg.ensurePostgres();
}

export async function regress(args: Args, log: (l: string) => void): Promise<BatchAnalysis> {
  const url = await databaseUrl();
  await migrate(url);
  const db = createDb(url);
  try {
    const { prisma } = db;
    await syncCatalog(prisma);
    const ws = await prisma.workspace.upsert({ where: { slug: args.workspace }, create: { slug: args.workspace, name: args.workspace }, update: {} });
    const workload = await prisma.workload.findUniqueOrThrow({ where: { catalogKey: args.workload }, include: { phases: { orderBy: { order: 'asc' } } } });
    const generator = CATALOG.find((w) => w.key === args.workload)!.dataset;
    const name = `${generator}-${args.rows}`;
    const dir = path.join(config.dataDir, ws.slug, name);
    const manifest = await ensureGenerated(generator, args.rows, dir, log);
    const dataset = await registerDataset(prisma, ws.id, name, dir, manifest);
    const tables = manifest.tables.map((t) => ({ name: t.name, path: path.resolve(dir, t.file) }));

    await prepareRunner();
    // Runs start on warmed-up runners, as the worker's jobs do: the times are the queries', not a
    // fresh process's start-up (which the worker never charges to a job either).
    const heapMb = Math.max(64, Math.floor(config.jobMemoryLimitBytes / 1024 / 1024));
    keepWarmRunners(1, heapMb);
    const batch = await prisma.benchmarkBatch.create({
      data: { workspaceId: ws.id, workloadId: workload.id, backend: 'engine', rowsScale: BigInt(args.rows), repetitions: args.runs, source: 'cli' },
    });
    try {
      for (let repetition = 1; repetition <= args.runs; repetition++) {
        for (const phase of workload.phases) {
          if (!phase.sql) continue;
          await waitForWarmRunner(heapMb);
          const outcome = await executeJob({
            request: { sql: phase.sql, tables, memoryLimitBytes: config.jobMemoryLimitBytes, previewRows: 20 },
            timeoutMs: args.timeoutMs,
            memoryLimitBytes: config.jobMemoryLimitBytes,
          });
          if (outcome.kind !== 'succeeded') throw new Error(`phase ${phase.order} (${phase.name}), run ${repetition}: ${outcome.kind === 'failed' ? outcome.error : 'cancelled'}`);
          const r = outcome.result;
          // No Job row: the CLI runs in-process; the run is tied to its batch instead.
          const pseudoJob = { id: null, workspace_id: ws.id, backend: 'engine', sql: phase.sql, dataset_id: dataset.id, phase_id: phase.id } as unknown as ClaimedJob;
          await transaction(db.pool, async (client) => {
            const runId = await insertRun(client, pseudoJob, { id: dataset.id, rows: String(args.rows) }, r, machineInfo({ processMaxRssBytes: r.processMaxRssBytes }), {
              source: 'cli',
              labels: { batchId: batch.id, repetition },
            });
            await client.query('INSERT INTO benchmark_batch_runs (batch_id, run_id, repetition) VALUES ($1, $2, $3)', [batch.id, runId, repetition]);
          });
          log(`run ${repetition}/${args.runs} phase ${phase.order} (${phase.name}): ${r.wallMs.toFixed(1)} ms`);
        }
      }
    } catch (err) {
      await prisma.benchmarkBatch.update({ where: { id: batch.id }, data: { status: 'failed', error: (err as Error).message, finishedAt: new Date() } });
      throw err;
    }
    return await analyzeBatch(prisma, batch.id, resolveRule(args.rule));
  } finally {
    stopWarmRunners();
    await db.close();
  }
}

if (process.argv[1] && /regress\.(ts|mjs|js)$/.test(process.argv[1])) {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${err instanceof UsageError ? `\n${USAGE}\n` : ''}`);
    process.exit(2);
  }
  regress(args, (l) => process.stderr.write(`[regress] ${l}\n`)).then(
    (a) => {
      process.stdout.write(`${a.workload} on ${a.backend} at ${a.rowsScale} rows (batch ${a.batchId})\n${comparisonTable(a)}\n`);
      if (a.regressions > 0) process.stdout.write(`${a.regressions} regression(s) confirmed\n`);
      process.exit(a.regressions > 0 ? 1 : 0);
    },
    (err) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
