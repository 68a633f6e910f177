import type { Expr } from '../../logical/expr.js';
import { batchBytes, makeBatch, takeBatch, type Batch, type Field, type Schema } from '../../types/batch.js';
import { nullColumn, sliceColumn, takeColumn, type Column } from '../../types/column.js';
import type { ExecContext, PhysicalOperator } from '../../physical/operator.js';
import { OperatorMetrics } from '../../physical/metrics.js';
import type { PhysicalExpr } from '../../expr/physical-expr.js';
import { compileExpr } from '../../expr/compile.js';
import { selectionFromBool } from '../../expr/selection.js';
import { tableCapacityFor } from '../aggregate/group_values/hash.js';
import { encodeKeys, StringIds, type EncodedKeys } from './keys.js';
import { concatBatches } from './util.js';
import { typesEqual } from '../../types/data-type.js';

export type HashJoinType = 'inner' | 'left' | 'full' | 'semi' | 'anti';

export interface HashJoinOptions {
  readonly left: PhysicalOperator;
  readonly right: PhysicalOperator;
  readonly joinType: HashJoinType;
  readonly on: readonly { readonly left: Expr; readonly right: Expr }[];
  readonly filter: Expr | null;
  readonly partitionMode: 'broadcast' | 'partitioned';
}

/**
 * Output schema of a join: left fields, then right fields (nullable for LEFT joins, both sides
 * nullable for FULL joins); SEMI and ANTI joins output the left fields only.
 */
export function joinSchema(left: Schema, right: Schema, joinType: string): Field[] {
  if (joinType === 'semi' || joinType === 'anti') return [...left];
  const nullable = (fs: Schema): Field[] => fs.map((f) => ({ ...f, nullable: true }));
  if (joinType === 'full') return [...nullable(left), ...nullable(right)];
  return [...left, ...(joinType === 'left' ? nullable(right) : right)];
}

/** EXPLAIN name of a join type. */
export function joinTypeName(joinType: string): string {
  switch (joinType) {
    case 'inner': return 'Inner';
    case 'left': return 'Left';
    case 'full': return 'Full';
    case 'semi': return 'LeftSemi';
    case 'anti': return 'LeftAnti';
    default: return 'Cross';
  }
}

/** Input rows of `b` whose `flags[i] === want`, in batches of at most `cap` rows (indices). */
export function* rowsWhere(flags: Uint8Array, n: number, want: 0 | 1, cap: number): Generator<Int32Array> {
  const idx = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (flags[i] === want) idx[m++] = i;
  for (let off = 0; off < m; off += cap) yield idx.subarray(off, Math.min(m, off + cap));
}

/** Builds a chained hash table over the build rows (chains in ascending row order). */
export class JoinHashTable {
  readonly head: Int32Array;
  readonly next: Int32Array;
  readonly mask: number;
  /**
   * One integer key (ints, dates, string ids) over a span of at most DIRECT_JOIN_DENSITY × the
   * build rows: `direct[key - base]` is the chain of build rows with that key — DuckDB's perfect
   * hash join. No hashing, and a chain holds only equal keys, so probing compares nothing.
   */
  readonly direct: Int32Array | null = null;
  readonly base: number = 0;
  /**
   * Direct table whose keys are all distinct (a dimension's primary key): a match ends its chain,
   * so the probe never reads `next` — at 1M build rows a cache miss per probe row saved.
   */
  readonly unique: boolean = false;
  /** Direct table with direct[k] === k for every slot: build row = key − base, `direct` is never read. */
  readonly identity: boolean = false;

