/**
 * Runs one dataset generation in a child process (generate-child.ts) with a wall-clock limit, into a
 * scratch directory beside the target that replaces it only when every table and the manifest are
 * written: a failed or interrupted generation never leaves a half-written dataset under its name.
 */
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_BATCH_ROWS, type Manifest, type ProgressEvent } from '@phaselab/workloads';
import { prepareBundle } from '../jobs/bundle.js';
import type { GenerateMessage, GenerateRequest } from './generate-child.js';

export type GenerationOutcome = { kind: 'done'; manifest: Manifest } | { kind: 'failed'; error: string };

export const prepareGenerator = () => prepareBundle('datasets/generate-child.ts', 'api-dataset-generator.mjs');

/** Batches small enough that even a small dataset reports progress a few dozen times. */
export function batchRowsFor(rows: number): number {
  return Math.max(4096, Math.min(DEFAULT_BATCH_ROWS, Math.ceil(rows / 40)));
}

export interface GenerationOptions {
  generator: string;
  rows: number;
  seed: number;
  format: GenerateRequest['format'];
  outDir: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
}

export async function runGeneration(opts: GenerationOptions): Promise<GenerationOutcome> {
  const entry = await prepareGenerator();
  const scratch = `${opts.outDir}.generating-${crypto.randomBytes(4).toString('hex')}`;
  const outcome = await new Promise<GenerationOutcome>((resolve) => {
    let settled = false;
    let killedFor: string | null = null;
    const child = fork(entry.file, [], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    const finish = (o: GenerationOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(o);
    };
    const kill = (why: string) => {
      killedFor ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(`timed out after ${opts.timeoutMs} ms`), opts.timeoutMs);
    const onAbort = () => kill('stopped: the worker is shutting down');
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort);
    child.on('message', (msg: GenerateMessage) => {
      if (msg.type === 'ready') {
        child.send({ type: 'generate', generator: opts.generator, rows: opts.rows, seed: opts.seed, format: opts.format, outDir: scratch, batchRows: batchRowsFor(opts.rows) } satisfies GenerateRequest);
      } else if (msg.type === 'progress') opts.onProgress?.(msg.event);
      else if (msg.type === 'done') finish({ kind: 'done', manifest: msg.manifest });
      else if (msg.type === 'error') finish({ kind: 'failed', error: msg.message });
    });
    child.on('error', (err) => finish({ kind: 'failed', error: `generator could not start: ${err.message}` }));
    child.on('exit', (code, signal) => finish({ kind: 'failed', error: killedFor ?? `generator died (${signal ? `signal ${signal}` : `exit code ${code}`})` }));
  });
  try {
    if (outcome.kind === 'done') {
      // Replace whatever was there (an earlier failed or removed dataset of that name).
      fs.rmSync(opts.outDir, { recursive: true, force: true });
      fs.renameSync(scratch, opts.outDir);
    }
  } catch (err) {
    return { kind: 'failed', error: `could not move the generated files into ${opts.outDir}: ${(err as Error).message}` };
  } finally {
    try {
      fs.rmSync(scratch, { recursive: true, force: true });
    } catch {
      /* nothing was created (e.g. the data directory is unusable): the outcome says why */
    }
  }
  return outcome;
}
