/**
 * Dataset generation state, as SQL on the pool: each transition is one statement guarded by the state
 * it expects (like jobs/store.ts), and publishes the new state on `phaselab_dataset`.
 *
 *   pending ──claim──▶ generating ──finish──▶ ready | failed
 *      ▲                    │ worker died: reclaim ──▶ failed (with the reason)
 *      └── generate again (a failed dataset of the same name) ──┘
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Manifest } from '@phaselab/workloads';
import { transaction } from '../db/client.js';
import { repoRoot } from '../env.js';
import { DATASET_QUEUE, enqueueDataset } from '../queue/boss.js';
import { publishDatasetEvent, type DatasetEvent } from '../queue/notify.js';

/** What `datasets.progress` holds while a dataset is generated (dataset.progress streams it). */
export interface DatasetProgress {
  /** queued | starting | generating | done | failed */
  stage: string;
  /** Rows written so far, over every table. */
  rowsWritten: number;
  /** Rows of every table together. */
  totalRows?: number;
  percent?: number;
  /** The table being written, and its position. */
  table?: string;
  tableIndex?: number;
  tableCount?: number;
}

/** A dataset directory as the store keeps it: relative to the repository root when inside it. */
export function storedDirectory(dir: string): string {
  const rel = path.relative(repoRoot(), dir);
  return rel.startsWith('..') || path.isAbsolute(rel) ? dir : rel;
}

interface Row {
  id: string;
  workspace_id: string;
  name: string;
  status: string;
  progress: DatasetProgress | null;
  error: string | null;
}
const RETURNING = 'RETURNING id, workspace_id, name, status, progress, error';
const eventOf = (r: Row): DatasetEvent => ({ id: r.id, workspaceId: r.workspace_id, name: r.name, status: r.status, progress: r.progress, error: r.error });

export interface NewGeneration {
  workspaceId: string;
  name: string;
  generator: string;
  rows: number;
  seed: number;
  format: string;
  /** Where the files will go (the worker writes there and confirms it). */
  directory: string;
  timeoutMs: number;
}

export class DatasetExistsError extends Error {}

/**
 * Inserts the Dataset row (pending) and its queue message in one transaction. A failed dataset of the
 * same name is generated again in place; any other existing one is a conflict.
 */
export async function createGeneration(pool: pg.Pool, boss: PgBoss, g: NewGeneration): Promise<string> {
  const queueJobId = crypto.randomUUID();
  const progress = JSON.stringify({ stage: 'queued', rowsWritten: 0, percent: 0 } satisfies DatasetProgress);
  return transaction(pool, async (client) => {
    const { rows } = await client.query<Row>(
      `INSERT INTO datasets (workspace_id, name, generator, seed, rows, format, directory, tables, status, progress, queue_job_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', 'pending', $8, $9)
       ON CONFLICT (workspace_id, name) DO UPDATE
         SET generator = EXCLUDED.generator, seed = EXCLUDED.seed, rows = EXCLUDED.rows, format = EXCLUDED.format,
             directory = EXCLUDED.directory, tables = '[]', status = 'pending', progress = EXCLUDED.progress, error = NULL,
             queue_job_id = EXCLUDED.queue_job_id, worker_id = NULL, started_at = NULL, finished_at = NULL, created_at = now()
         WHERE datasets.status = 'failed'
       ${RETURNING}`,
      [g.workspaceId, g.name, g.generator, g.seed, g.rows, g.format, g.directory, progress, queueJobId],
    );
    if (rows.length === 0) {
      const { rows: existing } = await client.query<{ status: string }>('SELECT status FROM datasets WHERE workspace_id = $1 AND name = $2', [g.workspaceId, g.name]);
      throw new DatasetExistsError(`dataset "${g.name}" already exists in this workspace (${existing[0]?.status ?? 'unknown'}); pick another name`);
    }
    await enqueueDataset(boss, client, rows[0].id, queueJobId, g.timeoutMs);
    await publishDatasetEvent(client, eventOf(rows[0]));
    return rows[0].id;
  });
}

export interface ClaimedGeneration {
  id: string;
  workspace_id: string;
  workspace_slug: string;
  name: string;
  generator: string;
  seed: number;
  rows: string;
  format: string;
}

/** pending → generating, only for the delivery the row expects. */
export async function claimGeneration(pool: pg.Pool, datasetId: string, queueJobId: string, workerId: string): Promise<ClaimedGeneration | null> {
  const { rows } = await pool.query<Row & ClaimedGeneration>(
    `UPDATE datasets d SET status = 'generating', worker_id = $3, started_at = now(), error = NULL, progress = $4
       FROM workspaces w
      WHERE d.id = $1 AND d.queue_job_id = $2 AND d.status = 'pending' AND w.id = d.workspace_id
      RETURNING d.id, d.workspace_id, w.slug AS workspace_slug, d.name, d.status, d.progress, d.error, d.generator, d.seed, d.rows::text AS rows, d.format`,
    [datasetId, queueJobId, workerId, JSON.stringify({ stage: 'starting', rowsWritten: 0, percent: 0 } satisfies DatasetProgress)],
  );
  if (rows.length === 0) return null;
  await publishDatasetEvent(pool, eventOf(rows[0]));
  return rows[0];
}

