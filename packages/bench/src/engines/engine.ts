import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SessionContext } from '../src/session.js';
import type { Rows } from './compare.js';

/** One engine under test, in one mode: cold reads the Parquet file per query, hot has the table in memory. */
export interface BenchEngine {
  readonly name: string;
  readonly mode: 'cold' | 'hot';
  readonly version: string;
  /** One-off set-up (loading into memory for hot mode); its time is reported apart. */
  prepare(table: string, parquetPath: string): Promise<void>;
  run(sql: string): Promise<Rows>;
  close(): Promise<void>;
}

export class PhaselabEngine implements BenchEngine {
  readonly name = 'engine';
  readonly version = '0.1.0';
  private table = '';
  private path = '';
  private hotCtx: SessionContext | null = null;

  constructor(readonly mode: 'cold' | 'hot') {}

  async prepare(table: string, parquetPath: string): Promise<void> {
    this.table = table;
    this.path = parquetPath;
    if (this.mode === 'hot') {
      const load = new SessionContext();
      await load.registerFile(table, parquetPath);
      const { schema, batches } = await (await load.sql(`SELECT * FROM ${table}`)).collectBatches();
      this.hotCtx = new SessionContext();
      this.hotCtx.registerBatches(table, schema, batches);
    }
  }

  async run(sql: string): Promise<Rows> {
    let ctx = this.hotCtx;
    if (!ctx) {
      // Cold: a fresh session per query, so nothing read by an earlier run is reused.
      ctx = new SessionContext();
      await ctx.registerFile(this.table, this.path);
    }
    return (await (await ctx.sql(sql)).collectText()).rows;
  }

  async close(): Promise<void> {
    this.hotCtx = null;
  }
}

export class DuckDbEngine implements BenchEngine {
  readonly name = 'duckdb';
  version = '';
  private conn: DuckDBConnection | null = null;
  private instance: DuckDBInstance | null = null;

  constructor(readonly mode: 'cold' | 'hot') {}

  async prepare(table: string, parquetPath: string): Promise<void> {
    this.instance = await DuckDBInstance.create(':memory:');
    this.conn = await this.instance.connect();
    this.version = String((await this.conn.runAndReadAll('SELECT version()')).getRows()[0][0]);
    const source = `read_parquet('${parquetPath.replace(/'/g, "''")}')`;
    await this.conn.run(this.mode === 'hot' ? `CREATE TABLE ${table} AS SELECT * FROM ${source}` : `CREATE VIEW ${table} AS SELECT * FROM ${source}`);
  }

  async run(sql: string): Promise<Rows> {
    const reader = await this.conn!.runAndReadAll(sql);
    return reader.getRowsJson().map((r) => r.map((v) => (v === null ? null : String(v))));
  }

  async close(): Promise<void> {
    this.conn?.closeSync();
    this.instance?.closeSync();
    this.conn = null;
    this.instance = null;
  }
}
