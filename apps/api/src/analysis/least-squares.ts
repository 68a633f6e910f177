/**
 * Ordinary least squares for y = fixed + perUnit × x, with what a reader needs to trust it: R², the
 * residual standard error σ, residuals, leverage-aware prediction intervals. Used for time (and peak
 * memory) against rows, as seed 001 fitted `time = 100 s + 0.00008 s × records` by hand.
 */
import { mean, studentTQuantile } from './stats.js';

export interface Point {
  x: number;
  y: number;
}

export interface LinearFit {
  fixed: number;
  perUnit: number;
  n: number;
  /** Coefficient of determination (1 when every point lies on the line). */
  r2: number;
  /** Residual standard error, sqrt(SSE / (n − 2)); 0 when n = 2. */
  sigma: number;
  xMean: number;
  /** Σ (x − x̄)². */
  sxx: number;
  /** Standard errors of the coefficients (null when n = 2). */
  fixedStdError: number | null;
  perUnitStdError: number | null;
  residuals: { x: number; y: number; fitted: number; residual: number; standardized: number | null }[];
  /** The distinct x values the fit rests on, ascending. */
  scales: number[];
}

export class FitError extends Error {}

export function fitLinear(points: readonly Point[]): LinearFit {
  const n = points.length;
  if (n < 2) throw new FitError(`a line needs at least 2 points, got ${n}`);
  const scales = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  if (scales.length < 2) throw new FitError(`a line needs points at 2 or more scales, got only x = ${scales[0]}`);
  const xMean = mean(points.map((p) => p.x));
  const yMean = mean(points.map((p) => p.y));
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - xMean) ** 2;
    sxy += (p.x - xMean) * (p.y - yMean);
    syy += (p.y - yMean) ** 2;
  }
  const perUnit = sxy / sxx;
  const fixed = yMean - perUnit * xMean;
  let sse = 0;
  const fitted = points.map((p) => {
    const f = fixed + perUnit * p.x;
    sse += (p.y - f) ** 2;
    return f;
  });
  const df = n - 2;
  const sigma = df > 0 ? Math.sqrt(sse / df) : 0;
  const r2 = syy === 0 ? 1 : 1 - sse / syy;
  return {
    fixed,
    perUnit,
    n,
    r2,
    sigma,
    xMean,
    sxx,
    fixedStdError: df > 0 ? sigma * Math.sqrt(1 / n + xMean ** 2 / sxx) : null,
    perUnitStdError: df > 0 ? sigma / Math.sqrt(sxx) : null,
    residuals: points.map((p, i) => ({ x: p.x, y: p.y, fitted: fitted[i], residual: p.y - fitted[i], standardized: sigma > 0 ? (p.y - fitted[i]) / sigma : null })),
    scales,
  };
}

export interface Prediction {
  x: number;
  value: number;
  /** Prediction interval for one new observation at x (null when n = 2: no degrees of freedom left). */
  lower: number | null;
  upper: number | null;
  level: number;
}

/** ŷ ± t(1 − α/2, n − 2) · σ · √(1 + 1/n + (x − x̄)² / Sxx): wider far from the measured scales. */
export function predict(fit: Pick<LinearFit, 'fixed' | 'perUnit' | 'n' | 'sigma' | 'xMean' | 'sxx'>, x: number, level = 0.95): Prediction {
  const value = fit.fixed + fit.perUnit * x;
  const df = fit.n - 2;
  if (df <= 0) return { x, value, lower: null, upper: null, level };
  const t = studentTQuantile(1 - (1 - level) / 2, df);
  const half = t * fit.sigma * Math.sqrt(1 + 1 / fit.n + (x - fit.xMean) ** 2 / fit.sxx);
  return { x, value, lower: value - half, upper: value + half, level };
}
