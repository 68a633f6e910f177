/**
 * Fitted cost models in the store: the points of a series (workload × backend × measure, one phase or
 * the whole workload), the least-squares line through them, predictions with intervals, and runs
 * flagged far off the line. What a chart needs comes back together: points, the fitted line, the band.
 */
import type { Backend, CostModel, PrismaClient } from '@prisma/client';
import { fitLinear, predict, type LinearFit } from './least-squares.js';
import { median } from './stats.js';

/**
 * wall_ms: the run's time; peak_memory_bytes: the engine's own accounting (operators' peaks);
 * rss_bytes: the job process's peak resident memory (machine.processMaxRssBytes) — what an instance
 * must hold, start-up baseline included.
 */
export const MEASURES = ['wall_ms', 'peak_memory_bytes', 'rss_bytes'] as const;
export type Measure = (typeof MEASURES)[number];

export interface SeriesSpec {
  workspaceId: string;
  workload: string;
  backend: 'engine' | 'postgres' | 'pgstrom' | 'duckdb' | 'polars';
  /** Phase order; null: the whole workload, one point per batch repetition (the sum over phases). */
  phase: number | null;
  measure: Measure;
}

/**
 * What each point of the fit is: every run, or one point per scale — the median, or the minimum
 * ("best of", as ClickBench's hot runs) which on a shared, noisy machine tracks the work itself
 * rather than the neighbours' load.
 */
export const SUMMARIES = ['runs', 'median', 'min'] as const;
export type Summary = (typeof SUMMARIES)[number];

export interface SeriesPoint {
  x: number;
  y: number;
  /** The run (phase series) or the runs of one repetition (workload series). */
  runIds: string[];
  at: Date;
}

export class CostModelError extends Error {}

export const modelName = (s: Pick<SeriesSpec, 'workload' | 'backend' | 'phase' | 'measure'>, summary: Summary = 'runs') =>
  `fit:${s.workload}${s.phase === null ? '' : `#${s.phase}`}:${s.backend}:${s.measure}${summary === 'runs' ? '' : `:${summary}`}`;

export function summarize(points: SeriesPoint[], summary: Summary): SeriesPoint[] {
  if (summary === 'runs') return points;
  const byScale = new Map<number, SeriesPoint[]>();
  for (const p of points) byScale.set(p.x, [...(byScale.get(p.x) ?? []), p]);
  return [...byScale.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([x, ps]) => ({
      x,
      y: summary === 'min' ? Math.min(...ps.map((p) => p.y)) : median(ps.map((p) => p.y)),
      runIds: ps.flatMap((p) => p.runIds),
      at: new Date(Math.max(...ps.map((p) => p.at.getTime()))),
    }));
}

async function resolveWorkload(prisma: PrismaClient, key: string, phaseOrder: number | null) {
  const w = await prisma.workload.findUnique({ where: { catalogKey: key }, include: { phases: { orderBy: { order: 'asc' } } } });
  if (!w) throw new CostModelError(`workload: "${key}" is not in the catalog`);
  const phase = phaseOrder === null ? null : (w.phases.find((p) => p.order === phaseOrder) ?? null);
  if (phaseOrder !== null && !phase) throw new CostModelError(`phase: workload "${key}" has no phase ${phaseOrder}`);
  return { workload: w, phase };
}

