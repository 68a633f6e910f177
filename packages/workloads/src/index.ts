export { DATASETS, DATASET_NAMES, finance, music, sales, salary } from './datasets/index.js';
export {
  generateDataset,
  planDataset,
  tableBatches,
  resolveDirt,
  getDataset,
  WorkloadError,
  GENERATOR_VERSION,
  DEFAULT_SEED,
  DEFAULT_BATCH_ROWS,
  MAX_ROWS,
  FORMATS,
} from './generate.js';
export type { GenerateOptions, Manifest, ManifestTable, ProgressEvent, DirtOption } from './generate.js';
export { createProgressBar, progressEnabled } from './progress.js';
export type { ColumnDef, TableDef, DirtKindDef, DatasetDef, DatasetPlan, TablePlan, PlanOptions, OutputFormat, GeneratedColumns } from './types.js';
export { financeSizes } from './datasets/finance.js';
export { musicSizes } from './datasets/music.js';
export * from './catalog/index.js';
export { runMedallion, PIPELINE_MODES, DIMENSIONS, GOLD_FILE } from './pipeline/medallion.js';
export type { PipelineMode, DqMode, PipelineOptions, PipelineResult, StageResult, DqResult } from './pipeline/medallion.js';
export { formatPipelineReport } from './pipeline/report.js';
export { loadDatasetIntoPostgres, readDatasetManifest } from './postgres-load.js';
export type { PostgresLoad } from './postgres-load.js';