export async function writeGenerationProgress(pool: pg.Pool, datasetId: string, workerId: string, progress: DatasetProgress): Promise<void> {
  const { rows } = await pool.query<Row>(`UPDATE datasets SET progress = $3 WHERE id = $1 AND worker_id = $2 AND status = 'generating' ${RETURNING}`, [
    datasetId,
    workerId,
    JSON.stringify(progress),
  ]);
  if (rows[0]) await publishDatasetEvent(pool, eventOf(rows[0]));
}

/** generating → ready, with the manifest's tables and the directory the files are in. */
export async function finishGeneration(pool: pg.Pool, datasetId: string, workerId: string, directory: string, manifest: Manifest): Promise<boolean> {
  const tables = manifest.tables.map((t) => ({ name: t.name, file: t.file, rows: t.rows, columns: t.columns }));
  const totalRows = manifest.tables.reduce((a, t) => a + t.rows, 0);
  const progress: DatasetProgress = { stage: 'done', rowsWritten: totalRows, totalRows, percent: 100 };
  const { rows } = await pool.query<Row>(
    `UPDATE datasets SET status = 'ready', directory = $3, tables = $4, rows = $5, format = $6, progress = $7, finished_at = now()
      WHERE id = $1 AND worker_id = $2 AND status = 'generating' ${RETURNING}`,
    [datasetId, workerId, directory, JSON.stringify(tables), manifest.rows, manifest.format, JSON.stringify(progress)],
  );
  if (rows[0]) await publishDatasetEvent(pool, eventOf(rows[0]));
  return rows.length > 0;
}

/** generating → failed with the reason; progress keeps how far it got. */
export async function failGeneration(pool: pg.Pool, datasetId: string, workerId: string, error: string, progress: DatasetProgress): Promise<void> {
  const { rows } = await pool.query<Row>(
    `UPDATE datasets SET status = 'failed', error = $3, progress = $4, finished_at = now()
      WHERE id = $1 AND worker_id = $2 AND status = 'generating' ${RETURNING}`,
    [datasetId, workerId, error, JSON.stringify({ ...progress, stage: 'failed' })],
  );
  if (rows[0]) await publishDatasetEvent(pool, eventOf(rows[0]));
}

/**
 * Generations whose worker is gone (stopped, silent for staleAfterMs) are failed with the reason —
 * not retried: a half-written directory is discarded and the caller decides whether to generate
 * again. Pending rows whose queue message is gone get a fresh one.
 */
export async function reclaimGenerations(pool: pg.Pool, boss: PgBoss, staleAfterMs: number, timeoutMs: number): Promise<{ failed: string[]; requeued: string[] }> {
  const failed: string[] = [];
  const requeued: string[] = [];
  await transaction(pool, async (client) => {
    const { rows } = await client.query<Row>(
      `UPDATE datasets d SET status = 'failed', finished_at = now(),
              error = 'worker ' || coalesce(w.hostname || ' pid ' || w.pid, '(unknown)') || ' stopped while generating',
              progress = jsonb_set(coalesce(d.progress, '{}'), '{stage}', '"failed"')
         FROM datasets d2 LEFT JOIN workers w ON w.id = d2.worker_id
        WHERE d.id = d2.id AND d.status = 'generating'
          AND (w.id IS NULL OR w.stopped_at IS NOT NULL OR w.heartbeat_at < now() - make_interval(secs => $1::double precision / 1000))
        RETURNING d.id, d.workspace_id, d.name, d.status, d.progress, d.error`,
      [staleAfterMs],
    );
    for (const r of rows) {
      await publishDatasetEvent(client, eventOf(r));
      failed.push(r.id);
    }
    const { rows: pending } = await client.query<{ id: string }>(
      `SELECT d.id FROM datasets d
        WHERE d.status = 'pending'
          AND NOT EXISTS (SELECT 1 FROM pgboss.job b WHERE b.name = $1 AND b.id::text = d.queue_job_id AND b.state IN ('created', 'retry', 'active'))
        FOR UPDATE OF d SKIP LOCKED`,
      [DATASET_QUEUE],
    );
    for (const d of pending) {
      const queueJobId = crypto.randomUUID();
      await client.query('UPDATE datasets SET queue_job_id = $2 WHERE id = $1', [d.id, queueJobId]);
      await enqueueDataset(boss, client, d.id, queueJobId, timeoutMs);
      requeued.push(d.id);
    }
  });
  return { failed, requeued };
}
