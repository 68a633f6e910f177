'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty, QueryState } from '@/components/QueryState';
import type { Outputs } from '@/lib/api-types';
import { useTRPC } from '@/lib/trpc';

type InstanceType = Outputs['instanceType']['list'][number];

export const usd = (v: number, digits = 2) => `$${v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: Math.max(digits, 4) })}`;
const today = () => new Date().toISOString().slice(0, 10);
const isUrl = (s: string) => /^https?:\/\//.test(s);

/** The price list as data: every price with where it comes from and when; a new price needs its source. */
export function InstanceCatalog() {
  const trpc = useTRPC();
  const list = useQuery(trpc.instanceType.list.queryOptions({}));
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  return (
    <section className="card flush" data-testid="instance-catalog">
      <div className="card-head pad">
        <h2>
          Instance catalog <span className="count">{list.data?.length ?? 0}</span>
        </h2>
        <button type="button" onClick={() => setAdding((a) => !a)}>
          {adding ? 'Close' : 'Add an instance type'}
        </button>
      </div>
      {adding && <PriceForm onDone={() => setAdding(false)} />}
      <QueryState isPending={list.isPending} error={list.error} what="the instance catalog">
        {() =>
          list.data!.length === 0 ? (
            <Empty>The catalog is empty.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="data stack">
                <thead>
                  <tr>
                    <th>name</th>
                    <th>region · service</th>
                    <th className="num">vCPU</th>
                    <th className="num">memory</th>
                    <th className="num">$ / hour</th>
                    <th>source</th>
                    <th>as of</th>
                    <th aria-label="edit" />
                  </tr>
                </thead>
                <tbody>
                  {list.data!.map((t) =>
                    editing === t.id ? (
                      <tr key={t.id}>
                        <td colSpan={8} className="sql">
                          <PriceForm current={t} onDone={() => setEditing(null)} />
                        </td>
                      </tr>
                    ) : (
                      <tr key={t.id} data-testid="instance-row" data-name={t.name}>
                        <td className="sql">
                          <strong>{t.name}</strong>
                          {t.gpu && <span className="chip">{t.gpu}</span>}
                        </td>
                        <td data-label="where">
                          {t.region} · {t.service}
                        </td>
                        <td className="num" data-label="vCPU">{t.vcpu}</td>
                        <td className="num" data-label="memory">{t.memoryGiB} GiB</td>
                        <td className="num" data-label="per hour" data-testid="instance-price">{usd(t.pricePerHour, 4)}</td>
                        <td className="small wrap-cell" data-label="source">
                          {isUrl(t.source) ? <a href={t.source.split(' ')[0]} target="_blank" rel="noreferrer">{t.source}</a> : t.source}
                        </td>
                        <td className="nowrap" data-label="as of">{t.sourceDate}</td>
                        <td>
                          <button type="button" className="small-button" onClick={() => setEditing(t.id)} aria-label={`edit ${t.name}`}>
                            Edit
                          </button>
                        </td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
    </section>
  );
}

function PriceForm({ current, onDone }: { current?: InstanceType; onDone: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [f, setF] = useState({
    name: current?.name ?? '',
    region: current?.region ?? 'us-east-1',
    service: (current?.service ?? 'ec2') as 'ec2' | 'emr',
    vcpu: String(current?.vcpu ?? ''),
    memoryGiB: String(current?.memoryGiB ?? ''),
    pricePerHour: String(current?.pricePerHour ?? ''),
    // A changed price must say where it comes from, so an edit starts with the source empty.
    source: current ? '' : '',
    sourceDate: today(),
  });
  const done = { onSuccess: () => { void qc.invalidateQueries({ queryKey: trpc.instanceType.list.queryKey() }); onDone(); } };
  const create = useMutation(trpc.instanceType.create.mutationOptions(done));
  const update = useMutation(trpc.instanceType.update.mutationOptions(done));
  const error = create.error ?? update.error;
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setF((x) => ({ ...x, [k]: e.target.value }));
  return (
    <form
      className="inline-form"
      aria-label={current ? `Edit ${current.name}` : 'Add an instance type'}
      onSubmit={(e) => {
        e.preventDefault();
        const fields = { region: f.region, service: f.service, vcpu: Number(f.vcpu), memoryGiB: Number(f.memoryGiB), pricePerHour: Number(f.pricePerHour), source: f.source, sourceDate: f.sourceDate };
        if (current) update.mutate({ id: current.id, ...fields });
        else create.mutate({ name: f.name, ...fields });
      }}
    >
      <div className="form-row">
        {!current && (
          <label className="field">
            <span>Name</span>
            <input name="name" value={f.name} onChange={set('name')} required />
          </label>
        )}
        <label className="field narrow">
          <span>Region</span>
          <input name="region" value={f.region} onChange={set('region')} required />
        </label>
        <label className="field narrow">
          <span>Service</span>
          <select name="service" value={f.service} onChange={set('service')}>
            <option>ec2</option>
            <option>emr</option>
          </select>
        </label>
        <label className="field narrow">
          <span>vCPU</span>
          <input name="vcpu" type="number" min={1} value={f.vcpu} onChange={set('vcpu')} required />
        </label>
        <label className="field narrow">
          <span>Memory GiB</span>
          <input name="memoryGiB" type="number" min={0} step="any" value={f.memoryGiB} onChange={set('memoryGiB')} required />
        </label>
        <label className="field narrow">
          <span>$ / hour</span>
          <input name="pricePerHour" type="number" min={0} step="any" value={f.pricePerHour} onChange={set('pricePerHour')} required />
        </label>
      </div>
      <div className="form-row">
        <label className="field">
          <span>Source of the price (link or document)</span>
          <input name="source" value={f.source} onChange={set('source')} placeholder={current?.source} required />
        </label>
        <label className="field narrow">
          <span>As of</span>
          <input name="sourceDate" type="date" value={f.sourceDate} onChange={set('sourceDate')} required />
        </label>
      </div>
      <div className="form-actions">
        {error ? <p className="error" role="alert">{error.message}</p> : <span />}
        <span className="head-actions">
          <button type="button" onClick={onDone}>Cancel</button>
          <button type="submit" className="primary" disabled={create.isPending || update.isPending}>
            Save
          </button>
        </span>
      </div>
    </form>
  );
}
