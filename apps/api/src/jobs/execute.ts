/**
 * Runs one job's SQL in a child process (runner-child.ts) with a wall-clock timeout, a memory limit
 * (V8 heap via --max-old-space-size, the engine's own accounting via memoryLimit, and an RSS
 * watchdog for what lives outside the heap) and cancellation. The worker survives whatever the
 * child does: crash, OOM abort, infinite loop.
 */
import fs from 'node:fs';
import type { ChildMessage, RunRequest, RunResult } from './protocol.js';
import { acquireRunner } from './warm-runners.js';

export { prepareBundle, prepareRunner, type ChildEntry } from './bundle.js';

export type ExecOutcome =
  | { kind: 'succeeded'; result: RunResult }
  | { kind: 'failed'; error: string }
  | { kind: 'cancelled' };

export interface ExecOptions {
  request: Omit<RunRequest, 'type'>;
  timeoutMs: number;
  memoryLimitBytes: number;
  onStage?: (stage: string) => void;
  onProgress?: (rowsRead: number, totalRows: number | undefined) => void;
  signal?: AbortSignal;
}

const RSS_MARGIN_BYTES = 512 * 1024 * 1024; // Node itself, Arrow/Parquet buffers in flight

function rssBytes(pid: number): number | null {
  try {
    const pages = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return pages * 4096;
  } catch {
    return null; // not Linux, or already gone
  }
}

export async function executeJob(opts: ExecOptions): Promise<ExecOutcome> {
  const heapMb = Math.max(64, Math.floor(opts.memoryLimitBytes / 1024 / 1024));
  const { child, ready } = await acquireRunner(heapMb);

  return new Promise<ExecOutcome>((resolve) => {
    let outcome: ExecOutcome | null = null;
    let killedFor: ExecOutcome | null = null;
    const finish = (o: ExecOutcome) => {
      if (outcome) return;
      outcome = o;
      clearTimeout(timer);
      clearInterval(watchdog);
      opts.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(o);
    };
    const kill = (why: ExecOutcome) => {
      killedFor ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill({ kind: 'failed', error: `timed out after ${opts.timeoutMs} ms` }), opts.timeoutMs);
    const rssLimit = opts.memoryLimitBytes + RSS_MARGIN_BYTES;
    const watchdog = setInterval(() => {
      const rss = child.pid ? rssBytes(child.pid) : null;
      if (rss !== null && rss > rssLimit) {
        kill({ kind: 'failed', error: `memory limit exceeded: resident ${Math.round(rss / 2 ** 20)} MiB > ${Math.round(rssLimit / 2 ** 20)} MiB` });
      }
    }, 250);
    const onAbort = () => kill({ kind: 'cancelled' });
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort);

    child.on('message', (msg: ChildMessage) => {
      switch (msg.type) {
        case 'stage':
          opts.onStage?.(msg.stage);
          break;
        case 'progress':
          opts.onProgress?.(msg.rowsRead, msg.totalRows);
          break;
        case 'result':
          finish({ kind: 'succeeded', result: msg });
          break;
        case 'error':
          finish({ kind: 'failed', error: msg.message });
          break;
      }
    });
    // A warm runner said 'ready' long ago; a fresh one says it once its bundle is loaded.
    ready.then(
      () => {
        if (!outcome && !killedFor) child.send({ type: 'run', ...opts.request } satisfies RunRequest);
      },
      () => {},
    );
    child.on('error', (err) => finish({ kind: 'failed', error: `job runner could not start: ${err.message}` }));
    child.on('exit', (code, signal) => {
      if (killedFor) return finish(killedFor);
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      // V8's heap limit aborts with SIGABRT or exit 134 after "JavaScript heap out of memory".
      const oom = signal === 'SIGABRT' || code === 134;
      finish({ kind: 'failed', error: oom ? `memory limit exceeded: the job runner ran out of heap (${heapMb} MiB)` : `job runner died (${how})` });
    });
  });
}
