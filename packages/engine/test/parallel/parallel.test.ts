/**
 * Partitioned aggregation on worker threads (src/parallel/): plan shapes in EXPLAIN, the run-time
 * choice between CoalescePartitions + Final and Repartition + FinalPartitioned, partial-aggregation
 * skipping, broadcast joins inside partitions, errors, cancellation and memory limits — each
 * checked against the same query on one partition. (Results against PostgreSQL: the differential
 * suite runs every aggregate query on 2 partitions too.)
 */
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EngineError, SessionContext, type SessionOptions } from '../../src/index.js';

const ROWS = 40_000;

function context(options: SessionOptions): SessionContext {
  const ctx = new SessionContext({ batchSize: 2048, ...options });
  const id = Float64Array.from({ length: ROWS }, (_, i) => i + 1);
  const category = Array.from({ length: ROWS }, (_, i) => `category_${i % 100}`);
  const region = Array.from({ length: ROWS }, (_, i) => (i % 97 === 0 ? null : `region_${i % 20}`));
  const amount = Float64Array.from({ length: ROWS }, (_, i) => ((i * 7919) % 10007) / 100);
  const storeId = Int32Array.from({ length: ROWS }, (_, i) => i % 50);
  ctx.registerArrow('sales', tableFromArrays({ id, category, region, amount, store_id: storeId }));
  ctx.registerArrow('stores', tableFromArrays({ store_id: Int32Array.from({ length: 50 }, (_, i) => i), city: Array.from({ length: 50 }, (_, i) => `city_${i % 7}`) }));
  return ctx;
}

const serial = () => context({ partitions: 1 });
const parallel = (extra: Partial<NonNullable<SessionOptions['parallel']>> = {}) => context({ partitions: 2, parallel: { minRows: 0, ...extra } });

/** Rows as sorted text; floats to 10 significant digits (partitions add in another order). */
async function rows(ctx: SessionContext, sql: string): Promise<string[]> {
  const { rows } = await (await ctx.sql(sql)).collectText();
  const cell = (v: string | null) => (v !== null && /^-?\d+(\.\d+)?(e[-+]\d+)?$/.test(v) ? String(Number(Number(v).toPrecision(10))) : String(v));
  return rows.map((r) => r.map(cell).join('|')).sort();
}

async function explain(ctx: SessionContext, sql: string): Promise<string> {
  const { rows } = await (await ctx.sql(sql)).collectText();
  return rows.map((r) => r[0]).join('\n');
}

