import { describe, expect, it, vi } from 'vitest';
import { runDifferential } from './random-plans.js';

// Constant folding through the reference interpreter (independent of expr/'s kernels), so the
// differential run also covers folded predicates (Filter FALSE → empty Values, TRUE conjuncts dropped).
vi.mock('../../src/expr/constant.js', async () => {
  const { evalExpr } = await import('./interp.js');
  const { columnsOf } = await import('../../src/logical/expr.js');
  return {
    evaluateConstant: (e: import('../../src/logical/expr.js').Expr) => {
      if (e.kind === 'literal') return e;
      if (columnsOf(e).size > 0) return null;
      try {
        return { kind: 'literal', value: evalExpr(e, {}), type: e.type };
      } catch {
        return null;
      }
    },
  };
});

describe('differential with constant folding', () => {
  it('holds on 400 random plans', { timeout: 120_000 }, () => {
    const { checked, ruleChanges } = runDifferential(400);
    expect(checked).toBeGreaterThan(250);
    expect(ruleChanges.get('simplify_expressions') ?? 0).toBeGreaterThan(20);
  });
});
