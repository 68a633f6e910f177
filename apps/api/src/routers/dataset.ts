import { z } from 'zod';
import { DatasetOut, datasetOut } from '../dto.js';
import { notFound, protectedProcedure, router } from '../trpc.js';

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
});
