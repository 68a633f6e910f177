/**
 * SQL logic tests: every test/slt/*.slt file becomes a `describe`, every record a test.
 * Records of one file run in order against one SessionContext.
 *
 * FORMAT (see README.md for the long version). Records are separated by blank lines; lines
 * starting with `#` between records are comments.
 *
 *   load NAME PATH [(col type, ...)]   register a table. PATH is relative to test/slt/. With a
 *                                      column list (PostgreSQL type names) a CSV is converted to
 *                                      Parquet with exactly those types (DuckDB, cached under
 *                                      .cache/slt/) and registered; without one the file
 *                                      (.csv/.parquet/.arrow) is given to ctx.registerFile as is.
 *   statement ok                       the SQL (following lines) must plan and run without error.
 *   statement error[@POS] REGEX        the SQL must fail with an EngineError whose message matches
 *   query error[@POS] REGEX            REGEX (JS regex, unanchored; empty = any message) and, with
 *                                      @POS, whose 0-based `position` is POS (= PostgreSQL's 1-based
 *                                      error position - 1).
 *   query LETTERS [rowsort|nosort]     one letter per result column: T text, I integer, R real
 *   SQL...                             (numeric/float), B bool, D date/timestamp. nosort (default):
 *   ----                               rows compared in order; rowsort: as multisets.
 *   cell | cell | cell                 Expected rows, one per line, cells separated by ` | `.
 *                                      NULL = SQL NULL, (empty) = empty string; a cell whose text
 *                                      would be ambiguous (contains `|`, leading/trailing space,
 *                                      starts with `"` or `#`, equals NULL/(empty)) is written as a
 *                                      JSON string "...". Cells are PostgreSQL text output.
 *   explain [not] REGEX                the plan text (EXPLAIN of the SQL; `EXPLAIN` is prepended
 *   SQL...                             unless present) must [not] match REGEX, case-insensitive.
 *   skip REASON                        (line before a record) register the record as skipped.
 *
 * R columns whose engine type is double precision are compared with relative tolerance 1e-9.
 * Expected timestamptz cells ('... 00:00:00+00', PostgreSQL in TimeZone UTC) match an engine
 * timestamp column without the '+00' (the engine has no timestamptz; documented deviation).
 * Expected blocks are produced by PostgreSQL (test/slt/complete.ts), never by this engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, it, expect, beforeAll } from 'vitest';
import { SessionContext, EngineError } from '../../src/index.js';
import type { Field } from '../../src/index.js';
import { compareRows, stripUtcSuffix } from '../differential/compare.js';
import { csvToParquet } from '../differential/parquet.js';
import { parseSlt, encodeRow, type SltRecord, type LoadRecord } from './slt-format.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CACHE = path.resolve(HERE, '../../.cache/slt');

const files = fs.readdirSync(HERE).filter((f) => f.endsWith('.slt')).sort();

/** Does the engine's column type fit the record's letter? (null-typed columns fit anything.) */
function letterFits(letter: string, field: Field): boolean {
  const k = field.type.kind;
  if (k === 'null') return true;
  switch (letter) {
    case 'T': return k === 'utf8';
    case 'I': return k === 'int32' || k === 'int64';
    case 'R': return k === 'float64' || k === 'decimal';
    case 'B': return k === 'bool';
    case 'D': return k === 'date' || k === 'timestamp';
    default: return false;
  }
}

async function loadTable(ctx: SessionContext, rec: LoadRecord): Promise<void> {
  const file = path.resolve(HERE, rec.path);
  if (!rec.schema) {
    await ctx.registerFile(rec.name, file);
    return;
  }
  const content = fs.readFileSync(file);
  const key = crypto.createHash('sha1').update(content).update(JSON.stringify(rec.schema)).digest('hex').slice(0, 16);
  const parquet = path.join(CACHE, `${rec.name}-${key}.parquet`);
  if (!fs.existsSync(parquet)) await csvToParquet(file, rec.schema, parquet);
  await ctx.registerFile(rec.name, parquet);
}

