/**
 * The JavaScript page decoder (parquet-pages.ts) against the data that was written and against
 * parquet-wasm reading the same files: page versions, dictionary on/off and its fallback to
 * PLAIN mid-chunk, many pages per chunk, NULLs, REQUIRED columns, every engine type, files from
 * DuckDB; the fallback to parquet-wasm outside the subset; corrupt pages named with their file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, WriterVersion, writeParquet as wasmWriteParquet } from 'parquet-wasm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tableToArrow } from '../../src/io/arrow-convert.js';
import { ParquetTable, remoteDecodeScans, setParquetDecoder, setRemoteDecode } from '../../src/io/parquet.js';
import { CompactReader, PHYS } from '../../src/io/parquet-footer.js';
import { decodeBits, decodeChunk, decodeHybrid, type FastPlan } from '../../src/io/parquet-pages.js';
import type { Batch, Field } from '../../src/types/batch.js';
import type { Column } from '../../src/types/column.js';
import { BOOL, DATE, FLOAT64, INT32, INT64, TIMESTAMP, UTF8, decimal } from '../../src/types/data-type.js';
import { rng, rowsOf } from './helpers.js';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phaselab-pages-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(() => setParquetDecoder('auto'));

const FIELDS: Field[] = [
  { name: 'i32', type: INT32, nullable: true },
  { name: 'i64', type: INT64, nullable: false },
  { name: 'f64', type: FLOAT64, nullable: true },
  { name: 'dec', type: decimal(15, 2), nullable: true },
  { name: 's_low', type: UTF8, nullable: true },
  { name: 's_high', type: UTF8, nullable: true },
  { name: 'b', type: BOOL, nullable: true },
  { name: 'd', type: DATE, nullable: true },
  { name: 'ts', type: TIMESTAMP, nullable: true },
  { name: 'all_null', type: INT64, nullable: true },
];

/** n rows of every type: about 1 in 8 NULL (none in the REQUIRED i64), one all-NULL column. */
function sourceBatch(n: number, seed = 7): Batch {
  const r = rng(seed);
  const valid = () => {
    const v = new Uint8Array(n);
    for (let i = 0; i < n; i++) v[i] = r() < 0.125 ? 0 : 1;
    return v;
  };
  const low = ['north', 'südost', '東京', '', 'west', 'x'.repeat(40), 'e'];
  const high = Array.from({ length: n }, (_, i) => `id-${i}-${Math.floor(r() * 1e9)}`);
  const f64 = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : i % 89 === 0 ? -Infinity : (r() - 0.5) * 1e12));
  const cols: Column[] = [
    { type: INT32, length: n, values: Int32Array.from({ length: n }, () => Math.floor((r() - 0.5) * 4294967295)), validity: valid() },
    { type: INT64, length: n, values: Float64Array.from({ length: n }, () => Math.floor((r() - 0.5) * 2 ** 53)), validity: null },
    { type: FLOAT64, length: n, values: f64, validity: valid() },
    { type: decimal(15, 2), length: n, values: Float64Array.from({ length: n }, () => Math.floor((r() - 0.5) * 1e15)), validity: valid() },
    { type: UTF8, length: n, values: Int32Array.from({ length: n }, () => Math.floor(r() * low.length)), validity: valid(), dict: low },
    { type: UTF8, length: n, values: Int32Array.from({ length: n }, (_, i) => i), validity: valid(), dict: high },
    { type: BOOL, length: n, values: Uint8Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0)), validity: valid() },
    { type: DATE, length: n, values: Int32Array.from({ length: n }, () => 18000 + Math.floor(r() * 400)), validity: valid() },
    { type: TIMESTAMP, length: n, values: Float64Array.from({ length: n }, () => 1_600_000_000_000_000 + Math.floor(r() * 1e13)), validity: valid() },
    { type: INT64, length: n, values: new Float64Array(n), validity: new Uint8Array(n) },
  ];
  return { schema: FIELDS, columns: cols, numRows: n };
}

