/** Cron schedules of regression runs: workload × backends × scale × runs per firing, fired by the workers. */
import type { Schedule, Workload } from '@prisma/client';
import { z } from 'zod';
import { DEFAULT_RULE } from '../analysis/regression-detect.js';
import { Backend } from '../dto.js';
import { CronError, nextOccurrence, validateCron } from '../schedules/cron.js';
import { fireSchedule } from '../schedules/fire.js';
import { badRequest, notFound, protectedProcedure, router, type Context } from '../trpc.js';

const RuleInput = z
  .object({
    window: z.number().int().min(1).max(100),
    minBaselineBatches: z.number().int().min(1).max(100),
    thresholdPct: z.number().min(0).max(1000),
    zThreshold: z.number().min(0).max(100),
    alpha: z.number().gt(0).lt(1),
    noiseFloorPct: z.number().min(0).max(100),
    minContenderRuns: z.number().int().min(1).max(100),
    majorPct: z.number().min(0).max(10_000),
    criticalPct: z.number().min(0).max(10_000),
  })
  .partial()
  .strict();

const ScheduleOut = z.object({
  id: z.string(),
  name: z.string(),
  workload: z.string(),
  cron: z.string(),
  timezone: z.string(),
  backends: z.array(Backend),
  rows: z.number(),
  runsPerFiring: z.number(),
  enabled: z.boolean(),
  rule: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  lastRunAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
});

const scheduleOut = (s: Schedule & { workload: Workload }): z.infer<typeof ScheduleOut> => {
  let next: string | null = null;
  try {
    next = s.enabled ? nextOccurrence(s.cron, s.timezone, new Date()).toISOString() : null;
  } catch {
    next = null;
  }
  return {
    id: s.id,
    name: s.name,
    workload: s.workload.catalogKey,
    cron: s.cron,
    timezone: s.timezone,
    backends: s.backends,
    rows: Number(s.scale),
    runsPerFiring: s.runsPerFiring,
    enabled: s.enabled,
    rule: { ...DEFAULT_RULE, ...(s.rule as object) },
    createdAt: s.createdAt.toISOString(),
    lastRunAt: s.lastRunAt?.toISOString() ?? null,
    nextRunAt: next,
  };
};

type Authed = Context & { principal: { workspaceId: string } };

async function load(ctx: Authed, id: string) {
  const s = await ctx.db.prisma.schedule.findFirst({ where: { id, workspaceId: ctx.principal.workspaceId }, include: { workload: true } });
  if (!s) throw notFound('schedule', id);
  return s;
}

function checkCron(cron: string, timezone: string) {
  try {
    validateCron(cron, timezone);
  } catch (err) {
    if (err instanceof CronError) throw badRequest(err.message);
    throw err;
  }
}

const Fields = z.object({
  name: z.string().max(200).default(''),
  cron: z.string().trim().min(1).max(200),
  timezone: z.string().min(1).max(100).default('UTC'),
  backends: z.array(Backend).min(1).max(3),
  rows: z.number().int().positive().max(1e10),
  runsPerFiring: z.number().int().min(1).max(50).default(3),
  enabled: z.boolean().default(true),
  rule: RuleInput.default({}),
});

