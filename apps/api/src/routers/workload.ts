import { z } from 'zod';
import { catalogDataset } from '../catalog.js';
import { PhaseOut, WorkloadOut, phaseOut, workloadOut } from '../dto.js';
import { notFound, protectedProcedure, router } from '../trpc.js';
import { phaseTableProcedure } from './phase-table.js';

export const workloadRouter = router({
  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/workloads', tags: ['workloads'], summary: 'The workload catalog with its phases', protect: true } })
    .input(z.object({}).optional())
    .output(z.array(WorkloadOut))
    .query(async ({ ctx }) => {
      const rows = await ctx.db.prisma.workload.findMany({ include: { phases: true }, orderBy: { catalogKey: 'asc' } });
      return rows.map((w) => workloadOut(w, catalogDataset(w.catalogKey)));
    }),
});

export const phaseRouter = router({
  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/phases', tags: ['workloads'], summary: 'Phases, optionally of one workload (by catalog key)', protect: true } })
    .input(z.object({ workload: z.string().min(1).max(200).optional() }))
    .output(z.array(PhaseOut))
    .query(async ({ ctx, input }) => {
      if (input.workload) {
        const w = await ctx.db.prisma.workload.findUnique({ where: { catalogKey: input.workload }, include: { phases: { orderBy: { order: 'asc' } } } });
        if (!w) throw notFound('workload', input.workload);
        return w.phases.map((p) => phaseOut(p, w.catalogKey));
      }
      const rows = await ctx.db.prisma.phase.findMany({ include: { workload: true }, orderBy: [{ workload: { catalogKey: 'asc' } }, { order: 'asc' }] });
      return rows.map((p) => phaseOut(p, p.workload.catalogKey));
    }),
  table: phaseTableProcedure,
});