interface Variant {
  readonly name: string;
  readonly version: WriterVersion;
  readonly dictionary: boolean;
  readonly compression: Compression;
  /** Small limits: many data pages per chunk, and the dictionary of s_high falls back to PLAIN mid-chunk. */
  readonly smallPages: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'v1 dictionary snappy', version: WriterVersion.V1, dictionary: true, compression: Compression.SNAPPY, smallPages: false },
  { name: 'v1 dictionary snappy, small pages', version: WriterVersion.V1, dictionary: true, compression: Compression.SNAPPY, smallPages: true },
  { name: 'v1 plain uncompressed', version: WriterVersion.V1, dictionary: false, compression: Compression.UNCOMPRESSED, smallPages: false },
  { name: 'v2 dictionary snappy, small pages', version: WriterVersion.V2, dictionary: true, compression: Compression.SNAPPY, smallPages: true },
  { name: 'v2 plain snappy', version: WriterVersion.V2, dictionary: false, compression: Compression.SNAPPY, smallPages: false },
  { name: 'v2 dictionary uncompressed', version: WriterVersion.V2, dictionary: true, compression: Compression.UNCOMPRESSED, smallPages: false },
];

function writeVariant(file: string, batch: Batch, v: Variant, rowGroupSize = 1500): void {
  let props = new WriterPropertiesBuilder()
    .setWriterVersion(v.version)
    .setDictionaryEnabled(v.dictionary)
    .setCompression(v.compression)
    .setMaxRowGroupSize(rowGroupSize);
  if (v.smallPages) props = props.setDataPageSizeLimit(512).setDictionaryPageSizeLimit(2048).setWriteBatchSize(64);
  const ipc = arrow.tableToIPC(tableToArrow(batch.schema, [batch]), 'stream');
  fs.writeFileSync(file, wasmWriteParquet(WasmTable.fromIPCStream(ipc), props.build()));
}

async function readAll(t: ParquetTable, columns: string[]): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of t.scan({ columns })) out.push(b);
  return out;
}

const names = FIELDS.map((f) => f.name);

