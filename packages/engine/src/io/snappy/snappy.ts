/**
 * Snappy block decompression in WebAssembly (snappy.c, built by build.sh). The output is a view
 * into the module's memory, valid until the next call in this thread: page decoders read it
 * straight away and copy what they keep, so no page is copied out of the module first.
 */
import { SNAPPY_WASM } from './snappy-wasm.js';

/** Readable bytes after the input and writable bytes after the output that snappy.c may touch. */
const SLACK = 64;
/** WebAssembly memory grows in 64 KiB pages. */
const WASM_PAGE = 65536;

const ERRORS: Record<number, string> = {
  [-1]: 'Snappy length header is malformed or does not match the page size',
  [-2]: 'Snappy data ends before the page size',
  [-3]: 'Snappy element runs past the end of the compressed data',
  [-4]: 'Snappy element writes past the page size',
  [-5]: 'Snappy copy refers to before the start of the page',
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
}

let instance: Exports | null = null;

function load(): Exports {
  const bytes = Uint8Array.from(atob(SNAPPY_WASM), (c) => c.charCodeAt(0));
  return new wasmApi.Instance(new wasmApi.Module(bytes), {}).exports as Exports;
}

const align16 = (n: number): number => (n + 15) & ~15;

/** Decompresses one Snappy block of `size` bytes; throws Error with the reason when it is corrupt. */
export function snappyUncompress(src: Uint8Array, size: number): Uint8Array {
  const wasm = (instance ??= load());
  const srcAt = align16(wasm.__heap_base.value);
  const dstAt = align16(srcAt + src.length + SLACK);
  const need = dstAt + size + SLACK;
  const have = wasm.memory.buffer.byteLength;
  if (have < need) wasm.memory.grow(Math.ceil((need - have) / WASM_PAGE));
  new Uint8Array(wasm.memory.buffer, srcAt, src.length).set(src);
  const rc = wasm.uncompress(srcAt, src.length, dstAt, size);
  if (rc !== 0) throw new Error(ERRORS[rc] ?? `Snappy decompression failed (${rc})`);
  return new Uint8Array(wasm.memory.buffer, dstAt, size);
}
