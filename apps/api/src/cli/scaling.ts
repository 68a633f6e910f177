/**
 * npm run --silent scaling -- --workload NAME [--rows 10k,100k,1M,10M] [--runs K] [--predict 100M]
 *
 * Seed 001's scaling study as a command: runs the workload's phases at each scale (through the
 * regress path, so every run is recorded in the store as a batch), fits `time = fixed + per_row ×
 * rows`, the job process's peak RSS and the engine-accounted peak memory the same way, per phase
 * and for the whole workload (one point
 * per scale: the median of its K runs), stores the fits as cost models, predicts the `--predict`
 * scale with its 95 % interval (kept, so the actual run can be set beside it later) and prints the
 * table. Exit status 2 on bad input or a failed run.
 */
import { createDb } from '../db/client.js';
import { fitCostModel, predictCostModel, storedFit, type Measure, type SeriesSpec } from '../analysis/cost-models.js';
import { CATALOG } from '../catalog.js';
import { databaseUrl, parseArgs as parseRegressArgs, parseCount, regress, UsageError } from './regress.js';

const USAGE = `usage: npm run --silent scaling -- --workload NAME [options]

  --workload NAME     catalog key: ${CATALOG.map((w) => w.key).join(' | ')}
  --rows LIST         scales, comma-separated (default 10k,100k,1M,10M)
  --runs K            repetitions of every phase per scale (default 3)
  --predict N         scale to predict from the fit (default 100M)
  --workspace SLUG    workspace the runs are recorded in (default demo)
  --fit-only          fit what the store already holds; run nothing`;

interface ScalingArgs {
  workload: string;
  rows: number[];
  runs: number;
  predict: number;
  workspace: string;
  fitOnly: boolean;
}

export function parseScalingArgs(argv: string[]): ScalingArgs {
  const out: ScalingArgs = { workload: '', rows: [], runs: 3, predict: 100_000_000, workspace: 'demo', fitOnly: false };
  let rows = '10k,100k,1M,10M';
  const count = (flag: string, v: string | undefined): number => parseCount(flag, v);
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const val = () => argv[++i];
    switch (flag) {
      case '--workload': out.workload = val() ?? ''; break;
      case '--rows': rows = val() ?? ''; break;
      case '--runs': out.runs = count('--runs', val()); break;
      case '--predict': out.predict = count('--predict', val()); break;
      case '--workspace': out.workspace = val() ?? ''; break;
      case '--fit-only': out.fitOnly = true; break;
      default: throw new UsageError(`unknown argument "${flag}"`);
    }
  }
  if (!out.workload) throw new UsageError('--workload is required');
  if (!CATALOG.some((w) => w.key === out.workload)) throw new UsageError(`--workload: "${out.workload}" is not in the catalog (${CATALOG.map((w) => w.key).join(', ')})`);
  out.rows = [...new Set(rows.split(',').map((s) => count('--rows', s.trim())))].sort((a, b) => a - b);
  if (out.rows.length < 2 && !out.fitOnly) throw new UsageError('--rows: a fit needs at least two scales');
  return out;
}

export interface ScalingRow {
  series: string;
  measure: Measure;
  fixed: number;
  perRow: number;
  r2: number;
  scales: number[];
  predicted: number;
  lower: number | null;
  upper: number | null;
}

export async function scaling(args: ScalingArgs, log: (l: string) => void): Promise<ScalingRow[]> {
  if (!args.fitOnly) {
    for (const rows of args.rows) {
      log(`scale ${rows.toLocaleString('en-US')} rows: ${args.runs} run(s) of every phase`);
      await regress(parseRegressArgs(['--workload', args.workload, '--rows', String(rows), '--runs', String(args.runs), '--workspace', args.workspace]), log);
    }
  }
  const db = createDb(await databaseUrl());
  try {
    const { prisma } = db;
    const ws = await prisma.workspace.findUniqueOrThrow({ where: { slug: args.workspace } });
    const workload = await prisma.workload.findUniqueOrThrow({ where: { catalogKey: args.workload }, include: { phases: { orderBy: { order: 'asc' } } } });
    const out: ScalingRow[] = [];
    const series: { label: string; phase: number | null }[] = [
      ...workload.phases.filter((p) => p.sql).map((p) => ({ label: `${p.order} ${p.name}`, phase: p.order })),
      { label: 'whole workload', phase: null },
    ];
    for (const s of series) {
      for (const measure of ['wall_ms', 'rss_bytes', 'peak_memory_bytes'] as const) {
        const spec: SeriesSpec = { workspaceId: ws.id, workload: args.workload, backend: 'engine', phase: s.phase, measure };
        const model = await fitCostModel(prisma, spec, 3, 'median');
        const fit = storedFit(model);
        const p = await predictCostModel(prisma, model, args.predict);
        out.push({ series: s.label, measure, fixed: fit.fixed, perRow: fit.perRow, r2: fit.r2, scales: fit.scales, predicted: p.predicted, lower: p.lower, upper: p.upper });
      }
    }
    return out;
  } finally {
    await db.close();
  }
}

const MEASURE_LABEL: Record<Measure, string> = { wall_ms: 'time', rss_bytes: 'process RSS', peak_memory_bytes: 'engine memory' };
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const ms = (v: number) => (Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

export function scalingTable(rows: ScalingRow[], predictRows: number): string {
  const header = ['series', 'measure', 'fixed', 'per 1M rows', 'R²', 'scales', `at ${predictRows.toLocaleString('en-US')} rows (95 %)`];
  const body = rows.map((r) => {
    const f = r.measure === 'wall_ms' ? ms : mib;
    const band = r.lower === null || r.upper === null ? '' : ` [${f(r.lower)} – ${f(r.upper)}]`;
    return [r.series, MEASURE_LABEL[r.measure], f(r.fixed), f(r.perRow * 1e6), r.r2.toFixed(4), r.scales.map(short).join(', '), `${f(r.predicted)}${band}`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function short(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

if (process.argv[1] && /scaling\.(ts|mjs|js)$/.test(process.argv[1])) {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  let args: ScalingArgs;
  try {
    args = parseScalingArgs(argv);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${err instanceof UsageError ? `\n${USAGE}\n` : ''}`);
    process.exit(2);
  }
  scaling(args, (l) => process.stderr.write(`[scaling] ${l}\n`)).then(
    (rows) => {
      process.stdout.write(`${args.workload} on engine: fits over the median of each scale\n${scalingTable(rows, args.predict)}\n`);
      process.exit(0);
    },
    (err) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
