import { z } from 'zod';
import { Backend, RunOut, RunSummaryOut, runOut, runSummaryOut } from '../dto.js';
import { RecordRunInput, recordExternalRun } from '../runs/external.js';
import { badField, FieldError, notFound, protectedProcedure, router } from '../trpc.js';

const withDataset = { dataset: { select: { name: true } } } as const;

const Ratio = z.object({ wallMs: z.number().nullable(), cpuMs: z.number().nullable(), peakMemoryBytes: z.number().nullable() });
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export const runRouter = router({
  /**
   * Stores a run measured outside the workers (`npm run bench -- --post URL`): engine and version,
   * dataset / workload / phase keys, scale, wall and CPU ms, peak memory, machine, and optionally
   * operators (flat, pre-order, with parentIndex), stages, EXPLAIN text and labels. Source "external".
   */
  record: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/runs', tags: ['runs'], summary: 'Record a run measured elsewhere (a benchmark on the engine or a peer)', protect: true } })
    .input(RecordRunInput)
    .output(RunOut)
    .mutation(async ({ ctx, input }) => {
      const id = await recordExternalRun(ctx.db, ctx.principal.workspaceId, input).catch((err: unknown) => {
        throw err instanceof FieldError ? badField(err) : err;
      });
      const r = await ctx.db.prisma.run.findUniqueOrThrow({ where: { id }, include: { ...withDataset, operators: true, stages: true } });
      return runOut(r);
    }),

  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/runs', tags: ['runs'], summary: 'Runs of the workspace, newest first, with filters', protect: true } })
    .input(
      z.object({
        backend: Backend.optional(),
        dataset: z.string().min(1).max(200).optional(),
        phaseId: z.uuid().optional(),
        jobId: z.uuid().optional(),
        limit: z.number().int().min(1).max(500).default(50),
      }),
    )
    .output(z.array(RunSummaryOut))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.prisma.run.findMany({
        where: {
          workspaceId: ctx.principal.workspaceId,
          ...(input.backend ? { backend: input.backend } : {}),
          ...(input.dataset ? { OR: [{ dataset: { name: input.dataset } }, { datasetKey: input.dataset }] } : {}),
          ...(input.phaseId ? { phaseId: input.phaseId } : {}),
          ...(input.jobId ? { jobId: input.jobId } : {}),
        },
        include: withDataset,
        orderBy: { createdAt: 'desc' },
        take: input.limit,
      });
      return rows.map(runSummaryOut);
    }),

  // Before `get`: trpc-to-openapi matches paths in definition order, and /runs/{id} would take "compare".
  compare: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/runs/compare', tags: ['runs'], summary: 'Two or more runs side by side, with ratios to the first', protect: true } })
    .input(z.object({ ids: z.array(z.uuid()).min(2).max(10) }))
    .output(
      z.object({
        baseline: z.string(),
        runs: z.array(RunOut.extend({ ratioToBaseline: Ratio })),
        stages: z.array(z.object({ stage: z.string(), wallMs: z.array(z.number().nullable()) })),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.prisma.run.findMany({
        where: { id: { in: input.ids }, workspaceId: ctx.principal.workspaceId },
        include: { ...withDataset, operators: true, stages: true },
      });
      const missing = input.ids.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length) throw notFound('run', missing.join(', '));
      const runs = input.ids.map((id) => runOut(rows.find((r) => r.id === id)!));
      const base = runs[0].metrics;
      const stageNames = [...new Set(runs.flatMap((r) => r.stages.map((s) => s.stage)))];
      return {
        baseline: runs[0].id,
        runs: runs.map((r) => ({
          ...r,
          ratioToBaseline: {
            wallMs: ratio(r.metrics.wallMs, base.wallMs),
            cpuMs: ratio(r.metrics.cpuMs, base.cpuMs),
            peakMemoryBytes: ratio(r.metrics.peakMemoryBytes, base.peakMemoryBytes),
          },
        })),
        stages: stageNames.map((stage) => ({ stage, wallMs: runs.map((r) => r.stages.find((s) => s.stage === stage)?.wallMs ?? null) })),
      };
    }),

  get: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/runs/{id}', tags: ['runs'], summary: 'One run with operator and stage metrics, plan and result preview', protect: true } })
    .input(z.object({ id: z.uuid() }))
    .output(RunOut)
    .query(async ({ ctx, input }) => {
      const r = await ctx.db.prisma.run.findFirst({
        where: { id: input.id, workspaceId: ctx.principal.workspaceId },
        include: { ...withDataset, operators: true, stages: true },
      });
      if (!r) throw notFound('run', input.id);
      return runOut(r);
    }),
});

