/**
 * One firing of a schedule: for each of its backends a BenchmarkBatch, and runsPerFiring × phases
 * jobs queued through pg-boss (the normal job path: child process, metrics, Run rows). The batch is
 * analyzed once all its jobs have ended (scheduler.ts).
 */
import path from 'node:path';
import type PgBoss from 'pg-boss';
import { catalogDataset } from '../catalog.js';
import type { Db } from '../db/client.js';
import { config } from '../env.js';
import { insertJob } from '../jobs/store.js';
import { ensureGenerated, registerDataset } from '../seed.js';

export interface Firing {
  scheduleId: string;
  batchIds: string[];
  jobIds: string[];
}

/** A ready dataset of the workload's generator at exactly `rows` rows, generated when the workspace has none. */
export async function datasetForScale(db: Db, workspaceId: string, generator: string, rows: bigint, log: (l: string) => void): Promise<{ id: string }> {
  const found = await db.prisma.dataset.findFirst({ where: { workspaceId, generator, rows, status: 'ready' }, orderBy: { createdAt: 'asc' }, select: { id: true } });
  if (found) return found;
  const ws = await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { slug: true } });
  const name = `${generator}-${rows}`;
  const dir = path.join(config.dataDir, ws.slug, name);
  const manifest = await ensureGenerated(generator, Number(rows), dir, log);
  return registerDataset(db.prisma, workspaceId, name, dir, manifest);
}

export async function fireSchedule(db: Db, boss: PgBoss, scheduleId: string, log: (l: string) => void = () => {}): Promise<Firing> {
  const s = await db.prisma.schedule.findUniqueOrThrow({ where: { id: scheduleId }, include: { workload: { include: { phases: { orderBy: { order: 'asc' } } } } } });
  const generator = catalogDataset(s.workload.catalogKey);
  if (!generator) throw new Error(`workload ${s.workload.catalogKey} is not in the catalog`);
  const dataset = await datasetForScale(db, s.workspaceId, generator, s.scale, log);
  const firing: Firing = { scheduleId, batchIds: [], jobIds: [] };
  for (const backend of s.backends) {
    const batch = await db.prisma.benchmarkBatch.create({
      data: { workspaceId: s.workspaceId, workloadId: s.workloadId, scheduleId: s.id, backend, rowsScale: s.scale, repetitions: s.runsPerFiring, source: 'schedule' },
    });
    const jobIds: string[] = [];
    for (let repetition = 1; repetition <= s.runsPerFiring; repetition++) {
      for (const phase of s.workload.phases) {
        if (!phase.sql) continue;
        jobIds.push(
          await insertJob(db.pool, boss, {
            workspaceId: s.workspaceId,
            backend,
            sql: phase.sql,
            datasetId: dataset.id,
            phaseId: phase.id,
            params: { batchId: batch.id, scheduleId: s.id, repetition },
            timeoutMs: config.jobTimeoutMs,
            memoryLimitBytes: null,
            // A retried run measures a different situation than the first attempt: a failure is recorded, not hidden.
            maxAttempts: 1,
          }),
        );
      }
    }
    await db.prisma.benchmarkBatch.update({ where: { id: batch.id }, data: { jobIds } });
    firing.batchIds.push(batch.id);
    firing.jobIds.push(...jobIds);
  }
  await db.prisma.schedule.update({ where: { id: s.id }, data: { lastRunAt: new Date() } });
  log(`schedule ${s.id}: fired ${firing.jobIds.length} jobs in ${firing.batchIds.length} batch(es)`);
  return firing;
}
