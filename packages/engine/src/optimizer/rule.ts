import type { LogicalPlan } from '../logical/plan.js';

export interface OptimizerConfig {
  /** A join side estimated at or under this many rows (and bytes) is broadcast. */
  broadcastThresholdRows: number;
  broadcastThresholdBytes: number;
  /** Rule names to skip. */
  disabledRules: string[];
}

export const DEFAULT_OPTIMIZER_CONFIG: OptimizerConfig = {
  broadcastThresholdRows: 1_000_000,
  broadcastThresholdBytes: 64 * 1024 * 1024,
  disabledRules: [],
};

/**
 * One rewrite rule. `rewrite` returns the rewritten plan, or null when it changed nothing.
 * Rules must preserve results and the root's output fields (ids, names, order).
 */
export interface OptimizerRule {
  readonly name: string;
  rewrite(plan: LogicalPlan, config: OptimizerConfig): LogicalPlan | null;
}