  constructor(readonly keys: EncodedKeys, n: number) {
    this.next = new Int32Array(n);
    const next = this.next;
    const { valid, hashes } = keys;
    const span = keys.comps.length === 1 ? directSpan(keys.comps[0]!, valid, n) : null;
    if (span !== null) {
      const direct = new Int32Array(span.span).fill(-1);
      const comp = keys.comps[0]!;
      let chained = 0;
      let moved = span.span === n ? 0 : 1;
      for (let r = n - 1; r >= 0; r--) {
        if (valid[r] === 0) { moved = 1; continue; }
        const k = comp[r]! - span.base;
        const head = direct[k]!;
        next[r] = head;
        chained |= ~head; // non-zero once a key repeats (head ≥ 0)
        moved |= k ^ r;
        direct[k] = r;
      }
      this.direct = direct;
      this.base = span.base;
      this.unique = chained === 0;
      this.identity = chained === 0 && moved === 0;
      this.head = new Int32Array(0);
      this.mask = 0;
      return;
    }
    const cap = tableCapacityFor(n);
    this.head = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    const head = this.head;
    const mask = this.mask;
    for (let r = n - 1; r >= 0; r--) {
      if (valid[r] === 0) continue;
      const slot = hashes[r] & mask;
      next[r] = head[slot];
      head[slot] = r;
    }
  }

  size(): number {
    return this.head.byteLength + (this.direct ? this.direct.byteLength : 0) + this.next.byteLength + this.keys.hashes.byteLength * 3 + this.keys.comps.length * this.keys.hashes.length * 8;
  }
}

/** Build sides from this many rows are worth reordering by key (below, the direct table is cached anyway). */
const KEY_ORDER_MIN_ROWS = 1 << 16;

/**
 * The build rows reordered so that row = key − base, when the table is a direct one over unique
 * keys that fill their whole span (a dimension with keys 1..n) and is not already in that order;
 * null otherwise. At 1M build rows (the 100M-play charts' users) the direct table is 4 MB, and
 * reading it cost a cache miss per probe row before the miss of gathering the build columns.
 */
function inKeyOrder(table: JoinHashTable, build: Batch, n: number): Batch | null {
  const direct = table.direct;
  if (direct === null || !table.unique || table.identity || n < KEY_ORDER_MIN_ROWS || direct.length !== n) return null;
  for (let k = 0; k < n; k++) if (direct[k]! < 0) return null;
  return takeBatch(build, direct, n);
}

/** Build keys may span at most this many slots per build row (and DIRECT_JOIN_MAX in all) for the direct table. */
const DIRECT_JOIN_DENSITY = 4;
const DIRECT_JOIN_MAX = 1 << 24;

function directSpan(comp: Float64Array, valid: Uint8Array, n: number): { base: number; span: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < n; r++) {
    if (valid[r] === 0) continue;
    const x = comp[r]!;
    if (!Number.isInteger(x)) return null;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (lo === Infinity) return null;
  const span = hi - lo + 1;
  if (span > Math.max(1024, DIRECT_JOIN_DENSITY * n) || span > DIRECT_JOIN_MAX) return null;
  return { base: lo, span };
}

const START = -2;

/**
 * Streams probe rows through a JoinHashTable, writing (probe row, build row) pairs into fixed
 * buffers; resumable (row, chain position) so one probe row's matches may span output batches.
 */
export class ProbeCursor implements PairCursor {
  row = 0;
  chain = START;
  readonly contiguous = false;
  constructor(private readonly table: JoinHashTable, private readonly probe: EncodedKeys, readonly n: number) {}

  get done(): boolean {
    return this.row >= this.n;
  }

  /** Fills up to `cap` pairs; marks `matched[row] = 1` for probe rows with a pair. Returns the count. */
  fill(outProbe: Int32Array, outBuild: Int32Array, cap: number, matched: Uint8Array | null): number {
    return this.probe.comps.length === 1 ? this.fillSingle(outProbe, outBuild, cap, matched) : this.fillMulti(outProbe, outBuild, cap, matched);
  }

  /** Single key: compare one component, no hash compare. */
  private fillSingle(outProbe: Int32Array, outBuild: Int32Array, cap: number, matched: Uint8Array | null): number {
    // direct table: the chain at key − base holds exactly the build rows with that key
    if (this.table.direct !== null) return walkDirect(this.table, this.probe.comps[0]!, this.probe.valid, this, outProbe, outBuild, cap, matched);
    const { head, next, mask } = this.table;
    const bk = this.table.keys.comps[0];
    const pk = this.probe.comps[0];
    const valid = this.probe.valid;
    const hashes = this.probe.hashes;
    const n = this.n;
    let i = this.row;
    let r = this.chain;
    let count = 0;
    while (i < n) {
      if (r === START) {
        if (valid[i] === 0) { i++; continue; }
        r = head[hashes[i] & mask];
      }
      const x = pk[i];
      while (r >= 0) {
        if (bk[r] === x) {
          if (count === cap) { this.row = i; this.chain = r; return count; }
          outProbe[count] = i;
          outBuild[count] = r;
          count++;
          if (matched !== null) matched[i] = 1;
        }
        r = next[r];
      }
      r = START;
      i++;
    }
    this.row = i;
    this.chain = START;
    return count;
  }

