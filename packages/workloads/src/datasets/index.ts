import type { DatasetDef } from '../types.js';
import { finance } from './finance.js';
import { music } from './music.js';
import { salary } from './salary.js';
import { sales } from './sales.js';

/** Every dataset, by name: tables, columns (engine DataTypes), dirt kinds, and a `plan` generator. */
export const DATASETS: Readonly<Record<string, DatasetDef>> = { finance, music, sales, salary };

export const DATASET_NAMES: readonly string[] = Object.freeze(Object.keys(DATASETS));

export { finance, music, sales, salary };
