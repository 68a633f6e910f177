/**
 * The durable queue: pg-boss (jobs are rows, workers claim them with FOR UPDATE SKIP LOCKED) in the
 * `pgboss` schema of the same database. A queue message carries only our Job id; the Job row is the
 * source of truth, and its `queue_job_id` names the one delivery allowed to run it (see store.ts).
 */
import PgBoss from 'pg-boss';
import type pg from 'pg';
import { WAKE_CHANNEL } from './notify.js';

export const SQL_QUEUE = 'phaselab-sql';
/** Dataset generations (dataset.generate): the message carries the Dataset id. */
export const DATASET_QUEUE = 'phaselab-dataset';

export interface SqlJobMessage {
  jobId: string;
}

export async function startBoss(url: string, applicationName: string): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 3, application_name: applicationName });
  boss.on('error', (err) => process.stderr.write(`[pg-boss] ${err.message}\n`));
  await boss.start();
  await boss.createQueue(SQL_QUEUE); // idempotent
  await boss.createQueue(DATASET_QUEUE);
  return boss;
}

/** Enqueues within the caller's transaction, so the Job row and its message commit together. */
export async function enqueueSql(boss: PgBoss, client: pg.PoolClient, jobId: string, queueJobId: string, timeoutMs: number): Promise<void> {
  await boss.send(SQL_QUEUE, { jobId } satisfies SqlJobMessage, {
    id: queueJobId,
    // Retries after a worker's death are ours (store.ts reclaims with a fresh message), and query
    // errors are final: pg-boss must not run a job twice on its own.
    retryLimit: 0,
    expireInSeconds: Math.ceil(timeoutMs / 1000) + 120,
    db: { executeSql: (text, values) => client.query(text, values) },
  });
  await client.query('SELECT pg_notify($1, $2)', [WAKE_CHANNEL, SQL_QUEUE]);
}

export interface DatasetJobMessage {
  datasetId: string;
}

/** Enqueues a dataset generation within the caller's transaction (the row and its message commit together). */
export async function enqueueDataset(boss: PgBoss, client: pg.PoolClient, datasetId: string, queueJobId: string, timeoutMs: number): Promise<void> {
  await boss.send(DATASET_QUEUE, { datasetId } satisfies DatasetJobMessage, {
    id: queueJobId,
    retryLimit: 0, // a failed generation is recorded with its reason; regenerating is the caller's choice
    expireInSeconds: Math.ceil(timeoutMs / 1000) + 120,
    db: { executeSql: (text, values) => client.query(text, values) },
  });
  await client.query('SELECT pg_notify($1, $2)', [WAKE_CHANNEL, DATASET_QUEUE]);
}