  private fillMulti(outProbe: Int32Array, outBuild: Int32Array, cap: number, matched: Uint8Array | null): number {
    const { head, next, mask } = this.table;
    const bcomps = this.table.keys.comps;
    const bh = this.table.keys.hashes;
    const pcomps = this.probe.comps;
    const k = pcomps.length;
    const valid = this.probe.valid;
    const hashes = this.probe.hashes;
    const n = this.n;
    let i = this.row;
    let r = this.chain;
    let count = 0;
    while (i < n) {
      if (r === START) {
        if (valid[i] === 0) { i++; continue; }
        r = head[hashes[i] & mask];
      }
      const h = hashes[i];
      while (r >= 0) {
        if (bh[r] === h) {
          let eq = true;
          for (let c = 0; c < k; c++) if (bcomps[c][r] !== pcomps[c][i]) { eq = false; break; }
          if (eq) {
            if (count === cap) { this.row = i; this.chain = r; return count; }
            outProbe[count] = i;
            outBuild[count] = r;
            count++;
            if (matched !== null) matched[i] = 1;
          }
        }
        r = next[r];
      }
      r = START;
      i++;
    }
    this.row = i;
    this.chain = START;
    return count;
  }
}

/** A resumable stream of (probe row, build row) pairs over one probe batch. */
export interface PairCursor {
  readonly done: boolean;
  /** True after a fill whose pairs' probe rows are known to be consecutive (every probe row matched once). */
  readonly contiguous: boolean;
  fill(outProbe: Int32Array, outBuild: Int32Array, cap: number, matched: Uint8Array | null): number;
}

/**
 * One integer-valued key column probed against a direct table straight from the column's
 * storage: no float64 copy of the keys, no validity mask and no hashes (a direct table reads
 * none). At 10M probe rows encodeKeys cost more than the probe itself. Int32 and float64 storage
 * each get their own loop so every element access stays monomorphic.
 */
export class DirectProbeCursor implements PairCursor {
  row = 0;
  chain = START;
  contiguous = false;
  constructor(
    private readonly table: JoinHashTable,
    private readonly values: Int32Array | Float64Array,
    private readonly validity: Uint8Array | null,
    readonly n: number,
  ) {}

  get done(): boolean {
    return this.row >= this.n;
  }

  fill(outProbe: Int32Array, outBuild: Int32Array, cap: number, matched: Uint8Array | null): number {
    const t = this.table;
    const v = this.values;
    // unique keys, no NULLs, no flags to set: the common dimension lookup, one branch per row
    if (t.unique && this.validity === null && matched === null && this.chain === START) {
      const from = this.row;
      const count = v instanceof Int32Array ? uniqueI32(t, v, this, outProbe, outBuild, cap) : uniqueF64(t, v, this, outProbe, outBuild, cap);
      this.contiguous = count === this.row - from;
      return count;
    }
    this.contiguous = false;
    return walkDirect(t, v, this.validity, this, outProbe, outBuild, cap, matched);
  }
}

function uniqueI32(t: JoinHashTable, pk: Int32Array, cur: DirectProbeCursor, outProbe: Int32Array, outBuild: Int32Array, cap: number): number {
  const direct = t.direct!;
  const base = t.base;
  const span = direct.length;
  const identity = t.identity;
  const n = cur.n;
  let i = cur.row;
  let count = 0;
  for (; i < n && count < cap; i++) {
    const k = pk[i]! - base;
    const r = k >= 0 && k < span ? (identity ? k : direct[k]!) : -1;
    if (r >= 0) {
      outProbe[count] = i;
      outBuild[count] = r;
      count++;
    }
  }
  cur.row = i;
  return count;
}

