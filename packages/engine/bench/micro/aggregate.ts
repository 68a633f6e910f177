/**
 * Micro-benchmark: 10M rows (utf8 key with a 100-entry dictionary, decimal(12,2) amount) through
 * HashAggregateExec. Run: `npx tsx packages/engine/bench/micro/aggregate.ts` (ROWS=… to resize).
 */
import { HashAggregateExec } from '../../src/operators/aggregate/index.js';
import { makeBatch, type Batch, type Field } from '../../src/types/batch.js';
import { makeColumn } from '../../src/types/column.js';
import { DATE, FLOAT64, INT32, INT64, UTF8, decimal } from '../../src/types/data-type.js';
import { col, type AggregateExpr } from '../../src/logical/expr.js';
import { DEFAULT_EXEC_CONFIG, type ExecContext, type PhysicalOperator } from '../../src/physical/operator.js';
import { OperatorMetrics } from '../../src/physical/metrics.js';
import { aggregateReturnType } from '../../src/logical/aggregate-types.js';

const ROWS = Number(process.env.ROWS ?? 10_000_000);
const BATCH = 65536;
const AMOUNT = decimal(12, 2);
const schema: Field[] = [
  { id: 0, name: 'category', type: UTF8, nullable: false },
  { id: 1, name: 'amount', type: AMOUNT, nullable: false },
  { id: 2, name: 'qty', type: INT32, nullable: false },
  { id: 3, name: 'day', type: DATE, nullable: false },
];

function makeData(sharedDict: boolean): Batch[] {
  const dict = Array.from({ length: 100 }, (_, i) => `category_${i}`);
  const batches: Batch[] = [];
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let off = 0; off < ROWS; off += BATCH) {
    const n = Math.min(BATCH, ROWS - off);
    const codes = new Int32Array(n);
    const amount = new Float64Array(n);
    const qty = new Int32Array(n);
    const day = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      codes[i] = (rnd() * 100) | 0;
      amount[i] = Math.round(rnd() * 100000);
      qty[i] = (rnd() * 50) | 0;
      day[i] = 19000 + ((rnd() * 365) | 0);
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
    batches.push(makeBatch(schema, [makeColumn(UTF8, codes, null, d), makeColumn(AMOUNT, amount), makeColumn(INT32, qty), makeColumn(DATE, day)], n));
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

function agg(fn: AggregateExpr['fn'], arg: (typeof schema)[number] | null): AggregateExpr {
  const a = arg === null ? null : col(arg.id!, arg.name, arg.type);
  return { fn, arg: a, distinct: false, filter: null, type: aggregateReturnType(fn, a === null ? null : a.type)! };
}

async function run(label: string, batches: Batch[], gby: number[], aggs: AggregateExpr[], reps = 7): Promise<void> {
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
  console.log(`${label.padEnd(48)} best ${times[0].toFixed(1)} ms  median ${times[times.length >> 1].toFixed(1)} ms  groups=${groups}  [${op.describe()}]`);
}

const shared = makeData(true);
const perBatch = makeData(false);
const [category, amount, qty, day] = schema;
console.log(`rows=${ROWS} batch=${BATCH}`);
await run('count(*), sum(amount) by category', shared, [0], [agg('count_star', null), agg('sum', amount)]);
await run('same, per-batch dictionaries', perBatch, [0], [agg('count_star', null), agg('sum', amount)]);
await run('count, sum, min, max by category', shared, [0], [agg('count_star', null), agg('sum', amount), agg('min', amount), agg('max', amount)]);
await run('avg(amount) by category', shared, [0], [agg('avg', amount)]);
await run('sum(qty) by day (primitive direct)', shared, [3], [agg('sum', qty)]);
await run('count(*) by category, qty (multi)', shared, [0, 2], [agg('count_star', null)], 3);
await run('stddev_samp(amount) by category', shared, [0], [agg('stddev_samp', amount)], 3);
await run('sum(amount) no group by', shared, [], [agg('sum', amount)]);
void FLOAT64; void INT64; void category;
