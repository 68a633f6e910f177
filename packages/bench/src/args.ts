/** `bench` command-line arguments → a validated plan (no I/O, so tests can check every rule). */
import { parseArgs } from 'node:util';
import { SUITES, SUITE_NAMES } from './suites.js';

export const ENGINE_NAMES = ['engine', 'duckdb', 'polars', 'postgres'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
export type Mode = 'cold' | 'hot';

export interface BenchArgs {
  readonly suite: string;
  readonly rows: number;
  readonly engines: readonly EngineName[];
  readonly modes: readonly Mode[];
  readonly runs: number;
  readonly warmup: number;
  readonly seed: number;
  readonly out: string | null;
  readonly post: string | null;
  readonly cacheDir: string | null;
  readonly queries: readonly string[] | null;
  /** The engine's settings for this run (issue 6's comparisons: 1 vs N partitions, partial-aggregation skipping on/off). */
  readonly engineOptions: EngineOptions;
}

export interface EngineOptions {
  /** Worker-thread partitions; null: the engine's default (the number of cores). */
  readonly partitions: number | null;
  /** Skip a partial aggregate that does not reduce its input (DataFusion's rule); false: always aggregate partially. */
  readonly skipPartial: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE =
  'usage: bench --suite NAME --rows N [--engines engine,duckdb,polars,postgres] [--modes cold,hot] [--runs K] [--warmup W] [--seed S] [--queries id,…] [--out FILE.json] [--post URL] [--cache DIR] [--partitions N] [--skip-partial on|off]';

/** Accepts 20000, 1e6, 10M, 1k, 100_000_000. */
export function parseRows(s: string): number {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKmM]?)$/.exec(s.replace(/_/g, ''));
  if (!m) throw new UsageError(`--rows: "${s}" is not a row count (e.g. 1000000, 1e6, 10M)`);
  const n = Number(m[1]) * (m[2] === '' ? 1 : /k/i.test(m[2]) ? 1e3 : 1e6);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--rows must be a positive integer, got "${s}"`);
  return n;
}

function positiveInt(flag: string, s: string, min: number): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer ≥ ${min}, got "${s}"`);
  return n;
}

function list(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter(Boolean);
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        suite: { type: 'string' },
        rows: { type: 'string', default: '1000000' },
        engines: { type: 'string', default: ENGINE_NAMES.join(',') },
        modes: { type: 'string', default: 'cold,hot' },
        runs: { type: 'string', default: '3' },
        warmup: { type: 'string', default: '1' },
        seed: { type: 'string', default: '42' },
        queries: { type: 'string' },
        out: { type: 'string' },
        post: { type: 'string' },
        cache: { type: 'string' },
        partitions: { type: 'string' },
        'skip-partial': { type: 'string', default: 'on' },
      },
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (!values.suite) throw new UsageError(`--suite is required (one of: ${SUITE_NAMES.join(', ')})\n${USAGE}`);
  const suite = SUITES[values.suite];
  if (!suite) throw new UsageError(`unknown suite "${values.suite}" (one of: ${SUITE_NAMES.join(', ')})`);
  const engines = list(values.engines!);
  const unknown = engines.filter((e) => !(ENGINE_NAMES as readonly string[]).includes(e));
  if (unknown.length || engines.length === 0) throw new UsageError(`--engines: unknown ${unknown.join(', ') || '(none given)'} (known: ${ENGINE_NAMES.join(', ')})`);
  const modes = list(values.modes!);
  if (modes.length === 0 || modes.some((m) => m !== 'cold' && m !== 'hot')) throw new UsageError(`--modes: expected cold, hot or cold,hot, got "${values.modes}"`);
  let queries: string[] | null = null;
  if (values.queries) {
    queries = list(values.queries);
    const missing = queries.filter((q) => !suite.queries.some((x) => x.id === q));
    if (missing.length) throw new UsageError(`--queries: ${missing.join(', ')} not in suite ${suite.name} (${suite.queries.map((q) => q.id).join(', ')})`);
  }
  let post: string | null = null;
  if (values.post) {
    try {
      post = new URL(values.post).toString().replace(/\/$/, '');
    } catch {
      throw new UsageError(`--post: "${values.post}" is not a URL`);
    }
  }
  const skip = values['skip-partial']!;
  if (skip !== 'on' && skip !== 'off') throw new UsageError(`--skip-partial: expected on or off, got "${skip}"`);
  return {
    engineOptions: {
      partitions: values.partitions === undefined ? null : positiveInt('--partitions', values.partitions, 1),
      skipPartial: skip === 'on',
    },
    suite: suite.name,
    rows: parseRows(values.rows!),
    engines: [...new Set(engines)] as EngineName[],
    modes: [...new Set(modes)] as Mode[],
    runs: positiveInt('--runs', values.runs!, 1),
    warmup: positiveInt('--warmup', values.warmup!, 0),
    seed: positiveInt('--seed', values.seed!, 0),
    out: values.out ?? null,
    post,
    cacheDir: values.cache ?? null,
    queries,
  };
}