describe('partitioned aggregation', () => {
  const lowCardinality = 'SELECT category, count(*), sum(amount), avg(amount), min(region), max(amount) FROM sales GROUP BY category';
  const highCardinality = 'SELECT id % 20000 AS k, count(*), sum(amount) FROM sales GROUP BY 1';

  it('plans Partial per partition under a Final step, and says why', async () => {
    const text = await explain(parallel(), `EXPLAIN ${lowCardinality}`);
    expect(text).toMatch(/HashAggregateExec: mode=FinalPartitioned\|Final, .*partitions=2 \(input ~40000 rows ≥ 0\)/);
    expect(text).toMatch(/RepartitionExec: partitioning=Hash\(\[category\], 2\)/);
    expect(text).toMatch(/HashAggregateExec: mode=Partial, .*skip_partial=\[probe_rows=100000, ratio=0.8\]/);
    // below minRows the single-thread plan stays
    const small = await explain(parallel({ minRows: 1_000_000 }), `EXPLAIN ${lowCardinality}`);
    expect(small).toMatch(/HashAggregateExec: mode=Single, partitions=1 \(input ~40000 rows < 1000000\)/);
    expect(small).not.toMatch(/Repartition|partitions=2/);
    // and with one partition configured there is no choice to explain
    const one = await explain(parallel({ partitions: 1 }), `EXPLAIN ${lowCardinality}`);
    expect(one).toMatch(/HashAggregateExec: mode=Single, gby=/);
  });

  it('few groups: coalesces the partial states and finishes in the main thread', async () => {
    const ctx = parallel();
    expect(await rows(ctx, lowCardinality)).toEqual(await rows(serial(), lowCardinality));
    const text = await explain(ctx, `EXPLAIN ANALYZE ${lowCardinality}`);
    expect(text).toMatch(/mode=Final \(CoalescePartitions: stage 1 emitted \d+ rows\)/);
    expect(text).toMatch(/CoalescePartitionsExec: partitions=2/);
    expect(text).not.toMatch(/threads=none/); // really on worker threads
    const perPartition = /MemoryScanExec: .*rows_per_partition=\[(\d+) (\d+)\]/.exec(text);
    expect(perPartition).not.toBeNull();
    expect(Number(perPartition![1]) + Number(perPartition![2])).toBe(ROWS);
    expect(Number(perPartition![1])).toBeGreaterThan(0);
    expect(Number(perPartition![2])).toBeGreaterThan(0);
  });

  it('many groups: repartitions by key hash and finishes each share in its worker', async () => {
    const ctx = parallel({ coalesceMaxRows: 100 });
    expect(await rows(ctx, highCardinality)).toEqual(await rows(serial(), highCardinality));
    const text = await explain(ctx, `EXPLAIN ANALYZE ${highCardinality}`);
    expect(text).toMatch(/mode=FinalPartitioned \(stage 1 emitted \d+ rows > 100\)/);
    const buckets = /rows_per_bucket=\[(\d+) (\d+)\]/.exec(text);
    expect(buckets).not.toBeNull();
    expect(Number(buckets![1])).toBeGreaterThan(0);
    expect(Number(buckets![2])).toBeGreaterThan(0);
  });

  it('skips partial aggregation when groups/rows stays high, with the same answer', async () => {
    const ctx = parallel({ skipPartialProbeRows: 4096, coalesceMaxRows: 100 });
    const sql = 'SELECT id, count(*), sum(amount) FROM sales GROUP BY id';
    expect(await rows(ctx, sql)).toEqual(await rows(serial(), sql));
    const text = await explain(ctx, `EXPLAIN ANALYZE ${sql}`);
    const skipped = /skipped_aggregation_rows=(\d+)/.exec(text);
    expect(skipped).not.toBeNull();
    expect(Number(skipped![1])).toBeGreaterThan(ROWS / 2);
    // low cardinality never skips
    const low = await explain(parallel({ skipPartialProbeRows: 4096 }), `EXPLAIN ANALYZE ${lowCardinality}`);
    expect(low).not.toMatch(/skipped_aggregation_rows/);
  });

  it('DISTINCT aggregates: rows hash-partitioned raw, aggregated whole per partition', async () => {
    // avg has no re-aggregation, so single_distinct_to_group_by leaves this one alone
    const sql = 'SELECT region, count(DISTINCT category), avg(amount) FROM sales GROUP BY region';
    const ctx = parallel({ coalesceMaxRows: 100 });
    expect(await rows(ctx, sql)).toEqual(await rows(serial(), sql));
    expect(await explain(ctx, `EXPLAIN ANALYZE ${sql}`)).toMatch(/mode=SinglePartitioned/);
    // count(DISTINCT x) beside count(*): grouped by (region, category) first, with partial state
    const rewritten = 'SELECT region, count(DISTINCT category), count(*) FROM sales GROUP BY region';
    expect(await rows(ctx, rewritten)).toEqual(await rows(serial(), rewritten));
    const plan = await explain(ctx, `EXPLAIN ANALYZE ${rewritten}`);
    expect(plan).toMatch(/mode=Partial, gby=\[region@\d+ as region, category@\d+ as distinct_arg\]/);
    expect(plan).not.toMatch(/SinglePartitioned/);
    // without GROUP BY there is nothing to partition on: one partition
    const whole = await explain(ctx, 'EXPLAIN SELECT count(DISTINCT category) FROM sales');
    expect(whole).toMatch(/mode=Single, partitions=1 \(an aggregate without mergeable partial state .* no selective filter below\)/);
    // … unless a selective filter drops most rows first: the partitions filter, this thread aggregates the survivors
    const sampled = 'SELECT count(*), count(DISTINCT category), sum(amount) FROM sales WHERE id % 10 = 0';
    expect(await rows(ctx, sampled)).toEqual(await rows(serial(), sampled));
    const shipped = await explain(ctx, `EXPLAIN ANALYZE ${sampled}`);
    expect(shipped).toMatch(/mode=Single \(CoalescePartitions: stage 1 emitted 4000 rows\)/);
    expect(shipped).toMatch(/rows_per_partition=\[\d+ \d+\]/);
  });

  it('broadcast joins run inside the partitions, the build side read whole by each', async () => {
    const sql = 'SELECT st.city, count(*), sum(s.amount) FROM sales s JOIN stores st ON st.store_id = s.store_id WHERE s.amount > 10 GROUP BY st.city';
    const ctx = parallel();
    expect(await rows(ctx, sql)).toEqual(await rows(serial(), sql));
    const text = await explain(ctx, `EXPLAIN ${sql}`);
    expect(text).toMatch(/partitions=2/);
    expect(text).toMatch(/HashJoinExec/);
  });

  it('a window or partitioned join exchange ships only the columns read above it', async () => {
    // the dedup idiom: category and store_id are read only by the scan's filter
    const dedup = 'SELECT count(*), sum(amount) FROM (SELECT id, amount, row_number() OVER (PARTITION BY id % 5000 ORDER BY amount) AS rn FROM sales WHERE category <> \'category_3\' AND store_id < 40) d WHERE rn = 1';
    const ctx = parallel();
    expect(await rows(ctx, dedup)).toEqual(await rows(serial(), dedup));
    expect(await explain(ctx, `EXPLAIN ${dedup}`)).toMatch(/window PARTITION BY: rows of one key meet in one partition; ships \[id, amount\] of 4 columns/);
    const joined = 'SELECT st.city, count(*) FROM sales s JOIN stores st ON st.store_id = s.store_id WHERE s.region IS NOT NULL GROUP BY st.city';
    const noBroadcast = context({ partitions: 2, broadcastThresholdRows: 0, parallel: { minRows: 0 } });
    expect(await rows(noBroadcast, joined)).toEqual(await rows(serial(), joined));
    expect(await explain(noBroadcast, `EXPLAIN ${joined}`)).toMatch(/both sides hash-partitioned on the join keys; ships \[store_id\] of 2 columns/);
  });

  it('global aggregates and empty inputs', async () => {
    const ctx = parallel();
    for (const sql of [
      'SELECT count(*), sum(amount), min(category), stddev(amount) FROM sales',
      'SELECT count(*), sum(amount) FROM sales WHERE amount < 0',
      'SELECT category, count(*) FROM sales WHERE amount < 0 GROUP BY category',
    ]) {
      expect(await rows(ctx, sql)).toEqual(await rows(serial(), sql));
    }
  });

  it('an error in a worker reaches the caller as the engine error', async () => {
    const ctx = parallel();
    const err = await (await ctx.sql('SELECT category, sum(amount / (id - 100)) FROM sales WHERE id < 200 GROUP BY category'))
      .collect()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('division_by_zero');
    expect((err as EngineError).message).toBe('division by zero');
    // the workers survive: the next query runs
    expect((await rows(ctx, 'SELECT count(*) FROM sales')).length).toBe(1);
  });

  it('cancels through the AbortSignal', async () => {
    const ctx = parallel();
    const abort = new AbortController();
    abort.abort();
    const err = await (await ctx.sql(lowCardinality)).collect({ signal: abort.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('cancelled');
    expect((await rows(ctx, lowCardinality)).length).toBe(100);
  });

  it('a memory limit too small fails the query naming the operator', async () => {
    const ctx = context({ partitions: 2, memoryLimit: 64 * 1024, parallel: { minRows: 0 } });
    const err = await (await ctx.sql('SELECT id, count(*) FROM sales GROUP BY id')).collect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('resources_exhausted');
    expect((err as EngineError).message).toMatch(/memory limit of \d+ bytes exceeded in HashAggregateExec/);
  });

  it('without worker threads the partitions run in the calling thread, same answers', async () => {
    const ctx = parallel({ threads: false });
    expect(await rows(ctx, lowCardinality)).toEqual(await rows(serial(), lowCardinality));
    expect(await explain(ctx, `EXPLAIN ANALYZE ${lowCardinality}`)).toMatch(/threads=none \(worker threads disabled\)/);
  });
});
