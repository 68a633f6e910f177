/** Cost models: fitted time / peak memory = fixed + perRow × rows per series, predictions, parallel scaling. */
import { z } from 'zod';
import { parallelScaling } from '../analysis/parallel-scaling.js';
import { CostModelError, MEASURES, SUMMARIES, describeCostModel, fitCostModel, predictCostModel } from '../analysis/cost-models.js';
import { Backend } from '../dto.js';
import { badRequest, notFound, protectedProcedure, router, type Context } from '../trpc.js';

const Nullable = z.number().nullable();
const FitOut = z.object({
  fixed: z.number(),
  perRow: z.number(),
  unit: z.string(),
  n: z.number(),
  r2: z.number(),
  sigma: z.number(),
  fixedStdError: Nullable,
  perRowStdError: Nullable,
  scales: z.array(z.number()),
  flagK: z.number(),
  summary: z.enum(SUMMARIES),
  fittedAt: z.string(),
});
const CostModelOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  description: z.string(),
  builtIn: z.boolean(),
  measure: z.string().nullable(),
  backend: z.string().nullable(),
  fit: FitOut.nullable(),
  params: z.unknown(),
  points: z.array(z.object({ x: z.number(), y: z.number(), fitted: z.number(), residual: z.number(), standardized: Nullable, flagged: z.boolean(), runIds: z.array(z.string()) })),
  band: z.array(z.object({ x: z.number(), fitted: z.number(), lower: Nullable, upper: Nullable })),
  predictions: z.array(
    z.object({
      id: z.string(),
      rows: z.number(),
      predicted: z.number(),
      lower: z.number(),
      upper: z.number(),
      level: z.number(),
      createdAt: z.string(),
      actual: z.object({ n: z.number(), median: z.number(), errorPct: z.number(), withinInterval: z.boolean() }).nullable(),
    }),
  ),
  newRuns: z.array(z.object({ x: z.number(), y: z.number(), runIds: z.array(z.string()), at: z.string(), predicted: Nullable, lower: Nullable, upper: Nullable, outside: z.boolean() })),
  flaggedRunIds: z.array(z.string()),
});

type Authed = Context & { principal: { workspaceId: string } };

async function loadModel(ctx: Authed, id: string) {
  // Built-in models (no workspace) are visible to all; fitted ones only to their workspace.
  const m = await ctx.db.prisma.costModel.findFirst({ where: { id, OR: [{ workspaceId: ctx.principal.workspaceId }, { workspaceId: null }] } });
  if (!m) throw notFound('cost model', id);
  return m;
}

const asBadRequest = (err: unknown): never => {
  if (err instanceof CostModelError) throw badRequest(err.message);
  throw err;
};

