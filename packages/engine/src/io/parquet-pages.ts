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
import { OUT, pageWorkspace, type PageWorkspace } from './wasm/kernels.js';
import { allocValues, type Column } from '../types/column.js';
import type { DataType } from '../types/data-type.js';
import { decodeUtf8Strings, encodeUtf8Bytes } from './arrow-convert.js';
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

/**
 * Decodes `count` values of the RLE/bit-packed hybrid encoding from buf[pos..end) into out[at..]
 * (wasm/pages.c; dictionary indices inside decodeChunk never leave the module: this is the same
 * kernel for bytes outside it).
 */
export function decodeHybrid(buf: Uint8Array, pos: number, end: number, bitWidth: number, out: Int32Array, at: number, count: number): void {
  const ws = pageWorkspace();
  ws.noDictionary();
  ws.page(false, buf.subarray(pos, end), end - pos);
  out.set(ws.i32(ws.hybrid(0, bitWidth, count, null, 0, OUT.CODES), count), at);
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

type Values = Int32Array | Float64Array | Uint8Array;

/**
 * n PLAIN numeric values at the page's `pos` converted in the module to the target's storage
 * (Float64Array or Int32Array bytes), at `out` or after the page. Returns the offset written.
 */
function plainNumbers(ws: PageWorkspace, plan: FastPlan, pos: number, n: number, out = -1): number {
  const t = plan.target;
  switch (plan.physicalType) {
    case PHYS.INT32:
      if (t.kind === 'i32') return ws.plain(pos, n, 4, 'copy', 1, out);
      return ws.plain(pos, n, 4, t.kind === 'f64' && t.unsigned ? 'u32' : 'i32', 1, out);
    case PHYS.INT64:
      return ws.plain(pos, n, 8, 'i64', t.kind === 'f64' ? t.scale : 1, out);
    case PHYS.DOUBLE:
      return ws.plain(pos, n, 8, 'copy', 1, out);
    case PHYS.FLOAT:
      return ws.plain(pos, n, 4, 'f32', 1, out);
    default:
      throw new Error(`physical type ${plan.physicalType} is not supported`);
  }
}

/** n PLAIN booleans (bit-packed, LSB first) from buf[pos..] into dst[at..]. */
function plainBooleans(buf: Uint8Array, pos: number, n: number, dst: Values, at: number): void {
  if (pos + ((n + 7) >> 3) > buf.length) throw new Error('PLAIN values past the end of the page');
  for (let i = 0; i < n; i++) dst[at + i] = (buf[pos + (i >> 3)] >> (i & 7)) & 1;
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

/** A chunk's dictionary: numbers in the module's memory, strings, or booleans (a JS array). */
type Dictionary =
  | { kind: 'numbers'; at: number; length: number }
  | { kind: 'strings'; strings: string[] }
  | { kind: 'bools'; values: Uint8Array };

/** dst[r] = src[k] for the k-th valid row r from `at` on (a page's non-NULL values into its rows). */
function scatter(dst: Values, src: Values, n: number, validity: Uint8Array, at: number): void {
  let r = at;
  for (let k = 0; k < n; k++) {
    while (validity[r] === 0) r++;
    dst[r++] = src[k];
  }
}

/**
 * Decodes one column chunk (the bytes of all its pages) holding `numRows` rows into an engine
 * column of `type`. Throws Error with the reason when the data is corrupt or outside the subset.
 * Pages are decompressed, decoded and gathered in the page kernels' memory (wasm/); only the
 * finished values are copied out, into the column.
 */
export function decodeChunk(chunk: Uint8Array, codec: number, numRows: number, plan: FastPlan, type: DataType): Column {
  const t = plan.target;
  const ws = pageWorkspace();
  ws.noDictionary();
  const snappy = codec === CODEC.SNAPPY;
  if (!snappy && codec !== CODEC.UNCOMPRESSED) throw new Error(`compression codec ${codec} is not supported`);
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
      if (t.kind === 'utf8' || t.kind === 'bool') {
        ws.noDictionary();
        ws.page(snappy, body, header.uncompressed);
        const data = ws.pageBytes();
        if (t.kind === 'utf8') {
          const { bytes, offsets } = packByteArrays(data, 0, n);
          strings = decodeUtf8Strings(offsets, bytes, n);
          stringCodes = null;
          dictionary = { kind: 'strings', strings };
        } else {
          const v = new Uint8Array(n);
          plainBooleans(data, 0, n, v, 0);
          dictionary = { kind: 'bools', values: v };
        }
      } else {
        // the dictionary stays in the module, ahead of the pages that index it
        const at = ws.dictionary(n * (t.kind === 'i32' ? 4 : 8));
        ws.page(snappy, body, header.uncompressed);
        plainNumbers(ws, plan, 0, n, at);
        dictionary = { kind: 'numbers', at, length: n };
      }
      continue;
    }
    if (header.type !== PAGE.DATA && header.type !== PAGE.DATA_V2) continue; // index pages carry no rows

    const n = header.numValues;
    const dst = row;
    if (dst + n > numRows) throw new Error(`page holds more rows than its row group (${numRows})`);
    let p = 0;
    let nonNull = n;
    if (header.type === PAGE.DATA) {
      ws.page(snappy, body, header.uncompressed);
      if (plan.optional) {
        const data = ws.pageBytes();
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
      ws.page(snappy && header.v2Compressed, rest, header.v2Compressed ? header.uncompressed - levels : rest.length);
    }
    if (nonNull < n) anyNull = true;
    const dense = nonNull === n;

    if (header.encoding === ENC.RLE_DICTIONARY || header.encoding === ENC.PLAIN_DICTIONARY) {
      if (dictionary === null) throw new Error('dictionary-encoded page without a dictionary page');
      if (p >= ws.pageLen && nonNull > 0) throw new Error('dictionary-encoded page without its bit width');
      const bitWidth = nonNull > 0 ? ws.pageBytes(p)[0] : 0;
      p++;
      let decoded: Values;
      if (dictionary.kind === 'numbers') {
        const kind = t.kind === 'i32' ? OUT.I32 : OUT.F64;
        const at = ws.hybrid(p, bitWidth, nonNull, dictionary.length, dictionary.at, kind);
        decoded = kind === OUT.I32 ? ws.i32(at, nonNull) : ws.f64(at, nonNull);
      } else {
        const limit = dictionary.kind === 'strings' ? dictionary.strings.length : dictionary.values.length;
        const codes = ws.i32(ws.hybrid(p, bitWidth, nonNull, limit, 0, OUT.CODES), nonNull);
        if (dictionary.kind === 'strings') decoded = codes;
        else {
          const bools = dictionary.values;
          decoded = new Uint8Array(nonNull);
          for (let k = 0; k < nonNull; k++) decoded[k] = bools[codes[k]];
        }
      }
      if (dense) values.set(decoded, dst);
      else scatter(values, decoded, nonNull, validity!, dst);
    } else if (header.encoding === ENC.PLAIN) {
      const data = ws.pageBytes();
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
      } else if (t.kind === 'bool') {
        if (dense) plainBooleans(data, p, n, values, dst);
        else {
          const tmp = new Uint8Array(nonNull);
          plainBooleans(data, p, nonNull, tmp, 0);
          scatter(values, tmp, nonNull, validity!, dst);
        }
      } else {
        const at = plainNumbers(ws, plan, p, nonNull);
        const decoded = t.kind === 'i32' ? ws.i32(at, nonNull) : ws.f64(at, nonNull);
        if (dense) values.set(decoded, dst);
        else scatter(values, decoded, nonNull, validity!, dst);
      }
    } else if (header.encoding === ENC.RLE && t.kind === 'bool') {
      // booleans in data pages v2: a 4-byte length, then the hybrid encoding with bit width 1
      const data = ws.pageBytes();
      const len = u32le(data, p);
      p += 4;
      const tmp = new Uint8Array(nonNull);
      decodeBits(data, p, p + len, tmp, 0, nonNull);
      if (dense) values.set(tmp, dst);
      else scatter(values, tmp, nonNull, validity!, dst);
    } else {
      throw new Error(`page encoding ${header.encoding} is not supported`);
    }
    row += n;
  }
  if (t.kind === 'utf8') return { type, length: numRows, values, validity: anyNull ? validity : null, dict: strings };
  return { type, length: numRows, values, validity: anyNull ? validity : null };
}
