/**
 * The partition workers: one worker thread per partition, started on first use and kept for the
 * process (a query pays thread start-up once). Idle workers are unref'ed so they never keep a
 * CLI alive; a worker with a task running is ref'ed so the process waits for it.
 *
 * A worker runs the engine's own code, so it needs a JavaScript entry point: partition-worker.ts
 * is bundled with esbuild into <repo>/.cache/bin (rebuilt when engine sources change), which works
 * the same whether the engine runs from TypeScript sources (tsx, vitest) or from a bundle. Where
 * that is impossible (no esbuild, sources not found) tasks run in the calling thread instead,
 * one partition after another: same results, no parallelism, and EXPLAIN ANALYZE says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { errorFromWire, batchFromWire, batchToWire, schemaToWire, type WireBatch, type WireError } from './wire.js';
import { SourceCache } from './fragment.js';
import { WaitQueue } from './wait-queue.js';
import { runTask, type PartitionTask, type TaskResult } from './tasks.js';
import type { Batch, Schema } from '../types/batch.js';
import type { ToWorker } from './partition-worker.js';

type ToWorkerTask = Extract<ToWorker, { type: 'run' }>['task'];

export interface TaskSink {
  /** Schema of the batches the task emits (workers send columns only). */
  readonly schema: Schema;
  emit(out: number, batch: Batch): void;
  progress(rows: number, bytes: number): void;
}

type FromWorker =
  | { type: 'decoded'; id: number; batch: WireBatch; bytes: number }
  | { type: 'decode-end'; id: number }
  | { type: 'batch'; id: number; out: number; batch: WireBatch }
  | { type: 'progress'; id: number; rows: number; bytes: number }
  | { type: 'done'; id: number; result: TaskResult }
  | { type: 'error'; id: number; error: WireError };

const EXTERNAL = ['parquet-wasm', 'libpg-query', '@duckdb/node-api', 'nodejs-polars', 'pg', 'pg-copy-streams', 'pg-native', 'esbuild'];
const WORKER_SOURCE = path.join('packages', 'engine', 'src', 'parallel', 'partition-worker.ts');

function findRepoRoot(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, WORKER_SOURCE))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|mjs)$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

let bundle: Promise<string | null> | null = null;
export let unavailableReason: string | null = null;

/** Path of the bundled worker entry, building it when missing or older than the engine's sources. */
function workerBundle(): Promise<string | null> {
  bundle ??= (async () => {
    const root = findRepoRoot();
    if (root === null) {
      unavailableReason = 'engine sources not found for the worker bundle';
      return null;
    }
    const srcDir = path.join(root, 'packages', 'engine', 'src');
    const outDir = path.join(root, '.cache', 'bin');
    const out = path.join(outDir, 'engine-partition-worker.mjs');
    try {
      const built = fs.existsSync(out) ? fs.statSync(out).mtimeMs : 0;
      if (built <= newestMtime(srcDir)) {
        const { build } = await import('esbuild');
        fs.mkdirSync(outDir, { recursive: true });
        const tmp = `${out}.${process.pid}.tmp`;
        await build({
          entryPoints: [path.join(root, WORKER_SOURCE)],
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node20',
          outfile: tmp,
          external: EXTERNAL,
          logLevel: 'silent',
          banner: { js: "import { createRequire as __phaselabCreateRequire } from 'node:module'; const require = __phaselabCreateRequire(import.meta.url);" },
        });
        fs.renameSync(tmp, out); // atomic: processes building at once each write the same bundle
      }
      // parquet.ts starts its decoder from a file beside the bundle
      const decoder = path.join(srcDir, 'io', 'parquet-worker.mjs');
      const decoderOut = path.join(outDir, 'parquet-worker.mjs');
      if (!fs.existsSync(decoderOut) || fs.statSync(decoderOut).mtimeMs < fs.statSync(decoder).mtimeMs) fs.copyFileSync(decoder, decoderOut);
      return out;
    } catch (e) {
      unavailableReason = `worker bundle failed: ${e instanceof Error ? e.message : String(e)}`;
      return null;
    }
  })();
  return bundle;
}

