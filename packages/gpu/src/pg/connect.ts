/**
 * Connections. Every value comes back as PostgreSQL's own text output (no parsing of int8, numeric,
 * dates): results are compared with the engine's text, and numeric/int8 must not lose digits.
 */
import pg from 'pg';
import { GpuError, fromPgError } from '../errors.js';

const TEXT_TYPES = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

export interface ConnectOptions {
  /** Overrides the URL's user and password (the read-only role). */
  user?: string;
  password?: string;
  applicationName?: string;
}

export function parseUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new GpuError('invalid_argument', `not a PostgreSQL URL: "${url}"`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new GpuError('invalid_argument', `not a PostgreSQL URL (expected postgres:// or postgresql://): "${redactUrl(url)}"`);
  }
  return u;
}

/** The URL without its password (user info, or a `password` / `sslpassword` query parameter), for reports and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const name of [...u.searchParams.keys()]) if (/password/i.test(name)) u.searchParams.set(name, '***');
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@').replace(/([?&][^=&]*password[^=&]*=)[^&]*/gi, '$1***');
  }
}

export async function connect(url: string, opts: ConnectOptions = {}): Promise<pg.Client> {
  const u = parseUrl(url);
  if (opts.user !== undefined) {
    u.username = encodeURIComponent(opts.user);
    u.password = opts.password !== undefined ? encodeURIComponent(opts.password) : '';
  }
  const client = new pg.Client({ connectionString: u.toString(), types: TEXT_TYPES, application_name: opts.applicationName ?? 'phaselab-gpu' });
  // A server that goes away mid-run surfaces as the failing query's error; this keeps the process alive.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw fromPgError(e, `cannot connect to ${redactUrl(url)}${opts.user ? ` as ${opts.user}` : ''}`);
  }
  return client;
}

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new GpuError('invalid_argument', 'empty SQL identifier');
  if (name.includes('\0')) throw new GpuError('invalid_argument', 'SQL identifier contains a NUL byte');
  return `"${name.replace(/"/g, '""')}"`;
}

/** A single-quoted SQL string literal (standard_conforming_strings on, PostgreSQL's default since 9.1). */
export function quoteLiteral(s: string): string {
  if (s.includes('\0')) throw new GpuError('invalid_argument', 'SQL literal contains a NUL byte');
  return `'${s.replace(/'/g, "''")}'`;
}

/** Names we create (schemas, roles): lower-case letters, digits, underscores, ≤ 63 bytes. */
export function checkName(what: string, name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new GpuError('invalid_argument', `${what} must be lower-case letters, digits and underscores (at most 63, not starting with a digit), got "${name}"`);
  }
  return name;
}

/** A setting name as PostgreSQL accepts it in SET (`work_mem`, `pg_strom.enabled`). */
export function checkSettingName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) {
    throw new GpuError('invalid_argument', `not a setting name: "${name}"`);
  }
  return name;
}
