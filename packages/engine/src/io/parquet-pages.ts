/**
 * Parquet column chunks → engine columns, decoded in JavaScript, for flat files.
 *
 * Why not parquet-wasm for these: it spends ~28 ns per int64 value of the benchmark files (Rust's
 * Snappy in WebAssembly plus building Arrow arrays), then each batch crosses to JS as an Arrow IPC
 * stream and is converted once more (~8 ns a value). Here pages are decompressed by snappy/ (our
 * C Snappy decoder in WebAssembly, read in place in its memory: ~1 ns per byte on int64 pages,
 * ~0.05 on incompressible index pages, where hysnappy took 1.1 and 0.4 plus a copy out, snappyjs
 * 2.4 and the native `snappy` addon 3.7) and decoded straight into the engine's storage: Float64Array for int64
 * and decimals, Int32Array codes plus the chunk's own dictionary for strings. Dictionary-encoded
 * columns with few distinct values cost ~2 ns a row instead of ~9.
 *
 * The subset: top-level REQUIRED/OPTIONAL leaf columns; data pages v1 and v2; PLAIN,
 * PLAIN_DICTIONARY/RLE_DICTIONARY and RLE (booleans) values; RLE/bit-packed definition levels;
 * uncompressed or Snappy pages. Anything else (nested columns, DELTA_* or BYTE_STREAM_SPLIT, zstd,
 * gzip, INT96, nanosecond timestamps, FIXED_LEN_BYTE_ARRAY decimals) is read by parquet-wasm:
 * `fastPlanOf` and `chunkSupported` decide before a scan starts, so a scan never switches decoders
 * midway.
 */
import * as arrow from 'apache-arrow';
import { snappyUncompress } from './snappy/snappy.js';
import { allocValues, type Column } from '../types/column.js';
import type { DataType } from '../types/data-type.js';
import { decodeUtf8Strings, encodeUtf8Bytes, int64sIntoFloat64 } from './arrow-convert.js';
import { CompactReader, PHYS, type ChunkInfo, type SchemaColumn } from './parquet-footer.js';

/** How a column's physical values become engine storage. */
export type FastTarget =
  | { readonly kind: 'i32' } // INT32 → Int32Array (int32, date)
  | { readonly kind: 'f64'; readonly unsigned: boolean; readonly scale: number } // INT32/INT64/DOUBLE/FLOAT → Float64Array
  | { readonly kind: 'bool' }
  | { readonly kind: 'utf8' };

export interface FastPlan {
  readonly physicalType: number;
  readonly optional: boolean;
  readonly target: FastTarget;
}

const ENC = { PLAIN: 0, PLAIN_DICTIONARY: 2, RLE: 3, BIT_PACKED: 4, RLE_DICTIONARY: 8 } as const;
const SUPPORTED_ENCODINGS = new Set<number>([ENC.PLAIN, ENC.PLAIN_DICTIONARY, ENC.RLE, ENC.BIT_PACKED, ENC.RLE_DICTIONARY]);
const CODEC = { UNCOMPRESSED: 0, SNAPPY: 1 } as const;
const PAGE = { DATA: 0, INDEX: 1, DICTIONARY: 2, DATA_V2: 3 } as const;

