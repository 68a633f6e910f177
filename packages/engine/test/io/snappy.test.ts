/**
 * The WebAssembly Snappy decoder (src/io/wasm) against hysnappy's compressor and decompressor,
 * against hand-built blocks for the elements compressors rarely emit (4-byte offsets, long literal
 * lengths, overlapping copies), and on corrupt blocks: each fails with its reason, none crashes.
 */
import { snappyCompress, snappyUncompress as referenceUncompress } from 'hysnappy';
import { describe, expect, it } from 'vitest';
import { snappyUncompress } from '../../src/io/wasm/kernels.js';
import { rng } from './helpers.js';

/** Data shaped like Parquet pages: int64 amounts, bit-packed indices, text, runs, noise. */
function sample(kind: string, n: number, seed: number): Uint8Array {
  const r = rng(seed);
  const b = new Uint8Array(n);
  const dv = new DataView(b.buffer);
  if (kind === 'int64') for (let i = 0; i + 8 <= n; i += 8) dv.setUint32(i, Math.floor(r() * 1e7), true);
  else if (kind === 'noise') for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  else if (kind === 'runs') for (let i = 0; i < n; i++) b[i] = (i >> 9) & 3;
  else if (kind === 'period') for (let i = 0; i < n; i++) b[i] = (i * 37) % 13;
  else {
    const words = ['category_12', 'region_3', 'a', 'north', 'ε-ü', '2024-01-01'];
    const text = new TextEncoder();
    let at = 0;
    while (at < n) {
      const w = text.encode(words[Math.floor(r() * words.length)]);
      b.set(w.subarray(0, n - at), at);
      at += w.length;
    }
  }
  return b;
}

/** Hand-built block: the length varint, then elements. */
function block(size: number, ...elements: number[][]): Uint8Array {
  const out: number[] = [];
  for (let v = size; ; v = Math.floor(v / 128)) {
    out.push(v >= 128 ? (v & 0x7f) | 0x80 : v);
    if (v < 128) break;
  }
  for (const e of elements) out.push(...e);
  return Uint8Array.from(out);
}
const literal = (bytes: number[]): number[] => {
  const n = bytes.length - 1;
  if (n < 60) return [n << 2, ...bytes];
  if (n < 256) return [60 << 2, n, ...bytes];
  if (n < 65536) return [61 << 2, n & 0xff, n >> 8, ...bytes];
  return [62 << 2, n & 0xff, (n >> 8) & 0xff, n >> 16, ...bytes];
};
const copy1 = (len: number, offset: number): number[] => [1 | ((len - 4) << 2) | ((offset >> 8) << 5), offset & 0xff];
const copy2 = (len: number, offset: number): number[] => [2 | ((len - 1) << 2), offset & 0xff, offset >> 8];
const copy4 = (len: number, offset: number): number[] => [3 | ((len - 1) << 2), offset & 0xff, (offset >> 8) & 0xff, (offset >> 16) & 0xff, offset >>> 24];

describe('snappyUncompress', () => {
  it('decodes what hysnappy compresses, as hysnappy decodes it, for page-like data of every size', () => {
    let checked = 0;
    for (const kind of ['int64', 'noise', 'runs', 'period', 'text']) {
      for (const n of [0, 1, 7, 8, 15, 16, 17, 60, 61, 64, 255, 256, 1000, 65535, 65536, 65537, 300_001]) {
        const raw = sample(kind, n, n + 1);
        const packed = snappyCompress(raw);
        const out = snappyUncompress(packed, raw.length);
        expect(out.length).toBe(n);
        expect(Buffer.from(out).equals(Buffer.from(raw)), `${kind} ${n}`).toBe(true);
        if (n > 0) expect(Buffer.from(out).equals(Buffer.from(referenceUncompress(packed, n)))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(85);
  });

  it('handles overlapping copies, 4-byte offsets and literal lengths of 1-3 extra bytes', () => {
    // offset 1..7 repeat a pattern shorter than the 8 bytes moved at once
    for (let off = 1; off <= 9; off++) {
      const head = Array.from({ length: off }, (_, i) => 65 + i);
      const out = snappyUncompress(block(off + 40, literal(head), copy2(40, off)), off + 40);
      const want = Array.from({ length: off + 40 }, (_, i) => 65 + (i % off));
      expect(Array.from(out)).toEqual(want);
    }
    // a 300-byte literal (two length bytes), then a copy-1 and a copy-4 beyond 64 KiB back
    const lit = Array.from({ length: 300 }, (_, i) => i & 0xff);
    const far = Array.from({ length: 70_000 }, (_, i) => (i * 7) & 0xff);
    const bytes = block(300 + 11 + 70_000 + 20, literal(lit), copy1(11, 300), literal(far), copy4(20, 70_000 + 11 + 300));
    const out = snappyUncompress(bytes, 70_331);
    expect(Array.from(out.subarray(0, 300))).toEqual(lit);
    expect(Array.from(out.subarray(300, 311))).toEqual(lit.slice(0, 11));
    expect(Array.from(out.subarray(311, 70_311))).toEqual(far);
    expect(Array.from(out.subarray(70_311))).toEqual(lit.slice(0, 20));
  });

  it('returns each page right after a much larger one (the module memory grown once)', () => {
    const big = sample('int64', 4 << 20, 3);
    expect(snappyUncompress(snappyCompress(big), big.length).length).toBe(big.length);
    const small = sample('text', 100, 4);
    expect(Array.from(snappyUncompress(snappyCompress(small), 100))).toEqual(Array.from(small));
  });

  it('names what is wrong with a corrupt block', () => {
    const bad = (bytes: Uint8Array, size: number) => () => snappyUncompress(bytes, size);
    expect(bad(block(5, literal([1, 2, 3, 4, 5])), 6)).toThrow(/length header/);
    expect(bad(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), 1)).toThrow(/length header/);
    expect(bad(block(5, literal([1, 2, 3])), 5)).toThrow(/ends before the page size/);
    expect(bad(block(5, [4 << 2, 1, 2]), 5)).toThrow(/past the end of the compressed data/);
    expect(bad(block(4, literal([1, 2, 3, 4]).slice(0, 1)), 4)).toThrow(/past the end of the compressed data/);
    expect(bad(block(5, literal([1, 2, 3, 4, 5, 6])), 5)).toThrow(/writes past the page size/);
    expect(bad(block(8, literal([1, 2]), copy2(6, 0)), 8)).toThrow(/before the start/);
    expect(bad(block(8, literal([1, 2]), copy2(6, 3)), 8)).toThrow(/before the start/);
    expect(bad(block(8, literal([1, 2]), copy2(7, 2)), 8)).toThrow(/writes past the page size/);
    expect(bad(block(8, literal([1, 2]), [2 | (5 << 2), 2]), 8)).toThrow(/past the end of the compressed data/);
  });

  it('never fails other than with an Error on damaged blocks, and decodes the intact ones', () => {
    const r = rng(9);
    const raw = sample('text', 5000, 11);
    const packed = snappyCompress(raw);
    let failed = 0;
    for (let t = 0; t < 1000; t++) {
      const damaged = Uint8Array.from(packed);
      const at = 1 + Math.floor(r() * (damaged.length - 1));
      const input = t % 2 === 0 ? damaged.subarray(0, at) : ((damaged[at] ^= 1 << t % 8), damaged);
      try {
        expect(snappyUncompress(input, raw.length).length).toBe(raw.length);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(400); // every truncation fails; flipped bits mostly do
  });
});
