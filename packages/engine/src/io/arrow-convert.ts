/**
 * Arrow ⇄ engine Batch conversion.
 *
 * Reading (batchFromArrow) is zero-copy where the Arrow layout equals the engine storage
 * (Int32 / Date32 → Int32Array, Float64 → Float64Array, Dictionary<Utf8, Int32> codes); otherwise
 * one tight typed-array loop per column. 64-bit integers are converted through their two 32-bit
 * halves (no BigInt on the hot path). Plain Utf8 columns are dictionary-encoded by hashing the
 * raw UTF-8 bytes, so a JS string is created only once per distinct value.
 */
import * as arrow from 'apache-arrow';
import { EngineError } from '../errors.js';
import type { Batch, Field } from '../types/batch.js';
import type { Column } from '../types/column.js';
import type { DataType } from '../types/data-type.js';
import { BOOL, DATE, FLOAT64, INT32, INT64, TIMESTAMP, UTF8, decimal } from '../types/data-type.js';

const TWO32 = 4294967296;

// ---------------------------------------------------------------------------------------------
// Schema mapping
// ---------------------------------------------------------------------------------------------

/** Engine type of an Arrow type, or null when unsupported. */
export function engineTypeOfArrow(t: arrow.DataType): DataType | null {
  switch (t.typeId) {
    case arrow.Type.Int: {
      const it = t as arrow.Int;
      if (it.bitWidth <= 16 || (it.bitWidth === 32 && it.isSigned)) return INT32;
      if (it.bitWidth === 32 || (it.bitWidth === 64 && it.isSigned)) return INT64;
      return null; // Uint64
    }
    case arrow.Type.Float:
      return FLOAT64;
    case arrow.Type.Decimal: {
      const d = t as arrow.Decimal;
      return decimal(d.precision, d.scale);
    }
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8:
      return UTF8;
    case arrow.Type.Dictionary: {
      const d = t as arrow.Dictionary;
      const v = d.dictionary.typeId;
      return v === arrow.Type.Utf8 || v === arrow.Type.LargeUtf8 ? UTF8 : null;
    }
    case arrow.Type.Bool:
      return BOOL;
    case arrow.Type.Date:
      return DATE;
    case arrow.Type.Timestamp:
      return TIMESTAMP;
    case arrow.Type.Null:
      return { kind: 'null' };
    default:
      return null;
  }
}

/** Engine fields of an Arrow schema; throws feature_not_supported naming the first unsupported column. */
export function fieldsFromArrowSchema(schema: arrow.Schema): Field[] {
  return schema.fields.map((f) => {
    const type = engineTypeOfArrow(f.type);
    if (type === null) {
      throw new EngineError('feature_not_supported', `column "${f.name}" has unsupported Arrow type ${String(f.type)}`);
    }
    return { name: f.name, type, nullable: f.nullable };
  });
}

// ---------------------------------------------------------------------------------------------
// Arrow → Batch
// ---------------------------------------------------------------------------------------------

/** Byte-per-row validity of an Arrow Data, or null when it has no NULLs. */
function validityOf(d: arrow.Data): Uint8Array | null {
  const n = d.length;
  if (d.typeId === arrow.Type.Null) return new Uint8Array(n);
  const bm = d.nullBitmap;
  if (!bm || bm.length === 0 || d.nullCount === 0) return null;
  const out = new Uint8Array(n);
  const off = d.offset;
  if ((off & 7) === 0) {
    // byte-aligned: expand 8 rows per bitmap byte
    const base = off >> 3;
    const full = n >> 3;
    for (let j = 0; j < full; j++) {
      const b = bm[base + j];
      const o = j << 3;
      out[o] = b & 1;
      out[o + 1] = (b >> 1) & 1;
      out[o + 2] = (b >> 2) & 1;
      out[o + 3] = (b >> 3) & 1;
      out[o + 4] = (b >> 4) & 1;
      out[o + 5] = (b >> 5) & 1;
      out[o + 6] = (b >> 6) & 1;
      out[o + 7] = (b >> 7) & 1;
    }
    for (let i = full << 3; i < n; i++) out[i] = (bm[base + (i >> 3)] >> (i & 7)) & 1;
  } else {
    for (let i = 0; i < n; i++) {
      const k = i + off;
      out[i] = (bm[k >> 3] >> (k & 7)) & 1;
    }
  }
  return out;
}

