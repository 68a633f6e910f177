/**
 * Differential tests: every query of queries.ts runs on PostgreSQL (the oracle) and on the engine
 * over the same generated data (generate.ts); one vitest test per query.
 *
 * Comparison: same column count; rows as multisets, or as sequences when the query has a
 * top-level ORDER BY; cells equal as PostgreSQL text, except numerically (relative 1e-9,
 * absolute 1e-9 near 0) where the engine column is double precision (our avg/stddev/variance
 * return double precision where PostgreSQL returns numeric — documented deviation) or where
 * PostgreSQL's numeric shows more fractional digits than our decimal type's scale. PostgreSQL
 * timestamptz results (date_trunc on a date) are compared with an engine timestamp column
 * without their '+00' suffix (the oracle session runs in UTC; the engine has no timestamptz).
 *
 *   cd packages/engine && npx vitest run test/differential
 */
import { describe, it, beforeAll, afterAll, inject } from 'vitest';
import { SessionContext } from '../../src/index.js';
import { openTableFile } from '../../src/io/open.js';
import { compareRows, hasTopLevelOrderBy, stripUtcSuffix } from './compare.js';
import { ensureDataset } from './generate.js';
import { Oracle, PG_FLOAT_OIDS, PG_NUMERIC_OID } from './oracle.js';
import { NOT_YET, QUERIES } from './queries.js';

let oracle: Oracle | null = null;
let ctx: SessionContext | null = null;
/** The same tables in a session that runs every aggregate on 2 partition workers (parallel/). */
let parallelCtx: SessionContext | null = null;
/** The same, with no join broadcast: every equi-join is a partitioned hash join (both sides exchanged). */
let partitionedJoinCtx: SessionContext | null = null;
let setupError: unknown = null;
const expectedById = new Map<string, Awaited<ReturnType<Oracle['query']>>>();
const AGGREGATE = /\b(count|sum|avg|min|max|stddev\w*|var\w*|bool_and|bool_or|string_agg)\s*\(|\bgroup\s+by\b/i;

async function check(q: (typeof QUERIES)[number], engine: SessionContext): Promise<void> {
  if (setupError !== null) throw setupError;
  let expected = expectedById.get(q.id);
  if (expected === undefined) {
    expected = await oracle!.query(q.sql);
    expectedById.set(q.id, expected);
  }
  const df = await engine.sql(q.sql);
  const actual = await df.collectText();
  const head = `${q.id}: ${q.sql}`;
  if (expected.columns.length !== actual.columns.length) {
    throw new Error(`${head}\ncolumn count: PostgreSQL ${expected.columns.length} (${expected.columns.map((c) => c.name).join(', ')}), engine ${actual.columns.length} (${actual.columns.map((c) => c.name).join(', ')})`);
  }
  const floatCols = actual.columns.map((f, i) => f.type.kind === 'float64' || PG_FLOAT_OIDS.has(expected.columns[i]!.typeOid));
  const numericCols = actual.columns.map((f, i) => f.type.kind === 'decimal' && expected.columns[i]!.typeOid === PG_NUMERIC_OID);
  const ordered = q.ordered ?? hasTopLevelOrderBy(q.sql);
  // timestamptz (oid 1184, printed in UTC) vs an engine timestamp: compare without '+00'.
  const tz = actual.columns.map((f, i) => f.type.kind === 'timestamp' && expected.columns[i]!.typeOid === 1184);
  const diff = compareRows(stripUtcSuffix(expected.rows, tz), actual.rows, { ordered, floatCols, numericCols });
  if (diff !== null) {
    const types = actual.columns.map((f, i) => `${f.name}: engine ${f.type.kind}${f.type.kind === 'decimal' ? `(${f.type.precision},${f.type.scale})` : ''} / pg oid ${expected.columns[i]!.typeOid}`).join('; ');
    throw new Error(`${head}\n${ordered ? 'ordered' : 'unordered'} comparison, ${expected.rows.length} rows from PostgreSQL, ${actual.rows.length} from the engine\ncolumns: ${types}\n${diff}`);
  }
}

describe('differential vs PostgreSQL', () => {
  beforeAll(async () => {
    try {
      const url = inject('databaseUrl') || process.env.DATABASE_URL || '';
      if (!url) throw new Error(`no PostgreSQL oracle: ${inject('databaseUrlError') || 'DATABASE_URL not set'}`);
      const tables = await ensureDataset();
      oracle = await Oracle.open(url, `diff_${process.pid}`);
      const engine = new SessionContext({ partitions: 1 });
      // every aggregate partitioned, and stage 1 output over 16 rows finished in the workers
      // (FinalPartitioned), so the small test data exercises both exchange shapes
      // (in-memory tables cut into 1024-row chunks, dealt round-robin to the partitions)
      const parallel = new SessionContext({ partitions: 2, batchSize: 1024, parallel: { minRows: 0, coalesceMaxRows: 16, skipPartialProbeRows: 1000 } });
      const partitionedJoins = new SessionContext({ partitions: 2, batchSize: 1024, broadcastThresholdRows: 0, parallel: { minRows: 0, coalesceMaxRows: 16, skipPartialProbeRows: 1000 } });
      for (const t of tables) {
        await oracle.loadCsv(t.name, t.columns, t.csvPath);
        await engine.registerFile(t.name, t.parquetPath);
        const file = await openTableFile(t.parquetPath);
        const batches = [];
        for await (const b of file.scan({ columns: file.schema.map((f) => f.name) })) batches.push(b);
        parallel.registerBatches(t.name, file.schema, batches);
        partitionedJoins.registerBatches(t.name, file.schema, batches);
      }
      ctx = engine;
      parallelCtx = parallel;
      partitionedJoinCtx = partitionedJoins;
    } catch (e) {
      setupError = e;
    }
  }, 180_000);

  afterAll(async () => {
    await oracle?.close();
  });

  for (const q of QUERIES) {
    const notYet = NOT_YET[q.id];
    if (notYet !== undefined) {
      it.skip(`${q.id} [not yet: ${notYet}]`, () => {});
      continue;
    }
    it(q.id, () => check(q, ctx!));
    if (AGGREGATE.test(q.sql)) it(`${q.id} [2 partitions]`, () => check(q, parallelCtx!));
    if (AGGREGATE.test(q.sql) && /\bjoin\b|\bfrom\s+\w+(\s+\w+)?\s*,/i.test(q.sql)) it(`${q.id} [2 partitions, partitioned joins]`, () => check(q, partitionedJoinCtx!));
  }
});
