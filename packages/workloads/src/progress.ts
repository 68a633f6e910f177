/** Progress bar on stderr (cli-progress); silent when stderr is not a TTY or CI is set. */
import cliProgress from 'cli-progress';
import type { ProgressEvent } from './generate.js';

export function progressEnabled(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stream.isTTY === true && !ci;
}

export interface ProgressReporter {
  readonly onProgress: (p: ProgressEvent) => void;
  stop(): void;
}

export function createProgressBar(enabled = progressEnabled()): ProgressReporter {
  if (!enabled) return { onProgress: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{dataset} {table} |{bar}| {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}',
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const t0 = performance.now();
  return {
    onProgress(p) {
      const secs = (performance.now() - t0) / 1000;
      const payload = { dataset: p.dataset, table: p.table, rate: secs > 0 ? Math.round(p.totalRowsDone / secs).toLocaleString('en-US') : '0' };
      if (!started) {
        bar.start(p.totalRows, p.totalRowsDone, payload);
        started = true;
      } else bar.update(p.totalRowsDone, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