function title(rec: SltRecord): string {
  const sql = 'sql' in rec ? rec.sql.replace(/\s+/g, ' ').trim() : `${rec.name} ${rec.path}`;
  const head = rec.kind === 'error' ? `${rec.header} error` : rec.kind === 'query' ? 'query' : rec.kind === 'load' ? 'load' : rec.kind;
  return `L${rec.line} ${head}: ${sql.length > 90 ? sql.slice(0, 87) + '...' : sql}`;
}

async function runRecord(ctx: SessionContext, rec: SltRecord, file: string): Promise<void> {
  const where = `${file}:${rec.line}`;
  switch (rec.kind) {
    case 'load':
      await loadTable(ctx, rec);
      return;
    case 'statement_ok': {
      const df = await ctx.sql(rec.sql);
      await df.collectText();
      return;
    }
    case 'error': {
      let err: unknown = null;
      try {
        const df = await ctx.sql(rec.sql);
        await df.collectText();
      } catch (e) {
        err = e;
      }
      if (err === null) throw new Error(`${where}: expected an error matching /${rec.pattern}/, but the statement succeeded`);
      if (!(err instanceof EngineError)) {
        throw new Error(`${where}: expected an EngineError matching /${rec.pattern}/, got ${String((err as Error)?.stack ?? err)}`);
      }
      if (rec.pattern !== '' && !new RegExp(rec.pattern).test(err.message)) {
        throw new Error(`${where}: error message ${JSON.stringify(err.message)} does not match /${rec.pattern}/`);
      }
      if (rec.position !== undefined) {
        expect(err.position, `${where}: error position of ${JSON.stringify(err.message)}`).toBe(rec.position);
      }
      return;
    }
    case 'explain': {
      const sql = /^\s*explain\b/i.test(rec.sql) ? rec.sql : `EXPLAIN ${rec.sql}`;
      const df = await ctx.sql(sql);
      const { rows } = await df.collectText();
      const text = rows.map((r) => r.map((c) => c ?? '').join(' ')).join('\n');
      const hit = new RegExp(rec.pattern, 'im').test(text);
      if (hit === rec.negate) {
        throw new Error(`${where}: plan ${rec.negate ? 'matches' : 'does not match'} /${rec.pattern}/i:\n${text}`);
      }
      return;
    }
    case 'query': {
      const df = await ctx.sql(rec.sql);
      const { columns, rows } = await df.collectText();
      const problems: string[] = [];
      if (rec.types.length !== columns.length) {
        problems.push(`column count: expected ${rec.types.length} (${rec.types}), got ${columns.length} (${columns.map((c) => c.name).join(', ')})`);
      } else {
        columns.forEach((f, i) => {
          if (!letterFits(rec.types[i]!, f)) problems.push(`column ${i + 1} (${f.name}): type ${f.type.kind} does not fit letter ${rec.types[i]}`);
        });
      }
      if (problems.length === 0) {
        const floatCols = columns.map((f, i) => rec.types[i] === 'R' && f.type.kind === 'float64');
        const expected = stripUtcSuffix(rec.expected, columns.map((f) => f.type.kind === 'timestamp'));
        const numericCols = columns.map((f, i) => rec.types[i] === 'R' && f.type.kind === 'decimal');
        const diff = compareRows(expected, rows, { ordered: rec.sort === 'nosort', floatCols, numericCols });
        if (diff !== null) problems.push(diff);
      }
      if (problems.length > 0) {
        const shown = rows.slice(0, 20).map((r) => '    ' + encodeRow(r)).join('\n');
        throw new Error(`${where}: ${problems.join('\n')}\n  engine returned ${rows.length} rows${rows.length > 20 ? ' (first 20)' : ''}:\n${shown}`);
      }
      return;
    }
  }
}

for (const file of files) {
  const records = parseSlt(fs.readFileSync(path.join(HERE, file), 'utf8'), file);
  describe(file, () => {
    let ctx: SessionContext;
    beforeAll(() => {
      ctx = new SessionContext();
    });
    for (const rec of records) {
      const name = title(rec);
      if (rec.skip !== undefined) {
        it.skip(`${name} [skip: ${rec.skip}]`, () => {});
        continue;
      }
      it(name, async () => {
        await runRecord(ctx, rec, file);
      });
    }
  });
}
