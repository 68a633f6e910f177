/**
 * Engine batches as COPY … FROM STDIN (FORMAT text) lines. Values are the engine's PostgreSQL-style
 * text (formatBatchRows: numeric with its scale, ISO dates, shortest round-trip floats), which
 * PostgreSQL's input functions read back exactly.
 */
import { formatBatchRows, type Batch } from '@phaselab/engine';

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyTextValue(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : v;
}

export function batchToCopyText(batch: Batch): string {
  let s = '';
  for (const row of formatBatchRows(batch)) {
    for (let j = 0; j < row.length; j++) {
      if (j > 0) s += '\t';
      s += copyTextValue(row[j]);
    }
    s += '\n';
  }
  return s;
}
