/**
 * Logical SQL types of the engine. Every type has exactly one in-memory storage layout
 * (see column.ts) so kernels can switch on `kind` once per batch, never per row.
 */
export type DataType =
  | { kind: 'null' }
  | { kind: 'bool' }
  | { kind: 'int32' }
  | { kind: 'int64' }
  | { kind: 'float64' }
  /** Exact numeric: stored as the unscaled integer (value × 10^scale) in a float64, exact while |unscaled| < 2^53. */
  | { kind: 'decimal'; precision: number; scale: number }
  /** Strings are always dictionary-encoded in memory: int32 codes into a string[] dictionary. */
  | { kind: 'utf8' }
  /** Days since 1970-01-01. */
  | { kind: 'date' }
  /** Microseconds since 1970-01-01 00:00:00, no time zone (PostgreSQL `timestamp`). */
  | { kind: 'timestamp' };

export type TypeKind = DataType['kind'];

export const NULL: DataType = { kind: 'null' };
export const BOOL: DataType = { kind: 'bool' };
export const INT32: DataType = { kind: 'int32' };
export const INT64: DataType = { kind: 'int64' };
export const FLOAT64: DataType = { kind: 'float64' };
export const UTF8: DataType = { kind: 'utf8' };
export const DATE: DataType = { kind: 'date' };
export const TIMESTAMP: DataType = { kind: 'timestamp' };
export const decimal = (precision: number, scale: number): DataType => ({ kind: 'decimal', precision, scale });

/** PostgreSQL's name for the type, used in EXPLAIN, error messages and when creating oracle tables. */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case 'null': return 'unknown';
    case 'bool': return 'boolean';
    case 'int32': return 'integer';
    case 'int64': return 'bigint';
    case 'float64': return 'double precision';
    case 'decimal': return `numeric(${t.precision},${t.scale})`;
    case 'utf8': return 'text';
    case 'date': return 'date';
    case 'timestamp': return 'timestamp';
  }
}

export function typesEqual(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'decimal' && b.kind === 'decimal') return a.precision === b.precision && a.scale === b.scale;
  return true;
}

export const isNumeric = (t: DataType): boolean =>
  t.kind === 'int32' || t.kind === 'int64' || t.kind === 'float64' || t.kind === 'decimal';
export const isInteger = (t: DataType): boolean => t.kind === 'int32' || t.kind === 'int64';
export const isTemporal = (t: DataType): boolean => t.kind === 'date' || t.kind === 'timestamp';
