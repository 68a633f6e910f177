/**
 * Job runner children started ahead of time. A fresh runner spends ~0.3-0.5 s loading its bundle
 * (the engine, Arrow, Parquet's WebAssembly) before it can take a job; a worker keeps one such child
 * per job slot already loaded and waiting, so a small job starts at once. Every runner still runs one
 * job and exits: nothing carries over from one job to the next.
 *
 * Only processes that call keepWarmRunners (the worker) hold spare children; elsewhere (seed, CLI)
 * acquireRunner forks on demand, so those processes can exit when done.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { prepareRunner } from './bundle.js';

export interface Runner {
  child: ChildProcess;
  /** Resolves once the child said 'ready' (its bundle is loaded). */
  ready: Promise<void>;
}

interface Spare extends Runner {
  heapMb: number;
  isReady?: boolean;
}

let spares: Spare[] = [];
let wanted = 0;
let wantedHeapMb = 0;

async function spawnRunner(heapMb: number, warmUp = false): Promise<Runner> {
  const entry = await prepareRunner();
  const child = fork(entry.file, [], {
    // a larger initial old space: from V8's small default, the engine's typed-array churn forces a
    // mark-compact every ~15 MB (see packages/engine/README.md, "Memory and GC")
    execArgv: [...entry.execArgv, `--max-old-space-size=${heapMb}`, `--initial-old-space-size=${Math.min(512, Math.floor(heapMb / 2))}`],
    env: { ...process.env, PHASELAB_RUNNER_WARMUP: warmUp ? '1' : '0' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (m: { type?: string }) => {
      if (m?.type !== 'ready') return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.once('exit', () => reject(new Error('runner exited before it was ready')));
  });
  ready.catch(() => {}); // the job's own exit handler reports it
  return { child, ready };
}

const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null && c.connected;

function refill(): void {
  spares = spares.filter((s) => !s.child || alive(s.child));
  while (spares.length < wanted) {
    const slot: Spare = { heapMb: wantedHeapMb } as Spare;
    spares.push(slot);
    spawnRunner(wantedHeapMb, true).then(
      (r) => {
        Object.assign(slot, r);
        r.ready.then(() => (slot.isReady = true), () => {});
        // A spare that dies idle (killed from outside) is replaced.
        r.child.once('exit', () => {
          if (spares.includes(slot)) {
            spares = spares.filter((s) => s !== slot);
            if (wanted > 0) setTimeout(refill, 1000).unref();
          }
        });
        if (wanted === 0) r.child.kill('SIGKILL');
      },
      () => (spares = spares.filter((s) => s !== slot)),
    );
  }
}

/** Keeps `count` runners with this heap limit loaded and waiting (the worker's job slots). */
export function keepWarmRunners(count: number, heapMb: number): void {
  wanted = count;
  wantedHeapMb = heapMb;
  refill();
}

export function stopWarmRunners(): void {
  wanted = 0;
  for (const s of spares) s.child?.kill('SIGKILL');
  spares = [];
}

/**
 * Resolves once a warmed-up spare with this heap limit is waiting (or after `timeoutMs`): callers
 * that run jobs back to back (the regress and scaling CLIs) wait here, off the job's clock, so every
 * run starts on a warm runner as the worker's jobs do.
 */
export async function waitForWarmRunner(heapMb: number, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (spares.some((s) => s.isReady && s.heapMb === heapMb && s.child && alive(s.child))) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/** A loaded spare runner when one with this heap limit is waiting, else a fresh one. */
export async function acquireRunner(heapMb: number): Promise<Runner> {
  // Only a spare that finished warming up: one still warming would make the job wait for it,
  // longer than a fresh child takes to start.
  const i = spares.findIndex((s) => s.isReady && s.heapMb === heapMb && alive(s.child));
  if (i >= 0) {
    const [spare] = spares.splice(i, 1);
    spare.child.removeAllListeners('exit'); // the job attaches its own
    refill();
    return { child: spare.child, ready: spare.ready };
  }
  return spawnRunner(heapMb);
}
