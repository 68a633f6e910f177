/** Numbers as people read them: durations, byte sizes, row counts, times. */

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v < 1) return `${v.toFixed(2)} ms`;
  if (v < 100) return `${v.toFixed(1)} ms`;
  if (v < 10_000) return `${Math.round(v)} ms`;
  if (v < 120_000) return `${(v / 1000).toFixed(1)} s`;
  return `${Math.floor(v / 60_000)} min ${Math.round((v % 60_000) / 1000)} s`;
}

export function bytes(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = v;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x < 10 && i > 0 ? x.toFixed(1) : Math.round(x)} ${units[i]}`;
}

const intl = new Intl.NumberFormat('en-US');
export function count(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : intl.format(v);
}

export function ratio(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}×`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const age = Date.now() - d.getTime();
  if (age >= 0 && age < 60_000) return `${Math.max(1, Math.round(age / 1000))} s ago`;
  if (age >= 0 && age < 3_600_000) return `${Math.round(age / 60_000)} min ago`;
  if (age >= 0 && age < 86_400_000) return `${Math.round(age / 3_600_000)} h ago`;
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

export const shortId = (id: string) => id.slice(0, 8);

/** One line of SQL for lists. */
export function oneLine(sql: string, max = 90): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A result cell: strings as they come, numbers with their digits, NULL spelled out. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Axis ticks: short, no decimals beyond what a tick needs. */
export function msTick(v: number): string {
  if (v === 0) return '0';
  if (v < 1000) return `${Math.round(v)} ms`;
  return `${(v / 1000).toFixed(v < 10_000 && v % 1000 !== 0 ? 1 : 0)} s`;
}
