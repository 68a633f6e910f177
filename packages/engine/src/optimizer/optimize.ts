import { singleDistinctToGroupBy } from './single-distinct.js';
import { aggregateBeforeJoin } from './aggregate-before-join.js';
import { projectBuildSide } from './project-build-side.js';
import { countIndicator } from './count-indicator.js';
import { aggregateStatistics } from './aggregate-statistics.js';
import type { LogicalPlan } from '../logical/plan.js';
import { broadcastJoin } from './broadcast-join.js';
import { pushDownFilter } from './push-down-filter.js';
import { pushDownLimit } from './push-down-limit.js';
import { pushDownProjection } from './push-down-projection.js';
import { DEFAULT_OPTIMIZER_CONFIG, type OptimizerConfig, type OptimizerRule } from './rule.js';
import { simplifyExpressions } from './simplify-expressions.js';
import { topK } from './topk.js';
import { changedOrNull } from './utils.js';

export type { OptimizerConfig, OptimizerRule } from './rule.js';
export { DEFAULT_OPTIMIZER_CONFIG } from './rule.js';

/** One application of one rule. */
export interface RuleTrace {
  readonly rule: string;
  readonly changed: boolean;
  /** Wall time of this application, ms. */
  readonly ms: number;
  /** 1-based pass of the fixpoint loop. */
  readonly pass: number;
}

/** Default rules, in the order the driver applies them within a pass. */
export const DEFAULT_RULES: readonly OptimizerRule[] = [
  simplifyExpressions,
  singleDistinctToGroupBy,
  countIndicator,
  pushDownFilter,
  pushDownLimit,
  topK,
  pushDownProjection,
  aggregateBeforeJoin,
  projectBuildSide,
  aggregateStatistics,
  broadcastJoin,
];

export const MAX_PASSES = 10;

export interface OptimizeOptions {
  /** Rules to run instead of DEFAULT_RULES. */
  readonly rules?: readonly OptimizerRule[];
  /** Called after every rule application that changed the plan (tests validate the plan here). */
  readonly afterRule?: (rule: string, plan: LogicalPlan) => void;
}

/**
 * Applies the rules in order, pass after pass, until a pass changes nothing (at most
 * MAX_PASSES passes). Every rule application is timed and recorded in the trace.
 */
export function optimize(
  plan: LogicalPlan,
  config: Partial<OptimizerConfig> = {},
  options: OptimizeOptions = {},
): { plan: LogicalPlan; trace: RuleTrace[] } {
  const cfg: OptimizerConfig = {
    broadcastThresholdRows: config.broadcastThresholdRows ?? DEFAULT_OPTIMIZER_CONFIG.broadcastThresholdRows,
    broadcastThresholdBytes: config.broadcastThresholdBytes ?? DEFAULT_OPTIMIZER_CONFIG.broadcastThresholdBytes,
    disabledRules: config.disabledRules ?? [],
  };
  const disabled = new Set(cfg.disabledRules);
  const rules = (options.rules ?? DEFAULT_RULES).filter((r) => !disabled.has(r.name));
  const trace: RuleTrace[] = [];
  let current = plan;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    let anyChanged = false;
    for (const rule of rules) {
      const start = performance.now();
      const out = rule.rewrite(current, cfg);
      const next = out === null ? null : changedOrNull(current, out);
      const ms = performance.now() - start;
      trace.push({ rule: rule.name, changed: next !== null, ms, pass });
      if (next !== null) {
        current = next;
        anyChanged = true;
        options.afterRule?.(rule.name, current);
      }
    }
    if (!anyChanged) break;
  }
  return { plan: current, trace };
}
