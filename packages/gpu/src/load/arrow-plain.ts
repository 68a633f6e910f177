/**
 * Arrow IPC files for Arrow_fdw. The engine's writer (writeTable) stores strings as
 * Dictionary<Utf8, Int32>, and Arrow_fdw refuses any file with a DictionaryBatch ("DictionaryBatch is
 * not supported", PG-Strom arrow_fdw.c). So this writer takes the engine's Arrow conversion
 * (batchToArrow) for every other type and writes strings as plain Utf8.
 */
import fs from 'node:fs';
import * as arrow from 'apache-arrow';
import { batchToArrow, type Batch, type Column, type Field } from '@phaselab/engine';

const encoder = new TextEncoder();

function bitmap(validity: Uint8Array, n: number): { bits: Uint8Array; nulls: number } {
  const bits = new Uint8Array(((n + 63) >> 6) << 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (validity[i]) bits[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  return { bits, nulls };
}

/** A dictionary-encoded engine utf8 column as plain Arrow Utf8 data (each distinct string encoded once). */
export function plainUtf8Data(col: Column, n: number): arrow.Data<arrow.Utf8> {
  const dict = col.dict ?? [];
  const encoded = dict.map((s) => encoder.encode(s));
  const codes = col.values as Int32Array;
  const valid = col.validity;
  const offsets = new Int32Array(n + 1);
  let size = 0;
  for (let i = 0; i < n; i++) {
    if (valid === null || valid[i]) size += encoded[codes[i]].length;
    offsets[i + 1] = size;
  }
  const bytes = new Uint8Array(size);
  for (let i = 0; i < n; i++) if (offsets[i + 1] > offsets[i]) bytes.set(encoded[codes[i]], offsets[i]);
  const nb = valid ? bitmap(valid, n) : null;
  return arrow.makeData({ type: new arrow.Utf8(), length: n, nullCount: nb?.nulls ?? 0, nullBitmap: nb?.bits, valueOffsets: offsets, data: bytes });
}

export function plainSchema(fields: readonly Field[]): arrow.Schema {
  const probe = batchToArrow({ schema: fields, columns: fields.map((f) => emptyColumn(f)), numRows: 0 });
  return new arrow.Schema(probe.schema.fields.map((f) => (arrow.DataType.isDictionary(f.type) ? new arrow.Field(f.name, new arrow.Utf8(), f.nullable) : f)));
}

function emptyColumn(f: Field): Column {
  const k = f.type.kind;
  const values = k === 'bool' || k === 'null' ? new Uint8Array(0) : k === 'int32' || k === 'date' || k === 'utf8' ? new Int32Array(0) : new Float64Array(0);
  return k === 'utf8' ? { type: f.type, length: 0, values, validity: null, dict: [] } : { type: f.type, length: 0, values, validity: null };
}

export function plainRecordBatch(batch: Batch, schema: arrow.Schema): arrow.RecordBatch {
  const rb = batchToArrow(batch);
  const children = rb.data.children.map((d, i) => (batch.schema[i].type.kind === 'utf8' ? plainUtf8Data(batch.columns[i], batch.numRows) : d));
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: batch.numRows, nullCount: 0, children }));
}

/** Writes batches to an Arrow IPC file with no dictionaries; returns the rows written. */
export async function writePlainArrow(path: string, fields: readonly Field[], batches: AsyncIterable<Batch>): Promise<number> {
  const schema = plainSchema(fields);
  const writer = new arrow.RecordBatchFileWriter();
  const out = fs.createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', () => resolve());
    out.on('error', reject);
  });
  writer.toNodeStream().pipe(out);
  writer.reset(undefined, schema);
  let rows = 0;
  for await (const b of batches) {
    if (b.numRows === 0) continue;
    writer.write(plainRecordBatch(b, schema));
    rows += b.numRows;
  }
  if (rows === 0) writer.write(new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: 0, nullCount: 0, children: schema.fields.map((f) => arrow.makeData({ type: f.type, length: 0, nullCount: 0 } as never)) })));
  writer.finish();
  await done;
  return rows;
}
