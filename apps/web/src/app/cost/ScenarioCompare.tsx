'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CostChart } from '@/components/CostChart';
import type { Inputs } from '@/lib/api-types';
import { ms } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { usd } from './InstanceCatalog';

type Node = { instanceType: string; count: string; role: string; emr: boolean };
type Option = { label: string; startupSeconds: string; job: 'seconds' | 'runs'; jobSeconds: string; runIds: string; nodes: Node[] };

const BILLING = {
  second: { incrementSeconds: 1, minimumSeconds: 60, label: 'per second (60 s minimum)' },
  hour: { incrementSeconds: 3600, minimumSeconds: 3600, label: 'per hour (one billed hour per run)' },
} as const;

const blankNode = (): Node => ({ instanceType: '', count: '1', role: '', emr: false });
const blankOption = (n: number): Option => ({ label: `Option ${n}`, startupSeconds: '0', job: 'seconds', jobSeconds: '', runIds: '', nodes: [blankNode()] });

/**
 * Seed 002's inputs as its authors entered them (6 minutes to create the EMR cluster, a ~4-minute job
 * on it, ~36 s with Polars on one node, one daily run billed by the hour). Only the inputs: the totals
 * come from the API and the catalog's prices.
 */
const SEED_002: { billing: keyof typeof BILLING; runsPerDay: string; options: Option[] } = {
  billing: 'hour',
  runsPerDay: '1',
  options: [
    {
      label: 'EMR cluster',
      startupSeconds: '360',
      job: 'seconds',
      jobSeconds: '245',
      runIds: '',
      nodes: [
        { instanceType: 'm5.xlarge@ap-northeast-2', count: '1', role: 'master', emr: true },
        { instanceType: 'r5.xlarge@ap-northeast-2', count: '1', role: 'core', emr: true },
      ],
    },
    { label: 'Polars on one node', startupSeconds: '0', job: 'seconds', jobSeconds: '36', runIds: '', nodes: [{ instanceType: 'm6g.xlarge@ap-northeast-2', count: '1', role: '', emr: false }] },
  ],
};