/**
 * Signed 64-bit little-endian integers (as int32 halves, the value k at words[wordOffset +
 * k·stride]) → out[at..at+n), times scale: exact below 2^53.
 */
export function int64sIntoFloat64(words: Int32Array, wordOffset: number, stride: number, n: number, out: Float64Array, at: number, scale = 1): void {
  let w = wordOffset;
  if (scale === 1) {
    for (let i = 0; i < n; i++, w += stride) out[at + i] = words[w + 1] * TWO32 + (words[w] >>> 0);
  } else {
    for (let i = 0; i < n; i++, w += stride) out[at + i] = (words[w + 1] * TWO32 + (words[w] >>> 0)) * scale;
  }
}

function int64ToFloat64(words: Int32Array, wordOffset: number, stride: number, n: number, scale = 1): Float64Array {
  const out = new Float64Array(n);
  int64sIntoFloat64(words, wordOffset, stride, n, out, 0, scale);
  return out;
}

const int32View = (a: ArrayBufferView): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);

const utf8Decoder = new TextDecoder('utf-8');

/** Decodes the strings of a Utf8/LargeUtf8 Data (every entry; NULL entries become ''). */
function decodeUtf8Data(d: arrow.Data): string[] {
  const n = d.length;
  const offsets = d.valueOffsets as Int32Array | BigInt64Array;
  const bytes = d.values as Uint8Array;
  const out = new Array<string>(n);
  if (offsets instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) {
      out[i] = utf8Decoder.decode(bytes.subarray(Number(offsets[d.offset + i]), Number(offsets[d.offset + i + 1])));
    }
    return out;
  }
  return decodeUtf8Strings(offsets.subarray(d.offset, d.offset + n + 1), bytes, n);
}

/** The n strings at bytes[offsets[i]..offsets[i+1]). */
export function decodeUtf8Strings(o: Int32Array, bytes: Uint8Array, n: number): string[] {
  const out = new Array<string>(n);
  const start = o[0];
  const end = o[n];
  if (end - start > 0 && isAscii(bytes, start, end) && end - start < 256 * 1024 * 1024) {
    // one decode of the whole buffer, then cheap substrings (byte offsets == char offsets for ASCII)
    const all = utf8Decoder.decode(bytes.subarray(start, end));
    for (let i = 0; i < n; i++) out[i] = all.substring(o[i] - start, o[i + 1] - start);
  } else {
    for (let i = 0; i < n; i++) out[i] = utf8Decoder.decode(bytes.subarray(o[i], o[i + 1]));
  }
  return out;
}

function isAscii(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] > 127) return false;
  return true;
}

/** Cache of decoded dictionaries: the same dictionary vector is shared by every batch of a stream. */
const dictCache = new WeakMap<object, string[]>();

function dictionaryStrings(dv: arrow.Vector): string[] {
  let s = dictCache.get(dv);
  if (s === undefined) {
    s = [];
    for (const d of dv.data) {
      const part = decodeUtf8Data(d);
      for (let i = 0; i < part.length; i++) s.push(part[i]);
    }
    dictCache.set(dv, s);
  }
  return s;
}

/**
 * Dictionary-encodes a plain Utf8 column. Values are hashed on their UTF-8 bytes (FNV-1a) into an
 * open-addressing table; a JS string is decoded only for each new distinct value.
 */
function encodeUtf8(d: arrow.Data, validity: Uint8Array | null): { codes: Int32Array; dict: string[] } {
  const n = d.length;
  let offsets = d.valueOffsets as Int32Array | BigInt64Array;
  if (offsets instanceof BigInt64Array) {
    const o32 = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) o32[i] = Number(offsets[d.offset + i]);
    offsets = o32;
  } else {
    offsets = offsets.subarray(d.offset, d.offset + n + 1);
  }
  return encodeUtf8Bytes(offsets as Int32Array, d.values as Uint8Array, validity, n);
}