/** The decoding plan of one column, or null when the column needs parquet-wasm. */
export function fastPlanOf(col: SchemaColumn | undefined, at: arrow.DataType, type: DataType): FastPlan | null {
  if (!col || col.physicalType < 0 || col.repetition > 1) return null;
  const optional = col.repetition === 1;
  const p = col.physicalType;
  const plan = (target: FastTarget): FastPlan => ({ physicalType: p, optional, target });
  const f64 = (unsigned = false, scale = 1) => plan({ kind: 'f64', unsigned, scale });
  switch (at.typeId) {
    case arrow.Type.Int: {
      const it = at as arrow.Int;
      if (p === PHYS.INT32 && it.bitWidth <= 32) {
        if (it.bitWidth === 32 && !it.isSigned) return type.kind === 'int64' ? f64(true) : null;
        return type.kind === 'int32' ? plan({ kind: 'i32' }) : type.kind === 'int64' ? f64() : null;
      }
      if (p === PHYS.INT64 && it.bitWidth === 64 && it.isSigned && type.kind === 'int64') return f64();
      return null;
    }
    case arrow.Type.Date:
      return p === PHYS.INT32 && (at as arrow.Date_).unit === arrow.DateUnit.DAY && type.kind === 'date' ? plan({ kind: 'i32' }) : null;
    case arrow.Type.Decimal:
      return (p === PHYS.INT32 || p === PHYS.INT64) && type.kind === 'decimal' ? f64() : null;
    case arrow.Type.Timestamp: {
      if (p !== PHYS.INT64 || type.kind !== 'timestamp') return null;
      const unit = (at as arrow.Timestamp).unit;
      if (unit === arrow.TimeUnit.MICROSECOND) return f64();
      if (unit === arrow.TimeUnit.MILLISECOND) return f64(false, 1000);
      // seconds: arrow-rs stores them as milliseconds and casts back on read; nanoseconds need BigInt
      return null;
    }
    case arrow.Type.Float:
      return (p === PHYS.DOUBLE || p === PHYS.FLOAT) && type.kind === 'float64' ? f64() : null;
    case arrow.Type.Bool:
      return p === PHYS.BOOLEAN && type.kind === 'bool' ? plan({ kind: 'bool' }) : null;
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8:
      return p === PHYS.BYTE_ARRAY && type.kind === 'utf8' ? plan({ kind: 'utf8' }) : null;
    case arrow.Type.Dictionary: {
      const vt = (at as arrow.Dictionary).dictionary.typeId;
      return p === PHYS.BYTE_ARRAY && (vt === arrow.Type.Utf8 || vt === arrow.Type.LargeUtf8) && type.kind === 'utf8' ? plan({ kind: 'utf8' }) : null;
    }
    default:
      return null;
  }
}

/** Whether a column chunk's codec and encodings are in the subset this decoder reads. */
export function chunkSupported(c: ChunkInfo): boolean {
  if (c.depth !== 1) return false;
  if (c.codec !== CODEC.UNCOMPRESSED && c.codec !== CODEC.SNAPPY) return false;
  return c.encodings.every((e) => SUPPORTED_ENCODINGS.has(e));
}

// ---------------------------------------------------------------------------------------------
// RLE / bit-packed hybrid
// ---------------------------------------------------------------------------------------------

type Unpacker = (buf: Uint8Array, pos: number, out: Int32Array, at: number, groups: number) => void;
const unpackers: (Unpacker | undefined)[] = [];

/**
 * The unpacker of bit-packed groups (8 values in `bitWidth` bytes) of one width, generated with
 * constant shifts: ~0.9 ns a value where one loop over any width takes 2-3 (the approach of
 * parquet-mr's generated bit packers). Widths up to 24, so every shift stays within 32 bits.
 */
function unpackerOf(bitWidth: number): Unpacker {
  let f = unpackers[bitWidth];
  if (f !== undefined) return f;
  const lines = [`for (let g = 0; g < groups; g++, pos += ${bitWidth}, at += 8) {`];
  for (let j = 0; j < bitWidth; j++) lines.push(`const b${j} = buf[pos + ${j}];`);
  for (let v = 0; v < 8; v++) {
    const start = v * bitWidth;
    const first = start >> 3;
    const last = (start + bitWidth - 1) >> 3;
    let expr = `(b${first} >>> ${start & 7})`;
    for (let b = first + 1; b <= last; b++) expr += ` | (b${b} << ${(b - first) * 8 - (start & 7)})`;
    lines.push(`out[at + ${v}] = (${expr}) & ${(1 << bitWidth) - 1};`);
  }
  lines.push('}');
  f = new Function('buf', 'pos', 'out', 'at', 'groups', lines.join('\n')) as Unpacker;
  unpackers[bitWidth] = f;
  return f;
}

/** Reads the ULEB128 run header at buf[pos] (the position after it goes to headerEnd). */
function runHeader(buf: Uint8Array, pos: number, end: number): number {
  if (pos >= end) throw new Error('RLE data ends early');
  let header = 0;
  let mul = 1;
  for (;;) {
    if (pos >= end) throw new Error('RLE run header runs past the end of the page');
    const b = buf[pos++];
    header += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) break;
    mul *= 128;
  }
  headerEnd = pos;
  return header;
}
/** Position after the header runHeader read last (one module-level slot instead of a tuple per run). */
let headerEnd = 0;

