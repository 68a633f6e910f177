/**
 * The settings Phaselab reads, reports and sweeps. PG-Strom's names are the ones its source defines
 * (v6.1, src/*.c; ../shared/FACTS.md "PG-Strom"); a server without PG-Strom, or without a GPU at
 * start-up, simply lacks them (current_setting(name, true) → NULL).
 */

/** PG-Strom's own settings (all under the `pg_strom.` prefix) and Arrow_fdw's. */
export const PGSTROM_SETTINGS = [
  'pg_strom.enabled',
  'pg_strom.enable_gpuscan',
  'pg_strom.enable_gpujoin',
  'pg_strom.enable_gpuhashjoin',
  'pg_strom.enable_gpupreagg',
  'pg_strom.enable_gpusort',
  'pg_strom.enable_brin',
  'pg_strom.enable_numeric_aggfuncs',
  'pg_strom.enable_partitionwise_gpujoin',
  'pg_strom.enable_partitionwise_gpupreagg',
  'pg_strom.enable_gpucache',
  'pg_strom.cpu_fallback',
  'pg_strom.gpu_setup_cost',
  'pg_strom.gpu_tuple_cost',
  'pg_strom.gpu_operator_cost',
  'pg_strom.gpu_direct_seq_page_cost',
  'pg_strom.max_async_tasks',
  'pg_strom.gpudirect_enabled',
  'pg_strom.gpudirect_driver',
  'pg_strom.gpudirect_threshold',
  'pg_strom.gpu_selection_policy',
  'pg_strom.gpu_mempool_segment_sz',
  'pg_strom.gpu_mempool_max_ratio',
  'arrow_fdw.enabled',
  'arrow_fdw.stats_hint_enabled',
  'arrow_fdw.metadata_cache_size',
] as const;

/** CPU-side settings that shape the same queries on plain PostgreSQL. */
export const CPU_SETTINGS = [
  'max_parallel_workers_per_gather',
  'max_parallel_workers',
  'max_worker_processes',
  'work_mem',
  'jit',
  'shared_buffers',
  'effective_cache_size',
  'random_page_cost',
  'seq_page_cost',
  'enable_hashagg',
  'enable_parallel_hash',
] as const;

/**
 * Names seed 003 sets that PG-Strom does not have: `SET` on them creates a harmless placeholder
 * (any dotted name is accepted) and changes nothing, so a sweep over them measures noise.
 */
export const NOT_PGSTROM_SETTINGS: Readonly<Record<string, string>> = {
  'pg_strom.chunk_size': 'not a setting since PG-Strom v3.1: the chunk size is a compile-time constant (about 64 MB)',
  'pg_strom.gpu_cache_size': 'not a setting: GPU Cache is sized per table by the row trigger pgstrom.gpucache_sync_trigger(\'max_num_rows=…\')',
};

/** Seed 003 phase 5, made real: the knobs PG-Strom has, a few values each. */
export const PGSTROM_SWEEP_GRID: Readonly<Record<string, readonly string[]>> = {
  'pg_strom.enabled': ['off', 'on'],
  'pg_strom.max_async_tasks': ['6', '12', '18'],
  'pg_strom.gpu_mempool_max_ratio': ['0.25', '0.5'],
};

/** The CPU settings that exist on plain PostgreSQL. */
export const CPU_SWEEP_GRID: Readonly<Record<string, readonly string[]>> = {
  max_parallel_workers_per_gather: ['0', '2'],
  work_mem: ['4MB', '64MB'],
  jit: ['off', 'on'],
};

/** An error message for a grid or `--set` that names one of the seed's non-existent settings. */
export function notRealSettingMessage(name: string): string | null {
  const why = NOT_PGSTROM_SETTINGS[name.toLowerCase()];
  return why ? `"${name}" is ${why}` : null;
}

/**
 * `current_setting(n, true)` for every name in $1, as rows (name, value). current_setting raises even
 * with missing_ok when a setting exists but is hidden from this user (shared_preload_libraries
 * without pg_read_all_settings): a setting pg_settings does not show this user reads as NULL.
 */
export const READ_SETTINGS_SQL = `SELECT n AS name, CASE WHEN EXISTS (SELECT 1 FROM pg_settings s WHERE s.name = lower(n)) THEN current_setting(n, true) END AS value
  FROM unnest($1::text[]) WITH ORDINALITY AS t(n, i) ORDER BY i`;
