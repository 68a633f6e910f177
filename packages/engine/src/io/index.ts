export {
  fieldsFromArrowSchema,
  engineTypeOfArrow,
  batchFromArrow,
  columnFromArrowData,
  concatColumns,
  batchToArrow,
  tableToArrow,
  arrowTypeOf,
  arrowSchemaOf,
  columnToArrowData,
} from './arrow-convert.js';
export { MemoryTable } from './memory-table.js';
export { ParquetTable, writeParquet, parquetMetadataSummary, PARQUET_READ_BATCH_ROWS } from './parquet.js';
export type { ParquetWriteOptions, ParquetSummary } from './parquet.js';
export { ArrowFileTable, writeArrowIpc } from './arrow-ipc.js';
export { CsvTable, writeCsv, csvField, CSV_SAMPLE_ROWS } from './csv.js';
export type { CsvOptions } from './csv.js';
export { formatCell, formatColumn, formatBatchRows, formatFloat8, formatDecimal, formatDate, formatTimestamp, formatInt64 } from './format.js';
export { openTableFile, writeTable, formatOfPath } from './open.js';
export type { FileFormat } from './open.js';