describe('parquet-pages decoder', () => {
  for (const v of VARIANTS) {
    it(`reads what was written (${v.name}) and agrees with parquet-wasm`, async () => {
      const src = sourceBatch(4000);
      const file = path.join(dir, `${v.name.replace(/[^a-z0-9]+/g, '_')}.parquet`);
      writeVariant(file, src, v);
      const t = await ParquetTable.open(file);
      expect(t.rowGroups.length).toBe(3);
      // v2 writers fall back to DELTA_* encodings (outside the subset) where v1 ones write PLAIN
      const viaPages = names.filter((c) => t.scanDetail([c]) === 'decoder=pages');
      if (v.version === WriterVersion.V1) expect(viaPages).toEqual(names);
      else expect(viaPages).toEqual(expect.arrayContaining(['f64', 'b']));
      expect(t.scanDetail(names)).toBe(viaPages.length === names.length ? 'decoder=pages' : 'decoder=parquet-wasm');
      const expected = rowsOf([src]);
      for (const [i, c] of names.entries()) {
        const got = await readAll(t, [c]);
        expect(got.map((b) => b.numRows), c).toEqual([1500, 1500, 1000]);
        expect(rowsOf(got), c).toEqual(expected.map((row) => [row[i]]));
      }
      const all = await readAll(t, names);
      expect(rowsOf(all)).toEqual(expected);
      setParquetDecoder('wasm');
      expect(t.scanDetail(names)).toBe('decoder=parquet-wasm');
      expect(rowsOf(await readAll(t, names))).toEqual(expected);
      setParquetDecoder('auto');
      // a REQUIRED column has no validity; an all-NULL one is all 0
      const [i64] = await readAll(t, ['i64']);
      expect(i64.columns[0].validity).toBeNull();
      const [allNull] = await readAll(t, ['all_null']);
      expect(allNull.columns[0].validity?.every((x) => x === 0)).toBe(true);
    });
  }

  it('knows numeric column ranges from the row groups\' statistics', async () => {
    const src = sourceBatch(5000, 3);
    const file = path.join(dir, 'ranges.parquet');
    writeVariant(file, src, VARIANTS[0]);
    const t = await ParquetTable.open(file);
    expect(t.rowGroups.length).toBeGreaterThan(1);
    const b = src;
    for (const name of ['i32', 'i64', 'f64']) {
      const c = b.columns[FIELDS.findIndex((f) => f.name === name)];
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < b.numRows; i++) {
        const x = c.values[i] as number;
        if ((c.validity !== null && c.validity[i] === 0) || Number.isNaN(x)) continue; // writers leave NaN out of min/max
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      expect(t.columnRange(name)).toEqual({ min, max });
    }
    expect(t.columnRange('all_null')).toBeUndefined();
    expect(t.columnRange('s_low')).toBeUndefined();
  });

  it('reads a projection in the order asked, and row groups larger than a batch in slices', async () => {
    const src = sourceBatch(140_000, 11);
    const one: Batch = { schema: [FIELDS[4], FIELDS[1]], columns: [src.columns[4], src.columns[1]], numRows: src.numRows };
    const file = path.join(dir, 'big-group.parquet');
    writeVariant(file, one, VARIANTS[0], 1_000_000);
    const t = await ParquetTable.open(file);
    expect(t.rowGroups.length).toBe(1);
    const batches = await readAll(t, ['i64', 's_low']);
    expect(batches.map((b) => b.numRows)).toEqual([131072, 140_000 - 131072]);
    const want = rowsOf([one]).map(([s, i]) => [i, s]);
    expect(rowsOf(batches)).toEqual(want);
  });

  it('reads DuckDB files (no ARROW:schema, its own page layout) and leaves DELTA encodings and nanoseconds to parquet-wasm', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const v1 = path.join(dir, 'duck-v1.parquet');
    const v2 = path.join(dir, 'duck-v2.parquet');
    const query = `SELECT i::BIGINT AS id,
             CASE WHEN i % 10 = 0 THEN NULL ELSE 'cat_' || (i % 7) END AS category,
             'name_' || (i * 7919 % 100003) AS name,
             (i * 1.25 - 500)::DECIMAL(15,2) AS amount,
             DATE '2023-01-01' + (i // 100)::INT AS d,
             (TIMESTAMP '2023-01-01' + INTERVAL (i) SECOND)::TIMESTAMP_MS AS ts_ms,
             CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
             (i / 8)::DOUBLE AS f,
             (i % 5)::INTEGER AS small
      FROM range(20000) t(i)`;
    await con.run(`COPY (${query}) TO '${v1}' (FORMAT PARQUET, ROW_GROUP_SIZE 8192)`);
    await con.run(`COPY (${query}) TO '${v2}' (FORMAT PARQUET, ROW_GROUP_SIZE 8192, PARQUET_VERSION V2)`);
    const ns = path.join(dir, 'duck-ns.parquet');
    await con.run(`COPY (SELECT (TIMESTAMP '2023-01-01' + INTERVAL (i) SECOND)::TIMESTAMP_NS AS t FROM range(100) r(i)) TO '${ns}' (FORMAT PARQUET)`);
    con.closeSync?.();

    const t1 = await ParquetTable.open(v1);
    const cols = t1.schema.map((f) => f.name);
    expect(t1.scanDetail(cols)).toBe('decoder=pages');
    const viaPages = rowsOf(await readAll(t1, cols));
    setParquetDecoder('wasm');
    const viaWasm = rowsOf(await readAll(t1, cols));
    setParquetDecoder('auto');
    expect(viaPages.length).toBe(20000);
    expect(viaPages).toEqual(viaWasm);
    expect(viaPages[1]).toEqual([1, 'cat_1', 'name_7919', -49875, 19358, 1672531201000000, false, 0.125, 1]);
    expect(viaPages[3][6]).toBeNull();

    // V2 files use DELTA_BINARY_PACKED / DELTA_LENGTH_BYTE_ARRAY for some columns: those go to parquet-wasm
    const t2 = await ParquetTable.open(v2);
    expect(t2.scanDetail(cols)).toBe('decoder=parquet-wasm');
    expect(rowsOf(await readAll(t2, cols))).toEqual(viaWasm);

    const t3 = await ParquetTable.open(ns);
    expect(t3.scanDetail(['t'])).toBe('decoder=parquet-wasm');
    expect(rowsOf(await readAll(t3, ['t']))[1]).toEqual([1672531201000000]);
  });

  it('leaves zstd files to parquet-wasm', async () => {
    const src = sourceBatch(500, 3);
    const file = path.join(dir, 'zstd.parquet');
    writeVariant(file, src, { ...VARIANTS[0], compression: Compression.ZSTD });
    const t = await ParquetTable.open(file);
    expect(t.scanDetail(names)).toBe('decoder=parquet-wasm');
    expect(rowsOf(await readAll(t, names))).toEqual(rowsOf([src]));
  });

  it('names the file, column and row group of a corrupt page', async () => {
    const src = sourceBatch(3000, 5);
    const file = path.join(dir, 'corrupt.parquet');
    writeVariant(file, src, VARIANTS[0]);
    const t = await ParquetTable.open(file);
    // the first page of column i64 in row group 1: break the length its Snappy block declares
    const chunk = t.rowGroups[1].chunks.get('i64')!;
    const bytes = fs.readFileSync(file);
    const r = new CompactReader(bytes.subarray(chunk.offset, chunk.offset + chunk.compressedSize));
    r.fields(() => false);
    bytes[chunk.offset + r.pos] ^= 0x7f;
    const bad = path.join(dir, 'corrupt-2.parquet');
    fs.writeFileSync(bad, bytes);
    const tb = await ParquetTable.open(bad);
    const read = readAll(tb, ['i64']);
    await expect(read).rejects.toMatchObject({ code: 'invalid_file' });
    await expect(readAll(tb, ['i64'])).rejects.toThrow(/corrupt-2\.parquet.*column "i64" of row group 1: Snappy length header is malformed or does not match the page size/);
    // the other columns still read
    expect((await readAll(tb, ['s_low'])).length).toBe(2);
  });
});

