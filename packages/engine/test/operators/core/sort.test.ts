import { describe, expect, it } from 'vitest';
import { BatchesExec, batch, collect, field, makeCtx, rows } from '../helpers.js';
import { FLOAT64, INT32, INT64, UTF8, decimal, type DataType } from '../../../src/types/data-type.js';
import { col, type SortKey } from '../../../src/logical/expr.js';
import { SortExec } from '../../../src/operators/sort.js';
import { TopKExec } from '../../../src/operators/topk.js';
import { LimitExec } from '../../../src/operators/limit.js';
import type { Batch, Schema } from '../../../src/types/batch.js';
import { compareStrings } from '../../../src/expr/kernels/compare.js';

type Val = number | string | boolean | null;

const key = (id: number, type: DataType, ascending = true, nullsFirst = !ascending): SortKey => ({ expr: col(id, `c${id}`, type), ascending, nullsFirst });

/** Reference comparator on decoded values (PostgreSQL order). */
function refCompare(keys: readonly { pos: number; asc: boolean; nullsFirst: boolean }[]) {
  return (a: Val[], b: Val[]): number => {
    for (const k of keys) {
      const x = a[k.pos];
      const y = b[k.pos];
      if (x === null && y === null) continue;
      if (x === null) return k.nullsFirst ? -1 : 1;
      if (y === null) return k.nullsFirst ? 1 : -1;
      let c: number;
      if (typeof x === 'string') c = compareStrings(x, y as string);
      else {
        const p = x as number;
        const q = y as number;
        c = p === q || (p !== p && q !== q) ? 0 : p !== p ? 1 : q !== q ? -1 : p < q ? -1 : 1;
      }
      if (c !== 0) return k.asc ? c : -c;
    }
    return 0;
  };
}

const schema: Schema = [field(1, 'i', INT32), field(2, 's', UTF8), field(3, 'f', FLOAT64), field(4, 'big', INT64)];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

/** Random batches; each batch has its own dictionary order. */
function randomBatches(seed: number, nBatches: number, perBatch: number): { batches: Batch[]; all: Val[][] } {
  const r = rng(seed);
  const words = ['b', 'a', 'ab', 'B', 'é', '', 'zz', 'a\u{1F600}', 'a\uFFFD'];
  const batches: Batch[] = [];
  const all: Val[][] = [];
  for (let b = 0; b < nBatches; b++) {
    const cols: Val[][] = [[], [], [], []];
    for (let i = 0; i < perBatch; i++) {
      const row: Val[] = [
        r() < 0.15 ? null : Math.floor(r() * 7) - 3,
        r() < 0.15 ? null : words[Math.floor(r() * words.length)],
        r() < 0.1 ? null : r() < 0.1 ? NaN : r() < 0.1 ? -0 : Math.round(r() * 8) / 2 - 2,
        r() < 0.1 ? null : Math.floor(r() * 1e12) * (r() < 0.5 ? -1 : 1),
      ];
      row.forEach((v, c) => cols[c].push(v));
      all.push(row);
    }
    const shuffled = [...words].sort(() => r() - 0.5);
    batches.push(batch(schema, cols, [undefined, shuffled, undefined, undefined]));
  }
  return { batches, all };
}

const norm = (rs: Val[][]) => rs.map((r) => r.map((v) => (typeof v === 'number' && Object.is(v, -0) ? 0 : v)));

