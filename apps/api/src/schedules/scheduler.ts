/**
 * The schedule clock, run by every worker: each tick it (1) claims the due occurrence of each enabled
 * schedule with a conditional UPDATE — the occurrence is recorded in `last_slot_at`, so it fires
 * once however many workers tick, and occurrences missed while no worker ran collapse into one
 * firing — and fires it; (2) analyzes the schedule batches whose jobs have all ended.
 */
import type PgBoss from 'pg-boss';
import type { Db } from '../db/client.js';
import { analyzeBatch, collectJobRuns } from './batches.js';
import { latestOccurrence } from './cron.js';
import { fireSchedule } from './fire.js';

export interface Scheduler {
  /** One pass, for tests and for the interval. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(db: Db, boss: PgBoss, opts: { intervalMs?: number; log?: (l: string) => void } = {}): Scheduler {
  const log = opts.log ?? (() => {});
  let running: Promise<void> | null = null;
  let stopped = false;

  const claimDue = async () => {
    const schedules = await db.prisma.schedule.findMany({ where: { enabled: true }, select: { id: true, cron: true, timezone: true, createdAt: true, lastSlotAt: true } });
    const now = new Date();
    for (const s of schedules) {
      let slot: Date;
      try {
        slot = latestOccurrence(s.cron, s.timezone, now);
      } catch (err) {
        log(`schedule ${s.id}: bad cron "${s.cron}": ${(err as Error).message}`);
        continue;
      }
      // An occurrence before the schedule existed is not one of its firings.
      if (slot < s.createdAt || (s.lastSlotAt && slot <= s.lastSlotAt)) continue;
      const claimed = await db.pool.query('UPDATE schedules SET last_slot_at = $2 WHERE id = $1 AND enabled AND (last_slot_at IS NULL OR last_slot_at < $2) RETURNING id', [s.id, slot]);
      if (claimed.rowCount !== 1) continue; // another worker took it
      await fireSchedule(db, boss, s.id, log).catch((err: Error) => log(`schedule ${s.id}: firing failed: ${err.message}`));
    }
  };

  const analyzeEnded = async () => {
    // A schedule batch is complete when none of its jobs is queued or running; claimed by one worker.
    const { rows } = await db.pool.query<{ id: string }>(
      `UPDATE benchmark_batches b SET status = 'analyzing'
        WHERE b.status = 'running' AND b.source = 'schedule' AND cardinality(b.job_ids) > 0
          AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = ANY (b.job_ids) AND j.status IN ('queued', 'running'))
        RETURNING b.id`,
    );
    for (const { id } of rows) {
      try {
        if ((await collectJobRuns(db.prisma, id)) === 0) throw new Error('no job of the batch recorded a run (see its jobs\' errors)');
        const a = await analyzeBatch(db.prisma, id);
        log(`batch ${id}: analyzed, ${a.regressions} regression(s)`);
      } catch (err) {
        log(`batch ${id}: analysis failed: ${(err as Error).message}`);
        await db.prisma.benchmarkBatch.update({ where: { id }, data: { status: 'failed', error: (err as Error).message, finishedAt: new Date() } }).catch(() => {});
      }
    }
  };

  const tick = () => {
    running ??= (async () => {
      try {
        await claimDue();
        await analyzeEnded();
      } catch (err) {
        log(`scheduler: ${(err as Error).message}`);
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const timer = setInterval(() => {
    if (!stopped) void tick();
  }, opts.intervalMs ?? 1000);
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running) await running;
    },
  };
}
