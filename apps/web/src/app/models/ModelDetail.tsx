'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ParallelScaling } from '@/components/ParallelScaling';
import { Empty, QueryState } from '@/components/QueryState';
import { ScalingChart, valueFormat } from '@/components/ScalingChart';
import { rowsShort } from '@/components/SeriesPicker';
import type { Backend, Outputs } from '@/lib/api-types';
import { count, shortId, when } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

type Model = Outputs['costModel']['get'];

/** Workload and phase of a fitted model, from its name ("fit:<workload>#<phase>:<backend>:<measure>"). */
function seriesOf(m: Model): { workload: string; phase: number | null } | null {
  const match = /^fit:([^#:]+)(?:#(\d+))?:/.exec(m.name);
  return match ? { workload: match[1], phase: match[2] ? Number(match[2]) : null } : null;
}

export function ModelDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const model = useQuery(trpc.costModel.get.queryOptions({ id }));
  return (
    <QueryState isPending={model.isPending} error={model.error} what="the model">
      {() => <Model model={model.data!} />}
    </QueryState>
  );
}

function Model({ model }: { model: Model }) {
  const fit = model.fit;
  const fmt = valueFormat(fit?.unit);
  const series = seriesOf(model);
  return (
    <>
      <section className="card" data-testid="model-detail">
        <h2>{model.name}</h2>
        <p className="muted small">{model.description}</p>
        {fit ? (
          <dl className="metrics" data-testid="model-fit">
            <div className="metric">
              <dt>R²</dt>
              <dd data-testid="model-r2">{fit.r2.toFixed(4)}</dd>
            </div>
            <div className="metric">
              <dt>fixed</dt>
              <dd>{fmt(fit.fixed)}</dd>
            </div>
            <div className="metric">
              <dt>per million rows</dt>
              <dd>{fmt(fit.perRow * 1e6)}</dd>
            </div>
            <div className="metric">
              <dt>σ (residual)</dt>
              <dd>{fmt(fit.sigma)}</dd>
            </div>
            <div className="metric">
              <dt>points · summary</dt>
              <dd>
                {fit.n} · {fit.summary}
              </dd>
            </div>
            <div className="metric">
              <dt>scales used</dt>
              <dd className="small" data-testid="model-scales">{fit.scales.map(rowsShort).join(', ')}</dd>
            </div>
          </dl>
        ) : (
          <Empty>A built-in model: no fit, only its formula.</Empty>
        )}
      </section>
      {fit && <ScalingChart model={model} />}
      {fit && <Predict model={model} />}
      {fit && <Residuals model={model} />}
      {series?.phase && model.backend && <ParallelScaling workload={series.workload} phase={series.phase} backend={model.backend as Backend} />}
    </>
  );
}

function Predict({ model }: { model: Model }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const fmt = valueFormat(model.fit?.unit);
  const [rows, setRows] = useState('100000000');
  const predict = useMutation(trpc.costModel.predict.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.costModel.get.queryKey({ id: model.id }) }) }));
  return (
    <section className="card" data-testid="predictions">
      <h2>Predictions</h2>
      <form
        className="form-row"
        aria-label="Predict"
        onSubmit={(e) => {
          e.preventDefault();
          predict.mutate({ id: model.id, rows: Number(rows) });
        }}
      >
        <label className="field">
          <span>Rows</span>
          <input name="rows" type="number" min={1} step={1} value={rows} onChange={(e) => setRows(e.target.value)} required />
        </label>
        <div className="field narrow" style={{ justifyContent: 'flex-end' }}>
          <button type="submit" className="primary" disabled={predict.isPending || !(Number(rows) > 0)}>
            Predict
          </button>
        </div>
      </form>
      {predict.error && <p className="error" role="alert">{predict.error.message}</p>}
      {model.predictions.length === 0 ? (
        <Empty>No predictions yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data stack" data-testid="prediction-table">
            <thead>
              <tr>
                <th className="num">rows</th>
                <th className="num">predicted</th>
                <th className="num">interval</th>
                <th className="num">actual (median)</th>
                <th className="num">error</th>
                <th>when</th>
              </tr>
            </thead>
            <tbody>
              {model.predictions.map((p) => (
                <tr key={p.id} data-testid="prediction-row" data-rows={p.rows}>
                  <td className="num sql"><strong>{count(p.rows)} rows</strong></td>
                  <td className="num" data-label="predicted" data-testid="predicted" data-value={p.predicted}>{fmt(p.predicted)}</td>
                  <td className="num" data-label={`${Math.round(p.level * 100)} %`}>
                    {fmt(p.lower)} – {fmt(p.upper)}
                  </td>
                  <td className="num" data-label="actual">{p.actual ? `${fmt(p.actual.median)} (n ${p.actual.n})` : 'no run yet'}</td>
                  <td className="num" data-label="error">
                    {p.actual ? <span className={p.actual.withinInterval ? undefined : 'bad-text'}>{p.actual.errorPct.toFixed(1)} %{p.actual.withinInterval ? '' : ' outside'}</span> : '—'}
                  </td>
                  <td className="nowrap">{when(p.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Residuals({ model }: { model: Model }) {
  const fmt = valueFormat(model.fit?.unit);
  const flagged = new Set(model.flaggedRunIds);
  const outside = model.newRuns.filter((r) => r.outside);
  return (
    <section className="card" data-testid="residuals">
      <h2>
        Residuals {flagged.size > 0 && <span className="badge status-failed">{flagged.size} run{flagged.size === 1 ? '' : 's'} flagged</span>}
      </h2>
      <div className="table-wrap">
        <table className="data stack">
          <thead>
            <tr>
              <th className="num">rows</th>
              <th className="num">measured</th>
              <th className="num">fitted</th>
              <th className="num">residual</th>
              <th className="num">standardized</th>
              <th>runs</th>
            </tr>
          </thead>
          <tbody>
            {[...model.points].sort((a, b) => a.x - b.x || a.y - b.y).map((p, i) => (
              <tr key={i} className={p.flagged ? 'flagged' : undefined} data-testid={p.flagged ? 'flagged-point' : 'point'}>
                <td className="num sql"><strong>{count(p.x)}</strong></td>
                <td className="num" data-label="measured">{fmt(p.y)}</td>
                <td className="num" data-label="fitted">{fmt(p.fitted)}</td>
                <td className="num" data-label="residual">{p.residual >= 0 ? '+' : '−'}{fmt(Math.abs(p.residual))}</td>
                <td className="num" data-label="z">{p.standardized === null ? '—' : p.standardized.toFixed(2)}{p.flagged ? ' far off' : ''}</td>
                <td className="small">
                  {p.runIds.slice(0, 3).map((r) => (
                    <Link key={r} href={`/runs/${r}`} className="run-ref">{shortId(r)}</Link>
                  ))}
                  {p.runIds.length > 3 && <span className="muted"> +{p.runIds.length - 3}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {outside.length > 0 && (
        <p className="error" data-testid="new-runs-outside">
          {outside.length} run(s) recorded after the fit fall outside the prediction interval:{' '}
          {outside.map((r) => `${count(r.x)} rows ${fmt(r.y)} (predicted ${r.predicted === null ? "—" : fmt(r.predicted)})`).join('; ')}
        </p>
      )}
    </section>
  );
}
