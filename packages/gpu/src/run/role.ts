/**
 * The role queries run as: it can log in, read the dataset's schema and nothing else, and its
 * sessions default to read-only. Phaselab connects *as* this role instead of `SET ROLE` from an
 * admin session: a user's SQL could otherwise `SELECT set_config('role', 'postgres', false)` its way
 * back to the admin's rights (set_config is allowed in read-only transactions).
 */
import crypto from 'node:crypto';
import type pg from 'pg';
import { GpuError, fromPgError } from '../errors.js';
import { checkName, connect, quoteIdent, quoteLiteral } from '../pg/connect.js';

export function readOnlyRoleName(schema: string): string {
  return `phaselab_ro_${schema}`.slice(0, 63);
}

const RETRYABLE = /tuple concurrently (updated|deleted)/;

async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  // Concurrent GRANTs on the same objects (two jobs preparing the same dataset) can collide.
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt < 3 && RETRYABLE.test((e as Error).message)) {
        await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
        continue;
      }
      throw e;
    }
  }
}

/** Creates the role when missing, (re)grants SELECT on every table of `schema`, sets a fresh password. */
export async function ensureReadOnlyRole(admin: pg.Client, schema: string): Promise<{ role: string; password: string }> {
  checkName('schema', schema);
  const role = readOnlyRoleName(schema);
  const exists = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (exists.rowCount === 0) throw new GpuError('invalid_argument', `schema "${schema}" does not exist`);
  const password = crypto.randomBytes(18).toString('base64url');
  const r = quoteIdent(role);
  try {
    const has = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (has.rowCount === 0) {
      try {
        await admin.query(`CREATE ROLE ${r} NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS`);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== '42710' && code !== '23505') throw e; // created meanwhile by another process
      }
    }
    await admin.query(`ALTER ROLE ${r} LOGIN PASSWORD ${quoteLiteral(password)}`);
    await admin.query(`ALTER ROLE ${r} SET default_transaction_read_only = on`);
    await admin.query(`ALTER ROLE ${r} SET search_path = ${quoteIdent(schema)}`);
    const su = await admin.query<{ su: string }>('SELECT rolsuper::text AS su FROM pg_roles WHERE rolname = current_user');
    if (su.rows[0]?.su !== 'true') {
      // pg_cancel_backend needs the canceller to have the privileges of the backend's role; a
      // CREATEROLE user does not get them by creating it (PostgreSQL 15). Membership gives them.
      await admin.query(`GRANT ${r} TO CURRENT_USER`).catch(() => {});
    }
    await retrying(() => admin.query(`GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${r}`));
    await retrying(() => admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${quoteIdent(schema)} TO ${r}`));
  } catch (e) {
    throw fromPgError(e, `cannot prepare the read-only role ${role} (the URL's user needs CREATEROLE and rights on schema ${schema})`);
  }
  return { role, password };
}

/** A connection as the schema's read-only role (prepared by `admin`). */
export async function connectReadOnly(url: string, admin: pg.Client, schema: string): Promise<{ client: pg.Client; role: string }> {
  let last: unknown = null;
  // Another process may reset the password between our ALTER ROLE and our login: retry with a new one.
  for (let attempt = 0; attempt < 3; attempt++) {
    const { role, password } = await ensureReadOnlyRole(admin, schema);
    try {
      return { client: await connect(url, { user: role, password, applicationName: 'phaselab-gpu-query' }), role };
    } catch (e) {
      last = e;
      if ((e as GpuError).sqlState !== '28P01') break;
    }
  }
  throw last;
}

/** Drops the role of a schema (tests, cleanup): revokes what it was granted first. */
export async function dropReadOnlyRole(admin: pg.Client, schema: string): Promise<void> {
  const role = readOnlyRoleName(schema);
  const has = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (has.rowCount === 0) return;
  await admin.query(`DROP OWNED BY ${quoteIdent(role)}`);
  await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
}