export async function seriesPoints(prisma: PrismaClient, spec: SeriesSpec): Promise<SeriesPoint[]> {
  const { workload, phase } = await resolveWorkload(prisma, spec.workload, spec.phase);
  if (phase) {
    const runs = await prisma.run.findMany({
      where: { workspaceId: spec.workspaceId, phaseId: phase.id, backend: spec.backend, rowsScale: { not: null } },
      select: { id: true, rowsScale: true, wallMs: true, peakMemoryBytes: true, machine: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    });
    const y = (r: (typeof runs)[number]) =>
      spec.measure === 'wall_ms' ? r.wallMs : spec.measure === 'rss_bytes' ? Number((r.machine as { processMaxRssBytes?: unknown } | null)?.processMaxRssBytes ?? NaN) : Number(r.peakMemoryBytes);
    // runs recorded without the measure (RSS of runs measured elsewhere) are not points
    return runs.map((r) => ({ x: Number(r.rowsScale), y: y(r), runIds: [r.id], at: r.createdAt })).filter((p) => spec.measure !== 'rss_bytes' || (Number.isFinite(p.y) && p.y > 0));
  }
  // Whole workload: a repetition counts only when every phase ran in it. Time adds up over phases;
  // peak memory is the largest phase's.
  const agg =
    spec.measure === 'wall_ms' ? 'sum(r.wall_ms)' : spec.measure === 'rss_bytes' ? "max((r.machine->>'processMaxRssBytes')::float8)" : 'max(r.peak_memory_bytes)::float8';
  const rows = await prisma.$queryRawUnsafe<{ x: bigint; y: number; run_ids: string[]; at: Date }[]>(
    `SELECT b.rows_scale AS x, ${agg} AS y, array_agg(r.id::text ORDER BY r.created_at) AS run_ids, max(r.created_at) AS at
       FROM benchmark_batches b
       JOIN benchmark_batch_runs br ON br.batch_id = b.id
       JOIN runs r ON r.id = br.run_id
      WHERE b.workspace_id = $1::uuid AND b.workload_id = $2::uuid AND b.backend = $3::"Backend" AND r.phase_id IS NOT NULL
      GROUP BY b.id, br.repetition, b.rows_scale
     HAVING count(DISTINCT r.phase_id) = $4
      ORDER BY at`,
    spec.workspaceId,
    workload.id,
    spec.backend,
    workload.phases.length,
  );
  return rows.map((r) => ({ x: Number(r.x), y: Number(r.y), runIds: r.run_ids, at: r.at })).filter((p) => Number.isFinite(p.y) && (spec.measure !== 'rss_bytes' || p.y > 0));
}

export interface StoredFit {
  fixed: number;
  perRow: number;
  unit: 'ms' | 'bytes';
  n: number;
  r2: number;
  sigma: number;
  xMean: number;
  sxx: number;
  fixedStdError: number | null;
  perRowStdError: number | null;
  scales: number[];
  /** |standardized residual| above which a run is flagged. */
  flagK: number;
  /** runs, or one point per scale (median / min); absent in fits stored before it existed. */
  summary?: Summary;
  points: { x: number; y: number; fitted: number; residual: number; standardized: number | null; flagged: boolean; runIds: string[] }[];
  fittedAt: string;
}

export const storedFit = (m: CostModel): StoredFit => m.params as unknown as StoredFit;
const asLinear = (f: StoredFit): Pick<LinearFit, 'fixed' | 'perUnit' | 'n' | 'sigma' | 'xMean' | 'sxx'> => ({ fixed: f.fixed, perUnit: f.perRow, n: f.n, sigma: f.sigma, xMean: f.xMean, sxx: f.sxx });

/** Fits the series and stores (or replaces) its CostModel. */
export async function fitCostModel(prisma: PrismaClient, spec: SeriesSpec, flagK = 3, summary: Summary = 'runs'): Promise<CostModel> {
  const { workload, phase } = await resolveWorkload(prisma, spec.workload, spec.phase);
  const points = summarize(await seriesPoints(prisma, spec), summary);
  let fit: LinearFit;
  try {
    fit = fitLinear(points.map((p) => ({ x: p.x, y: p.y })));
  } catch (err) {
    throw new CostModelError(`cannot fit ${modelName(spec, summary)}: ${(err as Error).message} (record runs at several scales first)`);
  }
  const params: StoredFit = {
    fixed: fit.fixed,
    perRow: fit.perUnit,
    unit: spec.measure === 'wall_ms' ? 'ms' : 'bytes',
    n: fit.n,
    r2: fit.r2,
    sigma: fit.sigma,
    xMean: fit.xMean,
    sxx: fit.sxx,
    fixedStdError: fit.fixedStdError,
    perRowStdError: fit.perUnitStdError,
    scales: fit.scales,
    flagK,
    summary,
    points: fit.residuals.map((r, i) => ({ ...r, flagged: r.standardized !== null && Math.abs(r.standardized) > flagK, runIds: points[i].runIds })),
    fittedAt: new Date().toISOString(),
  };
  const name = modelName(spec, summary);
  const unit = spec.measure === 'wall_ms' ? 'ms' : 'bytes';
  const data = {
    kind: 'linear-fit',
    description: `${spec.measure} = ${fit.fixed.toPrecision(4)} ${unit} + ${fit.perUnit.toPrecision(4)} ${unit} × rows (R² ${fit.r2.toFixed(3)}, n ${fit.n}${summary === 'runs' ? '' : ` ${summary}s`}, scales ${fit.scales.join(', ')})`,
    params: params as object,
    workloadId: workload.id,
    phaseId: phase?.id ?? null,
    backend: spec.backend,
    measure: spec.measure,
  };
  const existing = await prisma.costModel.findFirst({ where: { workspaceId: spec.workspaceId, name } });
  return existing
    ? prisma.costModel.update({ where: { id: existing.id }, data })
    : prisma.costModel.create({ data: { workspaceId: spec.workspaceId, name, ...data } });
}

/** Predicts at a scale; `record` keeps the prediction so the actual runs can be set beside it later. */
export async function predictCostModel(prisma: PrismaClient, model: CostModel, rows: number, level = 0.95, record = true) {
  if (model.kind !== 'linear-fit') throw new CostModelError(`cost model ${model.name} is not a fitted model (kind ${model.kind})`);
  const p = predict(asLinear(storedFit(model)), rows, level);
  const lower = p.lower ?? p.value;
  const upper = p.upper ?? p.value;
  const saved = record ? await prisma.costPrediction.create({ data: { costModelId: model.id, rowsScale: BigInt(rows), predicted: p.value, lower, upper, level } }) : null;
  return { id: saved?.id ?? null, rows, predicted: p.value, lower: p.lower, upper: p.upper, level };
}

/** A model with its chart: points, the line and the prediction band over the measured range and the predicted scales, predictions against actuals, flagged runs. */
export async function describeCostModel(prisma: PrismaClient, model: CostModel) {
  const fit = model.kind === 'linear-fit' ? storedFit(model) : null;
  const predictions = await prisma.costPrediction.findMany({ where: { costModelId: model.id }, orderBy: { createdAt: 'asc' } });
  let actualRuns: SeriesPoint[] = [];
  if (fit && model.workspaceId && model.workloadId && model.backend && model.measure) {
    const w = await prisma.workload.findUnique({ where: { id: model.workloadId }, include: { phases: true } });
    const phase = model.phaseId ? (w?.phases.find((p) => p.id === model.phaseId)?.order ?? null) : null;
    if (w) actualRuns = await seriesPoints(prisma, { workspaceId: model.workspaceId, workload: w.catalogKey, backend: model.backend, phase, measure: model.measure as 'wall_ms' });
  }
  // Runs (or repetitions) the fit did not see: recorded after it.
  const fitted = new Set(fit?.points.flatMap((p) => p.runIds) ?? []);
  const newer = actualRuns.filter((p) => !p.runIds.some((id) => fitted.has(id)));
  const band = fit
    ? bandScales([...fit.scales, ...predictions.map((p) => Number(p.rowsScale))]).map((x) => {
        const p = predict(asLinear(fit), x);
        return { x, fitted: p.value, lower: p.lower, upper: p.upper };
      })
    : [];
  const check = (x: number, y: number) => {
    if (!fit) return { predicted: null, lower: null, upper: null, outside: false };
    const p = predict(asLinear(fit), x);
    return { predicted: p.value, lower: p.lower, upper: p.upper, outside: p.lower !== null && p.upper !== null && (y < p.lower || y > p.upper) };
  };
  return {
    id: model.id,
    name: model.name,
    kind: model.kind,
    description: model.description,
    builtIn: model.workspaceId === null,
    measure: model.measure,
    backend: model.backend,
    fit: fit && { fixed: fit.fixed, perRow: fit.perRow, unit: fit.unit, n: fit.n, r2: fit.r2, sigma: fit.sigma, fixedStdError: fit.fixedStdError, perRowStdError: fit.perRowStdError, scales: fit.scales, flagK: fit.flagK, summary: fit.summary ?? 'runs', fittedAt: fit.fittedAt },
    params: fit ? null : model.params,
    points: fit?.points ?? [],
    band,
    predictions: predictions.map((p) => {
      const x = Number(p.rowsScale);
      const actual = actualRuns.filter((a) => a.x === x);
      const ys = actual.map((a) => a.y).sort((a, b) => a - b);
      const med = ys.length ? ys[Math.floor((ys.length - 1) / 2)] / 2 + ys[Math.ceil((ys.length - 1) / 2)] / 2 : null;
      return {
        id: p.id,
        rows: x,
        predicted: p.predicted,
        lower: p.lower,
        upper: p.upper,
        level: p.level,
        createdAt: p.createdAt.toISOString(),
        actual: med === null ? null : { n: ys.length, median: med, errorPct: ((med - p.predicted) / p.predicted) * 100, withinInterval: med >= p.lower && med <= p.upper },
      };
    }),
    /** Runs recorded after the fit, checked against the model's prediction interval. */
    newRuns: newer.map((p) => ({ x: p.x, y: p.y, runIds: p.runIds, at: p.at.toISOString(), ...check(p.x, p.y) })),
    flaggedRunIds: [...(fit?.points.filter((p) => p.flagged).flatMap((p) => p.runIds) ?? []), ...newer.filter((p) => check(p.x, p.y).outside).flatMap((p) => p.runIds)],
  };
}

/** Log-spaced scales from the smallest to the largest of `xs`, so a log-x chart draws a smooth band. */
function bandScales(xs: number[]): number[] {
  const pos = xs.filter((x) => x > 0);
  if (pos.length === 0) return [];
  const lo = Math.min(...pos);
  const hi = Math.max(...pos);
  if (lo === hi) return [lo];
  const steps = 24;
  const out = Array.from({ length: steps + 1 }, (_, i) => Math.round(lo * (hi / lo) ** (i / steps)));
  return [...new Set([...out, ...pos])].sort((a, b) => a - b);
}
