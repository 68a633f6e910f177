/**
 * `npm run --silent pipeline -- --workload medallion --mode one-pass|staged --data DIR --out DIR
 *   [--dq full|sampled] [--json] [--quiet]`
 * Runs the medallion pipeline on a finance dataset directory (from `npm run datagen`) and prints
 * per-stage timings, rows in and out, the data-quality counts per rule and peak memory.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { isEngineError, type ProgressInfo } from '@phaselab/engine';
import { WorkloadError } from '../generate.js';
import { progressEnabled } from '../progress.js';
import { PIPELINE_MODES, runMedallion, type DqMode, type PipelineMode } from '../pipeline/medallion.js';
import { formatPipelineReport } from '../pipeline/report.js';

const USAGE = 'usage: pipeline --workload medallion --mode one-pass|staged --data DIR --out DIR [--dq full|sampled] [--json] [--quiet]';

/** One bar for the stage running now, restarted per stage (rows read of the stage's input). */
function stageBar(enabled: boolean) {
  if (!enabled) return { update: (_stage: string, _p: ProgressInfo) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{stage} |{bar}| {percentage}% | {value}/{total} rows read', hideCursor: true, clearOnComplete: true, fps: 5 },
    cliProgress.Presets.shades_classic,
  );
  let current = '';
  return {
    update(stage: string, p: ProgressInfo) {
      const total = p.totalRows ?? p.rowsRead;
      if (stage !== current) {
        if (current) bar.stop();
        bar.start(total, p.rowsRead, { stage });
        current = stage;
      } else bar.update(p.rowsRead, { stage });
    },
    stop() {
      if (current) bar.stop();
      current = '';
    },
  };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workload: { type: 'string', default: 'medallion' },
      mode: { type: 'string', default: 'one-pass' },
      data: { type: 'string' },
      out: { type: 'string' },
      dq: { type: 'string', default: 'full' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (values.workload !== 'medallion') throw new WorkloadError(`the pipeline runs the medallion workload, not "${values.workload}"`);
  if (!PIPELINE_MODES.includes(values.mode as PipelineMode)) throw new WorkloadError(`--mode must be one-pass or staged, got "${values.mode}"`);
  if (values.dq !== 'full' && values.dq !== 'sampled') throw new WorkloadError(`--dq must be full or sampled, got "${values.dq}"`);
  if (!values.data) throw new WorkloadError(`--data DIR is required\n${USAGE}`);
  if (!values.out) throw new WorkloadError(`--out DIR is required\n${USAGE}`);
  const bar = stageBar(!values.quiet && progressEnabled());
  try {
    const result = await runMedallion({
      dataDir: values.data,
      outDir: values.out,
      mode: values.mode as PipelineMode,
      dq: values.dq as DqMode,
      onProgress: (stage, p) => bar.update(stage, p),
    });
    bar.stop();
    process.stdout.write((values.json ? JSON.stringify(result, null, 2) : formatPipelineReport(result)) + '\n');
  } finally {
    bar.stop();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    const msg = e instanceof WorkloadError || isEngineError(e) || (e instanceof Error && e.name === 'TypeError' && 'code' in e) ? (e as Error).message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    process.stderr.write(`error: ${msg}\n`);
    process.exit(1);
  },
);