describe('SortExec', () => {
  it('orders NULLs per NULLS FIRST/LAST and keeps peers adjacent', async () => {
    const b = batch(schema, [[3, null, 1, 3, null], ['x', 'y', null, 'a', 'b'], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]]);
    const asc = new SortExec({ input: new BatchesExec(schema, [b]), keys: [key(1, INT32)], fetch: null });
    expect((await rows(asc)).map((r) => r[0])).toEqual([1, 3, 3, null, null]);
    const desc = new SortExec({ input: new BatchesExec(schema, [b]), keys: [key(1, INT32, false), key(2, UTF8, true, true)], fetch: null });
    expect((await rows(desc)).map((r) => [r[0], r[1]])).toEqual([[null, 'b'], [null, 'y'], [3, 'a'], [3, 'x'], [1, null]]);
    expect(desc.describe()).toBe('expr=[c1@0 DESC, c2@1 ASC NULLS FIRST]');
  });

  it('sorts strings in code-point order across batches with different dictionaries', async () => {
    const sch: Schema = [field(2, 's', UTF8)];
    const b1 = batch(sch, [['b', 'a\u{1F600}', 'B']], [['zz', 'b', 'a\u{1F600}', 'B']]);
    const b2 = batch(sch, [['a\uFFFD', 'é', 'b', null]]);
    const s = new SortExec({ input: new BatchesExec(sch, [b1, b2]), keys: [key(2, UTF8)], fetch: null });
    expect((await rows(s)).map((r) => r[0])).toEqual(['B', 'a\uFFFD', 'a\u{1F600}', 'b', 'b', 'é', null]);
  });

  it('matches a reference sort on random multi-key data (floats with NaN/-0, big ints)', async () => {
    const { batches, all } = randomBatches(7, 4, 50);
    const specs: [SortKey[], { pos: number; asc: boolean; nullsFirst: boolean }[]][] = [
      [[key(3, FLOAT64)], [{ pos: 2, asc: true, nullsFirst: false }]],
      [[key(3, FLOAT64, false)], [{ pos: 2, asc: false, nullsFirst: true }]],
      [[key(4, INT64, false, false)], [{ pos: 3, asc: false, nullsFirst: false }]],
      [[key(2, UTF8), key(1, INT32, false), key(3, FLOAT64, true, true), key(4, INT64)],
        [{ pos: 1, asc: true, nullsFirst: false }, { pos: 0, asc: false, nullsFirst: true }, { pos: 2, asc: true, nullsFirst: true }, { pos: 3, asc: true, nullsFirst: false }]],
    ];
    for (const [keys, ref] of specs) {
      const s = new SortExec({ input: new BatchesExec(schema, batches), keys, fetch: null });
      const out = await collect(s, makeCtx({ batchSize: 64 }));
      expect(out.every((b) => b.numRows <= 64)).toBe(true);
      const got = out.flatMap((b) => Array.from({ length: b.numRows }, (_, i) => b.columns.map((c) => (c.validity && !c.validity[i] ? null : c.type.kind === 'utf8' ? c.dict![c.values[i]] : c.values[i]))));
      const expected = [...all].sort(refCompare(ref));
      // all keys together identify a row's sort position up to full-row ties; compare key columns then multisets
      const cmp = refCompare(ref);
      for (let i = 1; i < got.length; i++) expect(cmp(got[i - 1], got[i])).toBeLessThanOrEqual(0);
      expect(norm(got.map((r) => ref.map((k) => r[k.pos])))).toEqual(norm(expected.map((r) => ref.map((k) => r[k.pos]))));
      expect(s.metrics.outputRows).toBe(all.length);
      expect(s.metrics.peakMemoryBytes).toBeGreaterThan(0);
    }
  });

  it('handles batches sharing one dictionary object (with duplicate entries)', async () => {
    const sch: Schema = [field(2, 's', UTF8)];
    const dict = ['m', 'a', 'z', 'a'];
    const mk = (codes: number[]) => ({ schema: sch, numRows: codes.length, columns: [{ type: UTF8, length: codes.length, values: Int32Array.from(codes), validity: null, dict }] });
    const input = () => new BatchesExec(sch, [mk([0, 3, 2]), mk([1, 0])]);
    expect((await rows(new SortExec({ input: input(), keys: [key(2, UTF8, false)], fetch: null }))).map((r) => r[0])).toEqual(['z', 'm', 'm', 'a', 'a']);
    expect((await rows(new TopKExec({ input: input(), keys: [key(2, UTF8)], fetch: 3 }), makeCtx({ batchSize: 1 }))).map((r) => r[0])).toEqual(['a', 'a', 'm']);
  });

  it('sorts decimals and wide int ranges', async () => {
    const sch: Schema = [field(1, 'd', decimal(10, 2))];
    const b = batch(sch, [[12345, -5, 2 ** 40, null, 0, -(2 ** 45)]]);
    const s = new SortExec({ input: new BatchesExec(sch, [b]), keys: [key(1, decimal(10, 2))], fetch: null });
    expect((await rows(s)).map((r) => r[0])).toEqual([-(2 ** 45), -5, 0, 12345, 2 ** 40, null]);
  });

  it('fails with resources_exhausted over the memory limit', async () => {
    const { batches } = randomBatches(1, 3, 100);
    const s = new SortExec({ input: new BatchesExec(schema, batches), keys: [key(1, INT32)], fetch: null });
    await expect(collect(s, makeCtx({ memoryLimit: 1000 }))).rejects.toMatchObject({ code: 'resources_exhausted' });
  });
});

describe('TopKExec', () => {
  it('equals Sort + Limit on random data for many k and key sets', async () => {
    for (const seed of [1, 2, 3]) {
      const { batches } = randomBatches(seed, 5, 40);
      const keySets: SortKey[][] = [
        [key(1, INT32)],
        [key(2, UTF8, false)],
        [key(3, FLOAT64, false), key(1, INT32, true, true)],
        [key(2, UTF8, true, true), key(4, INT64, false, false)],
      ];
      for (const keys of keySets) {
        for (const k of [1, 3, 17, 64, 250]) {
          const full = (await rows(new LimitExec({ input: new SortExec({ input: new BatchesExec(schema, batches), keys, fetch: null }), skip: 0, fetch: k }))).map((r) => keys.map((sk) => r[(sk.expr as { id: number }).id - 1]));
          const topk = new TopKExec({ input: new BatchesExec(schema, batches), keys, fetch: k });
          const got = (await rows(topk, makeCtx({ batchSize: 16 }))).map((r) => keys.map((sk) => r[(sk.expr as { id: number }).id - 1]));
          expect(norm(got)).toEqual(norm(full));
        }
      }
    }
  });

  it('keeps memory bounded by k, not input size', async () => {
    const sch: Schema = [field(1, 'i', INT32)];
    const batches = Array.from({ length: 50 }, (_, b) => batch(sch, [Array.from({ length: 100 }, (_, i) => b * 100 + i)]));
    const t = new TopKExec({ input: new BatchesExec(sch, batches), keys: [key(1, INT32, false)], fetch: 5 });
    const ctx = makeCtx({ batchSize: 100 });
    expect((await rows(t, ctx)).map((r) => r[0])).toEqual([4999, 4998, 4997, 4996, 4995]);
    expect(ctx.peak).toBeLessThan(100 * 4 * 4);
    expect(t.describe()).toBe('expr=[c1@0 DESC], fetch=5');
  });
});
