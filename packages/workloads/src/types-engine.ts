/**
 * DataType constants (the engine's public index exports the `DataType` type and `typeName`, not
 * these values; they mirror packages/engine/src/types/data-type.ts).
 */
import type { DataType } from '@phaselab/engine';

export const BOOL: DataType = { kind: 'bool' };
export const INT32: DataType = { kind: 'int32' };
export const INT64: DataType = { kind: 'int64' };
export const FLOAT64: DataType = { kind: 'float64' };
export const UTF8: DataType = { kind: 'utf8' };
export const DATE: DataType = { kind: 'date' };
export const TIMESTAMP: DataType = { kind: 'timestamp' };
export const decimal = (precision: number, scale: number): DataType => ({ kind: 'decimal', precision, scale });
