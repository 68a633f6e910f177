import { loadModule, parseSync } from 'libpg-query';
import { EngineError } from '../errors.js';
import type { PgNode, PgStatement } from './ast.js';

export type { PgStatement } from './ast.js';

let loading: Promise<void> | null = null;
let loaded = false;

/** Loads libpg-query's WebAssembly module (once; later calls return the same promise). */
export function loadParser(): Promise<void> {
  if (loading === null) {
    loading = loadModule().then(() => {
      loaded = true;
    });
  }
  return loading;
}

interface SqlErrorLike {
  message: string;
  sqlDetails?: { message?: string; cursorPosition?: number };
}

function isSqlErrorLike(e: unknown): e is SqlErrorLike {
  return e instanceof Error;
}

/**
 * Converts a UTF-8 byte offset (what the parser's `location`s and cursor positions count) to
 * an offset in the JavaScript string (UTF-16 code units). Identity for ASCII text.
 */
export function byteToCharOffset(text: string, byteOffset: number): number {
  if (byteOffset < 0) return byteOffset;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    if (bytes >= byteOffset) return i;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return text.length;
}

/** True when every character of the text is ASCII (byte offsets equal string offsets). */
export function isAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text);
}

/**
 * Parses SQL text with PostgreSQL's own grammar. Returns one node per statement
 * (`{ SelectStmt: … }`, `{ ExplainStmt: … }`, …). Syntax errors become EngineError
 * `syntax_error` with the parser's message and a 0-based position.
 * `loadParser()` must have resolved first.
 */
export function parseSql(text: string): PgStatement[] {
  if (!loaded) throw new Error('SQL parser not loaded: await loadParser() first');
  if (text.trim() === '') return [];
  let result: { stmts?: readonly { stmt?: PgNode }[] };
  try {
    result = parseSync(text) as unknown as { stmts?: readonly { stmt?: PgNode }[] };
  } catch (e) {
    if (isSqlErrorLike(e)) {
      const details = e.sqlDetails;
      const message = details?.message ?? e.message;
      const pos = details?.cursorPosition;
      // libpg-query reports the cursor in characters (0-based), unlike node locations (UTF-8 bytes)
      throw new EngineError('syntax_error', message, pos);
    }
    throw e;
  }
  const out: PgStatement[] = [];
  for (const s of result.stmts ?? []) if (s.stmt) out.push(s.stmt);
  return out;
}