describe('decoding in a partition worker (unpartitioned scans of the main thread)', () => {
  afterEach(() => setRemoteDecode({ minRows: 1_000_000, workers: 1 }));

  for (const workers of [1, 2, 3]) {
    it(`streams the same batches from ${workers} worker(s), stops early on request, and reports a corrupt page with its file`, async () => {
      const src = sourceBatch(6000, 21);
      const file = path.join(dir, 'remote.parquet');
      writeVariant(file, src, VARIANTS[1]);
      const t = await ParquetTable.open(file);
      const local = rowsOf(await readAll(t, names));
      setRemoteDecode({ minRows: 0, workers });
      const before = remoteDecodeScans;
      const remote = await readAll(t, names);
      expect(remoteDecodeScans).toBe(before + 1);
      expect(remote.map((b) => b.numRows)).toEqual([1500, 1500, 1500, 1500]);
      expect(rowsOf(remote)).toEqual(local);
      expect(local).toEqual(rowsOf([src]));
      // a consumer that stops after one batch cancels the stream; the worker serves the next scan
      for await (const b of t.scan({ columns: ['s_low'] })) {
        expect(b.numRows).toBe(1500);
        break;
      }
      expect(rowsOf(await readAll(t, ['i64']))).toEqual(local.map((r) => [r[1]]));
      expect(remoteDecodeScans).toBe(before + 3);

      const bytes = fs.readFileSync(file);
      const chunk = t.rowGroups[2].chunks.get('d')!;
      const r = new CompactReader(bytes.subarray(chunk.offset, chunk.offset + chunk.compressedSize));
      r.fields(() => false);
      bytes[chunk.offset + r.pos] ^= 0x55;
      const bad = path.join(dir, `remote-corrupt-${workers}.parquet`);
      fs.writeFileSync(bad, bytes);
      const tb = await ParquetTable.open(bad);
      await expect(readAll(tb, ['i32', 'd'])).rejects.toMatchObject({ code: 'invalid_file', message: expect.stringMatching(/remote-corrupt-\d\.parquet.*column "d" of row group 2/) });
      // and the workers still serve scans after the failure
      expect(rowsOf(await readAll(t, ['d']))).toEqual(local.map((r) => [r[7]]));
    });
  }
});

