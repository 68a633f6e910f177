/**
 * A query over a grid of settings (seed 003 phase 5, with settings that exist): every combination
 * is one runQuery. Per-session settings are set in each transaction; superuser-only ones (e.g.
 * pg_strom.max_async_tasks) are set on the read-only role with ALTER ROLE … IN DATABASE … SET, which
 * applies at its next login (each run logs in afresh), and reset afterwards.
 */
import type pg from 'pg';
import { GpuError } from './errors.js';
import { checkSettingName, connect, quoteIdent, quoteLiteral } from './pg/connect.js';
import { probeClient } from './probe.js';
import { readOnlyRoleName } from './run/role.js';
import { runQuery, type RunQueryOptions } from './run/query.js';
import { CPU_SWEEP_GRID, PGSTROM_SWEEP_GRID, notRealSettingMessage } from './settings.js';

export const MAX_GRID_POINTS = 64;

export interface SweepOptions extends Omit<RunQueryOptions, 'settings' | 'readSettings'> {
  /** name → values; default: PG-Strom's grid on a PG-Strom server, else max_parallel_workers_per_gather × work_mem × jit. */
  grid?: Record<string, readonly string[]>;
  onPoint?: (index: number, of: number, settings: Record<string, string>) => void;
}

export interface SweepRow {
  settings: Record<string, string>;
  /** The values the server reported inside the run (proof the setting took effect). */
  effective: Record<string, string | null>;
  medianMs: number | null;
  minMs: number | null;
  runsMs: number[];
  gpuNodes: number | null;
  cpuNodes: number | null;
  fallback: boolean;
  rowCount: number | null;
  error: string | null;
}

export interface SweepResult {
  sql: string;
  backend: 'pgstrom' | 'postgres';
  grid: Record<string, readonly string[]>;
  rows: SweepRow[];
  /** Index of the fastest successful row. */
  best: number | null;
  note: string;
}

export function gridPoints(grid: Record<string, readonly string[]>): Record<string, string>[] {
  let points: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) throw new GpuError('invalid_argument', `grid: ${name} needs at least one value`);
    points = points.flatMap((p) => values.map((v) => ({ ...p, [name]: String(v) })));
  }
  if (points.length > MAX_GRID_POINTS) throw new GpuError('invalid_argument', `grid has ${points.length} combinations (at most ${MAX_GRID_POINTS})`);
  return points;
}

/** Parses `name=v1,v2` specs (the CLI's --set). */
export function parseGridSpecs(specs: readonly string[]): Record<string, string[]> {
  const grid: Record<string, string[]> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new GpuError('invalid_argument', `expected NAME=VALUE[,VALUE…], got "${spec}"`);
    grid[spec.slice(0, eq).trim()] = spec.slice(eq + 1).split(',').map((v) => v.trim());
  }
  return grid;
}

async function settingContexts(admin: pg.Client, names: string[]): Promise<Map<string, string | null>> {
  const { rows } = await admin.query<{ name: string; context: string | null }>(
    'SELECT n AS name, (SELECT context FROM pg_settings WHERE name = n) AS context FROM unnest($1::text[]) AS n',
    [names],
  );
  return new Map(rows.map((r) => [r.name, r.context]));
}

export async function sweep(opts: SweepOptions): Promise<SweepResult> {
  const admin = await connect(opts.url);
  try {
    const probe = opts.probe ?? (await probeClient(admin, opts.url));
    let grid: Record<string, readonly string[]> = opts.grid ?? (probe.pgStrom.installed ? PGSTROM_SWEEP_GRID : CPU_SWEEP_GRID);
    const dropped: string[] = [];
    if (!opts.grid && !probe.superuser) {
      // the default grid leaves out what this user may not set, instead of failing
      const ctx = await settingContexts(admin, Object.keys(grid));
      grid = Object.fromEntries(Object.entries(grid).filter(([n]) => (ctx.get(n) === 'superuser' ? (dropped.push(n), false) : true)));
    }
    const names = Object.keys(grid);
    for (const n of names) {
      checkSettingName(n);
      const fake = notRealSettingMessage(n);
      if (fake) throw new GpuError('invalid_argument', fake);
    }
    const points = gridPoints(grid);
    const contexts = await settingContexts(admin, names);
    for (const n of names) {
      const ctx = contexts.get(n);
      if (ctx === null || ctx === undefined) throw new GpuError('invalid_argument', `unknown setting on this server: ${n}${/^pg_strom\./.test(n) && !probe.pgStrom.installed ? ' (PG-Strom is not installed)' : ''}`);
      if (ctx !== 'user' && ctx !== 'superuser') throw new GpuError('invalid_argument', `${n} cannot change per query (context ${ctx}: needs a server reload or restart)`);
    }
    const roleLevel = names.filter((n) => contexts.get(n) === 'superuser');
    if (roleLevel.length && !probe.superuser) throw new GpuError('invalid_argument', `${roleLevel.join(', ')} can only be set by a superuser; the URL's user ${probe.currentUser} is not one`);
    const role = quoteIdent(readOnlyRoleName(opts.schema));
    const db = quoteIdent(probe.database);

    const rows: SweepRow[] = [];
    try {
      for (const [i, point] of points.entries()) {
        opts.onPoint?.(i + 1, points.length, point);
        const perTxn: Record<string, string> = {};
        for (const [n, v] of Object.entries(point)) {
          if (contexts.get(n) === 'superuser') await admin.query(`ALTER ROLE ${role} IN DATABASE ${db} SET ${n} = ${quoteLiteral(v)}`);
          else perTxn[n] = v;
        }
        try {
          const r = await runQuery({ ...opts, settings: perTxn, readSettings: names, probe, keepRows: 0 });
          rows.push({
            settings: point,
            effective: Object.fromEntries(names.map((n) => [n, r.settings[n] ?? null])),
            medianMs: r.timings.medianMs,
            minMs: r.timings.minMs,
            runsMs: r.timings.runsMs,
            gpuNodes: r.plan?.gpuNodes ?? null,
            cpuNodes: r.plan?.cpuNodes ?? null,
            fallback: r.fallback.detected,
            rowCount: r.rowCount,
            error: null,
          });
        } catch (e) {
          const err = e as GpuError;
          // cancellation and bad input end the sweep; a failing point (timeout, GPU error) is a result
          if (err.code === 'cancelled' || err.code === 'invalid_argument' || err.code === 'not_a_query' || err.code === 'connection') throw e;
          rows.push({ settings: point, effective: {}, medianMs: null, minMs: null, runsMs: [], gpuNodes: null, cpuNodes: null, fallback: /fallback/i.test(err.message), rowCount: null, error: err.message });
        }
      }
    } finally {
      for (const n of roleLevel) await admin.query(`ALTER ROLE ${role} IN DATABASE ${db} RESET ${n}`).catch(() => {});
    }
    let best: number | null = null;
    rows.forEach((r, i) => {
      if (r.medianMs !== null && (best === null || r.medianMs < rows[best].medianMs!)) best = i;
    });
    return {
      sql: opts.sql,
      backend: probe.pgStrom.installed ? 'pgstrom' : 'postgres',
      grid,
      rows,
      best,
      note:
        (probe.pgStrom.installed ? `PG-Strom server: ${probe.pgStrom.reason}` : `plain PostgreSQL (${probe.pgStrom.reason}): CPU settings only; every point ran on the CPU`) +
        (dropped.length ? `; left out (superuser only, ${probe.currentUser} is not one): ${dropped.join(', ')}` : ''),
    };
  } finally {
    await admin.end().catch(() => {});
  }
}
