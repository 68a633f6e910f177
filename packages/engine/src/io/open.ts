/** File sources and writers chosen by file extension. */
import path from 'node:path';
import type { TableSource } from '../catalog.js';
import { EngineError } from '../errors.js';
import type { Batch, Field } from '../types/batch.js';
import { ArrowFileTable, writeArrowIpc } from './arrow-ipc.js';
import { CsvTable, writeCsv } from './csv.js';
import { ParquetTable, writeParquet } from './parquet.js';

export type FileFormat = 'parquet' | 'arrow' | 'csv';

/** Format of a path by its extension, or null. */
export function formatOfPath(p: string): FileFormat | null {
  switch (path.extname(p).toLowerCase()) {
    case '.parquet':
    case '.pq':
      return 'parquet';
    case '.arrow':
    case '.ipc':
    case '.feather':
    case '.arrows':
      return 'arrow';
    case '.csv':
      return 'csv';
    default:
      return null;
  }
}

function unsupported(p: string): EngineError {
  return new EngineError('invalid_parameter_value', `unsupported file type "${p}" (expected .parquet, .arrow or .csv)`);
}

/** Opens a .parquet, .arrow/.ipc/.feather or .csv file as a table source (schema read now, data per scan). */
export async function openTableFile(p: string): Promise<TableSource> {
  switch (formatOfPath(p)) {
    case 'parquet': return ParquetTable.open(p);
    case 'arrow': return ArrowFileTable.open(p);
    case 'csv': return CsvTable.open(p);
    default: throw unsupported(p);
  }
}

/** Writes batches to a file; the format defaults to the one of the path's extension. */
export async function writeTable(
  p: string,
  fields: readonly Field[],
  batches: Iterable<Batch> | AsyncIterable<Batch>,
  format?: FileFormat,
): Promise<void> {
  const f = format ?? formatOfPath(p);
  switch (f) {
    case 'parquet': return writeParquet(p, fields, batches);
    case 'arrow': return writeArrowIpc(p, fields, batches);
    case 'csv': return writeCsv(p, fields, batches);
    default: throw unsupported(p);
  }
}
