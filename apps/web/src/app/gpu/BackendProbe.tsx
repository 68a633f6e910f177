'use client';
import { useQuery } from '@tanstack/react-query';
import { QueryState } from '@/components/QueryState';
import type { Outputs } from '@/lib/api-types';
import { when } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

type Probe = Outputs['backend']['probe'];

function YesNo({ v, yes = 'yes', no = 'no' }: { v: boolean; yes?: string; no?: string }) {
  return <span className={v ? 'yes' : 'no'}>{v ? yes : no}</span>;
}

/** The probe of the server the postgres / pgstrom job backends run on, as @phaselab/gpu reads it. */
export function BackendProbe() {
  const trpc = useTRPC();
  const probe = useQuery({ ...trpc.backend.probe.queryOptions({}), staleTime: 30_000 });
  return (
    <>
      <div className="page-head">
        <h1>PostgreSQL &amp; PG-Strom</h1>
        <div className="head-actions">
          <button type="button" onClick={() => probe.refetch()} disabled={probe.isFetching}>
            {probe.isFetching ? 'Probing…' : 'Probe again'}
          </button>
        </div>
      </div>
      <QueryState isPending={probe.isPending} error={probe.error} what="the backend probe">
        {() => <ProbeView p={probe.data!} />}
      </QueryState>
    </>
  );
}

