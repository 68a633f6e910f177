/**
 * The page kernels (snappy.c + pages.c, built by build.sh) and the one workspace in their memory
 * each thread decodes pages in. Decoding is synchronous, a column chunk at a time, so the layout
 * is fixed: the chunk's numeric dictionary first (kept while its data pages are decoded), then the
 * current page (decompressed there or copied in), then the page's decoded values. Views returned
 * here are valid until the next call that places a page or grows the memory.
 */
import { PAGE_KERNELS_WASM } from './page-kernels-wasm.js';

/** Readable bytes after a page and writable bytes after an output that the kernels may touch. */
const SLACK = 64;
/** WebAssembly memory grows in 64 KiB pages. */
const WASM_PAGE = 65536;

const ERRORS: Record<number, string> = {
  [-1]: 'Snappy length header is malformed or does not match the page size',
  [-2]: 'Snappy data ends before the page size',
  [-3]: 'Snappy element runs past the end of the compressed data',
  [-4]: 'Snappy element writes past the page size',
  [-5]: 'Snappy copy refers to before the start of the page',
  [-11]: 'RLE run header is malformed or runs past the end of the page',
  [-12]: 'RLE/bit-packed run past the end of the page',
  [-14]: 'bit width is out of range',
};

// The engine's lib has no DOM, where TypeScript declares the WebAssembly API: what is used here.
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: Wasm };

interface Exports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  readonly __heap_base: { readonly value: number };
  uncompress(src: number, srcLen: number, dst: number, dstLen: number): number;
  hybrid(p: number, end: number, bitWidth: number, count: number, limit: number, dict: number, out: number, kind: number): number;
  bad_index(): number;
  plain_i64_f64(p: number, n: number, out: number, scale: number): void;
  plain_i32_f64(p: number, n: number, out: number, unsigned: number): void;
  plain_f32_f64(p: number, n: number, out: number): void;
  copy(p: number, bytes: number, out: number): void;
}

/** What the dictionary indices of a page become (pages.c's OUT_*). */
export const OUT = { CODES: 0, F64: 1, I32: 2 } as const;

const align16 = (n: number): number => (n + 15) & ~15;

function load(): Exports {
  const bytes = Uint8Array.from(atob(PAGE_KERNELS_WASM), (c) => c.charCodeAt(0));
  return new wasmApi.Instance(new wasmApi.Module(bytes), {}).exports as Exports;
}

function fail(rc: number): never {
  throw new Error(ERRORS[rc] ?? `page decoding failed (${rc})`);
}

export class PageWorkspace {
  private readonly wasm = load();
  private readonly base = align16(this.wasm.__heap_base.value);
  private dictEnd = this.base;
  /** Offset and length of the current page's bytes. */
  pageAt = 0;
  pageLen = 0;
  /** Offset of the current page's decoded values. */
  private outAt = 0;

  private ensure(end: number): void {
    const have = this.wasm.memory.buffer.byteLength;
    if (have < end) this.wasm.memory.grow(Math.ceil((end - have) / WASM_PAGE));
  }

  /** Starts a column chunk's numeric dictionary of `bytes`: returns its offset (pages go after it). */
  dictionary(bytes: number): number {
    this.dictEnd = align16(this.base + bytes + SLACK);
    this.ensure(this.dictEnd);
    return this.base;
  }

  /** Forgets the dictionary (a chunk without one, or with strings). */
  noDictionary(): void {
    this.dictEnd = this.base;
  }

