/**
 * Polars (nodejs-polars) through its SQL context: cold = lazy scans of the Parquet files, hot =
 * DataFrames read into memory once (registered lazily so every query plans over them). The eager
 * `execute(sql, { eager: true })` path is broken in 0.26 (FACTS.md): lazy result, then collect().
 */
import { createRequire } from 'node:module';
import pl from 'nodejs-polars';
import { readDatasetManifest } from '@phaselab/workloads';
import type { Rows } from '../compare.js';
import type { Mode } from '../args.js';
import type { BenchEngine, DatasetFiles } from './types.js';

const require = createRequire(import.meta.url);

function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/\.000Z$|Z$/, '');
  }
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return String(v);
}

export class PolarsEngine implements BenchEngine {
  readonly name = 'polars';
  version = '';
  private frames: Record<string, pl.LazyDataFrame> = {};

  constructor(readonly mode: Mode) {}

  async prepare(data: DatasetFiles): Promise<void> {
    this.version = `nodejs-polars ${(require('nodejs-polars/package.json') as { version: string }).version}`;
    const manifest = readDatasetManifest(data.dir);
    for (const [name, file] of Object.entries(data.tables)) {
      const lazy = this.mode === 'hot' ? pl.readParquet(file).lazy() : pl.scanParquet(file);
      // nodejs-polars cannot hand Decimal values to JavaScript ("Decimal is not supported"):
      // numeric columns are read as Float64, as a Polars user of these files would.
      const decimals = (manifest.tables.find((t) => t.name === name)?.columns ?? []).filter((c) => c.type.startsWith('numeric')).map((c) => c.name);
      const frame = decimals.length ? lazy.withColumns(...decimals.map((c) => pl.col(c).cast(pl.Float64))) : lazy;
      // Hot: materialize the cast once, so queries do not pay for it.
      this.frames[name] = this.mode === 'hot' && decimals.length ? (await frame.collect()).lazy() : frame;
    }
  }

  async run(sql: string): Promise<Rows> {
    // A new SQL context per query: registration is cheap (no data is read until collect).
    const ctx = pl.SQLContext(this.frames);
    const df = await ctx.execute(sql).collect();
    return df.rows().map((r: unknown[]) => r.map(cellText));
  }

  async close(): Promise<void> {
    this.frames = {};
  }
}