function ProbeView({ p }: { p: Probe }) {
  const settings = Object.entries(p.settings).sort(([a], [b]) => a.localeCompare(b));
  const present = settings.filter(([, v]) => v !== null).length;
  return (
    <>
      <p className="muted small probe-reason">
        The server of the <code>postgres</code> and <code>pgstrom</code> job backends: <code data-testid="probe-url">{p.target.url}</code> (
        {p.target.source === 'PGSTROM_URL' ? 'PGSTROM_URL' : "the platform's own PostgreSQL, DATABASE_URL"}), database {p.database} as {p.currentUser}
        {p.superuser ? ' (superuser)' : ''} · probed {when(p.probedAt)}
      </p>
      <dl className="metrics" data-testid="probe-summary">
        <div className="metric">
          <dt>PostgreSQL</dt>
          <dd data-testid="probe-server-version" title={p.server.versionString}>
            {p.server.version.split(' ')[0]}
          </dd>
          {p.server.version.includes(' ') && <span className="muted small">{p.server.version.slice(p.server.version.indexOf(' ') + 1)}</span>}
        </div>
        <div className="metric">
          <dt>PG-Strom</dt>
          <dd data-testid="probe-pgstrom">
            <YesNo v={p.pgStrom.installed} yes="active" no="not active" />
          </dd>
        </div>
        <div className="metric">
          <dt>GPUs (PG-Strom)</dt>
          <dd>{p.gpus.count}</dd>
        </div>
        <div className="metric">
          <dt>Arrow_fdw</dt>
          <dd>
            <YesNo v={p.arrowFdw.available} yes="available" no="no" />
          </dd>
        </div>
        <div className="metric">
          <dt>nvidia-smi</dt>
          <dd>
            <YesNo v={p.monitor.available} yes="available" no="no" />
          </dd>
        </div>
      </dl>

      <div className="grid two">
        <section className="card" aria-labelledby="pgstrom-h" data-testid="probe-pgstrom-card">
          <h2 id="pgstrom-h">PG-Strom</h2>
          <p className="probe-reason" data-testid="probe-reason">
            {p.pgStrom.reason}
          </p>
          <dl className="probe-facts" style={{ marginTop: '0.75rem' }}>
            <div>
              <dt>in shared_preload_libraries</dt>
              <dd>
                <YesNo v={p.pgStrom.preloaded} />
              </dd>
            </div>
            <div>
              <dt>extension created here</dt>
              <dd>
                <YesNo v={p.pgStrom.extensionInstalled} />
              </dd>
            </div>
            <div>
              <dt>extension version</dt>
              <dd>{p.pgStrom.extensionVersion ?? '—'}</dd>
            </div>
            <div>
              <dt>package installed on the server</dt>
              <dd>
                <YesNo v={p.pgStrom.availableToCreate} />
              </dd>
            </div>
            <div>
              <dt>githash</dt>
              <dd>{p.pgStrom.githash ?? '—'}</dd>
            </div>
            <div>
              <dt>its settings exist</dt>
              <dd>
                <YesNo v={p.pgStrom.settingsPresent} />
              </dd>
            </div>
            <div>
              <dt>shared_preload_libraries</dt>
              <dd>{p.sharedPreloadLibraries === null ? 'hidden from this user' : p.sharedPreloadLibraries || '(empty)'}</dd>
            </div>
          </dl>
        </section>

        <section className="card" aria-labelledby="gpus-h" data-testid="probe-gpus">
          <h2 id="gpus-h">
            GPU devices <span className="count">{p.gpus.count}</span>
          </h2>
          {p.gpus.devices.length === 0 ? (
            <p className="muted probe-reason">No GPU device: {p.gpus.reason ?? 'pgstrom.gpu_device_info lists none'}.</p>
          ) : (
            <ul className="rows">
              {p.gpus.devices.map((d) => (
                <li key={d.id} className="pad">
                  <strong>GPU{d.id}</strong> {d.name ?? '(no DEV_NAME)'}
                  <details className="table-def">
                    <summary className="small">{Object.keys(d.attributes).length} attributes</summary>
                    <dl className="probe-facts small">
                      {Object.entries(d.attributes).map(([k, v]) => (
                        <div key={k}>
                          <dt>{k}</dt>
                          <dd>{v ?? '—'}</dd>
                        </div>
                      ))}
                    </dl>
                  </details>
                </li>
              ))}
            </ul>
          )}
          <h2 style={{ marginTop: '1rem' }}>Arrow_fdw</h2>
          <p className="probe-reason" data-testid="probe-arrow">
            {p.arrowFdw.available ? 'available: Arrow foreign tables can be scanned by PG-Strom' : `not available: ${p.arrowFdw.reason ?? 'unknown reason'}`}
            {p.arrowFdw.foreignServer ? ' (foreign server arrow_fdw exists)' : ''}
          </p>
          <h2 style={{ marginTop: '1rem' }}>nvidia-smi</h2>
          <p className="probe-reason" data-testid="probe-monitor">
            {p.monitor.available ? `available on ${p.monitor.host}: ${(p.monitor.gpus ?? []).join('; ')}` : `not available: ${p.monitor.reason ?? 'unknown reason'}`}
          </p>
          <p className="muted small probe-reason">nvidia-smi is sampled on the machine Phaselab runs on, which shows the database&apos;s GPUs only when PostgreSQL runs there too.</p>
        </section>
      </div>

      <section className="card flush" aria-labelledby="settings-h">
        <div className="card-head pad">
          <h2 id="settings-h">
            Settings <span className="count">{present}/{settings.length}</span>
          </h2>
        </div>
        <p className="muted small pad" style={{ paddingTop: 0 }}>
          current_setting(name, true) for PG-Strom&apos;s settings and the CPU settings a sweep varies; — where this server has no such setting.
        </p>
        <div className="table-wrap">
          <table className="data settings" data-testid="probe-settings">
            <thead>
              <tr>
                <th>setting</th>
                <th>value</th>
              </tr>
            </thead>
            <tbody>
              {settings.map(([k, v]) => (
                <tr key={k} data-testid="probe-setting" data-name={k}>
                  <td className="name">{k}</td>
                  <td className={v === null ? 'value null' : 'value'}>{v ?? '— not on this server'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card">
        <details className="raw-json" data-testid="probe-json">
          <summary>Raw probe JSON</summary>
          <pre>{JSON.stringify(p, null, 2)}</pre>
        </details>
      </section>
    </>
  );
}
