/**
 * Dataset generation: plan → batches (bounded memory: one batch per table in flight) → engine
 * file writer (Parquet by default) → DIR/<table>.<ext> and DIR/manifest.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { typeName, writeTable, type Batch } from '@phaselab/engine';
import { DATASETS, DATASET_NAMES } from './datasets/index.js';
import type { DatasetDef, DatasetPlan, OutputFormat, TablePlan } from './types.js';

/** Bumped whenever the generated content for a given (dataset, seed, rows, dirt) changes. */
export const GENERATOR_VERSION = '1.0.0';
export const DEFAULT_SEED = 42;
export const DEFAULT_BATCH_ROWS = 131_072;
export const MAX_ROWS = 1_000_000_000;
export const FORMATS: readonly OutputFormat[] = ['parquet', 'arrow', 'csv'];

/** A user-facing problem with the options (the CLI prints `error: <message>`, exit 1). */
export class WorkloadError extends Error {
  override readonly name = 'WorkloadError';
}

/** `number`: that rate for every dirt kind (0 disables); object: per-kind overrides of the defaults. */
export type DirtOption = number | Readonly<Record<string, number>>;

export interface ProgressEvent {
  readonly dataset: string;
  readonly table: string;
  readonly tableIndex: number;
  readonly tableCount: number;
  readonly tableRows: number;
  readonly tableRowsDone: number;
  readonly totalRows: number;
  readonly totalRowsDone: number;
}

export interface GenerateOptions {
  readonly dataset: string;
  /** Rows of the fact table (transactions / plays / l40s_sales_large / salary). */
  readonly rows: number;
  readonly outDir: string;
  readonly seed?: number;
  readonly format?: OutputFormat;
  readonly dirt?: DirtOption;
  /** Rows per generated batch (content does not depend on it). */
  readonly batchRows?: number;
  readonly onProgress?: (p: ProgressEvent) => void;
  readonly signal?: AbortSignal;
}

export interface ManifestTable {
  readonly name: string;
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

export interface Manifest {
  readonly dataset: string;
  readonly seed: number;
  readonly format: OutputFormat;
  readonly rows: number;
  readonly tables: readonly ManifestTable[];
  readonly dirt: { readonly rates: Record<string, number>; readonly injectedCounts: Record<string, number> };
  readonly generatorVersion: string;
  readonly createdAt: string;
  readonly elapsedMs: number;
}

export function getDataset(name: string): DatasetDef {
  const d = Object.prototype.hasOwnProperty.call(DATASETS, name) ? DATASETS[name] : undefined;
  if (!d) throw new WorkloadError(`unknown dataset "${name}" (expected one of: ${DATASET_NAMES.join(', ')})`);
  return d;
}

/** Effective rate per dirt kind of the dataset. */
export function resolveDirt(def: DatasetDef, dirt: DirtOption | undefined): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const k of def.dirt) rates[k.name] = k.defaultRate;
  const check = (name: string, r: number) => {
    if (typeof r !== 'number' || !Number.isFinite(r) || r < 0 || r > 0.5) {
      throw new WorkloadError(`dirt rate for "${name}" must be a number between 0 and 0.5, got ${String(r)}`);
    }
  };
  if (typeof dirt === 'number') {
    check('all', dirt);
    for (const k of def.dirt) rates[k.name] = dirt;
  } else if (dirt) {
    for (const [name, r] of Object.entries(dirt)) {
      if (!(name in rates)) {
        const known = def.dirt.map((k) => k.name);
        throw new WorkloadError(`dataset "${def.name}" has no dirt kind "${name}"${known.length ? ` (expected: ${known.join(', ')})` : ''}`);
      }
      check(name, r);
      rates[name] = r;
    }
  }
  return rates;
}

function checkInt(what: string, v: number, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new WorkloadError(`${what} must be an integer between ${min} and ${max}, got ${String(v)}`);
  }
}

export function planDataset(dataset: string, rows: number, seed = DEFAULT_SEED, dirt?: DirtOption): { def: DatasetDef; plan: DatasetPlan; rates: Record<string, number> } {
  const def = getDataset(dataset);
  checkInt('rows', rows, 1, MAX_ROWS);
  checkInt('seed', seed, 0, Number.MAX_SAFE_INTEGER);
  const rates = resolveDirt(def, dirt);
  return { def, plan: def.plan({ seed, rows, dirt: rates }), rates };
}

