import type { Column } from '../../types/column.js';
import { combineHash, hashNumber } from '../aggregate/group_values/hash.js';

/**
 * Join key encoding. Every key column becomes a float64 component per row: the value (-0 → 0)
 * or, for utf8, an id from the build side's string table (probe strings missing from the build
 * side get -1 and cannot match). `valid[i] = 0` when any key of row i is NULL (never matches).
 */
export class StringIds {
  private readonly ids = new Map<string, number>();
  private lastDict: string[] | null = null;
  private lastRemap = new Int32Array(0);

  /** Build side: assigns ids (one Map lookup per dictionary entry per batch). */
  buildRemap(dict: string[]): Int32Array {
    const remap = new Int32Array(dict.length);
    for (let k = 0; k < dict.length; k++) {
      let id = this.ids.get(dict[k]);
      if (id === undefined) { id = this.ids.size; this.ids.set(dict[k], id); }
      remap[k] = id;
    }
    return remap;
  }

  /** Probe side: ids of known strings, -1 for others; cached while batches share a dictionary. */
  probeRemap(dict: string[]): Int32Array {
    if (dict === this.lastDict && this.lastRemap.length === dict.length) return this.lastRemap;
    const remap = new Int32Array(dict.length);
    for (let k = 0; k < dict.length; k++) {
      const id = this.ids.get(dict[k]);
      remap[k] = id === undefined ? -1 : id;
    }
    this.lastDict = dict;
    this.lastRemap = remap;
    return remap;
  }
}

export interface EncodedKeys {
  readonly comps: Float64Array[];
  /** 1 when every key of the row is non-NULL (and, for utf8 probes, known to the build side). */
  readonly valid: Uint8Array;
  readonly hashes: Int32Array;
}

export function encodeKeys(cols: readonly Column[], n: number, strings: readonly (StringIds | null)[], build: boolean): EncodedKeys {
  const valid = new Uint8Array(n).fill(1);
  const hashes = new Int32Array(n);
  const comps = cols.map((col, c) => {
    const comp = new Float64Array(n);
    const v = col.validity;
    if (v !== null) for (let i = 0; i < n; i++) valid[i] &= v[i];
    const st = strings[c];
    if (st !== null) {
      const remap = build ? st.buildRemap(col.dict!) : st.probeRemap(col.dict!);
      const codes = col.values as Int32Array;
      for (let i = 0; i < n; i++) {
        if (valid[i] === 0) continue;
        const id = remap[codes[i]];
        if (id < 0) valid[i] = 0;
        comp[i] = id;
      }
    } else {
      const vals = col.values;
      for (let i = 0; i < n; i++) comp[i] = vals[i] + 0;
    }
    return comp;
  });
  for (let c = 0; c < comps.length; c++) {
    const comp = comps[c];
    if (c === 0) for (let i = 0; i < n; i++) hashes[i] = hashNumber(comp[i]);
    else for (let i = 0; i < n; i++) hashes[i] = combineHash(hashes[i], hashNumber(comp[i]));
  }
  return { comps, valid, hashes };
}
