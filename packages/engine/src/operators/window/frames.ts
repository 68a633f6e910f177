import type { WindowFrame } from '../../logical/expr.js';

/**
 * The layout of one window specification after sorting: for every sorted position s, the
 * partition [partStart[s], partEnd[s]) and the peer group [peerStart[s], peerEnd[s]) (rows with
 * equal ORDER BY values in the same partition). The ends are derived on first use: ranking
 * functions need only the starts, and at 10M rows each array is 40 MB to write.
 */
export class SortedLayout {
  private ends: { partEnd: Int32Array; peerEnd: Int32Array } | null = null;

  constructor(
    readonly n: number,
    /** Sorted position → input row. */
    readonly perm: Int32Array,
    readonly partStart: Int32Array,
    readonly peerStart: Int32Array,
  ) {}

  get partEnd(): Int32Array {
    return (this.ends ??= this.computeEnds()).partEnd;
  }

  get peerEnd(): Int32Array {
    return (this.ends ??= this.computeEnds()).peerEnd;
  }

  private computeEnds(): { partEnd: Int32Array; peerEnd: Int32Array } {
    const { n, partStart, peerStart } = this;
    const partEnd = new Int32Array(n);
    const peerEnd = new Int32Array(n);
    let pe = n;
    let qe = n;
    for (let s = n - 1; s >= 0; s--) {
      if (s < n - 1) {
        if (partStart[s + 1] !== partStart[s]) { pe = s + 1; qe = s + 1; } else if (peerStart[s + 1] !== peerStart[s]) qe = s + 1;
      }
      partEnd[s] = pe;
      peerEnd[s] = qe;
    }
    return { partEnd, peerEnd };
  }
}

/** Builds partition and peer bounds from combined partition / order ordinals (in input-row order). */
export function buildLayout(perm: Int32Array, partOrd: Float64Array | null, orderOrd: Float64Array | null): SortedLayout {
  const n = perm.length;
  const partStart = new Int32Array(n);
  const peerStart = new Int32Array(n);
  let ps = 0;
  let qs = 0;
  for (let s = 0; s < n; s++) {
    if (s > 0) {
      const a = perm[s - 1];
      const b = perm[s];
      const newPart = partOrd !== null && partOrd[a] !== partOrd[b];
      if (newPart) { ps = s; qs = s; } else if (orderOrd !== null && orderOrd[a] !== orderOrd[b]) qs = s;
    }
    partStart[s] = ps;
    peerStart[s] = qs;
  }
  return new SortedLayout(n, perm, partStart, peerStart);
}

/**
 * buildLayout from keys already in sorted order: key = partition ordinal · orderRange + order
 * ordinal (exact below 2^53), so a new peer group is a new key and a new partition a new
 * floor(key / orderRange) — one sequential walk, no gather through perm.
 */
export function buildLayoutSorted(perm: Int32Array, lo: Uint32Array, hi: Uint32Array | null, orderRange: number): SortedLayout {
  const n = perm.length;
  const partStart = new Int32Array(n);
  const peerStart = new Int32Array(n);
  let ps = 0;
  let qs = 0;
  let prevKey = -1;
  let prevPart = -1;
  for (let s = 0; s < n; s++) {
    const key = hi === null ? lo[s] : hi[s] * 4294967296 + lo[s];
    if (key !== prevKey) {
      const part = orderRange === 1 ? key : Math.floor(key / orderRange);
      if (part !== prevPart) { ps = s; prevPart = part; }
      qs = s;
      prevKey = key;
    }
    partStart[s] = ps;
    peerStart[s] = qs;
  }
  return new SortedLayout(n, perm, partStart, peerStart);
}

/** Frame [start[s], end[s]) of every sorted position (empty when start ≥ end). */
export interface Frames {
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Every frame starts at its partition start (running aggregates suffice). */
  readonly anchored: boolean;
}

export function computeFrames(layout: SortedLayout, frame: WindowFrame): Frames {
  const { n, partStart, partEnd, peerEnd } = layout;
  switch (frame.mode) {
    case 'partition':
      return { start: partStart, end: partEnd, anchored: true };
    case 'range':
      return { start: partStart, end: peerEnd, anchored: true };
    case 'rows': {
      const start = new Int32Array(n);
      const end = new Int32Array(n);
      const p = frame.preceding;
      const f = frame.following;
      for (let s = 0; s < n; s++) {
        const ps = partStart[s];
        const pe = partEnd[s];
        const fs = p === null ? ps : Math.max(ps, s - p);
        let fe = Math.min(pe, s + f + 1);
        if (fe < fs) fe = fs;
        start[s] = fs;
        end[s] = fe;
      }
      return { start, end, anchored: p === null };
    }
  }
}
