/**
 * `npm run --silent sql -- [--table NAME=PATH]... [--format table|csv|json] [--explain|--analyze] "SQL"`
 * Other tools (the benchmark, the API's workers, scripts) call it exactly so: results on stdout,
 * one `error: …` line on stderr and exit code 1 on any failure.
 */
import { parseArgs } from 'node:util';
import { SessionContext } from '../session.js';
import { EngineError, describePosition } from '../errors.js';
import { csvLines, jsonText, tableText } from './output.js';
import { ProgressLine } from './progress.js';
import type { Batch } from '../types/batch.js';

const USAGE = 'usage: sql [--table NAME=PATH]... [--format table|csv|json] [--explain|--analyze] "SQL"';

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      table: { type: 'string', multiple: true, short: 't' },
      format: { type: 'string', short: 'f', default: 'table' },
      explain: { type: 'boolean', default: false },
      analyze: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing SQL text' : 'expected one SQL argument (quote the query)');
  const format = values.format;
  if (format !== 'table' && format !== 'csv' && format !== 'json') throw new UsageError(`unknown format "${format}" (expected table, csv or json)`);
  const sql = positionals[0];

  const ctx = new SessionContext();
  for (const spec of values.table ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--table expects NAME=PATH, got "${spec}"`);
    await ctx.registerFile(spec.slice(0, eq), spec.slice(eq + 1));
  }

  try {
    const df = await ctx.sql(sql);
    const progress = new ProgressLine();
    if (values.explain || values.analyze) {
      const text = await df.explain({ analyze: values.analyze, onProgress: (p) => progress.update(p) });
      progress.done();
      process.stdout.write(text + '\n');
      return;
    }
    const run = df.streamBatches({ onProgress: (p) => progress.update(p) });
    if (format === 'csv') {
      // Streamed: a large result never has to fit in memory as text.
      let first = true;
      for await (const b of run) {
        const lines = csvLines(df.schema, [b]);
        await write((first ? lines : lines.slice(1)).join('\n') + '\n');
        first = false;
      }
      progress.done();
      if (first) await write(csvLines(df.schema, []).join('\n') + '\n');
      return;
    }
    const batches: Batch[] = [];
    for await (const b of run) batches.push(b);
    progress.done();
    await write((format === 'json' ? jsonText(df.schema, batches) : tableText(df.schema, batches)) + '\n');
  } catch (e) {
    if (e instanceof EngineError && e.position !== undefined) {
      throw new EngineError(e.code, `${e.message} (at ${describePosition(sql, e.position)})`);
    }
    throw e;
  }
}

class UsageError extends Error {}

function write(s: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(s, (err) => (err ? reject(err) : resolve())));
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    if (e instanceof EngineError || e instanceof UsageError) {
      process.stderr.write(`error: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
    } else {
      // An engine bug, not a user error: keep the detail, still one `error:` line first.
      const err = e instanceof Error ? e : new Error(String(e));
      process.stderr.write(`error: internal error: ${err.message.replace(/\s*\n\s*/g, ' ')}\n`);
      if (process.env.PHASELAB_DEBUG) process.stderr.write(`${err.stack}\n`);
    }
    process.exit(1);
  },
);
