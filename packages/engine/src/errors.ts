/**
 * Errors a user caused (bad SQL, unknown column, corrupt file, division by zero). They are
 * printed as one line `error: <message>` by the CLI and returned as-is by the API; anything
 * else that escapes is a bug in the engine and keeps its stack.
 */
export type ErrorCode =
  | 'syntax_error'
  | 'undefined_table'
  | 'undefined_column'
  | 'undefined_function'
  | 'ambiguous_column'
  | 'datatype_mismatch'
  | 'grouping_error'
  | 'feature_not_supported'
  | 'division_by_zero'
  | 'numeric_value_out_of_range'
  | 'invalid_text_representation'
  | 'invalid_parameter_value'
  | 'io_error'
  | 'invalid_file'
  | 'cancelled'
  | 'resources_exhausted';

export class EngineError extends Error {
  readonly code: ErrorCode;
  /** 0-based character offset into the SQL text, when the error has a place in it. */
  readonly position?: number;

  constructor(code: ErrorCode, message: string, position?: number) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    if (position !== undefined && position >= 0) this.position = position;
  }
}

export const isEngineError = (e: unknown): e is EngineError => e instanceof EngineError;

/** "… at line L, column C" for a 0-based offset into sql. */
export function describePosition(sql: string, position: number): string {
  const before = sql.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** The error of a source whose scan saw its AbortSignal fire (PostgreSQL's message for a cancelled statement). */
export function scanCancelled(): EngineError {
  return new EngineError('cancelled', 'canceling statement due to user request');
}
