/**
 * `--post URL`: each measurement becomes a run in the platform (POST URL/api/v1/runs, the API's
 * run.record, apps/api/src/runs/external.ts), authenticated with PHASELAB_API_KEY. The wall time
 * posted is the median; min, max and every run go along as labels. The harness measures neither
 * CPU time nor memory per query for the peers, so those are posted as 0 and labelled as such.
 */
import os from 'node:os';
import { findWorkload } from '@phaselab/workloads';
import type { BenchReport, Measurement } from './run.js';
import { SUITES } from './suites.js';

export interface RunPost {
  engine: string;
  engineVersion: string;
  sql: string;
  dataset: string;
  workload?: string;
  rowsScale: number;
  wallMs: number;
  cpuMs: number;
  peakMemoryBytes: number;
  resultRows: number;
  machine: Record<string, unknown>;
  labels: Record<string, unknown>;
  measuredAt: string;
}

export function runPostsOf(report: BenchReport): RunPost[] {
  const suite = SUITES[report.suite];
  const workload = findWorkload(report.suite)?.key;
  return report.results
    .filter((m): m is Measurement => !m.error && Number.isFinite(m.medianMs))
    .map((m) => ({
      engine: m.engine,
      engineVersion: report.versions[m.engine] ?? 'unknown',
      sql: suite.queries.find((q) => q.id === m.query)!.sql,
      dataset: report.dataset,
      ...(workload ? { workload } : {}),
      rowsScale: report.rows,
      wallMs: m.medianMs,
      cpuMs: 0,
      peakMemoryBytes: 0,
      resultRows: m.rows ?? 0,
      machine: {
        hostname: report.machine.hostname,
        platform: os.platform(),
        arch: os.arch(),
        cpus: report.machine.cpus,
        cpuModel: report.machine.cpuModel,
        totalMemoryBytes: report.machine.memoryBytes,
        os: report.machine.os,
        node: report.machine.node,
      },
      labels: {
        harness: 'phaselab-bench',
        suite: report.suite,
        query: m.query,
        mode: m.mode,
        runsMs: m.runsMs,
        minMs: m.minMs,
        maxMs: m.maxMs,
        seed: report.seed,
        mismatch: m.mismatch,
        cpuAndMemory: 'not measured per query',
      },
      measuredAt: report.date,
    }));
}

/** POSTs every run; returns the created run ids. Throws on the first refusal with the API's message. */
export async function postRuns(baseUrl: string, report: BenchReport, apiKey = process.env.PHASELAB_API_KEY, fetchImpl: typeof fetch = fetch): Promise<string[]> {
  if (!apiKey) throw new Error('--post needs PHASELAB_API_KEY in the environment (an API key of the workspace)');
  const ids: string[] = [];
  for (const body of runPostsOf(report)) {
    const res = await fetchImpl(`${baseUrl.replace(/\/$/, '')}/api/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST /api/v1/runs for ${body.labels.query} on ${body.engine}: HTTP ${res.status} ${text.slice(0, 300)}`);
    ids.push((JSON.parse(text) as { id: string }).id);
  }
  return ids;
}
