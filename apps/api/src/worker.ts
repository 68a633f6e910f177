/**
 * The worker: its own process (`npm run worker -w @phaselab/api`, or scripts/start.mjs). Takes SQL
 * jobs from the pg-boss queue, runs each in a child process (jobs/execute.ts), streams progress to
 * the Job row and over NOTIFY, records a Run with metrics, honours cancellation, and on start (and
 * every few seconds) reclaims jobs left running by workers that died.
 */
import path from 'node:path';
import type PgBoss from 'pg-boss';
import { createDb, type Db } from './db/client.js';
import { config, databaseUrl, repoRoot } from './env.js';
import { executeJob, prepareRunner } from './jobs/execute.js';
import { insertRun, machineInfo } from './jobs/record.js';
import { claimJob, finishJob, heartbeat, reclaimOrphans, registerWorker, stopWorker, writeProgress, type ClaimedJob, type Progress } from './jobs/store.js';
import { SQL_QUEUE, startBoss, type SqlJobMessage } from './queue/boss.js';
import { startScheduler } from './schedules/scheduler.js';
import { CANCEL_CHANNEL, Listener, WAKE_CHANNEL } from './queue/notify.js';
import { keepWarmRunners, stopWarmRunners } from './jobs/warm-runners.js';
import { runGeneration, prepareGenerator } from './datasets/generate.js';
import { claimGeneration, failGeneration, finishGeneration, reclaimGenerations, storedDirectory, writeGenerationProgress, type DatasetProgress } from './datasets/store.js';
import { DATASET_QUEUE, type DatasetJobMessage } from './queue/boss.js';

const PREVIEW_ROWS = 100;
const PROGRESS_WRITE_MS = 300;

export interface WorkerHandle {
  id: string;
  stop(): Promise<void>;
}

interface DatasetRow {
  id: string;
  directory: string;
  tables: { name: string; file: string }[];
  rows: string;
}

