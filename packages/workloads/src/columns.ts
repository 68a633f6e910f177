/** Small helpers for building engine columns (storage layout: packages/engine/src/types/column.ts). */
import type { Column, DataType } from '@phaselab/engine';

export const DAY_US = 86_400_000_000;

/** Days since 1970-01-01 of a calendar date. */
export function epochDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

export function col(type: DataType, values: Int32Array | Float64Array | Uint8Array, validity: Uint8Array | null = null, dict?: string[]): Column {
  return dict ? { type, length: values.length, values, validity, dict } : { type, length: values.length, values, validity };
}

/** A validity array with no zero is stored as null (no NULLs). */
export function validityOrNull(v: Uint8Array | null, nulls: number): Uint8Array | null {
  return v !== null && nulls > 0 ? v : null;
}

/**
 * Per-batch dictionary for generated strings that are not from a fixed vocabulary: interns each
 * distinct string once per batch.
 */
export class BatchDict {
  readonly dict: string[] = [];
  private readonly index = new Map<string, number>();
  code(s: string): number {
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(s);
      this.index.set(s, c);
    }
    return c;
  }
}

/** Every combination `a[i] + sep + b[j]` (index i * b.length + j). */
export function combos(a: readonly string[], b: readonly string[], sep = ' '): string[] {
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + sep + y);
  return out;
}