export const costModelRouter = router({
  fit: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/cost-models/fit', tags: ['cost models'], summary: 'Fit measure = fixed + perRow × rows over the stored runs of a series (least squares) and store it', protect: true } })
    .input(
      z.object({
        workload: z.string().min(1).max(200),
        backend: Backend.default('engine'),
        /** Phase order; omitted: the whole workload (batch repetitions summed over phases). */
        phase: z.number().int().positive().optional(),
        measure: z.enum(MEASURES).default('wall_ms'),
        /** Flag points whose standardized residual exceeds k. */
        flagK: z.number().positive().max(100).default(3),
        /** runs: every run is a point; median / min: one point per scale. */
        summary: z.enum(SUMMARIES).default('runs'),
      }),
    )
    .output(CostModelOut)
    .mutation(async ({ ctx, input }) => {
      const m = await fitCostModel(ctx.db.prisma, { workspaceId: ctx.principal.workspaceId, workload: input.workload, backend: input.backend, phase: input.phase ?? null, measure: input.measure }, input.flagK, input.summary).catch(asBadRequest);
      return describeCostModel(ctx.db.prisma, m);
    }),

  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/cost-models', tags: ['cost models'], summary: 'Fitted models of the workspace and the built-in ones', protect: true } })
    .input(z.object({}).optional())
    .output(z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), description: z.string(), builtIn: z.boolean(), measure: z.string().nullable(), backend: z.string().nullable(), r2: Nullable, n: Nullable, updatedAt: z.string() })))
    .query(async ({ ctx }) => {
      const rows = await ctx.db.prisma.costModel.findMany({ where: { OR: [{ workspaceId: ctx.principal.workspaceId }, { workspaceId: null }] }, orderBy: { name: 'asc' } });
      return rows.map((m) => {
        const p = m.params as { r2?: number; n?: number };
        return { id: m.id, name: m.name, kind: m.kind, description: m.description, builtIn: m.workspaceId === null, measure: m.measure, backend: m.backend, r2: m.kind === 'linear-fit' ? (p.r2 ?? null) : null, n: m.kind === 'linear-fit' ? (p.n ?? null) : null, updatedAt: m.updatedAt.toISOString() };
      });
    }),

  // Before `get`: trpc-to-openapi matches paths in definition order.
  scaling: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/cost-models/scaling', tags: ['cost models'], summary: 'Parallel scaling: runs of a phase grouped by partition count (job params.partitions), speedup and efficiency', protect: true } })
    .input(z.object({ workload: z.string().min(1).max(200), phase: z.coerce.number().int().positive(), backend: Backend.default('engine'), rows: z.coerce.number().int().positive().optional() }))
    .output(z.object({ rows: z.array(z.object({ partitions: z.number(), runs: z.number(), medianMs: z.number(), speedup: z.number(), efficiency: z.number() })), points: z.array(z.object({ runId: z.string(), partitions: z.number(), wallMs: z.number(), rows: Nullable })) }))
    .query(async ({ ctx, input }) => {
      const w = await ctx.db.prisma.workload.findUnique({ where: { catalogKey: input.workload }, include: { phases: true } });
      if (!w) throw notFound('workload', input.workload);
      const phase = w.phases.find((p) => p.order === input.phase);
      if (!phase) throw badRequest(`phase: workload "${input.workload}" has no phase ${input.phase}`);
      const runs = await ctx.db.prisma.run.findMany({
        where: { workspaceId: ctx.principal.workspaceId, phaseId: phase.id, backend: input.backend, ...(input.rows ? { rowsScale: BigInt(input.rows) } : {}) },
        select: { id: true, wallMs: true, rowsScale: true, machine: true, job: { select: { params: true } } },
      });
      // The partitions the engine ran with (recorded by the runner), else what the job asked for.
      const partitionsOf = (r: (typeof runs)[number]) =>
        Number((r.machine as { enginePartitions?: unknown } | null)?.enginePartitions ?? (r.job?.params as { partitions?: unknown } | undefined)?.partitions ?? 1);
      const points = runs
        .map((r) => ({ runId: r.id, partitions: partitionsOf(r), wallMs: r.wallMs, rows: r.rowsScale === null ? null : Number(r.rowsScale) }))
        .filter((p) => Number.isInteger(p.partitions) && p.partitions > 0);
      return { rows: parallelScaling(points), points };
    }),

  get: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/cost-models/{id}', tags: ['cost models'], summary: 'A cost model: coefficients, R², residuals, scales, the fitted line and band, predictions against actual runs, flagged runs', protect: true } })
    .input(z.object({ id: z.uuid() }))
    .output(CostModelOut)
    .query(async ({ ctx, input }) => describeCostModel(ctx.db.prisma, await loadModel(ctx, input.id))),

  predict: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/cost-models/{id}/predict', tags: ['cost models'], summary: 'Predict at a scale with a prediction interval; kept so the actual run can be set beside it', protect: true } })
    .input(z.object({ id: z.uuid(), rows: z.number().int().positive().max(1e15), level: z.number().gt(0.5).lt(1).default(0.95), record: z.boolean().default(true) }))
    .output(z.object({ id: z.string().nullable(), rows: z.number(), predicted: z.number(), lower: Nullable, upper: Nullable, level: z.number() }))
    .mutation(async ({ ctx, input }) => {
      const m = await loadModel(ctx, input.id);
      if (m.workspaceId === null && input.record) throw badRequest('record: predictions of built-in models are not kept; pass record: false');
      return predictCostModel(ctx.db.prisma, m, input.rows, input.level, input.record).catch(asBadRequest);
    }),
});