function uniqueF64(t: JoinHashTable, pk: Float64Array, cur: DirectProbeCursor, outProbe: Int32Array, outBuild: Int32Array, cap: number): number {
  const direct = t.direct!;
  const base = t.base;
  const span = direct.length;
  const identity = t.identity;
  const n = cur.n;
  let i = cur.row;
  let count = 0;
  for (; i < n && count < cap; i++) {
    const k = pk[i]! - base;
    const r = k >= 0 && k < span && Number.isInteger(k) ? (identity ? k : direct[k]!) : -1;
    if (r >= 0) {
      outProbe[count] = i;
      outBuild[count] = r;
      count++;
    }
  }
  cur.row = i;
  return count;
}

/** Where a probe cursor stands: the next probe row, and the build row its chain resumes at. */
interface CursorState {
  row: number;
  chain: number;
  readonly n: number;
}

/**
 * The chain walk of a direct table, resumable through `cur`: duplicate keys, NULL keys, match
 * flags (LEFT / FULL), and encoded keys (string ids). One loop for both storages (polymorphic,
 * but the dimension lookup takes uniqueI32 / uniqueF64).
 */
function walkDirect(t: JoinHashTable, pk: Int32Array | Float64Array, valid: Uint8Array | null, cur: CursorState, outProbe: Int32Array, outBuild: Int32Array, cap: number, matched: Uint8Array | null): number {
  const direct = t.direct!;
  const next = t.next;
  const base = t.base;
  const span = direct.length;
  const unique = t.unique;
  const identity = t.identity;
  const n = cur.n;
  let i = cur.row;
  let r = cur.chain;
  let count = 0;
  while (i < n) {
    if (r === START) {
      if (valid !== null && valid[i] === 0) { i++; continue; }
      const k = pk[i]! - base;
      r = k >= 0 && k < span && Number.isInteger(k) ? (identity ? k : direct[k]!) : -1;
    }
    while (r >= 0) {
      if (count === cap) { cur.row = i; cur.chain = r; return count; }
      outProbe[count] = i;
      outBuild[count] = r;
      count++;
      if (matched !== null) matched[i] = 1;
      r = unique ? -1 : next[r]!;
    }
    r = START;
    i++;
  }
  cur.row = i;
  cur.chain = START;
  return count;
}

/** The cursor for one probe batch: straight from the column where the table is direct, else over encoded keys. */
export function probeCursor(table: JoinHashTable, keys: readonly Column[], n: number, strings: readonly (StringIds | null)[]): PairCursor {
  if (keys.length === 1 && table.direct !== null && strings[0] === null) {
    const v = keys[0]!.values;
    if (v instanceof Int32Array || v instanceof Float64Array) return new DirectProbeCursor(table, v, keys[0]!.validity, n);
  }
  return new ProbeCursor(table, encodeKeys(keys, n, strings, false), n);
}

/**
 * Equi-join: the RIGHT input is collected and hashed (build side), the LEFT input streams batch
 * by batch (probe side), so LEFT JOIN keeps every left row (right columns NULL when no build row
 * matches the keys and the residual filter). NULL keys never match. Output: left columns then
 * right columns, in batches of at most ctx.config.batchSize rows; dictionaries are kept.
 */
export class HashJoinExec implements PhysicalOperator {
  readonly name = 'HashJoinExec';
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics = new OperatorMetrics();
  readonly left: PhysicalOperator;
  readonly right: PhysicalOperator;
  readonly joinType: HashJoinType;
  readonly on: readonly { readonly left: Expr; readonly right: Expr }[];
  readonly filter: Expr | null;
  readonly partitionMode: 'broadcast' | 'partitioned';
  /**
   * Known once the build side is hashed (before the first output batch): every build key
   * distinct (a direct table's check; a hashed table reports false). Null before.
   */
  buildKeysUnique: boolean | null = null;
  private readonly leftKeys: PhysicalExpr[];
  private readonly rightKeys: PhysicalExpr[];
  private readonly filterExpr: PhysicalExpr | null;
  /** Per build column: the index of the probe key its matched values equal, or -1. */
  private readonly sharedKey: readonly number[];
  /** Schema of (probe row, build row) pairs: the output schema except for SEMI / ANTI joins. */
  private readonly pairSchema: Schema;

