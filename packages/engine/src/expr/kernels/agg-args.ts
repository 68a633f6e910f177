import type { Column } from '../../types/column.js';
import { FnExpr, type KernelBuilder } from './kernel.js';
import { ConstantExpr } from '../util.js';

/*
 * agg_args(value, extra1, extra2, …): the argument list of an aggregate that needs more than one
 * input per row (string_agg(value, separator ORDER BY keys…)). Aggregate operators evaluate one
 * argument expression per aggregate, so the binder bundles the inputs: this evaluates to the
 * first argument's column, carrying every argument's column in `parts` (the accumulator reads
 * them). It is never constant-folded (NOT_FOLDABLE), which would drop the parts.
 *
 * The binder's layout for string_agg: [value, separator, directions, key1, key2, …] where
 * `directions` is a constant like 'AL,DF' (per key: A/D = ASC/DESC, F/L = NULLS FIRST/LAST).
 */

export interface BundledColumn extends Column {
  readonly parts: readonly Column[];
}

/** The bundled argument columns of an agg_args result; null for a plain column. */
export function bundledParts(c: Column): readonly Column[] | null {
  const p = (c as Partial<BundledColumn>).parts;
  return p === undefined ? null : p;
}

/** Functions whose calls must never be replaced by their value, even with constant arguments. */
export const NOT_FOLDABLE: ReadonlySet<string> = new Set(['agg_args']);

export const aggArgs: KernelBuilder = (args, type) => {
  // EXPLAIN: `value, sep ORDER BY key [DESC] [NULLS FIRST|LAST]`
  const dirs = args.length > 2 && args[2] instanceof ConstantExpr && typeof args[2].value === 'string' ? args[2].value.split(',') : [];
  const keys = args.slice(3).map((k, i) => {
    const d = dirs[i] ?? 'AL';
    return `${k.toString()}${d[0] === 'D' ? ' DESC' : ''}${(d[1] === 'F') !== (d[0] === 'D') ? (d[1] === 'F' ? ' NULLS FIRST' : ' NULLS LAST') : ''}`;
  });
  const label = args.slice(0, 2).map((a) => a.toString()).join(', ') + (keys.length > 0 ? ` ORDER BY ${keys.join(', ')}` : '');
  return new FnExpr(type, label, (batch) => {
    const parts = args.map((a) => a.evaluate(batch));
    const bundled: BundledColumn = { ...parts[0], parts };
    return bundled;
  });
};