/** Dictionary-encodes the n strings at bytes[o[i]..o[i+1]) (rows with validity 0 get code 0). */
export function encodeUtf8Bytes(o: Int32Array, bytes: Uint8Array, validity: Uint8Array | null, n: number): { codes: Int32Array; dict: string[] } {
  const codes = new Int32Array(n);
  const dict: string[] = [];
  // per distinct entry: byte start/end of its first occurrence
  let cap = 1024;
  let mask = cap - 1;
  let table = new Int32Array(cap).fill(-1); // slot → dict code
  let hashes = new Int32Array(cap); // slot → hash
  let entStart = new Int32Array(256);
  let entEnd = new Int32Array(256);
  let entHash = new Int32Array(256);
  let count = 0;
  // no previous value yet: a length no value has (0 would match a leading empty string)
  let prevStart = 0;
  let prevEnd = -1;
  let prevCode = 0;
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    const s = o[i];
    const e = o[i + 1];
    const len = e - s;
    // run of the same value: compare with the previous row's bytes
    if (len === prevEnd - prevStart) {
      let same = true;
      for (let k = 0; k < len; k++) {
        if (bytes[s + k] !== bytes[prevStart + k]) {
          same = false;
          break;
        }
      }
      if (same) {
        codes[i] = prevCode;
        continue;
      }
    }
    let h = 0x811c9dc5 | 0;
    for (let k = s; k < e; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
    let slot = h & mask;
    let code = -1;
    for (;;) {
      const c = table[slot];
      if (c === -1) break;
      if (hashes[slot] === h && entEnd[c] - entStart[c] === len) {
        const es = entStart[c];
        let eq = true;
        for (let k = 0; k < len; k++) {
          if (bytes[s + k] !== bytes[es + k]) {
            eq = false;
            break;
          }
        }
        if (eq) {
          code = c;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (code === -1) {
      code = count++;
      table[slot] = code;
      hashes[slot] = h;
      if (code >= entStart.length) {
        const ns = new Int32Array(entStart.length * 2);
        ns.set(entStart);
        entStart = ns;
        const ne = new Int32Array(entEnd.length * 2);
        ne.set(entEnd);
        entEnd = ne;
        const nh = new Int32Array(entHash.length * 2);
        nh.set(entHash);
        entHash = nh;
      }
      entStart[code] = s;
      entEnd[code] = e;
      entHash[code] = h;
      dict.push(utf8Decoder.decode(bytes.subarray(s, e)));
      if (count * 2 > cap) {
        // grow and rehash
        cap *= 2;
        mask = cap - 1;
        table = new Int32Array(cap).fill(-1);
        hashes = new Int32Array(cap);
        for (let c = 0; c < count; c++) {
          let sl = entHash[c] & mask;
          while (table[sl] !== -1) sl = (sl + 1) & mask;
          table[sl] = c;
          hashes[sl] = entHash[c];
        }
      }
    }
    codes[i] = code;
    prevStart = s;
    prevEnd = e;
    prevCode = code;
  }
  return { codes, dict };
}

/** One engine column from one Arrow Data chunk, converted to `type` (from fieldsFromArrowSchema). */
export function columnFromArrowData(d: arrow.Data, type: DataType, name = '?'): Column {
  const n = d.length;
  const off = d.offset;
  const validity = validityOf(d);
  const t = d.type as arrow.DataType;
  switch (t.typeId) {
    case arrow.Type.Null:
      return { type, length: n, values: new Uint8Array(n), validity };
    case arrow.Type.Int: {
      const it = t as arrow.Int;
      const v = d.values as ArrayLike<number> & ArrayBufferView;
      if (it.bitWidth === 64) {
        const words = int32View(v);
        return { type, length: n, values: int64ToFloat64(words, off * 2, 2, n), validity };
      }
      if (type.kind === 'int32' && v instanceof Int32Array) {
        return { type, length: n, values: v.subarray(off, off + n), validity };
      }
      const out = type.kind === 'int32' ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = v[off + i];
      return { type, length: n, values: out, validity };
    }
    case arrow.Type.Float: {
      const ft = t as arrow.Float;
      if (ft.precision === arrow.Precision.DOUBLE) {
        const v = d.values as Float64Array;
        return { type, length: n, values: v.subarray(off, off + n), validity };
      }
      const out = new Float64Array(n);
      if (ft.precision === arrow.Precision.HALF) {
        const v = d.values as Uint16Array;
        for (let i = 0; i < n; i++) out[i] = arrow.util.uint16ToFloat64(v[off + i]);
      } else {
        const v = d.values as Float32Array;
        for (let i = 0; i < n; i++) out[i] = v[off + i];
      }
      return { type, length: n, values: out, validity };
    }
    case arrow.Type.Decimal: {
      const dt = t as arrow.Decimal;
      const words = int32View(d.values as Uint32Array);
      const stride = dt.bitWidth / 32;
      if (stride === 1) {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = words[off + i];
        return { type, length: n, values: out, validity };
      }
      return { type, length: n, values: int64ToFloat64(words, off * stride, stride, n), validity };
    }
    case arrow.Type.Bool: {
      const bm = d.values as Uint8Array;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const k = i + off;
        out[i] = (bm[k >> 3] >> (k & 7)) & 1;
      }
      return { type, length: n, values: out, validity };
    }
    case arrow.Type.Date: {
      const dt = t as arrow.Date_;
      if (dt.unit === arrow.DateUnit.DAY) {
        const v = d.values as Int32Array;
        return { type, length: n, values: v.subarray(off, off + n), validity };
      }
      const ms = int64ToFloat64(int32View(d.values as BigInt64Array), off * 2, 2, n);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(ms[i] / 86_400_000);
      return { type, length: n, values: out, validity };
    }
    case arrow.Type.Timestamp: {
      const tt = t as arrow.Timestamp;
      const words = int32View(d.values as BigInt64Array);
      switch (tt.unit) {
        case arrow.TimeUnit.SECOND:
          return { type, length: n, values: int64ToFloat64(words, off * 2, 2, n, 1_000_000), validity };
        case arrow.TimeUnit.MILLISECOND:
          return { type, length: n, values: int64ToFloat64(words, off * 2, 2, n, 1000), validity };
        case arrow.TimeUnit.MICROSECOND:
          return { type, length: n, values: int64ToFloat64(words, off * 2, 2, n), validity };
        default: {
          // nanoseconds exceed 2^53 for present-day values: divide exactly with BigInt (floor)
          const v = d.values as BigInt64Array;
          const out = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            const x = v[off + i];
            let q = x / 1000n;
            if (x < 0n && q * 1000n !== x) q -= 1n;
            out[i] = Number(q);
          }
          return { type, length: n, values: out, validity };
        }
      }
    }
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8: {
      const { codes, dict } = encodeUtf8(d, validity);
      return { type, length: n, values: codes, validity, dict };
    }
    case arrow.Type.Dictionary: {
      const dv = d.dictionary;
      const dict = dv ? dictionaryStrings(dv) : [];
      const v = d.values as ArrayLike<number> & ArrayBufferView;
      let codes: Int32Array;
      if (v instanceof Int32Array) codes = v.subarray(off, off + n);
      else {
        codes = new Int32Array(n);
        for (let i = 0; i < n; i++) codes[i] = v[off + i];
      }
      return { type, length: n, values: codes, validity, dict };
    }
    default:
      throw new EngineError('feature_not_supported', `column "${name}" has unsupported Arrow type ${String(t)}`);
  }
}

/**
 * An engine Batch from an Arrow RecordBatch. `fields` are the engine fields of the batch's
 * columns (from fieldsFromArrowSchema); `columnNames` selects (and orders) a subset by name.
 */
export function batchFromArrow(rb: arrow.RecordBatch, fields?: readonly Field[], columnNames?: readonly string[]): Batch {
  const all = fields ?? fieldsFromArrowSchema(rb.schema);
  const names = rb.schema.fields.map((f) => f.name);
  const outFields: Field[] = [];
  const columns: Column[] = [];
  const wanted = columnNames ?? all.map((f) => f.name);
  for (const name of wanted) {
    const idx = names.indexOf(name);
    if (idx < 0) throw new EngineError('undefined_column', `column "${name}" does not exist`);
    const field = all.find((f) => f.name === name) ?? all[idx];
    const child = rb.getChildAt(idx)!;
    const data = child.data;
    let col: Column;
    if (data.length === 1) col = columnFromArrowData(data[0], field.type, name);
    else col = concatColumns(data.map((d) => columnFromArrowData(d, field.type, name)), field.type);
    outFields.push(field);
    columns.push(col);
  }
  return { schema: outFields, columns, numRows: rb.numRows };
}

/** Concatenates columns of one type (dictionaries are merged). */
export function concatColumns(cols: readonly Column[], type: DataType): Column {
  if (cols.length === 1) return cols[0];
  let n = 0;
  let anyNull = false;
  for (const c of cols) {
    n += c.length;
    if (c.validity) anyNull = true;
  }
  const values =
    type.kind === 'bool' || type.kind === 'null'
      ? new Uint8Array(n)
      : type.kind === 'int32' || type.kind === 'date' || type.kind === 'utf8'
        ? new Int32Array(n)
        : new Float64Array(n);
  const validity = anyNull ? new Uint8Array(n).fill(1) : null;
  let dict: string[] | undefined;
  let pos = 0;
  if (type.kind === 'utf8') {
    dict = [];
    const index = new Map<string, number>();
    for (const c of cols) {
      const remap = new Int32Array(c.dict!.length);
      for (let j = 0; j < c.dict!.length; j++) {
        const s = c.dict![j];
        let code = index.get(s);
        if (code === undefined) {
          code = dict.length;
          dict.push(s);
          index.set(s, code);
        }
        remap[j] = code;
      }
      const src = c.values as Int32Array;
      const dst = values as Int32Array;
      const v = c.validity;
      for (let i = 0; i < c.length; i++) dst[pos + i] = v !== null && v[i] === 0 ? 0 : remap[src[i]];
      if (v && validity) validity.set(v, pos);
      pos += c.length;
    }
    return { type, length: n, values, validity, dict };
  }
  for (const c of cols) {
    values.set(c.values as never, pos);
    if (c.validity && validity) validity.set(c.validity, pos);
    pos += c.length;
  }
  return { type, length: n, values, validity };
}

// ---------------------------------------------------------------------------------------------
// Batch → Arrow
// ---------------------------------------------------------------------------------------------

/** Arrow type used to export an engine type. */
export function arrowTypeOf(t: DataType, dictId = 0): arrow.DataType {
  switch (t.kind) {
    case 'null': return new arrow.Null();
    case 'bool': return new arrow.Bool();
    case 'int32': return new arrow.Int32();
    case 'int64': return new arrow.Int64();
    case 'float64': return new arrow.Float64();
    case 'decimal': return new arrow.Decimal(t.scale, t.precision, 128);
    case 'utf8': return new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32(), dictId);
    case 'date': return new arrow.DateDay();
    case 'timestamp': return new arrow.TimestampMicrosecond();
  }
}

