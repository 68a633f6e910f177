/**
 * Arrow IPC (file or stream format, e.g. .arrow / .feather v2 / .ipc) source and file writer.
 */
import fs from 'node:fs';
import * as arrow from 'apache-arrow';
import { inPartition, type ScanOptions, type TableSource } from '../catalog.js';
import { EngineError, isEngineError, scanCancelled } from '../errors.js';
import type { Batch, Field } from '../types/batch.js';
import type { Column } from '../types/column.js';
import { arrowSchemaOf, batchFromArrow, batchToArrow, fieldsFromArrowSchema } from './arrow-convert.js';

function invalid(path: string, e: unknown): EngineError {
  return new EngineError('invalid_file', `file "${path}" is not valid Arrow IPC: ${e instanceof Error ? e.message : String(e)}`);
}

async function openReader(path: string): Promise<{ reader: arrow.AsyncRecordBatchFileReader | arrow.AsyncRecordBatchStreamReader; fh: fs.promises.FileHandle }> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') throw new EngineError('io_error', `file "${path}" does not exist`);
    throw new EngineError('io_error', `could not open file "${path}": ${(e as Error).message}`);
  }
  try {
    const reader = (await arrow.RecordBatchReader.from(fh)) as arrow.AsyncRecordBatchFileReader | arrow.AsyncRecordBatchStreamReader;
    await reader.open();
    if (!reader.schema) throw new Error('no schema');
    return { reader, fh };
  } catch (e) {
    await fh.close().catch(() => {});
    throw invalid(path, e);
  }
}

export class ArrowFileTable implements TableSource {
  readonly kind = 'arrow' as const;
  readonly location: string;
  readonly schema: readonly Field[];
  private readonly fileBytes: number;
  private readonly rows?: number;

  private constructor(path: string, schema: Field[], bytes: number, rows?: number) {
    this.location = path;
    this.schema = schema;
    this.fileBytes = bytes;
    this.rows = rows;
  }

  static async open(path: string): Promise<ArrowFileTable> {
    const { reader, fh } = await openReader(path);
    try {
      const fields = fieldsFromArrowSchema(reader.schema);
      const { size } = await fh.stat();
      return new ArrowFileTable(path, fields, size);
    } finally {
      await reader.cancel().catch(() => {});
      await fh.close().catch(() => {});
    }
  }

  statistics(): { numRows?: number; bytes: number } {
    return this.rows === undefined ? { bytes: this.fileBytes } : { numRows: this.rows, bytes: this.fileBytes };
  }

  async *scan(options: ScanOptions): AsyncGenerator<Batch> {
    const names = this.schema.map((f) => f.name);
    const fields = options.columns.map((c) => {
      const i = names.indexOf(c);
      if (i < 0) throw new EngineError('undefined_column', `column "${c}" does not exist`);
      return this.schema[i];
    });
    const { reader, fh } = await openReader(this.location);
    let batchIndex = 0;
    try {
      for (;;) {
        if (options.signal?.aborted) throw scanCancelled();
        let r: IteratorResult<arrow.RecordBatch>;
        try {
          r = await reader.next();
        } catch (e) {
          throw isEngineError(e) ? e : invalid(this.location, e);
        }
        if (r.done) break;
        const rb = r.value;
        if (!inPartition(batchIndex++, options.partition)) continue;
        if (rb.numRows === 0) continue;
        const b = batchFromArrow(rb, this.schema, options.columns);
        let bytes = 0;
        for (const c of b.columns) bytes += c.values.byteLength;
        options.onRead?.(rb.numRows, bytes);
        yield { schema: fields, columns: b.columns, numRows: b.numRows };
      }
    } finally {
      await reader.cancel().catch(() => {});
      await fh.close().catch(() => {});
    }
  }
}

/**
 * Per utf8 column, one growing dictionary for the whole file (the IPC file format forbids
 * replacement dictionaries): each batch's codes are remapped, new strings go out as a delta.
 */
class DictionaryUnifier {
  private readonly index = new Map<string, number>();
  private chunks: arrow.Data<arrow.Utf8>[] = [];
  private size = 0;
  vector: arrow.Vector<arrow.Utf8> = arrow.vectorFromArray([], new arrow.Utf8());

  remap(c: Column): Column {
    const dict = c.dict ?? [];
    const map = new Int32Array(dict.length);
    const added: string[] = [];
    for (let j = 0; j < dict.length; j++) {
      const s = dict[j];
      let code = this.index.get(s);
      if (code === undefined) {
        code = this.size++;
        this.index.set(s, code);
        added.push(s);
      }
      map[j] = code;
    }
    if (added.length > 0 || this.chunks.length === 0) {
      this.chunks.push(arrow.vectorFromArray(added, new arrow.Utf8()).data[0]);
      this.vector = new arrow.Vector(this.chunks);
    }
    const src = c.values as Int32Array;
    const out = new Int32Array(c.length);
    const v = c.validity;
    for (let i = 0; i < c.length; i++) out[i] = v !== null && v[i] === 0 ? 0 : map[src[i]];
    return { type: c.type, length: c.length, values: out, validity: v };
  }
}

/** Writes batches to an Arrow IPC file (file format, utf8 as Dictionary<Utf8, Int32> with delta dictionaries). */
export async function writeArrowIpc(
  path: string,
  fields: readonly Field[],
  batches: Iterable<Batch> | AsyncIterable<Batch>,
): Promise<void> {
  const schema = arrowSchemaOf(fields);
  const unifiers = fields.map((f) => (f.type.kind === 'utf8' ? new DictionaryUnifier() : null));
  const writer = new arrow.RecordBatchFileWriter();
  const out = fs.createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', () => resolve());
    out.on('error', reject);
  });
  const piped = writer.toNodeStream();
  piped.pipe(out);
  writer.reset(undefined, schema);
  let wrote = false;
  for await (const b of batches as AsyncIterable<Batch>) {
    if (b.numRows === 0) continue;
    const rb = batchToArrow(b, schema);
    // replace each utf8 column's Data with the unified codes and the shared, growing dictionary
    const children = rb.data.children.map((d, i) => {
      const u = unifiers[i];
      if (u === null) return d;
      const col = u.remap(b.columns[i]);
      return arrow.makeData({
        type: d.type as arrow.Dictionary<arrow.Utf8, arrow.Int32>,
        length: d.length,
        nullCount: d.nullCount,
        nullBitmap: d.nullBitmap,
        data: col.values as Int32Array,
        dictionary: u.vector,
      });
    });
    const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length: b.numRows, nullCount: 0, children });
    writer.write(new arrow.RecordBatch(schema, data));
    wrote = true;
  }
  if (!wrote) {
    // an empty file still carries the schema (and empty dictionaries for utf8 columns)
    writer.write(new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: 0, nullCount: 0, children: fields.map((f, i) => {
      const t = schema.fields[i].type;
      if (f.type.kind === 'utf8') return arrow.makeData({ type: t as arrow.Dictionary<arrow.Utf8, arrow.Int32>, length: 0, nullCount: 0, data: new Int32Array(0), dictionary: unifiers[i]!.vector });
      return arrow.makeData({ type: t, length: 0, nullCount: 0 } as never);
    }) })));
  }
  writer.finish();
  await done;
}
