/**
 * Job state transitions, as SQL on the pool: each is one statement guarded by the state it expects,
 * so an API cancel, a worker finishing and a reclaim racing each other cannot overwrite one another.
 *
 *   queued ──claim──▶ running ──finish──▶ succeeded | failed | cancelled
 *     │                  │ worker died: reclaim ──▶ queued (attempts left, fresh queue message) | failed
 *     └──cancel──▶ cancelled   (running + cancel: cancel_requested_at, the worker kills the child)
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type PgBoss from 'pg-boss';
import type pg from 'pg';
import { transaction } from '../db/client.js';
import { SQL_QUEUE, enqueueSql } from '../queue/boss.js';
import { publishCancel, publishJobEvent, type JobEvent } from '../queue/notify.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const TERMINAL: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface Progress {
  stage: string;
  rowsProcessed: number;
  totalRows?: number;
  percent?: number;
  reason?: string;
}

interface JobRow {
  id: string;
  workspace_id: string;
  status: JobStatus;
  progress: Progress | null;
  error: string | null;
}

const RETURNING = 'RETURNING id, workspace_id, status, progress, error';
const eventOf = (r: JobRow): JobEvent => ({ id: r.id, workspaceId: r.workspace_id, status: r.status, progress: r.progress, error: r.error });

export interface NewJob {
  workspaceId: string;
  backend: string;
  sql: string;
  datasetId: string | null;
  phaseId: string | null;
  params: unknown;
  timeoutMs: number;
  memoryLimitBytes: number | null;
  maxAttempts: number;
}

/** Inserts the Job row and its queue message in one transaction. */
export async function insertJob(pool: pg.Pool, boss: PgBoss, job: NewJob): Promise<string> {
  const queueJobId = crypto.randomUUID();
  return transaction(pool, async (client) => {
    const { rows } = await client.query<JobRow>(
      `INSERT INTO jobs (workspace_id, backend, sql, dataset_id, phase_id, params, timeout_ms, memory_limit_bytes, max_attempts, queue_job_id, progress)
       VALUES ($1, $2::"Backend", $3, $4, $5, $6, $7, $8, $9, $10, $11) ${RETURNING}`,
      [job.workspaceId, job.backend, job.sql, job.datasetId, job.phaseId, JSON.stringify(job.params ?? {}), job.timeoutMs, job.memoryLimitBytes, job.maxAttempts, queueJobId, JSON.stringify({ stage: 'queued', rowsProcessed: 0 })],
    );
    await enqueueSql(boss, client, rows[0].id, queueJobId, job.timeoutMs);
    await publishJobEvent(client, eventOf(rows[0]));
    return rows[0].id;
  });
}

/** Cancels a job of the workspace. Returns the status after the call, or null when no such job. */
export async function cancelJob(pool: pg.Pool, boss: PgBoss, workspaceId: string, id: string): Promise<JobStatus | null> {
  return transaction(pool, async (client) => {
    const { rows } = await client.query<{ status: JobStatus; queue_job_id: string | null }>(
      'SELECT status, queue_job_id FROM jobs WHERE id = $1 AND workspace_id = $2 FOR UPDATE',
      [id, workspaceId],
    );
    if (rows.length === 0) return null;
    const { status, queue_job_id } = rows[0];
    if (status === 'queued') {
      const done = await client.query<JobRow>(
        `UPDATE jobs SET status = 'cancelled', cancel_requested_at = now(), finished_at = now(),
           progress = jsonb_set(coalesce(progress, '{}'), '{stage}', '"cancelled"') WHERE id = $1 ${RETURNING}`,
        [id],
      );
      if (queue_job_id) await boss.cancel(SQL_QUEUE, queue_job_id, { db: { executeSql: (t, v) => client.query(t, v) } }).catch(() => {});
      await publishJobEvent(client, eventOf(done.rows[0]));
      return 'cancelled';
    }
    if (status === 'running') {
      await client.query('UPDATE jobs SET cancel_requested_at = coalesce(cancel_requested_at, now()) WHERE id = $1', [id]);
      await publishCancel(client, id);
      return 'running';
    }
    return status;
  });
}

