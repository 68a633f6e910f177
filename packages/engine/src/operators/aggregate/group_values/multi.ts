import { allocValues, makeColumn, type Column } from '../../../types/column.js';
import type { DataType } from '../../../types/data-type.js';
import { growCapacity, growF64, growI32 } from '../accumulators/types.js';
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
  ids(col: Column, numRows: number, out: Int32Array): void {
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

  /** Global ids of the dictionary entries of a batch (all entries interned). */
  dictIds(dict: string[]): Int32Array {
    if (dict === this.lastDict && this.remap.length >= dict.length) {
      const remap = this.remap;
      for (let c = 0; c < dict.length; c++) if (remap[c] < 0) remap[c] = this.intern(dict[c]);
      return remap;
    }
    this.lastDict = dict;
    const remap = (this.remap = new Int32Array(dict.length));
    for (let c = 0; c < dict.length; c++) remap[c] = this.intern(dict[c]);
    return remap;
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

  /** Takes an id that no string maps to (an empty-string slot), e.g. for a column's NULL. */
  placeholder(): number {
    this.strings.push('');
    return this.strings.length - 1;
  }
}

/** Component value of a NULL key in non-float64 columns (their values are always integers). */
const NULL_KEY = 0.5;

/**
 * General multi-column keys (the path for key domains too large for the perfect hash). Each
 * column becomes float64 components per row: its value (utf8: the global string id; NULL: 0.5,
 * which no integral type can hold); float64 columns get a second component flag (0 value, 1 NULL,
 * 2 NaN). Components are hashed column at a time into one Int32Array (vectorized), then each row
 * makes one probe of an open-addressing table of group ids; keys are compared component by
 * component only where the stored 32-bit hash matches.
 */
export class MultiGroupValues implements GroupValues {
  readonly name = 'hash';
  private readonly k: number;
  /** Number of components. */
  private readonly K: number;
  /** First component of column c. */
  private readonly compOf: number[];
  private readonly interners: (StringInterner | null)[];
  /** Per group: hash and components. */
  private ghash = new Int32Array(16);
  private gkeys: Float64Array<ArrayBuffer>[];
  private n = 0;
  private table = new Int32Array(32).fill(-1);
  private mask = 31;
  /** Per row scratch (reused across batches). */
  private comps: Float64Array[] = [];
  private rowHash = new Int32Array(0);
  private ids = new Int32Array(0);
  private readonly scratchKey: Float64Array;

  /** `interners`: per utf8 column, an existing interner whose ids the keys already use (perfect-hash fallback). */
  constructor(private readonly types: readonly DataType[], interners?: readonly (StringInterner | null)[]) {
    this.k = types.length;
    this.compOf = [];
    let K = 0;
    for (const t of types) {
      this.compOf.push(K);
      K += t.kind === 'float64' ? 2 : 1;
    }
    this.K = K;
    this.scratchKey = new Float64Array(K);
    this.gkeys = Array.from({ length: K }, () => new Float64Array(16));
    this.interners = types.map((t, c) => (t.kind === 'utf8' ? (interners?.[c] ?? new StringInterner()) : null));
  }

  intern(cols: readonly Column[], numRows: number, out: Int32Array): void {
    const K = this.K;
    if (this.rowHash.length < numRows) {
      const cap = growCapacity(this.rowHash.length, numRows);
      this.rowHash = new Int32Array(cap);
      this.ids = new Int32Array(cap);
      this.comps = Array.from({ length: K }, () => new Float64Array(cap));
    }
    const comps = this.comps;
    for (let c = 0; c < this.k; c++) {
      const col = cols[c];
      const j = this.compOf[c];
      const interner = this.interners[c];
      if (interner !== null) {
        interner.ids(col, numRows, this.ids);
        fillFromI32(this.ids, col.validity, comps[j], numRows);
      } else if (this.types[c].kind === 'float64') {
        fillFloat(col.values as Float64Array, col.validity, comps[j], comps[j + 1], numRows);
      } else if (col.values instanceof Int32Array) {
        fillFromI32(col.values, col.validity, comps[j], numRows);
      } else if (col.values instanceof Float64Array) {
        fillFromF64(col.values, col.validity, comps[j], numRows);
      } else {
        fillFromU8(col.values, col.validity, comps[j], numRows);
      }
    }
    const rh = this.rowHash;
    hashFirst(comps[0], rh, numRows);
    for (let j = 1; j < K; j++) hashNext(comps[j], rh, numRows);
    if (K === 2) this.probe2(numRows, out);
    else this.probeK(numRows, out);
  }

  private probe2(numRows: number, out: Int32Array): void {
    const rh = this.rowHash;
    const a = this.comps[0];
    const b = this.comps[1];
    let table = this.table;
    let mask = this.mask;
    let ghash = this.ghash;
    let ga = this.gkeys[0];
    let gb = this.gkeys[1];
    for (let i = 0; i < numRows; i++) {
      const h = rh[i];
      let slot = h & mask;
      let g = -1;
      for (;;) {
        const t = table[slot];
        if (t < 0) break;
        if (ghash[t] === h && ga[t] === a[i] && gb[t] === b[i]) { g = t; break; }
        slot = (slot + 1) & mask;
      }
      if (g < 0) {
        g = this.newGroup(i, h, slot);
        table = this.table;
        mask = this.mask;
        ghash = this.ghash;
        ga = this.gkeys[0];
        gb = this.gkeys[1];
      }
      out[i] = g;
    }
  }

  private probeK(numRows: number, out: Int32Array): void {
    const K = this.K;
    const rh = this.rowHash;
    const comps = this.comps;
    let table = this.table;
    let mask = this.mask;
    let ghash = this.ghash;
    let gkeys = this.gkeys;
    for (let i = 0; i < numRows; i++) {
      const h = rh[i];
      let slot = h & mask;
      let g = -1;
      for (;;) {
        const t = table[slot];
        if (t < 0) break;
        if (ghash[t] === h) {
          let eq = true;
          for (let j = 0; j < K; j++) {
            if (gkeys[j][t] !== comps[j][i]) { eq = false; break; }
          }
          if (eq) { g = t; break; }
        }
        slot = (slot + 1) & mask;
      }
      if (g < 0) {
        g = this.newGroup(i, h, slot);
        table = this.table;
        mask = this.mask;
        ghash = this.ghash;
        gkeys = this.gkeys;
      }
      out[i] = g;
    }
  }

  /** Creates a group for row `row` of the current batch at empty table slot `slot`. */
  private newGroup(row: number, h: number, slot: number): number {
    const g = this.reserveGroup(h);
    for (let j = 0; j < this.K; j++) this.gkeys[j][g] = this.comps[j][row];
    this.table[slot] = g;
    if (this.n * 2 > this.table.length) this.rehash();
    return g;
  }

  private reserveGroup(h: number): number {
    const g = this.n++;
    if (g >= this.ghash.length) {
      this.ghash = growI32(this.ghash, g + 1);
      for (let j = 0; j < this.K; j++) this.gkeys[j] = growF64(this.gkeys[j], g + 1);
    }
    this.ghash[g] = h;
    return g;
  }

  /**
   * Appends a group with the given key (in group-index order; keys must be distinct): per column
   * `kind` 0 value, 1 NULL, 2 NaN; `value` the number (utf8: the interner's string id).
   */
  appendGroup(kind: Int32Array, value: Float64Array): number {
    const row = this.scratchKey;
    for (let c = 0; c < this.k; c++) {
      const j = this.compOf[c];
      if (this.types[c].kind === 'float64') {
        row[j] = kind[c] === 0 ? value[c] + 0 : 0;
        row[j + 1] = kind[c];
      } else {
        row[j] = kind[c] === 1 ? NULL_KEY : value[c];
      }
    }
    let h = hashNumber(row[0]);
    for (let j = 1; j < this.K; j++) h = combineHash(h, hashNumber(row[j]));
    const g = this.reserveGroup(h);
    for (let j = 0; j < this.K; j++) this.gkeys[j][g] = row[j];
    let slot = h & this.mask;
    while (this.table[slot] >= 0) slot = (slot + 1) & this.mask;
    this.table[slot] = g;
    if (this.n * 2 > this.table.length) this.rehash();
    return g;
  }

  private rehash(): void {
    const cap = tableCapacityFor(this.n);
    const table = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    const ghash = this.ghash;
    for (let g = 0; g < this.n; g++) {
      let slot = ghash[g] & mask;
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
      const j = this.compOf[c];
      const keys = this.gkeys[j];
      const out = allocValues(type, n);
      let validity: Uint8Array | null = null;
      if (type.kind === 'float64') {
        const fl = this.gkeys[j + 1];
        for (let g = 0; g < n; g++) {
          if (fl[g] === 1) { validity ??= new Uint8Array(n).fill(1); validity[g] = 0; }
          else out[g] = fl[g] === 2 ? NaN : keys[g];
        }
      } else {
        for (let g = 0; g < n; g++) {
          const x = keys[g];
          if (x === NULL_KEY) { validity ??= new Uint8Array(n).fill(1); validity[g] = 0; }
          else out[g] = x;
        }
      }
      const interner = this.interners[c];
      return makeColumn(type, out, validity, interner !== null ? interner.strings.slice() : undefined);
    });
  }

  size(): number {
    let s = this.table.byteLength + this.ghash.byteLength;
    for (let j = 0; j < this.K; j++) s += this.gkeys[j].byteLength;
    for (const it of this.interners) if (it) s += it.strings.length * 64;
    return s;
  }
}

