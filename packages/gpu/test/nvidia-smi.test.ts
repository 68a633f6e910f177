import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { nvidiaSmiAvailability, nvidiaSmiAvailabilityAsync, parseNvidiaSmiCsv, startGpuMonitor, summarizeSamples, NVIDIA_SMI_FIELDS } from '../src/monitor/nvidia-smi.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const text = fs.readFileSync(path.join(here, 'fixtures', 'nvidia-smi.csv'), 'utf8');

describe('nvidia-smi CSV', () => {
  it('parses index, utilization, memory and temperature per GPU; [N/A] and [Not Supported] become null', () => {
    const s = parseNvidiaSmiCsv(text);
    expect(s).toHaveLength(6);
    expect(s[3]).toEqual({ tMs: 0, gpu: 0, utilizationPct: 87, memoryUsedMiB: 38211, memoryTotalMiB: 46068, temperatureC: 55 });
    expect(s[5]).toMatchObject({ gpu: 2, utilizationPct: null, memoryUsedMiB: null, memoryTotalMiB: 46068 });
  });

  it('summarizes per GPU: average and peak utilization, peak memory share', () => {
    const stats = summarizeSamples(parseNvidiaSmiCsv(text));
    expect(stats.map((g) => g.gpu)).toEqual([0, 1, 2]);
    expect(stats[0]).toMatchObject({ samples: 2, avgUtilizationPct: 43.5, maxUtilizationPct: 87, maxMemoryUsedMiB: 38211, memoryTotalMiB: 46068, maxTemperatureC: 55 });
    expect(stats[0].maxMemoryPct).toBeCloseTo((100 * 38211) / 46068, 6);
    expect(stats[2]).toMatchObject({ avgUtilizationPct: 0, maxUtilizationPct: 0 });
  });

  it('skips headers and noise, accepts units, and the 4-field query without an index', () => {
    const withHeader = 'index, utilization.gpu [%], memory.used [MiB], memory.total [MiB], temperature.gpu\n0, 35 %, 100 MiB, 200 MiB, 40\nNVIDIA-SMI has failed\n';
    expect(parseNvidiaSmiCsv(withHeader)).toEqual([{ tMs: 0, gpu: 0, utilizationPct: 35, memoryUsedMiB: 100, memoryTotalMiB: 200, temperatureC: 40 }]);
    const four = parseNvidiaSmiCsv('10, 500, 1000, 40\n20, 600, 1000, 41\n', ['utilization.gpu', 'memory.used', 'memory.total', 'temperature.gpu'], { gpuCount: 2 });
    expect(four.map((x) => [x.gpu, x.utilizationPct])).toEqual([[0, 10], [1, 20]]);
  });
});

describe('GPU monitor', () => {
  const saved = process.env.PHASELAB_NVIDIA_SMI;
  afterEach(() => {
    if (saved === undefined) delete process.env.PHASELAB_NVIDIA_SMI;
    else process.env.PHASELAB_NVIDIA_SMI = saved;
  });

  it('says plainly when nvidia-smi is missing', async () => {
    process.env.PHASELAB_NVIDIA_SMI = '/nonexistent/nvidia-smi';
    expect(nvidiaSmiAvailability()).toMatchObject({ available: false, reason: expect.stringMatching(/not installed on .*not found in PATH/) });
    const m = startGpuMonitor(100);
    m.mark('run 1');
    expect(await m.stop()).toEqual({ available: false, host: os.hostname(), reason: expect.stringMatching(/nvidia-smi is not installed/) });
  });

  it('the non-blocking check (used by the API probe) answers as the blocking one: missing, failing, listing GPUs', async () => {
    process.env.PHASELAB_NVIDIA_SMI = '/nonexistent/nvidia-smi';
    expect(await nvidiaSmiAvailabilityAsync()).toEqual(nvidiaSmiAvailability());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smi-'));
    const failing = path.join(dir, 'failing');
    fs.writeFileSync(failing, '#!/bin/sh\necho "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver."\nexit 9\n');
    const listing = path.join(dir, 'listing');
    fs.writeFileSync(listing, '#!/bin/sh\necho "GPU 0: NVIDIA L40S (UUID: GPU-a)"\necho "GPU 1: NVIDIA L40S (UUID: GPU-b)"\n');
    fs.chmodSync(failing, 0o755);
    fs.chmodSync(listing, 0o755);
    process.env.PHASELAB_NVIDIA_SMI = failing;
    expect(await nvidiaSmiAvailabilityAsync()).toEqual({ available: false, host: os.hostname(), reason: expect.stringMatching(/^nvidia-smi failed on .*: NVIDIA-SMI has failed/) });
    expect(await nvidiaSmiAvailabilityAsync()).toEqual(nvidiaSmiAvailability());
    process.env.PHASELAB_NVIDIA_SMI = listing;
    expect(await nvidiaSmiAvailabilityAsync()).toEqual({ available: true, host: os.hostname(), gpus: ['GPU 0: NVIDIA L40S (UUID: GPU-a)', 'GPU 1: NVIDIA L40S (UUID: GPU-b)'] });
  });

  it('streams samples from a running nvidia-smi process until stopped (a stand-in script exercises the process handling)', async () => {
    // Not a GPU: a shell script answering `-L` and printing the documented CSV lines, to test
    // spawning, line timing and stop(); the real binary is checked on a GPU machine (README).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smi-'));
    const script = path.join(dir, 'nvidia-smi');
    fs.writeFileSync(script, `#!/bin/sh\nif [ "$1" = "-L" ]; then echo "GPU 0: Stand-in (UUID: GPU-0)"; exit 0; fi\ncase "$1" in --query-gpu=${NVIDIA_SMI_FIELDS.join(',')}) ;; *) echo "bad args $1" >&2; exit 2;; esac\ni=0\nwhile true; do echo "0, $((i*10)), $((1000+i)), 2000, 40"; i=$((i+1)); sleep 0.1; done\n`);
    fs.chmodSync(script, 0o755);
    process.env.PHASELAB_NVIDIA_SMI = script;
    const m = startGpuMonitor(100);
    await new Promise((r) => setTimeout(r, 450));
    m.mark('explain');
    const r = await m.stop();
    if (!r.available) throw new Error(r.reason);
    expect(r.samples.length).toBeGreaterThanOrEqual(2);
    expect(r.samples[0].utilizationPct).toBe(0);
    expect(r.samples[1].tMs).toBeGreaterThan(r.samples[0].tMs);
    expect(r.perGpu[0].memoryTotalMiB).toBe(2000);
    expect(r.marks.map((x) => x.label)).toEqual(['explain']);
    expect(r.command).toMatch(/--format=csv,noheader,nounits -lms 100/);
  });
});