// ───────────────────────────── worker side ─────────────────────────────

export interface ClaimedJob {
  id: string;
  workspace_id: string;
  backend: string;
  sql: string;
  dataset_id: string | null;
  phase_id: string | null;
  attempts: number;
  max_attempts: number;
  timeout_ms: number;
  memory_limit_bytes: string | null;
  params: Record<string, unknown> | null;
}

/** queued → running, only for the delivery the row expects (a stale or duplicate message gets null). */
export async function claimJob(pool: pg.Pool, jobId: string, queueJobId: string, workerId: string): Promise<ClaimedJob | null> {
  const { rows } = await pool.query<ClaimedJob & JobRow>(
    `UPDATE jobs SET status = 'running', worker_id = $3, attempts = attempts + 1, started_at = now(), error = NULL,
       progress = $4
     WHERE id = $1 AND queue_job_id = $2 AND status = 'queued'
     RETURNING id, workspace_id, status, progress, error, backend, sql, dataset_id, phase_id, attempts, max_attempts, timeout_ms, memory_limit_bytes, params`,
    [jobId, queueJobId, workerId, JSON.stringify({ stage: 'starting', rowsProcessed: 0, percent: 0 })],
  );
  if (rows.length === 0) return null;
  await publishJobEvent(pool, eventOf(rows[0]));
  return rows[0];
}

/** Writes progress of a running job; returns whether a cancel was requested meanwhile. */
export async function writeProgress(pool: pg.Pool, jobId: string, workerId: string, progress: Progress): Promise<{ cancelRequested: boolean }> {
  const { rows } = await pool.query<JobRow & { cancel_requested_at: Date | null }>(
    `UPDATE jobs SET progress = $3 WHERE id = $1 AND worker_id = $2 AND status = 'running' ${RETURNING}, cancel_requested_at`,
    [jobId, workerId, JSON.stringify(progress)],
  );
  if (rows.length === 0) return { cancelRequested: true }; // no longer ours to run
  await publishJobEvent(pool, eventOf(rows[0]));
  return { cancelRequested: rows[0].cancel_requested_at !== null };
}

/** running → terminal. `inTx` runs inside the same transaction (the Run record of a success). */
export async function finishJob(
  pool: pg.Pool,
  jobId: string,
  workerId: string,
  status: Exclude<JobStatus, 'queued' | 'running'>,
  error: string | null,
  progress: Progress,
  inTx?: (client: pg.PoolClient) => Promise<void>,
): Promise<boolean> {
  return transaction(pool, async (client) => {
    const { rows } = await client.query<JobRow>(
      `UPDATE jobs SET status = $3::"JobStatus", error = $4, finished_at = now(), progress = $5
       WHERE id = $1 AND worker_id = $2 AND status = 'running' ${RETURNING}`,
      [jobId, workerId, status, error, JSON.stringify(progress)],
    );
    if (rows.length === 0) return false;
    if (inTx) await inTx(client);
    await publishJobEvent(client, eventOf(rows[0]));
    return true;
  });
}

// ───────────────────────────── worker liveness ─────────────────────────────

export async function registerWorker(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ id: string }>('INSERT INTO workers (hostname, pid) VALUES ($1, $2) RETURNING id', [os.hostname(), process.pid]);
  return rows[0].id;
}

export async function heartbeat(pool: pg.Pool, workerId: string): Promise<void> {
  await pool.query('UPDATE workers SET heartbeat_at = now() WHERE id = $1', [workerId]);
}

