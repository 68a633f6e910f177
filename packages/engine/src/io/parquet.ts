/**
 * Parquet source and writer on parquet-wasm (arrow-rs compiled to WebAssembly).
 *
 * Reading: the footer is decoded once at open (parquet-footer.ts: row groups, row counts and
 * min/max/null statistics, which parquet-wasm's metadata API does not expose); a scan streams only
 * the requested columns of the row groups that keepRowGroup keeps, with a large batch size
 * (parquet-wasm's default of 1024 rows makes per-batch IPC overhead dominate), each record batch
 * crossing from WebAssembly as an Arrow IPC stream and converted by batchFromArrow.
 *
 * Writing: engine batches → Arrow (utf8 as Dictionary<Int32, Utf8>, so the embedded Arrow schema
 * makes arrow-rs read them back as dictionaries) → parquet-wasm's transformParquetStream, which
 * consumes a stream of record batches and cuts row groups of rowGroupSize rows.
 */
import fs from 'node:fs';
import { Worker, isMainThread } from 'node:worker_threads';
import * as arrow from 'apache-arrow';
import {
  Compression,
  ParquetFile,
  Table as WasmTable,
  WriterPropertiesBuilder,
  transformParquetStream,
  writeParquet as wasmWriteParquet,
  type RecordBatch as WasmRecordBatch,
} from 'parquet-wasm';
// (the scan decodes in a worker thread: parquet-worker.mjs)
import { inPartition, type ColumnStats, type NumericRange, type ScanOptions, type TableSource } from '../catalog.js';
import { EngineError, isEngineError, scanCancelled } from '../errors.js';
import { sliceBatch, type Batch, type Field } from '../types/batch.js';
import type { DataType } from '../types/data-type.js';
import { arrowSchemaOf, batchFromArrow, batchToArrow, fieldsFromArrowSchema } from './arrow-convert.js';
import { PHYS, readParquetFooter, type ChunkInfo, type FooterInfo } from './parquet-footer.js';
import { chunkSupported, decodeChunk, fastPlanOf, type FastPlan } from './parquet-pages.js';
import type { Column } from '../types/column.js';
import { DEFAULT_PARALLEL_CONFIG } from '../parallel/config.js';
import { WaitQueue } from '../parallel/wait-queue.js';

/** Rows per record batch asked from parquet-wasm (see the file comment). */
export const PARQUET_READ_BATCH_ROWS = 131072;

/**
 * Which decoder reads pages: 'auto' takes parquet-pages.ts (JavaScript) whenever every column
 * and chunk of a scan is in its subset, else parquet-wasm; 'wasm' always parquet-wasm (for
 * comparisons). PHASELAB_PARQUET_DECODER=wasm sets it for a process and its worker threads.
 */
export type ParquetDecoder = 'auto' | 'wasm';
let decoderSetting: ParquetDecoder = process.env.PHASELAB_PARQUET_DECODER === 'wasm' ? 'wasm' : 'auto';

export function setParquetDecoder(d: ParquetDecoder): void {
  decoderSetting = d;
}

/**
 * An unpartitioned scan in the main thread (a serial plan) of at least this many rows is decoded
 * by partition workers (row groups round-robin, yielded in file order), overlapping the main
 * thread's operators (see partition-worker.ts). One worker per core but the main thread's: on
 * this 2-core machine a second decoding worker made dq_full slower (1.15 → 1.46 s), taking the
 * core of the main thread, which runs the plan's only aggregate. Under a sort, top-k or window
 * (`consumerWaits`) the main thread only collects rows, and every core decodes: seed 003's w4
 * 710 → 660 ms cold, an ORDER BY … LIMIT 10 over 10M rows 400 → 280.
 */
let remoteDecodeMinRows = 1_000_000;
let remoteDecodeWorkers = Math.max(1, DEFAULT_PARALLEL_CONFIG.partitions - 1);
const remoteDecodeAllWorkers = Math.max(1, DEFAULT_PARALLEL_CONFIG.partitions);

