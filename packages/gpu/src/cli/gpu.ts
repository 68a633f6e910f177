/**
 * `npm run --silent gpu -- <command> …`: PostgreSQL / PG-Strom from the command line.
 *
 *   probe  --url URL                                           probe JSON on stdout
 *   load   --url URL --dataset DIR --schema S [--brin] [--arrow auto|never|always] [--arrow-dir D]
 *   run    --url URL [--schema S] --gpu on|off|auto [--analyze] [--runs K] [--warmup W]
 *          [--timeout MS] [--set NAME=VALUE]… [--json] "SQL"    CSV like the sql CLI; --analyze: plan summary on stderr
 *   sweep  --url URL [--schema S] [--set NAME=V1,V2]… [--runs K] [--warmup W] "SQL"
 *   report --url URL [--schema S] [--runs K] [--warmup W] "SQL" ["SQL"…]
 *
 * Failures: one `error: …` line on stderr, exit code 1.
 */
import { parseArgs } from 'node:util';
import { isGpuError } from '../errors.js';
import { loadDataset } from '../load/dataset.js';
import { planSummaryText } from '../plan/summary-text.js';
import { probe } from '../probe.js';
import { compareGpu } from '../report.js';
import { GPU_MODES, runQuery, type GpuMode } from '../run/query.js';
import { parseGridSpecs, sweep } from '../sweep.js';
import { csvText } from './csv.js';

const USAGE = `usage: gpu probe --url URL
       gpu load --url URL --dataset DIR --schema S [--brin] [--arrow auto|never|always] [--arrow-dir DIR]
       gpu run --url URL [--schema S] --gpu on|off|auto [--analyze] [--runs K] [--warmup W] [--timeout MS] [--set NAME=VALUE]... [--json] "SQL"
       gpu sweep --url URL [--schema S] [--set NAME=V1,V2]... [--runs K] [--warmup W] "SQL"
       gpu report --url URL [--schema S] [--runs K] [--warmup W] "SQL" ["SQL"...]`;

class UsageError extends Error {}

function write(s: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(s, (err) => (err ? reject(err) : resolve())));
}