  constructor(opts: HashJoinOptions) {
    this.left = opts.left;
    this.right = opts.right;
    this.joinType = opts.joinType;
    this.on = opts.on;
    this.filter = opts.filter;
    this.partitionMode = opts.partitionMode;
    this.children = [opts.left, opts.right];
    this.schema = joinSchema(opts.left.schema, opts.right.schema, opts.joinType);
    this.pairSchema = opts.joinType === 'semi' || opts.joinType === 'anti' ? joinSchema(opts.left.schema, opts.right.schema, 'inner') : this.schema;
    this.leftKeys = opts.on.map((k) => compileExpr(k.left, opts.left.schema));
    this.rightKeys = opts.on.map((k) => compileExpr(k.right, opts.right.schema));
    this.filterExpr = opts.filter === null ? null : compileExpr(opts.filter, [...opts.left.schema, ...opts.right.schema]);
    this.sharedKey = opts.right.schema.map((f) => sharedProbeKey(opts.on, f));
  }

  describe(): string {
    const on = this.leftKeys.map((l, i) => `(${l.toString()}, ${this.rightKeys[i].toString()})`).join(', ');
    const jt = joinTypeName(this.joinType);
    return `mode=${this.partitionMode}, join_type=${jt}, on=[${on}]${this.filterExpr ? `, filter=${this.filterExpr.toString()}` : ''}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<Batch> {
    const metrics = this.metrics;
    let reserved = 0;
    const reserve = (bytes: number) => {
      ctx.reserve(this.name, bytes);
      metrics.trackMemory(bytes);
      reserved += bytes;
    };
    try {
      // ---- build (right) ----
      const buildBatches: Batch[] = [];
      let buildMs = 0;
      for await (const b of this.right.execute(ctx)) {
        ctx.checkCancelled();
        const t = performance.now();
        if (b.numRows > 0) { buildBatches.push(b); reserve(batchBytes(b)); }
        buildMs += performance.now() - t;
      }
      let t0 = performance.now();
      const rightSchema = this.right.schema;
      let build = buildBatches.length === 0 ? null : concatBatches(rightSchema, buildBatches);
      const nBuild = build === null ? 0 : build.numRows;
      const strings = this.rightKeys.map((k) => (k.type.kind === 'utf8' ? new StringIds() : null));
      let table: JoinHashTable | null = null;
      if (build !== null) {
        const built = build;
        table = new JoinHashTable(encodeKeys(this.rightKeys.map((k) => k.evaluate(built)), nBuild, strings, true), nBuild);
        let extra = buildBatches.length > 1 ? batchBytes(built) : 0;
        const keyed = this.joinType !== 'full' ? inKeyOrder(table, built, nBuild) : null;
        if (keyed !== null) {
          // rows in key order: the probe reads the build row straight from the key (no direct[] miss)
          build = keyed;
          table = new JoinHashTable(encodeKeys(this.rightKeys.map((k) => k.evaluate(keyed)), nBuild, strings, true), nBuild);
          extra += batchBytes(keyed);
        }
        reserve(table.size() + extra);
      }
      buildMs += performance.now() - t0;
      this.buildKeysUnique = table === null || table.unique;
      metrics.extra.buildRows = nBuild;
      metrics.extra.buildTimeMs = Math.round(buildMs * 1000) / 1000;
      metrics.elapsedComputeMs += buildMs;

      // ---- probe (left) ----
      const cap = Math.max(1, ctx.config.batchSize);
      const outProbe = new Int32Array(cap);
      const outBuild = new Int32Array(cap);
      const jt = this.joinType;
      const isLeft = jt === 'left' || jt === 'full';
      const semiAnti = jt === 'semi' || jt === 'anti';
      // FULL: build rows that matched some probe row (the rest are emitted at the end).
      const buildMatched = jt === 'full' ? new Uint8Array(nBuild) : null;
      if (buildMatched !== null) reserve(nBuild);
      const nLeftCols = this.left.schema.length;
      for await (const probe of this.left.execute(ctx)) {
        ctx.checkCancelled();
        t0 = performance.now();
        const n = probe.numRows;
        if (n === 0) { metrics.elapsedComputeMs += performance.now() - t0; continue; }
        const matched = isLeft || semiAnti ? new Uint8Array(n) : null;
        if (semiAnti && this.filterExpr === null) {
          // SEMI / ANTI without a residual filter: one hit per probe row is enough.
          if (table !== null) markAnyMatch(table, encodeKeys(this.leftKeys.map((k) => k.evaluate(probe)), n, strings, false), n, matched!);
        } else if (table !== null && build !== null) {
          const probeKeys = this.leftKeys.map((k) => k.evaluate(probe));
          const cursor = probeCursor(table, probeKeys, n, strings);
          // With a residual filter, a pair only counts as a match if the filter passes it.
          const pairMatched = this.filterExpr === null ? matched : null;
          while (!cursor.done) {
            const count = cursor.fill(outProbe, outBuild, cap, pairMatched);
            if (count === 0) continue;
            let out = this.pairsBatch(probe, build, outProbe, outBuild, count, cursor.contiguous, probeKeys);
            if (this.filterExpr !== null) {
              const sel = selectionFromBool(this.filterExpr.evaluate(out));
              if (matched !== null) for (let j = 0; j < sel.length; j++) matched[outProbe[sel[j]]] = 1;
              if (buildMatched !== null) for (let j = 0; j < sel.length; j++) buildMatched[outBuild[sel[j]]] = 1;
              if (semiAnti) continue;
              if (sel.length !== count) out = makeBatch(this.schema, out.columns.map((c) => takeColumn(c, sel)), sel.length);
            } else if (buildMatched !== null) {
              for (let j = 0; j < count; j++) buildMatched[outBuild[j]] = 1;
            }
            if (out.numRows > 0) {
              metrics.outputRows += out.numRows;
              metrics.outputBatches++;
              metrics.elapsedComputeMs += performance.now() - t0;
              yield out;
              t0 = performance.now();
            }
          }
        }
        if (semiAnti) {
          // SEMI: probe rows with a match; ANTI: probe rows without one (NULL keys never match).
          for (const sel of rowsWhere(matched!, n, jt === 'semi' ? 1 : 0, cap)) {
            const len = sel.length;
            const cols = len === n ? probe.columns : probe.columns.map((c) => takeColumn(c, sel, len));
            metrics.outputRows += len;
            metrics.outputBatches++;
            metrics.elapsedComputeMs += performance.now() - t0;
            yield makeBatch(this.schema, cols, len);
            t0 = performance.now();
          }
        } else if (matched !== null) {
          // LEFT JOIN: left rows without a match, right columns NULL.
          const idx = new Int32Array(n);
          let m = 0;
          for (let i = 0; i < n; i++) if (matched[i] === 0) idx[m++] = i;
          for (let off = 0; off < m; off += cap) {
            const len = Math.min(cap, m - off);
            const sel = idx.subarray(off, off + len);
            const cols: Column[] = [];
            for (let c = 0; c < nLeftCols; c++) cols.push(len === n ? probe.columns[c] : takeColumn(probe.columns[c], sel, len));
            for (const f of this.right.schema) cols.push(nullColumn(f.type, len));
            metrics.outputRows += len;
            metrics.outputBatches++;
            metrics.elapsedComputeMs += performance.now() - t0;
            yield makeBatch(this.schema, cols, len);
            t0 = performance.now();
          }
        }
        metrics.elapsedComputeMs += performance.now() - t0;
      }
      if (buildMatched !== null && build !== null) {
        // FULL JOIN: build rows no probe row matched, left columns NULL.
        t0 = performance.now();
        for (const sel of rowsWhere(buildMatched, nBuild, 0, cap)) {
          const len = sel.length;
          const cols: Column[] = [];
          for (const f of this.left.schema) cols.push(nullColumn(f.type, len));
          for (const c of build.columns) cols.push(takeColumn(c, sel, len));
          metrics.outputRows += len;
          metrics.outputBatches++;
          metrics.elapsedComputeMs += performance.now() - t0;
          yield makeBatch(this.schema, cols, len);
          t0 = performance.now();
        }
        metrics.elapsedComputeMs += performance.now() - t0;
      }
    } finally {
      if (reserved !== 0) {
        ctx.reserve(this.name, -reserved);
        metrics.trackMemory(-reserved);
      }
    }
  }

  private pairsBatch(probe: Batch, build: Batch, outProbe: Int32Array, outBuild: Int32Array, count: number, knownContiguous: boolean, probeKeys: readonly Column[]): Batch {
    const cols: Column[] = [];
    // A dimension join matches every fact row once, in order: the probe side's columns are then a
    // slice of the batch, passed on without a copy (only the build side is gathered).
    const start = outProbe[0]!;
    let contiguous = knownContiguous;
    if (!contiguous) {
      contiguous = true;
      for (let j = 1; j < count; j++) if (outProbe[j] !== start + j) { contiguous = false; break; }
    }
    const whole = contiguous && start === 0 && count === probe.numRows;
    if (contiguous) for (const c of probe.columns) cols.push(whole ? c : sliceColumn(c, start, count));
    else for (const c of probe.columns) cols.push(takeColumn(c, outProbe, count));
    for (let c = 0; c < build.columns.length; c++) {
      // a build key column equal to its probe key (same integer type): over contiguous pairs its
      // values are a slice of the probe key, which costs nothing where a gather costs a pass
      const pk = this.sharedKey[c];
      if (pk >= 0 && contiguous) cols.push(whole ? probeKeys[pk]! : sliceColumn(probeKeys[pk]!, start, count));
      else cols.push(takeColumn(build.columns[c]!, outBuild, count));
    }
    return makeBatch(this.pairSchema, cols, count);
  }
}

/** Sets matched[i] = 1 for every probe row with at least one build row of equal keys. */
function markAnyMatch(table: JoinHashTable, probe: EncodedKeys, n: number, matched: Uint8Array): void {
  const { head, next, mask } = table;
  const bcomps = table.keys.comps;
  const bh = table.keys.hashes;
  const pcomps = probe.comps;
  const k = pcomps.length;
  const valid = probe.valid;
  const hashes = probe.hashes;
  if (k === 1 && table.direct !== null) {
    const direct = table.direct;
    const base = table.base;
    const span = direct.length;
    const pk = pcomps[0]!;
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      const x = pk[i]! - base;
      if (x >= 0 && x < span && direct[x]! >= 0 && Number.isInteger(x)) matched[i] = 1;
    }
    return;
  }
  if (k === 1) {
    const bk = bcomps[0];
    const pk = pcomps[0];
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      const x = pk[i];
      for (let r = head[hashes[i] & mask]; r >= 0; r = next[r]) {
        if (bk[r] === x) { matched[i] = 1; break; }
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    if (valid[i] === 0) continue;
    const h = hashes[i];
    for (let r = head[h & mask]; r >= 0; r = next[r]) {
      if (bh[r] !== h) continue;
      let eq = true;
      for (let c = 0; c < k; c++) if (bcomps[c][r] !== pcomps[c][i]) { eq = false; break; }
      if (eq) { matched[i] = 1; break; }
    }
  }
}

/**
 * The probe key whose values a build column repeats in every pair, or -1: the column is a build
 * key (a plain column reference) of the same integer type as its probe key, so equal keys are
 * equal values. Floats are left out (-0 = 0 would print differently), strings too (their codes
 * index different dictionaries).
 */
function sharedProbeKey(on: HashJoinOptions['on'], f: Field): number {
  if (f.id === undefined) return -1;
  for (let k = 0; k < on.length; k++) {
    const r = on[k]!.right;
    const l = on[k]!.left;
    if (r.kind !== 'column' || r.id !== f.id) continue;
    const kind = f.type.kind;
    if (kind !== 'int32' && kind !== 'int64' && kind !== 'date') continue;
    if (!typesEqual(l.type, f.type)) continue;
    return k;
  }
  return -1;
}
