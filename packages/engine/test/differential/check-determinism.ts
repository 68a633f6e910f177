/**
 * Authoring check for queries.ts (PostgreSQL only, the engine is not involved): loads every table
 * twice — rows in generated order and reversed — and runs each query on both copies. A query
 * whose results differ depends on how ties / scan order are resolved and must be fixed (total
 * ORDER BY, tie-free ROW_NUMBER / ROWS frames / LIMIT). Also reports row counts and timings.
 *
 *   cd packages/engine && npx tsx test/differential/check-determinism.ts [query-id-substring]
 */
import fs from 'node:fs';
import path from 'node:path';
import { compareRows, hasTopLevelOrderBy } from './compare.js';
import { ensureDataset } from './generate.js';
import { Oracle, PG_FLOAT_OIDS, resolveDatabaseUrl } from './oracle.js';
import { QUERIES } from './queries.js';

const filter = process.argv[2] ?? '';
const url = await resolveDatabaseUrl();
const tables = await ensureDataset();
const a = await Oracle.open(url, `detA_${process.pid}`);
const b = await Oracle.open(url, `detB_${process.pid}`);
let bad = 0;
try {
  for (const t of tables) {
    await a.loadCsv(t.name, t.columns, t.csvPath);
    const lines = fs.readFileSync(t.csvPath, 'utf8').trimEnd().split('\n');
    const reversed = path.join(path.dirname(t.csvPath), `${t.name}.reversed.csv`);
    fs.writeFileSync(reversed, [lines[0], ...lines.slice(1).reverse()].join('\n') + '\n');
    await b.loadCsv(t.name, t.columns, reversed);
    fs.unlinkSync(reversed);
  }
  await b.query('SET enable_hashagg = off');
  for (const q of QUERIES.filter((x) => x.id.includes(filter))) {
    const t0 = performance.now();
    let ra, rb;
    try {
      ra = await a.query(q.sql);
      rb = await b.query(q.sql);
    } catch (e) {
      bad++;
      console.log(`FAIL ${q.id}: ${(e as Error).message}`);
      continue;
    }
    const ms = performance.now() - t0;
    const floatCols = ra.columns.map((c) => PG_FLOAT_OIDS.has(c.typeOid));
    const diff = compareRows(ra.rows, rb.rows, { ordered: q.ordered ?? hasTopLevelOrderBy(q.sql), floatCols });
    if (diff !== null) {
      bad++;
      console.log(`NONDETERMINISTIC ${q.id}: ${q.sql}\n${diff}`);
    } else {
      console.log(`ok ${q.id}: ${ra.rows.length} rows, ${ms.toFixed(0)} ms`);
    }
  }
} finally {
  await a.close();
  await b.close();
}
console.log(`${QUERIES.length} queries, ${bad} problems`);
process.exitCode = bad > 0 ? 1 : 0;
