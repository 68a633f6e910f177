/**
 * The durable queue: pg-boss (jobs are rows, workers claim them with FOR UPDATE SKIP LOCKED) in the
 * `pgboss` schema of the same database. A queue message carries only our Job id; the Job row is the
 * source of truth, and its `queue_job_id` names the one delivery allowed to run it (see store.ts).
 */
import PgBoss from 'pg-boss';
import type pg from 'pg';

export const SQL_QUEUE = 'phaselab-sql';

export interface SqlJobMessage {
  jobId: string;
}

export async function startBoss(url: string, applicationName: string): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 3, application_name: applicationName });
  boss.on('error', (err) => process.stderr.write(`[pg-boss] ${err.message}\n`));
  await boss.start();
  await boss.createQueue(SQL_QUEUE); // idempotent
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
}
