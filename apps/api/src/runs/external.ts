/**
 * Runs measured outside the workers (run.record / POST /api/v1/runs): a benchmark harness posts what
 * it measured on the engine or a peer (DuckDB, Polars, PostgreSQL, PG-Strom), and the run is stored
 * like a worker's, so lists, comparisons, phase tables and cost models see it. The posted operators
 * are a flat pre-order list (parentIndex) — JSON-schema friendly — turned back into the plan tree the
 * dashboard draws.
 */
import type { PrismaClient } from '@prisma/client';
import { z } from 'zod';
import { transaction, type Db } from '../db/client.js';
import { Backend } from '../dto.js';
import { insertRun } from '../jobs/record.js';
import type { OperatorJson, RunResult, StageTiming } from '../jobs/protocol.js';
import type { ClaimedJob } from '../jobs/store.js';
import { FieldError } from '../trpc.js';

const nonNegative = z.number().finite().nonnegative();
const count = z.number().int().nonnegative();

export const ExternalOperator = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(10_000).default(''),
  /** Position of the parent in this list (pre-order: parents come first); null for the root. */
  parentIndex: z.number().int().min(0).nullable(),
  outputRows: count,
  outputBatches: count.default(0),
  elapsedMs: nonNegative,
  peakMemoryBytes: count.default(0),
  extra: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const ExternalStage = z.object({
  stage: z.enum(['register', 'plan', 'execute', 'output']),
  wallMs: nonNegative,
  rowsIn: count.optional(),
  rowsOut: count.optional(),
  peakMemoryBytes: count.optional(),
});

export const Machine = z
  .object({
    hostname: z.string().min(1).max(255),
    platform: z.string().min(1).max(50),
    arch: z.string().min(1).max(50),
    cpus: z.number().int().min(1).max(100_000),
    cpuModel: z.string().max(255).nullable().optional(),
    totalMemoryBytes: count.optional(),
  })
  .catchall(z.unknown());

export const RecordRunInput = z.object({
  /** engine | duckdb | polars | postgres | pgstrom */
  engine: Backend,
  engineVersion: z.string().trim().min(1, 'must not be empty').max(200),
  sql: z.string().trim().min(1, 'must not be empty').max(100_000),
  /** A dataset of the workspace by name, or a generator key (sales, finance, …) kept as given. */
  dataset: z.string().trim().min(1).max(200).optional(),
  /** Workload catalog key (workload.list); with `phase`, ties the run to that phase's series. */
  workload: z.string().trim().min(1).max(200).optional(),
  /** Phase order (1, 2, …) or name within the workload. */
  phase: z.union([z.number().int().min(1), z.string().trim().min(1).max(200)]).optional(),
  /** Rows of the fact table the run was measured at; defaults to the dataset's rows when it is registered. */
  rowsScale: count.optional(),
  wallMs: nonNegative,
  cpuMs: nonNegative,
  peakMemoryBytes: count,
  resultRows: count,
  machine: Machine,
  operators: z.array(ExternalOperator).max(5000).optional(),
  stages: z.array(ExternalStage).max(20).optional(),
  explain: z.string().max(1_000_000).optional(),
  /** Free labels, e.g. { query: "q1", mode: "hot", runsMs: [..] }. */
  labels: z.record(z.string(), z.unknown()).optional(),
  /** When it was measured (ISO 8601); default now. */
  measuredAt: z.iso.datetime({ offset: true }).optional(),
});
export type RecordRunInput = z.infer<typeof RecordRunInput>;


/** The operator tree from a flat pre-order list; checks that every parent comes before its child. */
export function operatorTree(ops: z.infer<typeof ExternalOperator>[]): OperatorJson | null {
  if (ops.length === 0) return null;
  const nodes: OperatorJson[] = ops.map((o) => ({
    name: o.name,
    description: o.description,
    metrics: { outputRows: o.outputRows, outputBatches: o.outputBatches, elapsedComputeMs: o.elapsedMs, peakMemoryBytes: o.peakMemoryBytes, ...(o.extra ? { extra: o.extra } : {}) },
    children: [],
  }));
  ops.forEach((o, i) => {
    if (i === 0) {
      if (o.parentIndex !== null) throw new FieldError('operators.0.parentIndex', 'the first operator is the root: parentIndex must be null');
      return;
    }
    if (o.parentIndex === null || o.parentIndex >= i) {
      throw new FieldError(`operators.${i}.parentIndex`, `must name an earlier operator (0..${i - 1}); the list is in pre-order`);
    }
    nodes[o.parentIndex].children.push(nodes[i]);
  });
  return nodes[0];
}

async function resolvePhase(prisma: PrismaClient, workload: string | undefined, phase: number | string | undefined): Promise<string | null> {
  if (phase !== undefined && workload === undefined) throw new FieldError('workload', 'is required with phase');
  if (workload === undefined) return null;
  const w = await prisma.workload.findUnique({ where: { catalogKey: workload }, include: { phases: true } });
  if (!w) throw new FieldError('workload', `"${workload}" is not in the workload catalog`);
  if (phase === undefined) return null;
  const p = w.phases.find((x) => (typeof phase === 'number' ? x.order === phase : x.name === phase));
  if (!p) throw new FieldError('phase', `workload "${workload}" has no phase ${JSON.stringify(phase)} (phases: ${w.phases.sort((a, b) => a.order - b.order).map((x) => `${x.order} ${x.name}`).join(', ')})`);
  return p.id;
}

/** Stores an external run in the workspace; returns its id. */
export async function recordExternalRun(db: Db, workspaceId: string, input: RecordRunInput): Promise<string> {
  const plan = operatorTree(input.operators ?? []);
  const phaseId = await resolvePhase(db.prisma, input.workload, input.phase);
  const dataset = input.dataset
    ? await db.prisma.dataset.findUnique({ where: { workspaceId_name: { workspaceId, name: input.dataset } }, select: { id: true, rows: true } })
    : null;
  const rowsScale = input.rowsScale ?? (dataset ? Number(dataset.rows) : null);
  const result: RunResult = {
    type: 'result',
    columns: [],
    rows: [],
    resultRows: input.resultRows,
    rowsRead: 0,
    wallMs: input.wallMs,
    cpuMs: input.cpuMs,
    peakMemoryBytes: input.peakMemoryBytes,
    processMaxRssBytes: 0,
    stages: (input.stages ?? []) as StageTiming[],
    plan,
    explain: input.explain ?? '',
    backendVersion: input.engineVersion,
  };
  // No Job row: the run was measured elsewhere.
  const pseudoJob = { id: null, workspace_id: workspaceId, backend: input.engine, sql: input.sql, dataset_id: dataset?.id ?? null, phase_id: phaseId } as unknown as ClaimedJob;
  return transaction(db.pool, (client) =>
    insertRun(client, pseudoJob, { id: dataset?.id ?? null, rows: rowsScale === null ? null : String(rowsScale) }, result, input.machine, {
      source: 'external',
      datasetKey: dataset ? null : (input.dataset ?? null),
      labels: { ...(input.labels ?? {}), ...(input.workload ? { workload: input.workload } : {}), ...(input.phase !== undefined ? { phase: input.phase } : {}) },
      createdAt: input.measuredAt ? new Date(input.measuredAt) : null,
    }),
  );
}
