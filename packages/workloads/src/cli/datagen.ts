/**
 * npm run --silent datagen -- --dataset NAME --rows N --out DIR [--seed S] [--format parquet|arrow|csv] [--dirt RATE]
 *
 * Writes DIR/<table>.<format> for every table of the dataset and DIR/manifest.json. Errors: one
 * `error: …` line on stderr, exit status 1.
 */
import { DATASETS, DATASET_NAMES } from '../datasets/index.js';
import { DEFAULT_SEED, FORMATS, WorkloadError, generateDataset, type DirtOption } from '../generate.js';
import { createProgressBar } from '../progress.js';
import type { OutputFormat } from '../types.js';

const USAGE = `usage: npm run --silent datagen -- --dataset NAME --rows N --out DIR [options]

  --dataset NAME      ${DATASET_NAMES.join(' | ')}
  --rows N            rows of the fact table (e.g. 20000, 1e6, 10M, 100_000_000)
  --out DIR           output directory (created if missing)
  --seed S            integer seed (default ${DEFAULT_SEED}); same seed + rows → same data
  --format F          parquet (default) | arrow | csv
  --dirt RATE         finance only: every dirt kind at RATE (0 disables), or per kind:
                      duplicate=0.02,null=0,nonpositive=0.005,invalid_status=0.003,bad_timestamp=0.002
  --batch-rows N      rows per generated batch (default 131072; content does not depend on it)
  --quiet             no progress bar and no summary line
  --list              list the datasets and their tables
  --help              this text`;

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/** Parses 20000, 1e6, 1_000_000, 1,000,000, 10k, 2.5M, 1G. */
export function parseCount(what: string, s: string): number {
  const m = /^([0-9][0-9_,]*(?:\.[0-9]+)?(?:e[0-9]+)?)([kmg]?)$/i.exec(s.trim());
  if (!m) throw new WorkloadError(`${what} must be a positive integer (e.g. 1000000, 1e6, 10M), got "${s}"`);
  const base = Number(m[1].replace(/[_,]/g, ''));
  const mul = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  const v = base * mul;
  if (!Number.isFinite(v) || !Number.isInteger(v)) throw new WorkloadError(`${what} must be an integer, got "${s}"`);
  return v;
}

export function parseDirt(s: string): DirtOption {
  const t = s.trim();
  if (/^[0-9.eE+-]+%?$/.test(t)) {
    const pct = t.endsWith('%');
    const v = Number(pct ? t.slice(0, -1) : t);
    if (!Number.isFinite(v)) throw new WorkloadError(`--dirt must be a rate such as 0.01 or name=rate pairs, got "${s}"`);
    return pct ? v / 100 : v;
  }
  const out: Record<string, number> = {};
  for (const part of t.split(',')) {
    const m = /^\s*([a-z_]+)\s*=\s*([0-9.eE+-]+)(%?)\s*$/.exec(part);
    if (!m || !Number.isFinite(Number(m[2]))) throw new WorkloadError(`--dirt must be a rate such as 0.01 or name=rate pairs, got "${s}"`);
    out[m[1]] = m[3] ? Number(m[2]) / 100 : Number(m[2]);
  }
  return out;
}

interface Args {
  dataset?: string;
  rows?: number;
  out?: string;
  seed?: number;
  format?: OutputFormat;
  dirt?: DirtOption;
  batchRows?: number;
  quiet: boolean;
  list: boolean;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): Args {
  const a: Args = { quiet: false, list: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = (): string => {
      if (value !== undefined) return value;
      const v = argv[++i];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new WorkloadError(`option ${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--dataset': case '-d': a.dataset = next(); break;
      case '--rows': case '-n': a.rows = parseCount('--rows', next()); break;
      case '--out': case '-o': a.out = next(); break;
      case '--seed': a.seed = parseCount('--seed', next()); break;
      case '--format': case '-f': {
        const f = next().toLowerCase();
        if (!(FORMATS as readonly string[]).includes(f)) throw new WorkloadError(`unknown format "${f}" (expected parquet, arrow or csv)`);
        a.format = f as OutputFormat;
        break;
      }
      case '--dirt': a.dirt = parseDirt(next()); break;
      case '--batch-rows': a.batchRows = parseCount('--batch-rows', next()); break;
      case '--quiet': case '-q': a.quiet = true; break;
      case '--list': a.list = true; break;
      case '--help': case '-h': a.help = true; break;
      default: throw new WorkloadError(`unknown option "${argv[i]}" (see --help)`);
    }
  }
  return a;
}

function listDatasets(): string {
  const lines: string[] = [];
  for (const d of Object.values(DATASETS)) {
    lines.push(`${d.name} (seeds ${d.seeds.join(', ')}): ${d.description}`);
    for (const t of d.tables) {
      lines.push(`  ${t.name}${t.name === d.factTable ? ' (fact: --rows)' : ''} rows = ${t.rowsRule}`);
      lines.push(`    ${t.columns.map((c) => `${c.name} ${c.type.kind === 'decimal' ? `numeric(${c.type.precision},${c.type.scale})` : c.type.kind}`).join(', ')}`);
    }
    if (d.dirt.length) lines.push(`  dirt: ${d.dirt.map((k) => `${k.name}=${k.defaultRate}`).join(', ')}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (args.list) {
    process.stdout.write(listDatasets() + '\n');
    return;
  }
  if (args.dataset === undefined) throw new WorkloadError(`--dataset is required (${DATASET_NAMES.join(', ')})`);
  if (args.rows === undefined) throw new WorkloadError('--rows is required');
  if (args.out === undefined) throw new WorkloadError('--out is required');
  const bar = createProgressBar(args.quiet ? false : undefined);
  let manifest;
  try {
    manifest = await generateDataset({
      dataset: args.dataset,
      rows: args.rows,
      outDir: args.out,
      seed: args.seed,
      format: args.format,
      dirt: args.dirt,
      batchRows: args.batchRows,
      onProgress: bar.onProgress,
    });
  } finally {
    bar.stop();
  }
  if (!args.quiet) {
    const rows = manifest.tables.reduce((s, t) => s + t.rows, 0);
    const secs = manifest.elapsedMs / 1000;
    const bytes = manifest.tables.reduce((s, t) => s + t.bytes, 0);
    process.stdout.write(
      `${manifest.dataset}: ${manifest.tables.map((t) => `${t.name} ${t.rows}`).join(', ')} → ${args.out} ` +
        `(${manifest.format}, ${(bytes / 1048576).toFixed(1)} MiB, ${secs.toFixed(1)} s, ${Math.round(rows / Math.max(secs, 1e-3)).toLocaleString('en-US')} rows/s)\n`,
    );
  }
}

main().catch((e: unknown) => {
  if (e instanceof WorkloadError) fail(e.message);
  fail(e instanceof Error ? e.message : String(e));
});
