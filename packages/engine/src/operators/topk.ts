import type { SortKey } from '../logical/expr.js';
import { batchBytes, takeBatch, type Batch, type Schema } from '../types/batch.js';
import type { Column } from '../types/column.js';
import type { ExecContext, PhysicalOperator } from '../physical/operator.js';
import { OperatorMetrics } from '../physical/metrics.js';
import { compareStrings } from '../expr/kernels/compare.js';
import { filterBatch } from '../expr/selection.js';
import { MemoryReservation, compactBatch, concatBatches, slices } from './batch-utils.js';
import { compileSortKeys, formatSortKeys, sortBatchPermutation, type CompiledSortKey } from './sort.js';

export interface TopKOptions {
  readonly input: PhysicalOperator;
  readonly keys: readonly SortKey[];
  /** Rows to keep (k). */
  readonly fetch: number;
}

interface ThresholdKey {
  readonly valid: boolean;
  readonly num: number;
  readonly str: string;
  /** Last dictionary compared against `str` and the per-entry result (batches often share one dictionary). */
  dict?: readonly string[];
  dictStates?: Uint8Array;
}

/**
 * ORDER BY … LIMIT k without sorting everything. Holds the best k rows seen so far (sorted) and
 * the worst of them (the threshold): each input batch is first filtered, vectorized, to the rows
 * that sort strictly before the threshold (string keys compare once per dictionary entry); the
 * survivors are buffered and merged into the top k once at least max(k, batchSize) of them are
 * pending. Memory stays O(k + batchSize); work is O(n) filtering plus O(m log k) for the m rows
 * that beat the threshold when they arrived.
 */
export class TopKExec implements PhysicalOperator {
  readonly name = 'TopKExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly input: PhysicalOperator;
  readonly keys: readonly SortKey[];
  readonly fetch: number;
  private readonly compiled: CompiledSortKey[];

  constructor(opts: TopKOptions) {
    this.input = opts.input;
    this.keys = opts.keys;
    this.fetch = Math.max(0, opts.fetch);
    this.schema = opts.input.schema;
    this.children = [opts.input];
    this.compiled = compileSortKeys(opts.keys, opts.input.schema);
  }

