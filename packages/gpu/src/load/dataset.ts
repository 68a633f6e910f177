/**
 * Loads a Phaselab dataset (a directory written by packages/workloads: table files + manifest.json)
 * into one schema of a PostgreSQL server: heap tables filled by streaming COPY (one batch in flight),
 * optional BRIN indexes (seed 003 phase 4), and — where Arrow_fdw exists — Arrow foreign tables
 * over Arrow IPC files. The schema is rebuilt in one transaction, so a failed load leaves the
 * previous one intact; a key stored as the schema's comment lets callers skip loading again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type pg from 'pg';
import { openTableFile, typeName, type Field, type TableSource } from '@phaselab/engine';
import { GpuError, fromPgError } from '../errors.js';
import { checkName, connect, quoteIdent, quoteLiteral } from '../pg/connect.js';
import { probeClient } from '../probe.js';
import { batchToCopyText } from './copy-text.js';
import { writePlainArrow } from './arrow-plain.js';

export interface ManifestTable {
  name: string;
  file: string;
  rows: number;
}

export interface DatasetManifest {
  dataset: string;
  tables: ManifestTable[];
}

export interface LoadProgress {
  table: string;
  tableRows: number;
  tableRowsDone: number;
  totalRows: number;
  totalRowsDone: number;
}

export interface LoadOptions {
  url: string;
  /** Directory with manifest.json and the table files. */
  datasetDir: string;
  schema: string;
  /** Only these tables (default: all of the manifest). */
  tables?: string[];
  /** BRIN indexes: true = on every date, timestamp and numeric/integer column; or table → columns. */
  brin?: boolean | Record<string, string[]>;
  /** Arrow foreign tables `<table>_arrow`: 'auto' where Arrow_fdw exists (default), 'never', or 'always' (fail without it). */
  arrow?: 'auto' | 'never' | 'always';
  /** Where to write the Arrow files; PostgreSQL must read them at the same path (default: <datasetDir>/arrow_fdw). */
  arrowDir?: string;
  /** Stored as the schema's comment; `loadedKey()` reads it back (cache of "already loaded"). */
  key?: string;
  /** With `key`: when the schema already holds a load with this key, keep it (checked under the load lock). */
  reuse?: boolean;
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
}

export interface LoadedTable {
  name: string;
  rows: number;
  columns: { name: string; type: string }[];
  copyMs: number;
  brinIndexes: string[];
  arrow: { foreignTable: string; file: string } | { skipped: string };
}

export interface LoadResult {
  schema: string;
  dataset: string;
  tables: LoadedTable[];
  arrowFdw: { available: boolean; reason?: string };
  elapsedMs: number;
  /** True when `reuse` found the same key and nothing was loaded. */
  reused: boolean;
}

export function readManifest(dir: string): DatasetManifest {
  const p = path.join(dir, 'manifest.json');
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch (e) {
    throw new GpuError('invalid_argument', `cannot read ${p}: ${(e as Error).message}`);
  }
  const m = json as Partial<DatasetManifest>;
  if (!m || !Array.isArray(m.tables) || m.tables.some((t) => typeof t?.name !== 'string' || typeof t?.file !== 'string')) {
    throw new GpuError('invalid_argument', `${p} is not a Phaselab dataset manifest (expected tables: [{name, file, rows}])`);
  }
  return { dataset: String(m.dataset ?? path.basename(dir)), tables: m.tables.map((t) => ({ name: t.name, file: t.file, rows: Number(t.rows) })) };
}

const BRIN_KINDS = new Set(['date', 'timestamp', 'int32', 'int64', 'decimal', 'float64']);

function brinColumns(opt: LoadOptions['brin'], table: string, fields: readonly Field[]): string[] {
  if (!opt) return [];
  if (opt === true) return fields.filter((f) => BRIN_KINDS.has(f.type.kind)).map((f) => f.name);
  const cols = opt[table] ?? [];
  for (const c of cols) if (!fields.some((f) => f.name === c)) throw new GpuError('invalid_argument', `BRIN: table ${table} has no column "${c}"`);
  return cols;
}

/** The key stored by the last successful load into `schema`, or null (no schema, or never loaded). */
export async function loadedKey(client: pg.Client, schema: string): Promise<string | null> {
  const { rows } = await client.query<{ c: string | null }>(`SELECT obj_description(oid, 'pg_namespace') AS c FROM pg_namespace WHERE nspname = $1`, [schema]);
  const c = rows[0]?.c;
  if (!c) return null;
  try {
    const j = JSON.parse(c) as { phaselabLoadKey?: string };
    return j.phaselabLoadKey ?? null;
  } catch {
    return null;
  }
}