export function setRemoteDecode(options: { minRows?: number; workers?: number }): void {
  if (options.minRows !== undefined) remoteDecodeMinRows = options.minRows;
  if (options.workers !== undefined) remoteDecodeWorkers = Math.max(1, options.workers);
}

/** Scans whose row groups a partition worker decoded (tests, diagnostics). */
export let remoteDecodeScans = 0;

function reasonOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

function notFound(path: string): EngineError {
  return new EngineError('io_error', `file "${path}" does not exist`);
}

function invalid(path: string, e: unknown): EngineError {
  return new EngineError('invalid_file', `file "${path}" is not valid Parquet: ${reasonOf(e)}`);
}

// ---------------------------------------------------------------------------------------------
// statistics → storage domain
// ---------------------------------------------------------------------------------------------

const statDecoder = new TextDecoder();

function bigEndianSigned(b: Uint8Array): number {
  if (b.length === 0) return 0;
  let x = 0n;
  for (let i = 0; i < b.length; i++) x = (x << 8n) | BigInt(b[i]);
  if (b[0] & 0x80) x -= 1n << BigInt(b.length * 8);
  return Number(x);
}

/** A statistics value in the engine storage domain, or undefined when it cannot be used. */
function statValue(raw: Uint8Array, chunk: ChunkInfo, type: DataType, at: arrow.DataType): number | string | boolean | undefined {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const p = chunk.physicalType;
  const int = (): number | undefined => {
    if (p === PHYS.INT32 && raw.length >= 4) {
      return at.typeId === arrow.Type.Int && !(at as arrow.Int).isSigned ? dv.getUint32(0, true) : dv.getInt32(0, true);
    }
    if (p === PHYS.INT64 && raw.length >= 8) return Number(dv.getBigInt64(0, true));
    return undefined;
  };
  switch (type.kind) {
    case 'int32':
    case 'int64':
      return int();
    case 'float64': {
      let x: number | undefined;
      if (p === PHYS.DOUBLE && raw.length >= 8) x = dv.getFloat64(0, true);
      else if (p === PHYS.FLOAT && raw.length >= 4) x = dv.getFloat32(0, true);
      else x = int();
      return x === undefined || Number.isNaN(x) ? undefined : x;
    }
    case 'decimal':
      if (p === PHYS.BYTE_ARRAY || p === PHYS.FIXED_LEN_BYTE_ARRAY) return bigEndianSigned(raw);
      return int();
    case 'date': {
      if (p === PHYS.INT32 && raw.length >= 4) return dv.getInt32(0, true);
      if (p === PHYS.INT64 && raw.length >= 8) return Math.floor(Number(dv.getBigInt64(0, true)) / 86_400_000);
      return undefined;
    }
    case 'timestamp': {
      if (p !== PHYS.INT64 || raw.length < 8) return undefined;
      const v = dv.getBigInt64(0, true);
      const unit = (at as arrow.Timestamp).unit;
      if (unit === arrow.TimeUnit.SECOND) return Number(v) * 1_000_000;
      if (unit === arrow.TimeUnit.MILLISECOND) return Number(v) * 1000;
      if (unit === arrow.TimeUnit.MICROSECOND) return Number(v);
      // floor(ns / 1000): a conservative bound in both directions after rounding down
      const q = v / 1000n;
      return Number(v < 0n && q * 1000n !== v ? q - 1n : q);
    }
    case 'utf8':
      return p === PHYS.BYTE_ARRAY || p === PHYS.FIXED_LEN_BYTE_ARRAY ? statDecoder.decode(raw) : undefined;
    case 'bool':
      return p === PHYS.BOOLEAN && raw.length >= 1 ? raw[0] !== 0 : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Arrow schema
// ---------------------------------------------------------------------------------------------

/** IPC end-of-stream marker: a schema message followed by it reads as an empty stream. */
const IPC_EOS = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/**
 * The Arrow schema arrow-rs (parquet-wasm, DataFusion, Polars) stores in the footer as
 * `ARROW:schema`, read without opening the file in parquet-wasm: for a file of 814 row groups
 * that open parsed the whole footer a second time (30-70 ms per query at 100M rows). Null when
 * the writer stored none (DuckDB, Spark) or it does not parse.
 */
function embeddedArrowSchema(footer: FooterInfo): arrow.Schema | null {
  if (footer.arrowSchema === undefined) return null;
  try {
    let msg = Buffer.from(footer.arrowSchema, 'base64');
    // pre-1.0 writers omit the continuation marker before the message length
    if (!(msg[0] === 0xff && msg[1] === 0xff && msg[2] === 0xff && msg[3] === 0xff)) msg = Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff]), msg]);
    const bytes = new Uint8Array(msg.length + IPC_EOS.length);
    bytes.set(msg, 0);
    bytes.set(IPC_EOS, msg.length);
    const schema = arrow.tableFromIPC(bytes).schema;
    return schema.fields.length > 0 ? schema : null;
  } catch {
    return null;
  }
}

