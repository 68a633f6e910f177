/**
 * The medallion pipeline on the engine, in two modes (seed 000):
 * - staged: bronze, silver and gold each written as Parquet and read back by the next stage;
 * - one-pass: one query from the raw files to gold (the "Supersonic" DAG), only gold written.
 * Both run the data-quality checks on bronze (full, or sampled on every 10th transaction id).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SessionContext, writeTable, type Batch, type DataFrame, type ProgressInfo, type SessionOptions } from '@phaselab/engine';
import { DQ_DUPLICATE_RULE, DQ_RULES, DQ_SAMPLE_MODULUS, bronzeSql, dqSql, goldSql, onePassSql, silverSql } from '../catalog/medallion.js';
import { WorkloadError } from '../generate.js';

export type PipelineMode = 'staged' | 'one-pass';
export type DqMode = 'full' | 'sampled';
export const PIPELINE_MODES: readonly PipelineMode[] = ['staged', 'one-pass'];
export const DIMENSIONS = ['accounts', 'merchants', 'categories'] as const;
export const GOLD_FILE = 'gold/daily_fact.parquet';

export interface StageResult {
  readonly name: string;
  readonly ms: number;
  readonly rowsIn: number;
  readonly rowsOut: number;
  /** File the stage wrote, relative to the output directory. */
  readonly output: string | null;
}

export interface DqResult {
  readonly mode: DqMode;
  /** Rows the checks looked at (all bronze rows, or the sample). */
  readonly rowsChecked: number;
  /** Flagged rows per rule, as counted (in the sample when sampled). */
  readonly counts: Record<string, number>;
  /** Counts scaled to the whole table (equal to `counts` when full). */
  readonly estimated: Record<string, number>;
}

export interface PipelineResult {
  readonly workload: 'medallion';
  readonly mode: PipelineMode;
  readonly rawRows: number;
  readonly stages: readonly StageResult[];
  readonly dq: DqResult;
  readonly goldRows: number;
  readonly goldFile: string;
  readonly totalMs: number;
  /** Highest resident set size of the process so far (engine workers included). */
  readonly peakRssBytes: number;
}

export interface PipelineOptions {
  readonly dataDir: string;
  readonly outDir: string;
  readonly mode: PipelineMode;
  readonly dq?: DqMode;
  readonly session?: SessionOptions;
  /** Called as a stage reads its input. */
  readonly onProgress?: (stage: string, p: ProgressInfo) => void;
}

/** The raw tables of a `finance` dataset directory (any format the engine reads). */
function rawFiles(dataDir: string): Record<string, string> {
  const manifestPath = path.join(dataDir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) throw new WorkloadError(`"${dataDir}" has no manifest.json (generate it with: npm run datagen -- --dataset finance --rows N --out ${dataDir})`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { dataset: string; tables: { name: string; file: string }[] };
  if (manifest.dataset !== 'finance') throw new WorkloadError(`the medallion workload runs on the finance dataset, "${dataDir}" holds "${manifest.dataset}"`);
  const files: Record<string, string> = {};
  for (const t of manifest.tables) files[t.name] = path.join(dataDir, t.file);
  for (const name of ['transactions', ...DIMENSIONS]) if (!files[name]) throw new WorkloadError(`"${dataDir}" has no ${name} table`);
  return files;
}

async function sessionWith(tables: Record<string, string>, options?: SessionOptions): Promise<SessionContext> {
  const ctx = new SessionContext(options);
  for (const [name, file] of Object.entries(tables)) await ctx.registerFile(name, file);
  return ctx;
}

/** Writes a query's result as Parquet (tmp file renamed on success) and returns its row count. */
async function writeCounted(df: DataFrame, target: string, onProgress?: (p: ProgressInfo) => void): Promise<number> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  let rows = 0;
  async function* counted(): AsyncGenerator<Batch> {
    for await (const b of df.streamBatches({ onProgress })) {
      rows += b.numRows;
      yield b;
    }
  }
  try {
    await writeTable(tmp, df.schema, counted(), 'parquet');
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return rows;
}

async function runDq(ctx: SessionContext, table: string, mode: DqMode, onProgress?: (p: ProgressInfo) => void): Promise<DqResult> {
  const { columns, rows } = await (await ctx.sql(dqSql(table, mode === 'sampled'))).collectText({ onProgress });
  const row = rows[0];
  const value = (name: string) => Number(row[columns.findIndex((c) => c.name === name)] ?? 0);
  const counts: Record<string, number> = {};
  for (const r of DQ_RULES) counts[r.name] = value(r.name);
  counts[DQ_DUPLICATE_RULE] = value(DQ_DUPLICATE_RULE);
  const scale = mode === 'sampled' ? DQ_SAMPLE_MODULUS : 1;
  const estimated = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v * scale]));
  return { mode, rowsChecked: value('rows'), counts, estimated };
}

