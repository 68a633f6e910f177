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