export function arrowSchemaOf(fields: readonly Field[]): arrow.Schema {
  return new arrow.Schema(fields.map((f, i) => new arrow.Field(f.name, arrowTypeOf(f.type, i), f.nullable)));
}

function bitmapOf(bytes: Uint8Array, n: number): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array(((n + 63) >> 6) << 3);
  let valid = 0;
  const full = n >> 3;
  for (let j = 0; j < full; j++) {
    const o = j << 3;
    const b =
      bytes[o] | (bytes[o + 1] << 1) | (bytes[o + 2] << 2) | (bytes[o + 3] << 3) |
      (bytes[o + 4] << 4) | (bytes[o + 5] << 5) | (bytes[o + 6] << 6) | (bytes[o + 7] << 7);
    bitmap[j] = b;
  }
  for (let i = full << 3; i < n; i++) if (bytes[i]) bitmap[i >> 3] |= 1 << (i & 7);
  for (let i = 0; i < n; i++) valid += bytes[i];
  return { bitmap, nullCount: n - valid };
}

/** float64 integers → little-endian int64 words (exact below 2^53). */
function toInt64Words(src: Float64Array, n: number, words: Int32Array, stride: number): void {
  for (let i = 0, w = 0; i < n; i++, w += stride) {
    const x = src[i];
    const hi = Math.floor(x / TWO32);
    words[w] = (x - hi * TWO32) | 0;
    words[w + 1] = hi | 0;
  }
}

