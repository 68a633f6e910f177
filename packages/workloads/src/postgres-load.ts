/**
 * Loads a generated dataset into a PostgreSQL schema with COPY (the peer the benchmark and the
 * pipeline tests compare with). Column types come from the manifest, already in PostgreSQL's words.
 * Tables stored as Parquet or Arrow are first written as CSV by the engine (a temporary file).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SessionContext } from '@phaselab/engine';
import type { Manifest } from './generate.js';

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface PostgresLoad {
  readonly schema: string;
  readonly tables: readonly { readonly name: string; readonly rows: number; readonly ms: number }[];
  readonly ms: number;
}

export function readDatasetManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

/** (Re)creates `schema` and loads every table of the dataset in `dir` into it; ANALYZEs each table. */
export async function loadDatasetIntoPostgres(client: pg.ClientBase, dir: string, schema: string, onTable?: (name: string) => void): Promise<PostgresLoad> {
  const manifest = readDatasetManifest(dir);
  const t0 = performance.now();
  await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
  await client.query(`CREATE SCHEMA ${ident(schema)}`);
  const tables: { name: string; rows: number; ms: number }[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'phaselab-pgload-'));
  try {
    for (const t of manifest.tables) {
      onTable?.(t.name);
      const ts = performance.now();
      const qualified = `${ident(schema)}.${ident(t.name)}`;
      await client.query(`CREATE TABLE ${qualified} (${t.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')})`);
      let csv = path.join(dir, t.file);
      if (manifest.format !== 'csv') {
        csv = path.join(scratch, `${t.name}.csv`);
        const ctx = new SessionContext({ partitions: 1 });
        await ctx.registerFile(t.name, path.join(dir, t.file));
        await (await ctx.sql(`SELECT * FROM ${ident(t.name)}`)).write(csv, 'csv');
      }
      await pipeline(fs.createReadStream(csv), client.query(copyFrom(`COPY ${qualified} FROM STDIN WITH (FORMAT csv, HEADER true)`)));
      if (csv.startsWith(scratch)) fs.rmSync(csv, { force: true });
      await client.query(`ANALYZE ${qualified}`);
      tables.push({ name: t.name, rows: t.rows, ms: performance.now() - ts });
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { schema, tables, ms: performance.now() - t0 };
}
