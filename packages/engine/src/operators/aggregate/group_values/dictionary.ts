import { makeColumn, type Column } from '../../../types/column.js';
import type { DataType } from '../../../types/data-type.js';
import { growI32 } from '../accumulators/types.js';
import { remapCodes } from './lookup.js';
import type { GroupValues } from './types.js';

/**
 * Single utf8 key. Each batch's dictionary entries are mapped to global group ids lazily (first
 * row using a code), so a row's group is `remap[code]` — no string hashing per row. The remap is
 * kept while consecutive batches share the same dictionary array.
 */
export class DictionaryGroupValues implements GroupValues {
  readonly name = 'dictionary';
  private readonly map = new Map<string, number>();
  private readonly strings: string[] = [];
  private nullGroup = -1;
  private lastDict: string[] | null = null;
  private remap = new Int32Array(0);
  private bytes = 0;

  constructor(private readonly type: DataType) {}

  intern(cols: readonly Column[], numRows: number, out: Int32Array): void {
    const col = cols[0];
    const dict = col.dict!;
    if (dict !== this.lastDict) {
      this.lastDict = dict;
      this.remap = new Int32Array(dict.length).fill(-1);
      // Small dictionary: resolve entries that already have a group up front (no group is created
      // for unused entries), so the row loop rarely needs its fix-up pass.
      if (dict.length <= numRows && this.strings.length > 0) {
        const remap = this.remap;
        for (let c = 0; c < dict.length; c++) {
          const g = this.map.get(dict[c]);
          if (g !== undefined) remap[c] = g;
        }
      }
    } else if (this.remap.length < dict.length) {
      const old = this.remap.length;
      this.remap = growI32(this.remap, dict.length);
      this.remap.fill(-1, old);
    }
    const remap = this.remap;
    const codes = col.values as Int32Array;
    const validity = col.validity;
    if (validity === null) {
      // Branch-free remap; codes seen for the first time (remap -1) are fixed up in a second pass.
      if (remapCodes(remap, codes, out, numRows) < 0) {
        for (let i = 0; i < numRows; i++) {
          if (out[i] >= 0) continue;
          const c = codes[i];
          let g = remap[c];
          if (g < 0) g = remap[c] = this.lookup(dict[c]);
          out[i] = g;
        }
      }
    } else {
      for (let i = 0; i < numRows; i++) {
        if (validity[i] === 0) {
          out[i] = this.nullGroup >= 0 ? this.nullGroup : this.newNullGroup();
          continue;
        }
        const c = codes[i];
        let g = remap[c];
        if (g < 0) g = remap[c] = this.lookup(dict[c]);
        out[i] = g;
      }
    }
  }

  private lookup(s: string): number {
    let g = this.map.get(s);
    if (g === undefined) {
      g = this.strings.length;
      this.strings.push(s);
      this.map.set(s, g);
      this.bytes += s.length * 2 + 48;
    }
    return g;
  }

  private newNullGroup(): number {
    this.nullGroup = this.strings.length;
    this.strings.push('');
    return this.nullGroup;
  }

  numGroups(): number {
    return this.strings.length;
  }

  emit(): Column[] {
    const n = this.strings.length;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = i;
    let validity: Uint8Array | null = null;
    if (this.nullGroup >= 0) {
      validity = new Uint8Array(n).fill(1);
      validity[this.nullGroup] = 0;
    }
    return [makeColumn(this.type, codes, validity, this.strings.slice())];
  }

  size(): number {
    return this.bytes + this.remap.byteLength;
  }
}