function int(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} expects a non-negative integer, got "${v}"`);
  return Number(v);
}

function url(values: { url?: string }): string {
  if (!values.url) throw new UsageError('missing --url');
  return values.url;
}

function oneSql(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing SQL text' : 'expected one SQL argument (quote the query)');
  return positionals[0];
}

const COMMON = {
  url: { type: 'string' },
  schema: { type: 'string' },
  runs: { type: 'string' },
  warmup: { type: 'string' },
  timeout: { type: 'string' },
  set: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    await write(USAGE + '\n');
    return;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());

  switch (command) {
    case 'probe': {
      const { values } = parseArgs({ args: rest, options: { url: COMMON.url } });
      await write(JSON.stringify(await probe(url(values)), null, 2) + '\n');
      return;
    }
    case 'load': {
      const { values } = parseArgs({
        args: rest,
        options: { url: COMMON.url, dataset: { type: 'string' }, schema: COMMON.schema, brin: { type: 'boolean' }, arrow: { type: 'string' }, 'arrow-dir': { type: 'string' } },
      });
      if (!values.dataset) throw new UsageError('missing --dataset DIR (a directory written by `npm run datagen`)');
      if (!values.schema) throw new UsageError('missing --schema');
      const tty = process.stderr.isTTY && !process.env.CI;
      const result = await loadDataset({
        url: url(values),
        datasetDir: values.dataset,
        schema: values.schema,
        brin: values.brin ?? false,
        arrow: (values.arrow ?? 'auto') as 'auto',
        arrowDir: values['arrow-dir'],
        signal: controller.signal,
        onProgress: tty ? (p) => process.stderr.write(`\rloading ${p.table}: ${p.tableRowsDone}/${p.tableRows} rows (${p.totalRowsDone}/${p.totalRows} total)\x1b[K`) : undefined,
      });
      if (tty) process.stderr.write('\n');
      await write(JSON.stringify(result, null, 2) + '\n');
      return;
    }
    case 'run': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { ...COMMON, gpu: { type: 'string' }, analyze: { type: 'boolean' }, json: { type: 'boolean' } },
      });
      const sql = oneSql(positionals);
      const gpu = (values.gpu ?? 'auto') as GpuMode;
      if (!GPU_MODES.includes(gpu)) throw new UsageError(`--gpu must be on, off or auto, got "${values.gpu}"`);
      const settings: Record<string, string> = {};
      for (const spec of values.set ?? []) {
        const eq = spec.indexOf('=');
        if (eq <= 0) throw new UsageError(`--set expects NAME=VALUE, got "${spec}"`);
        settings[spec.slice(0, eq)] = spec.slice(eq + 1);
      }
      const analyze = values.analyze ?? false;
      const json = values.json ?? false;
      // CSV streams out as rows arrive, as the sql CLI does: a large result never sits in memory.
      let header = true;
      const r = await runQuery({
        url: url(values),
        sql,
        schema: values.schema ?? 'public',
        gpu,
        runs: int('runs', values.runs, 1),
        warmup: int('warmup', values.warmup, 0),
        statementTimeoutMs: int('timeout', values.timeout, 60_000),
        settings,
        explain: analyze || (values.json ?? false),
        monitor: analyze,
        keepRows: json ? Infinity : 0,
        onRows: json
          ? undefined
          : async (names, rows) => {
              const lines = csvText(names, rows);
              await write(header ? lines : lines.slice(lines.indexOf('\n') + 1));
              header = false;
            },
        signal: controller.signal,
      });
      if (json) await write(JSON.stringify(r, null, 2) + '\n');
      else if (header) await write(csvText(r.columns.map((c) => c.name), []));
      if (analyze && r.plan) {
        const monitor = r.monitor.available ? `gpu monitor: ${r.monitor.perGpu.map((g) => `GPU${g.gpu} avg ${g.avgUtilizationPct?.toFixed(1)}% max ${g.maxUtilizationPct}%`).join(', ')}` : `gpu monitor: unavailable (${r.monitor.reason})`;
        process.stderr.write(planSummaryText(r.plan, { backend: r.backend, mode: `${r.gpu.requested} → ${r.gpu.applied}`, note: r.gpu.note, wallMedianMs: r.timings.medianMs, runs: r.timings.runsMs.length }) + '\n' + monitor + '\n');
      }
      return;
    }
    case 'sweep': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: COMMON });
      const grid = values.set?.length ? parseGridSpecs(values.set) : undefined;
      const r = await sweep({
        url: url(values),
        sql: oneSql(positionals),
        schema: values.schema ?? 'public',
        grid,
        runs: int('runs', values.runs, 3),
        warmup: int('warmup', values.warmup, 1),
        statementTimeoutMs: int('timeout', values.timeout, 60_000),
        signal: controller.signal,
      });
      await write(JSON.stringify(r, null, 2) + '\n');
      return;
    }
    case 'report': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: COMMON });
      if (positionals.length === 0) throw new UsageError('missing SQL text');
      const reports = [];
      for (const [i, sql] of positionals.entries()) {
        const { report } = await compareGpu({
          url: url(values),
          sql,
          schema: values.schema ?? 'public',
          runs: int('runs', values.runs, 3),
          warmup: int('warmup', values.warmup, 1),
          statementTimeoutMs: int('timeout', values.timeout, 60_000),
          signal: controller.signal,
          label: `query ${i + 1}`,
        });
        reports.push(report);
      }
      await write(JSON.stringify(reports, null, 2) + '\n');
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}" (expected probe, load, run, sweep or report)`);
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    const known = e instanceof UsageError || isGpuError(e) || (e as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS');
    const msg = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`error: ${known ? '' : 'internal error: '}${msg}\n`);
    if (!known && process.env.PHASELAB_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  },
);