/**
 * Decodes `count` values of the RLE/bit-packed hybrid encoding from buf[pos..end) into out[at..].
 * Returns the position after the last run read.
 */
export function decodeHybrid(buf: Uint8Array, pos: number, end: number, bitWidth: number, out: Int32Array, at: number, count: number): number {
  if (bitWidth > 32) throw new Error(`bit width ${bitWidth} is out of range`);
  const mask = bitWidth === 0 ? 0 : bitWidth >= 32 ? -1 : (1 << bitWidth) - 1;
  const byteWidth = (bitWidth + 7) >> 3;
  let i = at;
  const stop = at + count;
  while (i < stop) {
    const header = runHeader(buf, pos, end);
    pos = headerEnd;
    if (header % 2 === 1) {
      // bit-packed: groups of 8 values, LSB first
      const groups = Math.floor(header / 2);
      const take = Math.min(groups * 8, stop - i);
      const bytes = groups * bitWidth;
      if (pos + Math.ceil((take * bitWidth) / 8) > end) throw new Error('bit-packed run past the end of the page');
      if (bitWidth === 0) out.fill(0, i, i + take);
      else {
        let k = 0;
        if (bitWidth <= 24) {
          const full = take >>> 3;
          unpackerOf(bitWidth)(buf, pos, out, i, full);
          k = full * 8;
        }
        // the tail of a run cut by `count` (and widths past 24): bytes covering each value, exact in doubles
        for (let bit = k * bitWidth; k < take; k++, bit += bitWidth) {
          let v = 0;
          let scale = 1;
          const last = pos + ((bit + bitWidth - 1) >>> 3);
          for (let b = pos + (bit >>> 3); b <= last; b++, scale *= 256) v += buf[b] * scale;
          out[i + k] = Math.floor(v / 2 ** (bit & 7)) % 2 ** bitWidth;
        }
      }
      i += take;
      pos += bytes;
    } else {
      const n = Math.floor(header / 2);
      if (pos + byteWidth > end) throw new Error('RLE run past the end of the page');
      let v = 0;
      for (let k = 0; k < byteWidth; k++) v += buf[pos + k] * 2 ** (8 * k);
      pos += byteWidth;
      const take = Math.min(n, stop - i);
      out.fill(v & mask, i, i + take);
      i += take;
    }
  }
  return pos;
}

/**
 * Bit width 1 hybrid runs (definition levels of flat columns, v2 booleans) as 0/1 bytes into
 * out[at..at+count). Returns how many are 1 (the page's non-NULL values).
 */
export function decodeBits(buf: Uint8Array, pos: number, end: number, out: Uint8Array, at: number, count: number): number {
  let i = at;
  let ones = 0;
  const stop = at + count;
  while (i < stop) {
    const header = runHeader(buf, pos, end);
    pos = headerEnd;
    if (header % 2 === 1) {
      const groups = Math.floor(header / 2);
      const take = Math.min(groups * 8, stop - i);
      if (pos + Math.ceil(take / 8) > end) throw new Error('bit-packed run past the end of the page');
      for (let k = 0; k < take; k++) {
        const v = (buf[pos + (k >>> 3)] >>> (k & 7)) & 1;
        out[i + k] = v;
        ones += v;
      }
      i += take;
      pos += groups;
    } else {
      const n = Math.floor(header / 2);
      if (pos + 1 > end) throw new Error('RLE run past the end of the page');
      const take = Math.min(n, stop - i);
      const v = buf[pos] & 1;
      out.fill(v, i, i + take);
      ones += v * take;
      pos += 1;
      i += take;
    }
  }
  return ones;
}

const u32le = (b: Uint8Array, p: number): number => {
  if (p + 4 > b.length) throw new Error('length prefix past the end of the page');
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 16777216;
};

// ---------------------------------------------------------------------------------------------
// PLAIN values
// ---------------------------------------------------------------------------------------------

