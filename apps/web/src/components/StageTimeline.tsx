import type { Stage } from '@/lib/api-types';
import { count, ms } from '@/lib/format';

const STAGE_COLORS = ['#6366f1', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#14b8a6'];

/** A run's stages back to back on one time axis (they run one after another in the job). */
export function StageTimeline({ stages }: { stages: Stage[] }) {
  if (stages.length === 0) return <p className="muted">No stage timings recorded.</p>;
  const sorted = [...stages].sort((a, b) => a.order - b.order);
  const total = sorted.reduce((a, s) => a + s.wallMs, 0);
  let offset = 0;
  return (
    <div className="timeline" data-testid="stage-timeline">
      <div className="timeline-track">
        {sorted.map((s, i) => {
          const left = total > 0 ? (100 * offset) / total : 0;
          const width = total > 0 ? (100 * s.wallMs) / total : 0;
          offset += s.wallMs;
          return (
            <span
              key={s.stage}
              className="timeline-seg"
              style={{ left: `${left}%`, width: `${Math.max(width, 0.4)}%`, background: STAGE_COLORS[i % STAGE_COLORS.length] }}
              title={`${s.stage}: ${ms(s.wallMs)}`}
            />
          );
        })}
      </div>
      <ul className="timeline-legend">
        {sorted.map((s, i) => (
          <li key={s.stage} data-testid="stage">
            <span className="swatch" style={{ background: STAGE_COLORS[i % STAGE_COLORS.length] }} />
            <span className="timeline-stage">{s.stage}</span>
            <span className="num">{ms(s.wallMs)}</span>
            <span className="muted small">
              {total > 0 ? `${Math.round((100 * s.wallMs) / total)}%` : ''}
              {s.rowsOut !== null ? ` · ${count(s.rowsOut)} rows out` : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