// Component builders and hashing: one monomorphic loop per source array type.

function fillFromI32(v: Int32Array, validity: Uint8Array | null, comp: Float64Array, n: number): void {
  if (validity === null) for (let i = 0; i < n; i++) comp[i] = v[i];
  else for (let i = 0; i < n; i++) comp[i] = validity[i] === 0 ? NULL_KEY : v[i];
}

function fillFromF64(v: Float64Array, validity: Uint8Array | null, comp: Float64Array, n: number): void {
  if (validity === null) for (let i = 0; i < n; i++) comp[i] = v[i] + 0;
  else for (let i = 0; i < n; i++) comp[i] = validity[i] === 0 ? NULL_KEY : v[i] + 0;
}

function fillFromU8(v: Uint8Array, validity: Uint8Array | null, comp: Float64Array, n: number): void {
  if (validity === null) for (let i = 0; i < n; i++) comp[i] = v[i];
  else for (let i = 0; i < n; i++) comp[i] = validity[i] === 0 ? NULL_KEY : v[i];
}

function fillFloat(v: Float64Array, validity: Uint8Array | null, comp: Float64Array, flag: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = v[i] + 0;
    if (validity !== null && validity[i] === 0) { comp[i] = 0; flag[i] = 1; }
    else if (x !== x) { comp[i] = 0; flag[i] = 2; }
    else { comp[i] = x; flag[i] = 0; }
  }
}

function hashFirst(comp: Float64Array, rh: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) rh[i] = hashNumber(comp[i]);
}

function hashNext(comp: Float64Array, rh: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) rh[i] = combineHash(rh[i], hashNumber(comp[i]));
}
