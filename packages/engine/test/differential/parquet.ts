/**
 * CSV (PostgreSQL COPY conventions) → Parquet with explicit column types, through DuckDB.
 * This is how typed test data reaches the engine: ctx.registerFile(name, parquetPath).
 * PostgreSQL gets the very same CSV through COPY, so both sides hold identical values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnDef } from './oracle.js';

/** PostgreSQL type name → DuckDB type (which DuckDB writes as the matching Parquet/Arrow type). */
export function duckType(pgType: string): string {
  const t = pgType.trim().toLowerCase();
  const dec = /^(?:numeric|decimal)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(t);
  if (dec) return `DECIMAL(${dec[1]},${dec[2]})`;
  switch (t) {
    case 'int': case 'int4': case 'integer': return 'INTEGER';
    case 'int8': case 'bigint': return 'BIGINT';
    case 'text': case 'varchar': return 'VARCHAR';
    case 'date': return 'DATE';
    case 'timestamp': case 'timestamp without time zone': return 'TIMESTAMP';
    case 'double precision': case 'float8': case 'float': return 'DOUBLE';
    case 'bool': case 'boolean': return 'BOOLEAN';
    default: throw new Error(`no DuckDB mapping for PostgreSQL type ${pgType}`);
  }
}

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Writes `parquetPath` (atomically: temp file + rename) from `csvPath` with the given column types. */
export async function csvToParquet(csvPath: string, columns: readonly ColumnDef[], parquetPath: string): Promise<void> {
  fs.mkdirSync(path.dirname(parquetPath), { recursive: true });
  const tmp = `${parquetPath}.tmp-${process.pid}-${Date.now()}`;
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await instance.connect();
  try {
    const colSpec = columns.map((c) => `${q(c.name)}: ${q(duckType(c.type))}`).join(', ');
    const select = columns.map((c) => `"${c.name}"`).join(', ');
    await con.run(
      `COPY (SELECT ${select} FROM read_csv(${q(csvPath)}, header = true, delim = ',', quote = '"', escape = '"', ` +
        `columns = {${colSpec}}, auto_detect = false, allow_quoted_nulls = false)) ` +
        `TO ${q(tmp)} (FORMAT parquet, ROW_GROUP_SIZE 8192)`,
    );
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  fs.renameSync(tmp, parquetPath);
}

/** Column names and DuckDB types of a Parquet/CSV/Arrow file, as PostgreSQL types (for schema-less loads). */
export async function describeFile(file: string): Promise<ColumnDef[]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await instance.connect();
  try {
    const reader = file.endsWith('.parquet') ? `read_parquet(${q(file)})` : `read_csv(${q(file)}, header = true)`;
    const r = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`);
    return r.getRowObjects().map((row) => ({ name: String(row.column_name), type: pgTypeOfDuck(String(row.column_type)) }));
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

function pgTypeOfDuck(t: string): string {
  const dec = /^DECIMAL\((\d+),(\d+)\)$/.exec(t);
  if (dec) return `numeric(${dec[1]},${dec[2]})`;
  switch (t) {
    case 'INTEGER': case 'SMALLINT': case 'TINYINT': return 'integer';
    case 'BIGINT': return 'bigint';
    case 'DOUBLE': case 'FLOAT': return 'double precision';
    case 'BOOLEAN': return 'boolean';
    case 'DATE': return 'date';
    case 'TIMESTAMP': return 'timestamp';
    default: return 'text';
  }
}