/** The RLE/bit-packed hybrid encoding of values (bit-packed runs of whole groups, then an RLE run). */
function encodeHybrid(values: number[], bitWidth: number, rleTail: { value: number; count: number } | null): Uint8Array {
  const out: number[] = [];
  const uleb = (x: number) => {
    do {
      let b = x % 128;
      x = Math.floor(x / 128);
      if (x > 0) b |= 0x80;
      out.push(b);
    } while (x > 0);
  };
  const groups = Math.ceil(values.length / 8);
  uleb(groups * 2 + 1);
  let acc = 0n;
  let bits = 0n;
  for (let i = 0; i < groups * 8; i++) {
    acc |= BigInt(values[i] ?? 0) << bits;
    bits += BigInt(bitWidth);
    while (bits >= 8n) {
      out.push(Number(acc & 255n));
      acc >>= 8n;
      bits -= 8n;
    }
  }
  if (rleTail) {
    uleb(rleTail.count * 2);
    for (let k = 0; k < Math.ceil(bitWidth / 8); k++) out.push(Math.floor(rleTail.value / 2 ** (8 * k)) % 256);
  }
  return Uint8Array.from(out);
}

describe('RLE/bit-packed hybrid', () => {
  it('decodes every bit width 0..32, cut mid-run, with an RLE run after', () => {
    const r = rng(99);
    for (let w = 0; w <= 32; w++) {
      const max = 2 ** w;
      const n = 8 * 13 + 5; // the last group is partial: it is padded by the encoder and cut by count
      const values = Array.from({ length: n }, () => Math.floor(r() * max) % max);
      const tail = { value: max - 1, count: 21 };
      const buf = encodeHybrid(values, w, tail);
      const out = new Int32Array(n + 8 - (n % 8) + tail.count);
      // the padded group's 3 extra slots decode too, then the RLE run
      const total = n + (8 - (n % 8)) + tail.count;
      decodeHybrid(buf, 0, buf.length, w, out, 0, total);
      const got = Array.from(out.subarray(0, n), (x) => x >>> 0);
      expect(got, `width ${w}`).toEqual(values.map((x) => x >>> 0));
      expect(Array.from(out.subarray(total - tail.count, total), (x) => x >>> 0), `width ${w} RLE`).toEqual(Array(tail.count).fill((max - 1) >>> 0));
      // a count that stops inside the bit-packed run
      const part = new Int32Array(50);
      decodeHybrid(buf, 0, buf.length, w, part, 0, 50);
      expect(Array.from(part, (x) => x >>> 0), `width ${w} cut`).toEqual(values.slice(0, 50).map((x) => x >>> 0));
    }
  });

  it('counts the ones of bit width 1 runs (definition levels) and rejects runs past the end', () => {
    const values = Array.from({ length: 77 }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const buf = encodeHybrid(values, 1, { value: 1, count: 40 });
    const out = new Uint8Array(77 + 3 + 40);
    const ones = decodeBits(buf, 0, buf.length, out, 0, out.length);
    expect(Array.from(out.subarray(0, 77))).toEqual(values);
    expect(ones).toBe(values.reduce((a: number, b) => a + b, 0) + 40);
    expect(() => decodeHybrid(buf, 0, buf.length - 3, 1, new Int32Array(200), 0, 200)).toThrow(/past the end|ends early/);
  });
});

/** A page header in Thrift's compact protocol: type, sizes, and the page-type header's i32 fields. */
function pageHeader(type: number, size: number, sub: { id: number; fields: [number, number][] }): number[] {
  const out: number[] = [];
  const varint = (x: number) => {
    while (x >= 0x80) { out.push((x & 0x7f) | 0x80); x >>>= 7; }
    out.push(x);
  };
  const i32 = (x: number) => varint(((x << 1) ^ (x >> 31)) >>> 0);
  out.push(0x15); i32(type); // field 1, i32
  out.push(0x15); i32(size); // field 2
  out.push(0x15); i32(size); // field 3
  out.push(((sub.id - 3) << 4) | 12); // the page-type header struct
  let last = 0;
  for (const [id, v] of sub.fields) { out.push(((id - last) << 4) | 5); last = id; i32(v); }
  out.push(0, 0);
  return out;
}

/** One uncompressed chunk: a PLAIN dictionary page of `dict`, then an RLE_DICTIONARY data page of `codes`. */
function dictionaryChunk(physical: 'int32' | 'int64' | 'double', dict: number[], codes: number[], bitWidth: number): Uint8Array {
  const dictBody: number[] = [];
  for (const v of dict) {
    const b = new Uint8Array(physical === 'int32' ? 4 : 8);
    const view = new DataView(b.buffer);
    if (physical === 'int32') view.setInt32(0, v, true);
    else if (physical === 'int64') view.setBigInt64(0, BigInt(v), true);
    else view.setFloat64(0, v, true);
    dictBody.push(...b);
  }
  const dataBody = [bitWidth, ...encodeHybrid(codes, bitWidth, null)];
  return Uint8Array.from([
    ...pageHeader(2, dictBody.length, { id: 7, fields: [[1, dict.length], [2, 0]] }), ...dictBody,
    ...pageHeader(0, dataBody.length, { id: 5, fields: [[1, codes.length], [2, 8], [3, 3], [4, 3]] }), ...dataBody,
  ]);
}

describe('dictionary indices', () => {
  const cases: { physical: 'int32' | 'int64' | 'double'; plan: FastPlan; type: typeof INT32 }[] = [
    { physical: 'int32', plan: { physicalType: PHYS.INT32, optional: false, target: { kind: 'i32' } }, type: INT32 },
    { physical: 'int64', plan: { physicalType: PHYS.INT64, optional: false, target: { kind: 'f64', unsigned: false, scale: 1 } }, type: INT64 },
    { physical: 'double', plan: { physicalType: PHYS.DOUBLE, optional: false, target: { kind: 'f64', unsigned: false, scale: 1 } }, type: FLOAT64 },
  ];
  for (const c of cases) {
    it(`gathers ${c.physical} dictionary values and rejects an index past the dictionary`, () => {
      const dict = [10, 20, 30];
      const good = decodeChunk(dictionaryChunk(c.physical, dict, [0, 1, 2, 2, 1, 0, 0, 2], 2), 0, 8, c.plan, c.type);
      expect(Array.from(good.values as ArrayLike<number>)).toEqual([10, 20, 30, 30, 20, 10, 10, 30]);
      expect(() => decodeChunk(dictionaryChunk(c.physical, dict, [0, 1, 2, 3, 1, 0, 0, 2], 2), 0, 8, c.plan, c.type)).toThrow(/dictionary index 3 out of range \(3 entries\)/);
    });
  }
});
