import type { Run } from '@/lib/api-types';
import { GpuMonitor } from './GpuMonitorChart';
import { MetricCards } from './MetricCards';
import { PlanTree } from './PlanTree';
import { ResultTable } from './ResultTable';
import { StageTimeline } from './StageTimeline';

/** What a finished run shows on both the job and the run page: metrics, rows, plan, stages, GPU monitor. */
export function RunDetails({ run }: { run: Run }) {
  return (
    <>
      <MetricCards metrics={run.metrics} />
      <section className="card" aria-labelledby="result-h">
        <h2 id="result-h">Result</h2>
        <ResultTable columns={run.columns} rows={run.rows} total={run.metrics.resultRows} />
      </section>
      <div className="grid plan-grid">
        <section className="card" aria-labelledby="plan-h">
          <h2 id="plan-h">Plan (EXPLAIN ANALYZE)</h2>
          <PlanTree operators={run.operators} />
        </section>
        <section className="card" aria-labelledby="stages-h">
          <h2 id="stages-h">Stages</h2>
          <StageTimeline stages={run.stages} />
          {run.explain && (
            <details className="explain">
              <summary>EXPLAIN ANALYZE text</summary>
              <pre>{run.explain}</pre>
            </details>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="gpu-h">
        <h2 id="gpu-h">GPU utilization (nvidia-smi)</h2>
        <GpuMonitor monitor={run.gpuMonitor} />
      </section>
    </>
  );
}
