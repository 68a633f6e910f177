/**
 * One read-only transaction with its settings applied by set_config(…, true) — parameters, never
 * SQL text, so a value cannot inject anything — and the user's SQL sent with the extended protocol,
 * which refuses more than one statement.
 */
import type pg from 'pg';
import { GpuError, fromPgError } from '../errors.js';

export const CURSOR_PREFIX = 'DECLARE phaselab_cursor NO SCROLL CURSOR FOR ';
export const EXPLAIN_PREFIX = 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ';
const FETCH_ROWS = 10_000;

export interface Field {
  name: string;
  typeOid: number;
  typeModifier: number;
}

/** The SQL without surrounding blanks and one trailing semicolon. */
export function normalizeSql(sql: string): string {
  const s = sql.trim().replace(/;\s*$/, '').trim();
  if (!s) throw new GpuError('invalid_argument', 'missing SQL text');
  return s;
}

/** Errors about the statement's shape (not a SELECT, several statements) become `not_a_query`. */
function asQueryError(e: unknown, prefix: string): GpuError {
  const err = e as { code?: string; message?: string; position?: string };
  if (err?.code === '42601') {
    const pos = err.position ? Number(err.position) - prefix.length : NaN;
    if (/multiple commands/.test(err.message ?? '') || pos === 1) {
      return new GpuError('not_a_query', `only one query (SELECT, WITH … SELECT, VALUES, TABLE) can be run: ${err.message}`, err.code);
    }
    if (Number.isFinite(pos) && pos > 0) return new GpuError('query', `${err.message} (at character ${pos})`, err.code);
  }
  return fromPgError(e);
}

export async function inReadOnlyTransaction<T>(client: pg.Client, settings: readonly [string, string][], fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN TRANSACTION READ ONLY');
  try {
    if (settings.length) {
      await client.query('SELECT set_config(s.name, s.value, true) FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(name, value, i) ORDER BY s.i', [
        settings.map((s) => s[0]),
        settings.map((s) => s[1]),
      ]);
    }
    const out = await fn();
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw fromPgError(e);
  }
}

/**
 * Runs the query through a cursor, FETCHing in chunks so a large result never sits in one message;
 * `onRows` sees each chunk. (cursor_tuple_fraction = 1 is set by the caller so the cursor gets the
 * same plan as a plain query.)
 */
export async function fetchAll(client: pg.Client, sql: string, onRows: (fields: Field[], rows: (string | null)[][]) => void | Promise<void>): Promise<number> {
  try {
    await client.query({ text: CURSOR_PREFIX + sql, queryMode: 'extended' } as pg.QueryConfig);
  } catch (e) {
    throw asQueryError(e, CURSOR_PREFIX);
  }
  let total = 0;
  for (;;) {
    const r = await client.query({ text: `FETCH FORWARD ${FETCH_ROWS} FROM phaselab_cursor`, rowMode: 'array' });
    const fields = r.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID, typeModifier: f.dataTypeModifier }));
    await onRows(fields, r.rows as (string | null)[][]);
    total += r.rows.length;
    if (r.rows.length < FETCH_ROWS) break;
  }
  await client.query('CLOSE phaselab_cursor');
  return total;
}

export async function explainAnalyze(client: pg.Client, sql: string): Promise<unknown> {
  let r: pg.QueryResult;
  try {
    r = await client.query({ text: EXPLAIN_PREFIX + sql, queryMode: 'extended', rowMode: 'array' } as pg.QueryConfig);
  } catch (e) {
    throw asQueryError(e, EXPLAIN_PREFIX);
  }
  const cell = (r.rows[0] as unknown[] | undefined)?.[0];
  return typeof cell === 'string' ? JSON.parse(cell) : cell;
}
