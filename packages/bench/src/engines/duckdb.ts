/** DuckDB (@duckdb/node-api): cold = views over read_parquet, hot = tables created in memory. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Rows } from '../compare.js';
import type { Mode } from '../args.js';
import type { BenchEngine, DatasetFiles } from './types.js';

export class DuckDbEngine implements BenchEngine {
  readonly name = 'duckdb';
  version = '';
  private conn: DuckDBConnection | null = null;
  private instance: DuckDBInstance | null = null;

  constructor(readonly mode: Mode) {}

  async prepare(data: DatasetFiles): Promise<void> {
    this.instance = await DuckDBInstance.create(':memory:');
    this.conn = await this.instance.connect();
    this.version = `DuckDB ${String((await this.conn.runAndReadAll('SELECT version()')).getRows()[0][0])}`;
    for (const [name, file] of Object.entries(data.tables)) {
      const source = `read_parquet('${file.replace(/'/g, "''")}')`;
      await this.conn.run(this.mode === 'hot' ? `CREATE TABLE "${name}" AS SELECT * FROM ${source}` : `CREATE VIEW "${name}" AS SELECT * FROM ${source}`);
    }
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
