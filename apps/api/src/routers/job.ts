import { tracked } from '@trpc/server';
import { z } from 'zod';
import { config } from '../env.js';
import { Backend, JobOut, JobStatus, JobSummaryOut, jobOut, jobSummaryOut, runOut } from '../dto.js';
import { cancelJob, insertJob, TERMINAL, type JobStatus as Status } from '../jobs/store.js';
import type { JobEvent } from '../queue/notify.js';
import { badRequest, notFound, protectedProcedure, router, type Context } from '../trpc.js';

const AVAILABLE_BACKENDS = new Set(['engine', 'postgres', 'pgstrom']);

const SubmitInput = z.object({
  sql: z.string().trim().min(1, 'must not be empty').max(100_000),
  backend: Backend.default('engine'),
  dataset: z.string().min(1).max(200).optional(),
  phaseId: z.uuid().optional(),
  /** Free-form parameters kept with the job; `partitions` (1-64) sets the engine's worker-thread partitions. */
  params: z
    .record(z.string(), z.unknown())
    .refine((p) => p.partitions === undefined || (Number.isInteger(p.partitions) && (p.partitions as number) >= 1 && (p.partitions as number) <= 64), {
      message: 'params.partitions must be an integer from 1 to 64',
      path: ['partitions'],
    })
    .optional(),
  timeoutMs: z.number().int().min(100).max(24 * 3600 * 1000).optional(),
  memoryLimitMb: z.number().int().min(64).max(1024 * 1024).optional(),
  maxAttempts: z.number().int().min(1).max(10).optional(),
});

const include = { dataset: { select: { name: true } }, run: { select: { id: true } } } as const;

async function loadJob(ctx: Context & { principal: { workspaceId: string } }, id: string) {
  const job = await ctx.db.prisma.job.findFirst({ where: { id, workspaceId: ctx.principal.workspaceId }, include });
  if (!job) throw notFound('job', id);
  const run = job.run
    ? await ctx.db.prisma.run.findUnique({ where: { id: job.run.id }, include: { dataset: { select: { name: true } }, operators: true, stages: true } })
    : null;
  return jobOut(job, run ? runOut(run) : null);
}

export const jobRouter = router({
  submit: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/jobs', tags: ['jobs'], summary: 'Submit SQL to run on a backend against a dataset', protect: true } })
    .input(SubmitInput)
    .output(z.object({ id: z.string(), status: JobStatus }))
    .mutation(async ({ ctx, input }) => {
      if (!AVAILABLE_BACKENDS.has(input.backend)) throw badRequest(`backend "${input.backend}" is not available yet`);
      const workspaceId = ctx.principal.workspaceId;
      let datasetId: string | null = null;
      if (input.dataset) {
        const d = await ctx.db.prisma.dataset.findUnique({ where: { workspaceId_name: { workspaceId, name: input.dataset } }, select: { id: true, status: true } });
        if (!d) throw badRequest(`dataset: "${input.dataset}" does not exist in this workspace`);
        if (d.status !== 'ready') throw badRequest(`dataset: "${input.dataset}" is ${d.status}, not ready`);
        datasetId = d.id;
      }
      if (input.phaseId && !(await ctx.db.prisma.phase.findUnique({ where: { id: input.phaseId }, select: { id: true } }))) {
        throw badRequest(`phaseId: phase ${input.phaseId} does not exist`);
      }
      const id = await insertJob(ctx.db.pool, ctx.boss, {
        workspaceId,
        backend: input.backend,
        sql: input.sql,
        datasetId,
        phaseId: input.phaseId ?? null,
        params: input.params ?? {},
        timeoutMs: input.timeoutMs ?? config.jobTimeoutMs,
        memoryLimitBytes: input.memoryLimitMb ? input.memoryLimitMb * 1024 * 1024 : null,
        maxAttempts: input.maxAttempts ?? 2,
      });
      return { id, status: 'queued' as const };
    }),

  get: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/jobs/{id}', tags: ['jobs'], summary: 'A job: status, progress, error, run metrics and the first 100 rows', protect: true } })
    .input(z.object({ id: z.uuid() }))
    .output(JobOut)
    .query(({ ctx, input }) => loadJob(ctx, input.id)),

  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/jobs', tags: ['jobs'], summary: 'Recent jobs of the workspace', protect: true } })
    .input(z.object({ status: JobStatus.optional(), limit: z.number().int().min(1).max(500).default(50) }))
    .output(z.array(JobSummaryOut))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.prisma.job.findMany({
        where: { workspaceId: ctx.principal.workspaceId, ...(input.status ? { status: input.status } : {}) },
        include,
        orderBy: { createdAt: 'desc' },
        take: input.limit,
      });
      return rows.map(jobSummaryOut);
    }),

  cancel: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/jobs/{id}/cancel', tags: ['jobs'], summary: 'Cancel a queued or running job', protect: true } })
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ id: z.string(), status: JobStatus }))
    .mutation(async ({ ctx, input }) => {
      const status = await cancelJob(ctx.db.pool, ctx.boss, ctx.principal.workspaceId, input.id);
      if (status === null) throw notFound('job', input.id);
      return { id: input.id, status };
    }),

  /** Progress over SSE (tRPC httpSubscriptionLink): the current state, then every change, until the job ends. */
  progress: protectedProcedure.input(z.object({ id: z.uuid() })).subscription(async function* ({ ctx, input, signal }) {
    const workspaceId = ctx.principal.workspaceId;
    const queue: (JobEvent | 'reconnected')[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = await ctx.events.subscribe(input.id, (e) => {
      queue.push(e);
      wake?.();
    });
    type State = { id: string; status: Status; progress: unknown; error: string | null };
    const snapshot = async (): Promise<State> => {
      const j = await ctx.db.prisma.job.findFirst({ where: { id: input.id, workspaceId }, select: { id: true, status: true, progress: true, error: true } });
      if (!j) throw notFound('job', input.id);
      return { id: j.id, status: j.status as Status, progress: j.progress, error: j.error };
    };
    try {
      let seq = 0;
      let current: State = await snapshot();
      yield tracked(String(seq++), current);
      while (!TERMINAL.includes(current.status) && !signal?.aborted) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            signal?.addEventListener('abort', () => resolve(), { once: true });
          });
          wake = null;
          continue;
        }
        const e = queue.shift()!;
        if (e === 'reconnected') current = await snapshot();
        else if (e.workspaceId !== workspaceId) continue;
        else current = { id: e.id, status: e.status as Status, progress: e.progress, error: e.error };
        yield tracked(String(seq++), current);
      }
    } finally {
      unsubscribe();
    }
  }),
});