/** The Arrow schema parquet-wasm derives from the Parquet types (files without `ARROW:schema`). */
async function wasmArrowSchema(path: string): Promise<arrow.Schema> {
  const file = await ParquetFile.fromFile(await fs.openAsBlob(path));
  try {
    return arrow.tableFromIPC(file.schema().intoIPCStream()).schema;
  } finally {
    file.free();
  }
}

// ---------------------------------------------------------------------------------------------
// ParquetTable
// ---------------------------------------------------------------------------------------------

interface RowGroupEntry {
  readonly numRows: number;
  readonly stats: ReadonlyMap<string, ColumnStats>;
  /** Compressed bytes per column name. */
  readonly bytes: ReadonlyMap<string, number>;
  /** Column chunk per top-level column name (the last one for a nested column: never decoded here). */
  readonly chunks: ReadonlyMap<string, ChunkInfo>;
}

export interface ParquetSummary {
  readonly path: string;
  readonly numRows: number;
  readonly numRowGroups: number;
  readonly numColumns: number;
  readonly columns: readonly string[];
  readonly fileBytes: number;
  readonly createdBy?: string;
}

export class ParquetTable implements TableSource {
  readonly kind = 'parquet' as const;
  readonly location: string;
  readonly schema: readonly Field[];
  readonly rowGroups: readonly RowGroupEntry[];
  readonly footer: FooterInfo;
  /** Per column name: how parquet-pages.ts decodes it, or null when only parquet-wasm can. */
  private readonly fastPlans: ReadonlyMap<string, FastPlan | null>;

  private constructor(path: string, schema: Field[], footer: FooterInfo, rowGroups: RowGroupEntry[], fastPlans: Map<string, FastPlan | null>) {
    this.location = path;
    this.schema = schema;
    this.footer = footer;
    this.rowGroups = rowGroups;
    this.fastPlans = fastPlans;
  }

  static async open(path: string): Promise<ParquetTable> {
    if (!fs.existsSync(path)) throw notFound(path);
    let footer: FooterInfo;
    let arrowSchema: arrow.Schema;
    try {
      footer = await readParquetFooter(path);
      arrowSchema = embeddedArrowSchema(footer) ?? (await wasmArrowSchema(path));
    } catch (e) {
      if (isEngineError(e)) throw e;
      if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') throw notFound(path);
      throw invalid(path, e);
    }
    const fields = fieldsFromArrowSchema(arrowSchema);
    const byName = new Map(fields.map((f, i) => [f.name, { field: f, at: arrowSchema.fields[i].type as arrow.DataType }]));
    const schemaColumns = new Map(footer.columns.map((c) => [c.name, c]));
    const fastPlans = new Map<string, FastPlan | null>();
    for (const [name, f] of byName) fastPlans.set(name, fastPlanOf(schemaColumns.get(name), f.at, f.field.type));
    const rowGroups: RowGroupEntry[] = footer.rowGroups.map((rg) => {
      const stats = new Map<string, ColumnStats>();
      const bytes = new Map<string, number>();
      const chunks = new Map<string, ChunkInfo>();
      for (const c of rg.columns) {
        bytes.set(c.name, (bytes.get(c.name) ?? 0) + c.compressedSize);
        chunks.set(c.name, c);
        const f = byName.get(c.name);
        if (!f) continue;
        let min: number | string | boolean | undefined;
        let max: number | string | boolean | undefined;
        if (c.min !== undefined && c.max !== undefined) {
          min = statValue(c.min, c, f.field.type, f.at);
          max = statValue(c.max, c, f.field.type, f.at);
          if (min === undefined || max === undefined) min = max = undefined;
        }
        const s: { min?: number | string | boolean; max?: number | string | boolean; nullCount?: number } = {};
        if (min !== undefined) {
          s.min = min;
          s.max = max;
        }
        if (c.nullCount !== undefined) s.nullCount = c.nullCount;
        stats.set(c.name, s);
      }
      return { numRows: rg.numRows, stats, bytes, chunks };
    });
    return new ParquetTable(path, fields, footer, rowGroups, fastPlans);
  }

