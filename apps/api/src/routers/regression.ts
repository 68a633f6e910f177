/** Regressions found by the rule (regression-detect.ts), listed as alerts that can be acknowledged. */
import type { Regression } from '@prisma/client';
import { z } from 'zod';
import { notFound, protectedProcedure, router } from '../trpc.js';

const Severity = z.enum(['minor', 'major', 'critical']);

const RegressionOut = z.object({
  id: z.string(),
  seriesKey: z.string(),
  measure: z.string(),
  severity: z.string(),
  baselineMedian: z.number(),
  contenderMedian: z.number(),
  changePct: z.number(),
  baselineMean: z.number(),
  baselineStdev: z.number(),
  baselineBatches: z.number(),
  zScore: z.number(),
  pValue: z.number().nullable(),
  rule: z.unknown(),
  runId: z.string(),
  contenderRunIds: z.array(z.string()),
  baselineRunIds: z.array(z.string()),
  batchId: z.string().nullable(),
  detectedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedNote: z.string().nullable(),
});

const regressionOut = (r: Regression): z.infer<typeof RegressionOut> => ({
  id: r.id,
  seriesKey: r.seriesKey,
  measure: r.measure,
  severity: r.severity,
  baselineMedian: r.baselineMedian,
  contenderMedian: r.contenderMedian,
  changePct: r.changePct,
  baselineMean: r.baselineMean,
  baselineStdev: r.baselineStdev,
  baselineBatches: r.baselineN,
  zScore: r.zScore,
  pValue: r.pValue,
  rule: r.rule,
  runId: r.runId,
  contenderRunIds: r.contenderRunIds,
  baselineRunIds: r.baselineRunIds,
  batchId: r.batchId,
  detectedAt: r.detectedAt.toISOString(),
  acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
  acknowledgedNote: r.acknowledgedNote,
});

export const regressionRouter = router({
  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/regressions', tags: ['regressions'], summary: 'Regression alerts, newest first (unacknowledged only by default)', protect: true } })
    .input(
      z.object({
        acknowledged: z.enum(['true', 'false', 'all']).default('false'),
        severity: Severity.optional(),
        series: z.string().max(500).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    )
    .output(z.array(RegressionOut))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.prisma.regression.findMany({
        where: {
          workspaceId: ctx.principal.workspaceId,
          ...(input.acknowledged === 'all' ? {} : { acknowledgedAt: input.acknowledged === 'true' ? { not: null } : null }),
          ...(input.severity ? { severity: input.severity } : {}),
          ...(input.series ? { seriesKey: input.series } : {}),
        },
        orderBy: { detectedAt: 'desc' },
        take: input.limit,
      });
      return rows.map(regressionOut);
    }),

  get: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/regressions/{id}', tags: ['regressions'], summary: 'One regression with the runs it rests on', protect: true } })
    .input(z.object({ id: z.uuid() }))
    .output(RegressionOut)
    .query(async ({ ctx, input }) => {
      const r = await ctx.db.prisma.regression.findFirst({ where: { id: input.id, workspaceId: ctx.principal.workspaceId } });
      if (!r) throw notFound('regression', input.id);
      return regressionOut(r);
    }),

  acknowledge: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/regressions/{id}/acknowledge', tags: ['regressions'], summary: 'Acknowledge an alert (optionally with a note: expected, fixed in …)', protect: true } })
    .input(z.object({ id: z.uuid(), note: z.string().max(2000).optional() }))
    .output(RegressionOut)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.db.prisma.regression.findFirst({ where: { id: input.id, workspaceId: ctx.principal.workspaceId } });
      if (!r) throw notFound('regression', input.id);
      const updated = await ctx.db.prisma.regression.update({ where: { id: r.id }, data: { acknowledgedAt: r.acknowledgedAt ?? new Date(), acknowledgedNote: input.note ?? r.acknowledgedNote } });
      return regressionOut(updated);
    }),
});
