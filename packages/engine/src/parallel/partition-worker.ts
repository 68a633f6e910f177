/**
 * Entry point of a partition worker thread (bundled by pool.ts into .cache/bin). Runs tasks
 * (tasks.ts) as the main thread sends them, several at a time if asked, and streams their output
 * batches back as they are produced.
 *
 * Protocol (main → worker): {type:'tables', tables} | {type:'run', id, task} | {type:'cancel', id}
 *           (worker → main): {type:'batch', id, out, batch} | {type:'progress', id, rows, bytes}
 *                            | {type:'done', id, result} | {type:'error', id, error}
 */
import { parentPort } from 'node:worker_threads';
import { SourceCache } from './fragment.js';
import type { SharedTableDescriptor } from './shared-table.js';
import type { Field } from '../types/batch.js';
import { runTask, type FinalTask, type PartialTask, type PartitionTask } from './tasks.js';
import { batchFromWire, batchToWire, errorToWire, type WireBatch } from './wire.js';

type WireTask =
  | (Omit<PartialTask, 'inputs'> & { inputs?: { fields: Field[]; batches: WireBatch[] }[] })
  | (Omit<FinalTask, 'batches'> & { batches: WireBatch[] });

export type ToWorker =
  | { type: 'tables'; tables: SharedTableDescriptor[] }
  | { type: 'run'; id: number; task: WireTask }
  | { type: 'cancel'; id: number };

const port = parentPort;
if (port === null) throw new Error('partition-worker.ts must run in a worker thread');

const sources = new SourceCache();
const running = new Map<number, AbortController>();
// Progress is batched: one message per ~64k rows keeps the main thread's event loop free.
const PROGRESS_ROWS = 65536;

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'tables') {
    for (const t of msg.tables) sources.addShared(t);
    return;
  }
  if (msg.type === 'cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  const { id } = msg;
  const abort = new AbortController();
  running.set(id, abort);
  const wire = msg.task;
  const task: PartitionTask = wire.kind === 'final'
    ? { ...wire, batches: wire.batches.map((b) => batchFromWire(b, wire.inputSchema)) }
    : wire.inputs === undefined
      ? { ...wire, inputs: undefined }
      : { ...wire, inputs: wire.inputs.map((inp) => ({ fields: inp.fields, batches: inp.batches.map((b) => batchFromWire(b, inp.fields)) })) };
  let pendingRows = 0;
  let pendingBytes = 0;
  runTask(task, sources, {
    signal: abort.signal,
    emit(out, batch) {
      const transfer = new Set<ArrayBuffer>();
      const payload = batchToWire(batch, transfer);
      port.postMessage({ type: 'batch', id, out, batch: payload }, [...transfer]);
    },
    progress(rows, bytes) {
      pendingRows += rows;
      pendingBytes += bytes;
      if (pendingRows >= PROGRESS_ROWS) {
        port.postMessage({ type: 'progress', id, rows: pendingRows, bytes: pendingBytes });
        pendingRows = 0;
        pendingBytes = 0;
      }
    },
  })
    .then((result) => {
      if (pendingRows > 0 || pendingBytes > 0) port.postMessage({ type: 'progress', id, rows: pendingRows, bytes: pendingBytes });
      port.postMessage({ type: 'done', id, result });
    })
    .catch((e: unknown) => port.postMessage({ type: 'error', id, error: errorToWire(e) }))
    .finally(() => running.delete(id));
});