async function copyTable(client: pg.Client, schema: string, name: string, source: TableSource, onRows: (n: number) => void, signal?: AbortSignal): Promise<number> {
  const columns = source.schema.map((f) => f.name);
  const target = `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const stream = client.query(copyFrom(`COPY ${target} (${columns.map(quoteIdent).join(', ')}) FROM STDIN (FORMAT text)`));
  async function* lines() {
    for await (const b of source.scan({ columns, signal })) {
      if (signal?.aborted) throw new GpuError('cancelled', 'load cancelled');
      yield batchToCopyText(b);
      onRows(b.numRows);
    }
  }
  await pipeline(Readable.from(lines()), stream);
  return Number((stream as unknown as { rowCount?: number }).rowCount ?? NaN);
}

export async function loadDataset(opts: LoadOptions): Promise<LoadResult> {
  const t0 = performance.now();
  checkName('schema', opts.schema);
  const manifest = readManifest(opts.datasetDir);
  const wanted = opts.tables ?? manifest.tables.map((t) => t.name);
  for (const w of wanted) if (!manifest.tables.some((t) => t.name === w)) throw new GpuError('invalid_argument', `dataset ${manifest.dataset} has no table "${w}"`);
  const tables = manifest.tables.filter((t) => wanted.includes(t.name));
  const arrowMode = opts.arrow ?? 'auto';
  if (!['auto', 'never', 'always'].includes(arrowMode)) throw new GpuError('invalid_argument', `arrow must be auto, never or always, got "${String(arrowMode)}"`);

  const sources = new Map<string, TableSource>();
  for (const t of tables) {
    const file = path.resolve(opts.datasetDir, t.file);
    try {
      sources.set(t.name, await openTableFile(file));
    } catch (e) {
      throw new GpuError('load', `cannot open ${file}: ${(e as Error).message}`);
    }
  }
  const totalRows = tables.reduce((a, t) => a + (Number.isFinite(t.rows) ? t.rows : 0), 0);

  const client = await connect(opts.url, { applicationName: 'phaselab-gpu-load' });
  try {
    const probe = await probeClient(client, opts.url);
    const arrowAvailable = probe.arrowFdw.available;
    if (arrowMode === 'always' && !arrowAvailable) throw new GpuError('load', `Arrow foreign tables requested, but Arrow_fdw is not available: ${probe.arrowFdw.reason}`);
    const useArrow = arrowMode !== 'never' && arrowAvailable;
    const arrowDir = path.resolve(opts.arrowDir ?? path.join(opts.datasetDir, 'arrow_fdw'));

    const s = quoteIdent(opts.schema);
    let done = 0;
    const loaded: LoadedTable[] = [];
    await client.query('BEGIN');
    try {
      // Two loads of the same schema (two jobs on one dataset) take turns instead of colliding.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`phaselab-gpu-load:${opts.schema}`]);
      if (opts.reuse && opts.key !== undefined && (await loadedKey(client, opts.schema)) === opts.key) {
        // another process loaded the same files while we waited for the lock
        await client.query('COMMIT');
        return { schema: opts.schema, dataset: manifest.dataset, tables: [], arrowFdw: { available: arrowAvailable }, elapsedMs: performance.now() - t0, reused: true };
      }
      await client.query('SET LOCAL client_min_messages = warning');
      await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await client.query(`CREATE SCHEMA ${s}`);
      for (const t of tables) {
        const source = sources.get(t.name)!;
        const columns = source.schema.map((f) => ({ name: f.name, type: typeName(f.type) }));
        await client.query(`CREATE TABLE ${s}.${quoteIdent(t.name)} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
        const c0 = performance.now();
        let tableDone = 0;
        const rows = await copyTable(
          client,
          opts.schema,
          t.name,
          source,
          (n) => {
            tableDone += n;
            done += n;
            opts.onProgress?.({ table: t.name, tableRows: t.rows, tableRowsDone: tableDone, totalRows, totalRowsDone: done });
          },
          opts.signal,
        );
        if (Number.isFinite(t.rows) && rows !== t.rows) throw new GpuError('load', `table ${t.name}: COPY loaded ${rows} rows, the manifest says ${t.rows}`);
        const copyMs = performance.now() - c0;
        const brinIndexes: string[] = [];
        for (const col of brinColumns(opts.brin, t.name, source.schema)) {
          const idx = `${t.name}_${col}_brin`.slice(0, 63);
          await client.query(`CREATE INDEX ${quoteIdent(idx)} ON ${s}.${quoteIdent(t.name)} USING brin (${quoteIdent(col)})`);
          brinIndexes.push(idx);
        }
        let arrow: LoadedTable['arrow'] = { skipped: probe.arrowFdw.reason ?? 'Arrow_fdw is not available' };
        if (arrowMode === 'never') arrow = { skipped: 'not requested' };
        else if (useArrow) {
          fs.mkdirSync(arrowDir, { recursive: true });
          const file = path.join(arrowDir, `${t.name}.arrow`);
          await writePlainArrow(file, source.schema, source.scan({ columns: source.schema.map((f) => f.name), signal: opts.signal }));
          const ft = `${t.name}_arrow`;
          await client.query(
            `CREATE FOREIGN TABLE ${s}.${quoteIdent(ft)} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')}) SERVER arrow_fdw OPTIONS (file ${quoteLiteral(file)})`,
          );
          arrow = { foreignTable: ft, file };
        }
        loaded.push({ name: t.name, rows, columns, copyMs, brinIndexes, arrow });
      }
      if (opts.key !== undefined) await client.query(`COMMENT ON SCHEMA ${s} IS ${quoteLiteral(JSON.stringify({ phaselabLoadKey: opts.key, dataset: manifest.dataset }))}`);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    }
    for (const t of loaded) await client.query(`ANALYZE ${s}.${quoteIdent(t.name)}`);
    return {
      schema: opts.schema,
      dataset: manifest.dataset,
      tables: loaded,
      arrowFdw: { available: arrowAvailable, ...(probe.arrowFdw.reason ? { reason: probe.arrowFdw.reason } : {}) },
      elapsedMs: performance.now() - t0,
      reused: false,
    };
  } catch (e) {
    throw e instanceof GpuError ? e : fromPgError(e, 'load');
  } finally {
    await client.end().catch(() => {});
  }
}