  /**
   * Places a page's `size` bytes after the dictionary: a Snappy block (codec 1) decompressed there,
   * other bytes copied. Sets pageAt/pageLen; throws Error with the reason when the block is corrupt.
   */
  page(snappy: boolean, src: Uint8Array, size: number): void {
    const w = this.wasm;
    if (!snappy) {
      if (src.length !== size) throw new Error(`uncompressed page of ${src.length} bytes, its header says ${size}`);
      this.pageAt = this.dictEnd;
      this.ensure(this.pageAt + size + SLACK);
      new Uint8Array(w.memory.buffer, this.pageAt, size).set(src);
    } else {
      const srcAt = this.dictEnd;
      this.pageAt = align16(srcAt + src.length + SLACK);
      this.ensure(this.pageAt + size + SLACK);
      new Uint8Array(w.memory.buffer, srcAt, src.length).set(src);
      const rc = w.uncompress(srcAt, src.length, this.pageAt, size);
      if (rc !== 0) fail(rc);
    }
    this.pageLen = size;
    this.outAt = align16(this.pageAt + size + SLACK);
  }

  /** The current page's bytes from `pos` on (a view). */
  pageBytes(pos = 0): Uint8Array {
    return new Uint8Array(this.wasm.memory.buffer, this.pageAt + pos, this.pageLen - pos);
  }

  /** Room for `bytes` of decoded values after the page: returns its offset. */
  private output(bytes: number): number {
    this.ensure(this.outAt + bytes + SLACK);
    return this.outAt;
  }

  /**
   * Decodes `count` RLE/bit-packed dictionary indices of width `bitWidth` from page[pos..), each
   * below `limit` (null: any 32-bit index), into the indices themselves (OUT.CODES, Int32) or the
   * dictionary entries at `dict` they name (OUT.F64, OUT.I32). Returns the output's offset.
   */
  hybrid(pos: number, bitWidth: number, count: number, limit: number | null, dict: number, kind: number): number {
    const out = this.output(count * (kind === OUT.F64 ? 8 : 4));
    if (count === 0) return out;
    if (limit === 0) {
      const codes = this.hybrid(pos, bitWidth, count, null, 0, OUT.CODES);
      throw new Error(`dictionary index ${this.i32(codes, 1)[0] >>> 0} out of range (0 entries)`);
    }
    const maxIndex = limit === null ? -1 : limit - 1; // -1: u32 2^32 - 1 in the module
    const rc = this.wasm.hybrid(this.pageAt + pos, this.pageAt + this.pageLen, bitWidth, count, maxIndex, dict, out, kind);
    if (rc === -13) throw new Error(`dictionary index ${this.wasm.bad_index()} out of range (${limit} entries)`);
    if (rc !== 0) fail(rc);
    return out;
  }

  /**
   * n PLAIN values at page[pos..) of physical `width` bytes each, converted by `kernel` into
   * `out` (the output after the page by default). Returns the offset written.
   */
  plain(pos: number, n: number, width: number, kernel: 'i64' | 'i32' | 'u32' | 'f32' | 'copy', scale = 1, out = -1): number {
    if (pos + n * width > this.pageLen) throw new Error('PLAIN values past the end of the page');
    const w = this.wasm;
    const p = this.pageAt + pos;
    const at = out >= 0 ? out : this.output(kernel === 'copy' ? n * width : n * 8);
    if (kernel === 'i64') w.plain_i64_f64(p, n, at, scale);
    else if (kernel === 'i32' || kernel === 'u32') w.plain_i32_f64(p, n, at, kernel === 'u32' ? 1 : 0);
    else if (kernel === 'f32') w.plain_f32_f64(p, n, at);
    else w.copy(p, n * width, at);
    return at;
  }

  f64(at: number, n: number): Float64Array {
    return new Float64Array(this.wasm.memory.buffer, at, n);
  }

  i32(at: number, n: number): Int32Array {
    return new Int32Array(this.wasm.memory.buffer, at, n);
  }
}

let workspace: PageWorkspace | null = null;

/** This thread's workspace (one module instance per thread, made on first use). */
export function pageWorkspace(): PageWorkspace {
  return (workspace ??= new PageWorkspace());
}

/** Decompresses one Snappy block of `size` bytes (a view valid until the next page); throws Error with the reason when it is corrupt. */
export function snappyUncompress(src: Uint8Array, size: number): Uint8Array {
  const w = pageWorkspace();
  w.noDictionary();
  w.page(true, src, size);
  return w.pageBytes();
}
