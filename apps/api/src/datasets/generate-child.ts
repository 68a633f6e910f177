/**
 * One dataset generation, in a process of its own (forked by the worker, see generate.ts): the
 * generators are CPU-bound and would otherwise stall the worker's heartbeats and its SQL jobs.
 * Reads one request over IPC, answers with throttled progress and one result or error, then exits.
 */
import { generateDataset, type Manifest, type ProgressEvent } from '@phaselab/workloads';

export interface GenerateRequest {
  type: 'generate';
  generator: string;
  rows: number;
  seed: number;
  format: 'parquet' | 'arrow' | 'csv';
  outDir: string;
  batchRows: number;
}

export type GenerateMessage =
  | { type: 'ready' }
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'done'; manifest: Manifest }
  | { type: 'error'; message: string };

const PROGRESS_MS = 150;

const send = (msg: GenerateMessage) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(msg, () => resolve());
  });

process.on('disconnect', () => process.exit(0));
process.once('message', (req: GenerateRequest) => {
  let last = 0;
  generateDataset({
    dataset: req.generator,
    rows: req.rows,
    seed: req.seed,
    format: req.format,
    outDir: req.outDir,
    batchRows: req.batchRows,
    onProgress: (event) => {
      const now = Date.now();
      // Always the end of each table; in between at most every PROGRESS_MS.
      if (now - last < PROGRESS_MS && event.tableRowsDone < event.tableRows) return;
      last = now;
      void send({ type: 'progress', event });
    },
  }).then(
    async (manifest) => {
      await send({ type: 'done', manifest });
      process.exit(0);
    },
    async (err: unknown) => {
      await send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      process.exit(0);
    },
  );
});
void send({ type: 'ready' });