interface PendingTask {
  sink: TaskSink;
  resolve(r: TaskResult): void;
  reject(e: Error): void;
}

type DecodeReply = { batch: WireBatch; bytes: number } | null | Error;

class PartitionWorker {
  private readonly worker: Worker;
  private readonly tasks = new Map<number, PendingTask>();
  /** Decode streams: replies not yet consumed. */
  private readonly streams = new Map<number, (r: DecodeReply) => void>();
  private readonly tables = new Set<number>();
  private nextId = 1;
  dead: Error | null = null;

  constructor(file: string, readonly index: number) {
    this.worker = new Worker(file, { name: `phaselab-partition-${index}` });
    this.worker.unref();
    this.worker.on('message', (m: FromWorker) => this.onMessage(m));
    const fail = (e: Error) => {
      this.dead = e;
      for (const t of this.tasks.values()) t.reject(e);
      this.tasks.clear();
      for (const push of this.streams.values()) push(e);
      this.streams.clear();
    };
    this.worker.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
    this.worker.on('exit', (code) => fail(new Error(`partition worker ${index} exited with code ${code}`)));
  }

  private onMessage(m: FromWorker): void {
    const stream = this.streams.get(m.id);
    if (stream !== undefined) {
      if (m.type === 'decoded') stream({ batch: m.batch, bytes: m.bytes });
      else if (m.type === 'decode-end') stream(null);
      else if (m.type === 'error') stream(errorFromWire(m.error, `decoder in partition worker ${this.index}`));
      return;
    }
    const t = this.tasks.get(m.id);
    if (t === undefined || m.type === 'decoded' || m.type === 'decode-end') return;
    switch (m.type) {
      case 'batch':
        t.sink.emit(m.out, batchFromWire(m.batch, t.sink.schema));
        return;
      case 'progress':
        t.sink.progress(m.rows, m.bytes);
        return;
      case 'done':
        this.finish(m.id);
        t.resolve(m.result);
        return;
      case 'error':
        this.finish(m.id);
        t.reject(errorFromWire(m.error, `partition ${this.index}`));
    }
  }

  private finish(id: number): void {
    this.tasks.delete(id);
    this.unrefWhenIdle();
  }

  /** An idle worker must not keep the process alive (a CLI exits when its query is done). */
  private unrefWhenIdle(): void {
    if (this.tasks.size + this.streams.size === 0) this.worker.unref();
  }

  /** Row groups of a Parquet file decoded in this worker, one batch per group, in order. */
  async *decode(path: string, mtimeMs: number, columns: string[], groups: number[], schema: Schema): AsyncGenerator<{ batch: Batch; bytes: number }> {
    if (this.dead !== null) throw this.dead;
    const id = this.nextId++;
    const queue = new WaitQueue<DecodeReply>();
    this.streams.set(id, (r) => queue.push(r));
    this.worker.ref();
    let finished = false;
    try {
      this.worker.postMessage({ type: 'decode', id, path, mtimeMs, columns, groups } satisfies ToWorker);
      for (;;) {
        const r = await queue.take();
        if (r === null) {
          finished = true;
          return;
        }
        if (r instanceof Error) {
          finished = true;
          throw r;
        }
        this.worker.postMessage({ type: 'decode-next', id } satisfies ToWorker);
        yield { batch: batchFromWire(r.batch, schema), bytes: r.bytes };
      }
    } finally {
      this.streams.delete(id);
      if (!finished && this.dead === null) this.worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
      this.unrefWhenIdle();
    }
  }