  describe(): string {
    return `expr=[${formatSortKeys(this.compiled)}], fetch=${this.fetch}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const m = this.metrics;
    const k = this.fetch;
    if (k === 0) return;
    const keys = this.compiled;
    const mem = new MemoryReservation(ctx, this.name, m);
    const st: { top: Batch | null; threshold: ThresholdKey[] | null } = { top: null, threshold: null };
    let pending: Batch[] = [];
    let pendingRows = 0;
    let compactions = 0;
    let candidates = 0;
    const trigger = Math.max(k, ctx.config.batchSize);

    const compact = (): void => {
      const parts = st.top === null ? pending : [st.top, ...pending];
      const all = concatBatches(this.schema, parts);
      const perm = sortBatchPermutation(all, keys, k);
      const top = compactBatch(takeBatch(all, perm));
      st.top = top;
      pending = [];
      pendingRows = 0;
      compactions++;
      mem.resize(batchBytes(top));
      st.threshold = top.numRows === k ? thresholdOf(top, keys) : null;
    };

    try {
      for await (const b of this.input.execute(ctx)) {
        ctx.checkCancelled();
        if (b.numRows === 0) continue;
        const t0 = performance.now();
        let cand: Batch | null = b;
        if (st.threshold !== null) {
          const sel = beatsThreshold(b, keys, st.threshold);
          cand = sel.length === 0 ? null : filterBatch(b, sel);
        }
        if (cand !== null) {
          mem.grow(batchBytes(cand));
          pending.push(cand);
          pendingRows += cand.numRows;
          candidates += cand.numRows;
          if (pendingRows >= trigger) compact();
        }
        m.elapsedComputeMs += performance.now() - t0;
      }
      const t0 = performance.now();
      if (pendingRows > 0) compact();
      m.extra.compactions = compactions;
      m.extra.candidateRows = candidates;
      m.elapsedComputeMs += performance.now() - t0;
      if (st.top === null) return;
      for (const out of slices(st.top, ctx.config.batchSize)) {
        m.outputRows += out.numRows;
        m.outputBatches++;
        yield out;
      }
    } finally {
      mem.release();
    }
  }
}

function thresholdOf(top: Batch, keys: readonly CompiledSortKey[]): ThresholdKey[] {
  const last = top.numRows - 1;
  return keys.map((k) => {
    const c = k.expr.evaluate(top);
    const valid = c.validity === null || c.validity[last] !== 0;
    if (!valid) return { valid, num: 0, str: '' };
    if (c.type.kind === 'utf8') return { valid, num: 0, str: c.dict![c.values[last]] };
    return { valid, num: c.values[last], str: '' };
  });
}

/** Row indices of `b` that sort strictly before the threshold row. */
function beatsThreshold(b: Batch, keys: readonly CompiledSortKey[], thr: ThresholdKey[]): Int32Array {
  const n = b.numRows;
  // 0 undecided, 1 before the threshold, 2 not before
  const state = new Uint8Array(n);
  let undecided = n;
  for (let ki = 0; ki < keys.length && undecided > 0; ki++) {
    const key = keys[ki];
    const t = thr[ki];
    const c: Column = key.expr.evaluate(b);
    const validity = c.validity;
    const nullVsT = t.valid ? (key.nullsFirst ? 1 : 2) : 0; // state for a NULL row
    const asc = key.ascending;
    const lessState = asc ? 1 : 2;
    const greaterState = asc ? 2 : 1;
    if (!t.valid) {
      // threshold NULL: valid rows are after it with NULLS FIRST, before it with NULLS LAST
      const validState = key.nullsFirst ? 2 : 1;
      for (let i = 0; i < n; i++) {
        if (state[i] !== 0) continue;
        if (validity === null || validity[i] !== 0) { state[i] = validState; undecided--; }
      }
      continue;
    }
    if (c.type.kind === 'utf8') {
      const dict = c.dict!;
      let dc = t.dict === dict ? t.dictStates! : null;
      if (dc === null) {
        dc = new Uint8Array(dict.length);
        for (let d = 0; d < dict.length; d++) {
          const r = compareStrings(dict[d], t.str);
          dc[d] = r < 0 ? lessState : r > 0 ? greaterState : 0;
        }
        t.dict = dict;
        t.dictStates = dc;
      }
      const codes = c.values as Int32Array;
      for (let i = 0; i < n; i++) {
        if (state[i] !== 0) continue;
        const s = validity !== null && validity[i] === 0 ? nullVsT : dc[codes[i]];
        if (s !== 0) { state[i] = s; undecided--; }
      }
    } else if (c.type.kind === 'float64') {
      const v = c.values as Float64Array;
      const tv = t.num;
      for (let i = 0; i < n; i++) {
        if (state[i] !== 0) continue;
        let s: number;
        if (validity !== null && validity[i] === 0) s = nullVsT;
        else {
          const x = v[i];
          if (x === tv || (x !== x && tv !== tv)) s = 0;
          else if (x < tv || tv !== tv) s = lessState;
          else s = greaterState;
        }
        if (s !== 0) { state[i] = s; undecided--; }
      }
    } else {
      const v = c.values;
      const tv = t.num;
      for (let i = 0; i < n; i++) {
        if (state[i] !== 0) continue;
        const x = v[i];
        const s = validity !== null && validity[i] === 0 ? nullVsT : x < tv ? lessState : x > tv ? greaterState : 0;
        if (s !== 0) { state[i] = s; undecided--; }
      }
    }
  }
  let cnt = 0;
  for (let i = 0; i < n; i++) if (state[i] === 1) cnt++;
  const sel = new Int32Array(cnt);
  let j = 0;
  for (let i = 0; i < n; i++) if (state[i] === 1) sel[j++] = i;
  return sel;
}
