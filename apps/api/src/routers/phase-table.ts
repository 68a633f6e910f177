/** phase.table: the phase table of a workload (seed 000's table) computed from stored runs. */
import { z } from 'zod';
import { phaseTable } from '../analysis/phase-table.js';
import { Backend } from '../dto.js';
import { notFound, protectedProcedure } from '../trpc.js';

const PhaseRowOut = z.object({
  phaseId: z.string(),
  order: z.number(),
  phase: z.string(),
  optimization: z.string(),
  runs: z.number(),
  medianMs: z.number().nullable(),
  minMs: z.number().nullable(),
  maxMs: z.number().nullable(),
  medianPeakMemoryBytes: z.number().nullable(),
  speedupVsBaseline: z.number().nullable(),
  speedupVsPrevious: z.number().nullable(),
});

export const phaseTableProcedure = protectedProcedure
  .meta({ openapi: { method: 'GET', path: '/phases/table', tags: ['workloads'], summary: 'Phase table of a workload: median time per phase, speedup against the baseline phase, what changed', protect: true } })
  .input(
    z.object({
      workload: z.string().min(1).max(200),
      backend: Backend.default('engine'),
      /** Dataset scale in rows; default: the scale with the most runs. */
      rows: z.coerce.number().int().positive().optional(),
      /** Phase order the speedups are measured against (default: the first phase). */
      baseline: z.coerce.number().int().positive().optional(),
    }),
  )
  .output(
    z.object({
      workload: z.string(),
      backend: Backend,
      rows: z.number().nullable(),
      scales: z.array(z.object({ rows: z.number(), runs: z.number() })),
      phases: z.array(PhaseRowOut),
    }),
  )
  .query(async ({ ctx, input }) => {
    const w = await ctx.db.prisma.workload.findUnique({ where: { catalogKey: input.workload }, include: { phases: { orderBy: { order: 'asc' } } } });
    if (!w) throw notFound('workload', input.workload);
    const where = { workspaceId: ctx.principal.workspaceId, backend: input.backend, phaseId: { in: w.phases.map((p) => p.id) } };
    const scales = await ctx.db.prisma.run.groupBy({ by: ['rowsScale'], where: { ...where, rowsScale: { not: null } }, _count: { _all: true } });
    const scaleRows = scales.map((s) => ({ rows: Number(s.rowsScale), runs: s._count._all })).sort((a, b) => a.rows - b.rows);
    const rows = input.rows ?? [...scaleRows].sort((a, b) => b.runs - a.runs || b.rows - a.rows)[0]?.rows ?? null;
    const runs = rows === null ? [] : await ctx.db.prisma.run.findMany({ where: { ...where, rowsScale: BigInt(rows) }, select: { phaseId: true, wallMs: true, peakMemoryBytes: true } });
    return {
      workload: w.catalogKey,
      backend: input.backend,
      rows,
      scales: scaleRows,
      phases: phaseTable(
        w.phases,
        runs.map((r) => ({ phaseId: r.phaseId!, wallMs: r.wallMs, peakMemoryBytes: Number(r.peakMemoryBytes) })),
        input.baseline,
      ),
    };
  });
