'use client';
/** Workload × backend (× scale) choosers shared by the phase table and the cost-model form. */
import { useQuery } from '@tanstack/react-query';
import { BACKENDS, type Backend } from '@/lib/api-types';
import { count } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

export type Series = { workload: string; backend: Backend; rows?: number };

export function useWorkloads() {
  const trpc = useTRPC();
  return useQuery(trpc.workload.list.queryOptions());
}

export function WorkloadSelect({ value, onChange }: { value: string; onChange: (key: string) => void }) {
  const workloads = useWorkloads();
  return (
    <label className="field">
      <span>Workload</span>
      <select name="workload" value={value} onChange={(e) => onChange(e.target.value)}>
        {!value && <option value="">choose…</option>}
        {(workloads.data ?? []).map((w) => (
          <option key={w.key} value={w.key}>
            {w.key} ({w.phases.length} phases)
          </option>
        ))}
      </select>
    </label>
  );
}

export function BackendSelect({ value, onChange }: { value: Backend; onChange: (b: Backend) => void }) {
  return (
    <label className="field">
      <span>Backend</span>
      <select name="backend" value={value} onChange={(e) => onChange(e.target.value as Backend)}>
        {BACKENDS.map((b) => (
          <option key={b}>{b}</option>
        ))}
      </select>
    </label>
  );
}

export function ScaleSelect({ value, scales, onChange }: { value: number | undefined; scales: { rows: number; runs: number }[]; onChange: (rows: number | undefined) => void }) {
  return (
    <label className="field">
      <span>Scale (rows)</span>
      <select name="rows" value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : undefined)}>
        <option value="">most runs</option>
        {scales.map((s) => (
          <option key={s.rows} value={s.rows}>
            {count(s.rows)} ({s.runs} runs)
          </option>
        ))}
      </select>
    </label>
  );
}

/** 10000 → "10k", 1e8 → "100M": scale labels for axes and table headers. */
export function rowsShort(v: number): string {
  if (v >= 1e9) return `${+(v / 1e9).toPrecision(3)}B`;
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return String(v);
}