const utf8Encoder = new TextEncoder();

function utf8Vector(strings: readonly string[]): arrow.Vector<arrow.Utf8> {
  const n = strings.length;
  const offsets = new Int32Array(n + 1);
  const parts: Uint8Array[] = new Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const b = utf8Encoder.encode(strings[i]);
    parts[i] = b;
    total += b.length;
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < n; i++) bytes.set(parts[i], offsets[i]);
  return arrow.makeVector(arrow.makeData({ type: new arrow.Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data: bytes }));
}

/** Dictionary vectors of exported utf8 columns, cached per engine dictionary array. */
const exportedDicts = new WeakMap<string[], arrow.Vector<arrow.Utf8>>();

/** An Arrow Data for one engine column, typed per arrowTypeOf. */
export function columnToArrowData(c: Column, type: arrow.DataType = arrowTypeOf(c.type)): arrow.Data {
  const n = c.length;
  let nullBitmap: Uint8Array | undefined;
  let nullCount = 0;
  if (c.validity !== null) {
    const b = bitmapOf(c.validity, n);
    if (b.nullCount > 0) {
      nullBitmap = b.bitmap;
      nullCount = b.nullCount;
    }
  }
  const k = c.type.kind;
  switch (k) {
    case 'null':
      return arrow.makeData({ type: new arrow.Null(), length: n, nullCount: n });
    case 'bool': {
      const v = c.values as Uint8Array;
      const bits = bitmapOf(v, n).bitmap;
      return arrow.makeData({ type: type as arrow.Bool, length: n, nullCount, nullBitmap, data: bits });
    }
    case 'int32':
    case 'date':
      return arrow.makeData({ type: type as arrow.Int32, length: n, nullCount, nullBitmap, data: c.values as Int32Array });
    case 'float64':
      return arrow.makeData({ type: type as arrow.Float64, length: n, nullCount, nullBitmap, data: c.values as Float64Array });
    case 'int64':
    case 'timestamp': {
      const out = new BigInt64Array(n);
      toInt64Words(c.values as Float64Array, n, new Int32Array(out.buffer), 2);
      return arrow.makeData({ type: type as arrow.Int64, length: n, nullCount, nullBitmap, data: out });
    }
    case 'decimal': {
      const out = new Uint32Array(n * 4);
      const words = new Int32Array(out.buffer);
      toInt64Words(c.values as Float64Array, n, words, 4);
      for (let i = 0, w = 0; i < n; i++, w += 4) {
        const s = words[w + 1] >> 31;
        words[w + 2] = s;
        words[w + 3] = s;
      }
      return arrow.makeData({ type: type as arrow.Decimal, length: n, nullCount, nullBitmap, data: out });
    }
    case 'utf8': {
      const dictArr = c.dict ?? [];
      let dv = exportedDicts.get(dictArr);
      if (dv === undefined) {
        dv = utf8Vector(dictArr);
        exportedDicts.set(dictArr, dv);
      }
      let codes = c.values as Int32Array;
      if (c.validity !== null && dictArr.length === 0) codes = new Int32Array(n); // all NULL: keep codes in range
      return arrow.makeData({ type: type as arrow.Dictionary<arrow.Utf8, arrow.Int32>, length: n, nullCount, nullBitmap, data: codes, dictionary: dv });
    }
  }
}

/** An Arrow RecordBatch of an engine batch (utf8 → Dictionary<Utf8, Int32>). */
export function batchToArrow(batch: Batch, schema: arrow.Schema = arrowSchemaOf(batch.schema)): arrow.RecordBatch {
  const children = batch.columns.map((c, i) => columnToArrowData(c, schema.fields[i].type));
  const data = arrow.makeData({
    type: new arrow.Struct(schema.fields),
    length: batch.numRows,
    nullCount: 0,
    children,
  });
  return new arrow.RecordBatch(schema, data);
}

/** An Arrow Table of engine batches (all with the given fields). */
export function tableToArrow(fields: readonly Field[], batches: readonly Batch[]): arrow.Table {
  const schema = arrowSchemaOf(fields);
  const rbs = batches.filter((b) => b.numRows > 0).map((b) => batchToArrow(b, schema));
  if (rbs.length === 0) return new arrow.Table(schema);
  return new arrow.Table(schema, rbs);
}
