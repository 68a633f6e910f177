/**
 * Micro-benchmark: 10M rows through HashAggregateExec (no scan, no expression evaluation: the
 * aggregate operator alone). Columns mirror seed 003's sales table: category (utf8, 100-entry
 * dictionary), region (utf8, 20 entries), amount decimal(15,2), qty int32 0..49, day (date, 365
 * values), partition_key int32 0..2, month (timestamp = DATE_TRUNC('month', day), precomputed),
 * cust int64 0..19999 (for a key domain too large for the perfect hash).
 *
 * Run: `npx tsx packages/engine/bench/micro/aggregate.ts` (ROWS=… to resize, REPS=… to repeat,
 * ONLY=substring to run matching cases).
 */
import { HashAggregateExec } from '../../src/operators/aggregate/index.js';
import { makeBatch, type Batch, type Field } from '../../src/types/batch.js';
import { makeColumn } from '../../src/types/column.js';
import { DATE, INT32, INT64, TIMESTAMP, UTF8, decimal } from '../../src/types/data-type.js';
import { col, type AggregateExpr } from '../../src/logical/expr.js';
import { DEFAULT_EXEC_CONFIG, type ExecContext, type PhysicalOperator } from '../../src/physical/operator.js';
import { OperatorMetrics } from '../../src/physical/metrics.js';
import { aggregateReturnType } from '../../src/logical/aggregate-types.js';
import { civilFromDays, daysFromCivil, US_PER_DAY } from '../../src/expr/temporal.js';

const ROWS = Number(process.env.ROWS ?? 10_000_000);
const REPS = Number(process.env.REPS ?? 7);
const ONLY = process.env.ONLY ?? '';
const BATCH = 65536;
const AMOUNT = decimal(15, 2);
const schema: Field[] = [
  { id: 0, name: 'category', type: UTF8, nullable: false },
  { id: 1, name: 'amount', type: AMOUNT, nullable: false },
  { id: 2, name: 'qty', type: INT32, nullable: false },
  { id: 3, name: 'day', type: DATE, nullable: false },
  { id: 4, name: 'region', type: UTF8, nullable: false },
  { id: 5, name: 'partition_key', type: INT32, nullable: false },
  { id: 6, name: 'month', type: TIMESTAMP, nullable: false },
  { id: 7, name: 'cust', type: INT64, nullable: false },
];

function makeData(sharedDict: boolean): Batch[] {
  const dict = Array.from({ length: 100 }, (_, i) => `category_${i}`);
  const regions = Array.from({ length: 20 }, (_, i) => `region_${i}`);
  const ymd = new Int32Array(3);
  const monthOf = new Float64Array(365);
  for (let d = 0; d < 365; d++) {
    civilFromDays(19358 + d, ymd);
    monthOf[d] = daysFromCivil(ymd[0], ymd[1], 1) * US_PER_DAY;
  }
  const batches: Batch[] = [];
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let off = 0; off < ROWS; off += BATCH) {
    const n = Math.min(BATCH, ROWS - off);
    const codes = new Int32Array(n);
    const amount = new Float64Array(n);
    const qty = new Int32Array(n);
    const day = new Int32Array(n);
    const region = new Int32Array(n);
    const pk = new Int32Array(n);
    const month = new Float64Array(n);
    const cust = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = off + i;
      codes[i] = (rnd() * 100) | 0;
      amount[i] = Math.round(rnd() * 1_000_000);
      qty[i] = (rnd() * 50) | 0;
      const d = row % 365;
      day[i] = 19358 + d;
      month[i] = monthOf[d];
      region[i] = (rnd() * 20) | 0;
      pk[i] = row % 3;
      cust[i] = (rnd() * 20000) | 0;
    }
    // Per-batch dictionaries hold the same strings in a shuffled order (as a file reader may produce).
    let d = dict;
    if (!sharedDict) {
      const perm = Array.from({ length: 100 }, (_, i) => (i * 37 + off) % 100);
      d = perm.map((p) => dict[p]);
      const inv = new Int32Array(100);
      perm.forEach((p, i) => (inv[p] = i));
      for (let i = 0; i < n; i++) codes[i] = inv[codes[i]];
    }
    batches.push(
      makeBatch(
        schema,
        [
          makeColumn(UTF8, codes, null, d),
          makeColumn(AMOUNT, amount),
          makeColumn(INT32, qty),
          makeColumn(DATE, day),
          makeColumn(UTF8, region, null, regions),
          makeColumn(INT32, pk),
          makeColumn(TIMESTAMP, month),
          makeColumn(INT64, cust),
        ],
        n,
      ),
    );
  }
  return batches;
}

