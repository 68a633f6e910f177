/**
 * Entry point of a partition worker thread (bundled by pool.ts into .cache/bin). Runs tasks
 * (tasks.ts) as the main thread sends them, several at a time if asked, and streams their output
 * batches back as they are produced.
 *
 * It also decodes Parquet row groups for scans the main thread runs unpartitioned (a serial
 * plan), so decoding overlaps the main thread's operators as it did when parquet-wasm decoded in
 * its own thread: the stream runs up to DECODE_AHEAD row groups ahead of what the main thread
 * has asked for.
 *
 * Protocol (main → worker): {type:'tables', tables} | {type:'run', id, task} | {type:'cancel', id}
 *                            | {type:'decode', id, path, mtimeMs, columns, groups} | {type:'decode-next', id}
 *           (worker → main): {type:'batch', id, out, batch} | {type:'progress', id, rows, bytes}
 *                            | {type:'done', id, result} | {type:'error', id, error}
 *                            | {type:'decoded', id, batch, bytes} | {type:'decode-end', id}
 */
import { parentPort } from 'node:worker_threads';
import { ParquetTable } from '../io/parquet.js';
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
  | { type: 'cancel'; id: number }
  | { type: 'decode'; id: number; path: string; mtimeMs: number; columns: string[]; groups: number[] }
  | { type: 'decode-next'; id: number };

/** Row groups decoded ahead of the main thread's requests. */
const DECODE_AHEAD = 3;

const port = parentPort;
if (port === null) throw new Error('partition-worker.ts must run in a worker thread');

const sources = new SourceCache();
const running = new Map<number, AbortController>();
// Progress is batched: one message per ~64k rows keeps the main thread's event loop free.
const PROGRESS_ROWS = 65536;

/** Per decode stream: requests not yet answered, and the waiting decoder. */
const credits = new Map<number, { n: number; wake: (() => void) | null }>();

async function decode(msg: Extract<ToWorker, { type: 'decode' }>, signal: AbortSignal): Promise<void> {
  const table = await sources.openFile(msg.path, msg.mtimeMs);
  if (!(table instanceof ParquetTable)) throw new Error(`"${msg.path}" is not a Parquet file`);
  const credit = credits.get(msg.id)!;
  for await (const { batch, bytes } of table.decodeRowGroups(msg.columns, msg.groups, signal)) {
    while (credit.n === 0 && !signal.aborted) await new Promise<void>((r) => (credit.wake = r));
    if (signal.aborted) return;
    credit.n--;
    const transfer = new Set<ArrayBuffer>();
    port!.postMessage({ type: 'decoded', id: msg.id, batch: batchToWire(batch, transfer), bytes }, [...transfer]);
  }
  port!.postMessage({ type: 'decode-end', id: msg.id });
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'decode-next') {
    const c = credits.get(msg.id);
    if (c === undefined) return;
    c.n++;
    const w = c.wake;
    c.wake = null;
    w?.();
    return;
  }
  if (msg.type === 'decode') {
    const abort = new AbortController();
    running.set(msg.id, abort);
    credits.set(msg.id, { n: DECODE_AHEAD, wake: null });
    decode(msg, abort.signal)
      .catch((e: unknown) => port.postMessage({ type: 'error', id: msg.id, error: errorToWire(e) }))
      .finally(() => {
        running.delete(msg.id);
        credits.delete(msg.id);
      });
    return;
  }
  if (msg.type === 'cancel') {
    running.get(msg.id)?.abort();
    const c = credits.get(msg.id);
    c?.wake?.();
    return;
  }
  if (msg.type === 'tables') {
    for (const t of msg.tables) sources.addShared(t);
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