/**
 * The rows of a table as batches of `batchRows` (the last one shorter). `onBatch` sees each batch's
 * dirt counts. Only one batch is alive at a time unless the consumer keeps them.
 */
export function* tableBatches(t: TablePlan, batchRows = DEFAULT_BATCH_ROWS, onBatch?: (rows: number, dirt: Readonly<Record<string, number>> | undefined) => void): Generator<Batch> {
  checkInt('batch rows', batchRows, 1, 1 << 24);
  for (let start = 0; start < t.rows; start += batchRows) {
    const n = Math.min(batchRows, t.rows - start);
    const g = t.generate(start, n);
    onBatch?.(n, g.dirt);
    yield { schema: t.fields, columns: g.columns, numRows: n };
  }
}

export function extensionOf(format: OutputFormat): string {
  return format;
}

/** Generates every table of a dataset into `outDir` and writes `outDir/manifest.json`. */
export async function generateDataset(options: GenerateOptions): Promise<Manifest> {
  const t0 = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const format = options.format ?? 'parquet';
  if (!FORMATS.includes(format)) throw new WorkloadError(`unknown format "${String(format)}" (expected parquet, arrow or csv)`);
  if (typeof options.outDir !== 'string' || options.outDir === '') throw new WorkloadError('an output directory is required');
  const { def, plan, rates } = planDataset(options.dataset, options.rows, seed, options.dirt);
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  checkInt('batch rows', batchRows, 1, 1 << 24);
  try {
    fs.mkdirSync(options.outDir, { recursive: true });
  } catch (e) {
    throw new WorkloadError(`cannot create output directory "${options.outDir}": ${(e as Error).message}`);
  }
  if (!fs.statSync(options.outDir).isDirectory()) throw new WorkloadError(`"${options.outDir}" is not a directory`);

  const totalRows = plan.tables.reduce((a, t) => a + t.rows, 0);
  const injected: Record<string, number> = {};
  let totalDone = 0;
  const tables: ManifestTable[] = [];
  for (let ti = 0; ti < plan.tables.length; ti++) {
    const t = plan.tables[ti];
    const file = `${t.name}.${extensionOf(format)}`;
    const target = path.join(options.outDir, file);
    const tmp = `${target}.tmp-${process.pid}`;
    let done = 0;
    const report = () =>
      options.onProgress?.({
        dataset: def.name, table: t.name, tableIndex: ti, tableCount: plan.tables.length,
        tableRows: t.rows, tableRowsDone: done, totalRows, totalRowsDone: totalDone,
      });
    report();
    const batches = tableBatches(t, batchRows, (n, dirt) => {
      if (options.signal?.aborted) throw new WorkloadError('generation cancelled');
      if (dirt) for (const [k, v] of Object.entries(dirt)) injected[k] = (injected[k] ?? 0) + v;
      done += n;
      totalDone += n;
      report();
    });
    try {
      await writeTable(tmp, t.fields, batches, format);
      fs.renameSync(tmp, target);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      if (e instanceof WorkloadError) throw e;
      throw new WorkloadError(`writing ${target} failed: ${(e as Error).message ?? String(e)}`);
    }
    tables.push({
      name: t.name,
      file,
      rows: t.rows,
      bytes: fs.statSync(target).size,
      columns: t.fields.map((f) => ({ name: f.name, type: typeName(f.type) })),
    });
  }
  // every count key present even when zero, in the dataset's order
  const counts: Record<string, number> = {};
  for (const k of Object.keys(injected).sort()) counts[k] = injected[k];
  const manifest: Manifest = {
    dataset: def.name,
    seed,
    format,
    rows: options.rows,
    tables,
    dirt: { rates, injectedCounts: counts },
    generatorVersion: GENERATOR_VERSION,
    createdAt: new Date().toISOString(),
    elapsedMs: Math.round(performance.now() - t0),
  };
  fs.writeFileSync(path.join(options.outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
