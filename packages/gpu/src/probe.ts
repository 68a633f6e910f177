/**
 * What a PostgreSQL server offers for GPU execution, read from the server itself: is PG-Strom loaded
 * (shared_preload_libraries) and created in this database (pg_extension), which GPUs it sees
 * (pgstrom.gpu_device_info), the settings that matter with their current values, and Arrow_fdw.
 * Every "no" comes with the reason.
 */
import type pg from 'pg';
import { connect, redactUrl } from './pg/connect.js';
import { nvidiaSmiAvailabilityAsync } from './monitor/nvidia-smi.js';
import { CPU_SETTINGS, PGSTROM_SETTINGS, READ_SETTINGS_SQL } from './settings.js';

export interface GpuDevice {
  id: number;
  name: string | null;
  /** att_name → att_value of pgstrom.gpu_device_info. */
  attributes: Record<string, string | null>;
}

export interface PgStromStatus {
  /** Loaded at server start AND created in this database: the only state in which it does anything. */
  installed: boolean;
  preloaded: boolean;
  extensionInstalled: boolean;
  /** pg_extension.extversion: the SQL script's version, not the binary's (6.0 for v6.1). */
  extensionVersion: string | null;
  /** Whether the server's package files include it (pg_available_extensions). */
  availableToCreate: boolean;
  githash: string | null;
  /** `pg_strom.enabled` exists as a setting (it does only when the library is loaded). */
  settingsPresent: boolean;
  reason: string;
}

export interface ProbeResult {
  url: string;
  probedAt: string;
  server: { version: string; versionNum: number; versionString: string };
  database: string;
  currentUser: string;
  superuser: boolean;
  /** null when this user may not read it; `pgStrom.preloaded` is then inferred from PG-Strom's settings. */
  sharedPreloadLibraries: string | null;
  pgStrom: PgStromStatus;
  gpus: { available: boolean; count: number; devices: GpuDevice[]; reason?: string };
  arrowFdw: { available: boolean; foreignServer: boolean; reason?: string };
  /** current_setting(name, true): null where the server has no such setting (or hides it from this user). */
  settings: Record<string, string | null>;
  /** nvidia-smi on the machine Phaselab runs on (the database's GPUs only when it runs here too). */
  monitor: { available: boolean; host: string; reason?: string; gpus?: string[] };
}

async function one<T extends pg.QueryResultRow>(c: pg.Client, sql: string, params: unknown[] = []): Promise<T> {
  return (await c.query<T>(sql, params)).rows[0];
}