const BatchOut = z.object({
  id: z.string(),
  source: z.string(),
  status: z.string(),
  backend: Backend,
  rows: z.number(),
  repetitions: z.number(),
  jobs: z.number(),
  runs: z.number(),
  regressions: z.number(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const scheduleRouter = router({
  create: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/schedules', tags: ['regressions'], summary: 'Create a cron schedule of regression runs', protect: true } })
    .input(Fields.extend({ workload: z.string().min(1).max(200) }))
    .output(ScheduleOut)
    .mutation(async ({ ctx, input }) => {
      checkCron(input.cron, input.timezone);
      const w = await ctx.db.prisma.workload.findUnique({ where: { catalogKey: input.workload } });
      if (!w) throw badRequest(`workload: "${input.workload}" is not in the catalog`);
      const s = await ctx.db.prisma.schedule.create({
        data: {
          workspaceId: ctx.principal.workspaceId,
          workloadId: w.id,
          name: input.name,
          cron: input.cron,
          timezone: input.timezone,
          backends: [...new Set(input.backends)],
          scale: BigInt(input.rows),
          runsPerFiring: input.runsPerFiring,
          enabled: input.enabled,
          rule: input.rule,
        },
        include: { workload: true },
      });
      return scheduleOut(s);
    }),

  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/schedules', tags: ['regressions'], summary: 'Schedules of the workspace', protect: true } })
    .input(z.object({}).optional())
    .output(z.array(ScheduleOut))
    .query(async ({ ctx }) => {
      const rows = await ctx.db.prisma.schedule.findMany({ where: { workspaceId: ctx.principal.workspaceId }, include: { workload: true }, orderBy: { createdAt: 'asc' } });
      return rows.map(scheduleOut);
    }),

  get: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/schedules/{id}', tags: ['regressions'], summary: 'A schedule and its recent batches', protect: true } })
    .input(z.object({ id: z.uuid() }))
    .output(ScheduleOut.extend({ batches: z.array(BatchOut) }))
    .query(async ({ ctx, input }) => {
      const s = await load(ctx, input.id);
      const batches = await ctx.db.prisma.benchmarkBatch.findMany({
        where: { scheduleId: s.id },
        orderBy: { createdAt: 'desc' },
        take: 50,
        include: { _count: { select: { runs: true, regressions: true } } },
      });
      return {
        ...scheduleOut(s),
        batches: batches.map((b) => ({
          id: b.id,
          source: b.source,
          status: b.status,
          backend: b.backend,
          rows: Number(b.rowsScale),
          repetitions: b.repetitions,
          jobs: b.jobIds.length,
          runs: b._count.runs,
          regressions: b._count.regressions,
          error: b.error,
          createdAt: b.createdAt.toISOString(),
          finishedAt: b.finishedAt?.toISOString() ?? null,
        })),
      };
    }),

  update: protectedProcedure
    .meta({ openapi: { method: 'PATCH', path: '/schedules/{id}', tags: ['regressions'], summary: 'Change a schedule (cron, backends, scale, runs, rule, enabled)', protect: true } })
    .input(
      z.object({
        id: z.uuid(),
        name: z.string().max(200).optional(),
        cron: z.string().trim().min(1).max(200).optional(),
        timezone: z.string().min(1).max(100).optional(),
        backends: z.array(Backend).min(1).max(3).optional(),
        rows: z.number().int().positive().max(1e10).optional(),
        runsPerFiring: z.number().int().min(1).max(50).optional(),
        enabled: z.boolean().optional(),
        rule: RuleInput.optional(),
      }),
    )
    .output(ScheduleOut)
    .mutation(async ({ ctx, input }) => {
      const s = await load(ctx, input.id);
      checkCron(input.cron ?? s.cron, input.timezone ?? s.timezone);
      const updated = await ctx.db.prisma.schedule.update({
        where: { id: s.id },
        data: {
          name: input.name,
          cron: input.cron,
          timezone: input.timezone,
          backends: input.backends ? [...new Set(input.backends)] : undefined,
          scale: input.rows !== undefined ? BigInt(input.rows) : undefined,
          runsPerFiring: input.runsPerFiring,
          enabled: input.enabled,
          rule: input.rule,
        },
        include: { workload: true },
      });
      return scheduleOut(updated);
    }),

  delete: protectedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/schedules/{id}', tags: ['regressions'], summary: 'Delete a schedule (its batches and regressions stay)', protect: true } })
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ id: z.string(), deleted: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const s = await load(ctx, input.id);
      await ctx.db.prisma.schedule.delete({ where: { id: s.id } });
      return { id: s.id, deleted: true };
    }),

  fire: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/schedules/{id}/fire', tags: ['regressions'], summary: 'Fire a schedule now (queues its jobs; a worker analyzes the batch when they end)', protect: true } })
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ scheduleId: z.string(), batchIds: z.array(z.string()), jobIds: z.array(z.string()) }))
    .mutation(async ({ ctx, input }) => {
      const s = await load(ctx, input.id);
      return fireSchedule(ctx.db, ctx.boss, s.id);
    }),
});
