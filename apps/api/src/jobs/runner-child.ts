/**
 * One job's SQL, in a process of its own (forked by the worker, see execute.ts): a runaway query, an
 * out-of-memory abort or a crash in here ends this process, never the worker. Reads one RunRequest
 * over IPC, answers with progress messages and one result or error, then exits. Exits at once when
 * the worker goes away (IPC disconnect), so a killed worker leaves no orphan behind.
 */
import { SessionContext, formatBatchRows, isEngineError, typeName, type Batch, type Field } from '@phaselab/engine';
import type { ChildMessage, OperatorJson, PreviewValue, RunRequest, RunResult, StageTiming } from './protocol.js';
import { runPostgresJob } from './backends/postgres.js';
import { warmUpRunner } from './runner-warmup.js';

const send = (msg: ChildMessage) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(msg, () => resolve());
  });

function toValue(text: string | null, field: Field): PreviewValue {
  if (text === null) return null;
  switch (field.type.kind) {
    case 'int32':
    case 'int64':
    case 'float64': {
      const n = Number(text);
      return Number.isFinite(n) ? n : text; // NaN / Infinity stay text, as JSON has no such numbers
    }
    case 'bool':
      return text === 't';
    default:
      return text; // numeric stays exact as text; dates and timestamps in PostgreSQL's format
  }
}

function sumPeak(op: OperatorJson | null): number {
  if (!op) return 0;
  return op.metrics.peakMemoryBytes + op.children.reduce((a, c) => a + sumPeak(c), 0);
}

function renderTree(op: OperatorJson, depth = 0, out: string[] = []): string[] {
  const m = op.metrics;
  const extra = m.extra ? Object.entries(m.extra).map(([k, v]) => `, ${k}=${v}`).join('') : '';
  out.push(
    `${'  '.repeat(depth)}${op.name}: ${op.description}  [output_rows=${m.outputRows}, output_batches=${m.outputBatches}, ` +
      `elapsed_compute=${m.elapsedComputeMs}ms, peak_mem=${m.peakMemoryBytes}${extra}]`,
  );
  for (const c of op.children) renderTree(c, depth + 1, out);
  return out;
}

async function run(req: RunRequest): Promise<RunResult> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const stages: StageTiming[] = [];
  const stage = async <T>(name: StageTiming['stage'], fn: () => Promise<T>): Promise<T> => {
    await send({ type: 'stage', stage: name });
    const s = performance.now();
    const out = await fn();
    stages.push({ stage: name, wallMs: performance.now() - s });
    return out;
  };

  const ctx = new SessionContext({ memoryLimit: req.memoryLimitBytes, ...(req.partitions !== undefined ? { partitions: req.partitions } : {}) });
  await stage('register', async () => {
    for (const t of req.tables) await ctx.registerFile(t.name, t.path);
  });
  const { df, explain } = await stage('plan', async () => {
    const df = await ctx.sql(req.sql);
    const explain = await df.explainJson({ analyze: false });
    return { df, explain };
  });

  const columns = df.schema.map((f) => ({ name: f.name, type: typeName(f.type) }));
  const preview: Record<string, PreviewValue>[] = [];
  let resultRows = 0;
  let rowsRead = 0;
  const batches: Batch[] = [];
  await stage('execute', async () => {
    for await (const b of df.streamBatches({
      progressIntervalMs: 200,
      onProgress: (p) => {
        rowsRead = p.rowsRead;
        void send({ type: 'progress', rowsRead: p.rowsRead, totalRows: p.totalRows });
      },
    })) {
      resultRows += b.numRows;
      // Keep only what the preview needs; everything else is counted and dropped.
      if (preview.length < req.previewRows) batches.push(b);
    }
  });
  await stage('output', async () => {
    for (const b of batches) {
      for (const r of formatBatchRows(b)) {
        if (preview.length >= req.previewRows) break;
        const row: Record<string, PreviewValue> = {};
        df.schema.forEach((f, i) => (row[f.name] = toValue(r[i], f)));
        preview.push(row);
      }
    }
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const plan = df.lastRunMetrics() as OperatorJson | null;
  const execute = stages.find((s) => s.stage === 'execute');
  if (execute) Object.assign(execute, { rowsIn: rowsRead, rowsOut: resultRows, peakMemoryBytes: sumPeak(plan) });
  return {
    type: 'result',
    columns,
    rows: preview,
    resultRows,
    rowsRead,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakMemoryBytes: sumPeak(plan),
    processMaxRssBytes: process.resourceUsage().maxRSS * 1024,
    enginePartitions: ctx.options.parallel.partitions,
    stages,
    plan,
    explain: ['== Logical Plan ==', explain.optimizedLogicalPlan, '', '== Physical Plan (analyzed) ==', ...(plan ? renderTree(plan) : [explain.physicalPlan])].join('\n'),
  };
}

process.on('disconnect', () => process.exit(0));
process.once('message', (msg: RunRequest) => {
  (msg.backend === 'postgres' || msg.backend === 'pgstrom' ? runPostgresJob(msg, send) : run(msg)).then(
    async (result) => {
      await send(result);
      process.exit(0);
    },
    async (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      await send({ type: 'error', message, ...(isEngineError(err) ? { code: err.code } : {}) });
      process.exit(0);
    },
  );
});
// A spare runner (PHASELAB_RUNNER_WARMUP=1, see warm-runners.ts) warms up before it says ready; a
// warm-up failure only costs the job that time back.
(process.env.PHASELAB_RUNNER_WARMUP === '1' ? warmUpRunner().catch(() => {}) : Promise.resolve()).then(() => send({ type: 'ready' }));
