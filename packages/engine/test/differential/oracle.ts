/**
 * The PostgreSQL oracle: connection (every value returned as raw text), fresh schemas, loading
 * CSV files with COPY, and finding a server (DATABASE_URL or scripts/pg.mjs ensurePostgres()).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Cell } from './compare.js';

export interface ColumnDef {
  name: string;
  /** PostgreSQL type name: integer, bigint, numeric(p,s), text, date, timestamp, double precision, boolean. */
  type: string;
}

/** Walks up from this file to the monorepo root (the package.json with workspaces) and returns scripts/pg.mjs. */
export function findPgScript(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'scripts', 'pg.mjs');
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { workspaces?: unknown };
        if (json.workspaces) return candidate;
      } catch {
        /* keep walking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../scripts/pg.mjs');
    dir = parent;
  }
}

/** DATABASE_URL when set, else the URL of the local PostgreSQL that scripts/pg.mjs starts. */
export async function resolveDatabaseUrl(): Promise<string> {
  const env = process.env.DATABASE_URL;
  if (env) return env;
  const script = findPgScript();
  if (!fs.existsSync(script)) throw new Error(`DATABASE_URL is not set and ${script} does not exist`);
  const mod = (await import(pathToFileURL(script).href)) as { ensurePostgres?: () => Promise<string> };
  if (typeof mod.ensurePostgres !== 'function') throw new Error(`${script} does not export ensurePostgres()`);
  const url = await mod.ensurePostgres();
  process.env.DATABASE_URL = url;
  return url;
}

export interface PgResult {
  columns: { name: string; typeOid: number }[];
  rows: Cell[][];
}

export class Oracle {
  private constructor(readonly client: pg.Client, readonly schema: string) {}

  /** Connects and creates (replacing) `schema`, then sets search_path to it. */
  static async open(url: string, schema: string): Promise<Oracle> {
    const client = new pg.Client({
      connectionString: url,
      // Every value as PostgreSQL's text output: no parsing of dates, numerics, int8, bools.
      types: { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig,
    });
    await client.connect();
    client.on('error', () => {
      /* server went away; queries will report it */
    });
    await client.query(`SET client_min_messages = warning`);
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path = ${schema}`);
    await client.query(`SET datestyle = 'ISO, MDY'`);
    await client.query(`SET timezone = 'UTC'`);
    await client.query(`SET extra_float_digits = 1`);
    return new Oracle(client, schema);
  }

  async query(sql: string): Promise<PgResult> {
    const res = await this.client.query({ text: sql, rowMode: 'array' });
    const r = Array.isArray(res) ? res[res.length - 1] : res;
    return {
      columns: (r.fields ?? []).map((f: pg.FieldDef) => ({ name: f.name, typeOid: f.dataTypeID })),
      rows: ((r.rows ?? []) as unknown[][]).map((row) => row.map((v) => (v === null ? null : String(v)))),
    };
  }

  /** CREATE TABLE + COPY FROM STDIN (CSV with header: unquoted empty = NULL, "" = empty string). */
  async loadCsv(table: string, columns: readonly ColumnDef[], csvPath: string): Promise<void> {
    const cols = columns.map((c) => `"${c.name}" ${c.type}`).join(', ');
    await this.client.query(`DROP TABLE IF EXISTS ${table}`);
    await this.client.query(`CREATE TABLE ${table} (${cols})`);
    const stream = this.client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true)`));
    await pipeline(fs.createReadStream(csvPath), stream);
    await this.client.query(`ANALYZE ${table}`);
  }

  async close(dropSchema = true): Promise<void> {
    try {
      if (dropSchema) await this.client.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    } finally {
      await this.client.end();
    }
  }
}

/** PostgreSQL type OIDs → the SLT column letters. */
export function typeLetter(oid: number): string {
  switch (oid) {
    case 20: case 21: case 23: return 'I'; // int8, int2, int4
    case 700: case 701: case 1700: return 'R'; // float4, float8, numeric
    case 16: return 'B';
    case 1082: case 1114: case 1184: return 'D'; // date, timestamp, timestamptz
    default: return 'T';
  }
}

export const PG_FLOAT_OIDS = new Set([700, 701]);
export const PG_NUMERIC_OID = 1700;
