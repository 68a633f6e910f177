/**
 * Authoring tool: fills / refreshes the expected blocks of .slt files from a real PostgreSQL.
 * The engine is never consulted.
 *
 *   cd packages/engine
 *   npx tsx test/slt/complete.ts [--check] [file.slt ...]     (default: every test/slt/*.slt)
 *
 * For every file: a fresh schema is created, `load` tables are created with their column list
 * (schema-less loads: types as DuckDB reads the file) and filled by COPY from the CSV, then
 *   - `query [LETTERS] [sort]` records are run; the letters are set from PostgreSQL's result
 *     types and the `----` block is rewritten with PostgreSQL's rows (sorted for rowsort);
 *   - `statement error` / `query error` records must fail on PostgreSQL with a message matching
 *     the regex; `error@?` is replaced by PostgreSQL's position - 1, and an `error@N` is checked;
 *   - `statement ok` records must succeed; `explain` records: the query must run on PostgreSQL.
 * --check rewrites nothing and exits 1 when a file differs from what PostgreSQL returns.
 * Server: DATABASE_URL, else scripts/pg.mjs ensurePostgres().
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Oracle, resolveDatabaseUrl, typeLetter } from '../differential/oracle.js';
import { describeFile } from '../differential/parquet.js';
import { parseSlt, encodeRow } from './slt-format.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

interface PgError {
  message: string;
  position?: string;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const named = args.filter((a) => !a.startsWith('--'));
  const files = named.length > 0
    ? named.map((f) => path.resolve(process.cwd(), f))
    : fs.readdirSync(HERE).filter((f) => f.endsWith('.slt')).sort().map((f) => path.join(HERE, f));
  const url = await resolveDatabaseUrl();
  let problems = 0;
  let changedFiles = 0;
  for (const file of files) {
    const base = path.basename(file);
    const original = fs.readFileSync(file, 'utf8');
    const lines = original.split('\n');
    const oracle = await Oracle.open(url, `slt_${process.pid}`);
    const report = (line: number, msg: string): void => {
      problems++;
      console.error(`${base}:${line}: ${msg}`);
    };
    try {
      const records = parseSlt(original.replace(/error@\?/g, 'error'), base);
      // Replacements, applied bottom-up: [startIdx, endIdx(exclusive), newLines].
      const edits: [number, number, string[]][] = [];
      for (const rec of records) {
        if (rec.kind === 'load') {
          const file2 = path.resolve(HERE, rec.path);
          const schema = rec.schema ?? (await describeFile(file2));
          await oracle.loadCsv(rec.name, schema, file2);
          continue;
        }
        if (rec.kind === 'query') {
          let res;
          try {
            res = await oracle.query(rec.sql);
          } catch (e) {
            report(rec.line, `PostgreSQL failed: ${(e as Error).message}`);
            continue;
          }
          const letters = res.columns.map((c) => typeLetter(c.typeOid)).join('');
          let rows = res.rows.map(encodeRow);
          if (rec.sort === 'rowsort') rows = [...rows].sort();
          const header = `query ${letters}${/\b(rowsort|nosort)\b/.test(lines[rec.headerIdx]!) ? ' ' + rec.sort : ''}`;
          const sqlLines = lines.slice(rec.headerIdx + 1, rec.sepIdx >= 0 ? rec.sepIdx : rec.endIdx);
          edits.push([rec.headerIdx, rec.endIdx, [header, ...sqlLines, '----', ...rows]]);
          continue;
        }
        if (rec.kind === 'error') {
          let err: PgError | null = null;
          try {
            await oracle.query(rec.sql);
          } catch (e) {
            err = e as PgError;
          }
          if (err === null) {
            report(rec.line, `expected an error, PostgreSQL succeeded: ${rec.sql}`);
            continue;
          }
          if (rec.pattern !== '' && !new RegExp(rec.pattern).test(err.message)) {
            report(rec.line, `PostgreSQL's message ${JSON.stringify(err.message)} does not match /${rec.pattern}/`);
          }
          const pgPos = err.position !== undefined ? Number(err.position) - 1 : undefined;
          const idx = rec.line - 1;
          if (/error@\?/.test(lines[idx]!)) {
            if (pgPos === undefined) report(rec.line, `PostgreSQL's error has no position: ${err.message}`);
            else edits.push([idx, idx + 1, [lines[idx]!.replace('error@?', `error@${pgPos}`)]]);
          } else if (rec.position !== undefined && rec.position !== pgPos) {
            report(rec.line, `position: file says ${rec.position}, PostgreSQL says ${pgPos ?? 'none'} (${err.message})`);
          }
          continue;
        }
        // statement ok / explain: must run on PostgreSQL.
        try {
          await oracle.query(rec.kind === 'explain' ? rec.sql.replace(/^\s*explain\s+(analyze\s+)?/i, '') : rec.sql);
        } catch (e) {
          report(rec.line, `PostgreSQL failed: ${(e as Error).message}`);
        }
      }
      edits.sort((a, b) => b[0] - a[0]);
      const out = [...lines];
      for (const [s, e, repl] of edits) out.splice(s, e - s, ...repl);
      const next = out.join('\n');
      if (next !== original) {
        changedFiles++;
        if (check) {
          problems++;
          console.error(`${base}: expected blocks differ from PostgreSQL (run complete.ts without --check)`);
        } else {
          fs.writeFileSync(file, next);
          console.log(`${base}: updated`);
        }
      } else {
        console.log(`${base}: ok (${records.length} records)`);
      }
    } finally {
      await oracle.close();
    }
  }
  console.log(`${files.length} files, ${changedFiles} ${check ? 'differing' : 'updated'}, ${problems} problems`);
  process.exitCode = problems > 0 ? 1 : 0;
}

await main();
