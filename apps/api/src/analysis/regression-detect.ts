/**
 * The noise-aware regression rule. A series (one phase of a workload on one backend, at one scale, on
 * one machine) gets a batch of K repeated runs per firing; the contender batch is compared with the
 * baseline window, the last W earlier batches. Three conditions must hold together, because on a shared,
 * noisy machine any single one alone flags noise (Bencher's users report t-test alerts moving between
 * benchmarks from run to run):
 *
 *   1. size: the contender median is at least `thresholdPct` above the baseline median (asv 5 %, CodSpeed 10 %);
 *   2. lookback z-score (Conbench): z = (contender median − mean of baseline batch medians) / their sd,
 *      with the sd floored at `noiseFloorPct` of the mean so a too-quiet baseline cannot make z explode;
 *      z ≥ `zThreshold` (4: on simulated series with 8 % noise, 10 batches × 3 runs, no false alarm in
 *      3000 trials and 83 % of 30 % slowdowns caught; 3 gave 0.3 % false alarms);
 *   3. Mann-Whitney U (asv): the contender's runs are larger than the baseline's runs, one-sided p < `alpha`;
 *      skipped (null) when the contender has fewer than `minContenderRuns` runs, since the smallest
 *      reachable p is then above any sensible alpha.
 *
 * Fewer than `minBaselineBatches` earlier batches: no verdict ("insufficient baseline").
 */
import { mannWhitneyU, mean, median, stdev } from './stats.js';

export interface RegressionRule {
  /** Earlier batches in the baseline window. */
  window: number;
  minBaselineBatches: number;
  thresholdPct: number;
  zThreshold: number;
  alpha: number;
  noiseFloorPct: number;
  minContenderRuns: number;
  /** Severity by the size of the change: ≥ critical → critical, ≥ major → major, else minor. */
  majorPct: number;
  criticalPct: number;
}

export const DEFAULT_RULE: RegressionRule = {
  window: 10,
  minBaselineBatches: 3,
  thresholdPct: 10,
  zThreshold: 4,
  alpha: 0.01,
  noiseFloorPct: 1,
  minContenderRuns: 3,
  majorPct: 25,
  criticalPct: 50,
};

export const resolveRule = (overrides: Partial<RegressionRule> | null | undefined): RegressionRule => ({ ...DEFAULT_RULE, ...(overrides ?? {}) });

export type Verdict = 'regression' | 'improvement' | 'unchanged' | 'insufficient-baseline';
export type Severity = 'minor' | 'major' | 'critical';

export interface Comparison {
  verdict: Verdict;
  severity: Severity | null;
  baselineBatches: number;
  baselineRuns: number;
  /** Median over all baseline runs. */
  baselineMedian: number | null;
  /** Mean and sd of the baseline batch medians (what z is measured in). */
  baselineMean: number | null;
  baselineStdev: number | null;
  contenderRuns: number;
  contenderMedian: number;
  changePct: number | null;
  z: number | null;
  pValue: number | null;
  /** Which conditions held: size, z, p (null when not evaluated). */
  checks: { size: boolean | null; z: boolean | null; p: boolean | null };
  rule: RegressionRule;
}

/**
 * baseline: the earlier batches, oldest first, each the values of its repeated runs; the last
 * `rule.window` are used. contender: the values of the new batch's runs. Larger is worse.
 */
export function compareWithBaseline(baseline: readonly (readonly number[])[], contender: readonly number[], rule: RegressionRule = DEFAULT_RULE): Comparison {
  if (contender.length === 0) throw new RangeError('the contender batch has no runs');
  const window = baseline.filter((b) => b.length > 0).slice(-rule.window);
  const contenderMedian = median(contender);
  const base = {
    baselineBatches: window.length,
    baselineRuns: window.reduce((s, b) => s + b.length, 0),
    contenderRuns: contender.length,
    contenderMedian,
    rule,
  };
  if (window.length < rule.minBaselineBatches) {
    return { ...base, verdict: 'insufficient-baseline', severity: null, baselineMedian: null, baselineMean: null, baselineStdev: null, changePct: null, z: null, pValue: null, checks: { size: null, z: null, p: null } };
  }
  const allBaseline = window.flat();
  const batchMedians = window.map((b) => median(b));
  const baselineMedian = median(allBaseline);
  const baselineMean = mean(batchMedians);
  const baselineStdev = stdev(batchMedians);
  const sd = Math.max(baselineStdev, (Math.abs(baselineMean) * rule.noiseFloorPct) / 100);
  const z = sd > 0 ? (contenderMedian - baselineMean) / sd : 0;
  const changePct = baselineMedian !== 0 ? ((contenderMedian - baselineMedian) / Math.abs(baselineMedian)) * 100 : 0;

  const testable = contender.length >= rule.minContenderRuns;
  const worse = testable ? mannWhitneyU(contender, allBaseline).pGreater : null;
  const better = testable ? mannWhitneyU(allBaseline, contender).pGreater : null;

  const size = changePct >= rule.thresholdPct;
  const zOk = z >= rule.zThreshold;
  const pOk = worse === null ? null : worse < rule.alpha;
  let verdict: Verdict = 'unchanged';
  let pValue = worse;
  if (size && zOk && pOk !== false) verdict = 'regression';
  else if (changePct <= -rule.thresholdPct && z <= -rule.zThreshold && (better === null || better < rule.alpha)) {
    verdict = 'improvement';
    pValue = better;
  }
  const severity: Severity | null = verdict !== 'regression' ? null : changePct >= rule.criticalPct ? 'critical' : changePct >= rule.majorPct ? 'major' : 'minor';
  return { ...base, verdict, severity, baselineMedian, baselineMean, baselineStdev, changePct, z, pValue, checks: { size, z: zOk, p: pOk } };
}