  run(task: PartitionTask, sink: TaskSink, signal: AbortSignal | undefined): Promise<TaskResult> {
    if (this.dead !== null) return Promise.reject(this.dead);
    const id = this.nextId++;
    const send = (m: ToWorker, transfer: ArrayBuffer[] = []) => this.worker.postMessage(m, transfer);
    if (task.kind === 'partial') {
      const missing = task.tables.filter((d) => !this.tables.has(d.id));
      if (missing.length > 0) {
        send({ type: 'tables', tables: missing });
        for (const d of missing) this.tables.add(d.id);
      }
      task = { ...task, tables: [] };
    }
    const transfer = new Set<ArrayBuffer>();
    let wireTask: unknown = task;
    if (task.kind === 'partial' && task.inputs !== undefined) {
      wireTask = { ...task, inputs: task.inputs.map((inp) => ({ fields: schemaToWire(inp.fields), batches: inp.batches.map((b) => batchToWire(b, transfer)) })) };
    }
    return new Promise<TaskResult>((resolve, reject) => {
      this.tasks.set(id, { sink, resolve, reject });
      this.worker.ref();
      if (task.kind === 'final') {
        const transfer = new Set<ArrayBuffer>();
        const batches = task.batches.map((b) => batchToWire(b, transfer));
        send({ type: 'run', id, task: { ...task, batches } }, [...transfer]);
      } else {
        send({ type: 'run', id, task: wireTask as ToWorkerTask }, [...transfer]);
      }
      if (signal !== undefined) {
        const onAbort = () => send({ type: 'cancel', id });
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }
}

/** Where partition tasks run: worker threads, or (fallback) the calling thread. */
export interface PartitionRunner {
  readonly threads: boolean;
  /** Why tasks run in the calling thread, when they do. */
  readonly reason: string | null;
  run(partition: number, task: PartitionTask, sink: TaskSink, signal: AbortSignal | undefined): Promise<TaskResult>;
}

const workers: PartitionWorker[] = [];
const inlineSources = new SourceCache();

const inlineRunner = (reason: string): PartitionRunner => ({
  threads: false,
  reason,
  async run(_partition, task, sink, signal) {
    return runTask(task, inlineSources, { signal: signal ?? new AbortController().signal, emit: (o, b) => sink.emit(o, b), progress: (r, b) => sink.progress(r, b) });
  },
});

/**
 * Row groups of a Parquet file decoded in partition workers 0..count-1 (for a scan the calling
 * thread runs unpartitioned), group k by worker k % count, yielded in file order; null when
 * worker threads are unavailable.
 */
export async function decodeInWorkers(path: string, mtimeMs: number, columns: string[], groups: number[], schema: Schema, count: number): Promise<AsyncGenerator<{ batch: Batch; bytes: number }> | null> {
  const file = await workerBundle();
  if (file === null) return null;
  const n = Math.max(1, Math.min(count, groups.length));
  const streams: AsyncGenerator<{ batch: Batch; bytes: number }>[] = [];
  for (let j = 0; j < n; j++) {
    if (workers[j] === undefined || workers[j].dead !== null) workers[j] = new PartitionWorker(file, j);
    streams.push(workers[j].decode(path, mtimeMs, columns, groups.filter((_, k) => k % n === j), schema));
  }
  return n === 1 ? streams[0] : interleave(streams);
}

/** Round-robin over streams that hold items 0, n, 2n… / 1, n+1…: the items in order. All run at once. */
async function* interleave<T>(streams: AsyncGenerator<T>[]): AsyncGenerator<T> {
  const next = (j: number) => {
    const p = streams[j].next();
    p.catch(() => {}); // awaited below, unless the consumer stops first
    return p;
  };
  const pending = streams.map((_, j) => next(j));
  try {
    for (let k = 0; ; k++) {
      const j = k % streams.length;
      const r = await pending[j];
      if (r.done) return;
      pending[j] = next(j);
      yield r.value;
    }
  } finally {
    await Promise.allSettled(streams.map((s) => s.return(undefined)));
  }
}

/** A runner for `count` partitions. */
export async function partitionRunner(count: number, options: { threads?: boolean } = {}): Promise<PartitionRunner> {
  if (options.threads === false) return inlineRunner('worker threads disabled');
  const file = await workerBundle();
  if (file === null) return inlineRunner(unavailableReason ?? 'worker threads unavailable');
  for (let i = 0; i < count; i++) {
    if (workers[i] === undefined || workers[i].dead !== null) workers[i] = new PartitionWorker(file, i);
  }
  return {
    threads: true,
    reason: null,
    run: (partition, task, sink, signal) => workers[partition % count].run(task, sink, signal),
  };
}