/** An Int32Array over buf[pos..pos+4n), copied when the position is not 4-byte aligned. */
function int32s(buf: Uint8Array, pos: number, n: number): Int32Array {
  if (pos + 4 * n > buf.length) throw new Error('PLAIN values past the end of the page');
  const at = buf.byteOffset + pos;
  if ((at & 3) === 0) return new Int32Array(buf.buffer, at, n);
  return new Int32Array(buf.buffer.slice(at, at + 4 * n));
}

type Values = Int32Array | Float64Array | Uint8Array;

/** Decodes n PLAIN values into dst[at..] in the target's storage. */
function plainInto(plan: FastPlan, buf: Uint8Array, pos: number, n: number, dst: Values, at: number): void {
  const t = plan.target;
  switch (plan.physicalType) {
    case PHYS.INT32: {
      const w = int32s(buf, pos, n);
      if (t.kind === 'i32') (dst as Int32Array).set(w, at);
      else if (t.kind === 'f64' && t.unsigned) for (let i = 0; i < n; i++) dst[at + i] = w[i] >>> 0;
      else for (let i = 0; i < n; i++) dst[at + i] = w[i];
      return;
    }
    case PHYS.INT64:
      int64sIntoFloat64(int32s(buf, pos, 2 * n), 0, 2, n, dst as Float64Array, at, t.kind === 'f64' ? t.scale : 1);
      return;
    case PHYS.DOUBLE: {
      if (pos + 8 * n > buf.length) throw new Error('PLAIN values past the end of the page');
      const a = buf.byteOffset + pos;
      const v = (a & 7) === 0 ? new Float64Array(buf.buffer, a, n) : new Float64Array(buf.buffer.slice(a, a + 8 * n));
      (dst as Float64Array).set(v, at);
      return;
    }
    case PHYS.FLOAT: {
      if (pos + 4 * n > buf.length) throw new Error('PLAIN values past the end of the page');
      const a = buf.byteOffset + pos;
      const v = (a & 3) === 0 ? new Float32Array(buf.buffer, a, n) : new Float32Array(buf.buffer.slice(a, a + 4 * n));
      for (let i = 0; i < n; i++) dst[at + i] = v[i];
      return;
    }
    case PHYS.BOOLEAN: {
      if (pos + ((n + 7) >> 3) > buf.length) throw new Error('PLAIN values past the end of the page');
      for (let i = 0; i < n; i++) dst[at + i] = (buf[pos + (i >> 3)] >> (i & 7)) & 1;
      return;
    }
    default:
      throw new Error(`physical type ${plan.physicalType} is not supported`);
  }
}

