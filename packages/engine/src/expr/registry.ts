import type { DataType } from '../types/data-type.js';

/**
 * Bind-time resolution of scalar functions and operators, following PostgreSQL's rules for the
 * result type and implicit casts. Returns null when no signature matches (the binder then
 * reports `function name(argtypes) does not exist` or `operator does not exist: … ` at the
 * call's position).
 *
 * `argTypes` are the types to cast each argument to before the call (the binder wraps
 * arguments in CastExpr where they differ), `returnType` the result type.
 * Implemented by expr/ (see functions/).
 */
export interface ResolvedScalar {
  readonly fn: string;
  readonly argTypes: readonly DataType[];
  readonly returnType: DataType;
}

export type ScalarResolver = (fn: string, argTypes: readonly DataType[]) => ResolvedScalar | null;
