/**
 * Job events over PostgreSQL LISTEN/NOTIFY: `phaselab_job` carries every job state or progress
 * change (for SSE subscribers in the API), `phaselab_dataset` the same for dataset generations,
 * `phaselab_job_cancel` asks whichever worker runs a job to stop it. Payloads are JSON, far below NOTIFY's 8000-byte limit.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';

export const JOB_CHANNEL = 'phaselab_job';
export const CANCEL_CHANNEL = 'phaselab_job_cancel';
/**
 * "A message is waiting in queue <payload>": sent in the enqueuing transaction (delivered at commit),
 * so idle workers fetch at once instead of at their next poll.
 */
export const WAKE_CHANNEL = 'phaselab_queue_wake';
/** Dataset generation state and progress changes (dataset.progress subscribers). */
export const DATASET_CHANNEL = 'phaselab_dataset';

export interface JobEvent {
  id: string;
  workspaceId: string;
  status: string;
  progress: unknown;
  error: string | null;
}

export interface DatasetEvent {
  id: string;
  workspaceId: string;
  name: string;
  status: string;
  progress: unknown;
  error: string | null;
}

type Queryable = Pick<pg.Pool | pg.PoolClient | pg.Client, 'query'>;

export async function publishJobEvent(q: Queryable, event: JobEvent): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [JOB_CHANNEL, JSON.stringify(event)]);
}

export async function publishDatasetEvent(q: Queryable, event: DatasetEvent): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [DATASET_CHANNEL, JSON.stringify(event)]);
}

export async function publishCancel(q: Queryable, jobId: string): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [CANCEL_CHANNEL, jobId]);
}

/**
 * One dedicated connection LISTENing on channels; emits (channel, payload). Reconnects with backoff
 * when the connection drops, and emits 'reconnected' so holders can re-read state they may have missed.
 */
export class Listener extends EventEmitter {
  private client: pg.Client | null = null;
  private closed = false;
  private ready: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly channels: string[],
  ) {
    super();
    this.setMaxListeners(0);
  }

  start(): Promise<void> {
    this.ready ??= this.connect(0);
    return this.ready;
  }

  private async connect(attempt: number): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'phaselab-listener' });
    client.on('notification', (n) => this.emit(n.channel, n.payload ?? ''));
    client.on('error', () => {
      /* handled by 'end' */
    });
    client.on('end', () => {
      if (this.closed || this.client !== client) return;
      this.client = null;
      const delay = Math.min(5000, 200 * 2 ** attempt);
      setTimeout(() => {
        if (!this.closed)
          this.connect(attempt + 1).then(
            () => this.emit('reconnected'),
            () => {},
          );
      }, delay).unref();
    });
    await client.connect();
    for (const ch of this.channels) await client.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
    this.client = client;
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => {});
  }
}
