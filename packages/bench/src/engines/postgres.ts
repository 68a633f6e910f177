/**
 * PostgreSQL, the real server: the dataset is loaded with COPY into a schema of its own, once per
 * bench run (load time reported apart). Hot = one connection kept for every query; cold = a new
 * connection (a new backend, empty caches of its own) per query —
 * the server's buffers cannot be dropped without a restart of the shared server, so PostgreSQL's
 * cold is "new session", as documented in the README.
 */
import pg from 'pg';
import { loadDatasetIntoPostgres } from '@phaselab/workloads';
import type { Rows } from '../compare.js';
import type { Mode } from '../args.js';
import type { BenchEngine, DatasetFiles } from './types.js';

const textRows = { getTypeParser: () => (v: string) => v };

export class PostgresEngine implements BenchEngine {
  readonly name = 'postgres';
  version = '';
  private client: pg.Client | null = null;

  /** `schema` already holds the dataset (loadDatasetIntoPostgres, once per bench run). */
  constructor(
    readonly mode: Mode,
    private readonly url: string,
    readonly schema: string,
  ) {}

  private async connect(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: this.url });
    await c.connect();
    await c.query(`SET search_path TO "${this.schema}"`);
    return c;
  }

  async prepare(_data: DatasetFiles): Promise<void> {
    const c = await this.connect();
    this.version = `PostgreSQL ${String((await c.query('SHOW server_version')).rows[0].server_version)}`;
    if (this.mode === 'hot') this.client = c;
    else await c.end();
  }

  async run(sql: string): Promise<Rows> {
    const c = this.client ?? (await this.connect());
    try {
      const r = await c.query({ text: sql, rowMode: 'array', types: textRows });
      return r.rows as Rows;
    } finally {
      if (!this.client) await c.end();
    }
  }

  async close(): Promise<void> {
    await this.client?.end();
    this.client = null;
  }
}

/** Loads the dataset into a fresh schema; returns the load time (ms). */
export async function loadPostgres(url: string, dir: string, schema: string, onTable?: (name: string) => void): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await loadDatasetIntoPostgres(c, dir, schema, onTable)).ms;
  } finally {
    await c.end();
  }
}

export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}