async function countRows(ctx: SessionContext, table: string): Promise<number> {
  const { rows } = await (await ctx.sql(`SELECT COUNT(*) FROM ${table}`)).collectText();
  return Number(rows[0][0]);
}

function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export async function runMedallion(options: PipelineOptions): Promise<PipelineResult> {
  if (!PIPELINE_MODES.includes(options.mode)) throw new WorkloadError(`unknown mode "${String(options.mode)}" (expected staged or one-pass)`);
  const dq = options.dq ?? 'full';
  const raw = rawFiles(options.dataDir);
  const out = options.outDir;
  fs.mkdirSync(out, { recursive: true });
  const progress = (stage: string) => (p: ProgressInfo) => options.onProgress?.(stage, p);
  const dims = Object.fromEntries(DIMENSIONS.map((d) => [d, raw[d]]));
  const t0 = performance.now();
  const stages: StageResult[] = [];
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const ts = performance.now();
    const v = await fn();
    return [v, performance.now() - ts];
  };

  let dqResult: DqResult;
  let goldRows: number;
  let rawRows: number;
  if (options.mode === 'staged') {
    const bronzeFile = path.join(out, 'bronze/transactions.parquet');
    const silverFile = path.join(out, 'silver/transactions.parquet');
    const [bronzeRows, bronzeMs] = await timed(async () => {
      const ctx = await sessionWith({ transactions: raw.transactions }, options.session);
      return writeCounted(await ctx.sql(bronzeSql('transactions')), bronzeFile, progress('bronze'));
    });
    rawRows = bronzeRows;
    stages.push({ name: 'bronze', ms: bronzeMs, rowsIn: bronzeRows, rowsOut: bronzeRows, output: 'bronze/transactions.parquet' });
    const [dqr, dqMs] = await timed(async () => runDq(await sessionWith({ bronze: bronzeFile }, options.session), 'bronze', dq, progress('dq')));
    dqResult = dqr;
    stages.push({ name: `dq (${dq})`, ms: dqMs, rowsIn: bronzeRows, rowsOut: dqr.rowsChecked, output: null });
    const [silverRows, silverMs] = await timed(async () => {
      const ctx = await sessionWith({ bronze: bronzeFile }, options.session);
      return writeCounted(await ctx.sql(silverSql('bronze')), silverFile, progress('silver'));
    });
    stages.push({ name: 'silver', ms: silverMs, rowsIn: bronzeRows, rowsOut: silverRows, output: 'silver/transactions.parquet' });
    const [gr, goldMs] = await timed(async () => {
      const ctx = await sessionWith({ silver: silverFile, ...dims }, options.session);
      return writeCounted(await ctx.sql(goldSql('silver')), path.join(out, GOLD_FILE), progress('gold'));
    });
    goldRows = gr;
    stages.push({ name: 'gold', ms: goldMs, rowsIn: silverRows, rowsOut: goldRows, output: GOLD_FILE });
  } else {
    const ctx = await sessionWith(raw, options.session);
    const [dqr, dqMs] = await timed(() => runDq(ctx, 'transactions', dq, progress('dq')));
    dqResult = dqr;
    rawRows = dq === 'full' ? dqr.rowsChecked : await countRows(ctx, 'transactions');
    stages.push({ name: `dq (${dq})`, ms: dqMs, rowsIn: rawRows, rowsOut: dqr.rowsChecked, output: null });
    const [gr, goldMs] = await timed(async () => writeCounted(await ctx.sql(onePassSql('transactions')), path.join(out, GOLD_FILE), progress('bronze→silver→gold')));
    goldRows = gr;
    stages.push({ name: 'bronze→silver→gold', ms: goldMs, rowsIn: rawRows, rowsOut: goldRows, output: GOLD_FILE });
  }
  return {
    workload: 'medallion',
    mode: options.mode,
    rawRows,
    stages,
    dq: dqResult,
    goldRows,
    goldFile: path.join(out, GOLD_FILE),
    totalMs: performance.now() - t0,
    peakRssBytes: peakRss(),
  };
}
