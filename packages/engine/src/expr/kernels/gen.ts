import { EngineError, type ErrorCode } from '../../errors.js';

/**
 * Loop generator. Kernels are specialised per (operation, operand shape, NULL-ness) by
 * generating the loop source once and compiling it with `new Function`: every kernel is its
 * own monomorphic function that V8 optimises like hand-written code, without a per-row
 * closure call or switch.
 *
 * Shapes: 'cc' column op column, 'cs' column op scalar, 'sc' scalar op column, 'c' unary.
 * In the body, `a` / `b` are the operands, `i` the row, `out` the output array, `k1..k3`
 * extra constants, and `fail(code, message)` raises an EngineError.
 * With `nullable`, rows where `valid[i] === 0` are skipped (their output slot stays 0), so a
 * NULL row's garbage value can never raise (e.g. division by zero).
 */
export type Shape = 'cc' | 'cs' | 'sc' | 'c';

export type LoopFn = (
  av: ArrayLike<number> | number,
  bv: ArrayLike<number> | number,
  out: { [i: number]: number },
  n: number,
  valid: Uint8Array | null,
  k1?: number,
  k2?: number,
  k3?: number,
) => void;

function fail(code: ErrorCode, message: string): never {
  throw new EngineError(code, message);
}

const cache = new Map<string, LoopFn>();

export function genLoop(body: string, shape: Shape, nullable: boolean, pre = ''): LoopFn {
  const key = `${shape}|${nullable ? 1 : 0}|${pre}|${body}`;
  let f = cache.get(key);
  if (f !== undefined) return f;
  const src = `"use strict";
return function kernel(av, bv, out, n, valid, k1, k2, k3) {
  ${pre}
  ${shape === 'sc' ? 'const a = av;' : ''}
  ${shape === 'cs' ? 'const b = bv;' : ''}
  for (let i = 0; i < n; i++) {
    ${nullable ? 'if (valid[i] === 0) continue;' : ''}
    ${shape === 'cc' || shape === 'cs' || shape === 'c' ? 'const a = av[i];' : ''}
    ${shape === 'cc' || shape === 'sc' ? 'const b = bv[i];' : ''}
    ${body}
  }
};`;
  f = new Function('fail', src)(fail) as LoopFn;
  cache.set(key, f);
  return f;
}
