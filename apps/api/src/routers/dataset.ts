import path from 'node:path';
import { TRPCError, tracked } from '@trpc/server';
import { DATASET_NAMES, MAX_ROWS } from '@phaselab/workloads';
import { z } from 'zod';
import { DatasetExistsError, createGeneration, type DatasetProgress } from '../datasets/store.js';
import { DatasetOut, datasetOut } from '../dto.js';
import { config } from '../env.js';
import { DATASET_CHANNEL, type DatasetEvent } from '../queue/notify.js';
import { notFound, protectedProcedure, router } from '../trpc.js';

const Name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'letters, digits, "_", "-" and "." (it names a directory), up to 100 characters')
  .refine((n) => !n.includes('..'), 'must not contain ".."');

const GenerateInput = z.object({
  name: Name,
  /** A generator of packages/workloads. */
  generator: z.enum(DATASET_NAMES as [string, ...string[]]),
  /** Rows of the fact table (transactions / plays / l40s_sales_large / salary). */
  rows: z.number().int().min(1).max(MAX_ROWS),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  format: z.enum(['parquet', 'arrow', 'csv']).default('parquet'),
});

const TERMINAL = ['ready', 'failed'];

/**
 * dataset.progress emits (tracked, SSE) the dataset's state first, then every change until it is
 * ready or failed:
 *
 *   { id, name, status: 'pending' | 'generating' | 'ready' | 'failed', error: string | null,
 *     progress: { stage: 'queued' | 'starting' | 'generating' | 'done' | 'failed',
 *                 rowsWritten, totalRows?, percent?, table?, tableIndex?, tableCount? } | null }
 *
 * rowsWritten and totalRows count every table of the dataset (dimension tables too); percent stays
 * below 100 until the manifest is written and the dataset is ready.
 */
export type DatasetProgressEvent = { id: string; name: string; status: string; progress: DatasetProgress | null; error: string | null };

export const datasetRouter = router({
  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/datasets', tags: ['datasets'], summary: 'Datasets of the workspace', protect: true } })
    .input(z.object({}).optional())
    .output(z.array(DatasetOut))
    .query(async ({ ctx }) => {
      const rows = await ctx.db.prisma.dataset.findMany({ where: { workspaceId: ctx.principal.workspaceId }, orderBy: { name: 'asc' } });
      return rows.map(datasetOut);
    }),
  get: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/datasets/{name}', tags: ['datasets'], summary: 'One dataset by name', protect: true } })
    .input(z.object({ name: z.string().min(1).max(200) }))
    .output(DatasetOut)
    .query(async ({ ctx, input }) => {
      const d = await ctx.db.prisma.dataset.findUnique({ where: { workspaceId_name: { workspaceId: ctx.principal.workspaceId, name: input.name } } });
      if (!d) throw notFound('dataset', input.name);
      return datasetOut(d);
    }),

  /**
   * Queues a generation with a packages/workloads generator; a worker writes the files under
   * <PHASELAB_DATA_DIR>/<workspace>/<name>/ and the dataset goes pending → generating → ready | failed
   * (error says why). A failed dataset of the same name is generated again; any other name clash is 409.
   */
  generate: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/datasets', tags: ['datasets'], summary: 'Generate a dataset (a job run by the workers)', protect: true } })
    .input(GenerateInput)
    .output(DatasetOut)
    .mutation(async ({ ctx, input }) => {
      const workspace = await ctx.db.prisma.workspace.findUniqueOrThrow({ where: { id: ctx.principal.workspaceId }, select: { slug: true } });
      const id = await createGeneration(ctx.db.pool, ctx.boss, {
        workspaceId: ctx.principal.workspaceId,
        name: input.name,
        generator: input.generator,
        rows: input.rows,
        seed: input.seed,
        format: input.format,
        directory: path.join(config.dataDir, workspace.slug, input.name),
        timeoutMs: config.datasetTimeoutMs,
      }).catch((err: unknown) => {
        throw err instanceof DatasetExistsError ? new TRPCError({ code: 'CONFLICT', message: err.message }) : err;
      });
      return datasetOut(await ctx.db.prisma.dataset.findUniqueOrThrow({ where: { id } }));
    }),

  /** Generation progress over SSE (see DatasetProgressEvent above), by dataset name. */
  progress: protectedProcedure.input(z.object({ name: z.string().min(1).max(200) })).subscription(async function* ({ ctx, input, signal }) {
    const workspaceId = ctx.principal.workspaceId;
    const snapshot = async (): Promise<DatasetProgressEvent> => {
      const d = await ctx.db.prisma.dataset.findUnique({ where: { workspaceId_name: { workspaceId, name: input.name } }, select: { id: true, name: true, status: true, progress: true, error: true } });
      if (!d) throw notFound('dataset', input.name);
      return { id: d.id, name: d.name, status: d.status, progress: d.progress as DatasetProgress | null, error: d.error };
    };
    const first = await snapshot();
    const queue: (DatasetEvent | 'reconnected')[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = await ctx.events.subscribeTo(DATASET_CHANNEL, first.id, (e) => {
      queue.push(e);
      wake?.();
    });
    signal?.addEventListener('abort', () => wake?.(), { once: true });
    try {
      let seq = 0;
      // Re-read after subscribing: a change between the first read and LISTEN is not lost.
      let current = await snapshot();
      yield tracked(String(seq++), current);
      while (!TERMINAL.includes(current.status) && !signal?.aborted) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        const e = queue.shift()!;
        if (e === 'reconnected') current = await snapshot();
        else if (e.workspaceId !== workspaceId) continue;
        else current = { id: e.id, name: e.name, status: e.status, progress: e.progress as DatasetProgress | null, error: e.error };
        yield tracked(String(seq++), current);
      }
    } finally {
      unsubscribe();
    }
  }),
});
