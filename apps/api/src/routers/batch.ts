/**
 * batch.record: K repetitions of a workload's phases measured elsewhere (a CI job running the bench
 * harness with --post) and already stored as runs, grouped into one benchmark batch and analyzed at
 * once against the series' baseline window — the same rule a schedule firing or `npm run regress`
 * applies, for runs that did not go through the workers.
 */
import { z } from 'zod';
import { analyzeBatch } from '../schedules/batches.js';
import { Backend } from '../dto.js';
import { badRequest, protectedProcedure, router } from '../trpc.js';

const Nullable = z.number().nullable();

export const batchRouter = router({
  record: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/batches', tags: ['regressions'], summary: 'Group stored runs (K repetitions of the phases) into a batch and analyze it against the baseline window', protect: true } })
    .input(
      z.object({
        workload: z.string().min(1).max(200),
        backend: Backend.default('engine'),
        rows: z.number().int().positive().max(1e15),
        runs: z.array(z.object({ runId: z.uuid(), repetition: z.number().int().min(1).max(1000) })).min(1).max(5000),
      }),
    )
    .output(
      z.object({
        batchId: z.string(),
        regressions: z.number(),
        comparisons: z.array(
          z.object({
            phaseOrder: z.number(),
            phase: z.string(),
            seriesKey: z.string(),
            verdict: z.string(),
            severity: z.string().nullable(),
            baselineBatches: z.number(),
            baselineMedian: Nullable,
            contenderMedian: z.number(),
            changePct: Nullable,
            z: Nullable,
            pValue: Nullable,
            regressionId: z.string().nullable(),
          }),
        ),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const prisma = ctx.db.prisma;
      const w = await prisma.workload.findUnique({ where: { catalogKey: input.workload }, include: { phases: true } });
      if (!w) throw badRequest(`workload: "${input.workload}" is not in the catalog`);
      const ids = [...new Set(input.runs.map((r) => r.runId))];
      if (ids.length !== input.runs.length) throw badRequest('runs: a run appears twice');
      const runs = await prisma.run.findMany({ where: { id: { in: ids }, workspaceId: ctx.principal.workspaceId }, select: { id: true, phaseId: true, backend: true, rowsScale: true } });
      const phaseIds = new Set(w.phases.map((p) => p.id));
      for (const id of ids) {
        const r = runs.find((x) => x.id === id);
        if (!r) throw badRequest(`runs: run ${id} not found in this workspace`);
        // A batch is one series: the workload's phases, one backend, one scale.
        if (!r.phaseId || !phaseIds.has(r.phaseId)) throw badRequest(`runs: run ${id} is not a run of a phase of "${input.workload}"`);
        if (r.backend !== input.backend) throw badRequest(`runs: run ${id} ran on ${r.backend}, not ${input.backend}`);
        if (r.rowsScale === null || Number(r.rowsScale) !== input.rows) throw badRequest(`runs: run ${id} was measured at ${r.rowsScale ?? 'no'} rows, not ${input.rows}`);
      }
      const batch = await prisma.benchmarkBatch.create({
        data: {
          workspaceId: ctx.principal.workspaceId,
          workloadId: w.id,
          backend: input.backend,
          rowsScale: BigInt(input.rows),
          repetitions: Math.max(...input.runs.map((r) => r.repetition)),
          source: 'api',
          status: 'running',
        },
      });
      await prisma.benchmarkBatchRun.createMany({ data: input.runs.map((r) => ({ batchId: batch.id, runId: r.runId, repetition: r.repetition })) });
      const a = await analyzeBatch(prisma, batch.id);
      return {
        batchId: a.batchId,
        regressions: a.regressions,
        comparisons: a.comparisons.map((c) => ({
          phaseOrder: c.phaseOrder,
          phase: c.phase,
          seriesKey: c.seriesKey,
          verdict: c.verdict,
          severity: c.severity,
          baselineBatches: c.baselineBatches,
          baselineMedian: c.baselineMedian,
          contenderMedian: c.contenderMedian,
          changePct: c.changePct,
          z: c.z,
          pValue: c.pValue,
          regressionId: c.regressionId,
        })),
      };
    }),
});
