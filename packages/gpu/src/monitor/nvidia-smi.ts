/**
 * GPU sampling with nvidia-smi: `--query-gpu=index,utilization.gpu,memory.used,memory.total,
 * temperature.gpu --format=csv,noheader,nounits -lms N` streams one line per GPU per sample. The
 * series belongs to the machine Phaselab runs on, which is the database's GPU only when PostgreSQL
 * runs on the same host; the result says which host it sampled.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import readline from 'node:readline';

export const NVIDIA_SMI_FIELDS = ['index', 'utilization.gpu', 'memory.used', 'memory.total', 'temperature.gpu'] as const;
export type NvidiaSmiField = (typeof NVIDIA_SMI_FIELDS)[number];

export interface GpuSample {
  /** Milliseconds since the monitor started (arrival time of the line). */
  tMs: number;
  gpu: number;
  utilizationPct: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  temperatureC: number | null;
}

export interface GpuStats {
  gpu: number;
  samples: number;
  avgUtilizationPct: number | null;
  maxUtilizationPct: number | null;
  maxMemoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  /** Peak memory used over total, 0–100. */
  maxMemoryPct: number | null;
  maxTemperatureC: number | null;
}

export type GpuMonitorResult =
  | { available: true; host: string; intervalMs: number; command: string; samples: GpuSample[]; perGpu: GpuStats[]; marks: { label: string; tMs: number }[] }
  | { available: false; host: string; reason: string };

const binary = () => process.env.PHASELAB_NVIDIA_SMI || 'nvidia-smi';

/** A number of nvidia-smi's `nounits` CSV, or null for `[N/A]`, `[Not Supported]`, `N/A`, empty. */
function num(s: string | undefined): number | null {
  if (s === undefined) return null;
  const t = s.trim();
  if (t === '' || /^\[?n\/a\]?$/i.test(t) || /^\[.*\]$/.test(t)) return null;
  const m = /^(-?\d+(?:\.\d+)?)\s*(%|MiB|C)?$/.exec(t); // tolerate units if `nounits` was left out
  return m ? Number(m[1]) : null;
}

/**
 * Parses `--format=csv,noheader,nounits` text. `fields` is the --query-gpu list in order; without an
 * `index` field, lines are numbered GPU 0..gpuCount-1 in turn. Lines that are not data (a header, a
 * blank line, an error message) are skipped.
 */
export function parseNvidiaSmiCsv(text: string, fields: readonly string[] = NVIDIA_SMI_FIELDS, opts: { tMs?: number; gpuCount?: number } = {}): GpuSample[] {
  const at = (name: string) => fields.indexOf(name);
  const iIndex = at('index');
  const iUtil = at('utilization.gpu');
  const iUsed = at('memory.used');
  const iTotal = at('memory.total');
  const iTemp = at('temperature.gpu');
  const out: GpuSample[] = [];
  let ordinal = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const parts = line.split(',').map((p) => p.trim());
    if (parts.length !== fields.length) continue;
    if (parts.some((p) => /[a-z]{3,}\.[a-z]/i.test(p))) continue; // a header row ("utilization.gpu [%]")
    const gpu = iIndex >= 0 ? num(parts[iIndex]) : ordinal++ % Math.max(1, opts.gpuCount ?? 1);
    if (gpu === null) continue;
    const sample: GpuSample = {
      tMs: opts.tMs ?? 0,
      gpu,
      utilizationPct: iUtil >= 0 ? num(parts[iUtil]) : null,
      memoryUsedMiB: iUsed >= 0 ? num(parts[iUsed]) : null,
      memoryTotalMiB: iTotal >= 0 ? num(parts[iTotal]) : null,
      temperatureC: iTemp >= 0 ? num(parts[iTemp]) : null,
    };
    if (sample.utilizationPct === null && sample.memoryUsedMiB === null && sample.temperatureC === null) continue;
    out.push(sample);
  }
  return out;
}

const maxOf = (xs: number[]) => (xs.length ? Math.max(...xs) : null);

/** Per-GPU summary of a series. */
export function summarizeSamples(samples: readonly GpuSample[]): GpuStats[] {
  const byGpu = new Map<number, GpuSample[]>();
  for (const s of samples) byGpu.set(s.gpu, [...(byGpu.get(s.gpu) ?? []), s]);
  return [...byGpu.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([gpu, ss]) => {
      const util = ss.map((s) => s.utilizationPct).filter((v): v is number => v !== null);
      const used = ss.map((s) => s.memoryUsedMiB).filter((v): v is number => v !== null);
      const totals = ss.map((s) => s.memoryTotalMiB).filter((v): v is number => v !== null);
      const temps = ss.map((s) => s.temperatureC).filter((v): v is number => v !== null);
      const maxUsed = maxOf(used);
      const total = maxOf(totals);
      return {
        gpu,
        samples: ss.length,
        avgUtilizationPct: util.length ? util.reduce((a, b) => a + b, 0) / util.length : null,
        maxUtilizationPct: maxOf(util),
        maxMemoryUsedMiB: maxUsed,
        memoryTotalMiB: total,
        maxMemoryPct: maxUsed !== null && total ? (100 * maxUsed) / total : null,
        maxTemperatureC: maxOf(temps),
      };
    });
}