export async function startWorker(opts: { url?: string; concurrency?: number; log?: (line: string) => void } = {}): Promise<WorkerHandle> {
  const url = opts.url ?? databaseUrl();
  const log = opts.log ?? ((l: string) => process.stderr.write(`[worker] ${l}\n`));
  const concurrency = opts.concurrency ?? config.workerConcurrency;
  const db: Db = createDb(url, { poolSize: concurrency + 3 });
  await Promise.all([prepareRunner(), prepareGenerator()]);
  const workerId = await registerWorker(db.pool);
  const boss: PgBoss = await startBoss(url, `phaselab-worker-${workerId.slice(0, 8)}`);
  const running = new Map<string, AbortController>();
  let stopping: Promise<void> | null = null;

  // pg-boss work loop ids per queue, woken by NOTIFY when a message is enqueued.
  const workIds = new Map<string, string[]>();
  const listener = new Listener(url, [CANCEL_CHANNEL, WAKE_CHANNEL]);
  listener.on(CANCEL_CHANNEL, (jobId: string) => running.get(jobId)?.abort());
  listener.on(WAKE_CHANNEL, (queue: string) => {
    if (config.queueWake) for (const id of workIds.get(queue) ?? []) boss.notifyWorker(id);
  });
  await listener.start();

  const reclaim = async () => {
    const r = await reclaimOrphans(db.pool, boss, config.staleAfterMs);
    for (const id of r.requeued) log(`requeued job ${id} (its worker stopped)`);
    for (const id of r.failed) log(`failed job ${id} (its worker stopped, no attempts left)`);
    const g = await reclaimGenerations(db.pool, boss, config.staleAfterMs, config.datasetTimeoutMs);
    for (const id of g.failed) log(`failed dataset generation ${id} (its worker stopped)`);
    for (const id of g.requeued) log(`requeued dataset generation ${id} (its queue message was gone)`);
  };
  await reclaim();
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    heartbeat(db.pool, workerId)
      .then(() => (ticks % 3 === 0 ? reclaim() : undefined))
      .catch((err: Error) => log(`heartbeat: ${err.message}`));
  }, config.heartbeatMs);

  const handle = async (jobId: string, queueJobId: string) => {
    // A message fetched while stopping fails in pg-boss; reclaimOrphans resends it for the queued job.
    if (stopping) throw new Error('worker is stopping');
    const job = await claimJob(db.pool, jobId, queueJobId, workerId);
    if (!job) return; // cancelled while queued, or a stale delivery
    log(`job ${job.id}: running (attempt ${job.attempts} of ${job.max_attempts})`);
    const controller = new AbortController();
    running.set(job.id, controller);
    try {
      await runJob(job, controller);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      log(`job ${job.id}: internal error: ${msg}`);
      await finishJob(db.pool, job.id, workerId, 'failed', `internal error: ${msg}`, { stage: 'failed', rowsProcessed: 0 }).catch(() => {});
    } finally {
      running.delete(job.id);
    }
  };

  const runJob = async (job: ClaimedJob, controller: AbortController) => {
    const fail = (error: string, progress: Progress = { stage: 'failed', rowsProcessed: 0 }) => finishJob(db.pool, job.id, workerId, 'failed', error, progress);
    if (!['engine', 'postgres', 'pgstrom'].includes(job.backend)) return void (await fail(`backend "${job.backend}" is not available yet`));

    let dataset: DatasetRow | null = null;
    const tables: { name: string; path: string }[] = [];
    if (job.dataset_id) {
      const { rows } = await db.pool.query<DatasetRow>('SELECT id, directory, tables, rows::text AS rows FROM datasets WHERE id = $1', [job.dataset_id]);
      dataset = rows[0] ?? null;
      if (!dataset) return void (await fail('the job\'s dataset was deleted'));
      const dir = path.resolve(repoRoot(), dataset.directory);
      for (const t of dataset.tables) tables.push({ name: t.name, path: path.resolve(dir, t.file) });
    }

    // Progress: at most one write in flight and one every PROGRESS_WRITE_MS; the write also tells
    // whether a cancel was requested (a fallback for a missed NOTIFY).
    let latest: Progress = { stage: 'starting', rowsProcessed: 0, percent: 0 };
    let lastWrite = 0;
    let writing: Promise<void> | null = null;
    let dirty = false;
    const flush = () => {
      if (writing) return void (dirty = true);
      dirty = false;
      lastWrite = Date.now();
      writing = writeProgress(db.pool, job.id, workerId, latest)
        .then((r) => {
          if (r.cancelRequested) controller.abort();
        })
        .catch((err: Error) => log(`job ${job.id}: progress: ${err.message}`))
        .finally(() => {
          writing = null;
          if (dirty) flush();
        });
    };
    const update = (p: Partial<Progress>, force = false) => {
      latest = { ...latest, ...p };
      if (force || Date.now() - lastWrite >= PROGRESS_WRITE_MS) flush();
      else dirty = true;
    };
    const tick = setInterval(() => dirty && flush(), PROGRESS_WRITE_MS);

    const timeoutMs = job.timeout_ms;
    const memoryLimitBytes = job.memory_limit_bytes ? Number(job.memory_limit_bytes) : config.jobMemoryLimitBytes;
    const outcome = await executeJob({
      request: { sql: job.sql, tables, memoryLimitBytes, previewRows: PREVIEW_ROWS, backend: job.backend, dataset: dataset ? { id: dataset.id, directory: path.resolve(repoRoot(), dataset.directory) } : null, timeoutMs, ...partitionsOf(job.params) },
      timeoutMs,
      memoryLimitBytes,
      signal: controller.signal,
      onStage: (stage) => update({ stage }, true),
      onProgress: (rowsRead, totalRows) =>
        update({ rowsProcessed: rowsRead, ...(totalRows ? { totalRows, percent: Math.min(99, Math.round((rowsRead / totalRows) * 1000) / 10) } : {}) }),
    }).finally(() => clearInterval(tick));
    while (writing) await writing;
    if (stopping) return; // released to the queue by stop()

    const rowsProcessed = latest.rowsProcessed;
    if (outcome.kind === 'succeeded') {
      const r = outcome.result;
      const progress: Progress = { stage: 'done', rowsProcessed: r.rowsRead, ...(latest.totalRows ? { totalRows: latest.totalRows } : {}), percent: 100 };
      const ok = await finishJob(db.pool, job.id, workerId, 'succeeded', null, progress, async (client) => {
        await insertRun(client, job, dataset, r, machineInfo({ workerId, processMaxRssBytes: r.processMaxRssBytes }));
      });
      log(`job ${job.id}: ${ok ? 'succeeded' : 'finished, but the job was no longer ours'} (${r.resultRows} rows, ${r.wallMs.toFixed(0)} ms)`);
    } else if (outcome.kind === 'cancelled') {
      await finishJob(db.pool, job.id, workerId, 'cancelled', null, { ...latest, stage: 'cancelled', rowsProcessed });
      log(`job ${job.id}: cancelled`);
    } else {
      await fail(outcome.error, { ...latest, stage: 'failed', rowsProcessed });
      log(`job ${job.id}: failed: ${outcome.error}`);
    }
  };

  // Runners loaded ahead for jobs with the default memory limit (most of them).
  keepWarmRunners(config.warmRunners, Math.max(64, Math.floor(config.jobMemoryLimitBytes / 1024 / 1024)));
  const sqlWorkIds: string[] = [];
  workIds.set(SQL_QUEUE, sqlWorkIds);
  for (let i = 0; i < concurrency; i++) {
    // Polling is the fallback: a NOTIFY on WAKE_CHANNEL starts a fetch at once (notifyWorker).
    let id = '';
    id = await boss.work<SqlJobMessage>(SQL_QUEUE, { batchSize: 1, pollingIntervalSeconds: config.queuePollSeconds }, async ([msg]) => {
      if (!msg) return;
      await handle(msg.data.jobId, msg.id);
      // pg-boss waits out the polling interval after a job unless notified: fetch again at once
      // while there may be a backlog.
      if (config.queueWake) boss.notifyWorker(id);
    });
    sqlWorkIds.push(id);
  }
  // Dataset generations: one at a time per worker, each in its own child process.
  const generations = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const generate = async (datasetId: string, queueJobId: string) => {
    if (stopping) throw new Error('worker is stopping');
    const g = await claimGeneration(db.pool, datasetId, queueJobId, workerId);
    if (!g) return; // a stale delivery
    const outDir = path.join(config.dataDir, g.workspace_slug, g.name);
    log(`dataset ${g.id} (${g.workspace_slug}/${g.name}): generating ${g.generator}, ${g.rows} rows into ${outDir}`);
    const controller = new AbortController();
    let release!: () => void;
    generations.set(g.id, { controller, done: new Promise<void>((r) => (release = r)) });
    // One progress write in flight; the newest progress waits for it (older ones are dropped).
    let latest: DatasetProgress = { stage: 'generating', rowsWritten: 0, percent: 0 };
    let writing: Promise<void> | null = null;
    let dirty = false;
    const flush = (): void => {
      if (writing) return void (dirty = true);
      dirty = false;
      writing = writeGenerationProgress(db.pool, g.id, workerId, latest)
        .catch((err: Error) => log(`dataset ${g.id}: progress: ${err.message}`))
        .finally(() => {
          writing = null;
          if (dirty) flush();
        });
    };
    try {
      const outcome = await runGeneration({
        generator: g.generator,
        rows: Number(g.rows),
        seed: g.seed,
        format: g.format as 'parquet',
        outDir,
        timeoutMs: config.datasetTimeoutMs,
        signal: controller.signal,
        onProgress: (e) => {
          latest = {
            stage: 'generating',
            rowsWritten: e.totalRowsDone,
            totalRows: e.totalRows,
            percent: Math.min(99, Math.floor((e.totalRowsDone / Math.max(1, e.totalRows)) * 1000) / 10),
            table: e.table,
            tableIndex: e.tableIndex,
            tableCount: e.tableCount,
          };
          flush();
        },
      });
      while (writing) await writing;
      if (outcome.kind === 'done') {
        await finishGeneration(db.pool, g.id, workerId, storedDirectory(outDir), outcome.manifest);
        log(`dataset ${g.id}: ready (${outcome.manifest.tables.map((t) => `${t.name} ${t.rows}`).join(', ')}; ${outcome.manifest.elapsedMs} ms)`);
      } else {
        await failGeneration(db.pool, g.id, workerId, outcome.error, latest);
        log(`dataset ${g.id}: failed: ${outcome.error}`);
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      log(`dataset ${g.id}: internal error: ${msg}`);
      await failGeneration(db.pool, g.id, workerId, `internal error: ${msg}`, latest).catch(() => {});
    } finally {
      generations.delete(g.id);
      release();
    }
  };
  let datasetWorkId = '';
  datasetWorkId = await boss.work<DatasetJobMessage>(DATASET_QUEUE, { batchSize: 1, pollingIntervalSeconds: config.queuePollSeconds }, async ([msg]) => {
    if (!msg) return;
    await generate(msg.data.datasetId, msg.id);
    if (config.queueWake) boss.notifyWorker(datasetWorkId);
  });
  workIds.set(DATASET_QUEUE, [datasetWorkId]);

  // Cron schedules (regression runs): every worker ticks; each occurrence is claimed by one of them.
  const scheduler = startScheduler(db, boss, { intervalMs: Number(process.env.SCHEDULE_TICK_MS ?? 1000), log });
  log(`worker ${workerId} (pid ${process.pid}) ready, concurrency ${concurrency}`);

  return {
    id: workerId,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await scheduler.stop().catch(() => {});
        await boss.offWork(SQL_QUEUE).catch(() => {});
        // A generation cut short is recorded as failed ("stopped: the worker is shutting down").
        for (const g of generations.values()) g.controller.abort();
        await Promise.all([...generations.values()].map((g) => g.done));
        await boss.offWork(DATASET_QUEUE).catch(() => {});
        // Jobs cut short by a shutdown get their attempt back and are left to reclaimOrphans (any live
        // worker within a few heartbeats, or the next one to start), which requeues them.
        await db.pool
          .query(`UPDATE jobs SET attempts = greatest(attempts - 1, 0) WHERE worker_id = $1 AND status = 'running'`, [workerId])
          .catch((err: Error) => log(`release on stop: ${err.message}`));
        for (const c of running.values()) c.abort();
        stopWarmRunners();
        await stopWorker(db.pool, workerId).catch(() => {});
        await boss.stop({ graceful: true, timeout: 5000 }).catch(() => {});
        await listener.close();
        await db.close();
        log(`worker ${workerId} stopped`);
      })();
      return stopping;
    },
  };
}

if (process.argv[1] && /worker\.(ts|mjs|js)$/.test(process.argv[1])) {
  startWorker().then(
    (w) => {
      let signals = 0;
      const onSignal = () => {
        if (++signals > 1) process.exit(1);
        w.stop().then(() => process.exit(0), () => process.exit(1));
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    },
    (err) => {
      process.stderr.write(`[worker] could not start: ${err instanceof Error ? err.stack : err}\n`);
      process.exit(1);
    },
  );
}

/** The engine's partition count from a job's params (validated at submit), if it sets one. */
function partitionsOf(params: Record<string, unknown> | null): { partitions?: number } {
  const p = params?.partitions;
  return typeof p === 'number' && Number.isInteger(p) && p >= 1 ? { partitions: p } : {};
}
