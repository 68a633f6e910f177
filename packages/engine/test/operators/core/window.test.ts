import { describe, expect, it } from 'vitest';
import { BatchesExec, batch, collect, field, makeCtx, rows } from '../helpers.js';
import { FLOAT64, INT32, INT64, UTF8, decimal, type DataType } from '../../../src/types/data-type.js';
import { col, type SortKey, type WindowExpr, type WindowFn, type WindowFrame } from '../../../src/logical/expr.js';
import { WindowExec } from '../../../src/operators/window/window.js';
import type { Batch, Schema } from '../../../src/types/batch.js';
import { compareStrings } from '../../../src/expr/kernels/compare.js';

type Val = number | string | null;

const schema: Schema = [field(1, 'p', INT32), field(2, 'o', INT32), field(3, 'x', INT32), field(4, 'y', FLOAT64), field(5, 's', UTF8), field(6, 'd', decimal(12, 2))];
const C = {
  p: col(1, 'p', INT32), o: col(2, 'o', INT32), x: col(3, 'x', INT32), y: col(4, 'y', FLOAT64), s: col(5, 's', UTF8), d: col(6, 'd', decimal(12, 2)),
};
const POS: Record<number, number> = { 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5 };

function rng(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

function randomData(seed: number, nBatches: number, perBatch: number): { batches: Batch[]; all: Val[][] } {
  const r = rng(seed);
  const words = ['b', 'a', 'c', 'B', 'ab'];
  const batches: Batch[] = [];
  const all: Val[][] = [];
  for (let b = 0; b < nBatches; b++) {
    const cols: Val[][] = [[], [], [], [], [], []];
    for (let i = 0; i < perBatch; i++) {
      const row: Val[] = [
        r() < 0.1 ? null : Math.floor(r() * 3),
        r() < 0.15 ? null : Math.floor(r() * 4),
        r() < 0.2 ? null : Math.floor(r() * 200) - 100,
        r() < 0.2 ? null : Math.round(r() * 100) / 8 - 5,
        r() < 0.2 ? null : words[Math.floor(r() * words.length)],
        r() < 0.2 ? null : Math.floor(r() * 100000) - 50000,
      ];
      row.forEach((v, c) => cols[c].push(v));
      all.push(row);
    }
    batches.push(batch(schema, cols, [undefined, undefined, undefined, undefined, [...words].reverse().slice(b % 3), undefined]));
  }
  return { batches, all };
}

function cmpVal(x: Val, y: Val): number {
  if (typeof x === 'string') return compareStrings(x, y as string);
  return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
}

function cmpKeys(keys: readonly SortKey[], a: Val[], b: Val[]): number {
  for (const k of keys) {
    const pos = POS[(k.expr as { id: number }).id];
    const x = a[pos];
    const y = b[pos];
    if (x === null && y === null) continue;
    if (x === null) return k.nullsFirst ? -1 : 1;
    if (y === null) return k.nullsFirst ? 1 : -1;
    const c = cmpVal(x, y);
    if (c !== 0) return k.ascending ? c : -c;
  }
  return 0;
}

/** Naive per-row reference of one window expression. */
function reference(all: Val[][], w: WindowExpr): Val[] {
  const n = all.length;
  const out: Val[] = new Array(n);
  const pkeys = w.partitionBy.map((e) => POS[(e as { id: number }).id]);
  for (let r = 0; r < n; r++) {
    const part: number[] = [];
    for (let j = 0; j < n; j++) if (pkeys.every((p) => all[j][p] === all[r][p])) part.push(j);
    part.sort((a, b) => cmpKeys(w.orderBy, all[a], all[b]) || a - b);
    const pos = part.indexOf(r);
    const before = (j: number) => cmpKeys(w.orderBy, all[j], all[r]) < 0;
    if (w.fn === 'row_number') { out[r] = pos + 1; continue; }
    if (w.fn === 'rank') { out[r] = part.filter(before).length + 1; continue; }
    if (w.fn === 'dense_rank') {
      const distinct: number[] = [];
      for (const j of part.filter(before)) if (!distinct.some((k) => cmpKeys(w.orderBy, all[k], all[j]) === 0)) distinct.push(j);
      out[r] = distinct.length + 1;
      continue;
    }
    let frame: number[];
    const f = w.frame;
    if (f.mode === 'partition') frame = part;
    else if (f.mode === 'range') frame = part.filter((j) => cmpKeys(w.orderBy, all[j], all[r]) <= 0);
    else frame = part.slice(f.preceding === null ? 0 : Math.max(0, pos - f.preceding), Math.max(0, Math.min(part.length, pos + f.following + 1)));
    if (w.fn === 'count_star') { out[r] = frame.length; continue; }
    const ap = POS[(w.arg as { id: number }).id];
    const vals = frame.map((j) => all[j][ap]).filter((v) => v !== null) as (number | string)[];
    if (w.fn === 'count') { out[r] = vals.length; continue; }
    if (vals.length === 0) { out[r] = null; continue; }
    switch (w.fn) {
      case 'sum': out[r] = (vals as number[]).reduce((s, v) => s + v, 0); break;
      case 'avg': out[r] = (vals as number[]).reduce((s, v) => s + v, 0) / vals.length / ((w.arg!.type.kind === 'decimal') ? 100 : 1); break;
      case 'min': out[r] = vals.reduce((m, v) => (cmpVal(v, m) < 0 ? v : m)); break;
      case 'max': out[r] = vals.reduce((m, v) => (cmpVal(v, m) > 0 ? v : m)); break;
    }
  }
  return out;
}

function typeOf(fn: WindowFn, arg: DataType | null): DataType {
  switch (fn) {
    case 'row_number': case 'rank': case 'dense_rank': case 'count': case 'count_star': return INT64;
    case 'avg': return FLOAT64;
    case 'sum': return arg!.kind === 'int32' ? INT64 : arg!.kind === 'decimal' ? decimal(38, arg!.scale) : FLOAT64;
    default: return arg!;
  }
}

const sk = (e: ReturnType<typeof col>, ascending = true, nullsFirst = !ascending): SortKey => ({ expr: e, ascending, nullsFirst });

describe('WindowExec', () => {
  it('matches a naive reference on random data with partitions, peers and frames', async () => {
    const { batches, all } = randomData(11, 3, 30);
    const specs: { partitionBy: ReturnType<typeof col>[]; orderBy: SortKey[] }[] = [
      { partitionBy: [C.p], orderBy: [sk(C.o)] },
      { partitionBy: [], orderBy: [sk(C.o, false), sk(C.s, true, true)] },
      { partitionBy: [C.p, C.s], orderBy: [] },
      { partitionBy: [], orderBy: [] },
    ];
    const frames: WindowFrame[] = [
      { mode: 'range' },
      { mode: 'partition' },
      { mode: 'rows', preceding: null, following: 0 },
      { mode: 'rows', preceding: 2, following: 0 },
      { mode: 'rows', preceding: 0, following: 0 },
      { mode: 'rows', preceding: 3, following: 1 },
    ];
    const calls: { fn: WindowFn; arg: ReturnType<typeof col> | null }[] = [
      { fn: 'row_number', arg: null }, { fn: 'rank', arg: null }, { fn: 'dense_rank', arg: null },
      { fn: 'count_star', arg: null }, { fn: 'count', arg: C.x },
      { fn: 'sum', arg: C.x }, { fn: 'sum', arg: C.y }, { fn: 'sum', arg: C.d },
      { fn: 'avg', arg: C.x }, { fn: 'avg', arg: C.d }, { fn: 'avg', arg: C.y },
      { fn: 'min', arg: C.x }, { fn: 'max', arg: C.y }, { fn: 'min', arg: C.s }, { fn: 'max', arg: C.s }, { fn: 'max', arg: C.d },
    ];
    const windows: { id: number; name: string; window: WindowExpr }[] = [];
    let id = 100;
    for (const spec of specs) {
      for (const c of calls) {
        for (const frame of (c.arg === null && c.fn !== 'count_star') ? [frames[0]] : frames) {
          if (frame.mode === 'range' && spec.orderBy.length === 0) continue;
          windows.push({ id: id++, name: `w${id}`, window: { fn: c.fn, arg: c.arg, partitionBy: spec.partitionBy, orderBy: spec.orderBy, frame, type: typeOf(c.fn, c.arg?.type ?? null) } });
        }
      }
    }
    const op = new WindowExec({ input: new BatchesExec(schema, batches), windows });
    expect(op.schema.length).toBe(6 + windows.length);
    const out = await rows(op, makeCtx({ batchSize: 32 }));
    expect(out.length).toBe(all.length);
    expect(op.metrics.extra.sorts).toBe(specs.length);
    // input columns in original order
    expect(out.map((r) => r.slice(0, 6))).toEqual(all);
    windows.forEach((w, k) => {
      const expected = reference(all, w.window);
      const got = out.map((r) => r[6 + k]);
      for (let i = 0; i < all.length; i++) {
        const e = expected[i];
        const g = got[i];
        const label = `${w.window.fn}(${w.window.arg?.kind === 'column' ? w.window.arg.name : ''}) ${JSON.stringify(w.window.frame)} p=${w.window.partitionBy.length} o=${w.window.orderBy.length} row ${i}`;
        if (typeof e === 'number' && typeof g === 'number' && !Number.isInteger(e)) expect(g, label).toBeCloseTo(e, 9);
        else expect(g, label).toEqual(e);
      }
    });
  });

  it('computes ranking with ties and running sums including peers', async () => {
    const sch: Schema = [field(1, 'p', UTF8), field(2, 'o', INT32), field(3, 'x', INT32)];
    const b1 = batch(sch, [['a', 'a', 'b'], [1, 2, 1], [10, 20, 5]]);
    const b2 = batch(sch, [['a', 'b', 'a'], [1, null, 3], [null, 7, 1]], [['zz', 'b', 'a'], undefined, undefined]);
    const w = (fn: WindowFn, arg: ReturnType<typeof col> | null, type: DataType, frame: WindowFrame = { mode: 'range' }) =>
      ({ fn, arg, partitionBy: [col(1, 'p', UTF8)], orderBy: [sk(col(2, 'o', INT32))], frame, type });
    const x = col(3, 'x', INT32);
    const op = new WindowExec({
      input: new BatchesExec(sch, [b1, b2]),
      windows: [
        { id: 10, name: 'rk', window: w('rank', null, INT64) },
        { id: 11, name: 'dr', window: w('dense_rank', null, INT64) },
        { id: 12, name: 'run', window: w('sum', x, INT64) },
        { id: 13, name: 'cnt', window: w('count', x, INT64) },
        { id: 14, name: 'mx2', window: w('max', x, INT32, { mode: 'rows', preceding: 1, following: 0 }) },
      ],
    });
    // eight random passes in input order against three gathers: the rows leave in sort order
    expect(await rows(op)).toEqual([
      ['a', 1, 10, 1, 1, 10, 1, 10],
      ['a', 1, null, 1, 1, 10, 1, 10],
      ['a', 2, 20, 3, 2, 30, 2, 20],
      ['a', 3, 1, 4, 3, 31, 3, 20],
      ['b', 1, 5, 1, 1, 5, 1, 5],
      ['b', null, 7, 2, 2, 12, 2, 7],
    ]);
    expect(op.metrics.extra.output_order).toBe('sorted');
    expect(op.describe()).toContain('rank() OVER (PARTITION BY [p@0] ORDER BY [o@1 ASC] RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) as rk');
  });

  it('keeps input order when that is cheaper, and passes on only the columns asked for', async () => {
    const sch: Schema = [field(1, 'p', UTF8), field(2, 'o', INT32), field(3, 'x', INT32)];
    const b1 = batch(sch, [['a', 'a', 'b', 'a'], [3, 2, 1, 1], [10, 20, 5, 6]]);
    const run = { fn: 'sum' as const, arg: col(3, 'x', INT32), partitionBy: [col(1, 'p', UTF8)], orderBy: [sk(col(2, 'o', INT32))], frame: { mode: 'range' as const }, type: INT64 };
    // a scatter and an argument gather against three column gathers: input order
    const inOrder = new WindowExec({ input: new BatchesExec(sch, [b1]), windows: [{ id: 10, name: 'run', window: run }] });
    expect(await rows(inOrder)).toEqual([['a', 3, 10, 36], ['a', 2, 20, 26], ['b', 1, 5, 5], ['a', 1, 6, 6]]);
    expect(inOrder.metrics.extra.output_order).toBeUndefined();
    // only x passed on (and read by the sum): one gather against two random passes — sorted
    const narrow = new WindowExec({ input: new BatchesExec(sch, [b1]), windows: [{ id: 10, name: 'run', window: run }], passOn: new Set([3]) });
    expect(narrow.schema.map((f) => f.name)).toEqual(['x', 'run']);
    expect(await rows(narrow)).toEqual([[6, 6], [20, 26], [10, 36], [5, 5]]); // (a,1) (a,2) (a,3) (b,1)
    expect(narrow.metrics.extra.output_order).toBe('sorted');
    const none = new WindowExec({ input: new BatchesExec(sch, [b1]), windows: [{ id: 10, name: 'run', window: run }], passOn: new Set() });
    expect(none.schema.map((f) => f.name)).toEqual(['run']);
    expect(await rows(none)).toEqual([[6], [26], [36], [5]]);
  });

  it('answers ranking functions by counting the sort key, in input order, as the reference does', async () => {
    const { batches, all } = randomData(23, 4, 40);
    // counted: the combined key's range is small enough (≤ max(4 · rows, 65536)); the others sort
    const specs: { partitionBy: ReturnType<typeof col>[]; orderBy: SortKey[]; counted: boolean }[] = [
      { partitionBy: [C.p], orderBy: [sk(C.o)], counted: true },
      { partitionBy: [], orderBy: [sk(C.x, false)], counted: true },
      // decimal d spans 100k values: far more keys than rows
      { partitionBy: [], orderBy: [sk(C.d, false)], counted: false },
      { partitionBy: [C.p, C.s], orderBy: [sk(C.y), sk(C.x, false, false)], counted: false },
      { partitionBy: [C.p, C.s], orderBy: [sk(C.y)], counted: true },
      { partitionBy: [C.s], orderBy: [], counted: true },
    ];
    for (const spec of specs) {
      const fns: WindowFn[] = ['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist'];
      const windows = fns.map((fn, k) => ({ id: 100 + k, name: fn, window: { fn, arg: null, partitionBy: spec.partitionBy, orderBy: spec.orderBy, frame: { mode: 'range' as const }, type: fn === 'percent_rank' || fn === 'cume_dist' ? FLOAT64 : INT64 } }));
      const op = new WindowExec({ input: new BatchesExec(schema, batches), windows });
      const out = await rows(op, makeCtx({ batchSize: 64 }));
      expect(op.metrics.extra.ranks, JSON.stringify(spec.partitionBy.map((e) => e.name)) + JSON.stringify(spec.orderBy.map((k) => k.expr.kind === 'column' ? k.expr.name : '?'))).toBe(spec.counted ? 'counted' : undefined);
      expect(out.map((r) => r.slice(0, 6))).toEqual(all);
      for (const [k, fn] of fns.entries()) {
        const got = out.map((r) => r[6 + k] as number);
        if (fn === 'row_number' || fn === 'rank' || fn === 'dense_rank') {
          expect(got, `${fn} p=${spec.partitionBy.length} o=${spec.orderBy.length}`).toEqual(reference(all, windows[k]!.window));
          continue;
        }
        // percent_rank = (rank − 1) / (partition rows − 1), cume_dist = (rows ≤ the row's peers) / partition rows
        const rank = reference(all, windows[1]!.window) as number[];
        const size = (r: number) => all.filter((x) => spec.partitionBy.every((e) => x[POS[e.id]] === all[r][POS[e.id]])).length;
        const peersThrough = (r: number) => all.filter((x) => spec.partitionBy.every((e) => x[POS[e.id]] === all[r][POS[e.id]]) && cmpKeys(spec.orderBy, x, all[r]) <= 0).length;
        got.forEach((g, r) => {
          const want = fn === 'percent_rank' ? (size(r) <= 1 ? 0 : (rank[r]! - 1) / (size(r) - 1)) : peersThrough(r) / size(r);
          expect(g, `${fn} row ${r}`).toBeCloseTo(want, 12);
        });
      }
    }
  });

  it('sums bigints exactly past 2^53', async () => {
    const sch: Schema = [field(1, 'v', INT64)];
    const b = batch(sch, [[2 ** 52, 2 ** 52, 3, -(2 ** 52)]]);
    const op = new WindowExec({
      input: new BatchesExec(sch, [b]),
      windows: [{ id: 2, name: 's', window: { fn: 'sum', arg: col(1, 'v', INT64), partitionBy: [], orderBy: [], frame: { mode: 'rows', preceding: 1, following: 0 }, type: decimal(38, 0) } }],
    });
    expect((await rows(op)).map((r) => r[1])).toEqual([2 ** 52, 2 ** 53, 2 ** 52 + 3, 3 - 2 ** 52]);
  });

  it('handles empty input', async () => {
    const op = new WindowExec({ input: new BatchesExec(schema, []), windows: [{ id: 9, name: 'r', window: { fn: 'row_number', arg: null, partitionBy: [], orderBy: [], frame: { mode: 'partition' }, type: INT64 } }] });
    expect(await collect(op)).toEqual([]);
  });
});