/** n PLAIN BYTE_ARRAY values as contiguous bytes plus offsets (in the page each value's 4-byte length precedes it). */
function packByteArrays(buf: Uint8Array, pos: number, n: number): { bytes: Uint8Array; offsets: Int32Array } {
  const starts = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  let p = pos;
  for (let i = 0; i < n; i++) {
    const len = u32le(buf, p);
    p += 4;
    starts[i] = p;
    p += len;
    offsets[i + 1] = offsets[i] + len;
  }
  if (p > buf.length) throw new Error('BYTE_ARRAY value past the end of the page');
  const bytes = new Uint8Array(offsets[n]);
  for (let i = 0; i < n; i++) bytes.set(buf.subarray(starts[i], starts[i] + offsets[i + 1] - offsets[i]), offsets[i]);
  return { bytes, offsets };
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

/** The uncompressed length a Snappy block declares (its leading varint). */
function snappyLength(src: Uint8Array): number {
  let len = 0;
  let mul = 1;
  for (let i = 0; i < 5 && i < src.length; i++) {
    const b = src[i];
    len += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return len;
    mul *= 128;
  }
  return -1;
}

/** The page's bytes; a Snappy page's are valid only until the next page is decompressed (decoders copy what they keep). */
function decompress(codec: number, src: Uint8Array, size: number): Uint8Array {
  if (codec === CODEC.UNCOMPRESSED) {
    if (src.length !== size) throw new Error(`uncompressed page of ${src.length} bytes, its header says ${size}`);
    return src;
  }
  const declared = snappyLength(src);
  if (declared !== size) throw new Error(`Snappy page declares ${declared} bytes, its header says ${size}`);
  if (size === 0) return new Uint8Array(0);
  return snappyUncompress(src, size);
}

interface PageHeader {
  type: number;
  uncompressed: number;
  compressed: number;
  /** Data page (v1 or v2) and dictionary page: values in the page. */
  numValues: number;
  encoding: number;
  /** v2 only. */
  defLength: number;
  repLength: number;
  v2Compressed: boolean;
}

function readPageHeader(r: CompactReader): PageHeader {
  const h: PageHeader = { type: -1, uncompressed: -1, compressed: -1, numValues: 0, encoding: 0, defLength: 0, repLength: 0, v2Compressed: true };
  r.fields((id, t) => {
    if (id === 1 && t === 5) { h.type = r.zigzag(); return true; }
    if (id === 2 && t === 5) { h.uncompressed = r.zigzag(); return true; }
    if (id === 3 && t === 5) { h.compressed = r.zigzag(); return true; }
    if ((id === 5 || id === 7) && t === 12) {
      // DataPageHeader / DictionaryPageHeader: 1 num_values, 2 encoding
      r.fields((fid, ft) => {
        if (fid === 1 && ft === 5) { h.numValues = r.zigzag(); return true; }
        if (fid === 2 && ft === 5) { h.encoding = r.zigzag(); return true; }
        return false;
      });
      return true;
    }
    if (id === 8 && t === 12) {
      // DataPageHeaderV2: 1 num_values, 4 encoding, 5/6 level byte lengths, 7 is_compressed
      r.fields((fid, ft) => {
        if (ft === 5) {
          if (fid === 1) { h.numValues = r.zigzag(); return true; }
          if (fid === 4) { h.encoding = r.zigzag(); return true; }
          if (fid === 5) { h.defLength = r.zigzag(); return true; }
          if (fid === 6) { h.repLength = r.zigzag(); return true; }
          return false;
        }
        if (fid === 7 && (ft === 1 || ft === 2)) { h.v2Compressed = ft === 1; return true; }
        return false;
      });
      return true;
    }
    return false;
  });
  if (h.type < 0 || h.uncompressed < 0 || h.compressed < 0) throw new Error('page header without its type or sizes');
  return h;
}

// ---------------------------------------------------------------------------------------------
// Column chunk
// ---------------------------------------------------------------------------------------------

type Dictionary = { kind: 'values'; values: Values } | { kind: 'strings'; strings: string[] };

/** Throws when the largest of n dictionary indices, `max`, is not below `limit`. */
function checkIndexMax(max: number, n: number, limit: number): void {
  if (n > 0 && max >= limit) throw new Error(`dictionary index ${max} out of range (${limit} entries)`);
}

/** Throws when a dictionary index in idx[at..at+n) is not below `limit`. */
function checkCodes(idx: Int32Array, at: number, n: number, limit: number): void {
  let max = 0;
  for (let k = at; k < at + n; k++) { const c = idx[k] >>> 0; if (c > max) max = c; }
  checkIndexMax(max, n, limit);
}

/**
 * dst[at..] = dict[idx[k]] for k < n; with validity, the k-th value goes to the k-th valid row.
 * Returns the largest index (unsigned), for the caller's range check. One loop per storage type:
 * a single loop over the union of typed arrays would be polymorphic.
 */
function gatherDictionary(dst: Values, dict: Values, idx: Int32Array, n: number, at: number, validity: Uint8Array | null): number {
  let max = 0;
  if (validity !== null) {
    let r = at;
    for (let k = 0; k < n; k++) {
      while (validity[r] === 0) r++;
      const c = idx[k] >>> 0;
      if (c > max) max = c;
      dst[r++] = dict[c];
    }
    return max;
  }
  if (dst instanceof Float64Array) return gatherF64(dst, dict as Float64Array, idx, n, at);
  if (dst instanceof Int32Array) return gatherI32(dst, dict as Int32Array, idx, n, at);
  for (let k = 0; k < n; k++) {
    const c = idx[k] >>> 0;
    if (c > max) max = c;
    dst[at + k] = dict[c];
  }
  return max;
}

function gatherF64(dst: Float64Array, dict: Float64Array, idx: Int32Array, n: number, at: number): number {
  let max = 0;
  for (let k = 0; k < n; k++) {
    const c = idx[k] >>> 0;
    if (c > max) max = c;
    dst[at + k] = dict[c];
  }
  return max;
}

function gatherI32(dst: Int32Array, dict: Int32Array, idx: Int32Array, n: number, at: number): number {
  let max = 0;
  for (let k = 0; k < n; k++) {
    const c = idx[k] >>> 0;
    if (c > max) max = c;
    dst[at + k] = dict[c];
  }
  return max;
}

/**
 * Arrays a scan reuses from one column chunk to the next (dictionary indices, a numeric
 * dictionary): allocated per chunk, their ~2 MB per row group of an int64 column cost a scavenge
 * every few groups.
 */
export class ChunkScratch {
  indices = new Int32Array(0);
  private f64 = new Float64Array(0);
  private i32 = new Int32Array(0);

  indicesFor(n: number): Int32Array {
    if (this.indices.length < n) this.indices = new Int32Array(Math.max(n, 1024));
    return this.indices;
  }

  /** A numeric dictionary of n entries of `type`'s storage (a view: valid until the next call). */
  dictionaryFor(t: FastTarget, type: DataType, n: number): Values {
    if (t.kind === 'f64') {
      if (this.f64.length < n) this.f64 = new Float64Array(n);
      return this.f64.subarray(0, n);
    }
    if (t.kind === 'i32') {
      if (this.i32.length < n) this.i32 = new Int32Array(n);
      return this.i32.subarray(0, n);
    }
    return allocValues(type, n);
  }
}

/**
 * Decodes one column chunk (the bytes of all its pages) holding `numRows` rows into an engine
 * column of `type`. Throws Error with the reason when the data is corrupt or outside the subset.
 */
export function decodeChunk(chunk: Uint8Array, codec: number, numRows: number, plan: FastPlan, type: DataType, reuse: ChunkScratch = new ChunkScratch()): Column {
  const t = plan.target;
  const values = allocValues(type, numRows);
  const validity = plan.optional ? new Uint8Array(numRows) : null;
  let anyNull = false;
  let dictionary: Dictionary | null = null;
  // utf8: the column's dictionary (the chunk dictionary, then strings of PLAIN pages appended)
  let strings: string[] = [];
  let stringCodes: Map<string, number> | null = null;
  let row = 0;
  const reader = new CompactReader(chunk);
  while (row < numRows) {
    if (reader.pos >= chunk.length) throw new Error(`column chunk ends after ${row} of ${numRows} rows`);
    const header = readPageHeader(reader);
    const start = reader.pos;
    if (start + header.compressed > chunk.length) throw new Error('page runs past the end of the column chunk');
    const body = chunk.subarray(start, start + header.compressed);
    reader.pos = start + header.compressed;

    if (header.type === PAGE.DICTIONARY) {
      const n = header.numValues;
      const data = decompress(codec, body, header.uncompressed);
      if (t.kind === 'utf8') {
        const { bytes, offsets } = packByteArrays(data, 0, n);
        strings = decodeUtf8Strings(offsets, bytes, n);
        stringCodes = null;
        dictionary = { kind: 'strings', strings };
      } else {
        const v = reuse.dictionaryFor(t, type, n);
        plainInto(plan, data, 0, n, v, 0);
        dictionary = { kind: 'values', values: v };
      }
      continue;
    }
    if (header.type !== PAGE.DATA && header.type !== PAGE.DATA_V2) continue; // index pages carry no rows

    const n = header.numValues;
    const dst = row;
    if (dst + n > numRows) throw new Error(`page holds more rows than its row group (${numRows})`);
    let data: Uint8Array;
    let p = 0;
    let nonNull = n;
    if (header.type === PAGE.DATA) {
      data = decompress(codec, body, header.uncompressed);
      if (plan.optional) {
        const len = u32le(data, 0);
        p = 4;
        nonNull = decodeBits(data, p, p + len, validity!, dst, n);
        p += len;
      }
    } else {
      const levels = header.repLength + header.defLength;
      if (levels > body.length) throw new Error('page levels run past the end of the page');
      if (plan.optional) nonNull = decodeBits(body, header.repLength, levels, validity!, dst, n);
      const rest = body.subarray(levels);
      data = header.v2Compressed ? decompress(codec, rest, header.uncompressed - levels) : rest;
    }
    if (nonNull < n) anyNull = true;
    const dense = nonNull === n;

    if (header.encoding === ENC.RLE_DICTIONARY || header.encoding === ENC.PLAIN_DICTIONARY) {
      if (dictionary === null) throw new Error('dictionary-encoded page without a dictionary page');
      if (p >= data.length && nonNull > 0) throw new Error('dictionary-encoded page without its bit width');
      const bitWidth = nonNull > 0 ? data[p++] : 0;
      if (dictionary.kind === 'strings') {
        const codes = values as Int32Array;
        if (dense) {
          // the indices are the codes: decode them in place
          decodeHybrid(data, p, data.length, bitWidth, codes, dst, n);
          checkCodes(codes, dst, n, dictionary.strings.length);
        } else {
          const scratch = reuse.indicesFor(nonNull);
          decodeHybrid(data, p, data.length, bitWidth, scratch, 0, nonNull);
          checkCodes(scratch, 0, nonNull, dictionary.strings.length);
          let r = dst;
          for (let k = 0; k < nonNull; k++) {
            while (validity![r] === 0) r++;
            codes[r++] = scratch[k];
          }
        }
      } else {
        const scratch = reuse.indicesFor(nonNull);
        decodeHybrid(data, p, data.length, bitWidth, scratch, 0, nonNull);
        // the range check rides on the gather (an index past the dictionary reads undefined, no crash)
        const max = gatherDictionary(values, dictionary.values, scratch, nonNull, dst, dense ? null : validity);
        checkIndexMax(max, nonNull, dictionary.values.length);
      }
    } else if (header.encoding === ENC.PLAIN) {
      if (t.kind === 'utf8') {
        const { bytes, offsets } = packByteArrays(data, p, nonNull);
        const page = encodeUtf8Bytes(offsets, bytes, null, nonNull);
        let remap: Int32Array | null = null;
        if (strings.length === 0) {
          strings = page.dict;
        } else {
          if (stringCodes === null) {
            stringCodes = new Map();
            for (let i = 0; i < strings.length; i++) if (!stringCodes.has(strings[i])) stringCodes.set(strings[i], i);
          }
          remap = new Int32Array(page.dict.length);
          for (let i = 0; i < page.dict.length; i++) {
            let code = stringCodes.get(page.dict[i]);
            if (code === undefined) {
              code = strings.length;
              strings.push(page.dict[i]);
              stringCodes.set(page.dict[i], code);
            }
            remap[i] = code;
          }
        }
        const codes = values as Int32Array;
        let r = dst;
        for (let k = 0; k < nonNull; k++) {
          if (!dense) while (validity![r] === 0) r++;
          codes[r++] = remap === null ? page.codes[k] : remap[page.codes[k]];
        }
      } else if (dense) {
        plainInto(plan, data, p, n, values, dst);
      } else {
        const tmp = allocValues(type, nonNull);
        plainInto(plan, data, p, nonNull, tmp, 0);
        let r = dst;
        for (let k = 0; k < nonNull; k++) {
          while (validity![r] === 0) r++;
          values[r++] = tmp[k];
        }
      }
    } else if (header.encoding === ENC.RLE && t.kind === 'bool') {
      // booleans in data pages v2: a 4-byte length, then the hybrid encoding with bit width 1
      const len = u32le(data, p);
      p += 4;
      const tmp = new Uint8Array(nonNull);
      decodeBits(data, p, p + len, tmp, 0, nonNull);
      let r = dst;
      for (let k = 0; k < nonNull; k++) {
        if (!dense) while (validity![r] === 0) r++;
        values[r++] = tmp[k];
      }
    } else {
      throw new Error(`page encoding ${header.encoding} is not supported`);
    }
    row += n;
  }
  if (t.kind === 'utf8') return { type, length: numRows, values, validity: anyNull ? validity : null, dict: strings };
  return { type, length: numRows, values, validity: anyNull ? validity : null };
}
