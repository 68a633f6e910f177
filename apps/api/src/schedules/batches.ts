/**
 * Benchmark batches in the store: K repeated runs of every phase of a workload at one scale on one
 * backend (a schedule firing or a `npm run regress` call), and their analysis: each phase's runs
 * are compared with the same phase's runs in the earlier batches of the series (regression-detect.ts),
 * and confirmed regressions become Regression rows.
 */
import type { PrismaClient } from '@prisma/client';
import { compareWithBaseline, resolveRule, type Comparison, type RegressionRule } from '../analysis/regression-detect.js';

export interface PhaseComparison extends Comparison {
  phaseId: string;
  phaseOrder: number;
  phase: string;
  seriesKey: string;
  contenderRunIds: string[];
  baselineRunIds: string[];
  regressionId: string | null;
}

export interface BatchAnalysis {
  batchId: string;
  workload: string;
  backend: string;
  rowsScale: number;
  comparisons: PhaseComparison[];
  regressions: number;
}

export const seriesKey = (workload: string, phaseOrder: number, backend: string, rows: number | bigint, host: string, measure = 'wall_ms') =>
  `${workload}/${phaseOrder}:${backend}:${rows}:${host}:${measure}`;

const hostOf = (machine: unknown): string => (machine && typeof machine === 'object' && typeof (machine as { hostname?: unknown }).hostname === 'string' ? (machine as { hostname: string }).hostname : 'unknown');

/** Links the runs of a schedule batch's finished jobs to the batch (their repetition is in the job params). */
export async function collectJobRuns(prisma: PrismaClient, batchId: string): Promise<number> {
  const batch = await prisma.benchmarkBatch.findUniqueOrThrow({ where: { id: batchId } });
  const jobs = await prisma.job.findMany({ where: { id: { in: batch.jobIds } }, select: { params: true, run: { select: { id: true } } } });
  const rows = jobs
    .filter((j) => j.run)
    .map((j) => ({ batchId, runId: j.run!.id, repetition: Number((j.params as { repetition?: number }).repetition ?? 1) }));
  if (rows.length) await prisma.benchmarkBatchRun.createMany({ data: rows, skipDuplicates: true });
  return rows.length;
}

/**
 * Compares the batch with the baseline window of its series (earlier analyzed batches) and stores
 * confirmed regressions. The caller makes sure one process analyzes a batch (scheduler.ts claims it).
 */
export async function analyzeBatch(prisma: PrismaClient, batchId: string, ruleOverrides?: Partial<RegressionRule> | null): Promise<BatchAnalysis> {
  const batch = await prisma.benchmarkBatch.findUniqueOrThrow({
    where: { id: batchId },
    include: { workload: { include: { phases: { orderBy: { order: 'asc' } } } }, schedule: { select: { rule: true } } },
  });
  const rule = resolveRule({ ...((batch.schedule?.rule as Partial<RegressionRule> | undefined) ?? {}), ...(ruleOverrides ?? {}) });
  const mine = await prisma.benchmarkBatchRun.findMany({ where: { batchId }, include: { run: { select: { id: true, phaseId: true, wallMs: true, machine: true } } } });
  const earlier = await prisma.benchmarkBatch.findMany({
    where: {
      workspaceId: batch.workspaceId,
      workloadId: batch.workloadId,
      backend: batch.backend,
      rowsScale: batch.rowsScale,
      status: 'analyzed',
      createdAt: { lt: batch.createdAt },
      id: { not: batch.id },
    },
    orderBy: { createdAt: 'desc' },
    take: rule.window,
    include: { runs: { include: { run: { select: { id: true, phaseId: true, wallMs: true, machine: true } } } } },
  });
  earlier.reverse(); // oldest first, as the rule expects

  const comparisons: PhaseComparison[] = [];
  let regressions = 0;
  for (const phase of batch.workload.phases) {
    const contender = mine.filter((m) => m.run.phaseId === phase.id).map((m) => m.run);
    if (contender.length === 0) continue;
    const host = hostOf(contender[0].machine);
    // Only runs on the same machine are comparable: another host is another series.
    const baselineBatches = earlier.map((b) => b.runs.map((r) => r.run).filter((r) => r.phaseId === phase.id && hostOf(r.machine) === host));
    const cmp = compareWithBaseline(
      baselineBatches.map((b) => b.map((r) => r.wallMs)),
      contender.map((r) => r.wallMs),
      rule,
    );
    const key = seriesKey(batch.workload.catalogKey, phase.order, batch.backend, batch.rowsScale, host);
    const used = baselineBatches.filter((b) => b.length > 0).slice(-rule.window);
    const out: PhaseComparison = {
      ...cmp,
      phaseId: phase.id,
      phaseOrder: phase.order,
      phase: phase.name,
      seriesKey: key,
      contenderRunIds: contender.map((r) => r.id),
      baselineRunIds: used.flat().map((r) => r.id),
      regressionId: null,
    };
    if (cmp.verdict === 'regression') {
      // The representative run: the contender run closest to the contender median.
      const rep = [...contender].sort((a, b) => Math.abs(a.wallMs - cmp.contenderMedian) - Math.abs(b.wallMs - cmp.contenderMedian))[0];
      const row = await prisma.regression.create({
        data: {
          workspaceId: batch.workspaceId,
          seriesKey: key,
          runId: rep.id,
          measure: 'wall_ms',
          value: cmp.contenderMedian,
          baselineMean: cmp.baselineMean ?? 0,
          baselineStdev: cmp.baselineStdev ?? 0,
          baselineN: cmp.baselineBatches,
          zScore: cmp.z ?? 0,
          severity: cmp.severity ?? 'minor',
          baselineMedian: cmp.baselineMedian ?? 0,
          contenderMedian: cmp.contenderMedian,
          changePct: cmp.changePct ?? 0,
          pValue: cmp.pValue,
          rule: { ...rule, checks: cmp.checks },
          contenderRunIds: out.contenderRunIds,
          baselineRunIds: out.baselineRunIds,
          batchId: batch.id,
        },
      });
      out.regressionId = row.id;
      regressions++;
    }
    comparisons.push(out);
  }
  await prisma.benchmarkBatch.update({ where: { id: batch.id }, data: { status: 'analyzed', finishedAt: new Date() } });
  return { batchId: batch.id, workload: batch.workload.catalogKey, backend: batch.backend, rowsScale: Number(batch.rowsScale), comparisons, regressions };
}
