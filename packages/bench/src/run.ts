/**
 * One benchmark run: data made or reused, PostgreSQL loaded once, then per mode and engine:
 * prepare (timed apart), per query W warm-up runs (the first one's rows are compared across
 * engines) and K measured runs summarized as median, min and max.
 */
import type { BenchArgs, EngineName, EngineOptions, Mode } from './args.js';
import { diffRows, type Rows } from './compare.js';
import { ensureDataset, DEFAULT_CACHE_DIR } from './data.js';
import { DuckDbEngine } from './engines/duckdb.js';
import { PhaselabEngine } from './engines/engine.js';
import { PolarsEngine } from './engines/polars.js';
import { PostgresEngine, dropPostgresSchema, loadPostgres } from './engines/postgres.js';
import type { BenchEngine } from './engines/types.js';
import { machineInfo, type MachineInfo } from './machine.js';
import { summarize } from './stats.js';
import { SUITES } from './suites.js';

export interface Measurement {
  readonly query: string;
  readonly engine: EngineName;
  readonly mode: Mode;
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Rows returned (of the checked run). */
  readonly rows: number | null;
  /** null when the result equals the reference engine's; else the first difference. */
  readonly mismatch: string | null;
  readonly error: string | null;
}

export interface BenchReport {
  readonly suite: string;
  readonly dataset: string;
  readonly rows: number;
  readonly seed: number;
  readonly runs: number;
  readonly warmup: number;
  readonly engines: readonly EngineName[];
  readonly modes: readonly Mode[];
  readonly date: string;
  readonly machine: MachineInfo;
  readonly versions: Record<string, string>;
  /** The engine's settings (partitions, partial-aggregation skipping). */
  readonly engineOptions: EngineOptions;
  /** Data generation (null: reused from the cache) and PostgreSQL's COPY load, ms. */
  readonly generateMs: number | null;
  readonly loadMs: Record<string, number>;
  /** Per engine/mode set-up: in-memory load for hot modes. */
  readonly prepareMs: Record<string, number>;
  /** Engine whose results the others are compared with (the first that answered). */
  readonly reference: Record<string, string>;
  readonly results: readonly Measurement[];
}

export interface RunHooks {
  readonly log?: (line: string) => void;
  readonly databaseUrl?: () => Promise<string>;
  readonly progress?: boolean;
}

function makeEngine(name: EngineName, mode: Mode, pg: { url: string; schema: string } | null, engineOptions: EngineOptions): BenchEngine {
  switch (name) {
    case 'engine':
      return new PhaselabEngine(mode, engineOptions);
    case 'duckdb':
      return new DuckDbEngine(mode);
    case 'polars':
      return new PolarsEngine(mode);
    case 'postgres':
      return new PostgresEngine(mode, pg!.url, pg!.schema);
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

export async function runBench(args: BenchArgs, hooks: RunHooks = {}): Promise<BenchReport> {
  const log = hooks.log ?? (() => {});
  const suite = SUITES[args.suite];
  const queries = args.queries ? suite.queries.filter((q) => args.queries!.includes(q.id)) : suite.queries;
  const { files, generatedMs } = await ensureDataset(suite.dataset, args.rows, args.seed, args.cacheDir ?? DEFAULT_CACHE_DIR, hooks.progress ?? true);
  log(`data: ${files.dir}${generatedMs === null ? ' (cached)' : ` (generated in ${(generatedMs / 1000).toFixed(1)} s)`}`);

  const loadMs: Record<string, number> = {};
  let pg: { url: string; schema: string } | null = null;
  if (args.engines.includes('postgres')) {
    if (!hooks.databaseUrl) throw new Error('the postgres engine needs a database URL');
    pg = { url: await hooks.databaseUrl(), schema: `bench_${suite.dataset}_${args.rows}_${process.pid}_${Date.now().toString(36)}` };
    log(`postgres: loading ${Object.keys(files.tables).join(', ')} with COPY into schema ${pg.schema}`);
    loadMs.postgres = await loadPostgres(pg.url, files.dir, pg.schema, (t) => log(`postgres: COPY ${t}`));
    log(`postgres: loaded in ${(loadMs.postgres / 1000).toFixed(1)} s`);
  }

  const results: Measurement[] = [];
  const versions: Record<string, string> = {};
  const prepareMs: Record<string, number> = {};
  const reference = new Map<string, { engine: string; rows: Rows }>();
  try {
    for (const mode of args.modes) {
      for (const name of args.engines) {
        const engine = makeEngine(name, mode, pg, args.engineOptions);
        try {
          const tp = performance.now();
          await engine.prepare(files);
          prepareMs[`${name}/${mode}`] = performance.now() - tp;
          versions[name] = engine.version;
        } catch (e) {
          for (const q of queries) results.push({ query: q.id, engine: name, mode, runsMs: [], medianMs: NaN, minMs: NaN, maxMs: NaN, rows: null, mismatch: null, error: `prepare: ${message(e)}` });
          log(`${mode} ${name}: prepare failed: ${message(e)}`);
          await engine.close().catch(() => {});
          continue;
        }
        for (const q of queries) {
          let checked: Rows | null = null;
          const runsMs: number[] = [];
          let error: string | null = null;
          try {
            for (let i = 0; i < Math.max(1, args.warmup); i++) {
              const rows = await engine.run(q.sql);
              checked ??= rows;
            }
            for (let i = 0; i < args.runs; i++) {
              const ts = performance.now();
              await engine.run(q.sql);
              runsMs.push(performance.now() - ts);
            }
          } catch (e) {
            error = message(e);
          }
          let mismatch: string | null = null;
          if (checked) {
            const ref = reference.get(q.id);
            if (ref) mismatch = diffRows(ref.rows, checked);
            else reference.set(q.id, { engine: name, rows: checked });
          }
          const m: Measurement = { query: q.id, engine: name, mode, ...summarize(runsMs), rows: checked?.length ?? null, mismatch: mismatch ? `vs ${reference.get(q.id)!.engine}: ${mismatch}` : null, error };
          results.push(m);
          log(`${mode} ${name.padEnd(8)} ${q.id.padEnd(28)} ${error ? `ERROR ${error}` : `${m.medianMs.toFixed(1)} ms [${m.minMs.toFixed(1)}-${m.maxMs.toFixed(1)}]`}${m.mismatch ? `  MISMATCH ${m.mismatch}` : ''}`);
        }
        await engine.close();
      }
    }
  } finally {
    if (pg) await dropPostgresSchema(pg.url, pg.schema).catch((e) => log(`postgres: could not drop ${pg!.schema}: ${message(e)}`));
  }
  return {
    suite: suite.name,
    dataset: suite.dataset,
    rows: args.rows,
    seed: args.seed,
    runs: args.runs,
    warmup: args.warmup,
    engines: args.engines,
    modes: args.modes,
    date: new Date().toISOString(),
    machine: machineInfo(),
    versions,
    engineOptions: args.engineOptions,
    generateMs: generatedMs,
    loadMs,
    prepareMs,
    reference: Object.fromEntries([...reference].map(([q, r]) => [q, r.engine])),
    results,
  };
}
