import { bytes, count, ms } from '@/lib/format';

type Metrics = { wallMs: number; cpuMs: number; peakMemoryBytes: number; resultRows: number };

export function MetricCards({ metrics }: { metrics: Metrics }) {
  const items = [
    ['wall time', ms(metrics.wallMs)],
    ['CPU time', ms(metrics.cpuMs)],
    ['peak memory', bytes(metrics.peakMemoryBytes)],
    ['result rows', count(metrics.resultRows)],
  ];
  return (
    <dl className="metrics" data-testid="metrics">
      {items.map(([k, v]) => (
        <div key={k} className="metric">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