export async function stopWorker(pool: pg.Pool, workerId: string): Promise<void> {
  await pool.query('UPDATE workers SET stopped_at = now() WHERE id = $1', [workerId]);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Finds running jobs whose worker is gone (stopped, silent for staleAfterMs, or — on this host — a
 * dead pid) and requeues them with a fresh queue message while attempts remain, else fails them with
 * the reason. Safe to run from every worker at once (FOR UPDATE SKIP LOCKED).
 */
export async function reclaimOrphans(pool: pg.Pool, boss: PgBoss, staleAfterMs: number): Promise<{ requeued: string[]; failed: string[] }> {
  // Workers on this host whose process is gone are dead now, whatever their last heartbeat says.
  const { rows: local } = await pool.query<{ id: string; pid: number }>(
    'SELECT id, pid FROM workers WHERE hostname = $1 AND stopped_at IS NULL AND pid <> $2',
    [os.hostname(), process.pid],
  );
  const dead = local.filter((w) => !pidAlive(w.pid)).map((w) => w.id);
  if (dead.length) await pool.query('UPDATE workers SET stopped_at = now() WHERE id = ANY($1::uuid[])', [dead]);

  const requeued: string[] = [];
  const failed: string[] = [];
  await transaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; attempts: number; max_attempts: number; timeout_ms: number; queue_job_id: string | null; worker: string | null }>(
      `SELECT j.id, j.attempts, j.max_attempts, j.timeout_ms, j.queue_job_id,
              CASE WHEN w.id IS NULL THEN NULL ELSE w.hostname || ' pid ' || w.pid END AS worker
         FROM jobs j LEFT JOIN workers w ON w.id = j.worker_id
        WHERE j.status = 'running'
          AND (w.id IS NULL OR w.stopped_at IS NOT NULL OR w.heartbeat_at < now() - make_interval(secs => $1::double precision / 1000))
        FOR UPDATE OF j SKIP LOCKED`,
      [staleAfterMs],
    );
    const db = { executeSql: (t: string, v: unknown[]) => client.query(t, v) };
    for (const j of rows) {
      const reason = `worker ${j.worker ?? '(unknown)'} stopped while running attempt ${j.attempts} of ${j.max_attempts}`;
      if (j.queue_job_id) await boss.fail(SQL_QUEUE, j.queue_job_id, { reason }, { db }).catch(() => {});
      if (j.attempts < j.max_attempts) {
        const queueJobId = crypto.randomUUID();
        const r = await client.query<JobRow>(
          `UPDATE jobs SET status = 'queued', worker_id = NULL, queue_job_id = $2, progress = $3 WHERE id = $1 ${RETURNING}`,
          [j.id, queueJobId, JSON.stringify({ stage: 'requeued', rowsProcessed: 0, percent: 0, reason })],
        );
        await enqueueSql(boss, client, j.id, queueJobId, j.timeout_ms);
        await publishJobEvent(client, eventOf(r.rows[0]));
        requeued.push(j.id);
      } else {
        const r = await client.query<JobRow>(
          `UPDATE jobs SET status = 'failed', finished_at = now(), error = $2,
             progress = jsonb_set(coalesce(progress, '{}'), '{stage}', '"failed"') WHERE id = $1 ${RETURNING}`,
          [j.id, `${reason}; no attempts left`],
        );
        await publishJobEvent(client, eventOf(r.rows[0]));
        failed.push(j.id);
      }
    }
  });
  // Queued jobs whose queue message is gone or finished (fetched by a worker that was stopping, or
  // expired) get a fresh one; the row and its message otherwise always change in one transaction.
  await transaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; timeout_ms: number }>(
      `SELECT j.id, j.timeout_ms FROM jobs j
        WHERE j.status = 'queued'
          AND NOT EXISTS (SELECT 1 FROM pgboss.job b WHERE b.id::text = j.queue_job_id AND b.state IN ('created', 'retry', 'active'))
        FOR UPDATE OF j SKIP LOCKED`,
    );
    for (const j of rows) {
      const queueJobId = crypto.randomUUID();
      await client.query('UPDATE jobs SET queue_job_id = $2 WHERE id = $1', [j.id, queueJobId]);
      await enqueueSql(boss, client, j.id, queueJobId, j.timeout_ms);
      requeued.push(j.id);
    }
  });
  return { requeued, failed };
}
