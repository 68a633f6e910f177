import { allocValues, makeColumn, type Column } from '../../../types/column.js';
import type { DataType } from '../../../types/data-type.js';
import { growCapacity, growF64, growI32, growU8 } from '../accumulators/types.js';
import { combineHash, hashNumber, tableCapacityFor } from './hash.js';
import type { GroupValues } from './types.js';

/**
 * Maps one utf8 column's strings to dense global ids: each batch dictionary is remapped once
 * (lazily per used code), rows then read `remap[code]`. Shared by multi-column group keys and
 * distinct accumulators.
 */
export class StringInterner {
  readonly map = new Map<string, number>();
  readonly strings: string[] = [];
  private lastDict: string[] | null = null;
  private remap = new Int32Array(0);

  /** Global ids of the rows of a utf8 column (NULL rows get an unspecified id). */
  ids(col: Column, numRows: number, out: Float64Array | Int32Array): void {
    const dict = col.dict!;
    if (dict !== this.lastDict || this.remap.length < dict.length) {
      this.lastDict = dict;
      this.remap = new Int32Array(dict.length).fill(-1);
    }
    const remap = this.remap;
    const codes = col.values as Int32Array;
    const validity = col.validity;
    let neg = 0;
    for (let i = 0; i < numRows; i++) {
      const g = remap[codes[i]];
      out[i] = g;
      neg |= g;
    }
    if (neg < 0) {
      for (let i = 0; i < numRows; i++) {
        if (out[i] >= 0 || (validity !== null && validity[i] === 0)) continue;
        const c = codes[i];
        let g = remap[c];
        if (g < 0) g = remap[c] = this.intern(dict[c]);
        out[i] = g;
      }
    }
    if (validity !== null) for (let i = 0; i < numRows; i++) if (validity[i] === 0) out[i] = 0;
  }

  intern(s: string): number {
    let g = this.map.get(s);
    if (g === undefined) {
      g = this.strings.length;
      this.strings.push(s);
      this.map.set(s, g);
    }
    return g;
  }
}

/**
 * Several key columns. Each column becomes a float64 component per row (the value; for utf8 the
 * global string id) plus a flag (0 value, 1 NULL, 2 NaN); components are hashed column at a time
 * and rows probe one open-addressing table of group ids, comparing stored components.
 */
export class MultiGroupValues implements GroupValues {
  readonly name = 'multi';
  private readonly k: number;
  private keys: Float64Array<ArrayBuffer>[];
  private flags: Uint8Array<ArrayBuffer>[];
  private hashes = new Int32Array(16);
  private n = 0;
  private table = new Int32Array(32).fill(-1);
  private mask = 31;
  private readonly interners: (StringInterner | null)[];
  private comps: Float64Array[] = [];
  private compFlags: Uint8Array[] = [];
  private rowHash = new Int32Array(0);

  constructor(private readonly types: readonly DataType[]) {
    this.k = types.length;
    this.keys = types.map(() => new Float64Array(16));
    this.flags = types.map(() => new Uint8Array(16));
    this.interners = types.map((t) => (t.kind === 'utf8' ? new StringInterner() : null));
  }

  intern(cols: readonly Column[], numRows: number, out: Int32Array): void {
    const k = this.k;
    if (this.rowHash.length < numRows) {
      const cap = growCapacity(this.rowHash.length, numRows);
      this.rowHash = new Int32Array(cap);
      this.comps = this.types.map(() => new Float64Array(cap));
      this.compFlags = this.types.map(() => new Uint8Array(cap));
    }
    const rh = this.rowHash;
    rh.fill(0, 0, numRows);
    for (let c = 0; c < k; c++) {
      const col = cols[c];
      const comp = this.comps[c];
      const fl = this.compFlags[c];
      const validity = col.validity;
      const interner = this.interners[c];
      if (interner !== null) interner.ids(col, numRows, comp);
      else {
        const v = col.values;
        for (let i = 0; i < numRows; i++) comp[i] = v[i] + 0;
      }
      for (let i = 0; i < numRows; i++) {
        let f = 0;
        let x = comp[i];
        if (validity !== null && validity[i] === 0) { f = 1; x = 0; }
        else if (x !== x) { f = 2; x = 0; }
        comp[i] = x;
        fl[i] = f;
        rh[i] = combineHash(rh[i], f === 0 ? hashNumber(x) : f);
      }
    }
    const comps = this.comps;
    const compFlags = this.compFlags;
    // Table arrays in locals; reloaded only after a group is created (growth may replace them).
    let table = this.table;
    let mask = this.mask;
    let hashes = this.hashes;
    let keys = this.keys;
    let flags = this.flags;
    for (let i = 0; i < numRows; i++) {
      const h = rh[i];
      let slot = h & mask;
      let g = -1;
      for (;;) {
        const t = table[slot];
        if (t < 0) break;
        if (hashes[t] === h) {
          let eq = true;
          for (let c = 0; c < k; c++) {
            if (keys[c][t] !== comps[c][i] || flags[c][t] !== compFlags[c][i]) { eq = false; break; }
          }
          if (eq) { g = t; break; }
        }
        slot = (slot + 1) & mask;
      }
      if (g < 0) {
        g = this.newGroup(i, h);
        table[slot] = g;
        if (this.n * 2 > table.length) this.rehash();
        table = this.table;
        mask = this.mask;
        hashes = this.hashes;
        keys = this.keys;
        flags = this.flags;
      }
      out[i] = g;
    }
  }

  private newGroup(row: number, h: number): number {
    const g = this.n++;
    if (g >= this.hashes.length) {
      this.hashes = growI32(this.hashes, g + 1);
      for (let c = 0; c < this.k; c++) {
        this.keys[c] = growF64(this.keys[c], g + 1);
        this.flags[c] = growU8(this.flags[c], g + 1);
      }
    }
    this.hashes[g] = h;
    for (let c = 0; c < this.k; c++) {
      this.keys[c][g] = this.comps[c][row];
      this.flags[c][g] = this.compFlags[c][row];
    }
    return g;
  }

  private rehash(): void {
    const cap = tableCapacityFor(this.n);
    const table = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (let g = 0; g < this.n; g++) {
      let slot = this.hashes[g] & mask;
      while (table[slot] >= 0) slot = (slot + 1) & mask;
      table[slot] = g;
    }
    this.table = table;
    this.mask = mask;
  }

  numGroups(): number {
    return this.n;
  }

  emit(): Column[] {
    const n = this.n;
    return this.types.map((type, c) => {
      const keys = this.keys[c];
      const fl = this.flags[c];
      const out = allocValues(type, n);
      let validity: Uint8Array | null = null;
      for (let g = 0; g < n; g++) {
        if (fl[g] === 1) { validity ??= new Uint8Array(n).fill(1); validity[g] = 0; }
        else out[g] = fl[g] === 2 ? NaN : keys[g];
      }
      const interner = this.interners[c];
      return makeColumn(type, out, validity, interner !== null ? interner.strings.slice() : undefined);
    });
  }

  size(): number {
    let s = this.table.byteLength + this.hashes.byteLength;
    for (let c = 0; c < this.k; c++) s += this.keys[c].byteLength + this.flags[c].byteLength;
    for (const it of this.interners) if (it) s += it.strings.length * 64;
    return s;
  }
}