export function ScenarioCompare() {
  const trpc = useTRPC();
  const catalog = useQuery(trpc.instanceType.list.queryOptions({ service: 'ec2' }));
  const [billing, setBilling] = useState<keyof typeof BILLING>('second');
  const [runsPerDay, setRunsPerDay] = useState('1');
  const [options, setOptions] = useState<Option[]>([blankOption(1), blankOption(2)]);
  const scenario = useMutation(trpc.cost.scenario.mutationOptions());

  const setOption = (i: number, patch: Partial<Option>) => setOptions((os) => os.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  const setNode = (i: number, k: number, patch: Partial<Node>) => setOption(i, { nodes: options[i].nodes.map((n, j) => (j === k ? { ...n, ...patch } : n)) });

  const submit = () => {
    const { incrementSeconds, minimumSeconds } = BILLING[billing];
    const input: Inputs['cost']['scenario'] = {
      runsPerMonth: (Number(runsPerDay) * 365) / 12,
      billing: { incrementSeconds, minimumSeconds },
      options: options.map((o) => ({
        label: o.label,
        startupSeconds: Number(o.startupSeconds) || 0,
        job: o.job === 'seconds' ? { seconds: Number(o.jobSeconds) } : { runIds: o.runIds.split(/[\s,]+/).filter(Boolean) },
        nodes: o.nodes.map((n) => ({ instanceType: n.instanceType, count: Number(n.count) || 1, role: n.role || undefined, emr: n.emr })),
      })),
    };
    scenario.mutate(input);
  };

  return (
    <section className="card" data-testid="scenario">
      <div className="card-head">
        <h2>Scenario compare</h2>
        <button
          type="button"
          onClick={() => {
            setBilling(SEED_002.billing);
            setRunsPerDay(SEED_002.runsPerDay);
            setOptions(SEED_002.options);
          }}
        >
          Seed 002's inputs
        </button>
      </div>
      <p className="muted small">Each option: start-up overhead billed before the job, the job's time (entered, or the median of stored runs), the nodes it holds. Prices come from the catalog below.</p>
      <form
        aria-label="Scenario"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="form-row">
          <label className="field">
            <span>Billing</span>
            <select name="billing" value={billing} onChange={(e) => setBilling(e.target.value as keyof typeof BILLING)}>
              {Object.entries(BILLING).map(([k, b]) => (
                <option key={k} value={k}>{b.label}</option>
              ))}
            </select>
          </label>
          <label className="field narrow">
            <span>Runs per day</span>
            <input name="runsPerDay" type="number" min={0.01} step="any" value={runsPerDay} onChange={(e) => setRunsPerDay(e.target.value)} required />
          </label>
        </div>
        <div className="grid two scenario-options">
          {options.map((o, i) => (
            <fieldset key={i} className="option" data-testid="scenario-option">
              <legend>
                <input aria-label={`option ${i + 1} label`} value={o.label} onChange={(e) => setOption(i, { label: e.target.value })} required />
              </legend>
              <div className="form-row">
                <label className="field narrow">
                  <span>Start-up (s)</span>
                  <input aria-label={`option ${i + 1} start-up seconds`} type="number" min={0} step="any" value={o.startupSeconds} onChange={(e) => setOption(i, { startupSeconds: e.target.value })} />
                </label>
                <label className="field narrow">
                  <span>Job time from</span>
                  <select aria-label={`option ${i + 1} job time from`} value={o.job} onChange={(e) => setOption(i, { job: e.target.value as Option['job'] })}>
                    <option value="seconds">entered</option>
                    <option value="runs">stored runs</option>
                  </select>
                </label>
                {o.job === 'seconds' ? (
                  <label className="field narrow">
                    <span>Job (s)</span>
                    <input aria-label={`option ${i + 1} job seconds`} type="number" min={0.001} step="any" value={o.jobSeconds} onChange={(e) => setOption(i, { jobSeconds: e.target.value })} required />
                  </label>
                ) : (
                  <label className="field">
                    <span>Run ids (median)</span>
                    <input aria-label={`option ${i + 1} run ids`} value={o.runIds} onChange={(e) => setOption(i, { runIds: e.target.value })} required />
                  </label>
                )}
              </div>
              {o.nodes.map((n, k) => (
                <div key={k} className="form-row node-row">
                  <label className="field">
                    <span>Instance</span>
                    <select aria-label={`option ${i + 1} node ${k + 1} instance`} value={n.instanceType} onChange={(e) => setNode(i, k, { instanceType: e.target.value })} required>
                      <option value="">choose…</option>
                      {(catalog.data ?? []).map((t) => (
                        <option key={t.id} value={t.name}>
                          {t.name} ({usd(t.pricePerHour, 4)}/h)
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="field narrow">
                    <span>Count</span>
                    <input aria-label={`option ${i + 1} node ${k + 1} count`} type="number" min={1} value={n.count} onChange={(e) => setNode(i, k, { count: e.target.value })} />
                  </label>
                  <label className="field narrow">
                    <span>Role</span>
                    <input aria-label={`option ${i + 1} node ${k + 1} role`} value={n.role} onChange={(e) => setNode(i, k, { role: e.target.value })} />
                  </label>
                  <label className="check">
                    <input type="checkbox" aria-label={`option ${i + 1} node ${k + 1} EMR`} checked={n.emr} onChange={(e) => setNode(i, k, { emr: e.target.checked })} /> EMR
                  </label>
                </div>
              ))}
              <div className="head-actions">
                <button type="button" onClick={() => setOption(i, { nodes: [...o.nodes, blankNode()] })}>Add node</button>
                {o.nodes.length > 1 && <button type="button" onClick={() => setOption(i, { nodes: o.nodes.slice(0, -1) })}>Remove node</button>}
                {options.length > 1 && <button type="button" onClick={() => setOptions((os) => os.filter((_, j) => j !== i))}>Remove option</button>}
              </div>
            </fieldset>
          ))}
        </div>
        <div className="form-actions">
          <button type="button" onClick={() => setOptions((os) => [...os, blankOption(os.length + 1)])} disabled={options.length >= 20}>
            Add option
          </button>
          <button type="submit" className="primary" disabled={scenario.isPending}>
            {scenario.isPending ? 'Pricing…' : 'Compare'}
          </button>
        </div>
      </form>
      {scenario.error && <p className="error" role="alert">{scenario.error.message}</p>}
      {scenario.data && (
        <div className="scenario-result" data-testid="scenario-result">
          <div className="table-wrap">
            <table className="data stack">
              <thead>
                <tr>
                  <th>option</th>
                  <th className="num">job</th>
                  <th className="num">start-up</th>
                  <th className="num">billed</th>
                  <th className="num">per run</th>
                  <th className="num">per month</th>
                  <th className="num">saving</th>
                </tr>
              </thead>
              <tbody>
                {scenario.data.options.map((o) => (
                  <tr key={o.label} data-testid="scenario-row" data-label={o.label}>
                    <td className="sql">
                      <strong>{o.label}</strong>
                      <div className="row-meta">
                        {o.lines.map((l) => `${l.label} ${usd(l.monthly)}`).join(' · ')}
                      </div>
                    </td>
                    <td className="num" data-label="job">{ms(o.jobSeconds * 1000)} <span className="muted small">({o.jobSource})</span></td>
                    <td className="num" data-label="start-up">{ms(o.startupSeconds * 1000)}</td>
                    <td className="num" data-label="billed">{ms(o.billedSeconds * 1000)}</td>
                    <td className="num" data-label="per run">{usd(o.perRun, 4)}</td>
                    <td className="num" data-label="per month" data-testid="scenario-monthly"><strong>{usd(o.monthly)}</strong></td>
                    <td className="num" data-label="saving">{o.savingPct === 0 ? '—' : `${o.savingPct > 0 ? '−' : '+'}${Math.abs(o.savingPct).toFixed(2)} %`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">
            {(scenario.data.runsPerMonth).toFixed(2)} runs a month, billed in {scenario.data.billing.incrementSeconds} s steps with a {scenario.data.billing.minimumSeconds} s minimum.
          </p>
          <CostChart options={scenario.data.options} />
        </div>
      )}
    </section>
  );
}