export async function probeClient(client: pg.Client, url: string): Promise<ProbeResult> {
  const base = await one<{ v: string; n: string; s: string; db: string; u: string; su: string; spl: string | null }>(
    client,
    `SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n, version() AS s,
            current_database() AS db, current_user AS u, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)::text AS su,
            (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries') AS spl`,
  );
  const ext = await one<{ installed: string; version: string | null; available: string }>(
    client,
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_strom')::text AS installed,
            (SELECT extversion FROM pg_extension WHERE extname = 'pg_strom') AS version,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_strom')::text AS available`,
  );
  const names = [...PGSTROM_SETTINGS, ...CPU_SETTINGS];
  const { rows: settingRows } = await client.query<{ name: string; value: string | null }>(READ_SETTINGS_SQL, [names]);
  const settings: Record<string, string | null> = {};
  for (const r of settingRows) settings[r.name] = r.value;
  const settingsPresent = settings['pg_strom.enabled'] !== null;
  // shared_preload_libraries is hidden from users without pg_read_all_settings (spl = NULL): then
  // PG-Strom's own settings, which exist only once its library is loaded, tell.
  const preloaded =
    base.spl === null
      ? settingsPresent
      : base.spl
          .split(',')
          .map((s) => s.trim().replace(/^"|"$/g, ''))
          .some((lib) => /(^|\/)pg_strom$/.test(lib));
  const extensionInstalled = ext.installed === 'true';

  let githash: string | null = null;
  const hasGithash = await one<{ f: string | null }>(client, `SELECT to_regprocedure('pgstrom.githash()')::text AS f`);
  if (hasGithash.f && preloaded) {
    githash = (await one<{ h: string | null }>(client, 'SELECT pgstrom.githash()::text AS h').catch(() => ({ h: null }))).h;
  }

  const devices: GpuDevice[] = [];
  let gpuReason: string | undefined;
  const hasDeviceView = await one<{ r: string | null }>(client, `SELECT to_regclass('pgstrom.gpu_device_info')::text AS r`);
  if (!hasDeviceView.r) gpuReason = 'pgstrom.gpu_device_info does not exist in this database (PG-Strom extension not created)';
  else if (!preloaded) gpuReason = 'PG-Strom is not in shared_preload_libraries, so no GPU is attached to this server';
  else {
    try {
      const { rows } = await client.query<{ gpu_id: string; att_name: string; att_value: string | null }>(
        'SELECT gpu_id::text, att_name::text, att_value::text FROM pgstrom.gpu_device_info ORDER BY gpu_id',
      );
      const byId = new Map<number, GpuDevice>();
      for (const r of rows) {
        const id = Number(r.gpu_id);
        let d = byId.get(id);
        if (!d) byId.set(id, (d = { id, name: null, attributes: {} }));
        d.attributes[r.att_name] = r.att_value;
        if (r.att_name === 'DEV_NAME') d.name = r.att_value;
      }
      devices.push(...byId.values());
      if (devices.length === 0) gpuReason = 'pgstrom.gpu_device_info lists no GPU';
    } catch (e) {
      gpuReason = `pgstrom.gpu_device_info could not be read: ${(e as Error).message}`;
    }
  }

  const fdw = await one<{ wrapper: string; server: string }>(
    client,
    `SELECT EXISTS (SELECT 1 FROM pg_foreign_data_wrapper WHERE fdwname = 'arrow_fdw')::text AS wrapper,
            EXISTS (SELECT 1 FROM pg_foreign_server WHERE srvname = 'arrow_fdw')::text AS server`,
  );
  const arrowWrapper = fdw.wrapper === 'true';
  const arrowServer = fdw.server === 'true';
  let arrowReason: string | undefined;
  if (!arrowWrapper) arrowReason = 'no arrow_fdw foreign-data wrapper in this database (it comes with CREATE EXTENSION pg_strom)';
  else if (!arrowServer) arrowReason = 'the arrow_fdw wrapper exists but the foreign server arrow_fdw does not';
  else if (!preloaded) arrowReason = 'PG-Strom is not loaded (shared_preload_libraries), so Arrow_fdw cannot scan';

  const reason = !preloaded && !extensionInstalled
    ? `pg_strom is not in shared_preload_libraries and the extension is not created in database ${base.db}${ext.available === 'true' ? ' (its files are installed: CREATE EXTENSION pg_strom is possible after preloading it)' : ' (not even installed on the server)'}`
    : !preloaded
      ? `the pg_strom extension exists in ${base.db} but the library is not in shared_preload_libraries: PG-Strom is inactive`
      : !extensionInstalled
        ? `pg_strom is preloaded but CREATE EXTENSION pg_strom was not run in ${base.db}: it does nothing here`
        : !settingsPresent
          ? 'pg_strom is preloaded and created, but pg_strom.enabled is missing (no GPU found at server start?)'
          : devices.length === 0
            ? `PG-Strom is active but no GPU is listed${gpuReason ? ` (${gpuReason})` : ''}`
            : `PG-Strom is active with ${devices.length} GPU(s)`;

  return {
    url: redactUrl(url),
    probedAt: new Date().toISOString(),
    server: { version: base.v, versionNum: Number(base.n), versionString: base.s },
    database: base.db,
    currentUser: base.u,
    superuser: base.su === 'true',
    sharedPreloadLibraries: base.spl,
    pgStrom: {
      installed: preloaded && extensionInstalled && settingsPresent,
      preloaded,
      extensionInstalled,
      extensionVersion: ext.version,
      availableToCreate: ext.available === 'true',
      githash,
      settingsPresent,
      reason,
    },
    gpus: { available: devices.length > 0, count: devices.length, devices, ...(gpuReason && devices.length === 0 ? { reason: gpuReason } : {}) },
    arrowFdw: { available: arrowWrapper && arrowServer && preloaded, foreignServer: arrowServer, ...(arrowReason ? { reason: arrowReason } : {}) },
    settings,
    monitor: await nvidiaSmiAvailabilityAsync(),
  };
}

/** Probes the server at `url` (one short connection). */
export async function probe(url: string): Promise<ProbeResult> {
  const client = await connect(url);
  try {
    return await probeClient(client, url);
  } finally {
    await client.end().catch(() => {});
  }
}
