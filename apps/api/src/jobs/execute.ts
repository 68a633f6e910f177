/**
 * Runs one job's SQL in a child process (runner-child.ts) with a wall-clock timeout, a memory limit
 * (V8 heap via --max-old-space-size, the engine's own accounting via memoryLimit, and an RSS
 * watchdog for what lives outside the heap) and cancellation. The worker survives whatever the
 * child does: crash, OOM abort, infinite loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from '../env.js';
import type { ChildMessage, RunRequest, RunResult } from './protocol.js';

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

// Packages that load WebAssembly or native code relative to their own files stay external.
const EXTERNAL = ['parquet-wasm', 'libpg-query', '@duckdb/node-api', 'nodejs-polars', 'pg', 'pg-copy-streams', 'pg-native', 'esbuild', '@prisma/*', '.prisma/*'];
const RSS_MARGIN_BYTES = 512 * 1024 * 1024; // Node itself, Arrow/Parquet buffers in flight

export interface ChildEntry {
  file: string;
  execArgv: string[];
}

const bundles = new Map<string, Promise<ChildEntry>>();

/**
 * A child process entry point: an esbuild bundle of `apps/api/src/<source>` (starts in ~0.3 s; tsx
 * would add ~1.5 s per child), rebuilt once per worker process. Falls back to tsx when esbuild is missing.
 */
export function prepareBundle(source: string, outName: string): Promise<ChildEntry> {
  let entry = bundles.get(source);
  if (entry) return entry;
  entry = (async () => {
    const root = repoRoot();
    const sourceFile = path.join(root, 'apps', 'api', 'src', source);
    try {
      const { build } = await import('esbuild');
      const out = path.join(root, '.cache', 'bin', outName);
      const tmp = `${out}.${process.pid}.tmp`;
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await build({
        entryPoints: [sourceFile],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile: tmp,
        external: EXTERNAL,
        logLevel: 'warning',
        banner: { js: "import { createRequire as __phaselabCreateRequire } from 'node:module'; const require = __phaselabCreateRequire(import.meta.url);" },
      });
      fs.renameSync(tmp, out); // atomic: workers starting together each write the same bundle
      copyWorkerEntries([path.join(root, 'packages'), path.join(root, 'apps')], path.dirname(out));
      return { file: out, execArgv: [] };
    } catch (err) {
      process.stderr.write(`[worker] esbuild bundle of ${source} failed (${err instanceof Error ? err.message : err}); using tsx\n`);
      const require = createRequire(import.meta.url);
      return { file: sourceFile, execArgv: ['--import', require.resolve('tsx')] };
    }
  })();
  bundles.set(source, entry);
  return entry;
}

/** The job runner's entry (runner-child.ts). */
export const prepareRunner = (): Promise<ChildEntry> => prepareBundle('jobs/runner-child.ts', 'api-job-runner.mjs');

/**
 * Worker threads start from their own file (`new URL('./parquet-worker.mjs', import.meta.url)`), which
 * a bundle cannot inline: copy every `*-worker.mjs` beside the bundle (as scripts/run.mjs does).
 */
function copyWorkerEntries(roots: string[], outDir: string): void {
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('-worker.mjs')) {
        const tmp = path.join(outDir, `${entry.name}.${process.pid}.tmp`);
        fs.copyFileSync(p, tmp);
        fs.renameSync(tmp, path.join(outDir, entry.name));
      }
    }
  };
  roots.filter((r) => fs.existsSync(r)).forEach(walk);
}

function rssBytes(pid: number): number | null {
  try {
    const pages = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return pages * 4096;
  } catch {
    return null; // not Linux, or already gone
  }
}

export async function executeJob(opts: ExecOptions): Promise<ExecOutcome> {
  const runner = await prepareRunner();
  const heapMb = Math.max(64, Math.floor(opts.memoryLimitBytes / 1024 / 1024));
  const child: ChildProcess = fork(runner.file, [], {
    execArgv: [...runner.execArgv, `--max-old-space-size=${heapMb}`],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });

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
        case 'ready':
          child.send({ type: 'run', ...opts.request } satisfies RunRequest);
          break;
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
