/**
 * Minimal Parquet footer reader (Thrift compact protocol), for what parquet-wasm's metadata API
 * does not expose: per-row-group column statistics and the physical/logical column types.
 */
import fs from 'node:fs/promises';

type TValue = number | boolean | Uint8Array | TValue[] | TStruct | null;
/** A decoded Thrift struct: field id → value. */
export type TStruct = Map<number, TValue>;

class CompactReader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.buf.length) throw new Error('unexpected end of footer');
    return this.buf[this.pos++];
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
      if (mul > 2 ** 70) throw new Error('bad varint');
    }
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  binary(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('unexpected end of footer');
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  value(type: number): TValue {
    switch (type) {
      case 1: return true;
      case 2: return false;
      case 3: { const b = this.byte(); return b > 127 ? b - 256 : b; }
      case 4:
      case 5:
      case 6: return this.zigzag();
      case 7: {
        const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8);
        this.pos += 8;
        return dv.getFloat64(0, true);
      }
      case 8: return this.binary();
      case 9:
      case 10: {
        const h = this.byte();
        let size = h >> 4;
        const et = h & 15;
        if (size === 15) size = this.varint();
        const out: TValue[] = [];
        for (let i = 0; i < size; i++) out.push(et === 1 || et === 2 ? this.byte() === 1 : this.value(et));
        return out;
      }
      case 11: {
        const size = this.varint();
        if (size > 0) {
          const kv = this.byte();
          for (let i = 0; i < size; i++) {
            this.value(kv >> 4);
            this.value(kv & 15);
          }
        }
        return null;
      }
      case 12: return this.struct();
      default: throw new Error(`bad thrift type ${type}`);
    }
  }

  struct(): TStruct {
    const out: TStruct = new Map();
    let last = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return out;
      const type = h & 15;
      const delta = h >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      last = id;
      out.set(id, this.value(type));
    }
  }
}

export const PHYS = { BOOLEAN: 0, INT32: 1, INT64: 2, INT96: 3, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7 } as const;

export interface ChunkInfo {
  /** Top-level column name (first element of path_in_schema). */
  readonly name: string;
  readonly physicalType: number;
  readonly compressedSize: number;
  readonly numValues: number;
  readonly nullCount?: number;
  /** Raw statistics bytes (min_value/max_value, or the legacy min/max for non-binary types). */
  readonly min?: Uint8Array;
  readonly max?: Uint8Array;
}

export interface RowGroupInfo {
  readonly numRows: number;
  readonly totalByteSize: number;
  readonly compressedSize: number;
  readonly columns: readonly ChunkInfo[];
}

export interface FooterInfo {
  readonly numRows: number;
  readonly createdBy?: string;
  readonly rowGroups: readonly RowGroupInfo[];
  readonly fileSize: number;
}

const num = (v: TValue | undefined): number => (typeof v === 'number' ? v : 0);
const bin = (v: TValue | undefined): Uint8Array | undefined => (v instanceof Uint8Array ? v : undefined);
const decoder = new TextDecoder();

/** Reads and decodes the footer of a Parquet file. Throws Error (with a reason) when invalid. */
export async function readParquetFooter(path: string): Promise<FooterInfo> {
  const fh = await fs.open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 12) throw new Error('file is too small');
    const tail = new Uint8Array(8);
    await fh.read(tail, 0, 8, size - 8);
    if (tail[4] !== 0x50 || tail[5] !== 0x41 || tail[6] !== 0x52 || tail[7] !== 0x31) throw new Error('missing PAR1 magic at the end of the file');
    const len = tail[0] | (tail[1] << 8) | (tail[2] << 16) | (tail[3] << 24);
    if (len <= 0 || len > size - 12) throw new Error('invalid footer length');
    const head = new Uint8Array(4);
    await fh.read(head, 0, 4, 0);
    if (head[0] !== 0x50 || head[1] !== 0x41 || head[2] !== 0x52 || head[3] !== 0x31) throw new Error('missing PAR1 magic at the start of the file');
    const buf = new Uint8Array(len);
    await fh.read(buf, 0, len, size - 8 - len);
    const meta = new CompactReader(buf).struct();
    const rowGroups: RowGroupInfo[] = [];
    for (const rgv of (meta.get(4) as TValue[] | undefined) ?? []) {
      const rg = rgv as TStruct;
      const cols: ChunkInfo[] = [];
      let compressed = 0;
      for (const ccv of (rg.get(1) as TValue[] | undefined) ?? []) {
        const cmd = (ccv as TStruct).get(3) as TStruct | undefined;
        if (!cmd) continue;
        const path = ((cmd.get(3) as TValue[] | undefined) ?? []).map((p) => decoder.decode(p as Uint8Array));
        const physicalType = num(cmd.get(1));
        const st = cmd.get(12) as TStruct | undefined;
        let min: Uint8Array | undefined;
        let max: Uint8Array | undefined;
        let nullCount: number | undefined;
        if (st) {
          min = bin(st.get(6));
          max = bin(st.get(5));
          if ((min === undefined || max === undefined) && physicalType !== PHYS.BYTE_ARRAY && physicalType !== PHYS.FIXED_LEN_BYTE_ARRAY) {
            min = bin(st.get(2));
            max = bin(st.get(1));
          }
          if (st.has(3)) nullCount = num(st.get(3));
        }
        const size = num(cmd.get(7));
        compressed += size;
        cols.push({ name: path[0] ?? '', physicalType, compressedSize: size, numValues: num(cmd.get(5)), nullCount, min, max });
      }
      rowGroups.push({ numRows: num(rg.get(3)), totalByteSize: num(rg.get(2)), compressedSize: compressed, columns: cols });
    }
    const cb = bin(meta.get(6));
    return { numRows: num(meta.get(3)), createdBy: cb ? decoder.decode(cb) : undefined, rowGroups, fileSize: size };
  } finally {
    await fh.close();
  }
}
