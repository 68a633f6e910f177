'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty, QueryState } from '@/components/QueryState';
import { rowsShort, WorkloadSelect, useWorkloads } from '@/components/SeriesPicker';
import type { Backend, Outputs } from '@/lib/api-types';
import { when } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

type Schedule = Outputs['schedule']['list'][number];
/** The backends a job can run on today (schedule.create accepts these). */
const SCHEDULE_BACKENDS: Backend[] = ['engine', 'postgres', 'pgstrom'];

export function Schedules() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.schedule.list.queryOptions(), refetchInterval: 10_000 });
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  return (
    <section className="card flush" data-testid="schedules">
      <div className="card-head pad">
        <h2>
          Schedules <span className="count">{list.data?.length ?? 0}</span>
        </h2>
        <button type="button" onClick={() => setEditing(editing === 'new' ? null : 'new')}>
          {editing === 'new' ? 'Close' : 'New schedule'}
        </button>
      </div>
      {editing === 'new' && <ScheduleForm onDone={() => setEditing(null)} />}
      <QueryState isPending={list.isPending} error={list.error} what="schedules">
        {() =>
          list.data!.length === 0 ? (
            <div className="pad">
              <Empty>No schedules. A schedule runs every phase of a workload on a cron and watches for regressions.</Empty>
            </div>
          ) : (
            <div className="table-wrap">
              <table className="data stack">
                <thead>
                  <tr>
                    <th>schedule</th>
                    <th>cron</th>
                    <th>backends</th>
                    <th className="num">scale</th>
                    <th className="num">runs</th>
                    <th>last · next</th>
                    <th aria-label="actions" />
                  </tr>
                </thead>
                <tbody>
                  {list.data!.map((s) =>
                    editing === s.id ? (
                      <tr key={s.id}>
                        <td colSpan={7} className="sql">
                          <ScheduleForm current={s} onDone={() => setEditing(null)} />
                        </td>
                      </tr>
                    ) : (
                      <ScheduleRow key={s.id} schedule={s} onEdit={() => setEditing(s.id)} />
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

function ScheduleRow({ schedule: s, onEdit }: { schedule: Schedule; onEdit: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.schedule.list.queryKey() });
  const fire = useMutation(trpc.schedule.fire.mutationOptions({ onSuccess: refresh }));
  const del = useMutation(trpc.schedule.delete.mutationOptions({ onSuccess: refresh }));
  return (
    <tr data-testid="schedule-row" data-name={s.name}>
      <td className="sql">
        <strong>{s.name || s.workload}</strong> <span className="muted small">{s.workload}</span>
        {!s.enabled && <span className="chip">paused</span>}
        {fire.data && <div className="row-meta" data-testid="fired">fired: {fire.data.jobIds.length} jobs queued</div>}
        {(fire.error ?? del.error) && <div className="row-error">{(fire.error ?? del.error)!.message}</div>}
      </td>
      <td data-label="cron"><code>{s.cron}</code> <span className="muted small">{s.timezone}</span></td>
      <td data-label="backends">{s.backends.join(', ')}</td>
      <td className="num" data-label="rows">{rowsShort(s.rows)}</td>
      <td className="num" data-label="runs">{s.runsPerFiring}</td>
      <td className="small" data-label="last">{when(s.lastRunAt)} · {s.nextRunAt ? new Date(s.nextRunAt).toISOString().slice(0, 16).replace('T', ' ') : '—'}</td>
      <td>
        <span className="head-actions">
          <button type="button" className="small-button" onClick={() => fire.mutate({ id: s.id })} disabled={fire.isPending}>Fire now</button>
          <button type="button" className="small-button" onClick={onEdit}>Edit</button>
          <button
            type="button"
            className="small-button"
            onClick={() => {
              if (window.confirm(`Delete schedule "${s.name || s.workload}"? Its batches and regressions stay.`)) del.mutate({ id: s.id });
            }}
          >
            Delete
          </button>
        </span>
      </td>
    </tr>
  );
}

function ScheduleForm({ current, onDone }: { current?: Schedule; onDone: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const workloads = useWorkloads();
  const [f, setF] = useState({
    name: current?.name ?? '',
    workload: current?.workload ?? '',
    cron: current?.cron ?? '0 3 * * *',
    timezone: current?.timezone ?? 'UTC',
    backends: current?.backends ?? (['engine'] as Backend[]),
    rows: String(current?.rows ?? 1_000_000),
    runsPerFiring: String(current?.runsPerFiring ?? 3),
    enabled: current?.enabled ?? true,
  });
  const done = { onSuccess: () => { void qc.invalidateQueries({ queryKey: trpc.schedule.list.queryKey() }); onDone(); } };
  const create = useMutation(trpc.schedule.create.mutationOptions(done));
  const update = useMutation(trpc.schedule.update.mutationOptions(done));
  const error = create.error ?? update.error;
  const workload = f.workload || workloads.data?.[0]?.key || '';
  return (
    <form
      className="inline-form"
      aria-label={current ? 'Edit schedule' : 'New schedule'}
      onSubmit={(e) => {
        e.preventDefault();
        const fields = { name: f.name, cron: f.cron, timezone: f.timezone, backends: f.backends, rows: Number(f.rows), runsPerFiring: Number(f.runsPerFiring), enabled: f.enabled };
        if (current) update.mutate({ id: current.id, ...fields });
        else create.mutate({ workload, ...fields });
      }}
    >
      <div className="form-row">
        <label className="field">
          <span>Name</span>
          <input name="name" value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
        </label>
        {current ? (
          <label className="field">
            <span>Workload</span>
            <input value={current.workload} disabled />
          </label>
        ) : (
          <WorkloadSelect value={workload} onChange={(w) => setF({ ...f, workload: w })} />
        )}
        <label className="field">
          <span>Cron (5 or 6 fields)</span>
          <input name="cron" value={f.cron} onChange={(e) => setF({ ...f, cron: e.target.value })} required />
        </label>
        <label className="field narrow">
          <span>Timezone</span>
          <input name="timezone" value={f.timezone} onChange={(e) => setF({ ...f, timezone: e.target.value })} required />
        </label>
      </div>
      <div className="form-row">
        <fieldset className="field checks">
          <span>Backends</span>
          <span className="head-actions">
            {SCHEDULE_BACKENDS.map((b) => (
              <label key={b} className="check">
                <input type="checkbox" checked={f.backends.includes(b)} onChange={(e) => setF({ ...f, backends: e.target.checked ? [...f.backends, b] : f.backends.filter((x) => x !== b) })} /> {b}
              </label>
            ))}
          </span>
        </fieldset>
        <label className="field narrow">
          <span>Rows</span>
          <input name="rows" type="number" min={1} value={f.rows} onChange={(e) => setF({ ...f, rows: e.target.value })} required />
        </label>
        <label className="field narrow">
          <span>Runs per firing</span>
          <input name="runsPerFiring" type="number" min={1} max={50} value={f.runsPerFiring} onChange={(e) => setF({ ...f, runsPerFiring: e.target.value })} required />
        </label>
        <label className="check">
          <input type="checkbox" checked={f.enabled} onChange={(e) => setF({ ...f, enabled: e.target.checked })} /> enabled
        </label>
      </div>
      <div className="form-actions">
        {error ? <p className="error" role="alert">{error.message}</p> : <span />}
        <span className="head-actions">
          <button type="button" onClick={onDone}>Cancel</button>
          <button type="submit" className="primary" disabled={create.isPending || update.isPending || f.backends.length === 0}>
            Save
          </button>
        </span>
      </div>
    </form>
  );
}