export type NvidiaSmiAvailability = { available: boolean; host: string; reason?: string; gpus?: string[] };

/** What `nvidia-smi -L` answered (error, exit status, output), as an availability with its reason. */
function availabilityOf(host: string, error: Error | null | undefined, status: number | null, stdout: string, stderr: string): NvidiaSmiAvailability {
  if (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { available: false, host, reason: code === 'ENOENT' ? `nvidia-smi is not installed on ${host} (not found in PATH)` : `nvidia-smi could not run on ${host}: ${error.message}` };
  }
  if (status !== 0) {
    const why = `${stdout ?? ''}\n${stderr ?? ''}`.trim().split('\n')[0] || `exit code ${status}`;
    return { available: false, host, reason: `nvidia-smi failed on ${host}: ${why}` };
  }
  const gpus = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  if (gpus.length === 0) return { available: false, host, reason: `nvidia-smi on ${host} lists no GPU` };
  return { available: true, host, gpus };
}

/** Whether nvidia-smi can report on this machine (`nvidia-smi -L`), with the reason when not. */
export function nvidiaSmiAvailability(): NvidiaSmiAvailability {
  const host = os.hostname();
  const r = spawnSync(binary(), ['-L'], { encoding: 'utf8', timeout: 10_000 });
  return availabilityOf(host, r.error, r.status, r.stdout ?? '', r.stderr ?? '');
}

/** The same without blocking the event loop (the probe, inside the API server). */
export function nvidiaSmiAvailabilityAsync(): Promise<NvidiaSmiAvailability> {
  const host = os.hostname();
  return new Promise((resolve) => {
    execFile(binary(), ['-L'], { encoding: 'utf8', timeout: 10_000 }, (error, stdout, stderr) => {
      // execFile reports a non-zero exit as an error with a numeric `code`; only spawn failures are "could not run"
      const code = error ? (error as NodeJS.ErrnoException & { code?: unknown }).code : 0;
      if (error && typeof code === 'number') resolve(availabilityOf(host, null, code, stdout, stderr));
      else if (error && error.killed) resolve(availabilityOf(host, new Error('timed out after 10 s'), null, stdout, stderr));
      else resolve(availabilityOf(host, error, 0, stdout, stderr));
    });
  });
}

export interface GpuMonitor {
  /** Records a labelled point in time (run boundaries) on the series. */
  mark(label: string): void;
  stop(): Promise<GpuMonitorResult>;
}

/**
 * Starts sampling every `intervalMs` (nvidia-smi's -lms). When nvidia-smi is missing or fails, the
 * monitor still works and `stop()` answers `available: false` with the reason.
 */
export function startGpuMonitor(intervalMs = 500): GpuMonitor {
  const host = os.hostname();
  const check = nvidiaSmiAvailability();
  if (!check.available) {
    return { mark() {}, stop: async () => ({ available: false, host, reason: check.reason ?? 'nvidia-smi unavailable' }) };
  }
  const args = [`--query-gpu=${NVIDIA_SMI_FIELDS.join(',')}`, '--format=csv,noheader,nounits', '-lms', String(Math.max(100, Math.round(intervalMs)))];
  const t0 = performance.now();
  const samples: GpuSample[] = [];
  const marks: { label: string; tMs: number }[] = [];
  let stderr = '';
  let failure: string | null = null;
  const child = spawn(binary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.on('error', (e) => (failure = `nvidia-smi could not run: ${e.message}`));
  child.stderr.on('data', (d) => (stderr += d));
  const rl = readline.createInterface({ input: child.stdout });
  rl.on('line', (line) => samples.push(...parseNvidiaSmiCsv(line, NVIDIA_SMI_FIELDS, { tMs: performance.now() - t0 })));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    mark(label) {
      marks.push({ label, tMs: performance.now() - t0 });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (failure) return { available: false, host, reason: failure };
      if (samples.length === 0) {
        const why = stderr.trim().split('\n')[0] || `nvidia-smi exited with ${code} before the first sample`;
        return { available: false, host, reason: `no GPU sample: ${why}` };
      }
      return { available: true, host, intervalMs, command: `nvidia-smi ${args.join(' ')}`, samples, perGpu: summarizeSamples(samples), marks };
    },
  };
}