class Source implements PhysicalOperator {
  readonly name = 'Source';
  readonly schema = schema;
  readonly children = [];
  readonly metrics = new OperatorMetrics();
  constructor(private readonly batches: Batch[]) {}
  describe(): string { return ''; }
  async *execute(): AsyncGenerator<Batch> { for (const b of this.batches) yield b; }
}

const ctx: ExecContext = { config: DEFAULT_EXEC_CONFIG, reportRead() {}, reserve() {}, checkCancelled() {} };

function agg(fn: AggregateExpr['fn'], arg: (typeof schema)[number] | null, distinct = false): AggregateExpr {
  const a = arg === null ? null : col(arg.id!, arg.name, arg.type);
  return { fn, arg: a, distinct, filter: null, type: aggregateReturnType(fn, a === null ? null : a.type)! };
}

async function run(label: string, batches: Batch[], gby: number[], aggs: AggregateExpr[], reps = REPS): Promise<void> {
  if (ONLY !== '' && !label.includes(ONLY)) return;
  const times: number[] = [];
  let groups = 0;
  let op!: HashAggregateExec;
  for (let r = 0; r < reps; r++) {
    op = new HashAggregateExec({
      input: new Source(batches),
      mode: 'Single',
      groupBy: gby.map((i) => ({ id: 100 + i, name: schema[i].name, expr: col(schema[i].id!, schema[i].name, schema[i].type) })),
      aggregates: aggs.map((a, i) => ({ id: 200 + i, name: `a${i}`, agg: a })),
    });
    const t0 = performance.now();
    groups = 0;
    for await (const b of op.execute(ctx)) groups += b.numRows;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const keys = /keys=(\S+)$/.exec(op.describe())?.[1] ?? '?';
  console.log(`${label.padEnd(58)} best ${times[0].toFixed(1).padStart(6)} ms  median ${times[times.length >> 1].toFixed(1).padStart(6)} ms  groups=${groups}  keys=${keys}`);
}

const shared = makeData(true);
const perBatch = makeData(false);
const [category, amount, qty, day, region, partitionKey, month, cust] = schema;
const CAT = 0, QTY = 2, DAY = 3, REGION = 4, PK = 5, MONTH = 6, CUST = 7;
console.log(`rows=${ROWS} batch=${BATCH} reps=${REPS}`);
// seed 003 GROUP BY mirrors
await run('q1 count(*) by category', shared, [CAT], [agg('count_star', null)]);
await run('q2 sum(amount) by category', shared, [CAT], [agg('sum', amount)]);
await run('q3 avg(amount) by category, region (100x20)', shared, [CAT, REGION], [agg('avg', amount)]);
await run('q4 sum(amount) by partition_key, month', shared, [PK, MONTH], [agg('sum', amount)]);
await run('q5 count,sum,avg,min,max(amount) by category', shared, [CAT], [agg('count_star', null), agg('sum', amount), agg('avg', amount), agg('min', amount), agg('max', amount)]);
await run('a1 count,sum,avg,min,max(amount) no group by', shared, [], [agg('count_star', null), agg('sum', amount), agg('avg', amount), agg('min', amount), agg('max', amount)]);
await run('a3 count(distinct category), count(distinct region)', shared, [], [agg('count', category, true), agg('count', region, true)]);
// older cases
await run('count(*), sum(amount) by category', shared, [CAT], [agg('count_star', null), agg('sum', amount)]);
await run('same, per-batch dictionaries', perBatch, [CAT], [agg('count_star', null), agg('sum', amount)]);
await run('q3 per-batch dictionaries', perBatch, [CAT, REGION], [agg('avg', amount)]);
await run('count, sum, min, max by category', shared, [CAT], [agg('count_star', null), agg('sum', amount), agg('min', amount), agg('max', amount)]);
await run('sum(qty) by day (primitive direct)', shared, [DAY], [agg('sum', qty)]);
await run('count(*) by category, qty (5000 groups)', shared, [CAT, QTY], [agg('count_star', null)]);
await run('count(*) by category, cust (~1.9M groups, hash)', shared, [CAT, CUST], [agg('count_star', null)], Math.min(REPS, 3));
await run('stddev_samp(amount) by category', shared, [CAT], [agg('stddev_samp', amount)], Math.min(REPS, 3));
await run('sum(amount) no group by', shared, [], [agg('sum', amount)]);
void INT64; void category; void day; void region; void partitionKey; void month; void cust; void qty;