  /** The fields of these columns, in this order. */
  private fieldsOf(columns: readonly string[]): Field[] {
    return columns.map((c) => {
      const f = this.schema.find((x) => x.name === c);
      if (f === undefined) throw new EngineError('undefined_column', `column "${c}" does not exist`);
      return f;
    });
  }

  /** Plans of parquet-pages.ts for these columns over these row groups, or null when parquet-wasm must read them. */
  private pagePlans(columns: readonly string[], groups: readonly number[]): FastPlan[] | null {
    if (decoderSetting === 'wasm' || columns.length === 0) return null;
    const plans: FastPlan[] = [];
    for (const c of columns) {
      const p = this.fastPlans.get(c);
      if (!p) return null;
      plans.push(p);
    }
    for (const g of groups) {
      const rg = this.rowGroups[g];
      for (const c of columns) {
        const chunk = rg.chunks.get(c);
        if (chunk === undefined || !chunkSupported(chunk) || chunk.numValues !== rg.numRows) return null;
      }
    }
    return plans;
  }

  scanDetail(columns: readonly string[]): string | undefined {
    if (columns.length === 0) return undefined;
    const all = this.rowGroups.map((_, i) => i);
    return `decoder=${this.pagePlans(columns, all) === null ? 'parquet-wasm' : 'pages'}`;
  }

  statistics(): { numRows: number; bytes: number } {
    return { numRows: this.footer.numRows, bytes: this.footer.fileSize };
  }

  /** From the row groups' statistics; unknown when a non-empty group has none for the column. */
  columnRange(name: string): NumericRange | undefined {
    let min = Infinity;
    let max = -Infinity;
    for (const rg of this.rowGroups) {
      if (rg.numRows === 0) continue;
      const s = rg.stats.get(name);
      if (s === undefined) return undefined;
      if (s.nullCount === rg.numRows) continue;
      if (typeof s.min !== 'number' || typeof s.max !== 'number') return undefined;
      if (s.min < min) min = s.min;
      if (s.max > max) max = s.max;
    }
    return min <= max ? { min, max } : undefined;
  }

  summary(): ParquetSummary {
    return {
      path: this.location,
      numRows: this.footer.numRows,
      numRowGroups: this.rowGroups.length,
      numColumns: this.schema.length,
      columns: this.schema.map((f) => f.name),
      fileBytes: this.footer.fileSize,
      createdBy: this.footer.createdBy,
    };
  }

  /** Indexes of the row groups a scan with this predicate reads. */
  selectRowGroups(keep?: ScanOptions['keepRowGroup']): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.rowGroups.length; i++) {
      const rg = this.rowGroups[i];
      if (rg.numRows === 0) continue;
      if (keep && !keep(rg.stats, rg.numRows)) continue;
      out.push(i);
    }
    return out;
  }

  async *scan(options: ScanOptions): AsyncGenerator<Batch> {
    const fields = this.fieldsOf(options.columns);
    const groups = this.selectRowGroups(options.keepRowGroup).filter((g) => inPartition(g, options.partition));
    const signal = options.signal;
    if (groups.length === 0) return;

    if (fields.length === 0) {
      // count(*)-style scans: row counts come from the footer, nothing is decoded
      const max = Math.max(1, options.batchSize ?? PARQUET_READ_BATCH_ROWS);
      for (const g of groups) {
        for (let left = this.rowGroups[g].numRows; left > 0; left -= max) {
          if (signal?.aborted) throw scanCancelled();
          const n = Math.min(max, left);
          options.onRead?.(n, 0);
          yield { schema: [], columns: [], numRows: n };
        }
      }
      return;
    }

    let totalRows = 0;
    let totalBytes = 0;
    for (const g of groups) {
      const rg = this.rowGroups[g];
      totalRows += rg.numRows;
      for (const f of fields) totalBytes += rg.bytes.get(f.name) ?? 0;
    }
    const bytesPerRow = totalRows > 0 ? totalBytes / totalRows : 0;
    const batchSize = Math.max(PARQUET_READ_BATCH_ROWS, options.batchSize ?? 0);
    const wanted = fields.map((f) => f.name);
    if (this.pagePlans(wanted, groups) !== null) {
      let stream: AsyncGenerator<{ batch: Batch; bytes: number }> | null = null;
      if (options.partition === undefined && isMainThread && totalRows >= remoteDecodeMinRows) {
        const { decodeInWorkers } = await import('../parallel/pool.js');
        const workers = options.consumerWaits === true ? Math.max(remoteDecodeWorkers, remoteDecodeAllWorkers) : remoteDecodeWorkers;
        stream = await decodeInWorkers(this.location, fs.statSync(this.location).mtimeMs, wanted, groups, fields, workers);
        if (stream !== null) remoteDecodeScans++;
      }
      stream ??= this.decodeRowGroups(wanted, groups, signal);
      for await (const { batch, bytes } of stream) {
        if (signal?.aborted) throw scanCancelled();
        options.onRead?.(batch.numRows, bytes);
        if (batch.numRows <= batchSize) {
          yield batch;
          continue;
        }
        for (let s = 0; s < batch.numRows; s += batchSize) {
          const e = Math.min(batch.numRows, s + batchSize);
          yield sliceBatch(batch, s, e - s);
        }
      }
      return;
    }
    const scan = decodePool().open(this.location, wanted, groups.length === this.rowGroups.length ? null : groups, batchSize);
    let arrowFields: Field[] | null = null;
    try {
      for (;;) {
        if (signal?.aborted) throw scanCancelled();
        const ipc = await scan.next();
        if (ipc === null) break;
        const table = arrow.tableFromIPC(ipc);
        if (arrowFields === null) arrowFields = fieldsFromArrowSchema(table.schema);
        for (const rb of table.batches) {
          if (rb.numRows === 0) continue;
          const b = batchFromArrow(rb, arrowFields, wanted);
          options.onRead?.(b.numRows, Math.round(b.numRows * bytesPerRow));
          yield { schema: fields, columns: b.columns, numRows: b.numRows };
        }
      }
    } finally {
      scan.close();
    }
  }

  /**
   * Whole row groups decoded in this thread by parquet-pages.ts: one positioned read per column
   * chunk (the next group's reads are in flight while this one decodes). Under parallel execution
   * every partition's worker decodes its own row groups this way.
   */
  async *decodeRowGroups(columns: readonly string[], groups: readonly number[], signal?: AbortSignal): AsyncGenerator<{ batch: Batch; bytes: number }> {
    const path = this.location;
    const fields = this.fieldsOf(columns);
    const plans = this.pagePlans(columns, groups);
    if (plans === null) throw new EngineError('feature_not_supported', `the columns [${columns.join(', ')}] of "${path}" need parquet-wasm`);
    if (groups.length === 0) return;
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') throw notFound(path);
      throw new EngineError('io_error', `file "${path}" cannot be read: ${reasonOf(e)}`);
    }
    // two sets of read buffers, one per column each: the group being decoded and the next one's reads
    const buffers: Uint8Array[][] = [fields.map(() => new Uint8Array(0)), fields.map(() => new Uint8Array(0))];
    const read = (g: number, set: Uint8Array[]): Promise<Uint8Array[]> => {
      const rg = this.rowGroups[g];
      return Promise.all(
        fields.map(async (f, i) => {
          const c = rg.chunks.get(f.name)!;
          if (set[i].length < c.compressedSize) set[i] = new Uint8Array(Math.ceil(c.compressedSize * 1.25));
          const buf = set[i].subarray(0, c.compressedSize);
          const { bytesRead } = await fh.read(buf, 0, c.compressedSize, c.offset);
          if (bytesRead !== c.compressedSize) throw invalid(path, `column "${f.name}" of row group ${g} runs past the end of the file`);
          return buf;
        }),
      );
    };
    let next: Promise<Uint8Array[]> | null = read(groups[0], buffers[0]);
    try {
      for (let k = 0; k < groups.length; k++) {
        if (signal?.aborted) throw scanCancelled();
        const g = groups[k];
        const rg = this.rowGroups[g];
        const chunks: Uint8Array[] = await next!;
        next = k + 1 < groups.length ? read(groups[k + 1], buffers[(k + 1) & 1]) : null;
        next?.catch(() => {}); // awaited (and thrown) on the next iteration; not if the consumer stops first
        const columns: Column[] = [];
        let bytes = 0;
        for (let i = 0; i < fields.length; i++) {
          const c = rg.chunks.get(fields[i].name)!;
          bytes += c.compressedSize;
          try {
            columns.push(decodeChunk(chunks[i], c.codec, rg.numRows, plans[i], fields[i].type));
          } catch (e) {
            throw invalid(path, `column "${fields[i].name}" of row group ${g}: ${reasonOf(e)}`);
          }
        }
        yield { batch: { schema: fields, columns, numRows: rg.numRows }, bytes };
      }
    } finally {
      await fh.close();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding thread
// ---------------------------------------------------------------------------------------------

/** Record batches requested ahead of the consumer (decode overlaps execution). */
const PREFETCH = 4;

type WorkerReply = { id: number; kind: 'batch'; ipc: Uint8Array } | { id: number; kind: 'done' } | { id: number; kind: 'error'; message: string };

interface ScanHandle {
  /** Next record batch as an Arrow IPC stream, or null at the end. Throws EngineError('invalid_file'). */
  next(): Promise<Uint8Array | null>;
  close(): void;
}

/**
 * One shared worker thread running parquet-wasm (parquet-worker.mjs); scans are multiplexed by id.
 * A worker that dies (a wasm trap on corrupt data) fails its open scans and is replaced on next use.
 */
class DecodePool {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly scans = new Map<number, { path: string; push(r: WorkerReply | Error): void }>();

  private ensure(): Worker {
    if (this.worker !== null) return this.worker;
    const w = new Worker(new URL('./parquet-worker.mjs', import.meta.url));
    w.unref();
    w.on('message', (m: WorkerReply) => this.scans.get(m.id)?.push(m));
    const fail = (e: unknown) => {
      if (this.worker === w) this.worker = null;
      const err = e instanceof Error ? e : new Error(String(e));
      for (const s of this.scans.values()) s.push(err);
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`decoder exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  open(path: string, columns: string[], rowGroups: number[] | null, batchSize: number): ScanHandle {
    const w = this.ensure();
    const id = this.nextId++;
    const queue = new WaitQueue<WorkerReply | Error>();
    let finished = false;
    this.scans.set(id, { path, push: (r) => queue.push(r) });
    w.postMessage({ op: 'open', id, path, columns, rowGroups, batchSize });
    for (let i = 0; i < PREFETCH; i++) w.postMessage({ op: 'next', id });
    const pool = this;
    return {
      async next(): Promise<Uint8Array | null> {
        if (finished) return null;
        const r = await queue.take();
        if (r instanceof Error) {
          finished = true;
          pool.scans.delete(id);
          throw invalid(path, r);
        }
        if (r.kind === 'batch') {
          if (pool.worker === w) w.postMessage({ op: 'next', id });
          return r.ipc;
        }
        finished = true;
        pool.scans.delete(id);
        if (r.kind === 'error') throw invalid(path, r.message);
        return null;
      },
      close(): void {
        if (pool.scans.delete(id) && pool.worker === w) w.postMessage({ op: 'close', id });
        finished = true;
      },
    };
  }
}

let pool: DecodePool | null = null;
const decodePool = (): DecodePool => (pool ??= new DecodePool());

/** Row groups, rows and columns of a Parquet file (for EXPLAIN). */
export async function parquetMetadataSummary(path: string): Promise<ParquetSummary> {
  if (!fs.existsSync(path)) throw notFound(path);
  let footer: FooterInfo;
  try {
    footer = await readParquetFooter(path);
  } catch (e) {
    throw invalid(path, e);
  }
  const columns: string[] = [];
  for (const c of footer.rowGroups[0]?.columns ?? []) if (!columns.includes(c.name)) columns.push(c.name);
  return {
    path,
    numRows: footer.numRows,
    numRowGroups: footer.rowGroups.length,
    numColumns: columns.length,
    columns,
    fileBytes: footer.fileSize,
    createdBy: footer.createdBy,
  };
}

// ---------------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------------

export interface ParquetWriteOptions {
  readonly compression?: 'snappy' | 'zstd' | 'none';
  /** Maximum rows per row group (default 122880, DuckDB's). */
  readonly rowGroupSize?: number;
}

function writerProperties(options: ParquetWriteOptions) {
  const codec =
    options.compression === 'zstd' ? Compression.ZSTD : options.compression === 'none' ? Compression.UNCOMPRESSED : Compression.SNAPPY;
  return new WriterPropertiesBuilder()
    .setCompression(codec)
    .setMaxRowGroupSize(options.rowGroupSize ?? 122_880)
    .setCreatedBy('phaselab')
    .build();
}

function toWasmBatch(batch: Batch, schema: arrow.Schema): WasmRecordBatch {
  const rb = batchToArrow(batch, schema);
  const ipc = arrow.tableToIPC(new arrow.Table([rb]), 'stream');
  const t = WasmTable.fromIPCStream(ipc);
  const wb = t.recordBatch(0);
  if (!wb) throw new Error('parquet-wasm returned no record batch');
  return wb;
}

async function* asAsync(batches: Iterable<Batch> | AsyncIterable<Batch>): AsyncGenerator<Batch> {
  yield* batches as AsyncIterable<Batch>;
}

/**
 * Writes batches to a Parquet file. Row groups are streamed: parquet-wasm's transformParquetStream
 * pulls one record batch at a time and emits encoded bytes, which are appended to the file.
 */
export async function writeParquet(
  path: string,
  fields: readonly Field[],
  batches: Iterable<Batch> | AsyncIterable<Batch>,
  options: ParquetWriteOptions = {},
): Promise<void> {
  const schema = arrowSchemaOf(fields);
  const iter = asAsync(batches)[Symbol.asyncIterator]();
  // first non-empty batch (an empty input still writes a valid file with the schema)
  let first: Batch | undefined;
  for (;;) {
    const r = await iter.next();
    if (r.done) break;
    if (r.value.numRows > 0) {
      first = r.value;
      break;
    }
  }
  if (first === undefined) {
    const ipc = arrow.tableToIPC(new arrow.Table(schema), 'stream');
    const bytes = wasmWriteParquet(WasmTable.fromIPCStream(ipc), writerProperties(options));
    await fs.promises.writeFile(path, bytes);
    return;
  }
  let pending: Batch | undefined = first;
  const input = new ReadableStream<WasmRecordBatch>({
    async pull(controller) {
      try {
        let b = pending;
        pending = undefined;
        while (b === undefined) {
          const r = await iter.next();
          if (r.done) {
            controller.close();
            return;
          }
          if (r.value.numRows > 0) b = r.value;
        }
        controller.enqueue(toWasmBatch(b, schema));
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await iter.return?.(undefined);
    },
  });
  const output = (await transformParquetStream(input, writerProperties(options))) as ReadableStream<Uint8Array>;
  const fh = await fs.promises.open(path, 'w');
  try {
    const reader = output.getReader();
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      await fh.write(r.value);
    }
  } finally {
    await fh.close();
  }
}
